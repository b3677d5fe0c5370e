package io.kubewizard.sim;

import io.kubewizard.answers.AnswersLoader;
import io.kubewizard.answers.Spec.ClusterSpec;
import io.kubewizard.answers.Spec.Host;
import io.kubewizard.answers.Spec.Role;
import io.kubewizard.answers.Spec.Topology;
import io.kubewizard.pki.CaCertHash;
import io.kubewizard.pki.ClusterPki;
import io.kubewizard.pki.PkiMaterial;
import io.kubewizard.pki.PkiStore;
import io.kubewizard.plan.Phase;
import io.kubewizard.plan.Plan;
import io.kubewizard.plan.Step;
import io.kubewizard.render.Render;
import io.kubewizard.render.RenderedFile;
import io.kubewizard.render.RenderedFile.OsFamily;
import io.kubewizard.render.Secrets;
import io.kubewizard.run.Engine;
import io.kubewizard.run.RunDirectory;
import io.kubewizard.testsupport.SystemDeps;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code kubewizard apply}, the packaged jar, against simulated nodes for each preset: run as an
 * operator would from a jump host on the nodes' network, then judged from what the nodes recorded
 * (every stand-in call with its argv and times, comparable across nodes), the files they hold, the
 * run directory and the jar's own output. A second apply on the finished cluster must find every
 * step done and change nothing.
 */
@Tag("system")
class ApplySystemTest {

    /** Nothing in a simulated cluster takes long: a wait that is not over in 5 s never will be. */
    static final SimCluster.Options OPTIONS = SimCluster.Options.defaults().withMaxWait(Duration.ofSeconds(5));
    static final Duration RUN_TIMEOUT = Duration.ofMinutes(3);
    static final Pattern CLOCK = Pattern.compile("\\[\\d\\d:\\d\\d] ");

    @TempDir
    Path tmp;

    @Test
    void singleNode() {
        try (SimCluster cluster = SimCluster.start(OPTIONS, List.of(SimNode.Spec.debian("node1").withHost(11)))) {
            Installation run = new Installation(cluster, "single-node", null);
            run.applyAndCheck(List.of("connect", "facts", "observe", "preflight", "prepare", "runtime", "packages",
                    "control-plane/init", "cni", "verify", "kubeconfig"), cluster.address(11) + ":6443");

            SimNode node = cluster.node("node1");
            assertMode(node, "/etc/kubernetes/kubeadm/init.yaml", 0600);
            assertFalse(Files.exists(node.path("/etc/kubernetes/kubeadm/join.yaml")));
            assertFalse(Files.exists(node.path("/etc/kubernetes/manifests/kube-vip.yaml")));
            // The cluster exists now: nothing is initialised again and nobody joins.
            run.applyAgainChangesNothing(List.of("connect", "facts", "observe", "preflight", "prepare", "runtime", "packages",
                    "cni", "verify", "kubeconfig"));
        }
    }

    @Test
    void threeStackedControlPlanesBehindKubeVipAndTwoWorkers() {
        List<SimNode.Spec> nodes = List.of(SimNode.Spec.debian("cp1").withHost(11), SimNode.Spec.rocky("cp2").withHost(12),
                SimNode.Spec.ubuntu("cp3").withHost(13), SimNode.Spec.debian("worker1").withHost(21),
                SimNode.Spec.rocky("worker2").withHost(22));
        try (SimCluster cluster = SimCluster.start(OPTIONS, nodes)) {
            Installation run = new Installation(cluster, "ha-stacked", null);
            run.applyAndCheck(List.of("connect", "facts", "observe", "preflight", "prepare", "runtime", "packages",
                    "load-balancer", "control-plane/init", "control-plane/join", "workers/join", "cni", "verify", "kubeconfig"),
                    cluster.address(100) + ":6443");

            for (String cp : List.of("cp1", "cp2", "cp3")) {
                SimNode n = cluster.node(cp);
                assertMode(n, "/etc/kubernetes/manifests/kube-vip.yaml", 0644);
                String vip = read(n.path("/etc/kubernetes/manifests/kube-vip.yaml"));
                assertTrue(vip.contains("value: " + cluster.address(100) + "\n"), vip);
                // super-admin.conf is lent to the first control plane's kube-vip during init only.
                assertTrue(vip.contains("path: /etc/kubernetes/admin.conf\n") && !vip.contains("super-admin"), cp + ":\n" + vip);
            }
            for (String w : List.of("worker1", "worker2")) {
                assertFalse(Files.exists(cluster.node(w).path("/etc/kubernetes/manifests/kube-vip.yaml")), w);
            }
            assertEquals(List.of("cp1", "cp2", "cp3"), cluster.apiState().get("controlPlanes"));
            Cmd.Result members = cluster.node("cp3").ssh(PlanReplaySystemTest.ETCDCTL + " member list");
            assertEquals(0, members.exitCode(), members::toString);
            assertEquals(3, members.stdout().lines().filter(l -> l.contains(", started, ")).count(), members.stdout());
            run.applyAgainChangesNothing(List.of("connect", "facts", "observe", "preflight", "prepare", "runtime", "packages",
                    "load-balancer", "control-plane/init", "control-plane/join", "cni", "verify", "kubeconfig"));
            run.verifyPassesThenFailsWhereDnsIsBroken();
            run.verifyRunsNodeConformance("worker1");
        }
    }

    /**
     * The external etcd members are the real etcd, started by their kubelet from the certificates
     * kubewizard generated; the jump host reaches them with the run directory's API server client
     * certificate, as the API servers do.
     */
    @Test
    void threeControlPlanesThreeExternalEtcdHostsAndTwoWorkers() throws Exception {
        List<SimNode.Spec> nodes = List.of(SimNode.Spec.debian("cp1").withHost(11), SimNode.Spec.rocky("cp2").withHost(12),
                SimNode.Spec.ubuntu("cp3").withHost(13), SimNode.Spec.debian("etcd1").withHost(31),
                SimNode.Spec.rocky("etcd2").withHost(32), SimNode.Spec.debian("etcd3").withHost(33),
                SimNode.Spec.debian("worker1").withHost(21), SimNode.Spec.rocky("worker2").withHost(22));
        try (SimCluster cluster = SimCluster.start(OPTIONS, nodes)) {
            // The preset's third worker is left out: two show that workers join side by side.
            Installation run = new Installation(cluster, "ha-external-etcd", "  - name: worker3\n");
            run.applyAndCheck(List.of("connect", "facts", "observe", "preflight", "prepare", "runtime", "packages",
                    "load-balancer", "etcd", "control-plane/init", "control-plane/join", "workers/join", "cni", "verify",
                    "kubeconfig"),
                    cluster.address(100) + ":8443");

            Path generated = run.runDir.resolve("secrets/pki");
            for (String e : List.of("etcd1", "etcd2", "etcd3")) {
                SimNode n = cluster.node(e);
                for (String key : List.of("server.key", "peer.key", "healthcheck-client.key")) assertMode(n, "/etc/kubernetes/pki/etcd/" + key, 0600);
                for (String crt : List.of("ca.crt", "server.crt", "peer.crt", "healthcheck-client.crt")) assertMode(n, "/etc/kubernetes/pki/etcd/" + crt, 0644);
                assertEquals(read(generated.resolve("hosts/" + e + "/pki/etcd/server.crt")), read(n.path("/etc/kubernetes/pki/etcd/server.crt")));
                assertEquals(read(generated.resolve("hosts/" + e + "/pki/etcd/peer.key")), read(n.path("/etc/kubernetes/pki/etcd/peer.key")));
                assertFalse(Files.exists(n.path("/etc/kubernetes/pki/etcd/ca.key")), e + " signs nothing");
                assertFalse(Files.exists(n.path("/etc/kubernetes/kubelet.conf")), e + " is no node of the cluster");
            }
            // The verify step asked the real etcd, from etcd1, about every member.
            List<Call> health = cluster.node("etcd1").calls().stream()
                    .filter(c -> c.tool().equals("crictl") && c.words().containsAll(List.of("etcdctl", "endpoint", "health", "--cluster")))
                    .toList();
            assertEquals(2, health.size(), "etcd/health and verify/etcd: " + health);
            health.forEach(c -> assertEquals(0, c.exitCode(), c::toString));

            String endpoints = Stream.of(31, 32, 33).map(h -> "https://" + cluster.address(h) + ":2379").reduce((a, b) -> a + "," + b).orElseThrow();
            List<String> etcdctl = List.of("ip", "netns", "exec", cluster.jumpNamespace(),
                    SystemDeps.require("etcdctl", "etcd-client").toString(), "--endpoints=" + endpoints,
                    "--cacert=" + generated.resolve("cluster/pki/etcd/ca.crt"),
                    "--cert=" + generated.resolve("cluster/pki/apiserver-etcd-client.crt"),
                    "--key=" + generated.resolve("cluster/pki/apiserver-etcd-client.key"), "--dial-timeout=5s");
            Cmd.Result healthy = Cmd.run(Duration.ofSeconds(30), concat(etcdctl, "endpoint", "health"));
            assertEquals(0, healthy.exitCode(), healthy::toString);
            // etcdctl 3.4 prints health on stderr, 3.5 on stdout.
            String said = healthy.stdout() + healthy.stderr();
            for (int h : List.of(31, 32, 33)) assertTrue(said.contains("https://" + cluster.address(h) + ":2379 is healthy"), said);
            Cmd.Result members = Cmd.run(Duration.ofSeconds(30), concat(etcdctl, "member", "list"));
            assertEquals(0, members.exitCode(), members::toString);
            assertEquals(List.of("etcd1, https://" + cluster.address(31) + ":2380", "etcd2, https://" + cluster.address(32) + ":2380",
                    "etcd3, https://" + cluster.address(33) + ":2380"), members.stdout().lines()
                    .map(l -> l.split(", ")).map(f -> f[2] + ", " + f[3]).sorted().toList());
            // No kube-vip borrowing super-admin.conf here, so the lead has nothing of control-plane/init.
            run.applyAgainChangesNothing(List.of("connect", "facts", "observe", "preflight", "prepare", "runtime", "packages",
                    "load-balancer", "etcd", "control-plane/join", "cni", "verify", "kubeconfig"));

            // user add with kubewizard's PKI: issued on the jump host by the stored CA, its binding applied on cp1; the
            // kubeconfig's certificate and key complete a real mTLS handshake with cp1's API server certificate.
            Map<?, ?> admin = new Yaml().load(read(run.runDir.resolve("kubeconfig")));
            String server = (String) ((Map<?, ?>) ((Map<?, ?>) ((List<?>) admin.get("clusters")).get(0)).get("cluster")).get("server");
            UserAccessChecks.Added alice = UserAccessChecks.addAlice(cluster, run.kw, run.answers, run.name, server,
                    generated.resolve("cluster/pki/ca.crt"), false);
            assertEquals("CN=alice,O=readers,O=dev", UserAccessChecks.handshake(alice, read(generated.resolve("hosts/cp1/pki/apiserver.crt")),
                    generated.resolve("hosts/cp1/pki/apiserver.key")));

            // certs renew with kubewizard's PKI: issued again on the jump host, written to each control plane in
            // turn (static pods restarted, healthy), then to each etcd member in turn (etcd restarted, healthy).
            Map<String, String> before = new java.util.LinkedHashMap<>();
            for (String n : List.of("cp1", "cp2", "cp3")) before.put(n, read(cluster.node(n).path("/etc/kubernetes/pki/apiserver.crt")));
            for (String n : List.of("etcd1", "etcd2", "etcd3")) before.put(n, read(cluster.node(n).path("/etc/kubernetes/pki/etcd/server.crt")));
            String ca = read(cluster.node("cp1").path("/etc/kubernetes/pki/ca.crt"));
            Cmd.Result renewed = run.kw.run(RUN_TIMEOUT, "renew", "certs", "renew", "-f", run.answers.toString(), "--plain", "--yes");
            assertEquals(0, renewed.exitCode(), renewed::toString);
            assertTrue(renewed.stdout().startsWith("Issued again by the stored CAs: "), renewed::toString);
            Map<?, ?> pods = (Map<?, ?>) cluster.apiState().get("staticPods");
            long previous = 0;
            for (String n : List.of("cp1", "cp2", "cp3", "etcd1", "etcd2", "etcd3")) {
                SimNode node = cluster.node(n);
                String path = n.startsWith("cp") ? "/etc/kubernetes/pki/apiserver.crt" : "/etc/kubernetes/pki/etcd/server.crt";
                String now = read(node.path(path));
                assertFalse(now.equals(before.get(n)), n + ": " + path + " was not written again");
                assertEquals(read(generated.resolve("hosts/" + n + path.replace("/etc/kubernetes", ""))), now, n);
                String component = n.startsWith("cp") ? "kube-apiserver" : "etcd";
                long started = ((Number) ((Map<?, ?>) ((Map<?, ?>) pods.get(n)).get(component)).get("startedNs")).longValue();
                assertTrue(started > previous, n + "'s " + component + " restarted before the node before it was done");
                previous = started;
            }
            assertEquals(ca, read(cluster.node("cp1").path("/etc/kubernetes/pki/ca.crt")), "the CA is not renewed");
            Cmd.Result stillHealthy = Cmd.run(Duration.ofSeconds(30), concat(etcdctl, "endpoint", "health"));
            assertEquals(0, stillHealthy.exitCode(), stillHealthy::toString);

            // backup from etcd1, then restore on all three external members (the API servers stopped meanwhile):
            // a key written after the backup is gone and one deleted after it is back, on every member.
            List<String> renewedEtcdctl = etcdctl;
            assertEquals(0, Cmd.run(Duration.ofSeconds(30), concat(renewedEtcdctl, "put", "/kw/kept", "v")).exitCode());
            assertEquals(0, Cmd.run(Duration.ofSeconds(30), concat(renewedEtcdctl, "put", "/kw/deleted-after", "v")).exitCode());
            Cmd.Result backup = run.kw.run(RUN_TIMEOUT, "backup", "backup", "-f", run.answers.toString(), "--plain");
            assertEquals(0, backup.exitCode(), backup::toString);
            assertTrue(backup.stdout().contains("(etcd snapshot of etcd1, "), backup::toString);
            Path dir = Path.of(backup.stdout().lines().filter(l -> l.startsWith("Backup: ")).findFirst().orElseThrow().split(" ")[1]);
            assertEquals(0, Cmd.run(Duration.ofSeconds(30), concat(renewedEtcdctl, "put", "/kw/written-after", "v")).exitCode());
            assertEquals(0, Cmd.run(Duration.ofSeconds(30), concat(renewedEtcdctl, "del", "/kw/deleted-after")).exitCode());
            Cmd.Result restored = run.kw.run(RUN_TIMEOUT, "restore", "restore", "-f", run.answers.toString(), "--from",
                    dir.toString(), "--plain", "--yes");
            assertEquals(0, restored.exitCode(), restored::toString);
            for (int h : List.of(31, 32, 33)) {
                List<String> one = new ArrayList<>(renewedEtcdctl);
                one.replaceAll(a -> a.startsWith("--endpoints=") ? "--endpoints=https://" + cluster.address(h) + ":2379" : a);
                Cmd.Result keys = Cmd.run(Duration.ofSeconds(30), concat(one, "get", "/kw/", "--prefix", "--keys-only",
                        "--consistency=s"));
                assertEquals(0, keys.exitCode(), keys::toString);
                assertEquals(List.of("/kw/deleted-after", "/kw/kept"), keys.stdout().lines().filter(l -> !l.isEmpty()).toList(),
                        "etcd at ." + h);
            }
            Cmd.Result healthyAfter = Cmd.run(Duration.ofSeconds(30), concat(etcdctl, "endpoint", "health"));
            assertEquals(0, healthyAfter.exitCode(), healthyAfter::toString);
            for (String cp : List.of("cp1", "cp2", "cp3")) {
                assertTrue(Files.isRegularFile(cluster.node(cp).path("/etc/kubernetes/manifests/kube-apiserver.yaml")), cp);
            }
        }
    }

    // ------------------------------------------------------------------ one cluster's runs

    /** One preset installed on one simulated cluster by the jar, and what can be said about it. */
    final class Installation {
        final SimCluster cluster;
        final Kubewizard kw;
        final Path answers;
        final ClusterSpec spec;
        final String name;
        final Path runDir;
        /** What the run directory's PKI and secrets render to; known once the first apply is checked. */
        PkiMaterial pki;
        List<RenderedFile> rendered;
        List<String> phases;

        /** @param cutFrom where the preset's host list is cut off (hosts the test has no node for), or null */
        Installation(SimCluster cluster, String preset, String cutFrom) {
            this.cluster = cluster;
            this.kw = new Kubewizard(cluster, tmp);
            Path file = kw.answers(preset, cluster.knownHosts());
            if (cutFrom != null) {
                String text = read(file);
                write(file, text.substring(0, text.indexOf(cutFrom)));
            }
            this.answers = file;
            AnswersLoader.Result loaded = AnswersLoader.load(file);
            assertFalse(loaded.hasErrors(), loaded.problems()::toString);
            this.spec = loaded.spec();
            this.name = spec.cluster().name();
            this.runDir = kw.runDirectory(name);
            System.out.printf("ApplySystemTest: %s, %d nodes started in %d ms%n", name, cluster.nodes().size(),
                    cluster.startupTime().toMillis());
        }

        Cmd.Result apply(String run) {
            long started = System.nanoTime();
            Cmd.Result r = kw.run(RUN_TIMEOUT, run, "apply", "-f", answers.toString(), "--plain", "--yes",
                    "--accept-new-host-keys", "--events", tmp.resolve(run + ".events.ndjson").toString());
            System.out.printf("ApplySystemTest: %s, %s took %d ms%n", name, run, (System.nanoTime() - started) / 1_000_000);
            return r;
        }

        /** The first apply: it succeeds, in the right order, leaving the right files, and tells no secret. */
        void applyAndCheck(List<String> phases, String endpoint) {
            this.phases = phases;
            Cmd.Result r = apply("apply");
            assertSucceeded(r, phases);
            assertOrder();
            assertFiles();
            assertKubeconfig(endpoint);
            assertNoSecretLeaked(r, "apply");
        }

        void assertSucceeded(Cmd.Result r, List<String> phases) {
            assertEquals(0, r.exitCode(), r::toString);
            assertEquals("", r.stderr(), r::toString);
            List<String> lines = r.stdout().lines().toList();
            int hosts = spec.hosts().size();
            assertEquals("Cluster " + name + ": " + hosts + (hosts == 1 ? " host, " : " hosts, ") + phases.size() + " phases.",
                    lines.get(0), r::toString);
            assertEquals("Done. Admin kubeconfig: " + runDir.resolve("kubeconfig"),
                    CLOCK.matcher(lines.get(lines.size() - 1)).replaceFirst(""), r::toString);
            // Phases end in their own order when hosts overlap; each ends once, and well.
            List<String> ended = lines.stream().map(l -> CLOCK.matcher(l).replaceFirst(""))
                    .filter(l -> l.startsWith("✓ ") || l.startsWith("✗ ")).toList();
            assertEquals(phases.stream().map(p -> "✓ " + p).sorted().toList(), ended.stream().sorted().toList(), r::toString);
        }

        /** kubeadm init ends before any join starts; control planes join one at a time, workers after init. */
        void assertOrder() {
            Map<String, List<Call>> kubeadm = new TreeMap<>();
            for (SimNode n : cluster.nodes()) {
                kubeadm.put(n.name(), n.calls().stream().filter(c -> c.tool().equals("kubeadm") && c.words().size() > 1
                        && List.of("init", "join").contains(c.words().get(1)) && !c.words().contains("phase")).toList());
            }
            Host first = spec.firstControlPlane();
            assertEquals(1, kubeadm.get(first.name()).size(), kubeadm::toString);
            Call init = kubeadm.get(first.name()).get(0);
            assertEquals(List.of("kubeadm", "init", "--config", "/etc/kubernetes/kubeadm/init.yaml"), init.words().subList(0, 4));
            assertEquals(0, init.exitCode());
            List<Call> controlPlaneJoins = new ArrayList<>();
            for (Host h : spec.hosts()) {
                if (h.equals(first)) continue;
                List<Call> mine = kubeadm.get(h.name());
                if (!joins(h)) {
                    // An external etcd member: its static pod is written, and running, before init.
                    assertEquals(List.of(), mine, h.name());
                    List<Call> etcd = cluster.node(h.name()).calls().stream()
                            .filter(c -> c.line().equals("kubeadm init phase etcd local --config /etc/kubernetes/kubeadm/etcd.yaml")).toList();
                    assertEquals(1, etcd.size(), h.name() + ": " + etcd);
                    assertTrue(etcd.get(0).endNs() < init.startNs(), h.name() + "'s etcd was written before kubeadm init began");
                    continue;
                }
                assertEquals(1, mine.size(), h.name() + ": " + mine);
                Call join = mine.get(0);
                assertEquals(List.of("kubeadm", "join", "--config", "/etc/kubernetes/kubeadm/join.yaml"), join.words());
                assertEquals(0, join.exitCode(), join::toString);
                assertTrue(init.endNs() < join.startNs(), "kubeadm init ended before " + h.name() + " began to join");
                if (h.is(Role.CONTROL_PLANE)) controlPlaneJoins.add(join);
            }
            controlPlaneJoins.sort(Comparator.comparingLong(Call::startNs));
            assertEquals(spec.controlPlanes().size() - 1, controlPlaneJoins.size());
            for (int i = 1; i < controlPlaneJoins.size(); i++) {
                Call before = controlPlaneJoins.get(i - 1);
                Call after = controlPlaneJoins.get(i);
                assertTrue(before.endNs() < after.startNs(), before.node() + " finished joining before " + after.node() + " began");
            }
        }

        /**
         * Every file render makes for a node is there with its mode and content (secrets filled in),
         * the other package family's files are not, and the files the issue names are checked by
         * name, so a rendering mistake cannot hide behind this comparison.
         */
        void assertFiles() {
            for (SimNode n : cluster.nodes()) {
                assertMode(n, "/etc/modules-load.d/k8s.conf", 0644);
                assertTrue(read(n.path("/etc/modules-load.d/k8s.conf")).endsWith("\noverlay\nbr_netfilter\n"), n.name());
                assertMode(n, "/etc/sysctl.d/k8s.conf", 0644);
                assertTrue(read(n.path("/etc/sysctl.d/k8s.conf")).contains("net.ipv4.ip_forward = 1\n"));
                assertMode(n, "/etc/containerd/config.toml", 0644);
                assertTrue(read(n.path("/etc/containerd/config.toml")).contains("SystemdCgroup = true"), n.name());
                Host h = host(n.name());
                if (h.equals(spec.firstControlPlane())) assertMode(n, "/etc/kubernetes/kubeadm/init.yaml", 0600);
                if (joins(h)) assertMode(n, "/etc/kubernetes/kubeadm/join.yaml", 0600);
            }
            String caHash = CaCertHash.of(read(cluster.node(spec.firstControlPlane().name()).path("/etc/kubernetes/pki/ca.crt")));
            try {
                pki = ClusterPki.needed(spec) ? ClusterPki.ensure(spec, PkiStore.ofRun(runDir)) : PkiMaterial.NONE;
            } catch (Exception e) {
                throw new AssertionError("the run directory's PKI cannot be read", e);
            }
            Secrets secrets = new Secrets(secret("bootstrap-token"), secret("certificate-key"), caHash);
            rendered = pki.isEmpty() ? Render.render(spec, secrets) : Render.render(spec, secrets, pki);
            Map<String, Integer> compared = new TreeMap<>();
            for (RenderedFile f : rendered) {
                SimNode n = cluster.node(f.host());
                OsFamily family = n.os().family() == SimNode.Family.DEB ? OsFamily.DEB : OsFamily.RPM;
                Path onNode = n.path(f.path());
                if (f.os() != OsFamily.ANY && f.os() != family) {
                    assertFalse(Files.exists(onNode), n.name() + " is no " + f.os() + " host, yet has " + f.path());
                    continue;
                }
                assertMode(n, f.path(), f.mode());
                String expected = f.content();
                if (f.path().equals("/etc/kubernetes/manifests/kube-vip.yaml")) {
                    expected = expected.replace("/etc/kubernetes/super-admin.conf", "/etc/kubernetes/admin.conf");
                }
                assertEquals(expected, read(onNode), n.name() + " " + f.path());
                compared.merge(n.name(), 1, Integer::sum);
            }
            // At least the modules, sysctl, containerd, crictl and kubeadm files of every node.
            for (SimNode n : cluster.nodes()) assertTrue(compared.getOrDefault(n.name(), 0) >= 5, compared::toString);
        }

        /** The admin kubeconfig in the run directory: private, named after the cluster, and it works. */
        void assertKubeconfig(String endpoint) {
            Path file = runDir.resolve("kubeconfig");
            assertEquals(0600, mode(file));
            Map<String, Object> config = new Yaml().load(read(file));
            assertEquals(name, config.get("current-context"));
            assertEquals(List.of(Map.of("name", name, "context", Map.of("cluster", name, "user", "kubernetes-admin"))),
                    config.get("contexts"));
            Map<?, ?> c = (Map<?, ?>) ((List<?>) config.get("clusters")).get(0);
            assertEquals(name, c.get("name"));
            assertEquals("https://" + endpoint, ((Map<?, ?>) c.get("cluster")).get("server"));
            SimNode first = cluster.node(spec.firstControlPlane().name());
            assertEquals(0, first.ssh("umask 077 && cat > /root/fetched.conf", read(file).getBytes(StandardCharsets.UTF_8)).exitCode());
            Cmd.Result nodes = first.ssh("kubectl --kubeconfig /root/fetched.conf get nodes -o name");
            assertEquals(0, nodes.exitCode(), nodes::toString);
            assertEquals(spec.hosts().stream().filter(h -> h.is(Role.CONTROL_PLANE) || h.is(Role.WORKER))
                    .map(h -> "node/" + h.name()).sorted().toList(), nodes.stdout().lines().toList());
        }

        /**
         * The bootstrap token, the certificate key and every private key (the generated PKI's, the
         * admin kubeconfig's, the ones kubeadm made) appear nowhere a person or a log could see them:
         * no recorded argv on any node, not the jar's output, the events or the run directory's logs.
         */
        void assertNoSecretLeaked(Cmd.Result r, String run) {
            String token = secret("bootstrap-token");
            Map<String, String> secrets = new LinkedHashMap<>();
            secrets.put("bootstrap token", token);
            secrets.put("bootstrap token secret", token.substring(7));
            secrets.put("certificate key", secret("certificate-key"));
            try (Stream<Path> keys = Files.walk(runDir.resolve("secrets"))) {
                keys.filter(p -> p.toString().endsWith(".key")).forEach(p -> pemLines(read(p), runDir.relativize(p).toString(), secrets));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Map<String, Object> kubeconfig = new Yaml().load(read(runDir.resolve("kubeconfig")));
            Map<?, ?> user = (Map<?, ?>) ((Map<?, ?>) ((List<?>) kubeconfig.get("users")).get(0)).get("user");
            String clientKey = (String) user.get("client-key-data");
            secrets.put("admin client key (base64)", clientKey.substring(0, 64));
            pemLines(new String(Base64.getDecoder().decode(clientKey), StandardCharsets.US_ASCII), "admin client key", secrets);
            SimNode first = cluster.node(spec.firstControlPlane().name());
            for (String key : List.of("ca.key", "sa.key", "front-proxy-ca.key", "apiserver.key")) {
                pemLines(read(first.path("/etc/kubernetes/pki/" + key)), "node " + key, secrets);
            }
            // The needles are real: the secrets are where they belong.
            String initConfig = read(first.path("/etc/kubernetes/kubeadm/init.yaml"));
            assertTrue(initConfig.contains("token: " + token), initConfig);
            spec.hosts().stream().filter(this::joins).forEach(h -> {
                String joinConfig = read(cluster.node(h.name()).path("/etc/kubernetes/kubeadm/join.yaml"));
                assertTrue(joinConfig.contains("token: " + token), h.name() + ":\n" + joinConfig);
            });

            Map<String, String> haystacks = new LinkedHashMap<>();
            for (SimNode n : cluster.nodes()) {
                StringBuilder argv = new StringBuilder();
                n.calls().forEach(c -> argv.append(String.join(" ", c.argv())).append('\n'));
                assertTrue(argv.length() > 0, n.name() + " recorded no call");
                haystacks.put("argv on " + n.name(), argv.toString());
            }
            haystacks.put("stdout", r.stdout());
            haystacks.put("stderr", r.stderr());
            haystacks.put("--events file", read(tmp.resolve(run + ".events.ndjson")));
            try (Stream<Path> files = Files.walk(runDir)) {
                for (Path p : files.filter(Files::isRegularFile).filter(p -> !p.startsWith(runDir.resolve("secrets"))).toList()) {
                    if (p.equals(runDir.resolve("kubeconfig"))) continue;
                    haystacks.put(runDir.relativize(p).toString(), read(p));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            assertTrue(haystacks.keySet().containsAll(List.of("events.ndjson", "journal.ndjson", "logs/" + first.name() + ".log")),
                    haystacks.keySet()::toString);
            if (run.equals("apply")) {
                // kubeadm init printed the token, as the real one does; the events have it masked.
                assertTrue(haystacks.get("--events file").contains(" --token ******** "), "kubeadm init's output in the events");
            }
            for (Map.Entry<String, String> hay : haystacks.entrySet()) {
                for (Map.Entry<String, String> needle : secrets.entrySet()) {
                    assertFalse(hay.getValue().contains(needle.getValue()), needle.getKey() + " in " + hay.getKey());
                }
            }
        }

        /**
         * A second apply: the probe finds the cluster, so the scale workflow runs, with these phases;
         * every step with a check finds it passing and is skipped; what runs is only reading (the
         * probe, checks, verify, the kubeconfig fetched again). On the nodes, no stand-in call but
         * those reads, and no file of render's changed.
         */
        void applyAgainChangesNothing(List<String> phasesAgain) {
            Map<String, Integer> before = new LinkedHashMap<>();
            Map<String, String> files = new LinkedHashMap<>();
            for (SimNode n : cluster.nodes()) {
                before.put(n.name(), n.calls().size());
                files.put(n.name(), snapshot(n));
            }
            Cmd.Result r = apply("again");
            assertSucceeded(r, phasesAgain);

            Map<String, String> last = new TreeMap<>();
            for (String line : read(tmp.resolve("again.events.ndjson")).lines().toList()) {
                Map<?, ?> e = (Map<?, ?>) Json.parse(line);
                if (e.get("type").equals("StepChanged")) last.put((String) e.get("stepKey"), (String) e.get("status"));
            }
            // The probe found the cluster the first apply made, so this run scaled it (to what it is):
            // exactly the steps plan and apply --dry-run show for a cluster as applied.
            Engine.Preview preview = Engine.preview(spec, new RunDirectory(runDir), Set.of());
            assertTrue(preview.observed(), "the run directory remembers the applied answers");
            Plan whole = preview.whole();
            assertEquals("probe+scale", whole.workflow());
            assertEquals(phasesAgain, whole.phases().stream().map(Phase::id).toList());
            Map<String, String> expected = new TreeMap<>();
            for (Step s : whole.steps()) {
                expected.put(s.key(), s.check() == null ? "DONE" : "SKIPPED");
                // A step that always runs may only read: connect, gather facts, observe, check health, or write files.
                // verify's test namespace is made and deleted again (VerifyPlanTest; its calls are in READS).
                if (s.check() == null && !s.commands().isEmpty()) {
                    assertTrue(Set.of("connect", "facts", "observe", "etcd/health").contains(s.id()) || s.id().startsWith("verify/"),
                            s.key());
                }
            }
            assertEquals(expected, last);
            String runLine = read(runDir.resolve("journal.ndjson")).lines().findFirst().orElseThrow();
            assertEquals("scale", ((Map<?, ?>) Json.parse(runLine)).get("workflow"), runLine);

            for (SimNode n : cluster.nodes()) {
                List<Call> again = n.calls().subList(before.get(n.name()), n.calls().size());
                for (Call c : again) {
                    // Pod Security refuses verify's privileged pod: that one call fails, as it must.
                    assertEquals(c.line().equals(PRIVILEGED_DRY_RUN) ? 1 : 0, c.exitCode(), c::toString);
                    assertTrue(READS.stream().anyMatch(p -> p.matcher(c.line()).matches()), n.name() + " changed something: " + c.line());
                }
                assertEquals(files.get(n.name()), snapshot(n), n.name() + ": a file changed");
                // The probe asked each control plane's API server for the Nodes, and each running etcd for its members, once.
                Host h = host(n.name());
                boolean etcd = h.is(Role.ETCD) || (h.is(Role.CONTROL_PLANE) && spec.cluster().topology() == Topology.STACKED);
                assertEquals(h.is(Role.CONTROL_PLANE) ? 1 : 0, again.stream()
                        .filter(c -> c.line().equals("kubectl --kubeconfig /etc/kubernetes/admin.conf get nodes -o json")).count(),
                        n.name() + ": " + again);
                assertEquals(h.is(Role.CONTROL_PLANE) ? 1 : 0, again.stream()
                        .filter(c -> c.line().equals("kubectl --kubeconfig /etc/kubernetes/admin.conf version -o json")).count(),
                        n.name() + ": " + again);
                assertEquals(etcd ? 1 : 0, again.stream().filter(c -> c.tool().equals("crictl")
                        && c.line().endsWith(" etcdctl --endpoints=https://127.0.0.1:2379 --cacert=/etc/kubernetes/pki/etcd/ca.crt"
                        + " --cert=/etc/kubernetes/pki/etcd/healthcheck-client.crt --key=/etc/kubernetes/pki/etcd/healthcheck-client.key"
                        + " member list -w simple")).count(), n.name() + ": " + again);
            }
            assertNoSecretLeaked(r, "again");
        }

        /**
         * {@code kubewizard verify} on the finished cluster: every check listed and passed, as a table and
         * as JSON; then with DNS broken on worker2 it exits 1 naming the node and the check, and every other
         * check (they run side by side, none waiting for another) passed. The test namespace is gone from the
         * API server after each run.
         */
        void verifyPassesThenFailsWhereDnsIsBroken() {
            List<String> nodes = spec.hosts().stream().filter(h -> !h.is(Role.ETCD)).map(Host::name).toList();
            List<String> rows = new ArrayList<>(List.of("nodes -", "node-state -", "etcd -", "kube-system -", "test-pods -"));
            for (String n : nodes) for (String c : List.of("dns", "pod-network", "service", "node-port")) rows.add(c + " " + n);
            rows.add("pod-security -");
            rows.add("cleanup -");
            Cmd.Result ok = kw.run(RUN_TIMEOUT, "verify", "verify", "-f", answers.toString(), "--plain");
            assertEquals(0, ok.exitCode(), ok::toString);
            assertEquals("", ok.stderr(), ok::toString);
            List<String[]> table = table(ok.stdout(), "Verify cluster " + name + ": every check passed");
            List<String> listed = new ArrayList<>();
            for (String[] r : table.subList(0, table.size() - 1)) {
                listed.add(r[0] + " " + r[1]);
                assertEquals("ok", r[2], String.join(" ", r));
            }
            assertEquals(rows, listed);
            String[] expiry = table.get(table.size() - 1);
            assertEquals("certificate-expiry", expiry[0]);
            assertEquals("ok", expiry[2]);
            assertTrue(expiry[3].matches("/\\S+ expires \\S+Z \\(\\d+ days\\)"), expiry[3]);
            assertNamespaceGone();

            Cmd.Result json = kw.run(RUN_TIMEOUT, "verify-json", "verify", "-f", answers.toString(), "--plain", "--format", "json");
            assertEquals(0, json.exitCode(), json::toString);
            Map<?, ?> doc = (Map<?, ?>) Json.parse(json.stdout());
            assertEquals(name, doc.get("cluster"));
            assertEquals(true, doc.get("ok"));
            List<?> checks = (List<?>) doc.get("checks");
            assertEquals(rows.size() + 1, checks.size(), json::toString);
            Map<?, ?> dns = (Map<?, ?>) checks.get(5);
            assertEquals(Map.of("check", "dns", "node", nodes.get(0), "result", "ok", "detail", ""), dns);
            assertNamespaceGone();

            cluster.breakDns("worker2");
            Cmd.Result broken = kw.run(RUN_TIMEOUT, "verify-dns", "verify", "-f", answers.toString(), "--plain");
            cluster.clearRules();
            assertEquals(1, broken.exitCode(), broken::toString);
            // Only that check failed, every other one passed, and the namespace was still deleted.
            List<String[]> failed = table(broken.stdout(), "Verify cluster " + name + ": 1 check failed");
            for (String[] r : failed.subList(0, failed.size() - 1)) {
                if (r[0].equals("dns") && r[1].equals("worker2")) {
                    assertEquals("failed", r[2], String.join(" ", r));
                    assertEquals("dns on worker2: kubernetes.default does not resolve (exit 1: command terminated with exit code 1)",
                            r[3]);
                    continue;
                }
                assertEquals("ok", r[2], String.join(" ", r));
            }
            assertTrue(broken.stdout().contains("verify/dns/worker2 on cp1: dns on worker2: kubernetes.default does not resolve"),
                    broken::toString);
            assertNamespaceGone();
        }

        /**
         * {@code kubewizard verify --node-conformance NODE}: the node conformance image pulled and run
         * with ctr on NODE with the documented mounts (exact argv), its row listed after the other checks
         * and passed, its result files fetched into the run directory's node-conformance/NODE/ (0600);
         * an unknown host is refused (exit 2) naming the option and the hosts, with nothing run.
         */
        void verifyRunsNodeConformance(String node) {
            SimNode target = cluster.node(node);
            int before = target.calls().size();
            Cmd.Result unknown = kw.run(RUN_TIMEOUT, "verify-nc-unknown", "verify", "-f", answers.toString(), "--plain",
                    "--node-conformance", "nosuchnode");
            assertEquals(2, unknown.exitCode(), unknown::toString);
            assertTrue(unknown.stderr().contains("--node-conformance: 'nosuchnode' is not a host of the answers file (its hosts: "
                    + String.join(", ", spec.hosts().stream().map(Host::name).toList()) + ")"), unknown::toString);
            assertEquals(before, target.calls().size(), "nothing ran on " + node);

            Cmd.Result ok = kw.run(RUN_TIMEOUT, "verify-nc", "verify", "-f", answers.toString(), "--plain",
                    "--node-conformance", node);
            assertEquals(0, ok.exitCode(), ok::toString);
            assertEquals("", ok.stderr(), ok::toString);
            List<String[]> table = table(ok.stdout(), "Verify cluster " + name + ": every check passed");
            String[] row = table.get(table.size() - 2);
            Path results = runDir.resolve("node-conformance").resolve(node);
            assertEquals(List.of("node-conformance", node, "ok", "results in " + results), List.of(row), ok::toString);
            assertEquals("certificate-expiry", table.get(table.size() - 1)[0]);

            String machine = target.ssh("uname -m").stdout().strip();
            String arch = switch (machine) { case "x86_64" -> "-amd64"; case "aarch64" -> "-arm64"; default -> ""; };
            String image = spec.cluster().imageRepository() + "/node-test" + arch + ":0.2";
            List<List<String>> ctr = target.calls().subList(before, target.calls().size()).stream()
                    .filter(c -> c.tool().equals("ctr")).map(Call::argv).toList();
            assertEquals(List.of(
                    List.of("/usr/bin/ctr", "-n", "k8s.io", "images", "pull", image),
                    List.of("/usr/bin/ctr", "-n", "k8s.io", "run", "--rm", "--privileged", "--net-host",
                            "--mount", "type=bind,src=/,dst=/rootfs,options=rbind:ro",
                            "--mount", "type=bind,src=/etc/kubernetes/manifests,dst=/etc/kubernetes/manifests,options=rbind:rw",
                            "--mount", "type=bind,src=/var/lib/kubewizard/node-conformance,dst=/var/result,options=rbind:rw",
                            image, "node-conformance")), ctr);
            assertTrue(target.calls().subList(before, target.calls().size()).stream()
                    .filter(c -> c.tool().equals("ctr")).allMatch(c -> c.exitCode() == 0), ctr::toString);
            assertEquals("kw-sim node conformance on " + node + ": passed\n", read(results.resolve("build-log.txt")));
            assertTrue(read(results.resolve("junit_01.xml")).contains("<testcase name=\"" + node + "\"/>"),
                    () -> read(results.resolve("junit_01.xml")));
            try (Stream<Path> files = Files.list(results)) {
                assertEquals(List.of("build-log.txt", "junit_01.xml"), files.map(p -> p.getFileName().toString()).sorted().toList());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            for (String f : List.of("build-log.txt", "junit_01.xml")) {
                try {
                    assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                            Files.getPosixFilePermissions(results.resolve(f))), f);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            assertEquals("700", Integer.toOctalString(mode(target.path("/var/lib/kubewizard/node-conformance"))),
                    "a fresh 0700 results directory on " + node);
            assertNamespaceGone();

            // A test that fails (the container exits 1): the row fails with ctr's exit, exit 1, and the
            // results directory (fresh again, so empty) is still fetched.
            cluster.fail(node, "ctr run", 1, "node conformance failed", 1);
            Cmd.Result failed = kw.run(RUN_TIMEOUT, "verify-nc-failed", "verify", "-f", answers.toString(), "--plain",
                    "--node-conformance", node);
            cluster.clearRules();
            assertEquals(1, failed.exitCode(), failed::toString);
            List<String[]> failedTable = table(failed.stdout(), "Verify cluster " + name + ": 1 check failed");
            String[] failedRow = failedTable.get(failedTable.size() - 2);
            assertEquals(List.of("node-conformance", node, "failed"), List.of(failedRow).subList(0, 3), failed::toString);
            assertTrue(failedRow[3].startsWith("ctr exited 1") && failedRow[3].endsWith("; results in " + results), failedRow[3]);
            try (Stream<Path> files = Files.list(target.path("/var/lib/kubewizard/node-conformance"))) {
                assertEquals(List.of(), files.toList(), "the results directory was made fresh");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            try (Stream<Path> files = Files.list(results)) {
                assertEquals(List.of(), files.toList(), "the earlier run's results are not kept as this run's");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            assertNamespaceGone();
        }

        /** The results table's rows after its header line: CHECK, NODE, RESULT and DETAIL (may be empty). */
        List<String[]> table(String stdout, String header) {
            List<String> lines = stdout.lines().toList();
            int at = lines.indexOf(header);
            assertTrue(at >= 0, stdout);
            assertTrue(lines.get(at + 1).matches("CHECK +NODE +RESULT +DETAIL"), lines.get(at + 1));
            List<String[]> out = new ArrayList<>();
            for (String line : lines.subList(at + 2, lines.size())) {
                if (line.isBlank() || line.startsWith("Fix the cause")) break;
                String[] cells = line.split(" {2,}", 4);
                out.add(cells.length == 4 ? cells : new String[] {cells[0], cells[1], cells[2], ""});
            }
            return out;
        }

        /** Nothing of verify's is left in the API server: not its namespace, not an object in it. */
        void assertNamespaceGone() {
            for (Object o : (List<?>) cluster.apiState().getOrDefault("objects", List.of())) {
                Map<?, ?> obj = (Map<?, ?>) o;
                assertFalse("kubewizard-verify".equals(obj.get("namespace"))
                        || ("Namespace".equals(obj.get("kind")) && "kubewizard-verify".equals(obj.get("name"))), obj::toString);
            }
        }

        /** Content and mode of every file render makes for this node. */
        String snapshot(SimNode n) {
            StringBuilder sb = new StringBuilder();
            Set<String> paths = new LinkedHashSet<>();
            rendered.stream().filter(f -> f.host().equals(n.name())).forEach(f -> paths.add(f.path()));
            for (String p : paths) {
                Path onNode = n.path(p);
                if (Files.exists(onNode)) sb.append(p).append(' ').append(Integer.toOctalString(mode(onNode))).append('\n').append(read(onNode));
            }
            return sb.toString();
        }

        String secret(String file) {
            return read(runDir.resolve("secrets").resolve(file)).trim();
        }

        /** Hosts that run kubeadm join: every control plane but the first, and the workers. */
        boolean joins(Host h) {
            return !h.equals(spec.firstControlPlane()) && (h.is(Role.CONTROL_PLANE) || h.is(Role.WORKER));
        }

        Host host(String node) {
            return spec.hosts().stream().filter(h -> h.name().equals(node)).findFirst().orElseThrow();
        }
    }

    static final String PRIVILEGED_DRY_RUN = "kubectl --kubeconfig /etc/kubernetes/admin.conf apply --dry-run=server -f "
            + "/etc/kubernetes/verify/privileged-pod.yaml";

    /**
     * The stand-in calls a finished cluster's probe, checks and verify steps make: reads only, but for
     * verify's test namespace, which is made and deleted again.
     */
    static final List<Pattern> READS = Stream.of(
            "kubectl --kubeconfig /etc/kubernetes/admin\\.conf get pods -n kube-system -o json",
            "kubectl --kubeconfig /etc/kubernetes/admin\\.conf get nodes( \\S+)+ -o json",
            "kubectl --kubeconfig /etc/kubernetes/admin\\.conf apply -f /etc/kubernetes/verify/test-pods\\.yaml",
            "kubectl --kubeconfig /etc/kubernetes/admin\\.conf wait --for=condition=Ready --timeout=300s -n kubewizard-verify pod --all",
            "kubectl --kubeconfig /etc/kubernetes/admin\\.conf exec -n kubewizard-verify agnhost-\\S+ -- (nslookup kubernetes\\.default"
                    + "|/agnhost connect --timeout=5s \\S+)",
            "kubectl --kubeconfig /etc/kubernetes/admin\\.conf get (pod|service) -n kubewizard-verify \\S+ -o jsonpath=\\S+",
            Pattern.quote(PRIVILEGED_DRY_RUN),
            "kubectl --kubeconfig /etc/kubernetes/admin\\.conf delete namespace kubewizard-verify --ignore-not-found --timeout=300s",
            "sysctl -n \\S+",
            "(dpkg -s|rpm -q) containerd\\.io",
            "systemctl (is-active|is-enabled) --quiet (containerd|kubelet)",
            "kubeadm version -o short", "kubelet --version", "kubectl version --client",
            "kubectl --kubeconfig /etc/kubernetes/admin\\.conf get (node( \\S+)+|-f /etc/kubernetes/cni/calico-installation\\.yaml)",
            // the probe's observe step on a control plane: the Nodes as the API server lists them
            "kubectl --kubeconfig /etc/kubernetes/admin\\.conf get nodes -o json",
            // and the API server's version and the control plane's pods (an upgrade's checks)
            "kubectl --kubeconfig /etc/kubernetes/admin\\.conf version -o json",
            "kubectl --kubeconfig /etc/kubernetes/admin\\.conf get pods -n kube-system -l tier=control-plane -o json",
            "kubectl --kubeconfig /etc/kubernetes/admin\\.conf wait --for=condition=Ready --timeout=600s( node/\\S+)+",
            "crictl --runtime-endpoint unix:///var/run/containerd/containerd\\.sock ps --quiet --state running --name \\^etcd\\$",
            "crictl --runtime-endpoint unix:///var/run/containerd/containerd\\.sock exec [0-9a-f]{64} etcdctl .* endpoint health --cluster",
            // the probe's observe step where etcd runs: the members as the local etcd lists them
            "crictl --runtime-endpoint unix:///var/run/containerd/containerd\\.sock exec [0-9a-f]{64} etcdctl .* member list -w simple")
            .map(Pattern::compile).toList();

    /** Each line of a PEM body long enough to be unmistakable, named after where it came from. */
    static void pemLines(String pem, String what, Map<String, String> into) {
        assertTrue(pem.contains("PRIVATE KEY-----"), what);
        int i = 0;
        for (String line : pem.lines().toList()) {
            if (!line.startsWith("-----") && line.length() >= 40) into.put(what + " line " + ++i, line);
        }
        assertTrue(i > 0, what);
    }

    static List<String> concat(List<String> head, String... tail) {
        List<String> out = new ArrayList<>(head);
        out.addAll(List.of(tail));
        return out;
    }

    static void assertMode(SimNode node, String path, int expected) {
        Path p = node.path(path);
        assertTrue(Files.isRegularFile(p), node.name() + " has no " + path);
        assertEquals(Integer.toOctalString(expected), Integer.toOctalString(mode(p)), node.name() + " " + path);
    }

    static int mode(Path p) {
        try {
            int mode = 0;
            for (PosixFilePermission perm : Files.getPosixFilePermissions(p)) mode |= 1 << (8 - perm.ordinal());
            return mode;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String read(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void write(Path p, String text) {
        try {
            Files.writeString(p, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
