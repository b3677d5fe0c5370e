package io.kubewizard.cli;

import io.kubewizard.answers.AnswersLoader;
import io.kubewizard.answers.Spec.ClusterSpec;
import io.kubewizard.console.Console;
import io.kubewizard.pki.PkiMaterial;
import io.kubewizard.plan.Plan;
import io.kubewizard.plan.Workflow;
import io.kubewizard.run.Engine;
import io.kubewizard.run.FakeCluster;
import io.kubewizard.run.RunDirectory;
import io.kubewizard.testsupport.Presets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code kubewizard upgrade} over fake hosts that answer the probe as a ha-stacked cluster at
 * 1.35.2: the order it runs, the snapshot it keeps, what a failed kubelet leaves, and the refusals
 * apply and upgrade make about versions.
 */
class UpgradeCommandTest {
    @TempDir Path tmp;

    static final String DRAIN = "--ignore-daemonsets --delete-emptydir-data --timeout=300s";

    Path state;
    Path answers;
    ClusterSpec applied;
    ClusterSpec target;

    void cluster(String to) throws Exception {
        state = tmp.resolve("state");
        String text = Presets.text("ha-stacked");
        applied = AnswersLoader.parse("applied.yaml", text).spec();
        answers = Files.writeString(tmp.resolve("answers.yaml"), text.replace("kubernetesVersion: 1.35.2",
                "kubernetesVersion: " + to));
        target = AnswersLoader.load(answers).spec();
        Path dir = RunDirectory.of(state, applied).path();
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("applied.yaml"), text);
    }

    FakeCluster hosts() {
        Plan upgrade = Engine.preview(Workflow.UPGRADE, target, RunDirectory.of(state, target), Set.of(), null).whole();
        FakeCluster hosts = new FakeCluster(target, upgrade).kubeadmWritesFiles();
        PreviewEqualityTest.answerAsInstalled(hosts, applied);
        hosts.put("cp1", "/var/lib/etcd/kubewizard-before-v1.36.1.db", "etcd snapshot bytes");
        return hosts;
    }

    CommandHarness.Result run(FakeCluster hosts, String... args) {
        java.io.StringWriter out = new java.io.StringWriter();
        java.io.StringWriter err = new java.io.StringWriter();
        picocli.CommandLine cl = Main.commandLine(new java.io.PrintWriter(out, true), new java.io.PrintWriter(err, true));
        RunEnvironment env = new RunEnvironment((s, accept, p) -> hosts, (plain, o) -> Console.lines(o, null, false),
                CommandHarness.CLOCK, d -> { });
        ((ApplyCommand) cl.getSubcommands().get("apply").getCommand()).env = env;
        ((ApplyCommand) cl.getSubcommands().get("upgrade").getCommand()).env = env;
        int code = cl.execute(args);
        return new CommandHarness.Result(code, out.toString(), err.toString());
    }

    static int at(List<FakeCluster.Call> calls, String host, String prefix) {
        for (int i = 0; i < calls.size(); i++) {
            FakeCluster.Call c = calls.get(i);
            if (c.host().equals(host) && c.kind().equals("exec") && c.text().startsWith(prefix)) return i;
        }
        throw new AssertionError("no call on " + host + " starting '" + prefix + "'");
    }

    @Test
    void upgradeRunsTheControlPlaneFirstThenEachNodeDrainedUpgradedAndUncordoned() throws Exception {
        cluster("1.36.1");
        FakeCluster hosts = hosts();
        CommandHarness.Result r = run(hosts, "upgrade", "-f", answers.toString(), "--state", state.toString(), "--plain");
        assertEquals(0, r.code(), r.out() + r.err());
        List<FakeCluster.Call> calls = hosts.calls();
        int apply = at(calls, "cp1", "kubeadm upgrade apply --config /etc/kubernetes/kubeadm/upgrade.yaml --yes");
        assertTrue(at(calls, "cp1", "kubeadm upgrade plan --config /etc/kubernetes/kubeadm/upgrade.yaml") < apply);
        assertTrue(apply < at(calls, "cp2", "kubeadm upgrade node"));
        assertTrue(at(calls, "cp2", "kubeadm upgrade node") < at(calls, "cp3", "kubeadm upgrade node"));
        for (String n : List.of("cp1", "cp2", "cp3", "worker1", "worker2")) {
            int drain = at(calls, "cp1", "kubectl --kubeconfig /etc/kubernetes/admin.conf drain " + n + " " + DRAIN);
            int kubelet = at(calls, n, "DEBIAN_FRONTEND=noninteractive apt-get install -y --allow-change-held-packages 'kubelet=1.36.1-*'");
            int uncordon = at(calls, "cp1", "kubectl --kubeconfig /etc/kubernetes/admin.conf uncordon " + n);
            assertTrue(apply < drain && drain < kubelet && kubelet < uncordon, n);
        }
        // one node at a time: cp2 is drained only once cp1 is uncordoned
        assertTrue(at(calls, "cp1", "kubectl --kubeconfig /etc/kubernetes/admin.conf uncordon cp1")
                < at(calls, "cp1", "kubectl --kubeconfig /etc/kubernetes/admin.conf drain cp2 " + DRAIN));
        // every drain was tried as a dry run before anything changed
        assertTrue(at(calls, "cp1", "kubectl --kubeconfig /etc/kubernetes/admin.conf drain worker2 --ignore-daemonsets "
                + "--delete-emptydir-data --dry-run=server") < at(calls, "cp1", "kubeadm upgrade plan"));
        Path run = RunDirectory.of(state, target).path();
        assertEquals("etcd snapshot bytes", Files.readString(run.resolve("fetched/cp1/var/lib/etcd/kubewizard-before-v1.36.1.db")));
        assertTrue(Files.readString(run.resolve("journal.ndjson")).contains("\"workflow\":\"upgrade\""));
        assertEquals(target.cluster().kubernetesVersion(), AnswersLoader.load(run.resolve("applied.yaml")).spec()
                .cluster().kubernetesVersion(), "the run directory records the version applied");
    }

    @Test
    void aKubeletThatFailsStopsTheUpgradeThereAndLeavesTheNodeUncordoned() throws Exception {
        cluster("1.36.1");
        FakeCluster hosts = hosts();
        hosts.fail("worker1", "systemctl restart kubelet", 1, "Job for kubelet.service failed\n");
        CommandHarness.Result r = run(hosts, "upgrade", "-f", answers.toString(), "--state", state.toString(), "--plain");
        assertEquals(1, r.code(), r.out());
        assertTrue(r.out().contains("  upgrade/v1.36.1/kubelet on worker1: systemctl exited 1: Job for kubelet.service failed\n"),
                r.out());
        assertTrue(r.out().endsWith("Fix the cause, then continue with: kubewizard upgrade -f " + answers + " --resume\n"), r.out());
        List<FakeCluster.Call> calls = hosts.calls();
        at(calls, "cp1", "kubectl --kubeconfig /etc/kubernetes/admin.conf uncordon worker1");
        assertFalse(calls.stream().anyMatch(c -> c.text().startsWith("kubectl --kubeconfig /etc/kubernetes/admin.conf drain worker2 "
                        + DRAIN)),
                "the next worker is not touched");
    }

    @Test
    void upgradeDryRunShowsTheLegsAndTouchesNothing() throws Exception {
        cluster("1.37.0");
        FakeCluster hosts = hosts();
        CommandHarness.Result r = run(hosts, "upgrade", "-f", answers.toString(), "--state", state.toString(), "--dry-run");
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("\nUpgrade:  1.35.2 → 1.36.1 → 1.37.0\n"), r.out());
        assertTrue(r.out().contains("  upgrade/v1.36.1/apply: Run kubeadm upgrade apply v1.36.1\n"), r.out());
        assertTrue(r.out().contains("  upgrade/v1.37.0/apply: Run kubeadm upgrade apply v1.37.0\n"), r.out());
        assertEquals(List.of(), hosts.calls());
    }

    @Test
    void applyOnAnOlderClusterPointsToUpgradeAndChangesNothing() throws Exception {
        cluster("1.36.1");
        FakeCluster hosts = hosts();
        CommandHarness.Result r = run(hosts, "apply", "-f", answers.toString(), "--state", state.toString(), "--plain");
        assertEquals(3, r.code(), r.out() + r.err());
        assertEquals("error: refused, and nothing was changed: the cluster runs Kubernetes 1.35.2 and the answers file asks "
                + "for 1.36.1: apply does not upgrade; run kubewizard upgrade with the same file\n", r.err());
        assertTrue(hosts.calls().stream().noneMatch(c -> c.kind().equals("upload")));
    }

    @Test
    void upgradeAtTheFilesVersionChangesNothingAndSaysSo() throws Exception {
        cluster("1.35.2");
        FakeCluster hosts = hosts();
        CommandHarness.Result r = run(hosts, "upgrade", "-f", answers.toString(), "--state", state.toString(), "--plain");
        assertEquals(0, r.code(), r.out() + r.err());
        assertEquals("warning: cluster 'ha-stacked' already runs Kubernetes 1.35.2: nothing to upgrade, nothing was changed\n",
                r.err());
        assertTrue(hosts.calls().stream().noneMatch(c -> c.kind().equals("upload") || c.text().startsWith("kubeadm upgrade")));
    }

    @Test
    void aDowngradeIsRefused() throws Exception {
        cluster("1.35.1");
        FakeCluster hosts = hosts();
        CommandHarness.Result r = run(hosts, "upgrade", "-f", answers.toString(), "--state", state.toString(), "--plain");
        assertEquals(3, r.code());
        assertEquals("error: refused, and nothing was changed: the cluster runs Kubernetes 1.35.2 and the answers file asks "
                + "for 1.35.1: kubewizard does not downgrade\n", r.err());
    }

    static PkiMaterial none() { return PkiMaterial.NONE; }
}
