package io.kubewizard.cli;

import io.kubewizard.answers.AnswersLoader;
import io.kubewizard.pki.ClusterPki;
import io.kubewizard.answers.Spec.ClusterSpec;
import io.kubewizard.plan.Plan;
import io.kubewizard.plan.PlanJson;
import io.kubewizard.plan.PlanText;
import io.kubewizard.render.Render;
import io.kubewizard.render.Secrets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

@Command(name = "plan", description = "Print the ordered steps per host that apply would run, touching nothing.")
final class PlanCommand implements Callable<Integer> {
    enum Format { TEXT, JSON }

    @Mixin AnswersOption answers;
    @Option(names = "--format", defaultValue = "text", paramLabel = "text|json",
            description = "text for people (default), json for programs.")
    Format format;
    @Spec CommandSpec spec;

    @Override
    public Integer call() throws CliException {
        AnswersLoader.Result result = answers.loadValid(spec);
        if (result == null) return ExitCodes.INVALID_INPUT;
        PrintWriter out = spec.commandLine().getOut();
        ClusterSpec cluster = result.spec();
        // The PKI kubewizard will place, as placeholders: a plan neither makes keys nor writes state.
        Plan plan = Plan.build(cluster, Render.render(cluster, Secrets.MASKED, ClusterPki.preview(cluster)));
        if (format == Format.JSON) {
            out.print(PlanJson.format(plan));
            return ExitCodes.OK;
        }
        int hosts = cluster.hosts().size();
        out.println("Plan for cluster '" + plan.cluster() + "': Kubernetes " + cluster.version() + " on " + hosts
                + " host" + (hosts == 1 ? "" : "s") + ". Nothing has been touched.");
        out.println();
        out.print(PlanText.format(plan));
        out.println();
        out.println(plan.steps().size() + " steps in " + plan.phases().size() + " phases.");
        return ExitCodes.OK;
    }
}
