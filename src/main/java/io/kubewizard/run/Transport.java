package io.kubewizard.run;

import java.time.Duration;

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

    /** @param stdoutTail the last lines of stdout, at most a few KiB; stderrTail likewise */
    record ExecResult(int exitCode, String stdoutTail, String stderrTail) {
        public boolean ok() { return exitCode == 0; }
    }
}
