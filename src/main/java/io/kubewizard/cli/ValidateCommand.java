package io.kubewizard.cli;

import io.kubewizard.answers.AnswersLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

@Command(name = "validate", header = "Check an answers file", description = "Check an answers file: every problem with file:line:col, then a count. "
        + "Exit 0 when there is no error (warnings alone pass), 2 otherwise. --format json: the same problems as "
        + "one JSON document (docs/json-output.md).")
final class ValidateCommand implements Callable<Integer> {
    @Mixin AnswersOption answers;
    @Mixin FormatOption output;
    @Spec CommandSpec spec;

    @Override
    public Integer call() throws CliException {
        java.nio.file.Path path = answers.path();
        AnswersLoader.Result result = answers.load();
        if (output.json()) {
            spec.commandLine().getOut().print(io.kubewizard.plan.PlanJson.pretty(AnswersOption.problemsJson(path, result.problems())));
        } else {
            AnswersOption.printProblems(result.problems(), spec.commandLine().getOut());
        }
        return result.hasErrors() ? ExitCodes.INVALID_INPUT : ExitCodes.OK;
    }
}
