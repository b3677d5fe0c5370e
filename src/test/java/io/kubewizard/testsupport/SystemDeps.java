package io.kubewizard.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * What system tests need from the machine. A missing dependency fails the test with the Debian
 * package to install: system tests are never skipped silently (.ci/run installs them all).
 */
public final class SystemDeps {
    private SystemDeps() {}

    /** Returns the absolute path of a command, or fails naming the package that provides it. */
    public static Path require(String command, String debianPackage) {
        Path found = which(command);
        if (found == null) {
            fail("system test needs '" + command + "' (Debian package " + debianPackage + "); run .ci/deps as root");
        }
        return found;
    }

    public static void requireRoot() {
        if (!"root".equals(System.getProperty("user.name"))) fail("system test needs root (network namespaces, mounts)");
    }

    public static Path which(String command) {
        List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(":")));
        dirs.addAll(List.of("/usr/sbin", "/sbin", "/usr/local/sbin"));
        for (String d : dirs) {
            if (d.isEmpty()) continue;
            Path p = Path.of(d, command);
            if (Files.isExecutable(p)) return p;
        }
        return null;
    }

    /** The repository root (pom.xml's directory). */
    public static Path root() {
        return Path.of(System.getProperty("kubewizard.root", ".")).toAbsolutePath().normalize();
    }

    /** Runs a command, returning exit code and combined output; fails the test after the timeout. */
    public static Result run(java.time.Duration timeout, String... command) {
        try {
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
            Process p = pb.start();
            byte[] out;
            var reader = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return p.getInputStream().readAllBytes();
                } catch (java.io.IOException e) {
                    return new byte[0];
                }
            });
            if (!p.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                fail("timed out after " + timeout + ": " + String.join(" ", command));
            }
            out = reader.get();
            return new Result(p.exitValue(), new String(out, java.nio.charset.StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new AssertionError("could not run " + String.join(" ", command) + ": " + e, e);
        }
    }

    public record Result(int exitCode, String output) {}
}
