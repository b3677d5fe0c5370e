package io.kubewizard.tui;

import io.kubewizard.answers.AnswersLoader;
import io.kubewizard.answers.Spec.ClusterSpec;
import io.kubewizard.run.Event;

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

    /** {@value #LINES} lines spread over the hosts, then a wait until the file {@code go} exists. */
    static final class Scripted extends ScriptedInstaller {
        private final Path go;

        Scripted(Path go) {
            super("screens-run");
            this.go = go;
        }

        @Override
        boolean output(List<String> hosts, Event.Listener events) {
            for (int i = 0; i < LINES; i++) {
                String host = hosts.get(i % hosts.size());
                events.on(new Event.Output(Instant.now(), host, "prepare@" + host, "Unpacking package " + i + " of "
                        + LINES + " (libexample-" + i + ") over the previous version ...", false));
            }
            try {
                while (!Files.exists(go)) Thread.sleep(20);
                return true;
            } catch (InterruptedException e) {
                return false;
            }
        }
    }
}
