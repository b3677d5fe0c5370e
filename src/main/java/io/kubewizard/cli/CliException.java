package io.kubewizard.cli;

/** A failure whose message is written for the user; the handler prints it and exits with the code. */
public class CliException extends Exception {
    private final int exitCode;

    public CliException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public CliException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public int exitCode() { return exitCode; }
}
