package io.kubewizard.plan;

import io.kubewizard.answers.AnswersLoader;
import io.kubewizard.answers.Spec.ClusterSpec;
import io.kubewizard.answers.Spec.Host;
import io.kubewizard.plan.Observed.EtcdMember;
import io.kubewizard.plan.Observed.HostState;
import io.kubewizard.plan.Observed.NodeReport;
import io.kubewizard.plan.Observed.NodeView;
import io.kubewizard.render.Render;
import io.kubewizard.render.Secrets;
import io.kubewizard.run.RunRecord;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Plans of the scale workflow from recorded observed states: what joins, what leaves and in which
 * order, and every refusal. Each plan is also compared with its golden text
 * (src/test/resources/golden/plans; rewrite them with -Dgolden.update=true and read the diff).
 */
class ScalePlanTest {

    static final String WORKER3 = "  - name: worker3\n    address: 10.0.0.23\n    roles: [worker]\n";
    static final String CP4 = "  - name: cp4\n    address: 10.0.0.14\n    roles: [control-plane]\n";

    // ---- the answers as text, edited the way a user edits the file

    static String text(String preset) {
        try {
            return Files.readString(Fixtures.root().resolve("presets/" + preset + ".yaml"));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The file without one host's entry. */
    static String without(String text, String host) {
        int start = text.indexOf("  - name: " + host + "\n");
        assertTrue(start >= 0, host);
        int end = text.indexOf("  - name: ", start + 1);
        return text.substring(0, start) + (end < 0 ? "" : text.substring(end));
    }

    static String marked(String text, String host) {
        return text.replace("  - name: " + host + "\n", "  - name: " + host + "\n    remove: true\n");
    }

    static ClusterSpec spec(String text) {
        AnswersLoader.Result r = AnswersLoader.parse("answers.yaml", text);
        assertFalse(r.hasErrors(), () -> r.problems().toString());
        return r.spec();
    }

    /** The cluster as an apply of {@code applied} left it: every host a Ready node or a started member. */
    static Observed installed(ClusterSpec applied) {
        List<Host> hosts = new ArrayList<>(applied.hosts());
        return RunRecord.assumed(applied, hosts);
    }

    static Observed unreachable(Observed o, String host) {
        Map<String, HostState> hosts = new LinkedHashMap<>(o.hosts());
        hosts.put(host, HostState.unreachable("connect: connect timed out after 15s"));
        return new Observed(hosts);
    }

    /** The same cluster where {@code node} is a Node that no answers file has (joined by hand). */
    static Observed withUnmanaged(Observed o, String node) {
        Map<String, HostState> hosts = new LinkedHashMap<>();
        o.hosts().forEach((name, s) -> {
            NodeReport r = s.report();
            if (r != null && r.nodes() != null) {
                List<NodeView> nodes = new ArrayList<>(r.nodes());
                nodes.add(new NodeView(node, true, false, "v1.35.2", false));
                r = new NodeReport(r.kubeletVersion(), r.kubeadmVersion(), r.kubeletConf(), r.apiServer(), nodes, r.etcdMembers());
            }
            hosts.put(name, new HostState(s.reachable(), s.problem(), s.facts(), r));
        });
        return new Observed(hosts);
    }

    /** The same cluster where an etcd member was added and never started. */
    static Observed withPendingMember(Observed o) {
        Map<String, HostState> hosts = new LinkedHashMap<>();
        o.hosts().forEach((name, s) -> {
            NodeReport r = s.report();
            if (r != null && r.etcdMembers() != null) {
                List<EtcdMember> members = new ArrayList<>(r.etcdMembers());
                members.add(new EtcdMember("8e9e05c52164694d", "", "https://10.0.0.99:2380", false));
                r = new NodeReport(r.kubeletVersion(), r.kubeadmVersion(), r.kubeletConf(), r.apiServer(), r.nodes(), members);
            }
            hosts.put(name, new HostState(s.reachable(), s.problem(), s.facts(), r));
        });
        return new Observed(hosts);
    }

    /** A member whose own etcd does not answer: listed by the others, unhealthy. */
    static Observed etcdDown(Observed o, String host) {
        Map<String, HostState> hosts = new LinkedHashMap<>(o.hosts());
        HostState s = hosts.get(host);
        NodeReport r = s.report();
        hosts.put(host, new HostState(true, null, s.facts(), new NodeReport(r.kubeletVersion(), r.kubeadmVersion(),
                r.kubeletConf(), r.apiServer(), r.nodes(), null)));
        return new Observed(hosts);
    }

    static Plan plan(ClusterSpec spec, Observed observed, ClusterSpec applied, Set<String> forceRemove) {
        List<Host> before = new ArrayList<>(applied.hosts());
        Workflow w = observed.clusterExists() ? Workflow.SCALE : Workflow.INSTALL;
        return Plan.build(w, spec, Render.render(spec, Secrets.MASKED), new Plan.Inputs(observed, before, forceRemove));
    }

    static Plan plan(ClusterSpec spec, Observed observed, ClusterSpec applied) {
        return plan(spec, observed, applied, Set.of());
    }

    static List<String> keys(Plan p) {
        return p.steps().stream().map(Step::key).toList();
    }

    static List<String> keys(Plan p, String prefix) {
        return keys(p).stream().filter(k -> k.startsWith(prefix)).toList();
    }

    static void golden(String name, Plan plan) throws IOException {
        Path file = Fixtures.root().resolve("src/test/resources/golden/plans/" + name + ".txt");
        String text = "workflow: " + plan.workflow() + "\nlead: " + plan.lead() + "\njoining: "
                + plan.change().joining().stream().map(Host::name).toList() + "\nleaving: "
                + plan.change().leaving().stream().map(Host::name).toList() + "\nunmanaged: " + plan.change().unmanaged()
                + "\nrefusals: " + plan.change().refusals() + "\n\n" + PlanText.format(plan);
        if (Boolean.getBoolean("golden.update")) Files.writeString(file, text, StandardCharsets.UTF_8);
        assertEquals(Files.readString(file, StandardCharsets.UTF_8), text, name + " differs from its golden plan");
    }

    // ---- joins

    @Test
    void anAddedWorkerJoinsAloneAfterTheTokenIsRefreshed() throws IOException {
        ClusterSpec applied = spec(text("ha-stacked"));
        Plan p = plan(spec(text("ha-stacked") + WORKER3), installed(applied), applied);
        assertEquals("scale", p.workflow());
        assertEquals(List.of("worker3"), p.change().joining().stream().map(Host::name).toList());
        assertEquals(List.of(), keys(p, "control-plane/init"));
        assertEquals(List.of("workers/join@worker3"), keys(p, "workers/join"));
        assertEquals(List.of(), keys(p, "control-plane/join@"));
        Step join = p.steps().stream().filter(s -> s.key().equals("workers/join@worker3")).findFirst().orElseThrow();
        assertTrue(join.dependsOn().contains("control-plane/bootstrap-token@cp1"), join.dependsOn().toString());
        assertEquals(List.of(), keys(p, "remove"));
        golden("add-worker", p);
    }

    @Test
    void anAddedControlPlaneJoinsAfterTheCertificatesAreUploadedAgain() throws IOException {
        ClusterSpec applied = spec(text("ha-stacked"));
        Plan p = plan(spec(text("ha-stacked").replace("  - name: worker1\n", CP4 + "  - name: worker1\n")),
                installed(applied), applied);
        assertEquals(List.of("control-plane/join@cp4"), keys(p, "control-plane/join@"));
        Step join = p.steps().stream().filter(s -> s.key().equals("control-plane/join@cp4")).findFirst().orElseThrow();
        assertEquals(List.of("packages/kubelet@cp4", "control-plane/bootstrap-token@cp1", "control-plane/upload-certs@cp1"),
                join.dependsOn());
        // The members keep their load balancer static pods current; only cp4 joins.
        assertEquals(List.of("control-plane/join/static-pods@cp2", "control-plane/join/static-pods@cp3",
                "control-plane/join/static-pods@cp4"), keys(p, "control-plane/join/static-pods"));
        golden("add-control-plane", p);
    }

    // ---- removals

    @Test
    void aWorkerGoneFromTheFileIsCheckedDrainedResetAndDeletedInThatOrder() throws IOException {
        ClusterSpec applied = spec(text("ha-stacked"));
        Plan p = plan(spec(without(text("ha-stacked"), "worker2")), installed(applied), applied);
        assertEquals(List.of("worker2"), p.change().leaving().stream().map(Host::name).toList());
        assertEquals(List.of("remove/check/worker2@cp1", "remove/drain/worker2@cp1", "remove/reset@worker2",
                "remove/delete/worker2@cp1"), keys(p, "remove"));
        Step check = step(p, "remove/check/worker2@cp1");
        assertEquals(Judge.READ_PROBLEMS, check.judge());
        assertEquals(new DrainBudgets("worker2"), check.reads());
        // Nothing changes on any host before the drain check passed.
        for (Step s : p.steps()) {
            if (s.phase().equals("prepare")) assertTrue(s.dependsOn().contains(check.key()) || dependsOnTransitively(p, s, check),
                    s.key());
        }
        assertEquals(List.of("remove/check/worker2@cp1", "remove/drain/worker2@cp1"), step(p, "remove/reset@worker2").dependsOn());
        assertEquals("kubectl --kubeconfig /etc/kubernetes/admin.conf drain worker2 --ignore-daemonsets "
                + "--delete-emptydir-data --timeout=300s || { kubectl --kubeconfig /etc/kubernetes/admin.conf uncordon worker2; "
                + "exit 1; }", step(p, "remove/drain/worker2@cp1").run(io.kubewizard.render.RenderedFile.OsFamily.ANY).get(1));
        assertFalse(step(p, "verify/nodes@cp1").commands().get(0).contains("worker2"));
        golden("remove-worker", p);
    }

    @Test
    void aLeavingHostsResetRemovesKubewizardsFilesAndAboveAllItsKubeadmConfigs() {
        ClusterSpec applied = spec(text("ha-stacked"));
        Plan p = plan(spec(without(without(text("ha-stacked"), "worker2"), "cp3")), installed(applied), applied);
        for (String host : List.of("worker2", "cp3")) {
            Step reset = step(p, "remove/reset@" + host);
            List<String> run = reset.run(io.kubewizard.render.RenderedFile.OsFamily.ANY);
            assertEquals("if command -v kubeadm >/dev/null 2>&1; then kubeadm reset -f --cri-socket "
                    + "unix:///var/run/containerd/containerd.sock; fi", run.get(0));
            List<String> removed = List.of(run.get(1).substring("rm -f -- ".length()).split(" "));
            // The token and (on a control plane) the certificate key, and what render writes on a host of its roles.
            assertTrue(removed.containsAll(List.of("/etc/kubernetes/kubeadm/join.yaml", "/etc/containerd/config.toml",
                    "/etc/sysctl.d/k8s.conf", "/etc/apt/sources.list.d/kubernetes.list", "/etc/yum.repos.d/kubernetes.repo")),
                    host + ": " + removed);
            assertEquals(host.equals("cp3"), removed.contains("/etc/kubernetes/manifests/kube-vip.yaml"), host + ": " + removed);
            assertTrue(reset.check().contains("test ! -e /etc/kubernetes/kubeadm/join.yaml"), reset.check());
        }
    }

    @Test
    void aHostMarkedRemoveLeavesLikeOneGoneFromTheFile() {
        ClusterSpec applied = spec(text("ha-stacked"));
        Plan gone = plan(spec(without(text("ha-stacked"), "worker2")), installed(applied), applied);
        Plan marked = plan(spec(marked(text("ha-stacked"), "worker2")), installed(applied), applied);
        assertEquals(keys(gone), keys(marked));
    }

    @Test
    void aStackedControlPlaneLeavesWithItsEtcdMemberCheckedGone() throws IOException {
        ClusterSpec applied = spec(text("ha-stacked"));
        Plan p = plan(spec(without(text("ha-stacked"), "cp3")), installed(applied), applied);
        assertEquals(List.of("remove/check/cp3@cp1", "remove/drain/cp3@cp1", "remove/reset@cp3",
                "remove/etcd-member/cp3@cp1", "remove/delete/cp3@cp1"), keys(p, "remove"));
        Step member = step(p, "remove/etcd-member/cp3@cp1");
        assertTrue(member.check().contains("$4 == \"https://10.0.0.13:2380\""), member.check());
        golden("remove-stacked-control-plane", p);
    }

    @Test
    void theFirstControlPlaneCanLeaveAndTheNextOneLeads() throws IOException {
        ClusterSpec applied = spec(text("ha-stacked"));
        Plan p = plan(spec(without(text("ha-stacked"), "cp1")), installed(applied), applied);
        assertEquals("cp2", p.lead());
        assertEquals(List.of("remove/check/cp1@cp2", "remove/drain/cp1@cp2", "remove/reset@cp1",
                "remove/etcd-member/cp1@cp2", "remove/delete/cp1@cp2"), keys(p, "remove"));
        assertEquals(List.of("cni/apply@cp2"), keys(p, "cni"));
        assertEquals(List.of("kubeconfig/fetch@cp2"), keys(p, "kubeconfig"));
        assertEquals(List.of(), keys(p, "control-plane/init"));
        golden("remove-first-control-plane", p);
    }

    @Test
    void aJoinAfterTheFirstControlPlaneLeftWritesTheNewLeadsInitConfigurationBeforeTheRefresh() {
        // cp1, where kubeadm init ran, has left: cp2 leads, and its disk has a join.yaml but no init.yaml.
        ClusterSpec applied = spec(without(text("ha-stacked"), "cp1"));
        Plan p = plan(spec(without(text("ha-stacked"), "cp1") + WORKER3), installed(applied), applied);
        assertEquals("cp2", p.lead());
        Step write = step(p, "control-plane/lead-config@cp2");
        assertEquals(List.of("/etc/kubernetes/kubeadm/init.yaml"), write.uploads().stream().map(f -> f.path()).toList());
        // done when the file there is of the cluster's version (an upgrade leaves an older one behind otherwise)
        assertEquals("grep -qxF 'kubernetesVersion: v1.35.2' /etc/kubernetes/kubeadm/init.yaml", write.check());
        Step token = step(p, "control-plane/bootstrap-token@cp2");
        assertTrue(token.run(io.kubewizard.render.RenderedFile.OsFamily.ANY).get(0).endsWith("--config /etc/kubernetes/kubeadm/init.yaml"), token.commands().toString());
        assertTrue(dependsOnTransitively(p, token, write), token.dependsOn().toString());
        // Nothing joins: the lead's InitConfiguration is not written again.
        assertEquals(List.of(), keys(plan(applied, installed(applied), applied), "control-plane/lead-config"));
    }

    @Test
    void anExternalEtcdMemberLeavesAfterTheApiServersStopNamingIt() throws IOException {
        ClusterSpec applied = spec(text("ha-external-etcd"));
        ClusterSpec now = spec(without(text("ha-external-etcd"), "etcd3").replace("  - name: worker1\n",
                "  - name: etcd4\n    address: 10.0.0.34\n    roles: [etcd]\n  - name: worker1\n"));
        Plan p = plan(now, installed(applied), applied);
        assertEquals(List.of("etcd4"), p.change().joining().stream().map(Host::name).toList());
        assertEquals(List.of("etcd3"), p.change().leaving().stream().map(Host::name).toList());
        assertEquals(List.of(), p.change().refusals());
        // A replacement: the new member first (announced, started, healthy), then the API servers, then the old one out.
        List<String> order = keys(p).stream().filter(k -> k.startsWith("etcd/member-add") || k.startsWith("etcd/config@etcd4")
                || k.startsWith("etcd/endpoints") || k.startsWith("remove/")).toList();
        assertEquals(List.of("etcd/member-add/etcd4@etcd1", "etcd/config@etcd4", "etcd/endpoints@cp1", "etcd/endpoints@cp2",
                "etcd/endpoints@cp3", "remove/etcd-member/etcd3@etcd1", "remove/reset@etcd3"), order);
        assertTrue(step(p, "etcd/config@etcd4").uploads().get(0).content().contains("value: existing"));
        assertFalse(step(p, "etcd/config@etcd1").idempotent(), "a running member's manifest is never written again");
        assertTrue(step(p, "etcd/endpoints@cp1").run(io.kubewizard.render.RenderedFile.OsFamily.ANY).get(0).contains(
                "--etcd-servers=https://10.0.0.31:2379,https://10.0.0.32:2379,https://10.0.0.34:2379"));
        golden("replace-external-etcd-member", p);
    }

    @Test
    void aControlPlaneJoiningAnExternalEtcdClusterIsPointedAtTheMembersAfterItsJoin() {
        // kubeadm join writes its API server from the kubeadm-config ConfigMap: the members of the day of init.
        ClusterSpec applied = spec(text("ha-external-etcd"));
        Plan p = plan(spec(text("ha-external-etcd").replace("  - name: etcd1\n", CP4 + "  - name: etcd1\n")), installed(applied),
                applied);
        assertEquals(List.of("etcd/endpoints@cp4"), keys(p, "etcd/endpoints"));
        Step endpoints = step(p, "etcd/endpoints@cp4");
        assertTrue(dependsOnTransitively(p, endpoints, step(p, "control-plane/join@cp4")), endpoints.dependsOn().toString());
        assertTrue(endpoints.run(io.kubewizard.render.RenderedFile.OsFamily.ANY).get(0).contains(
                "--etcd-servers=https://10.0.0.31:2379,https://10.0.0.32:2379,https://10.0.0.33:2379"));
        assertEquals("grep -q -- '--etcd-servers=https://10.0.0.31:2379,https://10.0.0.32:2379,https://10.0.0.33:2379$' "
                + "/etc/kubernetes/manifests/kube-apiserver.yaml", endpoints.check());
    }

    @Test
    void aJoiningEtcdMemberStartsWithTheMembersEtcdHasThenNotWithTheFilesList() {
        ClusterSpec applied = spec(text("ha-external-etcd"));
        String etcd4 = "  - name: etcd4\n    address: 10.0.0.34\n    roles: [etcd]\n";
        String etcd5 = "  - name: etcd5\n    address: 10.0.0.35\n    roles: [etcd]\n";
        String m1 = "etcd1=https://10.0.0.31:2380";
        String m2 = "etcd2=https://10.0.0.32:2380";
        String m3 = "etcd3=https://10.0.0.33:2380";
        String m4 = "etcd4=https://10.0.0.34:2380";
        // Replaced: etcd3 is still a member when etcd4 starts (it leaves later in the run).
        Plan replaced = plan(spec(without(text("ha-external-etcd"), "etcd3").replace("  - name: worker1\n",
                etcd4 + "  - name: worker1\n")), installed(applied), applied);
        assertEquals(String.join(",", m1, m2, m3, m4), initialCluster(replaced, "etcd4"));
        // Grown by two: each starts with the members before it, and itself.
        Plan grown = plan(spec(text("ha-external-etcd").replace("  - name: worker1\n", etcd4 + etcd5 + "  - name: worker1\n")),
                installed(applied), applied);
        assertEquals(String.join(",", m1, m2, m3, m4), initialCluster(grown, "etcd4"));
        assertEquals(String.join(",", m1, m2, m3, m4, "etcd5=https://10.0.0.35:2380"), initialCluster(grown, "etcd5"));
        // etcd5 is announced right after etcd4 started, which etcd refuses for a few seconds: tried again,
        // and not again once it is there.
        Step add = step(grown, "etcd/member-add/etcd5@etcd1");
        assertTrue(dependsOnTransitively(grown, add, step(grown, "etcd/config@etcd4")), add.dependsOn().toString());
        String run = add.run(io.kubewizard.render.RenderedFile.OsFamily.ANY).get(0);
        assertTrue(run.startsWith("for try in $(seq 1 20); do ") && run.contains(" member add etcd5 --peer-urls=https://10.0.0.35:2380 "
                + "&& exit 0; " + add.check() + " && exit 0; "), run);
    }

    /** The initial-cluster the etcd config of a joining member's etcd/config step uploads. */
    private static String initialCluster(Plan p, String host) {
        String config = step(p, "etcd/config@" + host).uploads().stream().filter(f -> f.path().equals(Paths.ETCD_CONFIG))
                .findFirst().orElseThrow().content();
        String marker = "- name: initial-cluster\n";
        String rest = config.substring(config.indexOf(marker) + marker.length()).stripLeading();
        assertTrue(config.contains("value: existing"), config);
        return rest.substring("value: ".length(), rest.indexOf('\n'));
    }

    @Test
    void aDeadHostIsRemovedFromTheClustersSideOnlyWithForceRemove() throws IOException {
        ClusterSpec applied = spec(text("ha-stacked"));
        ClusterSpec now = spec(without(text("ha-stacked"), "cp3"));
        Observed dead = unreachable(installed(applied), "cp3");
        assertEquals(List.of("cp3 is leaving but cannot be reached (connect: connect timed out after 15s): to remove it "
                + "without draining or resetting it, add --force-remove cp3"), plan(now, dead, applied).change().refusals());
        Plan p = plan(now, dead, applied, Set.of("cp3"));
        assertEquals(List.of(), p.change().refusals());
        assertEquals(List.of("remove/etcd-member/cp3@cp1", "remove/delete/cp3@cp1"), keys(p, "remove"));
        assertTrue(p.steps().stream().noneMatch(s -> s.host().equals("cp3")), "nothing runs on the dead host");
        golden("force-remove-dead-control-plane", p);
    }

    @Test
    void forceRemovedHostsComeInTheOrderTheyLeaveWhateverOrderTheyWereGivenIn() {
        ClusterSpec applied = spec(text("ha-stacked"));
        ClusterSpec now = spec(without(without(text("ha-stacked"), "worker2"), "cp3"));
        Observed dead = unreachable(unreachable(installed(applied), "cp3"), "worker2");
        String notLeaving = " is not leaving the cluster (mark it remove: true in the answers file, or delete it from the file, "
                + "to remove it)";
        for (List<String> given : List.of(List.of("worker2", "ghost", "cp3", "cp1"), List.of("cp1", "cp3", "ghost", "worker2"))) {
            Change c = Change.of(now, dead, applied.hosts(), new java.util.LinkedHashSet<>(given));
            assertEquals(List.of("cp3", "worker2"), List.copyOf(c.forced()), given.toString());
            assertEquals(List.of("--force-remove cp1: cp1" + notLeaving, "--force-remove ghost: ghost" + notLeaving), c.refusals(),
                    given.toString());
        }
    }

    @Test
    void aNodeNoAnswersFileNamedIsUnmanagedAndLeftAlone() {
        ClusterSpec applied = spec(text("ha-stacked"));
        Plan p = plan(applied, withUnmanaged(installed(applied), "handmade"), applied);
        assertEquals(List.of("handmade"), p.change().unmanaged());
        assertEquals(List.of(), p.change().leaving());
        assertTrue(p.steps().stream().noneMatch(s -> s.key().contains("handmade")));
        assertFalse(step(p, "verify/nodes@cp1").commands().get(0).contains("handmade"));
    }

    @Test
    void aSecondApplyOfTheSameFileJoinsAndRemovesNothing() {
        ClusterSpec applied = spec(text("ha-stacked"));
        Plan p = plan(applied, installed(applied), applied);
        assertEquals(List.of(), p.change().joining());
        assertEquals(List.of(), p.change().leaving());
        assertEquals(List.of(), keys(p, "control-plane/join@"));
        assertEquals(List.of(), keys(p, "workers/join"));
        assertEquals(List.of(), keys(p, "remove"));
        assertEquals(List.of(), keys(p, "control-plane/bootstrap-token"));
    }

    // ---- refusals

    @Test
    void removingTheLastControlPlaneIsRefused() {
        String single = text("single-node");
        ClusterSpec applied = spec(single);
        // node1 leaves; the file's only control plane is new and not a node yet
        ClusterSpec now = spec(single.replace("  - name: node1\n", "  - name: node2\n    address: 10.0.0.12\n"
                + "    roles: [control-plane, worker]\n  - name: node1\n    remove: true\n"));
        assertEquals(List.of("no control plane of the answers file is a reachable node of the cluster: removing node1 "
                + "would remove the last control plane; keep at least one control plane that is already a node",
                "removing node1 would remove etcd's last member"), plan(now, installed(applied), applied).change().refusals());
    }

    @Test
    void removingTwoEtcdMembersInOneRunIsRefused() {
        ClusterSpec applied = spec(text("ha-stacked"));
        ClusterSpec now = spec(without(without(text("ha-stacked"), "cp2"), "cp3"));
        List<String> refusals = plan(now, installed(applied), applied).change().refusals();
        assertEquals("this change removes 2 etcd members (cp2, cp3) in one run: etcd takes one membership change at a "
                + "time; remove one, apply, then the next", refusals.get(0));
    }

    @Test
    void removingAMemberBelowQuorumIsRefused() {
        ClusterSpec applied = spec(text("ha-stacked"));
        ClusterSpec now = spec(without(text("ha-stacked"), "cp3"));
        assertEquals(List.of("removing cp3 leaves etcd 1 healthy of 2 members, below its quorum of 2: bring the unhealthy "
                + "members back first"), plan(now, etcdDown(installed(applied), "cp2"), applied).change().refusals());
    }

    @Test
    void aMemberChangeWhileAnotherIsPendingIsRefused() {
        ClusterSpec applied = spec(text("ha-stacked"));
        assertEquals(List.of("etcd member 8e9e05c52164694d (https://10.0.0.99:2380) was added and never started: another "
                + "membership change is still pending; start that member or remove it (etcdctl member remove "
                + "8e9e05c52164694d) first"), plan(applied, withPendingMember(installed(applied)), applied).change().refusals());
    }

    @Test
    void aRoleChangedInPlaceIsRefused() {
        ClusterSpec applied = spec(text("ha-stacked"));
        ClusterSpec now = spec(text("ha-stacked").replace("  - name: worker1\n    address: 10.0.0.21\n"
                + "    internalAddress: 10.0.0.21\n    roles: [worker]", "  - name: worker1\n    address: 10.0.0.21\n"
                + "    internalAddress: 10.0.0.21\n    roles: [control-plane]"));
        assertEquals(List.of("worker1 is [worker] and the answers file makes it [control-plane]: a role cannot change in "
                + "place. Remove the host (remove: true), apply, then add it back with its new role"),
                plan(now, installed(applied), applied).change().refusals());
    }

    @Test
    void forceRemoveOfAHostThatStaysIsRefused() {
        ClusterSpec applied = spec(text("ha-stacked"));
        assertEquals(List.of("--force-remove worker1: worker1 is not leaving the cluster (mark it remove: true in the "
                + "answers file, or delete it from the file, to remove it)"),
                plan(applied, installed(applied), applied, Set.of("worker1")).change().refusals());
    }

    @Test
    void aPreviewThatObservedNothingPlansAnInstall() {
        Plan p = plan(spec(text("ha-stacked")), Observed.NONE, spec(text("single-node")));
        assertEquals("install", p.workflow());
        assertEquals("cp1", p.lead());
    }

    private static Step step(Plan p, String key) {
        return p.steps().stream().filter(s -> s.key().equals(key)).findFirst()
                .orElseThrow(() -> new AssertionError("no step " + key + " in " + keys(p)));
    }

    static boolean dependsOnTransitively(Plan p, Step s, Step on) {
        java.util.Deque<String> todo = new java.util.ArrayDeque<>(s.dependsOn());
        java.util.Set<String> seen = new java.util.HashSet<>();
        while (!todo.isEmpty()) {
            String k = todo.pop();
            if (k.equals(on.key())) return true;
            if (!seen.add(k)) continue;
            p.steps().stream().filter(x -> x.key().equals(k)).findFirst().ifPresent(x -> todo.addAll(x.dependsOn()));
        }
        return false;
    }
}
