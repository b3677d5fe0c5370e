package io.kubewizard.sim;

import io.kubewizard.answers.AnswersLoader;
import io.kubewizard.answers.Spec.ClusterSpec;
import io.kubewizard.render.Render;
import io.kubewizard.render.RenderedFile;
import io.kubewizard.render.Secrets;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static io.kubewizard.sim.ApplySystemTest.read;
import static io.kubewizard.sim.ApplySystemTest.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Day-2 changes through the packaged jar: {@code kubewizard apply} on a cluster it installed, after
 * the answers file gained or lost hosts. Judged from what the simulated nodes recorded (each
 * stand-in call's argv, exit code and times, comparable across nodes), the files they hold, the
 * simulated API server and the real etcd, and the jar's exit code and words: hosts that join
 * (control planes one at a time after the refresh), hosts that leave (drain dry run, cordon and
 * drain, kubeadm reset, etcd member, Node deleted, their files gone) with the load balancer's
 * configs following, the first control plane leaving, refusals that change nothing, --force-remove
 * of dead hosts, SIGKILL during a removal and --resume, budgets that block a drain before or after
 * its dry run, and external etcd members replaced and added.
 *
 * <p>Run one: {@code buildslot mvn -B -q package -DskipTests}, then {@code buildslot mvn -B verify -Psystem
 * -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=ScaleSystemTest#METHOD}.
 */
@Tag("system")
class ScaleSystemTest {

    static final SimCluster.Options OPTIONS = ApplySystemTest.OPTIONS;
    static final Duration RUN_TIMEOUT = Duration.ofMinutes(3);
    static final Pattern CLOCK = Pattern.compile("\\[\\d\\d:\\d\\d] ");
    static final String KUBECTL = "kubectl --kubeconfig /etc/kubernetes/admin.conf";
    static final String CRICTL = "crictl --runtime-endpoint unix:///var/run/containerd/containerd.sock";
    static final String RESET = "kubeadm reset -f --cri-socket unix:///var/run/containerd/containerd.sock";
    static final String JOIN = "kubeadm join --config /etc/kubernetes/kubeadm/join.yaml";
    static final String DRAIN_FLAGS = "--ignore-daemonsets --delete-emptydir-data";
    /** etcdctl in the etcd container, with the healthcheck client's certificate, as the plan runs it. */
    static final Pattern ETCDCTL = Pattern.compile(Pattern.quote(CRICTL) + " exec [0-9a-f]{64} etcdctl "
            + Pattern.quote("--endpoints=https://127.0.0.1:2379 --cacert=/etc/kubernetes/pki/etcd/ca.crt "
            + "--cert=/etc/kubernetes/pki/etcd/healthcheck-client.crt --key=/etc/kubernetes/pki/etcd/healthcheck-client.key ")
            + "(.*)");
    static final String ETCD_CONTAINER = CRICTL + " ps --quiet --state running --name ^etcd$";

    /** What the probe runs on a host that is part of the cluster: versions, the Nodes, the etcd members. */
    static final List<Pattern> PROBE_READS = Stream.of(
            "kubelet --version", "kubeadm version -o short",
            Pattern.quote(KUBECTL + " get nodes -o json"), Pattern.quote(KUBECTL + " version -o json"),
            Pattern.quote(KUBECTL + " get pods -n kube-system -l tier=control-plane -o json"),
            Pattern.quote(ETCD_CONTAINER),
            Pattern.quote(CRICTL) + " exec [0-9a-f]{64} etcdctl .* member list -w simple")
            .map(Pattern::compile).toList();

    /** The probe's kubectl reads on a control plane. */
    /**
     * A call of the verify phase that ends every scaling apply: node state, kube-system pods and the test
     * namespace's pods and checks (ApplySystemTest pins their order and content; here the scaling calls are).
     */
    static boolean verifyCall(String line) {
        return line.contains("kubewizard-verify") || line.contains("/etc/kubernetes/verify/")
                || line.matches(Pattern.quote(KUBECTL) + " get nodes( \\S+)+ -o json")
                || line.equals(KUBECTL + " get pods -n kube-system -o json");
    }

    static boolean probeKubectl(String line) {
        return line.equals(KUBECTL + " get nodes -o json") || line.equals(KUBECTL + " version -o json")
                || line.equals(KUBECTL + " get pods -n kube-system -l tier=control-plane -o json");
    }

    @TempDir
    Path tmp;

    // ------------------------------------------------------------------ 1. join, then remove

    /**
     * Three stacked control planes behind haproxy + keepalived (whose backends and VRRP peers name
     * every control plane, so they are rewritten whenever the control planes change) and a worker;
     * then a fourth control plane and a second worker join; then that worker and cp2 leave.
     */
    @Test
    void controlPlanesAndWorkersJoinThenLeaveAndTheLoadBalancerFollows() throws Exception {
        List<SimNode.Spec> nodes = List.of(SimNode.Spec.debian("cp1").withHost(11), SimNode.Spec.rocky("cp2").withHost(12),
                SimNode.Spec.ubuntu("cp3").withHost(13), SimNode.Spec.debian("cp4").withHost(14),
                SimNode.Spec.debian("worker1").withHost(21), SimNode.Spec.rocky("worker2").withHost(22));
        try (SimCluster cluster = SimCluster.start(OPTIONS, nodes)) {
            Scale s = new Scale(cluster, "ha-stacked");
            // zones such that no layout of this test is warned about (cp4 in b: cp1, cp3, cp4 span a, b, c)
            s.zones.putAll(Map.of("cp1", "a", "cp2", "b", "cp3", "c", "cp4", "b", "worker1", "a", "worker2", "b"));
            s.hosts("cp1", "cp2", "cp3", "worker1");
            Cmd.Result install = s.apply("install", "--yes");
            s.assertDone(install, 14);
            assertEquals("", install.stderr(), install::toString);
            assertEquals(List.of("cp1", "cp2", "cp3", "worker1"), s.nodeNames());
            for (String n : List.of("cp1", "cp2", "cp3", "worker1")) {
                assertEquals(Map.of("topology.kubernetes.io/zone", s.zones.get(n)), s.nodeLabels(n), n);
            }

            // ---- cp4 and worker2 join
            s.hosts("cp1", "cp2", "cp3", "cp4", "worker1", "worker2");
            Cmd.Result preview = s.kw.run(RUN_TIMEOUT, "plan-join", "plan", "-f", s.answers.toString());
            assertEquals(0, preview.exitCode(), preview::toString);
            assertTrue(preview.stdout().contains("\nPlanned from the cluster as the last apply left it (apply probes the "
                    + "cluster first and plans from what it finds"), preview.stdout());
            assertTrue(preview.stdout().contains("\nJoins:    cp4, worker2\n\n"), preview.stdout());
            List<String> planned = s.planned("plan-join.json");
            s.mark();
            Cmd.Result joined = s.apply("join", "--yes");
            s.assertDone(joined, -1);
            assertEquals(sortedCopy(planned), sortedCopy(s.ran("join")), "plan previewed what apply ran");
            assertEquals("warning: " + s.answers + ":" + s.line("hosts:") + ":1: hosts: 4 stacked control planes run an even "
                    + "number of etcd members, which tolerate no more failures than 3: an odd number is recommended\n",
                    joined.stderr(), joined::toString);
            // Only the new hosts join; kubeadm init ran no second time anywhere.
            for (String n : List.of("cp1", "cp2", "cp3", "worker1")) {
                assertEquals(List.of(), s.since(n).stream().filter(c -> c.tool().equals("kubeadm")
                        && List.of("join", "init", "reset").contains(c.words().get(1)) && !c.words().contains("phase"))
                        .map(Call::line).toList(), n);
            }
            Call cp4Join = s.only("cp4", JOIN);
            Call worker2Join = s.only("worker2", JOIN);
            Call uploadCerts = s.only("cp1", "kubeadm init phase upload-certs --upload-certs --config /etc/kubernetes/kubeadm/init.yaml");
            Call token = s.only("cp1", "kubeadm init phase bootstrap-token --config /etc/kubernetes/kubeadm/init.yaml");
            assertBefore(uploadCerts, cp4Join);
            assertBefore(token, cp4Join);
            // A worker joins once the token is there, beside the control planes' joins (not after them).
            assertBefore(token, worker2Join);
            assertEquals(List.of("cp1", "cp2", "cp3", "cp4", "worker1", "worker2"), s.nodeNames());
            // The joined Nodes carry their zones as the kubelet registered them (--node-labels of the join
            // config's kubeletExtraArgs), and the first ones keep theirs.
            for (String n : List.of("cp1", "cp2", "cp3", "cp4", "worker1", "worker2")) {
                assertEquals(Map.of("topology.kubernetes.io/zone", s.zones.get(n)), s.nodeLabels(n), n);
            }
            assertTrue(read(cluster.node("worker2").path("/var/lib/kubelet/kubeadm-flags.env"))
                    .contains(" --node-labels=topology.kubernetes.io/zone=b"), "worker2's kubelet flags");
            assertEquals(List.of("cp1", "cp2", "cp3", "cp4"), s.etcdMembers("cp1"));
            s.assertLoadBalancers(List.of("cp1", "cp2", "cp3", "cp4"));

            // ---- refused, with nothing changed: a role changed in place, two etcd members at once
            byte[] applied = Files.readAllBytes(s.runDir.resolve("applied.yaml"));
            write(s.answers, read(s.answers).replace("  - name: worker1\n    address: " + cluster.node("worker1").address()
                    + "\n    internalAddress: " + cluster.node("worker1").address() + "\n    roles: [worker]",
                    "  - name: worker1\n    address: " + cluster.node("worker1").address() + "\n    internalAddress: "
                    + cluster.node("worker1").address() + "\n    roles: [control-plane]"));
            s.mark();
            Cmd.Result role = s.apply("role", "--yes");
            assertEquals(3, role.exitCode(), role::toString);
            assertEquals("", role.stdout(), role::toString);
            assertTrue(role.stderr().endsWith("error: refused, and nothing was changed: worker1 is [worker] and the answers "
                    + "file makes it [control-plane]: a role cannot change in place. Remove the host (remove: true), apply, then "
                    + "add it back with its new role\n"), role::toString);
            s.hosts("cp1", "cp4", "worker1");
            Cmd.Result two = s.apply("two-members", "--yes");
            assertEquals(3, two.exitCode(), two::toString);
            assertEquals("", two.stdout(), two::toString);
            // (after the answers' own warning about two stacked control planes)
            assertTrue(two.stderr().endsWith("\nerror: refused, and nothing was changed: this change removes 2 etcd members "
                    + "(cp2, cp3) in one run: etcd takes one membership change at a time; remove one, apply, then the next\n"),
                    two::toString);
            for (SimNode n : cluster.nodes()) {
                assertEquals(List.of(), s.since(n.name()).stream().filter(c -> !s.isRead(c)).map(Call::line).toList(), n.name());
            }
            assertArrayEquals(applied, Files.readAllBytes(s.runDir.resolve("applied.yaml")));

            // ---- worker2 and cp2 leave: gone from the file
            s.hosts("cp1", "cp3", "cp4", "worker1");
            preview = s.kw.run(RUN_TIMEOUT, "plan-remove", "plan", "-f", s.answers.toString(), "--state",
                    s.kw.workDir().resolve(".kubewizard").toString());
            assertEquals(0, preview.exitCode(), preview::toString);
            assertTrue(preview.stdout().contains("Joins:    none\nRemovals: cp2, worker2\n\n"), preview.stdout());
            String steps = preview.stdout().lines().filter(l -> l.matches("\\d+ steps in \\d+ phases\\.")).findFirst().orElseThrow();
            Cmd.Result dryRun = s.kw.run(RUN_TIMEOUT, "dry-run-remove", "apply", "-f", s.answers.toString(), "--dry-run");
            assertEquals(0, dryRun.exitCode(), dryRun::toString);
            assertTrue(dryRun.stdout().contains("Removals: cp2, worker2\n"), dryRun.stdout());
            assertTrue(dryRun.stdout().endsWith("\n" + steps + "\n"), dryRun.stdout());
            planned = s.planned("plan-remove.json");
            s.mark();
            Cmd.Result removed = s.apply("remove", "--yes");
            s.assertDone(removed, -1);
            assertEquals("", removed.stderr(), removed::toString);
            assertEquals(sortedCopy(planned), sortedCopy(s.ran("remove")), "plan previewed what apply ran");

            // On the lead: both drains tried as a dry run before anything changed, then each host in file order.
            List<String> lead = s.since("cp1").stream().map(Call::line)
                    .filter(l -> l.startsWith(KUBECTL) && !probeKubectl(l) && !verifyCall(l)).toList();
            List<String> expected = new ArrayList<>();
            for (String n : List.of("cp2", "worker2")) {
                expected.addAll(List.of(KUBECTL + " get pdb --all-namespaces -o json",
                        KUBECTL + " get pods --all-namespaces --field-selector spec.nodeName=" + n + " -o json",
                        KUBECTL + " drain " + n + " " + DRAIN_FLAGS + " --dry-run=server --timeout=60s"));
            }
            for (String n : List.of("cp2", "worker2")) {
                expected.addAll(List.of(KUBECTL + " get node " + n, KUBECTL + " cordon " + n,
                        KUBECTL + " drain " + n + " " + DRAIN_FLAGS + " --timeout=300s",
                        KUBECTL + " get node " + n, KUBECTL + " delete node " + n));
            }
            // Then the pod network's check and verify.
            expected.addAll(List.of(KUBECTL + " get -f /etc/kubernetes/cni/calico-installation.yaml",
                    KUBECTL + " wait --for=condition=Ready --timeout=600s node/cp1 node/cp3 node/cp4 node/worker1"));
            assertEquals(expected, lead, lead::toString);

            Call cp2Reset = s.only("cp2", RESET);
            Call worker2Reset = s.only("worker2", RESET);
            assertEquals(0, cp2Reset.exitCode());
            Call cp2Drain = s.only("cp1", KUBECTL + " drain cp2 " + DRAIN_FLAGS + " --timeout=300s");
            Call cp2Delete = s.only("cp1", KUBECTL + " delete node cp2");
            Call worker2Cordon = s.only("cp1", KUBECTL + " cordon worker2");
            Call worker2Delete = s.only("cp1", KUBECTL + " delete node worker2");
            Call lastCheck = s.only("cp1", KUBECTL + " drain worker2 " + DRAIN_FLAGS + " --dry-run=server --timeout=60s");
            // kubeadm reset removed cp2's etcd member; the plan looked it up through the lead, found it gone, removed nothing.
            List<Call> members = s.since("cp1").stream().filter(c -> ETCDCTL.matcher(c.line()).matches()).toList();
            List<Call> memberCalls = members.stream().filter(c -> c.startNs() > cp2Reset.endNs() && c.endNs() < cp2Delete.startNs())
                    .toList();
            assertEquals(List.of("member list -w simple"), memberCalls.stream().map(c -> etcdArgs(c)).toList(), members::toString);
            assertEquals(List.of(), members.stream().filter(c -> etcdArgs(c).startsWith("member remove")).toList());
            assertBefore(lastCheck, s.first("cp1", KUBECTL + " cordon cp2"));
            assertBefore(cp2Drain, cp2Reset);
            assertBefore(cp2Reset, memberCalls.get(0));
            assertBefore(cp2Delete, worker2Cordon);
            assertBefore(s.only("cp1", KUBECTL + " drain worker2 " + DRAIN_FLAGS + " --timeout=300s"), worker2Reset);
            assertBefore(worker2Reset, worker2Delete);
            for (String n : List.of("cp3", "cp4", "worker1")) {
                assertEquals(List.of(), s.since(n).stream().filter(c -> !s.isRead(c)).map(Call::line).toList(), n);
            }
            assertEquals(List.of("cp1", "cp3", "cp4", "worker1"), s.nodeNames());
            assertEquals(List.of("cp1", "cp3", "cp4"), s.etcdMembers("cp1"));
            s.assertLoadBalancers(List.of("cp1", "cp3", "cp4"));
            // Reset, and kubewizard's files gone: the kubeadm configs (the bootstrap token, and on a control plane
            // the key to the uploaded certificates), the load balancer's, the runtime's and the kernel's.
            for (String n : List.of("cp2", "worker2")) {
                for (String path : List.of("/etc/kubernetes/kubelet.conf", "/etc/kubernetes/kubeadm/join.yaml",
                        "/etc/containerd/config.toml", "/etc/sysctl.d/k8s.conf", "/etc/modules-load.d/k8s.conf")) {
                    assertFalse(Files.exists(cluster.node(n).path(path)), n + " still has " + path);
                }
            }
            for (String path : List.of("/etc/haproxy/haproxy.cfg", "/etc/keepalived/keepalived.conf", "/etc/keepalived/check_apiserver.sh")) {
                assertFalse(Files.exists(cluster.node("cp2").path(path)), "cp2 still has " + path);
            }
            assertEquals(List.of("cp1", "cp3", "cp4", "worker1"), s.applied());

            // ---- and again: nothing to do, and the hosts that left are not contacted
            s.mark();
            Cmd.Result again = s.apply("again", "--yes");
            s.assertDone(again, -1);
            assertEquals("", again.stderr(), again::toString);
            for (SimNode n : cluster.nodes()) {
                assertEquals(List.of(), s.since(n.name()).stream().filter(c -> !s.isRead(c)).map(Call::line).toList(), n.name());
            }
            assertEquals(List.of(), s.since("cp2"));
            assertEquals(List.of(), s.since("worker2"));
        }
    }

    // ------------------------------------------------------------------ 1b. the first control plane leaves

    /**
     * cp1, where kubeadm init ran, leaves like any other control plane: cp2 leads from then on
     * (drains cp1, takes keepalived's MASTER role, fetches the kubeconfig), and a later apply that
     * adds a control plane and a worker refreshes the certificates and the token there.
     */
    @Test
    void theFirstControlPlaneLeavesAndTheNextLeadsTheJoinsThatFollow() throws Exception {
        List<SimNode.Spec> nodes = List.of(SimNode.Spec.debian("cp1").withHost(11), SimNode.Spec.debian("cp2").withHost(12),
                SimNode.Spec.rocky("cp3").withHost(13), SimNode.Spec.debian("cp4").withHost(14),
                SimNode.Spec.debian("worker1").withHost(21), SimNode.Spec.debian("worker2").withHost(22));
        try (SimCluster cluster = SimCluster.start(OPTIONS, nodes)) {
            Scale s = new Scale(cluster, "ha-stacked");
            s.hosts("cp1", "cp2", "cp3", "worker1");
            s.assertDone(s.apply("install", "--yes"), 14);

            s.hosts("cp2", "cp3", "worker1");
            s.mark();
            Cmd.Result removed = s.apply("remove-first", "--yes");
            s.assertDone(removed, -1);
            Call drain = s.only("cp2", KUBECTL + " drain cp1 " + DRAIN_FLAGS + " --timeout=300s");
            Call reset = s.only("cp1", RESET);
            Call delete = s.only("cp2", KUBECTL + " delete node cp1");
            assertBefore(drain, reset);
            assertBefore(reset, delete);
            assertEquals(List.of(), s.since("cp1").stream().filter(c -> c.line().contains(" drain ") || c.line().contains(" delete "))
                    .toList(), "cp1 does not remove itself");
            assertEquals(List.of("cp2", "cp3", "worker1"), s.nodeNames2("cp2"));
            assertEquals(List.of("cp2", "cp3"), s.etcdMembers("cp2"));
            s.assertLoadBalancers(List.of("cp2", "cp3"));
            assertTrue(read(cluster.node("cp2").path("/etc/keepalived/keepalived.conf")).contains("    state MASTER\n"));

            s.hosts("cp2", "cp3", "cp4", "worker1", "worker2");
            s.mark();
            Cmd.Result joined = s.apply("join-after", "--yes");
            s.assertDone(joined, -1);
            Call uploadCerts = s.only("cp2", "kubeadm init phase upload-certs --upload-certs --config /etc/kubernetes/kubeadm/init.yaml");
            Call token = s.only("cp2", "kubeadm init phase bootstrap-token --config /etc/kubernetes/kubeadm/init.yaml");
            Call cp4Join = s.only("cp4", JOIN);
            Call worker2Join = s.only("worker2", JOIN);
            assertBefore(uploadCerts, cp4Join);
            assertBefore(token, cp4Join);
            assertBefore(token, worker2Join);
            assertEquals(List.of("cp2", "cp3", "cp4", "worker1", "worker2"), s.nodeNames2("cp2"));
            assertEquals(List.of("cp2", "cp3", "cp4"), s.etcdMembers("cp2"));
            s.assertLoadBalancers(List.of("cp2", "cp3", "cp4"));
            assertEquals(List.of(), s.since("cp1"), "cp1 left: it is not contacted");
        }
    }

    // ------------------------------------------------------------------ 2. --force-remove of dead hosts

    /**
     * cp3 lost power (every process of it killed, its etcd member included) and worker1's sshd is
     * stopped; both are deleted from the answers file. apply refuses to remove what it cannot reach
     * until --force-remove names each; then cp3's etcd member is removed through the lead and both
     * Nodes are deleted, and neither host is contacted at all.
     */
    @Test
    void deadHostsLeaveOnlyWithForceRemoveWhichRemovesTheirMemberAndNodeFromTheClusterSide() throws Exception {
        List<SimNode.Spec> nodes = List.of(SimNode.Spec.debian("cp1").withHost(11), SimNode.Spec.rocky("cp2").withHost(12),
                SimNode.Spec.debian("cp3").withHost(13), SimNode.Spec.debian("worker1").withHost(21));
        try (SimCluster cluster = SimCluster.start(OPTIONS, nodes)) {
            Scale s = new Scale(cluster, "ha-stacked");
            s.hosts("cp1", "cp2", "cp3", "worker1");
            s.assertDone(s.apply("install", "--yes"), 14);
            byte[] applied = Files.readAllBytes(s.runDir.resolve("applied.yaml"));

            SimNode cp3 = cluster.node("cp3");
            SimNode worker1 = cluster.node("worker1");
            cp3.kill();
            assertEquals(0, worker1.exec("kill \"$(cat /var/lib/kw-sim/sshd.pid)\"").exitCode());
            s.hosts("cp1", "cp2");
            s.mark();

            String cp3Problem = "connect: cannot connect to root@" + cp3.address() + ":22: Connection refused";
            String worker1Problem = "connect: cannot connect to root@" + worker1.address() + ":22: Connection refused";
            // What is left is two control planes and no worker, and the answers file says so.
            String warnings = "warning: " + s.answers + ":" + s.line("hosts:") + ":1: hosts: 2 stacked control planes run 2 "
                    + "etcd members, which tolerate no failure: use 3 (or 1) for high availability\n"
                    + "warning: " + s.answers + ":" + s.line("hosts:") + ":1: hosts: no host has the worker role, so the control "
                    + "planes keep their taint and ordinary pods will not schedule: add 'worker' to a control plane's roles to "
                    + "run workloads there\n";
            String cp3Refusal = "cp3 is leaving but cannot be reached (" + cp3Problem + "): to remove it without draining or "
                    + "resetting it, add --force-remove cp3";
            String worker1Refusal = "worker1 is leaving but cannot be reached (" + worker1Problem + "): to remove it without "
                    + "draining or resetting it, add --force-remove worker1";
            Cmd.Result neither = s.apply("refused", "--yes");
            assertEquals(3, neither.exitCode(), neither::toString);
            assertEquals(warnings + "error: refused, and nothing was changed: " + cp3Refusal + "; " + worker1Refusal + "\n",
                    neither.stderr(), neither::toString);
            assertEquals("", neither.stdout(), neither::toString);
            Cmd.Result one = s.apply("refused-again", "--yes", "--force-remove", "cp3");
            assertEquals(3, one.exitCode(), one::toString);
            assertEquals(warnings + "error: refused, and nothing was changed: " + worker1Refusal + "\n", one.stderr(),
                    one::toString);
            for (String n : List.of("cp1", "cp2")) {
                assertEquals(List.of(), s.since(n).stream().filter(c -> !s.isRead(c)).map(Call::line).toList(), n);
            }
            assertEquals(List.of("cp1", "cp2", "cp3", "worker1"), s.nodeNames());
            assertArrayEquals(applied, Files.readAllBytes(s.runDir.resolve("applied.yaml")));

            s.mark();
            Cmd.Result forced = s.apply("forced", "--yes", "--force-remove", "cp3,worker1");
            s.assertDone(forced, -1);
            assertEquals(warnings + Stream.of("cp3", "worker1").map(n -> "warning: " + n + " was removed without being reached "
                    + "(--force-remove): it was not drained and kubeadm reset did not run there, so its kubelet, containers, "
                    + "/etc/kubernetes and /var/lib/etcd remain; reset it before it is used again\n").reduce("", String::concat),
                    forced.stderr(), forced::toString);
            // Not even a connection was tried: the run has no step on either host.
            assertEquals(List.of(), forced.stdout().lines().filter(l -> l.contains(" on cp3: ") || l.contains(" on worker1: "))
                    .toList());
            assertEquals(List.of(), s.since("cp3"));
            assertEquals(List.of(), s.since("worker1"));

            List<String> lead = s.since("cp1").stream().filter(c -> !probeKubectl(c.line()) && !verifyCall(c.line()))
                    .filter(c -> c.line().startsWith(KUBECTL) || ETCDCTL.matcher(c.line()).matches())
                    .map(c -> ETCDCTL.matcher(c.line()).matches() ? "etcdctl " + etcdArgs(c) : c.line()).toList();
            String cp3Id = s.memberId(lead);
            assertEquals(List.of("etcdctl member list -w simple", "etcdctl member list -w simple", "etcdctl member list -w simple",
                    "etcdctl member remove " + cp3Id,
                    KUBECTL + " get node cp3", KUBECTL + " delete node cp3",
                    KUBECTL + " get node worker1", KUBECTL + " delete node worker1",
                    KUBECTL + " get -f /etc/kubernetes/cni/calico-installation.yaml",
                    KUBECTL + " wait --for=condition=Ready --timeout=600s node/cp1 node/cp2", "etcdctl endpoint health --cluster"),
                    lead);
            assertEquals(List.of("cp1", "cp2"), s.nodeNames());
            assertEquals(List.of("cp1", "cp2"), s.etcdMembers("cp1"));
            s.assertLoadBalancers(List.of("cp1", "cp2"));
            assertEquals(List.of("cp1", "cp2"), s.applied());
        }
    }

    // ------------------------------------------------------------------ 3. SIGKILL during a removal, --resume

    /**
     * The jar is killed twice while node2 leaves: parked in its drain, and parked in kubeadm reset.
     * Each --resume goes on from the journal: the steps it finished are not run again, the one it
     * was killed in runs again from its check, and node2 ends deleted, not left cordoned.
     */
    @Test
    void aRemovalKilledInItsDrainAndInItsResetIsFinishedByResumeWithoutRedoingWhatWasDone() throws Exception {
        try (SimCluster cluster = SimCluster.start(OPTIONS, List.of(SimNode.Spec.debian("node1").withHost(11),
                SimNode.Spec.debian("node2").withHost(12)))) {
            Scale s = new Scale(cluster, "single-node");
            s.hosts("node1", "node2");
            s.assertDone(s.apply("install", "--yes"), -1);
            s.hosts("node1");

            // 1: killed while the drain is parked: node2 is cordoned, nothing evicted.
            s.mark();
            Hold drain = cluster.hold("node1", "kubectl drain node2 --timeout=300s");
            Kubewizard.Running first = s.start("kill-drain", "--yes");
            assertEquals("node1", FaultsSystemTest.awaitHold(drain, first, "the run killed in its drain"));
            first.kill9();
            Map<String, String> journal = FaultsSystemTest.journal(s.runDir);
            assertEquals("DONE", journal.get("remove/check/node2@node1"), journal::toString);
            assertEquals("RUNNING", journal.get("remove/drain/node2@node1"), journal::toString);
            List<String> before = s.since("node1").stream().map(Call::line).filter(l -> l.contains("node2")).toList();
            assertEquals(List.of(KUBECTL + " get pods --all-namespaces --field-selector spec.nodeName=node2 -o json",
                    KUBECTL + " drain node2 " + DRAIN_FLAGS + " --dry-run=server --timeout=60s",
                    KUBECTL + " get node node2", KUBECTL + " cordon node2"), before);
            assertEquals(true, s.node("node2").get("unschedulable"), "cordoned before the drain was parked");

            // 2: resumed, and killed in kubeadm reset on node2, after the drain finished.
            s.mark();
            Hold reset = cluster.hold("node2", "kubeadm reset");
            Kubewizard.Running second = s.start("kill-reset", "--resume", "--yes");
            assertEquals("node2", FaultsSystemTest.awaitHold(reset, second, "the resume killed in kubeadm reset"));
            second.kill9();
            assertTrue(second.stdoutSoFar().startsWith("Cluster single: 2 hosts, "), second.stdoutSoFar());
            assertTrue(second.stdoutSoFar().lines().findFirst().orElseThrow().endsWith(", resuming the journal's run."),
                    second.stdoutSoFar());
            journal = FaultsSystemTest.journal(s.runDir);
            assertEquals("DONE", journal.get("remove/drain/node2@node1"), journal::toString);
            assertEquals("RUNNING", journal.get("remove/reset@node2"), journal::toString);
            // The check done earlier is not run again; the drain is, from its check: cordon says so, drain evicts.
            assertEquals(List.of(KUBECTL + " get node node2", KUBECTL + " cordon node2",
                    KUBECTL + " drain node2 " + DRAIN_FLAGS + " --timeout=300s"),
                    s.since("node1").stream().map(Call::line).filter(l -> l.contains("node2")).toList());
            assertEquals(List.of(), s.since("node1").stream().filter(c -> c.line().contains("--dry-run")).toList());

            // 3: resumed to the end.
            s.mark();
            Cmd.Result last = s.resume("resume");
            s.assertDone(last, -1);
            assertEquals("", last.stderr(), last::toString);
            List<String> ran = s.since("node1").stream().map(Call::line).filter(l -> l.contains("node2")).toList();
            assertEquals(List.of(KUBECTL + " get node node2", KUBECTL + " delete node node2"), ran);
            assertEquals(List.of(RESET), s.since("node2").stream().map(Call::line).filter(l -> l.startsWith("kubeadm")).toList());
            assertEquals(0, s.only("node2", RESET).exitCode());
            Map<String, String> done = FaultsSystemTest.journal(s.runDir);
            for (String key : List.of("remove/check/node2@node1", "remove/drain/node2@node1", "remove/reset@node2",
                    "remove/delete/node2@node1")) {
                assertEquals("DONE", done.get(key), key + ": " + done);
            }
            List<Map<String, Object>> events = FaultsSystemTest.events(tmp.resolve("resume.events.ndjson"));
            assertEquals(List.of("remove/check/node2@node1", "remove/drain/node2@node1"), events.stream()
                    .filter(e -> "in an earlier run".equals(e.get("message")) && String.valueOf(e.get("stepKey")).startsWith("remove/"))
                    .map(e -> (String) e.get("stepKey")).toList());
            assertEquals(List.of("node1"), s.nodeNames());
            assertEquals(null, s.node("node1").get("unschedulable"));
            assertFalse(Files.exists(cluster.node("node2").path("/etc/kubernetes/kubelet.conf")));
            assertFalse(Files.exists(cluster.node("node2").path("/etc/kubernetes/kubeadm/join.yaml")), "the token is gone with it");
            assertEquals(List.of("node1"), s.applied());
        }
    }

    // ------------------------------------------------------------------ 4. a budget that blocks the drain

    /**
     * node2 marked {@code remove: true}: without --yes and without a terminal the removal is refused
     * (exit 3) with nothing changed. Confirmed, web's one replica runs on node2 and its budget wants
     * one available: the drain dry run on the lead stops the run, naming the budget, before anything
     * changes on any host. With a second replica on node1 the budget allows the eviction, and
     * --resume removes node2 (a host marked remove: true leaves like one deleted from the file).
     */
    @Test
    void aBudgetThatBlocksTheDrainStopsTheRunBeforeAnythingChangesAndNamesIt() throws Exception {
        try (SimCluster cluster = SimCluster.start(OPTIONS, List.of(SimNode.Spec.debian("node1").withHost(11),
                SimNode.Spec.rocky("node2").withHost(12)))) {
            Scale s = new Scale(cluster, "single-node");
            s.hosts("node1", "node2");
            s.assertDone(s.apply("install", "--yes"), -1);
            // node2 marked remove: true, and apply without --yes and without a terminal: refused, exit 3, nothing changed.
            write(s.answers, s.header + s.entry("node1", false) + s.entry("node2", true));
            byte[] applied = Files.readAllBytes(s.runDir.resolve("applied.yaml"));
            byte[] journal = Files.readAllBytes(s.runDir.resolve("journal.ndjson"));
            s.mark();
            Cmd.Result unconfirmed = s.apply("unconfirmed");
            assertEquals(3, unconfirmed.exitCode(), unconfirmed::toString);
            assertEquals("error: this apply removes node2 from cluster 'single' (drain, kubeadm reset, delete the Node) and "
                    + "that was not confirmed: answer the question on a terminal, or add --yes. Nothing was changed\n",
                    unconfirmed.stderr(), unconfirmed::toString);
            assertEquals("", unconfirmed.stdout(), unconfirmed::toString);
            for (String n : List.of("node1", "node2")) {
                assertEquals(List.of(), s.since(n).stream().filter(c -> !s.isRead(c)).map(Call::line).toList(), n);
            }
            assertArrayEquals(applied, Files.readAllBytes(s.runDir.resolve("applied.yaml")));
            assertArrayEquals(journal, Files.readAllBytes(s.runDir.resolve("journal.ndjson")));

            // Confirmed, but web's one replica runs on node2 and its budget wants one available.
            cluster.addPod("default", "web-7d4b9-aaaaa", "node2", Map.of("app", "web"), false);
            cluster.addPdb("default", "web", Map.of("app", "web"), 1);
            Map<String, Long> logs = s.logSizes();
            s.mark();

            Cmd.Result r = s.apply("blocked", "--yes");
            assertEquals(1, r.exitCode(), r::toString);
            assertEquals("", r.stderr(), r::toString);
            String failure = "remove/check/node2 on node1: draining node2 would violate PodDisruptionBudget default/web: it "
                    + "allows 0 disruptions and covers default/web-7d4b9-aaaaa on node2";
            assertTrue(r.stdout().endsWith("Failed: 1 step.\n  " + failure + "\nFix the cause, then continue with: kubewizard "
                    + "apply -f " + s.answers + " --resume\n"), r::toString);
            // Only reads ran anywhere: the probe, the checks, and the drain's dry run (which failed, as it should).
            for (String n : List.of("node1", "node2")) {
                assertEquals(List.of(), s.since(n).stream().filter(c -> !s.isRead(c) && !c.line().startsWith(KUBECTL + " get p"))
                        .filter(c -> !c.line().equals(KUBECTL + " drain node2 " + DRAIN_FLAGS + " --dry-run=server --timeout=60s"))
                        .map(Call::line).toList(), n);
                assertEquals(List.of(), s.since(n).stream().filter(c -> c.tool().equals("kubectl") && (c.words().contains("cordon") || c.words().contains("uncordon"))
                        || List.of("apt-get", "dnf", "systemctl", "kubeadm").contains(c.tool()) && !s.isRead(c)).toList(), n);
            }
            Call dryRun = s.onlyOfAnyExit("node1", KUBECTL + " drain node2 " + DRAIN_FLAGS + " --dry-run=server --timeout=60s");
            assertEquals(1, dryRun.exitCode(), dryRun::toString);
            assertEquals(List.of(), s.newLogLines(logs).stream().filter(l -> l.contains(": upload ")).toList());
            List<String> ran = FaultsSystemTest.events(tmp.resolve("blocked.events.ndjson")).stream()
                    .filter(e -> "StepChanged".equals(e.get("type")) && "RUNNING".equals(e.get("status")))
                    .map(e -> (String) e.get("stepId")).distinct().toList();
            assertEquals(List.of(), ran.stream().filter(id -> !List.of("connect", "facts", "observe", "preflight/host",
                            "preflight/across-hosts", "remove/check/node2").contains(id))
                    .toList(), ran::toString);
            assertEquals(null, s.node("node2").get("unschedulable"));
            assertEquals(List.of("node1", "node2"), s.nodeNames());
            assertArrayEquals(applied, Files.readAllBytes(s.runDir.resolve("applied.yaml")));

            // A second replica elsewhere: the budget allows one disruption, and the resumed run removes node2.
            cluster.addPod("default", "web-7d4b9-bbbbb", "node1", Map.of("app", "web"), false);
            s.mark();
            Cmd.Result resumed = s.resume("resume");
            s.assertDone(resumed, -1);
            assertEquals(List.of("node1"), s.nodeNames());
            assertEquals(List.of("node1"), s.applied());
        }
    }

    /**
     * The budget appears after the dry run passed, while the drain is parked: the real drain is
     * refused, node2 is uncordoned again (never left unschedulable by a failed run) and nothing after
     * the drain runs. With a second replica elsewhere, --resume drains it and removes it.
     */
    @Test
    void aDrainThatFailsUncordonsTheNodeAgainAndResumeDrainsItOnceTheBudgetAllows() throws Exception {
        try (SimCluster cluster = SimCluster.start(OPTIONS, List.of(SimNode.Spec.debian("node1").withHost(11),
                SimNode.Spec.debian("node2").withHost(12)))) {
            Scale s = new Scale(cluster, "single-node");
            s.hosts("node1", "node2");
            s.assertDone(s.apply("install", "--yes"), -1);
            cluster.addPod("default", "web-7d4b9-aaaaa", "node2", Map.of("app", "web"), false);
            s.hosts("node1");
            s.mark();

            Hold drain = cluster.hold("node1", "kubectl drain node2 --timeout=300s");
            Kubewizard.Running run = s.start("drain-fails", "--yes");
            assertEquals("node1", FaultsSystemTest.awaitHold(drain, run, "the run parked in its drain"));
            cluster.addPdb("default", "web", Map.of("app", "web"), 1);
            drain.release();
            Cmd.Result r = run.await(RUN_TIMEOUT);
            assertEquals(1, r.exitCode(), r::toString);
            String timedOut = "error when evicting pods/\"web-7d4b9-aaaaa\" -n \"default\": global timeout reached: 5m0s";
            assertTrue(r.stdout().endsWith("Failed: 1 step.\n  remove/drain/node2 on node1: kubectl exited 1: There are pending "
                    + "nodes to be drained: | node2 | " + timedOut + "\nFix the cause, then continue with: kubewizard apply -f "
                    + s.answers + " --resume\n"), r::toString);
            List<String> onNode2 = s.since("node1").stream().map(Call::line).filter(l -> l.matches(".* (cordon|drain|uncordon) node2.*")
                    && !l.contains("--dry-run")).toList();
            assertEquals(List.of(KUBECTL + " cordon node2", KUBECTL + " drain node2 " + DRAIN_FLAGS + " --timeout=300s",
                    KUBECTL + " uncordon node2"), onNode2);
            assertEquals(0, s.only("node1", KUBECTL + " uncordon node2").exitCode());
            assertEquals(List.of(), s.since("node2").stream().filter(c -> c.tool().equals("kubeadm") && !s.isRead(c)).toList());
            assertEquals(null, s.node("node2").get("unschedulable"), "uncordoned again");
            assertEquals(List.of("node1", "node2"), s.nodeNames());

            cluster.addPod("default", "web-7d4b9-bbbbb", "node1", Map.of("app", "web"), false);
            s.mark();
            s.assertDone(s.resume("resume"), -1);
            s.only("node1", KUBECTL + " drain node2 " + DRAIN_FLAGS + " --timeout=300s");
            s.only("node2", RESET);
            assertEquals(List.of("node1"), s.nodeNames());
            assertEquals(List.of("node1"), s.applied());
        }
    }

    // ------------------------------------------------------------------ 6. external etcd: members replaced, added

    /**
     * An external etcd member is replaced in one run: etcd4 is announced (etcdctl member add through
     * a running member) and started with initial-cluster-state existing, the API server is pointed
     * at the new members, and only then is etcd3's member removed and etcd3 reset. Then the cluster
     * grows to five: etcd3 (reset, so it joins afresh) and etcd5, one membership change at a time.
     * The running members' manifests are never rewritten.
     */
    @Test
    void externalEtcdMembersAreReplacedAndAddedOneMembershipChangeAtATime() throws Exception {
        List<SimNode.Spec> nodes = List.of(SimNode.Spec.debian("cp1").withHost(11), SimNode.Spec.debian("cp2").withHost(12),
                SimNode.Spec.debian("etcd1").withHost(31), SimNode.Spec.rocky("etcd2").withHost(32),
                SimNode.Spec.debian("etcd3").withHost(33), SimNode.Spec.debian("etcd4").withHost(34),
                SimNode.Spec.ubuntu("etcd5").withHost(35), SimNode.Spec.debian("worker1").withHost(21));
        try (SimCluster cluster = SimCluster.start(OPTIONS, nodes)) {
            Scale s = new Scale(cluster, "ha-external-etcd");
            s.hosts("cp1", "etcd1", "etcd2", "etcd3", "worker1");
            s.assertDone(s.apply("install", "--yes"), -1);
            assertEquals(List.of("etcd1", "etcd2", "etcd3"), s.etcdMembers("etcd1"));
            assertEquals(s.etcdServers("etcd1", "etcd2", "etcd3"), s.apiServerEtcdServers("cp1"));
            Map<String, String> manifests = new LinkedHashMap<>();
            for (String e : List.of("etcd1", "etcd2")) manifests.put(e, read(cluster.node(e).path("/etc/kubernetes/manifests/etcd.yaml")));

            // ---- etcd4 replaces etcd3
            s.hosts("cp1", "etcd1", "etcd2", "etcd4", "worker1");
            s.mark();
            Cmd.Result replaced = s.apply("replace", "--yes");
            s.assertDone(replaced, -1);
            Call add = s.onlyEtcdctl("etcd1", "member add etcd4 --peer-urls=https://" + cluster.node("etcd4").address() + ":2380");
            Call start = s.only("etcd4", "kubeadm init phase etcd local --config /etc/kubernetes/kubeadm/etcd.yaml");
            assertBefore(add, start);
            String etcd4 = read(cluster.node("etcd4").path("/etc/kubernetes/manifests/etcd.yaml"));
            assertTrue(etcd4.contains("- --initial-cluster-state=existing\n"), etcd4);
            List<Call> removes = s.since("etcd1").stream().filter(c -> ETCDCTL.matcher(c.line()).matches()
                    && etcdArgs(c).startsWith("member remove ")).toList();
            assertEquals(1, removes.size(), removes::toString);
            assertEquals(0, removes.get(0).exitCode(), removes.get(0)::toString);
            Call reset = s.only("etcd3", RESET);
            assertBefore(start, removes.get(0));
            assertBefore(removes.get(0), reset);
            assertEquals(List.of("etcd1", "etcd2", "etcd4"), s.etcdMembers("etcd1"));
            assertEquals(s.etcdServers("etcd1", "etcd2", "etcd4"), s.apiServerEtcdServers("cp1"));
            assertFalse(Files.exists(cluster.node("etcd3").path("/etc/kubernetes/manifests/etcd.yaml")));
            for (String e : manifests.keySet()) {
                assertEquals(manifests.get(e), read(cluster.node(e).path("/etc/kubernetes/manifests/etcd.yaml")), e + " was not restarted");
            }
            assertEquals(List.of("cp1", "etcd1", "etcd2", "etcd4", "worker1"), s.applied());

            // ---- etcd3 back, and etcd5: two members join, one after the other
            s.hosts("cp1", "etcd1", "etcd2", "etcd4", "etcd3", "etcd5", "worker1");
            s.mark();
            Cmd.Result grown = s.apply("grow", "--yes");
            s.assertDone(grown, -1);
            Call add3 = s.onlyEtcdctl("etcd1", "member add etcd3 --peer-urls=https://" + cluster.node("etcd3").address() + ":2380");
            // etcd refuses a membership change for 5 s after a member joined: the announcement is tried again until it takes.
            List<Call> adds5 = s.since("etcd1").stream().filter(c -> ETCDCTL.matcher(c.line()).matches()
                    && etcdArgs(c).equals("member add etcd5 --peer-urls=https://" + cluster.node("etcd5").address() + ":2380")).toList();
            assertEquals(0, adds5.get(adds5.size() - 1).exitCode(), adds5::toString);
            assertEquals(List.of(), adds5.subList(0, adds5.size() - 1).stream().filter(c -> c.exitCode() != 1).toList());
            Call add5 = adds5.get(adds5.size() - 1);
            Call start3 = s.only("etcd3", "kubeadm init phase etcd local --config /etc/kubernetes/kubeadm/etcd.yaml");
            assertBefore(start3, adds5.get(0));
            Call start5 = s.only("etcd5", "kubeadm init phase etcd local --config /etc/kubernetes/kubeadm/etcd.yaml");
            assertBefore(add3, start3);
            assertBefore(start3, add5);
            assertBefore(add5, start5);
            assertEquals(List.of("etcd1", "etcd2", "etcd3", "etcd4", "etcd5"), s.etcdMembers("etcd1"));
            assertEquals(s.etcdServers("etcd1", "etcd2", "etcd4", "etcd3", "etcd5"), s.apiServerEtcdServers("cp1"));
            for (String e : manifests.keySet()) {
                assertEquals(manifests.get(e), read(cluster.node(e).path("/etc/kubernetes/manifests/etcd.yaml")), e + " was not restarted");
            }

            // ---- a control plane joins afterwards: its API server names the members there are, not those at install
            s.hosts("cp1", "cp2", "etcd1", "etcd2", "etcd4", "etcd3", "etcd5", "worker1");
            s.mark();
            s.assertDone(s.apply("join-cp", "--yes"), -1);
            s.only("cp2", JOIN);
            assertEquals(s.etcdServers("etcd1", "etcd2", "etcd4", "etcd3", "etcd5"), s.apiServerEtcdServers("cp2"));
            assertEquals(s.etcdServers("etcd1", "etcd2", "etcd4", "etcd3", "etcd5"), s.apiServerEtcdServers("cp1"));

            s.mark();
            s.assertDone(s.apply("again", "--yes"), -1);
            for (SimNode n : cluster.nodes()) {
                assertEquals(List.of(), s.since(n.name()).stream().filter(c -> !s.isRead(c)).map(Call::line).toList(), n.name());
            }
        }
    }

    // ------------------------------------------------------------------ helpers

    static String etcdArgs(Call c) {
        var m = ETCDCTL.matcher(c.line());
        assertTrue(m.matches(), c.line());
        return m.group(1);
    }

    static List<String> sortedCopy(List<String> in) {
        return in.stream().sorted().toList();
    }

    static void assertBefore(Call first, Call then) {
        assertTrue(first.endNs() < then.startNs(), first.node() + " '" + first.line() + "' ended before " + then.node()
                + " '" + then.line() + "' began");
    }

    /** One cluster's answers file, as the test edits it, and the jar's runs against it. */
    final class Scale {
        final SimCluster cluster;
        final Kubewizard kw;
        final Path answers;
        final String header;
        final String name;
        final Path runDir;
        private final Map<String, Integer> marks = new LinkedHashMap<>();
        /** Each host's zone in the answers file; a host not named here has none. */
        final Map<String, String> zones = new LinkedHashMap<>();

        Scale(SimCluster cluster, String preset) {
            this.cluster = cluster;
            this.kw = new Kubewizard(cluster, tmp);
            this.answers = kw.answers(preset, cluster.knownHosts());
            String text = read(answers);
            String vip = cluster.address(100);
            if (preset.equals("ha-stacked")) {
                // haproxy + keepalived rather than kube-vip: their configs list the control planes.
                text = text.replace("controlPlaneEndpoint: " + vip + ":6443", "controlPlaneEndpoint: " + vip + ":8443")
                        .replace("type: kube-vip", "type: haproxy-keepalived")
                        .replace("    interface: eth0\n    port: 6443\n", "    interface: eth0\n    port: 8443\n");
            }
            this.header = text.substring(0, text.indexOf("\nhosts:\n") + "\nhosts:\n".length());
            this.name = spec(text).cluster().name();
            this.runDir = kw.runDirectory(name);
        }

        private ClusterSpec spec(String text) {
            Path p = tmp.resolve("spec-check.yaml");
            write(p, text);
            AnswersLoader.Result r = AnswersLoader.load(p);
            assertTrue(r.spec() != null && !r.hasErrors(), r.problems()::toString);
            return r.spec();
        }

        ClusterSpec spec() {
            AnswersLoader.Result r = AnswersLoader.load(answers);
            assertFalse(r.hasErrors(), r.problems()::toString);
            return r.spec();
        }

        /** The answers file with these hosts: a name starting cp is a control plane, etcd an etcd host, else a worker. */
        void hosts(String... names) {
            StringBuilder sb = new StringBuilder(header);
            for (String n : names) sb.append(entry(n, false));
            write(answers, sb.toString());
        }

        /** The 1-based line of the answers file that is exactly this. */
        int line(String text) {
            return read(answers).lines().toList().indexOf(text) + 1;
        }

        String entry(String n, boolean remove) {
            String role = n.startsWith("cp") ? "control-plane" : n.startsWith("etcd") ? "etcd"
                    : n.equals("node1") ? "control-plane, worker" : "worker";
            String address = cluster.node(n).address();
            return "  - name: " + n + "\n    address: " + address + "\n    internalAddress: " + address + "\n    roles: ["
                    + role + "]\n    zone: '" + zones.getOrDefault(n, "") + "'\n    labels: {}\n    taints: []\n    ssh: {}\n" + (remove ? "    remove: true\n" : "");
        }

        Cmd.Result apply(String run, String... extra) {
            List<String> args = new ArrayList<>(List.of("apply", "-f", answers.toString(), "--plain", "--accept-new-host-keys",
                    "--events", tmp.resolve(run + ".events.ndjson").toString()));
            args.addAll(List.of(extra));
            long started = System.nanoTime();
            Cmd.Result r = kw.run(RUN_TIMEOUT, run, args.toArray(String[]::new));
            System.out.printf("ScaleSystemTest: %s took %d ms%n", run, (System.nanoTime() - started) / 1_000_000);
            return r;
        }

        /** The step keys {@code kubewizard plan --format json} lists: the probe's and the workflow's. */
        @SuppressWarnings("unchecked")
        List<String> planned(String run) {
            Cmd.Result r = kw.run(RUN_TIMEOUT, run, "plan", "-f", answers.toString(), "--format", "json");
            assertEquals(0, r.exitCode(), r::toString);
            List<String> keys = new ArrayList<>();
            for (Object phase : (List<Object>) ((Map<String, Object>) Json.parse(r.stdout())).get("phases")) {
                for (Object step : (List<Object>) ((Map<String, Object>) phase).get("steps")) {
                    keys.add((String) ((Map<String, Object>) step).get("key"));
                }
            }
            return keys;
        }

        /** Every step key a run's events name, once each. */
        List<String> ran(String run) {
            try {
                return FaultsSystemTest.events(tmp.resolve(run + ".events.ndjson")).stream()
                        .filter(e -> "StepChanged".equals(e.get("type"))).map(e -> (String) e.get("stepKey")).distinct().toList();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        /** Exit 0, every phase ended well, and the summary names the kubeconfig; {@code phases} -1 for any number. */
        void assertDone(Cmd.Result r, int phases) {
            assertEquals(0, r.exitCode(), () -> r + "\n" + diagnosis(r));
            List<String> lines = r.stdout().lines().toList();
            assertEquals("Done. Admin kubeconfig: " + runDir.resolve("kubeconfig"),
                    CLOCK.matcher(lines.get(lines.size() - 1)).replaceFirst(""), r::toString);
            assertFalse(r.stdout().contains("✗ "), r::toString);
            if (phases >= 0) assertTrue(lines.get(0).endsWith(", " + phases + " phases."), lines.get(0));
        }

        Kubewizard.Running start(String run, String... extra) {
            List<String> args = new ArrayList<>(List.of("apply", "-f", answers.toString(), "--plain", "--accept-new-host-keys",
                    "--events", tmp.resolve(run + ".events.ndjson").toString()));
            args.addAll(List.of(extra));
            return kw.start(run, args.toArray(String[]::new));
        }

        Cmd.Result resume(String run) {
            return apply(run, "--resume", "--yes");
        }

        /** For a failed run: the last lines of each failed step's host log, and of the etcd there. */
        String diagnosis(Cmd.Result r) {
            StringBuilder sb = new StringBuilder();
            for (String line : r.stdout().lines().filter(l -> l.contains(": FAILED: ")).toList()) {
                String host = line.substring(line.indexOf(" on ") + 4, line.indexOf(": FAILED: "));
                for (Path log : List.of(runDir.resolve("logs/" + host + ".log"))) {
                    List<String> lines = Files.exists(log) ? read(log).lines().toList() : List.of();
                    sb.append("--- ").append(log).append('\n')
                            .append(String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()))).append('\n');
                }
                Path etcd = cluster.node(host).path("/var/log/kw-sim/etcd.log");
                if (Files.exists(etcd)) {
                    List<String> lines = read(etcd).lines().toList();
                    sb.append("--- ").append(host).append(" etcd.log\n")
                            .append(String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()))).append('\n');
                }
            }
            return sb.toString();
        }

        /** Remembers how many calls each node has recorded, for {@link #since}. */
        void mark() {
            for (SimNode n : cluster.nodes()) marks.put(n.name(), n.calls().size());
        }

        List<Call> since(String node) {
            List<Call> all = cluster.node(node).calls();
            return all.subList(marks.getOrDefault(node, 0), all.size());
        }

        /** The one call of this command line on the node since the mark. */
        Call only(String node, String line) {
            List<Call> found = since(node).stream().filter(c -> c.line().equals(line)).toList();
            assertEquals(1, found.size(), node + " ran '" + line + "' " + found.size() + " times: "
                    + since(node).stream().map(Call::line).toList());
            assertEquals(0, found.get(0).exitCode(), found.get(0)::toString);
            return found.get(0);
        }

        /** The one call of this command line since the mark, whatever its exit code. */
        Call onlyOfAnyExit(String node, String line) {
            List<Call> found = since(node).stream().filter(c -> c.line().equals(line)).toList();
            assertEquals(1, found.size(), node + " ran '" + line + "' " + found.size() + " times");
            return found.get(0);
        }

        Call first(String node, String line) {
            return since(node).stream().filter(c -> c.line().equals(line)).findFirst()
                    .orElseGet(() -> fail(node + " never ran '" + line + "'"));
        }

        boolean isRead(Call c) {
            String l = c.line();
            // The Pod Security check's server dry run of a privileged pod is refused by design: exit 1.
            int expected = l.equals(ApplySystemTest.PRIVILEGED_DRY_RUN) ? 1 : 0;
            return c.exitCode() == expected && (PROBE_READS.stream().anyMatch(p -> p.matcher(l).matches())
                    || ApplySystemTest.READS.stream().anyMatch(p -> p.matcher(l).matches()));
        }

        /** The control plane the test asks: cp1, or node1 in a single-node preset. */
        SimNode lead() {
            return cluster.nodes().stream().filter(n -> n.name().equals("cp1") || n.name().equals("node1")).findFirst()
                    .orElseThrow();
        }

        /** The Nodes as the simulated API server lists them, by name. */
        List<String> nodeNames() {
            Cmd.Result r = lead().ssh(KUBECTL + " get nodes -o name");
            assertEquals(0, r.exitCode(), r::toString);
            return r.stdout().lines().map(l -> l.substring("node/".length())).sorted().toList();
        }

        /** A Node's labels as the simulated API server keeps them (api.json), those the kubelet registered. */
        @SuppressWarnings("unchecked")
        Map<String, Object> nodeLabels(String node) {
            Map<String, Object> nodes = (Map<String, Object>) cluster.apiState().get("nodes");
            Map<String, Object> entry = (Map<String, Object>) nodes.get(node);
            assertTrue(entry != null, () -> node + " is no Node: " + nodes.keySet());
            return (Map<String, Object>) entry.getOrDefault("labels", Map.of());
        }

        /** The Nodes as the API server lists them, asked on {@code through}. */
        List<String> nodeNames2(String through) {
            Cmd.Result r = cluster.node(through).ssh(KUBECTL + " get nodes -o name");
            assertEquals(0, r.exitCode(), r::toString);
            return r.stdout().lines().map(l -> l.substring("node/".length())).sorted().toList();
        }

        /** The one etcdctl call with these arguments in the node's etcd container since the mark. */
        Call onlyEtcdctl(String node, String args) {
            List<Call> found = since(node).stream().filter(c -> ETCDCTL.matcher(c.line()).matches() && etcdArgs(c).equals(args))
                    .toList();
            assertEquals(1, found.size(), node + " ran etcdctl " + args + " " + found.size() + " times");
            assertEquals(0, found.get(0).exitCode(), found.get(0)::toString);
            return found.get(0);
        }

        String etcdServers(String... members) {
            return "--etcd-servers=" + String.join(",", Stream.of(members).map(m -> "https://" + cluster.node(m).address() + ":2379").toList());
        }

        /** The --etcd-servers line of the control plane's API server manifest. */
        String apiServerEtcdServers(String cp) {
            return read(cluster.node(cp).path("/etc/kubernetes/manifests/kube-apiserver.yaml")).lines().map(String::strip)
                    .filter(l -> l.startsWith("- --etcd-servers=")).map(l -> l.substring(2)).findFirst().orElse("(none)");
        }

        /** The real etcd's members, by name, as the member on {@code through} lists them. */
        List<String> etcdMembers(String through) {
            Cmd.Result r = cluster.node(through).ssh(PlanReplaySystemTest.ETCDCTL + " member list");
            assertEquals(0, r.exitCode(), r::toString);
            return r.stdout().lines().map(l -> l.split(", ")).peek(f -> assertEquals("started", f[1], String.join(", ", f)))
                    .map(f -> f[2]).sorted().toList();
        }

        /** Every remaining control plane's haproxy backends and keepalived peers are the control planes, and only them. */
        void assertLoadBalancers(List<String> controlPlanes) {
            List<RenderedFile> rendered = Render.render(spec(), Secrets.MASKED);
            for (String cp : controlPlanes) {
                SimNode n = cluster.node(cp);
                String haproxy = read(n.path("/etc/haproxy/haproxy.cfg"));
                List<String> servers = haproxy.lines().filter(l -> l.startsWith("    server ")).toList();
                assertEquals(controlPlanes.stream().map(c -> "    server " + c + " " + cluster.node(c).address()
                        + ":6443 check verify none").toList(), servers, cp);
                String keepalived = read(n.path("/etc/keepalived/keepalived.conf"));
                String peers = keepalived.substring(keepalived.indexOf("    unicast_peer {\n"), keepalived.indexOf("    }\n",
                        keepalived.indexOf("    unicast_peer {\n")));
                assertEquals("    unicast_peer {\n" + String.join("", controlPlanes.stream().filter(c -> !c.equals(cp))
                        .map(c -> "        " + cluster.node(c).address() + "\n").toList()), peers, cp);
                // Every file of theirs as render makes it now, the static pods that mount them included.
                for (String path : List.of("/etc/haproxy/haproxy.cfg", "/etc/keepalived/keepalived.conf",
                        "/etc/keepalived/check_apiserver.sh", "/etc/kubernetes/manifests/haproxy.yaml",
                        "/etc/kubernetes/manifests/keepalived.yaml")) {
                    String want = rendered.stream().filter(f -> f.host().equals(cp) && f.path().equals(path))
                            .map(RenderedFile::content).findFirst().orElseThrow();
                    assertEquals(want, read(n.path(path)), cp + " " + path);
                }
            }
        }

        /** A Node's spec as the simulated API server gives it (read from node1 or cp1). */
        @SuppressWarnings("unchecked")
        Map<String, Object> node(String name) {
            Cmd.Result r = lead().ssh(KUBECTL + " get node " + name + " -o json");
            assertEquals(0, r.exitCode(), r::toString);
            return (Map<String, Object>) ((Map<String, Object>) Json.parse(r.stdout())).get("spec");
        }

        /** The id etcdctl member remove was given, from the lead's calls as {@code etcdctl ARGS}. */
        String memberId(List<String> lead) {
            return lead.stream().filter(l -> l.startsWith("etcdctl member remove ")).findFirst()
                    .map(l -> l.substring("etcdctl member remove ".length())).orElseGet(() -> fail("no member remove: " + lead));
        }

        /** Each per-host log's size now, to tell what a run adds to them. */
        Map<String, Long> logSizes() throws java.io.IOException {
            Map<String, Long> out = new LinkedHashMap<>();
            try (Stream<Path> logs = Files.list(runDir.resolve("logs"))) {
                for (Path p : logs.toList()) out.put(p.getFileName().toString(), Files.size(p));
            }
            return out;
        }

        List<String> newLogLines(Map<String, Long> before) throws java.io.IOException {
            List<String> out = new ArrayList<>();
            try (Stream<Path> logs = Files.list(runDir.resolve("logs"))) {
                for (Path p : logs.toList()) {
                    byte[] all = Files.readAllBytes(p);
                    int from = before.getOrDefault(p.getFileName().toString(), 0L).intValue();
                    new String(all, from, all.length - from, java.nio.charset.StandardCharsets.UTF_8).lines().forEach(out::add);
                }
            }
            return out;
        }

        /** The host names of applied.yaml, as the run directory remembers the last apply. */
        List<String> applied() {
            AnswersLoader.Result r = AnswersLoader.load(runDir.resolve("applied.yaml"));
            assertFalse(r.hasErrors(), r.problems()::toString);
            return r.spec().hosts().stream().map(h -> h.name()).toList();
        }
    }
}
