package io.kubewizard.run;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One host's connection, as the executor sees it (docs/architecture.md: only the ssh package knows MINA SSHD;
 * tests use recording fakes). Commands run as root: an implementation for a non-root user wraps them
 * with sudo itself (password fed on stdin, never on a command line). Every call is bounded by a timeout.
 */
public interface Transport extends AutoCloseable {

    /** The host name from the answers file. */
    String host();

    /**
     * Runs a POSIX sh command line, streaming its output line by line to {@code output}, and returns
     * its exit code with the last lines of each stream. {@code stdin} may be null.
     */
    ExecResult exec(String command, byte[] stdin, OutputListener output, Duration timeout)
            throws TransportException, InterruptedException;

    /**
     * Runs commands one after another as {@link #exec} would, each as a command line of its own (its
     * exit, cd and variables end with it; its stdin is empty), and stops at the first that fails.
     * One result per command that ran, in order: the last is the failure, if any. A transport may
     * run them over one round trip (SshTransport: one channel, one shell); this one runs each with
     * exec, so a recording fake sees every command on its own.
     */
    default List<ExecResult> execAll(List<String> commands, Commands listener, Duration timeout)
            throws TransportException, InterruptedException {
        List<ExecResult> results = new ArrayList<>();
        for (int i = 0; i < commands.size(); i++) {
            int index = i;
            listener.starting(index);
            ExecResult r = exec(commands.get(i), null, (line, stderr) -> listener.line(index, line, stderr), timeout);
            results.add(r);
            listener.ended(index, r.exitCode());
            if (!r.ok()) break;
        }
        return results;
    }

    /** Writes a file atomically (temporary file in the same directory, then rename) with its mode, as root. */
    void upload(String path, byte[] content, int mode) throws TransportException, InterruptedException;

    /** Reads a file (as root). */
    byte[] download(String path) throws TransportException, InterruptedException;

    /**
     * The host key this connection verified, as a person compares it ("ED25519 SHA256:…"), or null
     * when the transport has none to show.
     */
    default String hostKey() { return null; }

    @Override
    void close();

    /** Output of a running command, one line at a time (without the line terminator). */
    interface OutputListener {
        OutputListener NONE = (line, stderr) -> { };

        void line(String line, boolean stderr);
    }

    /** What {@link #execAll} tells as its commands run, in order, from whichever thread reads the output. */
    interface Commands {
        /** Command {@code index} starts (the first at once; each later one when the one before ended well). */
        void starting(int index);

        void line(int index, String line, boolean stderr);

        void ended(int index, int exitCode);
    }

    /** @param stdoutTail the last lines of stdout, at most a few KiB; stderrTail likewise */
    record ExecResult(int exitCode, String stdoutTail, String stderrTail) {
        public boolean ok() { return exitCode == 0; }
    }
}
