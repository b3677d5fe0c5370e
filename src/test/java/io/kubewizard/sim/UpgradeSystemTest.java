package io.kubewizard.sim;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static io.kubewizard.sim.NodeScalingSystemTest.at;
import static io.kubewizard.sim.NodeScalingSystemTest.json;
import static io.kubewizard.sim.StandInSystemTest.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code kubewizard upgrade}, the packaged jar, on simulated clusters the jar installed: the answers'
 * kubernetesVersion raised, the upgrade run, then judged from what the nodes recorded. Per minor:
 * an etcd snapshot taken, checked and fetched into the run directory first; kubeadm of the new
 * minor on every node before {@code kubeadm upgrade apply} on the first control plane, which ends
 * before any {@code upgrade node} starts, control planes one at a time; each node drained before
 * its kubelet is installed and restarted, Ready, uncordoned after, the next node only once it is
 * Ready. At the end every node runs the new version, and a second upgrade changes nothing. And what
 * goes wrong: a budget that blocks a drain, a kubelet that fails to restart, a SIGKILL in the worker
 * batch, each continued with {@code upgrade --resume}. The HA cluster's certificates are then renewed
 * ({@code certs renew}) through a SIGKILL.
 *
 * <p>Run one: {@code buildslot mvn -B verify -Psystem -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false
 * -Dit.test=UpgradeSystemTest#METHOD}.
 */
@Tag("system")
class UpgradeSystemTest {

    static final SimCluster.Options OPTIONS = ApplySystemTest.OPTIONS;
    static final Duration RUN_TIMEOUT = Duration.ofMinutes(6);
    static final String KUBECTL = "kubectl --kubeconfig /etc/kubernetes/admin\\.conf ";
    static final String CONFIG = "/etc/kubernetes/kubeadm/upgrade.yaml";
    static final String APPLY = "kubeadm upgrade apply --config " + CONFIG + " --yes";

    @TempDir
    Path tmp;

    @Test
    void singleNodeFrom134To136PassesThrough135() {
        try (SimCluster cluster = SimCluster.start(OPTIONS, List.of(SimNode.Spec.debian("node1").withHost(11)))) {
            Upgrade u = new Upgrade(cluster, "single-node", "1.34.3");
            u.upgrade("1.36.1");
            u.assertLeg("1.34.3", "1.35.2");
            u.assertLeg("1.35.2", "1.36.1");
            // The legs do not overlap: the second begins with its snapshot once the first is over.
            Call lastOfFirst = u.one("node1", KUBECTL + "uncordon node1", "1.35.2");
            Call secondSnapshot = u.one("node1", ".* snapshot save /var/lib/etcd/kubewizard-before-v1\\.36\\.1\\.db", null);
            assertBefore(lastOfFirst, secondSnapshot);
            u.assertAt("1.36.1");
            u.againChangesNothing();
        }
    }

    @Test
    void threeStackedControlPlanesAndTwoWorkersFrom135To136AndThenTheirCertificatesRenewed() throws Exception {
        List<SimNode.Spec> nodes = List.of(SimNode.Spec.debian("cp1").withHost(11), SimNode.Spec.rocky("cp2").withHost(12),
                SimNode.Spec.ubuntu("cp3").withHost(13), SimNode.Spec.debian("worker1").withHost(21),
                SimNode.Spec.rocky("worker2").withHost(22));
        try (SimCluster cluster = SimCluster.start(OPTIONS, nodes)) {
            Upgrade u = new Upgrade(cluster, "ha-stacked", "1.35.2");
            u.upgrade("1.36.1");
            u.assertLeg("1.35.2", "1.36.1");
            u.assertAt("1.36.1");
            u.againChangesNothing();
            // The same cluster's certificates renewed, through a SIGKILL (this cluster is the suite's only HA one),
            // then its etcd backed up and restored on all three members.
            u.renewCertificatesThroughASigkill();
            u.backUpAndRestoreEveryMember();
            u.certsLiveAcrossTheCluster();
        }
    }

    /**
     * One cluster (node1, worker1..3) through what goes wrong in an upgrade, each run continuing the
     * one before with {@code upgrade --resume}:
     * <ol>
     *   <li>a budget that would block worker2's drain: refused by the drain dry run, before any cordon,
     *       snapshot or package; only reads ran;</li>
     *   <li>with a second replica elsewhere the budget allows the drain, and the resume stops at worker2's
     *       kubelet restart (it fails once): worker2 is uncordoned again, worker3 untouched, and the
     *       summary names the step and the command to continue with;</li>
     *   <li>the next resume is SIGKILLed while worker3, drained and cordoned, installs its kubelet;</li>
     *   <li>the last resume finishes: no finished node is upgraded again, every node runs 1.36.1 and
     *       none is left cordoned; an upgrade after that changes nothing.</li>
     * </ol>
     */
    @Test
    void aBlockingBudgetAFailedKubeletRestartAndASigkillInTheWorkerBatch() throws Exception {
        List<SimNode.Spec> nodes = List.of(SimNode.Spec.debian("node1").withHost(11), SimNode.Spec.debian("worker1").withHost(21),
                SimNode.Spec.rocky("worker2").withHost(22), SimNode.Spec.debian("worker3").withHost(23));
        try (SimCluster cluster = SimCluster.start(OPTIONS, nodes)) {
            Upgrade u = new Upgrade(cluster, "single-node", "1.35.2", "worker1", "worker2", "worker3");
            String resumeHint = "Fix the cause, then continue with: kubewizard upgrade -f " + u.answers + " --resume\n";

            // 1. The budget: web's only replica runs on worker2 and one must stay available.
            cluster.addPod("default", "web-7d4b9-aaaaa", "worker2", Map.of("app", "web"), false);
            cluster.addPdb("default", "web", Map.of("app", "web"), 1);
            u.setVersion("1.36.1");
            Map<String, Integer> marks = u.marks();
            Cmd.Result blocked = u.run("upgrade");
            assertEquals(1, blocked.exitCode(), blocked::toString);
            assertEquals("", blocked.stderr(), blocked::toString);
            assertTrue(blocked.stdout().endsWith("Failed: 1 step.\n  upgrade/check/worker2 on node1: draining worker2 would "
                    + "violate PodDisruptionBudget default/web: it allows 0 disruptions and covers default/web-7d4b9-aaaaa on "
                    + "worker2\n" + resumeHint), blocked::toString);
            for (Call c : u.since(marks)) {
                boolean dryRun = c.line().matches(KUBECTL + "drain \\S+ --ignore-daemonsets --delete-emptydir-data --dry-run=server --timeout=60s")
                        || c.line().matches(KUBECTL + "get (pdb|pods) --all-namespaces .*-o json");
                assertTrue(dryRun || ApplySystemTest.READS.stream().anyMatch(p -> p.matcher(c.line()).matches()),
                        c.node() + " changed something before the budget was checked: " + c.line());
            }
            for (String n : u.all()) assertEquals(null, u.unschedulable(n), n);

            // 2. A second replica on node1: the budget allows one disruption. worker2's kubelet fails to restart once.
            cluster.addPod("default", "web-7d4b9-bbbbb", "node1", Map.of("app", "web"), false);
            cluster.fail("worker2", "systemctl restart kubelet", 1, "Job for kubelet.service failed because the control process "
                    + "exited with error code.", 1);
            marks = u.marks();
            Cmd.Result failed = u.run("upgrade", "--resume");
            u.calls = u.since(marks);
            assertEquals(1, failed.exitCode(), failed::toString);
            assertEquals("", failed.stderr(), failed::toString);
            assertTrue(failed.stdout().contains("Failed: 1 step.\n  upgrade/v1.36.1/kubelet on worker2: "), failed::toString);
            assertTrue(failed.stdout().endsWith(resumeHint), failed::toString);
            // worker2 was drained, then uncordoned again after its failure; worker3's turn never began.
            Call drain2 = u.one("node1", KUBECTL + "drain worker2 --ignore-daemonsets --delete-emptydir-data --timeout=300s", null);
            Call uncordon2 = u.one("node1", KUBECTL + "uncordon worker2", null);
            assertBefore(drain2, uncordon2);
            assertEquals(null, u.unschedulable("worker2"), "worker2 is uncordoned after its failure");
            assertEquals(List.of(), u.calls.stream().filter(c -> c.node().equals("worker3") && c.line().startsWith("kubeadm upgrade"))
                    .toList(), "worker3 waits for worker2");
            assertEquals(List.of(), u.calls.stream().filter(c -> c.line().contains(" worker3 ") && !c.line().contains("--dry-run"))
                    .map(Call::line).toList(), "worker3 is not drained");
            assertEquals("Kubernetes v1.35.2\n", ok(cluster.node("worker3"), "kubelet --version"));

            // 3. Resumed, and killed while worker3 (drained, cordoned) installs its kubelet.
            Hold kubelet = cluster.hold("worker3", "apt-get install -y --allow-change-held-packages kubelet=1.36.1-*");
            marks = u.marks();
            Kubewizard.Running killed = u.start("upgrade", "--resume");
            assertEquals("worker3", FaultsSystemTest.awaitHold(kubelet, killed, "the resume parked in worker3's kubelet"));
            killed.kill9();
            assertEquals(Boolean.TRUE, u.unschedulable("worker3"), "the killed run left worker3 cordoned");
            List<Call> beforeKill = u.since(marks);
            // worker2's turn ran again from its failed step: the kubelet, not the drain.
            assertEquals(List.of(), beforeKill.stream().filter(c -> c.line().startsWith(KUBECTL + "drain worker2 ")
                    || c.line().startsWith(KUBECTL + "drain worker1 ") || c.line().startsWith(KUBECTL + "drain node1 ")).toList());

            // 4. The last resume finishes from the journal: worker3's kubelet and uncordon, nothing finished again.
            marks = u.marks();
            Cmd.Result done = u.run("upgrade", "--resume");
            u.calls = u.since(marks);
            assertEquals(0, done.exitCode(), done::toString);
            assertEquals("", done.stderr(), done::toString);
            for (Call c : u.calls) {
                assertFalse(c.line().startsWith("kubeadm upgrade ") || c.line().startsWith(KUBECTL + "drain ")
                        || c.line().contains(" snapshot save ") || c.node().matches("node1|worker1|worker2")
                        && c.line().matches(".*(apt-get|dnf) install .*"), "done again: " + c.node() + ": " + c.line());
            }
            u.firstAfter("worker3", "systemctl restart kubelet", u.calls.get(0));
            u.one("node1", KUBECTL + "uncordon worker3", null);
            u.assertAt("1.36.1");
            u.againChangesNothing();
        }
    }

    // ------------------------------------------------------------------ one cluster's upgrade

    final class Upgrade {
        final SimCluster cluster;
        final Kubewizard kw;
        final Path answers;
        final String name;
        final List<String> controlPlanes = new ArrayList<>();
        final List<String> workers = new ArrayList<>();
        /** Every node's calls since the upgrade began, by start. */
        List<Call> calls;
        /** The version the cluster was installed at or last upgraded to, and the legs of the last upgrade. */
        String current;
        List<String> legs = List.of();
        int runs;

        /** The preset fitted to the cluster, with {@code extraWorkers} added to its hosts, installed at {@code version}. */
        Upgrade(SimCluster cluster, String preset, String version, String... extraWorkers) {
            this.cluster = cluster;
            this.kw = new Kubewizard(cluster, tmp);
            this.answers = kw.answers(preset, cluster.knownHosts());
            StringBuilder added = new StringBuilder(read(answers));
            for (String w : extraWorkers) {
                String address = cluster.node(w).address();
                added.append("  - name: ").append(w).append("\n    address: ").append(address).append("\n    internalAddress: ")
                        .append(address).append("\n    roles: [worker]\n    zone: ''\n    labels: {}\n    taints: []\n    ssh: {}\n");
            }
            write(answers, added.toString());
            setVersion(version);
            String text = read(answers);
            this.name = text.lines().filter(l -> l.startsWith("  name: ")).findFirst().orElseThrow().substring(8).strip();
            for (SimNode n : cluster.nodes()) {
                int at = text.indexOf("  - name: " + n.name() + "\n");
                String roles = text.substring(text.indexOf("roles: [", at), text.indexOf("]", text.indexOf("roles: [", at)));
                (roles.contains("control-plane") ? controlPlanes : workers).add(n.name());
            }
            Cmd.Result installed = run("apply");
            assertEquals(0, installed.exitCode(), installed::toString);
            assertAt(version);
            current = version;
        }

        void setVersion(String version) {
            legs = io.kubewizard.answers.KubernetesVersion.parse(current == null ? version : current)
                    .legsTo(io.kubewizard.answers.KubernetesVersion.parse(version)).stream().map(Object::toString).toList();
            write(answers, read(answers).replaceFirst("kubernetesVersion: \\S+", "kubernetesVersion: " + version));
        }

        Cmd.Result run(String verb, String... extra) {
            long started = System.nanoTime();
            Kubewizard.Running running = start(verb, extra);
            Cmd.Result r = running.await(RUN_TIMEOUT);
            System.out.printf("UpgradeSystemTest: %s, %s took %d ms%n", name, verb + "-" + runs, (System.nanoTime() - started) / 1_000_000);
            return r;
        }

        Kubewizard.Running start(String verb, String... extra) {
            String run = verb + "-" + ++runs;
            List<String> args = new ArrayList<>(List.of(verb, "-f", answers.toString(), "--plain", "--yes", "--accept-new-host-keys",
                    "--events", tmp.resolve(run + ".events.ndjson").toString()));
            args.addAll(List.of(extra));
            return kw.start(run, args.toArray(String[]::new));
        }

        /** The Node's spec.unschedulable as the API server has it (null when schedulable). */
        Object unschedulable(String node) {
            return at(json(ok(cluster.node(lead()), "kubectl --kubeconfig /etc/kubernetes/admin.conf get node " + node + " -o json")),
                    "spec", "unschedulable");
        }

        Map<String, Integer> marks() {
            Map<String, Integer> marks = new LinkedHashMap<>();
            for (SimNode n : cluster.nodes()) marks.put(n.name(), n.calls().size());
            return marks;
        }

        List<Call> since(Map<String, Integer> marks) {
            List<Call> out = new ArrayList<>();
            for (SimNode n : cluster.nodes()) {
                List<Call> all = n.calls();
                out.addAll(all.subList(marks.get(n.name()), all.size()));
            }
            out.sort(Comparator.comparingLong(Call::startNs));
            return out;
        }

        void upgrade(String version) {
            setVersion(version);
            Map<String, Integer> marks = marks();
            Cmd.Result r = run("upgrade");
            calls = since(marks);
            assertEquals(0, r.exitCode(), r::toString);
            assertEquals("", r.stderr(), r::toString);
            current = version;
        }

        String lead() { return controlPlanes.get(0); }

        /**
         * The one call on {@code node} whose line matches, exit 0; with {@code after}, the first such
         * call after the {@code kubeadm upgrade apply v<after>} (a leg's own call when a chain repeats it).
         */
        Call one(String node, String regex, String after) {
            Pattern p = Pattern.compile(regex);
            long from = after == null ? 0 : applyOf(after).startNs();
            List<Call> found = calls.stream().filter(c -> c.node().equals(node) && c.startNs() >= from
                    && p.matcher(c.line()).matches()).toList();
            assertFalse(found.isEmpty(), "no call on " + node + " matches " + regex + " (after apply v" + after + "):\n" + lines(node));
            if (after == null) assertEquals(1, found.size(), node + ": " + found);
            assertEquals(0, found.get(0).exitCode(), found.get(0)::toString);
            return found.get(0);
        }

        /** The leg's {@code kubeadm upgrade apply} (the version is in its UpgradeConfiguration: the legs' apply calls in order). */
        Call applyOf(String version) {
            List<Call> found = calls.stream().filter(c -> c.line().equals(APPLY)).toList();
            assertEquals(legs.size(), found.size(), "one " + APPLY + " per leg of " + legs + ": " + found);
            return found.get(legs.indexOf(version));
        }

        String lines(String node) {
            StringBuilder sb = new StringBuilder();
            calls.stream().filter(c -> c.node().equals(node)).forEach(c -> sb.append(c.exitCode()).append(' ').append(c.line()).append('\n'));
            return sb.toString();
        }

        /** One minor's leg, from → to, in kubewizard's order. */
        void assertLeg(String from, String to) {
            String v = Pattern.quote(to);
            String lead = lead();
            boolean chained = legs.size() > 1;
            String after = chained ? to : null;
            // The snapshot, on the lead (stacked etcd), checked by etcdctl as etcd 3.4 has no etcdutl, fetched.
            String file = "/var/lib/etcd/kubewizard-before-v" + to + ".db";
            Call snapshot = one(lead, "crictl .* exec [0-9a-f]{64} etcdctl .* snapshot save " + Pattern.quote(file), null);
            Call status = one(lead, "crictl .* exec [0-9a-f]{64} etcdctl snapshot status " + Pattern.quote(file) + " -w table", null);
            assertBefore(snapshot, status);
            Path fetched = kw.runDirectory(name).resolve("fetched").resolve(lead).resolve(file.substring(1));
            assertTrue(Files.isRegularFile(fetched), fetched + " was fetched");
            assertEquals(size(cluster.node(lead).path(file)), size(fetched));

            Call apply = applyOf(to);
            assertEquals(0, apply.exitCode(), apply::toString);
            // the leg's plan: the last one before its apply
            Call plan = calls.stream().filter(c -> c.node().equals(lead) && c.line().equals("kubeadm upgrade plan --config " + CONFIG)
                    && c.endNs() < apply.startNs()).reduce((a, b) -> b).orElseThrow(() -> new AssertionError("no plan before " + apply));
            assertEquals(0, plan.exitCode(), plan::toString);
            assertBefore(status, plan);
            assertBefore(plan, apply);
            // kubeadm of the new minor on each node before it runs kubeadm upgrade (the other hosts' installs
            // depend on nothing of the lead's: they may overlap the snapshot).
            Map<String, Call> kubeadm = new LinkedHashMap<>();
            for (String n : all()) {
                kubeadm.put(n, one(n, "(apt-get install -y --allow-change-held-packages kubeadm=" + v + "-\\*|dnf install -y"
                        + " --disableexcludes=kubernetes kubeadm-" + v + ")", null));
            }
            assertBefore(snapshot, kubeadm.get(lead));
            assertBefore(kubeadm.get(lead), plan);
            // The other control planes one at a time, after apply.
            Call previous = apply;
            for (String cp : controlPlanes.subList(1, controlPlanes.size())) {
                Call node = one(cp, Pattern.quote("kubeadm upgrade node --config " + CONFIG), after);
                assertBefore(kubeadm.get(cp), node);
                assertBefore(previous, node);
                previous = node;
            }
            // Each control plane's kubelet in turn (the lead's right after its apply, as kubeadm's guide has it),
            // then the workers' after their upgrade node, each once the node before it is Ready again. No kubelet
            // is upgraded before the API servers: the workers' only after every control plane's upgrade node.
            Call ready = apply;
            for (String n : all()) {
                Call node = null;
                if (workers.contains(n)) {
                    node = one(n, Pattern.quote("kubeadm upgrade node --config " + CONFIG), after);
                    assertBefore(kubeadm.get(n), node);
                }
                Call drain = one(lead, KUBECTL + "drain " + n + " --ignore-daemonsets --delete-emptydir-data --timeout=300s", after);
                // Tried as a server dry run before the upgrade changed anything.
                Call dry = one(lead, KUBECTL + "drain " + n + " --ignore-daemonsets --delete-emptydir-data --dry-run=server"
                        + " --timeout=60s", null);
                assertBefore(dry, firstSnapshot());
                Call kubelet = one(n, "(apt-get install -y --allow-change-held-packages kubelet=" + v + "-\\* kubectl=" + v
                        + "-\\*|dnf install -y --disableexcludes=kubernetes kubelet-" + v + " kubectl-" + v + ")", null);
                Call restart = firstAfter(n, "systemctl restart kubelet", kubelet);
                Call waited = one(lead, KUBECTL + "wait --for=condition=Ready --timeout=300s node/" + n, after);
                Call uncordon = one(lead, KUBECTL + "uncordon " + n, after);
                if (node != null) {
                    assertBefore(node, drain);
                    assertBefore(previous, kubelet);
                }
                assertBefore(apply, kubelet);
                assertBefore(ready, drain);
                assertBefore(drain, kubelet);
                assertBefore(restart, waited);
                assertBefore(waited, uncordon);
                ready = waited;
            }
        }

        Call firstSnapshot() {
            return calls.stream().filter(c -> c.line().contains(" snapshot save ")).findFirst().orElseThrow();
        }

        Call firstAfter(String node, String line, Call after) {
            return calls.stream().filter(c -> c.node().equals(node) && c.line().equals(line) && c.startNs() > after.endNs())
                    .findFirst().orElseThrow(() -> new AssertionError(node + ": no " + line + " after " + after.line()));
        }

        List<String> all() {
            List<String> out = new ArrayList<>(controlPlanes);
            out.addAll(workers);
            return out;
        }

        /** Every node runs {@code version}: its packages, its Node, its control-plane manifests; the API server too. */
        void assertAt(String version) {
            SimNode lead = cluster.node(lead());
            for (String n : all()) {
                SimNode node = cluster.node(n);
                assertEquals("Kubernetes v" + version + "\nv" + version + "\n",
                        ok(node, "kubelet --version; kubeadm version -o short"), n);
                assertTrue(ok(node, "kubectl version --client").startsWith("Client Version: v" + version + "\n"), n);
                assertEquals("v" + version, at(json(ok(lead, "kubectl --kubeconfig /etc/kubernetes/admin.conf get node " + n
                        + " -o json")), "status", "nodeInfo", "kubeletVersion"), n);
                assertEquals(null, at(json(ok(lead, "kubectl --kubeconfig /etc/kubernetes/admin.conf get node " + n
                        + " -o json")), "spec", "unschedulable"), n + " is not left cordoned");
                if (controlPlanes.contains(n)) {
                    String manifest = read(node.path("/etc/kubernetes/manifests/kube-apiserver.yaml"));
                    assertTrue(manifest.contains("image: registry.k8s.io/kube-apiserver:v" + version + "\n"), n + ":\n" + manifest);
                }
            }
            assertEquals("v" + version, at(json(ok(lead, "kubectl --kubeconfig /etc/kubernetes/admin.conf version -o json")),
                    "serverVersion", "gitVersion"));
        }

        /**
         * {@code certs renew}: failing on cp2 (it stops there, every node's control plane in place), resumed and killed
         * while cp3's {@code kubeadm certs renew all} runs, then resumed again: each
         * control plane renewed in turn (the lead first), its static pods (etcd, API server, controller manager,
         * scheduler) started again after its renewal and before the next control plane's, every manifest back in
         * place, the certificates a year from now with their SANs, and the jump host's kubeconfig fetched again.
         */
        void renewCertificatesThroughASigkill() throws Exception {
            Map<String, byte[]> before = new LinkedHashMap<>();
            for (String cp : controlPlanes) before.put(cp, Files.readAllBytes(cluster.node(cp).path("/etc/kubernetes/pki/apiserver.crt")));
            byte[] kubeconfig = Files.readAllBytes(kw.runDirectory(name).resolve("kubeconfig"));
            Map<String, Integer> marks = marks();
            // kubeadm certs renew fails on cp2: the run stops there, cp2 running as it was, cp3 untouched.
            cluster.fail(controlPlanes.get(1), "kubeadm certs renew all", 1, "error: failed to renew certificate apiserver: "
                    + "open /etc/kubernetes/pki/ca.key: permission denied", 1);
            Cmd.Result failed = kw.run(RUN_TIMEOUT, "renew-failed", "certs", "renew", "-f", answers.toString(), "--plain", "--yes");
            assertEquals(1, failed.exitCode(), failed::toString);
            assertTrue(failed.stdout().endsWith("Failed: 1 step.\n  certs/renew on cp2: kubeadm exited 1: error: failed to renew "
                    + "certificate apiserver: open /etc/kubernetes/pki/ca.key: permission denied\nFix the cause, then continue with: "
                    + "kubewizard certs renew -f " + answers + " --resume\n"), failed::toString);
            for (String cp : controlPlanes) {
                for (String m : List.of("etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler")) {
                    assertTrue(Files.isRegularFile(cluster.node(cp).path("/etc/kubernetes/manifests/" + m + ".yaml")), cp + ": " + m);
                }
            }
            assertTrue(java.util.Arrays.equals(before.get(controlPlanes.get(1)),
                    Files.readAllBytes(cluster.node(controlPlanes.get(1)).path("/etc/kubernetes/pki/apiserver.crt"))));
            // Resumed, and killed while cp3's renewal runs; then resumed again.
            Hold renew = cluster.hold(controlPlanes.get(2), "kubeadm certs renew all");
            Kubewizard.Running killed = kw.start("renew-killed", "certs", "renew", "-f", answers.toString(), "--plain", "--yes",
                    "--resume");
            assertEquals(controlPlanes.get(2), FaultsSystemTest.awaitHold(renew, killed, "the renewal parked on cp3"));
            killed.kill9();
            // cp1 and cp2 are renewed and run their control planes; cp3 is untouched.
            assertFalse(java.util.Arrays.equals(before.get(lead()), Files.readAllBytes(cluster.node(lead()).path("/etc/kubernetes/pki/apiserver.crt"))));
            assertFalse(java.util.Arrays.equals(before.get(controlPlanes.get(1)),
                    Files.readAllBytes(cluster.node(controlPlanes.get(1)).path("/etc/kubernetes/pki/apiserver.crt"))));
            assertTrue(java.util.Arrays.equals(before.get(controlPlanes.get(2)),
                    Files.readAllBytes(cluster.node(controlPlanes.get(2)).path("/etc/kubernetes/pki/apiserver.crt"))));
            Cmd.Result resumed = kw.run(RUN_TIMEOUT, "renew-resumed", "certs", "renew", "-f", answers.toString(), "--plain", "--yes",
                    "--resume");
            assertEquals(0, resumed.exitCode(), resumed::toString);
            assertEquals("", resumed.stderr(), resumed::toString);
            calls = since(marks);
            Map<?, ?> pods = (Map<?, ?>) cluster.apiState().get("staticPods");
            long previous = 0;
            for (String cp : controlPlanes) {
                SimNode node = cluster.node(cp);
                List<Call> renewed = calls.stream().filter(c -> c.node().equals(cp) && c.line().equals("kubeadm certs renew all")
                        && c.exitCode() == 0).toList();
                assertEquals(1, renewed.size(), cp + ": " + renewed);
                Call r = renewed.get(0);
                assertTrue(r.startNs() > previous, cp + " renewed before the control plane before it was healthy again");
                long lastStart = 0;
                for (String component : List.of("etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler")) {
                    Map<?, ?> pod = (Map<?, ?>) ((Map<?, ?>) pods.get(cp)).get(component);
                    long started = ((Number) pod.get("startedNs")).longValue();
                    assertTrue(started > r.endNs(), cp + ": " + component + " did not start again after its renewal");
                    lastStart = Math.max(lastStart, started);
                }
                previous = lastStart;
                assertFalse(Files.exists(node.path("/etc/kubernetes/kubewizard-restart")), cp + ": a manifest left aside");
                for (String m : List.of("etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler")) {
                    assertTrue(Files.isRegularFile(node.path("/etc/kubernetes/manifests/" + m + ".yaml")), cp + ": " + m);
                }
                String text = ok(node, "openssl x509 -in /etc/kubernetes/pki/apiserver.crt -noout -enddate -ext subjectAltName");
                assertTrue(text.contains("DNS:kubernetes.default.svc") && text.contains("IP Address:" + node.address()), text);
                assertFalse(java.util.Arrays.equals(before.get(cp), Files.readAllBytes(node.path("/etc/kubernetes/pki/apiserver.crt"))), cp);
                ok(node, "openssl x509 -in /etc/kubernetes/pki/apiserver.crt -noout -checkend " + 363L * 86400);
            }
            assertFalse(java.util.Arrays.equals(kubeconfig, Files.readAllBytes(kw.runDirectory(name).resolve("kubeconfig"))),
                    "the jump host's kubeconfig holds the renewed client certificate");
            for (String n : all()) {
                assertEquals(null, unschedulable(n), n);
            }
        }

        /**
         * backup, a key written and one deleted after it, restore --yes: every member of the three restored from the
         * one snapshot with its own name and peer URL, and each of them answers with exactly the snapshot's keys, the
         * cluster healthy with all three members.
         */
        void backUpAndRestoreEveryMember() throws Exception {
            SimNode lead = cluster.node(lead());
            String etcdctl = "crictl --runtime-endpoint unix:///var/run/containerd/containerd.sock exec \"$(crictl --runtime-endpoint "
                    + "unix:///var/run/containerd/containerd.sock ps --quiet --state running --name '^etcd$')\" etcdctl "
                    + "--endpoints=https://127.0.0.1:2379 --cacert=/etc/kubernetes/pki/etcd/ca.crt "
                    + "--cert=/etc/kubernetes/pki/etcd/healthcheck-client.crt --key=/etc/kubernetes/pki/etcd/healthcheck-client.key ";
            assertEquals("OK\n", ok(lead, etcdctl + "put /kw/kept before"));
            assertEquals("OK\n", ok(lead, etcdctl + "put /kw/deleted-after before"));
            Cmd.Result backup = kw.run(RUN_TIMEOUT, "ha-backup", "backup", "-f", answers.toString(), "--plain");
            assertEquals(0, backup.exitCode(), backup::toString);
            Path dir = Path.of(backup.stdout().lines().filter(l -> l.startsWith("Backup: ")).findFirst().orElseThrow().split(" ")[1]);
            assertEquals("OK\n", ok(lead, etcdctl + "put /kw/written-after after"));
            assertEquals("1\n", ok(lead, etcdctl + "del /kw/deleted-after"));
            Cmd.Result restored = kw.run(RUN_TIMEOUT, "ha-restore", "restore", "-f", answers.toString(), "--from", dir.toString(),
                    "--plain", "--yes");
            assertEquals(0, restored.exitCode(), restored::toString);
            assertEquals("", restored.stderr(), restored::toString);
            for (String cp : controlPlanes) {
                SimNode node = cluster.node(cp);
                assertEquals("/kw/deleted-after\n/kw/kept\n", ok(node, etcdctl + "get /kw/ --prefix --keys-only").replace("\n\n", "\n"), cp);
                assertTrue(Files.isRegularFile(node.path("/var/lib/etcd/.kubewizard-restored-" + dir.getFileName())), cp);
                String members = ok(node, etcdctl + "member list");
                for (String other : controlPlanes) {
                    assertTrue(members.contains(", started, " + other + ", https://" + cluster.node(other).address() + ":2380"), members);
                }
            }
            String health = ok(lead, etcdctl + "endpoint health --cluster 2>&1");
            assertEquals(3, health.lines().filter(l -> l.contains(" is healthy")).count(), health);
            for (String n : all()) assertEquals(null, unschedulable(n), n);
        }

        /**
         * certs --live on the HA cluster, one of whose certificates the test replaced by one of 50 days (the real
         * openssl): every host listed, the renewed API server certificates a year out, that one a warning and the
         * earliest.
         */
        void certsLiveAcrossTheCluster() throws Exception {
            SimNode cp3 = cluster.node(controlPlanes.get(2));
            BackupAndCertsSystemTest.replace(cp3, "/etc/kubernetes/pki/front-proxy-client.crt", "/etc/kubernetes/pki/front-proxy-ca",
                    "front-proxy-client", 50);
            Cmd.Result r = kw.run(RUN_TIMEOUT, "certs-live", "certs", "-f", answers.toString(), "--live", "--format", "json");
            assertEquals(0, r.exitCode(), r::toString);
            Map<?, ?> report = (Map<?, ?>) io.kubewizard.plan.Json.parse(r.stdout());
            Map<String, Map<?, ?>> byKey = new LinkedHashMap<>();
            java.util.Set<String> hosts = new java.util.TreeSet<>();
            for (Object o : (List<?>) report.get("certificates")) {
                Map<?, ?> c = (Map<?, ?>) o;
                byKey.put(c.get("host") + " " + c.get("path"), c);
                hosts.add((String) c.get("host"));
            }
            assertEquals(new java.util.TreeSet<>(all()), hosts);
            for (String cp : controlPlanes) {
                Map<?, ?> api = byKey.get(cp + " /etc/kubernetes/pki/apiserver.crt");
                assertTrue(((Number) api.get("daysLeft")).longValue() >= 363 && "ok".equals(api.get("status")), String.valueOf(api));
            }
            Map<?, ?> proxy = byKey.get(cp3.name() + " /etc/kubernetes/pki/front-proxy-client.crt");
            assertEquals(List.of(49L, "warning"), List.of(((Number) proxy.get("daysLeft")).longValue(), proxy.get("status")));
            assertEquals(cp3.name(), ((Map<?, ?>) report.get("earliest")).get("host"));
        }

        /** A second upgrade finds the cluster at the answers' version: it only reads. */
        void againChangesNothing() {
            Map<String, Integer> marks = marks();
            Cmd.Result r = run("upgrade");
            assertEquals(0, r.exitCode(), r::toString);
            for (Call c : since(marks)) {
                assertEquals(0, c.exitCode(), c::toString);
                assertTrue(ApplySystemTest.READS.stream().anyMatch(p -> p.matcher(c.line()).matches()),
                        c.node() + " changed something: " + c.line() + "\n" + r.stdout());
            }
        }
    }

    static Call latest(Call a, Call b) { return a.endNs() >= b.endNs() ? a : b; }

    static void assertBefore(Call first, Call then) {
        assertTrue(first.endNs() < then.startNs(), first.node() + ": " + first.line() + " ended before " + then.node() + ": "
                + then.line() + " began");
    }

    static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String read(Path p) {
        return ApplySystemTest.read(p);
    }

    static void write(Path p, String text) {
        try {
            Files.writeString(p, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
