package io.kubewizard.plan;

import io.kubewizard.answers.Spec.ClusterSpec;
import io.kubewizard.answers.Spec.Host;
import io.kubewizard.pki.PkiMaterial;
import io.kubewizard.plan.Observed.HostState;
import io.kubewizard.plan.Observed.NodeReport;
import io.kubewizard.plan.Observed.NodeView;
import io.kubewizard.plan.Observed.PodView;
import io.kubewizard.render.RenderedFile;
import io.kubewizard.run.Engine;
import io.kubewizard.run.RunRecord;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Upgrade plans from recorded cluster states: one minor for 3 control planes and 3 workers, the
 * chain across two minors, a patch-only upgrade, worker batches, and every refusal. Golden texts
 * in src/test/resources/golden/plans (-Dgolden.update=true rewrites them).
 */
class UpgradePlanTest {
    static final String WORKER3 = ScalePlanTest.WORKER3;

    static String at(String text, String version) {
        return text.replace("kubernetesVersion: 1.35.2", "kubernetesVersion: " + version);
    }

    /** ha-stacked with a third worker, the answers at {@code version}. */
    static ClusterSpec cluster(String version) {
        return ScalePlanTest.spec(at(ScalePlanTest.text("ha-stacked") + WORKER3, version));
    }

    static Observed running(ClusterSpec applied, String version) {
        return RunRecord.assumed(applied, applied.hosts(), version);
    }

    static Plan upgrade(ClusterSpec spec, Observed observed, ClusterSpec applied) {
        return Engine.plan(Workflow.UPGRADE, spec, PkiMaterial.NONE,
                new Plan.Inputs(observed, new ArrayList<>(applied.hosts()), Set.of()));
    }

    static List<String> keys(Plan p) { return ScalePlanTest.keys(p); }

    static Step step(Plan p, String key) {
        return p.steps().stream().filter(s -> s.key().equals(key)).findFirst()
                .orElseThrow(() -> new AssertionError("no step " + key + " in " + keys(p)));
    }

    /** The same cluster with one node changed (NotReady, cordoned, an old kubelet). */
    static Observed node(Observed o, String name, UnaryOperator<NodeView> change) {
        Map<String, HostState> hosts = new LinkedHashMap<>();
        o.hosts().forEach((h, s) -> {
            NodeReport r = s.report();
            if (r != null && r.nodes() != null) {
                List<NodeView> nodes = r.nodes().stream().map(n -> n.name().equals(name) ? change.apply(n) : n).toList();
                r = new NodeReport(r.kubeletVersion(), r.kubeadmVersion(), r.kubeletConf(), r.apiServer(), nodes,
                        r.etcdMembers(), r.serverVersion(), r.systemPods());
            }
            hosts.put(h, new HostState(s.reachable(), s.problem(), s.facts(), r));
        });
        return new Observed(hosts);
    }

    static Observed pods(Observed o, List<PodView> pods) {
        Map<String, HostState> hosts = new LinkedHashMap<>();
        o.hosts().forEach((h, s) -> {
            NodeReport r = s.report();
            if (r != null && r.systemPods() != null) {
                r = new NodeReport(r.kubeletVersion(), r.kubeadmVersion(), r.kubeletConf(), r.apiServer(), r.nodes(),
                        r.etcdMembers(), r.serverVersion(), pods);
            }
            hosts.put(h, new HostState(s.reachable(), s.problem(), s.facts(), r));
        });
        return new Observed(hosts);
    }

    @Test
    void oneMinorUpgradesTheControlPlaneThenEachNodeInTurn() throws IOException {
        ClusterSpec applied = cluster("1.35.2");
        Plan p = upgrade(cluster("1.36.1"), running(applied, "1.35.2"), applied);
        assertEquals(List.of(), p.refusals());
        assertEquals("upgrade", p.workflow());
        assertEquals(List.of("upgrade/check", "upgrade/v1.36.1/backup", "upgrade/v1.36.1/packages",
                "upgrade/v1.36.1/control-plane", "upgrade/v1.36.1/kubelets", "upgrade/v1.36.1/workers", "upgrade/files", "cni",
                "verify", "kubeconfig"), p.phases().stream().map(Phase::id).toList());
        // kubeadm upgrade apply on the lead, then upgrade node on the others one after another
        assertEquals(List.of("upgrade/v1.36.1/apply@cp1", "upgrade/v1.36.1/node@cp2", "upgrade/v1.36.1/node@cp3"),
                keys(p).stream().filter(k -> k.startsWith("upgrade/v1.36.1/apply") || k.matches("upgrade/v1.36.1/node@cp.*")).toList());
        assertEquals(List.of("upgrade/v1.36.1/apply@cp1"), step(p, "upgrade/v1.36.1/node@cp2").dependsOn().stream()
                .filter(k -> k.contains("apply")).toList());
        assertEquals(List.of("kubeadm upgrade plan --config /etc/kubernetes/kubeadm/upgrade.yaml",
                "kubeadm upgrade apply --config /etc/kubernetes/kubeadm/upgrade.yaml --yes"),
                step(p, "upgrade/v1.36.1/apply@cp1").run(RenderedFile.OsFamily.ANY));
        // each node: drain, kubelet, Ready, and an uncordon that runs whatever happened after its drain began
        Step uncordon = step(p, "upgrade/v1.36.1/uncordon/cp2@cp1");
        assertTrue(uncordon.always());
        assertEquals("upgrade/v1.36.1/drain/cp2@cp1", uncordon.dependsOn().get(0), "the step it cleans up after comes first");
        assertTrue(uncordon.dependsOn().containsAll(List.of("upgrade/v1.36.1/drain/cp2@cp1", "upgrade/v1.36.1/kubelet@cp2",
                "upgrade/v1.36.1/ready/cp2@cp1")), uncordon.dependsOn()::toString);
        // the next node waits for this one's uncordon and what that followed: a failure stops there
        assertTrue(step(p, "upgrade/v1.36.1/drain/cp3@cp1").dependsOn().containsAll(List.of("upgrade/v1.36.1/uncordon/cp2@cp1",
                "upgrade/v1.36.1/ready/cp2@cp1", "upgrade/v1.36.1/kubelet@cp2")));
        // the kubelets after every control plane's kubeadm upgrade; nothing of the leg before the snapshot
        assertTrue(step(p, "upgrade/v1.36.1/drain/cp1@cp1").dependsOn().contains("upgrade/v1.36.1/node@cp3"));
        assertTrue(step(p, "upgrade/v1.36.1/repository@cp2").dependsOn().contains("upgrade/v1.36.1/backup@cp1"));
        // the workers after every control plane's turn
        assertTrue(step(p, "upgrade/v1.36.1/node@worker1").dependsOn().contains("upgrade/v1.36.1/uncordon/cp3@cp1"));
        // workers one at a time (upgrade.maxUnavailable 1), each after its kubeadm upgrade node
        assertTrue(step(p, "upgrade/v1.36.1/node@worker2").dependsOn().contains("upgrade/v1.36.1/uncordon/worker1@cp1"));
        assertTrue(step(p, "upgrade/v1.36.1/drain/worker2@cp1").dependsOn().contains("upgrade/v1.36.1/node@worker2"));
        // every node drained as a dry run before anything changes
        assertEquals(List.of("upgrade/check/cp1@cp1", "upgrade/check/cp2@cp1", "upgrade/check/cp3@cp1",
                "upgrade/check/worker1@cp1", "upgrade/check/worker2@cp1", "upgrade/check/worker3@cp1"),
                ScalePlanTest.keys(p, "upgrade/check"));
        assertEquals(List.of("/var/lib/etcd/kubewizard-before-v1.36.1.db"), step(p, "upgrade/v1.36.1/backup@cp1").downloads());
        assertTrue(step(p, "upgrade/v1.36.1/repository@worker3").uploads().stream().anyMatch(f ->
                f.content().contains("https://pkgs.k8s.io/core:/stable:/v1.36/deb/")));
        ScalePlanTest.golden("upgrade-one-minor", p);
    }

    /**
     * 1.30 → 1.31: kubeadm 1.31 reads a v1beta4 UpgradeConfiguration, and afterwards kubewizard's kubeadm
     * files on the nodes (v1beta3 at 1.30) are written again as v1beta4 for 1.31. A leg to 1.30 has no
     * such kind: the version goes on kubeadm's command line.
     */
    @Test
    void crossing130To131ReadsAnUpgradeConfigurationAndMovesTheKubeadmFilesToV1beta4() {
        ClusterSpec applied = cluster("1.30.14");
        Plan p = upgrade(cluster("1.31.13"), running(applied, "1.30.14"), applied);
        assertEquals(List.of(), p.refusals());
        assertEquals(List.of("kubeadm upgrade plan --config /etc/kubernetes/kubeadm/upgrade.yaml",
                "kubeadm upgrade apply --config /etc/kubernetes/kubeadm/upgrade.yaml --yes"),
                step(p, "upgrade/v1.31.13/apply@cp1").run(RenderedFile.OsFamily.ANY));
        Step lead = step(p, "upgrade/files/kubeadm@cp1");
        assertEquals("grep -qxF 'apiVersion: kubeadm.k8s.io/v1beta4' /etc/kubernetes/kubeadm/init.yaml"
                + " && grep -qxF 'kubernetesVersion: v1.31.13' /etc/kubernetes/kubeadm/init.yaml", lead.check());
        assertEquals(List.of("/etc/kubernetes/kubeadm/init.yaml"), lead.uploads().stream().map(RenderedFile::path).toList());
        assertTrue(lead.uploads().get(0).content().startsWith("apiVersion: kubeadm.k8s.io/v1beta4\nkind: InitConfiguration\n"));
        assertTrue(lead.uploads().get(0).secret(), "it holds the bootstrap token: masked wherever shown");
        Step worker = step(p, "upgrade/files/kubeadm@worker1");
        assertEquals("grep -qxF 'apiVersion: kubeadm.k8s.io/v1beta4' /etc/kubernetes/kubeadm/join.yaml", worker.check());
        // the files step runs once the node's own upgrade is over
        assertTrue(ScalePlanTest.dependsOnTransitively(p, worker, step(p, "upgrade/v1.31.13/kubelet@worker1")), worker.dependsOn().toString());
        // the load balancer's manifests are checked by content and rewritten only where they differ
        Step lb = step(p, "upgrade/files/load-balancer@cp2");
        assertTrue(lb.check().endsWith("  /etc/kubernetes/manifests/kube-vip.yaml; } | sha256sum --check --status"), lb.check());

        ClusterSpec older = cluster("1.30.14");
        Plan toOld = upgrade(older, running(cluster("1.30.14"), "1.29.9"), cluster("1.30.14"));
        assertEquals("[1.30.14]", toOld.change().legs().toString(), toOld.refusals().toString());
        assertEquals(List.of("kubeadm upgrade plan v1.30.14", "kubeadm upgrade apply v1.30.14 --yes"),
                step(toOld, "upgrade/v1.30.14/apply@cp1").run(RenderedFile.OsFamily.ANY));
        assertEquals(List.of("kubeadm upgrade node"), step(toOld, "upgrade/v1.30.14/node@cp2").run(RenderedFile.OsFamily.ANY));
        assertEquals(List.of(), step(toOld, "upgrade/v1.30.14/node@cp2").uploads());
        assertTrue(step(toOld, "upgrade/files/kubeadm@cp1").uploads().get(0).content()
                .startsWith("apiVersion: kubeadm.k8s.io/v1beta3\n"));
    }

    @Test
    void twoMinorsAreTwoLegsEachWithItsOwnRepository() throws IOException {
        ClusterSpec applied = cluster("1.34.3");
        Plan p = upgrade(cluster("1.36.1"), running(applied, "1.34.3"), applied);
        assertEquals(List.of(), p.refusals());
        assertEquals("[1.35.2, 1.36.1]", p.change().legs().toString());
        List<String> phases = p.phases().stream().map(Phase::id).toList();
        assertTrue(phases.indexOf("upgrade/v1.35.2/workers") < phases.indexOf("upgrade/v1.36.1/backup"), phases.toString());
        assertTrue(step(p, "upgrade/v1.35.2/repository@cp1").uploads().stream().anyMatch(f -> f.content().contains("/v1.35/deb/")));
        assertTrue(step(p, "upgrade/v1.36.1/repository@cp1").uploads().stream().anyMatch(f -> f.content().contains("/v1.36/deb/")));
        // from 1.31 the version is in the leg's UpgradeConfiguration, uploaded with the step
        Step apply = step(p, "upgrade/v1.35.2/apply@cp1");
        assertEquals(List.of("kubeadm upgrade plan --config /etc/kubernetes/kubeadm/upgrade.yaml",
                "kubeadm upgrade apply --config /etc/kubernetes/kubeadm/upgrade.yaml --yes"), apply.run(RenderedFile.OsFamily.ANY));
        assertEquals("apiVersion: kubeadm.k8s.io/v1beta4\nkind: UpgradeConfiguration\napply:\n  kubernetesVersion: v1.35.2\n"
                + "  certificateRenewal: true\n  etcdUpgrade: true\n  imagePullPolicy: IfNotPresent\nnode:\n  certificateRenewal: true\n"
                + "  etcdUpgrade: true\n  imagePullPolicy: IfNotPresent\nplan:\n  kubernetesVersion: v1.35.2\n",
                apply.uploads().get(0).content());
        assertEquals(List.of("kubeadm upgrade node --config /etc/kubernetes/kubeadm/upgrade.yaml"),
                step(p, "upgrade/v1.36.1/node@cp2").run(RenderedFile.OsFamily.ANY));
        assertTrue(step(p, "upgrade/v1.36.1/node@cp2").uploads().get(0).content().contains("  kubernetesVersion: v1.36.1\n"));
        // the second leg's backup waits for the first leg's last worker
        assertTrue(step(p, "upgrade/v1.36.1/backup@cp1").dependsOn().stream().anyMatch(k -> k.startsWith("upgrade/v1.35.2/")),
                step(p, "upgrade/v1.36.1/backup@cp1").dependsOn().toString());
        ScalePlanTest.golden("upgrade-two-minors", p);
    }

    @Test
    void aPatchUpgradeIsOneLegInTheSameRepository() throws IOException {
        ClusterSpec applied = cluster("1.35.1");
        Plan p = upgrade(cluster("1.35.2"), running(applied, "1.35.1"), applied);
        assertEquals("[1.35.2]", p.change().legs().toString());
        assertTrue(step(p, "upgrade/v1.35.2/repository@cp1").uploads().stream().anyMatch(f -> f.content().contains("/v1.35/deb/")));
        ScalePlanTest.golden("upgrade-patch", p);
    }

    @Test
    void workersGoMaxUnavailableAtATime() {
        String text = ScalePlanTest.text("ha-stacked") + WORKER3;
        ClusterSpec applied = ScalePlanTest.spec(text);
        ClusterSpec spec = ScalePlanTest.spec(at(text, "1.36.1").replace("upgrade:\n  maxUnavailable: 1\n",
                "upgrade:\n  maxUnavailable: 2\n"));
        assertEquals(2, spec.upgrade().maxUnavailable());
        Plan p = upgrade(spec, running(applied, "1.35.2"), applied);
        // worker1 and worker2 together, worker3 after both are Ready
        assertFalse(step(p, "upgrade/v1.36.1/node@worker2").dependsOn().stream().anyMatch(k -> k.contains("worker1")));
        assertTrue(step(p, "upgrade/v1.36.1/node@worker3").dependsOn().containsAll(List.of(
                "upgrade/v1.36.1/uncordon/worker1@cp1", "upgrade/v1.36.1/uncordon/worker2@cp1")));
    }

    @Test
    void aClusterAtTheFilesVersionHasNothingToUpgrade() {
        ClusterSpec applied = cluster("1.35.2");
        Plan p = upgrade(applied, running(applied, "1.35.2"), applied);
        assertEquals(List.of(), p.refusals());
        assertEquals(List.of(), p.change().legs());
        assertEquals(List.of(), p.phases());
    }

    // ---- refusals, each before anything changes

    @Test
    void aDowngradeIsRefused() {
        ClusterSpec applied = cluster("1.36.1");
        assertEquals(List.of("the cluster runs Kubernetes 1.36.1 and the answers file asks for 1.35.2: kubewizard does not "
                + "downgrade"), upgrade(cluster("1.35.2"), running(applied, "1.36.1"), applied).refusals());
    }

    @Test
    void aNodeNotReadyOrCordonedIsRefused() {
        ClusterSpec applied = cluster("1.35.2");
        Observed notReady = node(running(applied, "1.35.2"), "worker2",
                n -> new NodeView(n.name(), false, n.unschedulable(), n.kubeletVersion(), n.controlPlane()));
        assertEquals(List.of("node worker2 is NotReady: an upgrade drains the nodes one after another and needs every node "
                + "Ready; bring it back (or remove it) first"), upgrade(cluster("1.36.1"), notReady, applied).refusals());
        Observed cordoned = node(running(applied, "1.35.2"), "worker1",
                n -> new NodeView(n.name(), n.ready(), true, n.kubeletVersion(), n.controlPlane()));
        assertEquals(List.of("node worker1 is cordoned: an upgrade uncordons the nodes it drained and cannot tell whose "
                + "cordon this is; uncordon it (kubectl uncordon worker1) or remove it first"),
                upgrade(cluster("1.36.1"), cordoned, applied).refusals());
    }

    @Test
    void anUnhealthyControlPlaneOrEtcdIsRefused() {
        ClusterSpec applied = cluster("1.35.2");
        Observed sick = pods(running(applied, "1.35.2"), List.of(new PodView("etcd-cp2", "cp2", "etcd", false),
                new PodView("kube-apiserver-cp2", "cp2", "kube-apiserver", true)));
        assertEquals(List.of("pod kube-system/etcd-cp2 on cp2 is not Ready: the control plane and etcd must be healthy "
                + "before an upgrade"), upgrade(cluster("1.36.1"), sick, applied).refusals());
        Observed memberDown = ScalePlanTest.etcdDown(running(applied, "1.35.2"), "cp3");
        assertEquals(List.of("etcd member cp3 is not healthy: every member must answer before an upgrade"),
                upgrade(cluster("1.36.1"), memberDown, applied).refusals());
    }

    @Test
    void aKubeletTooFarBehindOrAheadIsRefused() {
        ClusterSpec applied = cluster("1.35.2");
        Observed old = node(running(applied, "1.35.2"), "worker3",
                n -> new NodeView(n.name(), n.ready(), n.unschedulable(), "v1.32.4", n.controlPlane()));
        assertEquals(List.of("node worker3's kubelet is v1.32.4, three minors behind the control plane's v1.35.2: upgrading "
                + "the control plane would break the version skew kubelets are allowed; upgrade that node's kubelet to "
                + "1.35 first"), upgrade(cluster("1.36.1"), old, applied).refusals());
        Observed ahead = node(running(applied, "1.35.2"), "worker3",
                n -> new NodeView(n.name(), n.ready(), n.unschedulable(), "v1.36.0", n.controlPlane()));
        assertEquals(List.of("node worker3's kubelet v1.36.0 is newer than the control plane's v1.35.2: a kubelet must "
                + "never be newer than the API server; fix that node first"), upgrade(cluster("1.36.1"), ahead, applied).refusals());
    }

    @Test
    void hostsJoiningOrLeavingAreForApplyNotUpgrade() {
        ClusterSpec applied = cluster("1.35.2");
        ClusterSpec grown = ScalePlanTest.spec(at(ScalePlanTest.text("ha-stacked") + WORKER3
                + "  - name: worker4\n    address: 10.0.0.24\n    roles: [worker]\n", "1.36.1"));
        assertEquals(List.of("hosts would join (worker4): an upgrade changes versions only; run kubewizard apply at the "
                + "cluster's version first"), upgrade(grown, running(applied, "1.35.2"), applied).refusals());
    }

    @Test
    void noClusterNoUpgrade() {
        assertEquals(List.of("no cluster was found on the answers' hosts: install it with kubewizard apply first"),
                upgrade(cluster("1.36.1"), Observed.NONE, cluster("1.35.2")).refusals());
    }

    @Test
    void applyRefusesAClusterOlderOrNewerThanTheFile() {
        ClusterSpec applied = cluster("1.35.2");
        Plan older = Engine.plan(cluster("1.36.1"), PkiMaterial.NONE, new Plan.Inputs(running(applied, "1.35.2"),
                applied.hosts(), Set.of()));
        assertEquals("scale", older.workflow());
        assertEquals(List.of("the cluster runs Kubernetes 1.35.2 and the answers file asks for 1.36.1: apply does not "
                + "upgrade; run kubewizard upgrade with the same file"), older.refusals());
        Plan newer = Engine.plan(cluster("1.35.1"), PkiMaterial.NONE, new Plan.Inputs(running(applied, "1.35.2"),
                applied.hosts(), Set.of()));
        assertEquals(List.of("the cluster runs Kubernetes 1.35.2, newer than the answers file's 1.35.1: kubewizard does "
                + "not downgrade; set kubernetesVersion to 1.35.2"), newer.refusals());
    }

    static List<Host> hosts(ClusterSpec s) { return s.hosts(); }
}
