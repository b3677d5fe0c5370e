package io.kubewizard.cli;

import io.kubewizard.answers.AnswersLoader;
import io.kubewizard.answers.Problem;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.List;

/** {@code -f FILE|PRESET}, shared by every command that reads an answers file. */
final class AnswersOption {
    @Option(names = {"-f", "--file"}, required = true, paramLabel = "FILE|PRESET",
            description = "The answers file, or a preset: built in (single-node, ha-stacked, ha-external-etcd), "
                    + "or of --presets DIR or the installation's presets/ directory.")
    String file;
    @Mixin PresetsOption presets = new PresetsOption();

    Presets.Resolved resolve() throws CliException { return Presets.resolve(file, presets.catalog()); }

    AnswersLoader.Result load() throws CliException {
        return resolve().load();
    }

    /**
     * Loads the file; one with errors is refused (null) after every problem is listed as
     * {@code validate} lists them. Warnings of an accepted file go to stderr, so stdout keeps only
     * the command's own output.
     */
    AnswersLoader.Result loadValid(CommandSpec command) throws CliException {
        AnswersLoader.Result result = load();
        if (result.hasErrors()) {
            printProblems(result.problems(), command.commandLine().getOut());
            return null;
        }
        result.warnings().forEach(w -> command.commandLine().getErr().println("warning: " + w));
        return result;
    }

    /**
     * Errors apart from warnings (errors first: they are what blocks), each group in file order and
     * each line marked, then the count: the form CI logs and editors understand.
     */
    static void printProblems(List<Problem> problems, PrintWriter out) {
        List<Problem> errors = problems.stream().filter(Problem::isError).toList();
        List<Problem> warnings = problems.stream().filter(p -> !p.isError()).toList();
        errors.forEach(p -> out.println("error: " + p));
        warnings.forEach(p -> out.println("warning: " + p));
        out.println(count(errors.size(), "error") + ", " + count(warnings.size(), "warning"));
    }

    private static String count(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
