package io.kubewizard.answers;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The presets built into kubewizard, and what a presets directory beside them adds. */
class PresetCatalogTest {
    @Test
    void thePresetsOfTheRepositoryAreBuiltInByteForByte() throws IOException {
        PresetCatalog builtIn = PresetCatalog.of(null);
        assertEquals(List.of("ha-external-etcd", "ha-stacked", "single-node"), builtIn.names());
        for (String name : builtIn.names()) {
            PresetCatalog.Preset p = builtIn.get(name);
            assertEquals("built-in presets/" + name + ".yaml", p.label());
            assertNull(p.file());
            assertArrayEquals(Files.readAllBytes(Fixtures.preset(name + ".yaml")), p.bytes(), name);
            assertEquals(List.of(), p.load().problems(), name);
        }
        assertNull(builtIn.get("nope"));
        assertNull(builtIn.get("../presets/ha-stacked"), "only preset names, never paths");
    }

    @Test
    void aDirectoryAddsItsPresetsAndTheSameFileTwiceIsOnePreset(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("lab.yaml"), Fixtures.read(Fixtures.preset("single-node.yaml")));
        Files.copy(Fixtures.preset("ha-stacked.yaml"), dir.resolve("ha-stacked.yaml"));
        Files.writeString(dir.resolve("notes.txt"), "not a preset");
        PresetCatalog catalog = PresetCatalog.of(dir);
        assertEquals(List.of("ha-external-etcd", "ha-stacked", "lab", "single-node"), catalog.names());
        assertEquals(dir.resolve("lab.yaml"), catalog.get("lab").file());
        assertEquals(dir.resolve("ha-stacked.yaml"), catalog.get("ha-stacked").file(), "identical: the file, named by its path");
        assertEquals("built-in presets/single-node.yaml", catalog.get("single-node").label());
        assertEquals(List.of("ha-external-etcd", "ha-stacked", "single-node"), PresetCatalog.of(dir.resolve("none")).names());
    }

    @Test
    void aPresetThatDiffersFromTheBuiltInOneIsNeverTakenAndBothAreNamed(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("ha-stacked.yaml"), Fixtures.read(Fixtures.preset("single-node.yaml")));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PresetCatalog.of(dir).get("ha-stacked"));
        assertEquals("preset 'ha-stacked' is both built-in presets/ha-stacked.yaml and " + dir.resolve("ha-stacked.yaml")
                + ", and they differ: pass the file's path to -f, or rename it", e.getMessage());
        assertEquals(List.of("ha-external-etcd", "ha-stacked", "single-node"), PresetCatalog.of(dir).names(),
                "listed once, refused when chosen");
    }
}
