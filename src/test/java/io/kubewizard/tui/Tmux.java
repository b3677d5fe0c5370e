package io.kubewizard.tui;

import io.kubewizard.testsupport.SystemDeps;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A real terminal for the real program: one tmux server of its own (its own socket, so tests never
 * touch a user's sessions), one window of a fixed size, keys sent as a person types them, and the
 * screen read back with capture-pane. UTF-8 is forced (-u): the panes show ✓ and Hangul as they are.
 */
final class Tmux implements AutoCloseable {
    static final int COLUMNS = 100;
    static final int ROWS = 30;

    private final String tmux = SystemDeps.require("tmux", "tmux").toString();
    private final String socket = "kubewizard-test-" + UUID.randomUUID();
    private final String session = "wizard";

    /** The jar under test: built by mvn package before the system tests run. */
    static Path jar() {
        Path jar = Path.of(System.getProperty("kubewizard.jar",
                SystemDeps.root().resolve("target/kubewizard.jar").toString()));
        assertTrue(Files.isRegularFile(jar), "build the jar first (mvn package): " + jar);
        return jar;
    }

    /**
     * Starts {@code command} (a shell command line) in {@code directory}; when it ends, the pane
     * shows "exit=CODE" and stays, so a test can read how it ended.
     */
    void start(Path directory, String command) {
        start(directory, command, COLUMNS, ROWS);
    }

    /** As {@link #start(Path, String)}, in a window of this size (docs/screens are 80×24). */
    void start(Path directory, String command, int columns, int rows) {
        run(tmux, "-u", "-L", socket, "new-session", "-d", "-x", String.valueOf(columns), "-y", String.valueOf(rows),
                "-s", session, "-c", directory.toString(),
                "env LANG=C.UTF-8 TERM=xterm-256color " + command + "; echo exit=$?; sleep 600");
    }

    void keys(String... keys) {
        List<String> argv = new ArrayList<>(List.of(tmux, "-L", socket, "send-keys", "-t", session));
        argv.addAll(List.of(keys));
        run(argv.toArray(String[]::new));
    }

    void resize(int columns, int rows) {
        run(tmux, "-L", socket, "resize-window", "-t", session, "-x", String.valueOf(columns), "-y", String.valueOf(rows));
    }

    /** Text typed literally (send-keys -l), not read as key names. */
    void type(String text) {
        run(tmux, "-L", socket, "send-keys", "-t", session, "-l", text);
    }

    String screen() {
        return run(tmux, "-L", socket, "capture-pane", "-p", "-t", session);
    }

    List<String> lines() { return List.of(screen().split("\n", -1)); }

    /** Polls the screen until it satisfies the condition; fails with the last screen after the timeout. */
    String await(Predicate<String> condition, String what, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            last = screen();
            if (condition.test(last)) return last;
            sleep(20);
        }
        fail("timed out after " + timeout + " waiting for " + what + "; screen:\n" + last);
        return last;
    }

    /**
     * Like {@link #await(Predicate, String, Duration)}, but the screen must also have stopped
     * changing (two captures 100 ms apart alike): a page switch is painted in more than one write,
     * and a capture between them mixes the old page with the new one.
     */
    String awaitSteady(Predicate<String> condition, String what, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            last = await(condition, what, timeout);
            sleep(100);
            if (screen().equals(last)) return last;
        }
        fail("timed out after " + timeout + " waiting for a steady screen with " + what + "; screen:\n" + last);
        return last;
    }

    String await(String text) { return await(s -> s.contains(text), "'" + text + "'", Duration.ofSeconds(30)); }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static String run(String... argv) {
        SystemDeps.Result r = SystemDeps.run(Duration.ofSeconds(20), argv);
        assertEquals(0, r.exitCode(), String.join(" ", argv) + ": " + r.output());
        return r.output();
    }

    @Override
    public void close() {
        SystemDeps.run(Duration.ofSeconds(20), tmux, "-L", socket, "kill-server");
    }
}
