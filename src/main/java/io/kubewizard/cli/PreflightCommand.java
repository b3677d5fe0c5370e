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

@Command(name = "preflight", header = "Check every host before the install, changing nothing", mixinStandardHelpOptions = true,
        description = "Connect to every host, gather facts and check them (CPUs, memory, swap, "
        + "ports, ip_forward, programs; unique hostnames, MAC addresses and product_uuids; that each host reaches the "
        + "mirrors the answers name), changing nothing. Prints "
        + "a table per host (--format json: one JSON document, docs/json-output.md). Exit 0 when every check passes, 1 when "
        + "one fails.")
final class PreflightCommand implements Callable<Integer> {
    @Mixin AnswersOption answers;
    @Mixin RunDirOption state;
    @Mixin ConnectionOptions connection;
    @Mixin FormatOption output;
    @Spec CommandSpec spec;

    RunEnvironment env = RunEnvironment.system();

    @Override
    public Integer call() throws CliException, IOException, InterruptedException {
        AnswersLoader.Result result = answers.loadValid(spec, output);
        if (result == null) return ExitCodes.INVALID_INPUT;
        ClusterSpec cluster = result.spec();
        String expiry = io.kubewizard.run.ExpiryRecord.warning(state.of(cluster), env.clock().instant());
        if (expiry != null) spec.commandLine().getErr().println("warning: " + expiry);
        // under --format json stdout holds the document alone; the progress goes to stderr, as lines
        try (Console console = output.json() ? env.consoles().open(true, spec.commandLine().getErr())
                : env.consoles().open(connection.plain, spec.commandLine().getOut())) {
            Executor.Result run = connection.engine(spec, env, cluster, console, new Masker(), List.of())
                    .preflight(cluster, state.of(cluster));
            if (output.json()) {
                java.util.Map<String, Object> doc = Preflight.json(cluster, run, Engine.unmanaged(cluster, state.of(cluster), run));
                spec.commandLine().getOut().print(io.kubewizard.plan.PlanJson.pretty(doc));
                spec.commandLine().getOut().flush();
                if (run.refused()) return ExitCodes.REFUSED;
                return Boolean.TRUE.equals(doc.get("passed")) ? ExitCodes.OK : ExitCodes.RUN_FAILED;
            }
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
