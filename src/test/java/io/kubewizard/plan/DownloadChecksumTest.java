package io.kubewizard.plan;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The sha256 check every pinned download runs on the node, run by a real sh: a mismatch stops with both hashes. */
class DownloadChecksumTest {
    private static final String HELLO = "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824";

    private static String[] sh(String command) throws Exception {
        Process p = new ProcessBuilder("sh", "-c", command).redirectErrorStream(true).start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "sh did not finish");
        return new String[] {String.valueOf(p.exitValue()), new String(p.getInputStream().readAllBytes())};
    }

    @Test
    void theRightFilePassesAndATamperedOneStopsWithBothHashes(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("cri-dockerd.tgz");
        Files.writeString(f, "hello");
        String[] ok = sh(Shell.sha256Check(Shell.quote(f.toString()), HELLO, "cri-dockerd-0.4.10.amd64.tgz") + " && echo fine");
        assertEquals("0", ok[0]);
        assertEquals("fine\n", ok[1]);
        Files.writeString(f, "hellO");
        String[] bad = sh(Shell.sha256Check(Shell.quote(f.toString()), HELLO, "cri-dockerd-0.4.10.amd64.tgz") + " && echo fine");
        assertEquals("1", bad[0]);
        assertEquals("sha256 mismatch for cri-dockerd-0.4.10.amd64.tgz: expected " + HELLO + ", got 04a6f55face2f46be8c23f627d539827615851e10751b63ec59db6d2c706b770\n", bad[1]);
    }
}
