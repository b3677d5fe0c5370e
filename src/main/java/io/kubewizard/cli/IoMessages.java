package io.kubewizard.cli;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/** File-system failures in words: Java's own messages are often just the path. */
final class IoMessages {
    private IoMessages() {}

    static String describe(IOException e) {
        if (e instanceof FileSystemException f && f.getFile() != null) {
            String file = f.getFile();
            if (f instanceof NoSuchFileException) return file + " does not exist";
            if (f instanceof AccessDeniedException) return file + ": permission denied";
            if (f instanceof FileAlreadyExistsException) return file + " already exists";
            if (f instanceof NotDirectoryException) return file + " is not a directory";
            if (f instanceof DirectoryNotEmptyException) return file + " is not empty";
            return file + ": " + (f.getReason() != null ? f.getReason() : f.getClass().getSimpleName());
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }
}
