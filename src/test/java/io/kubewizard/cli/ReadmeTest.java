package io.kubewizard.cli;

import io.kubewizard.testsupport.SystemDeps;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The README's two newcomer commands stay true: CI runs the README's test command verbatim. */
class ReadmeTest {
    @Test
    void ciRunsTheReadmeTestCommandAndTheLauncherExists() throws Exception {
        Path root = SystemDeps.root();
        String readme = Files.readString(root.resolve("README.md"));
        String ci = Files.readString(root.resolve(".ci/run"));
        String testCommand = ".ci/deps && mvn -B verify -Psystem";
        assertTrue(readme.contains("\n    " + testCommand + "\n"), "README shows the test command");
        assertTrue(ci.lines().anyMatch(l -> l.trim().equals(testCommand)), ".ci/run runs the README's test command");
        assertTrue(readme.contains("\n    ./kubewizard\n"), "README shows how to run the wizard");
        assertTrue(Files.isExecutable(root.resolve("kubewizard")), "the launcher is executable");
    }
}
