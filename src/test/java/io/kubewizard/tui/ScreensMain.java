package io.kubewizard.tui;

import io.kubewizard.answers.AnswersLoader;
import io.kubewizard.answers.Spec.ClusterSpec;
import io.kubewizard.run.Event;
import io.kubewizard.run.Event.StepStatus;
import io.kubewizard.run.TransportFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * Test-only entry point for {@link ScreensTmuxSystemTest}'s Run and Finish screens: the real wizard on
 * the real terminal, pre-filled with the ha-stacked preset, whose Install starts a scripted engine with
 * the same output every time. It reports one phase running on the five hosts with {@value #LINES}
 * lines of log spread over them, waits until the file {@code GO} exists, then reports every step
 * done and the run finished with the kubeconfig at /tmp/admin.conf.
 * Usage: ScreensMain ROOT GO
 */
public final class ScreensMain {
    static final int LINES = 480;

    private ScreensMain() {}

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[0]);
        Path go = Path.of(args[1]);
        ClusterSpec spec = AnswersLoader.load(root.resolve("presets/ha-stacked.yaml")).spec();
        WizardOptions options = WizardOptions.of(Locale.ENGLISH, root.resolve("themes"), root.resolve("presets"),
                Path.of(System.getProperty("user.home")), Path.of("").toAbsolutePath())
                .withInitial(spec, null).withInstaller(new Scripted(go));
        Wizard.run(options);
    }

    static final class Scripted implements Installer, Installer.RunControl {
        private final Path go;

        Scripted(Path go) {
            this.go = go;
        }

        @Override
        public RunControl start(ClusterSpec spec, io.kubewizard.run.RunDirectory dir, Event.Listener events,
                                TransportFactory.Prompter prompter) {
            List<String> hosts = spec.hosts().stream().map(h -> h.name()).toList();
            Thread t = new Thread(() -> run(hosts, events), "screens-run");
            t.setDaemon(true);
            t.start();
            return this;
        }

        @Override
        public Live observe(ClusterSpec spec, io.kubewizard.run.RunDirectory dir, TransportFactory.Prompter prompter) {
            return Live.failed("the scripted engine reads no cluster");
        }

        private void run(List<String> hosts, Event.Listener events) {
            events.on(new Event.RunStarted(Instant.now(), "ha-stacked", List.of("prepare"), hosts, false));
            events.on(new Event.PhaseStarted(Instant.now(), "prepare", "Prepare the nodes"));
            for (String h : hosts) {
                events.on(new Event.StepChanged(Instant.now(), "prepare@" + h, "prepare", h, "Install packages",
                        StepStatus.RUNNING, null));
            }
            for (int i = 0; i < LINES; i++) {
                String host = hosts.get(i % hosts.size());
                events.on(new Event.Output(Instant.now(), host, "prepare@" + host, "Unpacking package " + i + " of "
                        + LINES + " (libexample-" + i + ") over the previous version ...", false));
            }
            try {
                while (!Files.exists(go)) Thread.sleep(20);
            } catch (InterruptedException e) {
                return;
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
