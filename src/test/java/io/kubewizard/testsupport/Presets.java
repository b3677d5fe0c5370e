package io.kubewizard.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The presets shipped in presets/, read from the repository. */
public final class Presets {
    private Presets() {}

    public static final List<String> NAMES = List.of("single-node", "ha-stacked", "ha-external-etcd");

    public static Path path(String name) { return SystemDeps.root().resolve("presets").resolve(name + ".yaml"); }

    public static String text(String name) {
        try {
            return Files.readString(path(name));
        } catch (IOException e) {
            throw new AssertionError("cannot read preset " + name + ": " + e);
        }
    }
}
