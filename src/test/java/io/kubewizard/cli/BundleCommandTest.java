package io.kubewizard.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** kubewizard bundle: Docker's repositories need --distribution and --releasever before anything is fetched. */
class BundleCommandTest {
    @TempDir Path dir;

    @Test
    void containerdWithoutTheDistributionIsInvalidInput() {
        Run r = Run.of("bundle", "-f", "single-node", "-o", dir.resolve("b").toString());
        assertEquals(2, r.code(), r::toString);
        assertTrue(r.err().contains("give --distribution ID:CODENAME"), r.err());
        assertTrue(r.err().contains("give --releasever N"), r.err());
        assertFalse(Files.exists(dir.resolve("b")));
    }

    @Test
    void aMalformedDistributionIsInvalidInput() {
        Run r = Run.of("bundle", "-f", "single-node", "-o", dir.resolve("b").toString(), "--distribution", "bookworm", "--releasever", "9");
        assertEquals(2, r.code(), r::toString);
        assertTrue(r.err().contains("--distribution bookworm is not ID:CODENAME"), r.err());
    }
}
