package io.kubewizard.ssh;

import io.kubewizard.run.Transport.Commands;
import io.kubewizard.run.Transport.ExecResult;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Several commands as one shell script, so that a step's commands take one channel (one sshd
 * session and one shell) instead of one each (SshTransport#execAll). Each command runs in a
 * subshell of its own with an empty stdin, as it would on a channel of its own: its exit, cd and
 * variables end with it. After each, the script writes a marker line with the command's exit
 * status to stdout and to stderr, and it stops at the first command that fails. {@link #stdout()}
 * and {@link #stderr()} cut the two streams at the markers, so each command gets its own lines
 * and tails, and the listener hears where each command ends.
 *
 * <p>The marker starts with the ASCII record separator and a random word made for this batch, so
 * no command's output is taken for one; it may come in the middle of a line when a command's
 * output does not end with a newline, and the part before it is that command's last line.
 */
final class Batch {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final List<String> commands;
    private final Commands listener;
    private final byte[] marker;
    private final Splitter out;
    private final Splitter err;

    Batch(List<String> commands, Commands listener) {
        this(commands, listener, "\u001ekw-" + HexFormat.of().formatHex(randomBytes()) + " ");
    }

    /** With a given marker prefix (tests). */
    Batch(List<String> commands, Commands listener, String markerPrefix) {
        if (commands.isEmpty()) throw new IllegalArgumentException("a batch of no commands");
        this.commands = List.copyOf(commands);
        this.listener = listener;
        this.marker = markerPrefix.getBytes(StandardCharsets.US_ASCII);
        this.out = new Splitter(false);
        this.err = new Splitter(true);
    }

    private static byte[] randomBytes() {
        byte[] b = new byte[12];
        RANDOM.nextBytes(b);
        return b;
    }

    /**
     * The script: per command {@code ( COMMAND \n) </dev/null}, then its status as a marker on both
     * streams, then the stop on a failure. The newline before the parenthesis ends a command that
     * ends in a comment.
     */
    String script() {
        String prefix = new String(marker, StandardCharsets.US_ASCII);
        // printf's format holds the record separator as \036 and the word; the status comes as %d
        String format = "'\\036" + prefix.substring(1) + "%d %d\\n'";
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < commands.size(); i++) {
            sb.append("(\n").append(commands.get(i)).append("\n) </dev/null\n")
                    .append("kw_status=$?\n")
                    .append("printf ").append(format).append(' ').append(i).append(" \"$kw_status\"\n")
                    .append("printf ").append(format).append(' ').append(i).append(" \"$kw_status\" >&2\n")
                    .append("[ \"$kw_status\" -eq 0 ] || exit \"$kw_status\"\n");
        }
        return sb.toString();
    }

    OutputStream stdout() { return out; }

    OutputStream stderr() { return err; }

    /**
     * One result per command that ended with its marker, and, when the channel ended before the
     * next command's marker (the connection dropped, a signal, a command that ended the script),
     * one more for that command with the channel's own status.
     */
    List<ExecResult> results(int channelStatus) {
        out.finish();
        err.finish();
        List<ExecResult> results = new ArrayList<>();
        int ended = out.codes.size();
        for (int i = 0; i < ended; i++) results.add(new ExecResult(out.codes.get(i), out.tail(i), err.tail(i)));
        boolean stopped = ended > 0 && out.codes.get(ended - 1) != 0;
        if (!stopped && ended < commands.size()) {
            // a status of 0 with a command unfinished is no success: the script did not get to its end
            results.add(new ExecResult(channelStatus == 0 ? 1 : channelStatus, out.tail(ended), err.tail(ended)));
        }
        return results;
    }

    /** One stream, cut at the markers into a LineSink per command. */
    private final class Splitter extends OutputStream {
        private final boolean stderr;
        private final List<LineSink> sinks = new ArrayList<>();
        final List<Integer> codes = new ArrayList<>();
        /** How many bytes of the marker prefix have matched so far. */
        private int matched;
        /** After a whole prefix: "INDEX STATUS" up to the newline. */
        private ByteArrayOutputStream rest;

        Splitter(boolean stderr) {
            this.stderr = stderr;
        }

        private LineSink sink(int index) {
            while (sinks.size() <= index) {
                int i = sinks.size();
                sinks.add(new LineSink((line, isStderr) -> listener.line(i, line, isStderr), stderr));
            }
            return sinks.get(index);
        }

        private LineSink current() { return sink(codes.size()); }

        @Override
        public synchronized void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public synchronized void write(byte[] bytes, int off, int len) {
            int plain = off;
            for (int i = off; i < off + len; i++) {
                byte b = bytes[i];
                if (rest != null) {
                    if (b == '\n') {
                        ended(rest.toString(StandardCharsets.US_ASCII));
                        rest = null;
                        plain = i + 1;
                    } else {
                        rest.write(b);
                    }
                    continue;
                }
                if (b == marker[matched]) {
                    if (matched == 0) {
                        current().write(bytes, plain, i - plain);
                    }
                    matched++;
                    if (matched == marker.length) {
                        matched = 0;
                        rest = new ByteArrayOutputStream();
                    }
                    plain = i + 1;
                    continue;
                }
                if (matched > 0) {
                    // not a marker after all: what matched was output
                    current().write(marker, 0, matched);
                    matched = 0;
                    plain = i;
                    if (b == marker[0]) {
                        i--;
                        continue;
                    }
                }
            }
            if (rest == null && matched == 0 && plain < off + len) current().write(bytes, plain, off + len - plain);
        }

        private void ended(String indexAndStatus) {
            String[] words = indexAndStatus.trim().split(" ");
            int status = words.length == 2 ? Integer.parseInt(words[1]) : 1;
            current().finish();
            codes.add(status);
            if (!stderr) {
                listener.ended(codes.size() - 1, status);
                if (status == 0 && codes.size() < commands.size()) listener.starting(codes.size());
            }
        }

        synchronized void finish() {
            if (matched > 0) current().write(marker, 0, matched);
            matched = 0;
            if (rest != null) {
                current().write(marker, 0, marker.length);
                byte[] r = rest.toByteArray();
                current().write(r, 0, r.length);
                rest = null;
            }
            if (codes.size() < commands.size()) current().finish();
        }

        String tail(int index) {
            return index < sinks.size() ? sinks.get(index).tail() : "";
        }
    }
}
