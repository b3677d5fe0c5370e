package io.kubewizard.pki;

import java.nio.file.Path;

/**
 * A stored PKI file that cannot be used as it is: unreadable, corrupt, not matching its key or its
 * CA, or made for other names. The message names the file and says what to do; kubewizard never
 * replaces such a file by itself, because it may belong to a live cluster.
 */
public final class PkiException extends Exception {
    private final transient Path file;

    public PkiException(Path file, String problem) {
        super(file + ": " + problem);
        this.file = file;
    }

    public PkiException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = file;
    }

    /** The file at fault. */
    public Path file() { return file; }

    /** The text for the user: the file and what is wrong with it, without a stack trace. */
    public String userMessage() { return getMessage(); }
}
