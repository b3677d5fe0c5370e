package io.kubewizard.cli;

import io.kubewizard.run.TransportFactory;
import io.kubewizard.tui.Wizard;
import io.kubewizard.tui.WizardOptions;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The build's class-data-sharing training run (pom.xml, after the jar is made): started with
 * {@code -XX:DumpLoadedClassList}, it does what starts do, so the static archive made from that list
 * holds their classes. It paints the wizard's Welcome page into an in-memory terminal (no terminal
 * needed), loads what a real terminal adds to that (the Unix terminal, its key decoder, the one
 * process that sets the terminal up: {@link Wizard#loadRealTerminalClasses}), then validates
 * and plans a preset and prints the version through the command line, output discarded; the plan
 * is the offline one, it reaches no host; and it makes and closes the SSH client apply starts
 * with. Not a command: users never see it.
 */
public final class Training {
    private Training() {}

    public static void main(String[] args) throws IOException {
        Path presets = Presets.directory();
        Path themes = Presets.themes();
        Path work = Path.of("").toAbsolutePath();
        WizardOptions options = WizardOptions.of(Locale.ENGLISH, themes, presets,
                Path.of(System.getProperty("user.home")), work).withTheme(null, false);
        Wizard.paintOffscreen(options, 100, 30);
        Wizard.loadRealTerminalClasses();
        try {
            new ProcessBuilder("true").redirectErrorStream(true).start().waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // An SSH client made and closed, connecting nowhere: the security providers it registers (Bouncy
        // Castle's is made afresh, with all its algorithms) were about 0.5 s of every apply before its first
        // connection, mostly classes loaded from the jar.
        try {
            TransportFactory ssh = Transports.SSH.open(null, false, TransportFactory.Prompter.NON_INTERACTIVE);
            if (ssh instanceof AutoCloseable c) c.close();
        } catch (Exception e) {
            throw new IllegalStateException("training run: the SSH client", e);
        }
        PrintStream discard = new PrintStream(OutputStream.nullOutputStream());
        Main main = new Main();
        int[] codes = {
                main.execute(new String[] {"--version"}, discard, discard),
                main.execute(new String[] {"validate", "-f", "ha-stacked"}, discard, discard),
                main.execute(new String[] {"plan", "-f", "ha-stacked"}, discard, discard),
        };
        for (int code : codes) {
            // a training run that failed would archive the classes of an error path: the build says so
            if (code != ExitCodes.OK) throw new IllegalStateException("training run: exit " + code);
        }
    }
}
