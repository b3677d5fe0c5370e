package io.kubewizard.cli;

import io.kubewizard.answers.AnswersLoader;
import io.kubewizard.answers.Spec.ClusterSpec;
import io.kubewizard.console.Console;
import io.kubewizard.run.Engine;
import io.kubewizard.run.Executor;
import io.kubewizard.run.Masker;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "reset", header = "Destroy the cluster: kubeadm reset on every host", mixinStandardHelpOptions = true,
        description = "Destroy the cluster: kubeadm reset -f on every host, then remove the files "
        + "kubewizard wrote there and the run's journal and kubeconfig. Packages stay installed. Asks first; "
        + "without a terminal it needs --yes (exit 3 otherwise).")
final class ResetCommand implements Callable<Integer> {
    @Mixin AnswersOption answers;
    @Mixin RunDirOption state;
    @Mixin ConnectionOptions connection;
    @Spec CommandSpec spec;

    @Option(names = "--yes", description = "Do not ask: reset at once.")
    boolean yes;

    RunEnvironment env = RunEnvironment.system();

    @Override
    public Integer call() throws CliException, IOException, InterruptedException {
        AnswersLoader.Result result = answers.loadValid(spec);
        if (result == null) return ExitCodes.INVALID_INPUT;
        ClusterSpec cluster = result.spec();
        String name = cluster.cluster().name();
        try (Console console = env.consoles().open(connection.plain, spec.commandLine().getOut())) {
            if (!yes) {
                if (!console.interactive()) {
                    throw new CliException(ExitCodes.REFUSED, "reset destroys cluster '" + name + "' and must be "
                            + "confirmed: run it on a terminal, or add --yes");
                }
                if (!console.prompter().confirm("Reset destroys cluster '" + name + "': kubeadm reset -f on "
                        + ApplyCommand.hosts(cluster) + ", and kubewizard's files removed. Reset?")) {
                    throw new CliException(ExitCodes.REFUSED, "reset was not confirmed: nothing was changed");
                }
            }
            Executor.Result run;
            try {
                run = connection.engine(spec, env, cluster, console, new Masker(), List.of()).reset(cluster, state.of(cluster));
            } catch (Engine.RefusedException e) {
                throw ConnectionOptions.refused(e);
            }
            console.out().println(run.ok() ? "Cluster '" + name + "' is reset; its journal, kubeconfig and records moved to "
                    + state.of(cluster).path().resolve("history") + "."
                    : "Reset did not finish: fix the cause and run reset again.");
            console.out().flush();
            return ConnectionOptions.exitCode(run);
        }
    }
}
