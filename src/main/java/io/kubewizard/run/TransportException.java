package io.kubewizard.run;

/**
 * A connection-level failure (not a command's non-zero exit). {@code transientFailure} means a retry
 * may succeed (connection dropped, timeout); host-key and authentication refusals are not transient.
 * {@link #exitCode()} is 3 for refusals made for safety (changed host key), else 1.
 * {@link #unreachable()}: no TCP connection could be made at all (timeout, refused, no route).
 */
public class TransportException extends Exception {
    private final String host;
    private final boolean transientFailure;
    private final int exitCode;
    private final boolean unreachable;

    private TransportException(String host, String message, boolean transientFailure, int exitCode, boolean unreachable,
                               Throwable cause) {
        super(host + ": " + message, cause);
        this.host = host;
        this.transientFailure = transientFailure;
        this.exitCode = exitCode;
        this.unreachable = unreachable;
    }

    public TransportException(String host, String message, boolean transientFailure, int exitCode, Throwable cause) {
        this(host, message, transientFailure, exitCode, false, cause);
    }

    /** The host did not take a TCP connection: transient, since it may come back, but never answered. */
    public static TransportException unreachable(String host, String message, Throwable cause) {
        return new TransportException(host, message, true, 1, true, cause);
    }

    public TransportException(String host, String message, boolean transientFailure, Throwable cause) {
        this(host, message, transientFailure, 1, cause);
    }

    public String host() { return host; }

    public boolean transientFailure() { return transientFailure; }

    public int exitCode() { return exitCode; }

    public boolean unreachable() { return unreachable; }
}
