package io.kubewizard.sim;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static io.kubewizard.sim.StandInSystemTest.assertFails;
import static io.kubewizard.sim.StandInSystemTest.ok;
import static io.kubewizard.sim.StandInSystemTest.prepared;
import static io.kubewizard.sim.StandInSystemTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Day-2 scaling against the stand-ins, by hand: the Node, Pod and PodDisruptionBudget JSON kubectl
 * reads, cordon and uncordon, drain's refusals (DaemonSet pods, a budget that allows no disruption,
 * dry run or not) and its success, delete node, kubeadm reset removing a stacked etcd member with
 * the real etcdctl (and only warning when it cannot), and a new external etcd member joining a
 * running cluster through {@code kubeadm init phase etcd local} with initial-cluster-state=existing.
 */
@Tag("system")
class NodeScalingSystemTest {

    static final String KUBECTL = "kubectl --kubeconfig /etc/kubernetes/admin.conf";
    static final String CRI = "unix:///var/run/containerd/containerd.sock";
    static final String KEY = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    static final String FLANNEL = "https://github.com/flannel-io/flannel/releases/latest/download/kube-flannel.yml";
    static final String NOT_FOUND = "Error from server (NotFound): nodes \"ghost\" not found\n";
    /** A refused eviction without --timeout is retried forever; the stand-in gives up after this. */
    static final SimCluster.Options OPTIONS = SimCluster.Options.defaults().withMaxWait(Duration.ofSeconds(6));

    static String initConfig(SimNode cp) {
        return """
                apiVersion: kubeadm.k8s.io/v1beta4
                kind: InitConfiguration
                bootstrapTokens:
                - token: %s
                certificateKey: %s
                nodeRegistration:
                  name: %s
                  criSocket: %s
                localAPIEndpoint:
                  advertiseAddress: %s
                ---
                apiVersion: kubeadm.k8s.io/v1beta4
                kind: ClusterConfiguration
                clusterName: sim
                kubernetesVersion: v1.35.2
                controlPlaneEndpoint: %s:6443
                """.formatted(StandInSystemTest.TOKEN, KEY, cp.name(), CRI, cp.address(), cp.address());
    }

    static String joinConfig(SimNode node, SimNode cp, String hash, boolean controlPlane) {
        return """
                apiVersion: kubeadm.k8s.io/v1beta4
                kind: JoinConfiguration
                nodeRegistration:
                  name: %s
                  criSocket: %s
                discovery:
                  bootstrapToken:
                    token: %s
                    apiServerEndpoint: %s:6443
                    caCertHashes: [%s]
                """.formatted(node.name(), CRI, StandInSystemTest.TOKEN, cp.address(), hash)
                + (controlPlane ? """
                controlPlane:
                  certificateKey: %s
                  localAPIEndpoint:
                    advertiseAddress: %s
                """.formatted(KEY, node.address()) : "");
    }

    /** The first node initialised, the others joined (the first {@code controlPlanes} as control planes). */
    static void install(SimCluster cluster, int controlPlanes) {
        List<SimNode> nodes = cluster.nodes();
        for (SimNode n : nodes) ok(n, prepared(true) + "\nmkdir -p /etc/kubernetes/kubeadm");
        SimNode cp = nodes.get(0);
        ok(cp, "cat > /etc/kubernetes/kubeadm/init.yaml <<'EOF'\n" + initConfig(cp) + "EOF\n"
                + "kubeadm init --config /etc/kubernetes/kubeadm/init.yaml --upload-certs >/dev/null");
        for (int i = 1; i < nodes.size(); i++) join(nodes.get(i), cp, i < controlPlanes);
    }

    static Cmd.Result tryJoin(SimNode node, SimNode cp, boolean controlPlane) {
        String hash = ok(cp, "openssl x509 -pubkey -noout -in /etc/kubernetes/pki/ca.crt | openssl pkey -pubin -outform DER"
                + " | sha256sum | cut -d' ' -f1").trim();
        return run(node, "cat > /etc/kubernetes/kubeadm/join.yaml <<'EOF'\n" + joinConfig(node, cp, "sha256:" + hash, controlPlane)
                + "EOF\nkubeadm join --config /etc/kubernetes/kubeadm/join.yaml");
    }

    static void join(SimNode node, SimNode cp, boolean controlPlane) {
        Cmd.Result r = tryJoin(node, cp, controlPlane);
        assertEquals(0, r.exitCode(), r::toString);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> json(String text) {
        return (Map<String, Object>) Json.parse(text);
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> items(String text) {
        Map<String, Object> list = json(text);
        assertEquals("List", list.get("kind"), text);
        return (List<Map<String, Object>>) list.get("items");
    }

    @SuppressWarnings("unchecked")
    static Object at(Object o, String... path) {
        for (String p : path) o = o == null ? null : ((Map<String, Object>) o).get(p);
        return o;
    }

    @SuppressWarnings("unchecked")
    static String ready(Map<String, Object> node) {
        for (Map<String, Object> c : (List<Map<String, Object>>) at(node, "status", "conditions")) {
            if (c.get("type").equals("Ready")) return (String) c.get("status");
        }
        return null;
    }

    static List<String> names(List<Map<String, Object>> items) {
        return items.stream().map(i -> (String) at(i, "metadata", "name")).toList();
    }

    /** "ns/pod, ns/pod" of the DaemonSet pods on a node, in kubectl's (namespace, name) order. */
    @SuppressWarnings("unchecked")
    static String daemonSetPods(SimNode cp, String node) {
        List<String> out = new ArrayList<>();
        for (Map<String, Object> p : items(ok(cp, KUBECTL + " get pods -A --field-selector spec.nodeName=" + node + " -o json"))) {
            List<Map<String, Object>> owners = (List<Map<String, Object>>) at(p, "metadata", "ownerReferences");
            if (owners != null && owners.get(0).get("kind").equals("DaemonSet")) {
                out.add(at(p, "metadata", "namespace") + "/" + at(p, "metadata", "name"));
            }
        }
        return String.join(", ", out);
    }

    static void await(String what, Duration timeout, Supplier<Boolean> condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.get()) {
            if (System.nanoTime() > deadline) fail("timed out after " + timeout + " waiting for " + what);
            SimNode.sleep(200);
        }
    }

    @Test
    void nodesPodsBudgetsCordonDrainAndDelete() {
        try (SimCluster cluster = SimCluster.start(OPTIONS, List.of(SimNode.Spec.debian("cp"), SimNode.Spec.debian("w1"),
                SimNode.Spec.debian("w2")))) {
            install(cluster, 1);
            SimNode cp = cluster.node("cp");
            SimNode w1 = cluster.node("w1");

            // Before a pod network no Node is Ready, and every Node says so.
            List<Map<String, Object>> nodes = items(ok(cp, KUBECTL + " get nodes -o json"));
            assertEquals(List.of("cp", "w1", "w2"), names(nodes));
            nodes.forEach(n -> assertEquals("False", ready(n), n::toString));
            ok(cp, KUBECTL + " apply -f " + FLANNEL);
            nodes = items(ok(cp, KUBECTL + " get nodes -o json"));
            for (Map<String, Object> n : nodes) {
                String name = (String) at(n, "metadata", "name");
                assertEquals("Node", n.get("kind"));
                assertEquals("True", ready(n), n::toString);
                assertEquals("v1.35.2", at(n, "status", "nodeInfo", "kubeletVersion"));
                assertEquals(name, at(n, "metadata", "labels", "kubernetes.io/hostname"));
                assertNull(at(n, "spec", "unschedulable"), name);
                boolean controlPlane = name.equals("cp");
                assertEquals(controlPlane ? "" : null, at(n, "metadata", "labels", "node-role.kubernetes.io/control-plane"));
                assertEquals(controlPlane ? List.of(Map.of("key", "node-role.kubernetes.io/control-plane", "effect", "NoSchedule")) : null,
                        at(n, "spec", "taints"), name);
            }
            assertEquals("Node", json(ok(cp, KUBECTL + " get node w1 -o json")).get("kind"), "one named Node is the object itself");

            // Workloads and a budget that allows no disruption: two healthy pods, two wanted.
            cluster.addPod("default", "web-7d4b9-aaaaa", "w1", Map.of("app", "web"), false);
            cluster.addPod("default", "web-7d4b9-bbbbb", "w2", Map.of("app", "web"), false);
            cluster.addPod("kube-system", "node-exporter-x7k2p", "w1", Map.of("app", "node-exporter"), true);
            cluster.addPdb("default", "web", Map.of("app", "web"), 2);
            List<Map<String, Object>> budgets = items(ok(cp, KUBECTL + " get pdb --all-namespaces -o json"));
            assertEquals(1, budgets.size());
            assertEquals("policy/v1", budgets.get(0).get("apiVersion"));
            assertEquals(Map.of("matchLabels", Map.of("app", "web")), at(budgets.get(0), "spec", "selector"));
            assertEquals(2, at(budgets.get(0), "spec", "minAvailable"));
            assertEquals(List.of(0, 2, 2, 2), List.of(at(budgets.get(0), "status", "disruptionsAllowed"),
                    at(budgets.get(0), "status", "currentHealthy"), at(budgets.get(0), "status", "desiredHealthy"),
                    at(budgets.get(0), "status", "expectedPods")));
            List<Map<String, Object>> onW1 = items(ok(cp, KUBECTL + " get pods --all-namespaces --field-selector spec.nodeName=w1 -o json"));
            String ds = daemonSetPods(cp, "w1");
            assertTrue(ds.matches("kube-flannel/kube-flannel-ds-[a-z0-9]{5}, kube-system/kube-proxy-[a-z0-9]{5}, "
                    + "kube-system/node-exporter-x7k2p"), ds);
            Map<String, Object> web = onW1.stream().filter(p -> at(p, "metadata", "name").equals("web-7d4b9-aaaaa")).findFirst().orElseThrow();
            assertEquals("w1", at(web, "spec", "nodeName"));
            assertEquals("Running", at(web, "status", "phase"));
            assertEquals(Map.of("app", "web"), at(web, "metadata", "labels"));
            assertEquals("ReplicaSet", at(((List<?>) at(web, "metadata", "ownerReferences")).get(0), "kind"));
            assertEquals("web-7d4b9", at(((List<?>) at(web, "metadata", "ownerReferences")).get(0), "name"));
            assertEquals(4, onW1.size(), onW1::toString);

            // Unknown nodes.
            for (String verb : List.of("cordon ghost", "uncordon ghost", "delete node ghost",
                    "drain ghost --ignore-daemonsets --delete-emptydir-data --timeout=300s",
                    "drain ghost --ignore-daemonsets --delete-emptydir-data --dry-run=server")) {
                assertFails(1, NOT_FOUND, run(cp, KUBECTL + " " + verb));
            }

            // cordon and uncordon, each twice.
            assertEquals("node/w1 cordoned\n", ok(cp, KUBECTL + " cordon w1"));
            assertEquals("node/w1 already cordoned\n", ok(cp, KUBECTL + " cordon w1"));
            Map<String, Object> cordoned = json(ok(cp, KUBECTL + " get node w1 -o json"));
            assertEquals(true, at(cordoned, "spec", "unschedulable"));
            assertEquals("node.kubernetes.io/unschedulable", at(((List<?>) at(cordoned, "spec", "taints")).get(0), "key"));
            assertEquals("node/w1 uncordoned\n", ok(cp, KUBECTL + " uncordon w1"));
            assertEquals("node/w1 already uncordoned\n", ok(cp, KUBECTL + " uncordon w1"));
            assertNull(at(json(ok(cp, KUBECTL + " get node w1 -o json")), "spec", "unschedulable"));

            // DaemonSet pods stop a drain without --ignore-daemonsets; the node was cordoned first all the same.
            Cmd.Result daemonSets = run(cp, KUBECTL + " drain w1 --delete-emptydir-data --timeout=300s");
            assertEquals(1, daemonSets.exitCode(), daemonSets::toString);
            assertEquals("node/w1 cordoned\n", daemonSets.stdout());
            String refusal = "cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore): " + ds;
            assertEquals("error: unable to drain node \"w1\" due to error: " + refusal + ", continuing command...\n"
                    + "There are pending nodes to be drained:\n w1\n" + refusal + "\n", daemonSets.stderr());
            assertEquals("node/w1 uncordoned\n", ok(cp, KUBECTL + " uncordon w1"));

            String warning = "Warning: ignoring DaemonSet-managed Pods: " + ds + "\n";
            String retry = "error when evicting pods/\"web-7d4b9-aaaaa\" -n \"default\" (will retry after 5s): Cannot evict pod as it"
                    + " would violate the pod's disruption budget.\n";
            String timedOut = "error when evicting pods/\"web-7d4b9-aaaaa\" -n \"default\": global timeout reached: 5m0s";
            String blocked = warning + retry
                    + "There are pending pods in node \"w1\" when an error occurred: " + timedOut + "\npod/web-7d4b9-aaaaa\n"
                    + "error: unable to drain node \"w1\" due to error: " + timedOut + ", continuing command...\n"
                    + "There are pending nodes to be drained:\n w1\n" + timedOut + "\n";

            // Server dry run: the budget refuses the eviction as it would for real; nothing changes.
            Cmd.Result dryTimeout = run(cp, KUBECTL + " drain w1 --ignore-daemonsets --delete-emptydir-data --dry-run=server --timeout=300s");
            assertEquals(1, dryTimeout.exitCode(), dryTimeout::toString);
            assertEquals("node/w1 cordoned (server dry run)\nevicting pod default/web-7d4b9-aaaaa (server dry run)\n", dryTimeout.stdout());
            assertEquals(blocked, dryTimeout.stderr());
            // Without --timeout the real kubectl retries every 5 s and never exits; the stand-in stops at maxWait.
            long started = System.nanoTime();
            Cmd.Result dryForever = run(cp, KUBECTL + " drain w1 --ignore-daemonsets --delete-emptydir-data --dry-run=server");
            assertEquals(75, dryForever.exitCode(), dryForever::toString);
            assertTrue(System.nanoTime() - started >= Duration.ofSeconds(6).toNanos(), "it retried until maxWait");
            List<String> out = dryForever.stdout().lines().toList();
            assertEquals("node/w1 cordoned (server dry run)", out.get(0));
            assertTrue(out.size() >= 3 && out.subList(1, out.size()).stream()
                    .allMatch("evicting pod default/web-7d4b9-aaaaa (server dry run)"::equals), dryForever::toString);
            assertTrue(dryForever.stderr().startsWith(warning + retry + retry), dryForever::toString);
            assertTrue(dryForever.stderr().matches("(?s).*\nkw-sim: kubectl drain without --timeout retries a refused eviction"
                    + " every 5s forever \\(the real kubectl never exits\\); stopped after \\d+s\n"), dryForever::toString);
            assertNull(at(json(ok(cp, KUBECTL + " get node w1 -o json")), "spec", "unschedulable"), "a dry run cordons nothing");

            // The real drain: cordoned first, the eviction refused, and the node left cordoned as kubectl leaves it.
            Cmd.Result real = run(cp, KUBECTL + " drain w1 --ignore-daemonsets --delete-emptydir-data --timeout=300s");
            assertEquals(1, real.exitCode(), real::toString);
            assertEquals("node/w1 cordoned\nevicting pod default/web-7d4b9-aaaaa\n", real.stdout());
            assertEquals(blocked, real.stderr());
            assertEquals(true, at(json(ok(cp, KUBECTL + " get node w1 -o json")), "spec", "unschedulable"));
            assertEquals("w1 Ready,SchedulingDisabled\n", ok(cp, KUBECTL + " get nodes | awk '$1 == \"w1\" {print $1, $2}'"));
            assertEquals(4, items(ok(cp, KUBECTL + " get pods -A --field-selector spec.nodeName=w1 -o json")).size());

            // A third replica makes room for one disruption: the drain evicts, and the ReplicaSet's replacement
            // lands on the one schedulable node.
            cluster.addPod("default", "web-7d4b9-ccccc", "w2", Map.of("app", "web"), false);
            assertEquals(1, at(json(ok(cp, KUBECTL + " get pdb web -o json")), "status", "disruptionsAllowed"));
            Cmd.Result drained = run(cp, KUBECTL + " drain w1 --ignore-daemonsets --delete-emptydir-data --timeout=300s");
            assertEquals(0, drained.exitCode(), drained::toString);
            assertEquals("node/w1 already cordoned\nevicting pod default/web-7d4b9-aaaaa\npod/web-7d4b9-aaaaa evicted\n"
                    + "node/w1 drained\n", drained.stdout());
            assertEquals(warning, drained.stderr());
            assertEquals(ds, daemonSetPods(cp, "w1"));
            assertEquals(3, items(ok(cp, KUBECTL + " get pods -A --field-selector spec.nodeName=w1 -o json")).size(),
                    "only DaemonSet pods are left");
            List<Map<String, Object>> webs = items(ok(cp, KUBECTL + " get pods -n default -o json"));
            assertEquals(3, webs.size(), webs::toString);
            webs.forEach(p -> assertEquals("w2", at(p, "spec", "nodeName"), p::toString));
            assertFalse(names(webs).contains("web-7d4b9-aaaaa"));
            assertEquals(List.of(1, 3, 2, 3), List.of(at(json(ok(cp, KUBECTL + " get pdb web -o json")), "status", "disruptionsAllowed"),
                    at(json(ok(cp, KUBECTL + " get pdb web -o json")), "status", "currentHealthy"),
                    at(json(ok(cp, KUBECTL + " get pdb web -o json")), "status", "desiredHealthy"),
                    at(json(ok(cp, KUBECTL + " get pdb web -o json")), "status", "expectedPods")));

            // A worker's reset keeps its Node (now not reporting); delete node removes it.
            Cmd.Result reset = run(w1, "kubeadm reset -f --cri-socket " + CRI);
            assertEquals(0, reset.exitCode(), reset::toString);
            assertTrue(reset.stdout().startsWith("[preflight] Running pre-flight checks\n"
                    + "[reset] Deleted contents of the etcd data directory: /var/lib/etcd\n[reset] Stopping the kubelet service\n"), reset::toString);
            assertTrue(reset.stderr().matches("W\\d{4} [\\d:.]+ +\\d+ removeetcdmember.go:106] \\[reset] No kubeadm config, using etcd"
                    + " pod spec to get data directory\n"), reset::toString);
            assertFalse(Files.exists(w1.path("/etc/kubernetes/kubelet.conf")));
            Map<String, Object> left = json(ok(cp, KUBECTL + " get node w1 -o json"));
            assertEquals("Unknown", ready(left), "the Node stays, its kubelet no longer reports");
            assertEquals("node \"w1\" deleted\n", ok(cp, KUBECTL + " delete node w1"));
            assertEquals(List.of("cp", "w2"), names(items(ok(cp, KUBECTL + " get nodes -o json"))));
            assertFails(1, "Error from server (NotFound): nodes \"w1\" not found\n", run(cp, KUBECTL + " delete node w1"));
            assertEquals("", daemonSetPods(cp, "w1"));
        }
    }

    /** member list -w json through the real etcdctl in the node's etcd pod: the members' names, sorted. */
    @SuppressWarnings("unchecked")
    static List<String> members(SimNode node) {
        Map<String, Object> list = json(ok(node, PlanReplaySystemTest.ETCDCTL + " member list -w json"));
        return ((List<Map<String, Object>>) list.get("members")).stream().map(m -> (String) m.getOrDefault("name", ""))
                .sorted().toList();
    }

    @Test
    void resetOfAStackedControlPlaneRemovesItsEtcdMember() {
        try (SimCluster cluster = SimCluster.start(OPTIONS, List.of(SimNode.Spec.debian("cp1"), SimNode.Spec.debian("cp2")))) {
            install(cluster, 2);
            SimNode cp1 = cluster.node("cp1");
            SimNode cp2 = cluster.node("cp2");
            assertEquals(List.of("cp1", "cp2"), members(cp1));

            Cmd.Result reset = run(cp2, "kubeadm reset -f --cri-socket " + CRI);
            assertEquals(0, reset.exitCode(), reset::toString);
            assertEquals("", reset.stderr(), "the member was removed: nothing to warn about");
            assertTrue(reset.stdout().startsWith("[reset] Reading configuration from the \"kubeadm-config\" ConfigMap in namespace"
                    + " \"kube-system\"...\n[reset] Use 'kubeadm init phase upload-config kubeadm --config your-config-file' to"
                    + " re-upload it.\n[preflight] Running pre-flight checks\n[reset] Deleted contents of the etcd data directory:"
                    + " /var/lib/etcd\n"), reset::toString);
            assertEquals(List.of("cp1"), members(cp1));
            assertEquals("", ok(cp2, "crictl ps -q --name '^etcd$'"), "its etcd pod is stopped");
            assertFalse(Files.exists(cp2.path("/var/lib/etcd/member")));
            // The Node object outlives the reset: joining again under its name is refused until it is deleted.
            assertEquals(List.of("cp1", "cp2"), names(items(ok(cp1, KUBECTL + " get nodes -o json"))));
            Cmd.Result again = tryJoin(cp2, cp1, true);
            assertEquals(1, again.exitCode(), again::toString);
            assertTrue(again.stderr().startsWith("error execution phase kubelet-start: a Node with name \"cp2\" and status \"Ready\""
                    + " already exists in the cluster. You must delete the existing Node or change the name of this new joining Node\n"),
                    again::toString);
            assertEquals("node \"cp2\" deleted\n", ok(cp1, KUBECTL + " delete node cp2"));
            join(cp2, cp1, true);
            assertEquals(List.of("cp1", "cp2"), members(cp1));

            // kubeadm only warns when it cannot remove the member (here its etcd client key is gone), and goes on.
            ok(cp2, "mv /etc/kubernetes/pki/apiserver-etcd-client.key /root/");
            Cmd.Result warned = run(cp2, "kubeadm reset -f --cri-socket " + CRI);
            assertEquals(0, warned.exitCode(), warned::toString);
            assertTrue(warned.stderr().matches("W\\d{4} [\\d:.]+ +\\d+ removeetcdmember.go:74] \\[reset] Failed to remove etcd"
                    + " member: open /etc/kubernetes/pki/apiserver-etcd-client.key: no such file or directory, please manually"
                    + " remove this etcd member using etcdctl\n"), warned::toString);
            assertTrue(warned.stdout().contains("[reset] Deleted contents of the etcd data directory: /var/lib/etcd\n"), warned::toString);
            assertFalse(Files.exists(cp2.path("/etc/kubernetes/manifests/etcd.yaml")));
            assertEquals(2, members(cp1).size(), "the member is still there, to be removed by hand");
        }
    }

    /** Certificates for one external etcd member, signed by the CA in /etc/kubernetes/pki/etcd (kwsim's openssl helpers). */
    static String memberCertificates(String dir, SimNode member) {
        return "python3 -c 'import sys; sys.path.insert(0, \"/usr/lib/kw-sim\")\n"
                + "from kwsim import pki\n"
                + "ca = \"/etc/kubernetes/pki/etcd/ca\"\n"
                + "sans = [\"" + member.name() + "\", \"localhost\", \"" + member.address() + "\", \"127.0.0.1\"]\n"
                + "for n in (\"server\", \"peer\"): pki.sign(\"" + dir + "/%s.crt\" % n, \"" + dir + "/%s.key\" % n, ca + \".crt\","
                + " ca + \".key\", \"" + member.name() + "\", sans=sans, server=True, client=True)\n"
                + "pki.sign(\"" + dir + "/healthcheck-client.crt\", \"" + dir + "/healthcheck-client.key\", ca + \".crt\", ca + \".key\","
                + " \"kube-etcd-healthcheck-client\", client=True)'";
    }

    /** The product's external etcd host: kubelet as etcd's service manager, kubeadm's etcd config (v1beta4 lists or v1beta3 maps). */
    static String etcdHost(SimNode self, String initialCluster, String state, boolean v1beta4) {
        String api = v1beta4 ? "kubeadm.k8s.io/v1beta4" : "kubeadm.k8s.io/v1beta3";
        String ip = self.address();
        Map<String, String> args = new LinkedHashMap<>();
        args.put("initial-cluster", initialCluster);
        args.put("initial-cluster-state", state);
        args.put("name", self.name());
        args.put("listen-peer-urls", "https://" + ip + ":2380");
        args.put("listen-client-urls", "https://" + ip + ":2379,https://127.0.0.1:2379");
        args.put("advertise-client-urls", "https://" + ip + ":2379");
        args.put("initial-advertise-peer-urls", "https://" + ip + ":2380");
        StringBuilder extra = new StringBuilder();
        args.forEach((k, v) -> extra.append(v1beta4 ? "      - name: " + k + "\n        value: " + v + "\n" : "      " + k + ": " + v + "\n"));
        return """
                mkdir -p /etc/systemd/system/kubelet.service.d /etc/kubernetes/kubeadm
                cat > /etc/systemd/system/kubelet.service.d/20-etcd-service-manager.conf <<'EOF'
                [Service]
                ExecStart=
                ExecStart=/usr/bin/kubelet --config=/etc/systemd/system/kubelet.service.d/kubelet.conf
                Restart=always
                EOF
                cat > /etc/systemd/system/kubelet.service.d/kubelet.conf <<'EOF'
                apiVersion: kubelet.config.k8s.io/v1beta1
                kind: KubeletConfiguration
                cgroupDriver: systemd
                staticPodPath: /etc/kubernetes/manifests
                EOF
                systemctl daemon-reload && systemctl restart kubelet
                cat > /etc/kubernetes/kubeadm/etcd.yaml <<'EOF'
                apiVersion: %s
                kind: InitConfiguration
                nodeRegistration:
                  name: %s
                  criSocket: %s
                localAPIEndpoint:
                  advertiseAddress: %s
                ---
                apiVersion: %s
                kind: ClusterConfiguration
                kubernetesVersion: v1.35.2
                etcd:
                  local:
                    extraArgs:
                %sEOF
                kubeadm init phase etcd local --config /etc/kubernetes/kubeadm/etcd.yaml
                """.formatted(api, self.name(), CRI, ip, api, extra);
    }

    @Test
    void aNewExternalEtcdMemberJoinsARunningClusterAndRealEtcdRefusesUnknownMembers() {
        try (SimCluster cluster = SimCluster.start(OPTIONS, List.of(SimNode.Spec.debian("etcd1"), SimNode.Spec.debian("etcd2")))) {
            SimNode e1 = cluster.node("etcd1");
            SimNode e2 = cluster.node("etcd2");
            for (SimNode n : cluster.nodes()) ok(n, prepared(true));
            // The etcd CA and both members' certificates, made on etcd1; etcd2's carried over by the test.
            ok(e1, "mkdir -p /etc/kubernetes/pki/etcd /root/etcd2 && python3 -c 'import sys; sys.path.insert(0, \"/usr/lib/kw-sim\")\n"
                    + "from kwsim import pki\npki.self_signed_ca(\"/etc/kubernetes/pki/etcd/ca.crt\", \"/etc/kubernetes/pki/etcd/ca.key\","
                    + " \"etcd-ca\")' && " + memberCertificates("/etc/kubernetes/pki/etcd", e1) + " && "
                    + memberCertificates("/root/etcd2", e2) + " && cp /etc/kubernetes/pki/etcd/ca.crt /root/etcd2/");
            String bundle = ok(e1, "tar -C /root/etcd2 -czf - . | base64 -w0");
            Cmd.Result unpacked = e2.ssh("mkdir -p /etc/kubernetes/pki/etcd && base64 -d | tar -C /etc/kubernetes/pki/etcd -xzf -",
                    bundle.getBytes(StandardCharsets.US_ASCII));
            assertEquals(0, unpacked.exitCode(), unpacked::toString);

            String peer1 = "etcd1=https://" + e1.address() + ":2380";
            String peer2 = "etcd2=https://" + e2.address() + ":2380";
            ok(e1, etcdHost(e1, peer1, "new", true));
            String etcdctl = PlanReplaySystemTest.ETCDCTL;
            await("etcd1 healthy", Duration.ofSeconds(30), () -> run(e1, etcdctl + " endpoint health").exitCode() == 0);
            assertEquals(List.of("etcd1"), members(e1));

            String added = ok(e1, etcdctl + " member add etcd2 --peer-urls=https://" + e2.address() + ":2380");
            assertTrue(added.contains("ETCD_INITIAL_CLUSTER_STATE=\"existing\""), added);
            ok(e2, etcdHost(e2, peer1 + "," + peer2, "existing", false));
            String manifest = SimNode.read(e2.path("/etc/kubernetes/manifests/etcd.yaml"));
            assertTrue(manifest.contains("- --initial-cluster-state=existing\n"), manifest);
            assertTrue(manifest.contains("- --initial-cluster=" + peer1 + "," + peer2 + "\n"), manifest);
            await("etcd2 started in the cluster", Duration.ofSeconds(60), () -> members(e1).equals(List.of("etcd1", "etcd2")));
            Cmd.Result health = run(e2, etcdctl.replace("127.0.0.1", e2.address()) + " endpoint health --cluster 2>&1");
            assertEquals(0, health.exitCode(), health::toString);
            assertEquals(2, health.stdout().lines().filter(l -> l.contains(" is healthy")).count(), health.stdout());

            // The real etcd refuses to remove a member it does not have; removing etcd2 by its id works.
            Cmd.Result unknown = run(e1, etcdctl + " member remove 1234abcd");
            assertEquals(1, unknown.exitCode(), unknown::toString);
            assertTrue(unknown.stderr().endsWith("Error: etcdserver: member not found\n"), unknown::toString);
            Map<String, Object> list = json(ok(e1, etcdctl + " member list -w json"));
            long id = ((List<?>) list.get("members")).stream().map(m -> (Map<?, ?>) m).filter(m -> "etcd2".equals(m.get("name")))
                    .map(m -> ((Number) m.get("ID")).longValue()).findFirst().orElseThrow();
            String hex = Long.toHexString(id);
            // etcd refuses any reconfiguration ("etcdserver: unhealthy cluster") until its members have been
            // connected for 5 s: a removal right after a join must be retried, as kubeadm retries it.
            String[] removed = {""};
            await("etcd2 removed", Duration.ofSeconds(30), () -> {
                Cmd.Result r = run(e1, etcdctl + " member remove " + hex);
                assertTrue(r.exitCode() == 0 || r.stderr().endsWith("Error: etcdserver: unhealthy cluster\n"), r::toString);
                removed[0] = r.stdout();
                return r.exitCode() == 0;
            });
            // etcdctl prints the id with Go's %16x: an id below 2^60 is padded with spaces, not zeros.
            assertTrue(removed[0].startsWith("Member " + String.format("%16x", id) + " removed from cluster "), removed[0]);
            assertEquals(List.of("etcd1"), members(e1));
        }
    }
}
