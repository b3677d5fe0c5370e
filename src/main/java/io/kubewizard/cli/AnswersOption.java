package io.kubewizard.cli;

import io.kubewizard.answers.AnswersLoader;
import io.kubewizard.answers.Problem;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

import io.kubewizard.plan.PlanJson;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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

    /** What {@code -f} names, as problems name it: the file, or the preset's label (a built-in one has no file). */
    Path path() throws CliException {
        Presets.Resolved r = resolve();
        return r.file() != null ? r.file() : Path.of(r.preset().label());
    }

    /**
     * Loads the file; one with errors is refused (null) after every problem is listed as
     * {@code validate} lists them. Warnings of an accepted file go to stderr, so stdout keeps only
     * the command's own output.
     */
    AnswersLoader.Result loadValid(CommandSpec command) throws CliException {
        return loadValid(command, null);
    }

    /** As {@link #loadValid(CommandSpec)}; under {@code --format json} the problems are validate's JSON document. */
    AnswersLoader.Result loadValid(CommandSpec command, FormatOption output) throws CliException {
        Path path = path();
        AnswersLoader.Result result = load();
        if (result.hasErrors()) {
            if (output != null && output.json()) command.commandLine().getOut().print(PlanJson.pretty(problemsJson(path, result.problems())));
            else printProblems(result.problems(), command.commandLine().getOut());
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

    /**
     * validate's JSON document (docs/json-output.md): the file, whether it is valid, the counts, then every
     * problem in the order {@link #printProblems} lists them (errors first, each group in file order).
     */
    static Map<String, Object> problemsJson(Path file, List<Problem> problems) {
        List<Problem> errors = problems.stream().filter(Problem::isError).toList();
        List<Problem> warnings = problems.stream().filter(p -> !p.isError()).toList();
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("file", file.toString());
        doc.put("valid", errors.isEmpty());
        doc.put("errors", errors.size());
        doc.put("warnings", warnings.size());
        List<Object> list = new ArrayList<>();
        for (Problem p : errors) list.add(problemJson(p));
        for (Problem p : warnings) list.add(problemJson(p));
        doc.put("problems", list);
        return doc;
    }

    /** One problem: where (null for a problem no line holds), which field, its stable code, and its text. */
    static Map<String, Object> problemJson(Problem p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("severity", p.isError() ? "error" : "warning");
        m.put("file", p.location() == null ? null : p.location().file());
        m.put("line", p.location() == null ? null : p.location().line());
        m.put("column", p.location() == null ? null : p.location().column());
        m.put("field", p.field() == null || p.field().isEmpty() ? null : p.field());
        m.put("code", p.code());
        m.put("message", p.message());
        return m;
    }

    private static String count(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
