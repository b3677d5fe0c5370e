package io.kubewizard.tui;

import io.kubewizard.testsupport.SystemDeps;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The wizard sets its terminal up with one process and gives it back exactly as it found it: a
 * {@code stty} first on PATH records each call (its arguments, and the name of the process that
 * started it) before running the real one, and the pane's {@code stty -g} is read before and after.
 */
@Tag("system")
class TerminalSetupTmuxSystemTest {
    @TempDir Path work;

    @Test
    void oneShellSetsTheTerminalUpAndOneSttyRestoresItExactly() throws Exception {
        String java = SystemDeps.require("java", "openjdk-17-jre-headless").toString();
        String stty = SystemDeps.require("stty", "coreutils").toString();
        Path bin = Files.createDirectory(work.resolve("bin"));
        Path log = work.resolve("stty.log");
        Path shim = bin.resolve("stty");
        Files.writeString(shim, "#!/bin/sh\n"
                + "printf '%s|%s\\n' \"$(cat /proc/$PPID/comm)\" \"$*\" >> " + log + "\n"
                + "exec " + stty + " \"$@\"\n");
        Files.setPosixFilePermissions(shim, PosixFilePermissions.fromString("rwxr-xr-x"));
        try (Tmux t = new Tmux()) {
            // an interrupt key of the user's own (Ctrl-G), which Lanterna's own restore would turn into ^C
            t.start(work, "sh -c '" + stty + " intr ^G; " + stty + " -g > before; PATH=" + bin + ":$PATH " + java
                    + " -jar " + Tmux.jar() + "; " + stty + " -g > after'");
            t.await("kubewizard · 1/13 Welcome");
            List<String> setUp = Files.readAllLines(log);
            assertEquals(List.of("sh|-g", "sh|" + OneSttyTerminal.RAW), setUp);
            t.keys("Escape");
            t.await(s -> s.contains("exit=0"), "the wizard's exit", Duration.ofSeconds(30));
            String saved = Files.readString(work.resolve("before")).trim();
            assertEquals(saved, Files.readString(work.resolve("after")).trim());
            assertEquals(List.of("sh|-g", "sh|" + OneSttyTerminal.RAW, "sh|" + saved), Files.readAllLines(log));
            assertTrue(saved.contains(":7:"), "intr is Ctrl-G (7) in " + saved);
        }
    }
}
