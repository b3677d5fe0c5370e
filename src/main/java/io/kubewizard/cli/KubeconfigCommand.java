package io.kubewizard.cli;

import io.kubewizard.answers.AnswersLoader;
import io.kubewizard.answers.Spec.ClusterSpec;
import io.kubewizard.run.Kubeconfigs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "kubeconfig", header = "Write the cluster's admin kubeconfig to a file", mixinStandardHelpOptions = true,
        description = "Write the cluster's admin kubeconfig, fetched by apply, to a file (0600), "
        + "its context named after the cluster.")
final class KubeconfigCommand implements Callable<Integer> {
    @Mixin AnswersOption answers;
    @Mixin RunDirOption state;
    @Spec CommandSpec spec;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE", description = "Where to write it.")
    Path output;

    @Override
    public Integer call() throws CliException, IOException {
        AnswersLoader.Result result = answers.loadValid(spec);
        if (result == null) return ExitCodes.INVALID_INPUT;
        ClusterSpec cluster = result.spec();
        Path fetched = Kubeconfigs.fetched(state.of(cluster).path());
        try {
            Kubeconfigs.copy(fetched, cluster.cluster().name(), output);
        } catch (NoSuchFileException e) {
            if (!fetched.toString().equals(e.getFile())) throw e;
            throw new CliException(ExitCodes.RUN_FAILED, "cluster '" + cluster.cluster().name() + "' has no admin "
                    + "kubeconfig yet (" + fetched + " does not exist): apply fetches it as its last step", e);
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCodes.RUN_FAILED, fetched + " is not a usable kubeconfig: " + e.getMessage(), e);
        }
        spec.commandLine().getOut().println("Wrote " + output + " (context " + cluster.cluster().name() + ").");
        return ExitCodes.OK;
    }
}
