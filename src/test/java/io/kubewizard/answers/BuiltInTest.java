package io.kubewizard.answers;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

class BuiltInTest {
    private static Path root() {
        return Path.of(System.getProperty("kubewizard.root", ".")).toAbsolutePath().normalize();
    }

    /** The repository directory's names of that suffix, sorted: what the build copies in. */
    private static List<String> repository(String dir, String suffix) throws IOException {
        try (Stream<Path> files = Files.list(root().resolve(dir))) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(suffix))
                    .map(n -> n.substring(0, n.length() - suffix.length())).sorted().toList();
        }
    }

    @Test
    void theBuildsIndexNamesWhatTheDirectoryHoldsAsAScanWould() throws IOException {
        assertNotNull(BuiltIn.read("presets", BuiltIn.INDEX), "the build writes presets/INDEX (pom.xml)");
        assertNotNull(BuiltIn.read("themes", BuiltIn.INDEX), "the build writes themes/INDEX (pom.xml)");
        assertEquals(List.of("ha-external-etcd", "ha-stacked", "single-node"), BuiltIn.names("presets", ".yaml"));
        assertEquals(repository("presets", ".yaml"), BuiltIn.names("presets", ".yaml"));
        assertEquals(BuiltIn.scan("presets", ".yaml"), BuiltIn.names("presets", ".yaml"));
        assertEquals(repository("themes", ".properties"), BuiltIn.names("themes", ".properties"));
        assertEquals(BuiltIn.scan("themes", ".properties"), BuiltIn.names("themes", ".properties"));
        assertEquals(List.of(), BuiltIn.names("presets", ".properties"));
    }
}
