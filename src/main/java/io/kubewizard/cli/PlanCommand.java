package io.kubewizard.cli;

import io.kubewizard.answers.AnswersLoader;
import io.kubewizard.answers.Spec.ClusterSpec;
import io.kubewizard.plan.Plan;
import io.kubewizard.plan.PlanJson;
import io.kubewizard.plan.PlanText;
import io.kubewizard.plan.Change;
import io.kubewizard.run.Engine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.Set;
import java.util.concurrent.Callable;

@Command(name = "plan", header = "Print the steps apply would run, touching nothing", description = "Print the ordered steps per host that apply would run, touching nothing.")
final class PlanCommand implements Callable<Integer> {
    @Mixin AnswersOption answers;
    @Mixin RunDirOption state;
    @Mixin ConnectionOptions connection;

    @Option(names = "--probe", description = "Probe the hosts first (read-only: facts, versions, the Nodes and etcd "
            + "members) and plan from what they say, instead of from the cluster as the last apply left it; reports "
            + "nodes no answers file names as unmanaged.")
    boolean probe;

    @Option(names = "--workflow", defaultValue = "apply", paramLabel = "apply|upgrade",
            description = "Which command's plan: apply (default: install, or bring an installed cluster to the file) "
            + "or upgrade.")
    String workflow;

    RunEnvironment env = RunEnvironment.system();
    @Mixin FormatOption output;
    @Spec CommandSpec spec;

    @Override
    public Integer call() throws CliException, java.io.IOException, InterruptedException {
        AnswersLoader.Result result = answers.loadValid(spec, output);
        if (result == null) return ExitCodes.INVALID_INPUT;
        PrintWriter out = spec.commandLine().getOut();
        ClusterSpec cluster = result.spec();
        // The one preview builder: the PKI as placeholders, the cluster as the last run left it. A plan
        // neither makes keys nor writes state.
        io.kubewizard.plan.Observed observed = null;
        if (probe) {
            try (io.kubewizard.console.Console console = env.consoles().open(true, spec.commandLine().getErr())) {
                observed = connection.engine(spec, env, cluster, console, new io.kubewizard.run.Masker(), java.util.List.of())
                        .observe(cluster, state.of(cluster));
            }
            for (var e : observed.hosts().entrySet()) {
                if (!e.getValue().reachable()) spec.commandLine().getErr().println("warning: " + e.getKey() + ": " + e.getValue().problem());
            }
        }
        io.kubewizard.plan.Workflow chosen = switch (workflow) {
            case "apply" -> null;
            case "upgrade" -> io.kubewizard.plan.Workflow.UPGRADE;
            default -> throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--workflow is apply or "
                    + "upgrade, not '" + workflow + "'");
        };
        Engine.Preview preview = Engine.preview(chosen, cluster, state.of(cluster), Set.of(), observed);
        Plan plan = preview.whole();
        int exit = plan.refusals().isEmpty() ? ExitCodes.OK : ExitCodes.REFUSED;
        if (output.json()) {
            out.print(PlanJson.format(new Plan(plan.cluster(), preview.plan().workflow(), plan.phases(), plan.change())));
            return exit;
        }
        int hosts = cluster.hosts().size();
        out.println("Plan for cluster '" + plan.cluster() + "' (" + preview.plan().workflow() + "): Kubernetes " + cluster.version()
                + " on " + hosts + " host" + (hosts == 1 ? "" : "s") + ". Nothing has been touched.");
        out.println();
        printChange(out, preview);
        out.print(PlanText.format(plan));
        out.println();
        out.println(plan.steps().size() + " steps in " + plan.phases().size() + " phases.");
        return exit;
    }

    /** Who joins, who leaves, who is unmanaged and what is refused: the change before its steps. */
    static void printChange(PrintWriter out, Engine.Preview preview) {
        Change c = preview.plan().change();
        if (preview.probed()) {
            out.println("Planned from the cluster as the probe found it just now" + (c.exists() ? "." : ": no cluster there yet."));
        } else if (preview.observed()) {
            out.println("Planned from the cluster as the last apply left it (apply probes the cluster first and plans "
                    + "from what it finds; plan --probe does too).");
        } else {
            out.println("No apply has run for this cluster here: planned as a new cluster.");
        }
        if (c.exists()) {
            out.println("Joins:    " + (c.joining().isEmpty() ? "none" : names(c.joining())));
        }
        if (!c.leaving().isEmpty()) {
            out.println("Removals: " + names(c.leaving()) + (c.forced().isEmpty() ? "" : " (--force-remove: "
                    + String.join(", ", c.forced()) + ")"));
        }
        for (String node : c.unmanaged()) out.println("Unmanaged: node " + node + " is in no answers file: left alone");
        if (!c.legs().isEmpty() && preview.plan().workflow().equals("upgrade")) {
            out.println("Upgrade:  " + c.current() + " → " + String.join(" → ", c.legs().stream().map(Object::toString).toList()));
        }
        for (String refusal : preview.plan().refusals()) out.println("Refused:  " + refusal);
        out.println();
    }

    private static String names(java.util.List<io.kubewizard.answers.Spec.Host> hosts) {
        return String.join(", ", hosts.stream().map(io.kubewizard.answers.Spec.Host::name).toList());
    }
}
