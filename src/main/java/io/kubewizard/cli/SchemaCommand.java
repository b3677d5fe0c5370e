package io.kubewizard.cli;

import io.kubewizard.answers.AnswersSchema;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** {@code kubewizard schema}: the answers file's JSON Schema, for editors; see docs/answers.md. */
@Command(name = "schema", header = "Print the JSON Schema of the answers file", description = "Print the JSON Schema (draft 2020-12) of the answers file. Saved answers "
        + "files point editors at " + AnswersSchema.FILE_NAME + " beside them: kubewizard schema > "
        + AnswersSchema.FILE_NAME)
final class SchemaCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getOut().print(AnswersSchema.json());
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }
}
