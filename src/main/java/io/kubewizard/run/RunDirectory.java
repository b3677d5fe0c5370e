package io.kubewizard.run;

import io.kubewizard.answers.Spec.ClusterSpec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A cluster's state on the jump host (docs/architecture.md, "The run directory"): {@code ./.kubewizard/<cluster>/}, 0700,
 * holding secrets/ (generated PKI, tokens), the journal, logs and events. Every command that needs
 * state for a cluster finds it here, so a rerun reuses what the first run made.
 */
public record RunDirectory(Path path) {

    public static final String DEFAULT_BASE = ".kubewizard";

    /** {@code base/<cluster name>}; base is usually {@code ./.kubewizard}. */
    public static RunDirectory of(Path base, ClusterSpec spec) {
        return new RunDirectory(base.resolve(spec.cluster().name()).toAbsolutePath().normalize());
    }

    /** Creates the directory (and its parents) with mode 0700 if it does not exist yet. */
    public RunDirectory create() throws IOException {
        if (!Files.isDirectory(path)) {
            Files.createDirectories(path.getParent());
            try {
                Files.createDirectory(path, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } catch (java.nio.file.FileAlreadyExistsException raced) {
                // another process made it between the check and here: fine
            }
        }
        return this;
    }
}
