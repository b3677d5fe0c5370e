package io.kubewizard.cli;

import io.kubewizard.testsupport.SystemDeps;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** The packaged jar and the ./kubewizard launcher as a user runs them: separate processes, real exit codes. */
@Tag("system")
class LauncherSystemTest {
    @TempDir Path tmp;

    private record Result(int code, String out, String err) {}

    private static Result run(Path directory, String... command) throws Exception {
        Path out = Files.createTempFile("kubewizard", ".out");
        Path err = Files.createTempFile("kubewizard", ".err");
        try {
            Process p = new ProcessBuilder(command).directory(directory.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail("timed out: " + String.join(" ", command));
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    private static Path jar() {
        Path jar = Path.of(System.getProperty("kubewizard.jar", SystemDeps.root().resolve("target/kubewizard.jar").toString()));
        assertTrue(Files.isRegularFile(jar), "run after mvn package: " + jar);
        return jar;
    }

    @Test
    void theJarValidatesAPresetFile() throws Exception {
        String java = SystemDeps.require("java", "openjdk-17-jre-headless").toString();
        assertEquals(new Result(0, "0 errors, 0 warnings\n", ""),
                run(SystemDeps.root(), java, "-jar", jar().toString(), "validate", "-f", "presets/single-node.yaml"));
    }

    @Test
    void theJarExitsWithTheContractsCodes() throws Exception {
        String java = SystemDeps.require("java", "openjdk-17-jre-headless").toString();
        Path broken = Files.writeString(tmp.resolve("broken.yaml"), "cluster:\n  nmae: lab\n");
        Result invalid = run(tmp, java, "-jar", jar().toString(), "render", "-f", "broken.yaml", "-o", "out");
        assertEquals(new Result(2, """
                error: broken.yaml:1:1: hosts: no hosts: list at least one control-plane host
                error: broken.yaml:2:3: cluster.nmae: unknown key 'nmae', did you mean 'name'?
                2 errors, 0 warnings
                """, ""), invalid);
        try (var entries = Files.list(tmp)) {
            assertEquals(List.of(broken), entries.toList(), "nothing written, no directory made");
        }
        assertEquals(new Result(2, "", "error: unknown command 'aply', did you mean 'apply'?\n"
                + "Try 'kubewizard --help' for more information.\n"), run(tmp, java, "-jar", jar().toString(), "aply"));
    }

    @Test
    void theLauncherRunsFromAnyDirectoryThroughASymlink() throws Exception {
        SystemDeps.require("bash", "bash");
        Path link = Files.createSymbolicLink(tmp.resolve("kw"), SystemDeps.root().resolve("kubewizard"));
        Result r = run(tmp, link.toString(), "validate", "-f", "ha-external-etcd");
        assertEquals(new Result(0, "0 errors, 0 warnings\n", ""), r);
        Result version = run(tmp, link.toString(), "--version");
        assertEquals(new Result(0, "kubewizard 0.1.0\n", ""), version);
    }
}
