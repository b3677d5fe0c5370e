package io.kubewizard.cli;

import io.kubewizard.answers.Version;
import io.kubewizard.run.Executor;
import io.kubewizard.run.RunDirectory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * The command line: parses, delegates, maps failures to exit codes (ExitCodes). {@link #execute}
 * takes its streams, so tests run it in-process; only {@link #main} exits the JVM.
 */
public final class Main {

    public static void main(String[] args) {
        System.exit(new Main().execute(args, System.out, System.err));
    }

    public int execute(String[] args, PrintStream out, PrintStream err) {
        PrintWriter o = new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), true);
        PrintWriter e = new PrintWriter(new OutputStreamWriter(err, StandardCharsets.UTF_8), true);
        boolean interactive = out == System.out && System.console() != null;
        try {
            if (args.length == 0 && interactive) return wizard(e);
            return forArguments(o, e, interactive, args).execute(args);
        } finally {
            o.flush();
            e.flush();
        }
    }

    /**
     * {@code kubewizard} alone at a terminal: the wizard, as the root command opens it without
     * arguments, but without building the command tree first. picocli's classes are Java 5 class
     * files, which class-data sharing does not archive: parsing no arguments cost the first paint
     * about 200 ms of loading and verifying them (bench/StartupBenchmark).
     */
    private static int wizard(PrintWriter err) {
        try {
            return Kubewizard.wizard(new WizardCommand.Look(), new PresetsOption(), false);
        } catch (Exception ex) {
            return ErrorHandler.report(ex, err, false);
        }
    }

    /** The whole command tree with its handlers, writing to these streams, never opening the wizard. */
    static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        return commandLine(out, err, false);
    }

    /** @param interactive a person is at this process's terminal: the wizard may open (WizardCommand) */
    static CommandLine commandLine(PrintWriter out, PrintWriter err, boolean interactive) {
        return commandLine(out, err, interactive, null);
    }

    /**
     * The command line for these arguments: when the first names a command other than help and
     * completion (which read the whole tree), the root with that one command under it; for
     * {@code --version} alone, the root alone; else the whole tree (Tree). picocli builds a command's
     * model by reflection over its classes and annotations: all of them cost a validate about 40 of
     * its 180 ms before it read a byte (bench/StartupBenchmark). What a command parses, prints and
     * returns is the same either way; only the root's usage, an unknown command's suggestions and
     * help list the others, and those get the whole tree.
     */
    static CommandLine forArguments(PrintWriter out, PrintWriter err, boolean interactive, String[] args) {
        if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) {
            return commandLine(out, err, interactive, List.of());
        }
        if (args.length > 0) {
            for (Class<?> command : Tree.class.getAnnotation(Command.class).subcommands()) {
                String name = command.getAnnotation(Command.class).name();
                if (name.equals(args[0]) && !name.equals("help") && command != CompletionCommand.class) {
                    return commandLine(out, err, interactive, List.of(command));
                }
            }
        }
        return commandLine(out, err, interactive);
    }

    /** @param only the root with these commands only, or null for the whole tree */
    private static CommandLine commandLine(PrintWriter out, PrintWriter err, boolean interactive, List<Class<?>> only) {
        Kubewizard root = only == null ? new Tree() : new Kubewizard();
        root.interactive = interactive;
        CommandLine cl = new CommandLine(root);
        if (only != null) only.forEach(cl::addSubcommand);
        cl.setOut(out);
        cl.setErr(err);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        ErrorHandler handler = new ErrorHandler();
        cl.setExecutionExceptionHandler(handler);
        cl.setParameterExceptionHandler(handler);
        withoutHeader(cl);
        return cl;
    }

    /**
     * A command's header is its one-line summary: the NAME line of its man page (picocli's
     * ManPageGenerator, pom.xml) and its line in the root's command list. Its own --help starts with
     * the usage instead, its description saying the same at length.
     */
    private static void withoutHeader(CommandLine cl) {
        cl.getHelpSectionMap().remove(CommandLine.Model.UsageMessageSpec.SECTION_KEY_HEADER_HEADING);
        cl.getHelpSectionMap().remove(CommandLine.Model.UsageMessageSpec.SECTION_KEY_HEADER);
        cl.getSubcommands().values().forEach(Main::withoutHeader);
    }

    /**
     * The root with every command under it, in the order the root's usage lists them: what the man
     * pages (pom.xml), completion and help read. Kubewizard alone is the root without them
     * ({@link #forArguments}); picocli takes the root's attributes from both classes' annotations.
     */
    @Command(name = "kubewizard",
            subcommands = {ValidateCommand.class, RenderCommand.class, PlanCommand.class, CertsCommand.class,
                    ApplyCommand.class, UpgradeCommand.class, BackupCommand.class, RestoreCommand.class, VerifyCommand.class, PreflightCommand.class, ResetCommand.class, KubeconfigCommand.class, UserCommand.class, ImagesCommand.class, BundleCommand.class,
                    WizardCommand.class,
                    SchemaCommand.class,
                    CompletionCommand.class,
                    CommandLine.HelpCommand.class})
    static final class Tree extends Kubewizard {}

    @Command(name = "kubewizard", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = "Installs production Kubernetes clusters with kubeadm over SSH.",
            footer = {"", "Exit codes: 0 ok, 1 run failed, 2 invalid input, 3 refused for safety, 130 interrupted."})
    static class Kubewizard implements Callable<Integer> {
        /** Inherited by every subcommand; ErrorHandler reads it from the parse result, wherever it was given. */
        @Option(names = "--verbose", scope = ScopeType.INHERIT, description = "Show the stack trace of a failure, and write the SSH library's "
                + "debug log (key exchange, authentication, channels; secrets masked) into each host's log, "
                + "<run dir>/logs/<host>.log.")
        boolean verbose;
        @Mixin WizardCommand.Look look;
        @Mixin PresetsOption presets;
        @Spec CommandSpec spec;
        boolean interactive;

        /** Without a command: the wizard at a terminal, else the usage (see WizardCommand). */
        @Override
        public Integer call() throws CliException, java.io.IOException {
            if (interactive) return wizard(look, presets, verbose);
            spec.commandLine().usage(spec.commandLine().getOut());
            return ExitCodes.OK;
        }

        /** The wizard on this terminal, starting at Welcome, its state under ./.kubewizard. */
        static int wizard(WizardCommand.Look look, PresetsOption presets, boolean verbose) throws CliException, java.io.IOException {
            return WizardCommand.open(look, presets, null, new WizardEngine(RunEnvironment.system(),
                    Path.of(RunDirectory.DEFAULT_BASE), false, Executor.DEFAULT_CONCURRENCY, verbose));
        }
    }

    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"kubewizard " + Version.current()};
        }
    }
}
