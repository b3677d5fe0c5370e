package io.kubewizard.cli;

import io.kubewizard.answers.AnswersLoader;
import io.kubewizard.bundle.Bundle;
import io.kubewizard.bundle.Http;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "bundle", header = "Assemble an offline bundle for an air-gapped install", description = "Assembles an offline bundle in DIR for the answers: the images (one OCI "
        + "archive per image and arch) and downloads, from the mirrors when set, and manifest.yaml with every file's sha256.")
final class BundleCommand implements Callable<Integer> {
    @Mixin AnswersOption answers;
    @Option(names = {"-o", "--output"}, required = true, paramLabel = "DIR", description = "The bundle directory.")
    Path output;
    @Spec CommandSpec spec;

    @Override
    public Integer call() throws CliException {
        AnswersLoader.Result result = answers.loadValid(spec);
        if (result == null) return ExitCodes.INVALID_INPUT;
        PrintWriter out = spec.commandLine().getOut();
        try {
            List<Bundle.Entry> entries = new Bundle(new Http()).assemble(result.spec(), output);
            entries.forEach(e -> out.println(e.sha256() + "  " + e.path()));
            out.println("manifest.yaml sha256 " + Bundle.sha256(output.resolve("manifest.yaml")));
        } catch (Bundle.BundleException e) {
            throw new CliException(ExitCodes.RUN_FAILED, "bundle: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new CliException(ExitCodes.RUN_FAILED, "cannot write the bundle into " + output + ": " + IoMessages.describe(e), e);
        }
        out.flush();
        return ExitCodes.OK;
    }
}
