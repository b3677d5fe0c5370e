package io.kubewizard.cli;

import io.kubewizard.answers.Spec.ClusterSpec;
import io.kubewizard.answers.Spec.Host;
import io.kubewizard.plan.Json;
import io.kubewizard.plan.Workflow;
import io.kubewizard.run.Engine;
import io.kubewizard.run.RunDirectory;
import io.kubewizard.run.VerifyReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.List;

/**
 * {@code kubewizard verify}: the verify phase every changing command ends with, run on its own
 * (probe, plan, run, journal, as apply), its results printed as a table or as JSON. Nothing changes on
 * the cluster but the test namespace, which is deleted again however the checks went.
 */
@Command(name = "verify", header = "Prove the cluster works", mixinStandardHelpOptions = true,
        description = "Prove the cluster works: nodes Ready with the answers' kubelet version, roles, zones and taints; "
        + "every kube-system pod Ready; etcd healthy; the earliest certificate expiry; and from a test pod on every node "
        + "(the e2e agnhost image from the cluster's image repository): DNS, pod-to-pod traffic across nodes, a ClusterIP "
        + "Service, a NodePort; and a privileged pod refused under the cluster's Pod Security enforce level. The test "
        + "namespace " + io.kubewizard.render.VerifyManifests.NAMESPACE + " is deleted afterwards, also on failure. "
        + "Exit 0 when every check passed, 1 when one failed (named with its node).")
final class VerifyCommand extends ApplyCommand {
    @Option(names = "--format", paramLabel = "text|json", description = "The results as a table (default) or as JSON "
            + "on standard output; with json the progress goes to standard error.")
    String format = "text";

    @Option(names = "--node-conformance", paramLabel = "NODE", description = "Also run the node conformance test "
            + "container (node-test, from the cluster's image repository) on NODE with its documented mounts, and fetch "
            + "its results into the run directory's node-conformance/NODE/. containerd and Docker only.")
    String nodeConformance;

    @Override
    String nodeConformance() { return nodeConformance; }

    @Override
    void checkSpec(ClusterSpec cluster) throws CliException {
        if (nodeConformance == null) return;
        List<String> hosts = cluster.hosts().stream().map(Host::name).toList();
        if (!hosts.contains(nodeConformance)) {
            throw new CliException(ExitCodes.INVALID_INPUT, "--node-conformance: '" + nodeConformance
                    + "' is not a host of the answers file (its hosts: " + String.join(", ", hosts) + ")");
        }
        if (cluster.runtime().type() == io.kubewizard.answers.Spec.RuntimeType.CRI_O) {
            throw new CliException(ExitCodes.INVALID_INPUT, "--node-conformance needs a container CLI on the node "
                    + "(ctr for containerd, docker for Docker); the runtime cri-o has none. Nothing was run");
        }
    }

    @Override
    Workflow workflow() { return Workflow.VERIFY; }

    @Override
    String verb() { return "verify"; }

    @Override
    String question(ClusterSpec cluster) { return null; }

    @Override
    void checkOptions() throws CliException {
        if (!format.equals("text") && !format.equals("json")) {
            throw new CliException(ExitCodes.INVALID_INPUT, "--format must be text or json, not '" + format + "'");
        }
    }

    @Override
    PrintWriter progress() {
        return format.equals("json") ? spec.commandLine().getErr() : spec.commandLine().getOut();
    }

    @Override
    void ended(Engine.Outcome outcome, ClusterSpec cluster, RunDirectory dir) {
        List<VerifyReport.Row> rows = VerifyReport.rows(outcome.plan(), outcome.result(),
                cluster.hosts().stream().map(Host::name).toList(), env.clock().instant(), dir.path());
        if (rows.isEmpty()) return;
        PrintWriter out = spec.commandLine().getOut();
        if (format.equals("json")) out.println(Json.write(VerifyReport.json(cluster.cluster().name(), rows)));
        else out.print(VerifyReport.text(cluster.cluster().name(), rows));
        out.flush();
    }
}
