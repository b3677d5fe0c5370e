package io.kubewizard.tui;

import io.kubewizard.testsupport.SystemDeps;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How quickly the wizard answers, measured from outside as a person sees it, through tmux:
 * <ul>
 *   <li>launch to first painted page: from starting the jar until capture-pane shows the whole
 *       Welcome page (title and the Next button);</li>
 *   <li>keystroke to paint: from send-keys (↓ or ↑ in the Run page's host grid) until the log pane's
 *       title names the other host, idle and while the log pane receives 10,000 lines a second for
 *       10 seconds (LogFloodMain's synthetic engine).</li>
 * </ul>
 * Figures include tmux's own send and capture time (a few ms), so they are upper bounds. Machines
 * differ, so the only limit is responsiveness a person would notice: the median keystroke under the
 * flood must paint within a second, and every keystroke must paint at all.
 * Run with: mvn -B -o package -DskipTests && mvn -B -o test -Pbenchmark -Dtest=WizardBenchmark
 */
@Tag("benchmark")
class WizardBenchmark {
    private static final int LAUNCHES = 5;
    private static final int RATE = 10_000;
    private static final int SECONDS = 10;
    private static final Duration KEY_TIMEOUT = Duration.ofSeconds(5);

    @TempDir Path work;

    @Test
    void launchAndKeystrokeLatency() {
        String java = SystemDeps.require("java", "openjdk-17-jre-headless").toString();
        List<Double> launches = new ArrayList<>();
        for (int i = 0; i < LAUNCHES; i++) {
            try (Tmux t = new Tmux()) {
                long start = System.nanoTime();
                t.start(work, java + " -jar " + Tmux.jar());
                t.await(s -> s.contains("kubewizard · 1/13 Welcome") && s.contains("< Next >"), "the first page",
                        Duration.ofSeconds(60));
                launches.add(millis(System.nanoTime() - start));
                t.keys("Escape");
                t.await("exit=0");
            }
        }

        List<Double> idle;
        List<Double> flooded = new ArrayList<>();
        String end;
        double floodSeconds;
        try (Tmux t = new Tmux()) {
            t.start(work, java + " -cp " + System.getProperty("java.class.path") + " " + LogFloodMain.class.getName()
                    + " " + SystemDeps.root() + " " + RATE + " " + SECONDS);
            t.await("kubewizard · 2/13 Cluster");
            for (int i = 3; i <= 11; i++) {
                t.keys("M-n");
                t.await("kubewizard · " + i + "/13 ");
            }
            t.await("< Back > <Install>");
            long floodStart = System.nanoTime();
            t.keys("M-n");
            t.await("Log: cp1");
            boolean down = true;
            while (System.nanoTime() - floodStart < Duration.ofSeconds(SECONDS - 1).toNanos()) {
                flooded.add(keystroke(t, down));
                down = !down;
                Tmux.sleep(50);
            }
            end = t.await(s -> s.contains("✓ finished"), "the end of the flood", Duration.ofSeconds(60));
            floodSeconds = (System.nanoTime() - floodStart) / 1e9;
            idle = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                idle.add(keystroke(t, down));
                down = !down;
                Tmux.sleep(50);
            }
            t.keys("Escape");
        }
        boolean dropped = end.contains("lines dropped");
        System.out.printf(Locale.ROOT, "%nWizardBenchmark (through tmux %dx%d; figures include tmux's send and "
                        + "capture time)%n  launch to first painted page: %s%n"
                        + "  keystroke to paint, idle:     %s%n"
                        + "  keystroke to paint, %,d lines/s into the log pane for %d s: %s%n"
                        + "  the %,d lines were all on screen %.1f s after Install%s%n",
                Tmux.COLUMNS, Tmux.ROWS, summary(launches), summary(idle), RATE, SECONDS, summary(flooded),
                RATE * SECONDS, floodSeconds,
                dropped ? "; some were dropped while the screen caught up" : "; none was dropped");
        assertTrue(median(flooded) < 1000, "a keystroke must paint within a second under the flood: " + flooded);
        assertTrue(flooded.size() >= 20, "enough samples: " + flooded.size());
        assertTrue(floodSeconds < SECONDS + 5, "the screen kept up with the flood: " + floodSeconds + " s");
        assertTrue(end.contains("Unpacking package " + (RATE * SECONDS / 10 - 1)) && end.contains(" of " + RATE * SECONDS),
                "the log pane followed to the end:\n" + end);
    }

    /** Moves the grid's selection (↓ to cp2, ↑ back to cp1) and times until the log title says so. */
    private static double keystroke(Tmux t, boolean down) {
        String expected = down ? "Log: cp2" : "Log: cp1";
        long start = System.nanoTime();
        t.keys(down ? "Down" : "Up");
        long deadline = start + KEY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (t.screen().contains(expected)) return millis(System.nanoTime() - start);
        }
        throw new AssertionError("the keystroke never painted '" + expected + "':\n" + t.screen());
    }

    private static double millis(long nanos) { return nanos / 1e6; }

    private static double median(List<Double> v) {
        List<Double> s = new ArrayList<>(v);
        Collections.sort(s);
        return s.get(s.size() / 2);
    }

    private static String summary(List<Double> v) {
        List<Double> s = new ArrayList<>(v);
        Collections.sort(s);
        return String.format(Locale.ROOT, "median %.0f ms, p95 %.0f ms, min %.0f ms, max %.0f ms (n=%d)",
                s.get(s.size() / 2), s.get(Math.min(s.size() - 1, (int) Math.ceil(s.size() * 0.95) - 1)), s.get(0),
                s.get(s.size() - 1), s.size());
    }
}
