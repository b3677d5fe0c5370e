package io.kubewizard.cli;

import io.kubewizard.answers.AnswersLoader;
import io.kubewizard.answers.Spec.ClusterSpec;
import io.kubewizard.console.Console;
import io.kubewizard.run.Engine;
import io.kubewizard.run.Executor;
import io.kubewizard.run.Masker;
import io.kubewizard.run.Preflight;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "preflight", mixinStandardHelpOptions = true,
        description = "Connect to every host, gather facts and check them (CPUs, memory, swap, "
        + "ports, ip_forward, programs; unique hostnames, MAC addresses and product_uuids), changing nothing. Prints "
        + "a table per host. Exit 0 when every check passes, 1 when one fails.")
final class PreflightCommand implements Callable<Integer> {
    @Mixin AnswersOption answers;
    @Mixin RunDirOption state;
    @Mixin ConnectionOptions connection;
    @Spec CommandSpec spec;

    RunEnvironment env = RunEnvironment.system();

    @Override
    public Integer call() throws CliException, IOException, InterruptedException {
        AnswersLoader.Result result = answers.loadValid(spec);
        if (result == null) return ExitCodes.INVALID_INPUT;
        ClusterSpec cluster = result.spec();
        String expiry = io.kubewizard.run.ExpiryRecord.warning(state.of(cluster), env.clock().instant());
        if (expiry != null) spec.commandLine().getErr().println("warning: " + expiry);
        try (Console console = env.consoles().open(connection.plain, spec.commandLine().getOut())) {
            Executor.Result run = connection.engine(spec, env, cluster, console, new Masker(), List.of())
                    .preflight(cluster, state.of(cluster));
            String table = Preflight.table(cluster, run);
            PrintWriter out = console.out();
            out.println();
            out.print(table);
            for (String node : Engine.unmanaged(cluster, state.of(cluster), run)) {
                out.println("unmanaged: node " + node + " is in the cluster but in no answers file: left alone");
            }
            boolean failed = !run.ok() || Preflight.failed(table);
            out.println(failed ? "Preflight found problems. Nothing was changed." : "Every check passed. Nothing was changed.");
            out.flush();
            if (run.refused()) return ExitCodes.REFUSED;
            return failed ? ExitCodes.RUN_FAILED : ExitCodes.OK;
        }
    }
}
