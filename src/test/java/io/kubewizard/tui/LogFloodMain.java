package io.kubewizard.tui;

import io.kubewizard.answers.AnswersLoader;
import io.kubewizard.answers.Spec.ClusterSpec;
import io.kubewizard.run.Event;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * Test-only entry point for {@link WizardBenchmark}: the real wizard on the real terminal, pre-filled
 * with the ha-stacked preset, whose Install starts a synthetic engine that prints {@code RATE} lines a
 * second, spread over the five hosts, for {@code SECONDS} seconds, then finishes.
 * Usage: LogFloodMain ROOT RATE SECONDS
 */
public final class LogFloodMain {
    private LogFloodMain() {}

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[0]);
        int rate = Integer.parseInt(args[1]);
        int seconds = Integer.parseInt(args[2]);
        ClusterSpec spec = AnswersLoader.load(root.resolve("presets/ha-stacked.yaml")).spec();
        WizardOptions options = WizardOptions.of(Locale.ENGLISH, root.resolve("themes"), root.resolve("presets"),
                Path.of(System.getProperty("user.home")), Path.of("").toAbsolutePath())
                .withInitial(spec, null).withInstaller(new Flood(rate, seconds));
        Wizard.run(options);
    }

    /** Paced in 10 ms slices, so the rate holds over any second and not just on average. */
    static final class Flood extends ScriptedInstaller {
        private final int rate;
        private final int seconds;

        Flood(int rate, int seconds) {
            super("log-flood");
            this.rate = rate;
            this.seconds = seconds;
        }

        @Override
        boolean output(List<String> hosts, Event.Listener events) {
            long start = System.nanoTime();
            long sent = 0;
            long total = (long) rate * seconds;
            while (sent < total) {
                long due = Math.min(total, (System.nanoTime() - start) * rate / 1_000_000_000L);
                for (; sent < due; sent++) {
                    String host = hosts.get((int) (sent % hosts.size()));
                    events.on(new Event.Output(Instant.now(), host, "prepare@" + host, "Unpacking package "
                            + sent + " of " + total + " (libexample-" + sent % 997 + ") over the previous version ...",
                            false));
                }
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    return false;
                }
            }
            return true;
        }
    }
}
