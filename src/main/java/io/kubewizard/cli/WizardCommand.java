package io.kubewizard.cli;

import io.kubewizard.answers.AnswersLoader;
import io.kubewizard.answers.Spec.ClusterSpec;
import io.kubewizard.run.Executor;
import io.kubewizard.tui.Messages;
import io.kubewizard.tui.Wizard;
import io.kubewizard.tui.WizardOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code kubewizard wizard [-f FILE|PRESET]}: the full-screen wizard, pre-filled when given answers.
 * {@code kubewizard} alone opens it too (see {@link Main}).
 *
 * <p>The wizard needs a person at a terminal: it opens only when kubewizard writes to the process's
 * own standard output and both standard input and output are terminals ({@link System#console()}).
 * Otherwise {@code kubewizard} alone prints the usage and exits 0 (so scripts and pipes never hang on
 * a screen nobody sees), and {@code kubewizard wizard} says why and exits 2.
 */
@Command(name = "wizard", header = "Open the full-screen wizard", description = "Open the full-screen wizard, pre-filled from an answers file or preset.")
final class WizardCommand implements Callable<Integer> {
    /** --theme and --lang, for both {@code kubewizard} and {@code kubewizard wizard}. */
    static final class Look {
        @Option(names = "--theme", paramLabel = "NAME",
                description = "Colours from themes/NAME.properties: dark (default), light, high-contrast, monochrome. "
                        + "NO_COLOR set means monochrome unless a theme is named.")
        String theme;
        @Option(names = "--lang", paramLabel = "LANG",
                description = "The wizard's language: en or ko. Default: from LC_ALL, LC_MESSAGES or LANG.")
        String lang;
    }

    @Option(names = {"-f", "--file"}, paramLabel = "FILE|PRESET",
            description = "Start from this answers file, or a preset: built in (single-node, ha-stacked, "
                    + "ha-external-etcd), or of --presets DIR or the installation's presets/ directory.")
    String file;
    @Mixin Look look;
    @Mixin PresetsOption presets;
    @Mixin RunDirOption state;
    @Option(names = "--accept-new-host-keys",
            description = "Record host keys not yet in known_hosts without asking (Install and Test connection); "
                    + "without it the wizard asks in a dialog showing the key's SHA256 fingerprint. A changed key is "
                    + "refused regardless.")
    boolean acceptNewHostKeys;
    @ParentCommand Main.Kubewizard parent;
    @Spec CommandSpec spec;

    @Override
    public Integer call() throws CliException, IOException {
        if (!parent.interactive) {
            throw new CliException(ExitCodes.INVALID_INPUT, "the wizard needs a terminal (standard input and output); "
                    + "in scripts use validate, render or plan");
        }
        return open(look, presets, file, new WizardEngine(RunEnvironment.system(), state.base, acceptNewHostKeys,
                Executor.DEFAULT_CONCURRENCY, ErrorHandler.verbose(spec.root().commandLine().getParseResult())));
    }

    /**
     * Opens the wizard on this process's terminal, pre-filled from {@code argument} when it is not null,
     * installing and testing connections through {@code engine}.
     */
    static int open(Look look, PresetsOption presetsOption, String argument, WizardEngine engine)
            throws CliException, IOException {
        io.kubewizard.answers.PresetCatalog catalog = presetsOption.catalog();
        ClusterSpec initial = null;
        Path userFile = null;
        String preset = null;
        if (argument != null) {
            Presets.Resolved resolved = Presets.resolve(argument, catalog);
            AnswersLoader.Result result = resolved.load();
            if (result.spec() == null) {
                throw new CliException(ExitCodes.INVALID_INPUT, result.problems().get(0).toString());
            }
            // an unknown key or a wrong type has no page to be marked on: say so, as validate does
            List<String> fileErrors = result.problems().stream().filter(io.kubewizard.answers.Problem::isFileError)
                    .map(Object::toString).toList();
            if (!fileErrors.isEmpty()) {
                throw new CliException(ExitCodes.INVALID_INPUT, String.join("\nerror: ", fileErrors));
            }
            // a file with errors still opens: each error is marked on its page
            initial = result.spec();
            if (resolved.userFile()) userFile = resolved.file().toAbsolutePath().normalize();
            else preset = argument;
        }
        Path presets = catalog.directory();
        Path themes = Presets.themes();
        Map<String, String> env = System.getenv();
        Locale locale = look.lang != null ? Messages.parseLocale(look.lang) : Messages.fromEnvironment(env);
        String noColor = env.get("NO_COLOR");
        WizardOptions options = WizardOptions.of(locale, themes, presets, Path.of(System.getProperty("user.home")),
                        Path.of("").toAbsolutePath())
                .withTheme(look.theme, noColor != null && !noColor.isEmpty())
                .withInitial(initial, userFile).withPreset(preset).withInstaller(engine).withTester(engine)
                .withStateBase(engine.stateBase());
        try {
            Wizard.run(options);
        } catch (IllegalArgumentException unknownTheme) {
            throw new CliException(ExitCodes.INVALID_INPUT, unknownTheme.getMessage());
        }
        return ExitCodes.OK;
    }
}
