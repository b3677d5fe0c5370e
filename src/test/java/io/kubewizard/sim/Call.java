package io.kubewizard.sim;

import java.util.List;
import java.util.Map;

/**
 * One invocation of a stand-in on a node, as it recorded itself in /var/log/kw-sim/calls.ndjson.
 * Times are CLOCK_REALTIME nanoseconds, comparable across nodes (one kernel). The line is written
 * when the invocation ends (exit codes 128+N: ended by signal N), so order of lines is order of
 * completion; {@link #startNs()} gives order of starting.
 *
 * @param argv       the program name as invoked, then its arguments
 * @param stdinBytes how many bytes arrived on stdin (the content is never recorded)
 * @param stdinEof   whether stdin was closed by the time the stand-in finished reading it
 */
public record Call(String node, List<String> argv, String cwd, int uid, long pid, long startNs, long endNs, int exitCode,
                   long stdinBytes, boolean stdinEof) {

    /** The program's name without its directory: {@code kubeadm}. */
    public String tool() {
        String first = argv.get(0);
        return first.substring(first.lastIndexOf('/') + 1);
    }

    /** The command line, words joined by single spaces, program name without its directory. */
    public String line() {
        return String.join(" ", words());
    }

    public List<String> words() {
        return java.util.stream.Stream.concat(java.util.stream.Stream.of(tool()), argv.stream().skip(1)).toList();
    }

    @SuppressWarnings("unchecked")
    static Call parse(String json) {
        Map<String, Object> m = (Map<String, Object>) Json.parse(json);
        return new Call((String) m.get("node"), List.copyOf((List<String>) m.get("argv")), (String) m.get("cwd"),
                ((Number) m.get("uid")).intValue(), ((Number) m.get("pid")).longValue(),
                ((Number) m.get("startNs")).longValue(), ((Number) m.get("endNs")).longValue(),
                ((Number) m.get("exit")).intValue(), ((Number) m.get("stdinBytes")).longValue(),
                (Boolean) m.get("stdinEof"));
    }
}
