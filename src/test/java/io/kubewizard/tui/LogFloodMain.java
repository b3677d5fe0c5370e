package io.kubewizard.tui;

import io.kubewizard.answers.AnswersLoader;
import io.kubewizard.answers.Spec.ClusterSpec;
import io.kubewizard.run.Event;
import io.kubewizard.run.Event.StepStatus;
import io.kubewizard.run.TransportFactory;

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
    static final class Flood implements Installer, Installer.RunControl {
        private final int rate;
        private final int seconds;

        Flood(int rate, int seconds) {
            this.rate = rate;
            this.seconds = seconds;
        }

        @Override
        public RunControl start(ClusterSpec spec, io.kubewizard.run.RunDirectory dir, Event.Listener events,
                                TransportFactory.Prompter prompter) {
            List<String> hosts = spec.hosts().stream().map(h -> h.name()).toList();
            Thread t = new Thread(() -> flood(hosts, events), "log-flood");
            t.setDaemon(true);
            t.start();
            return this;
        }

        @Override
        public Live observe(ClusterSpec spec, io.kubewizard.run.RunDirectory dir, TransportFactory.Prompter prompter) {
            return Live.failed("a log flood reads no cluster");
        }

        private void flood(List<String> hosts, Event.Listener events) {
            events.on(new Event.RunStarted(Instant.now(), "ha-stacked", List.of("prepare"), hosts, false));
            events.on(new Event.PhaseStarted(Instant.now(), "prepare", "Prepare the nodes"));
            for (String h : hosts) {
                events.on(new Event.StepChanged(Instant.now(), "prepare@" + h, "prepare", h, "Install packages",
                        StepStatus.RUNNING, null));
            }
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
                    return;
                }
            }
            for (String h : hosts) {
                events.on(new Event.StepChanged(Instant.now(), "prepare@" + h, "prepare", h, "Install packages",
                        StepStatus.DONE, null));
            }
            events.on(new Event.PhaseFinished(Instant.now(), "prepare", true));
            events.on(new Event.RunFinished(Instant.now(), true, List.of(), "/tmp/admin.conf"));
        }

        public void retry(String stepKey) {}

        public boolean canSkip(String stepKey) { return false; }

        public void skip(String stepKey) {}

        public void abort() {}
    }
}
