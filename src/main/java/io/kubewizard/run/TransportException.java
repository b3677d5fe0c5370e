package io.kubewizard.run;

/**
 * A connection-level failure (not a command's non-zero exit). {@code transientFailure} means a retry
 * may succeed (connection dropped, timeout); host-key and authentication refusals are not transient.
 * {@link #exitCode()} is 3 for refusals made for safety (changed host key), else 1.
 */
public class TransportException extends Exception {
    private final String host;
    private final boolean transientFailure;
    private final int exitCode;

    public TransportException(String host, String message, boolean transientFailure, int exitCode, Throwable cause) {
        super(host + ": " + message, cause);
        this.host = host;
        this.transientFailure = transientFailure;
        this.exitCode = exitCode;
    }

    public TransportException(String host, String message, boolean transientFailure, Throwable cause) {
        this(host, message, transientFailure, 1, cause);
    }

    public String host() { return host; }

    public boolean transientFailure() { return transientFailure; }

    public int exitCode() { return exitCode; }
}
