package io.kubewizard.sim;

import io.kubewizard.answers.AnswersLoader;
import io.kubewizard.answers.Spec.ClusterSpec;
import io.kubewizard.pki.ClusterPki;
import io.kubewizard.pki.PkiMaterial;
import io.kubewizard.pki.PkiStore;
import io.kubewizard.plan.Step;
import io.kubewizard.render.Secrets;
import io.kubewizard.testsupport.SystemDeps;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiPredicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every command the plans of the presets hold (the probe every apply starts with, then the
 * install), replayed on simulated Debian, Ubuntu and Rocky nodes over real SSH: the stand-ins make
 * each step's check fail before it runs and pass after, and etcd, stacked or external, is the real one.
 *
 * <p>A plan defect the simulated hosts expose the way real hosts would, while it is not fixed, is
 * listed in {@link #KNOWN_DEFECTS} and must fail exactly there; when it is fixed its command
 * passes, and this test says to take it off the list.
 */
@Tag("system")
class PlanReplaySystemTest {

    static final Secrets SECRETS = new Secrets("k7x2qa.9dj3hs8e1m4p0v6b",
            "3f9a1c7e5b2d8f4a6c0e9b7d5f3a1c8e2b4d6f8a0c9e7b5d3f1a2c4e6b8d0f9a", "sha256:" + "0".repeat(64));

    /** Nothing in a simulated cluster takes long: a wait that is not over in 5 s never will be. */
    static final SimCluster.Options OPTIONS = SimCluster.Options.defaults().withMaxWait(Duration.ofSeconds(5));

    /**
     * Step id (optionally followed by " DEB"/" RPM" or " stacked"/" external") to the start of its
     * failing command, for product defects the simulated hosts expose the way real hosts would.
     * None is known.
     */
    static final Map<String, String> KNOWN_DEFECTS = Map.of();

    static BiPredicate<Step, String> knownDefects(SimCluster cluster, boolean externalEtcd) {
        return (step, command) -> {
            String family = cluster.node(step.host()).os().family().name();
            for (String key : List.of(step.id(), step.id() + " " + family, step.id() + (externalEtcd ? " external" : " stacked"))) {
                String prefix = KNOWN_DEFECTS.get(key);
                if (prefix != null && command.startsWith(prefix)) return true;
            }
            return false;
        };
    }

    @TempDir
    Path tmp;

    static ClusterSpec preset(SimCluster cluster, String name) throws Exception {
        String text = Files.readString(SystemDeps.root().resolve("presets/" + name + ".yaml"));
        text = text.replace("10.0.0.", cluster.address(0).substring(0, cluster.address(0).lastIndexOf('.') + 1));
        AnswersLoader.Result r = AnswersLoader.parse(name + ".yaml", text);
        assertFalse(r.hasErrors(), () -> r.problems().toString());
        return r.spec();
    }

    PkiMaterial pki(ClusterSpec spec) throws Exception {
        return ClusterPki.needed(spec) ? ClusterPki.ensure(spec, PkiStore.ofRun(tmp)) : PkiMaterial.NONE;
    }

    /** Step id -> hosts where it failed as a known defect, for exact comparison. */
    static Map<String, List<String>> byStep(List<PlanReplay.ExpectedFailure> failures) {
        Map<String, List<String>> out = new TreeMap<>();
        for (PlanReplay.ExpectedFailure f : failures) {
            String[] idHost = f.key().split("@");
            out.computeIfAbsent(idHost[0], k -> new ArrayList<>()).add(idHost[1]);
        }
        out.values().forEach(l -> l.sort(null));
        return out;
    }

    @Test
    void singleNode() throws Exception {
        try (SimCluster cluster = SimCluster.start(OPTIONS, List.of(SimNode.Spec.debian("node1").withHost(11)))) {
            ClusterSpec spec = preset(cluster, "single-node");
            PlanReplay replay = new PlanReplay(cluster, spec, SECRETS, pki(spec)).expectingFailure(knownDefects(cluster, false));
            List<PlanReplay.Outcome> outcomes = replay.run(s -> false, 1);

            // The probe's reads come first, and work on a host with nothing installed yet.
            assertEquals(List.of("connect@node1", "facts@node1", "observe@node1"),
                    outcomes.stream().limit(3).map(PlanReplay.Outcome::key).toList());
            // The node has curl and gpg, and Debian's kubelet package enables the service itself;
            // nothing else was done before its step.
            assertEquals(List.of("prepare/tools@node1", "packages/kubelet@node1"),
                    outcomes.stream().filter(PlanReplay.Outcome::skipped).map(PlanReplay.Outcome::key).toList());
            assertEquals(Map.of(), byStep(replay.expectedFailures()));
            SimNode node = cluster.node("node1");
            assertTrue(Files.isRegularFile(node.path("/etc/kubernetes/admin.conf")));
            assertEquals(List.of("node1"), List.copyOf(((Map<?, ?>) cluster.apiState().get("nodes")).keySet()));
        }
    }

    @Test
    void haStacked() throws Exception {
        List<SimNode.Spec> nodes = List.of(SimNode.Spec.debian("cp1").withHost(11), SimNode.Spec.rocky("cp2").withHost(12),
                SimNode.Spec.ubuntu("cp3").withHost(13), SimNode.Spec.debian("worker1").withHost(21),
                SimNode.Spec.rocky("worker2").withHost(22));
        try (SimCluster cluster = SimCluster.start(OPTIONS, nodes)) {
            ClusterSpec spec = preset(cluster, "ha-stacked");
            PlanReplay replay = new PlanReplay(cluster, spec, SECRETS, pki(spec)).expectingFailure(knownDefects(cluster, false));
            replay.run(s -> false, 3);

            assertEquals(Map.of(), byStep(replay.expectedFailures()));
            assertEquals(List.of("cp1", "cp2", "cp3"), cluster.apiState().get("controlPlanes"));
            Cmd.Result members = cluster.node("cp3").ssh(ETCDCTL + " member list");
            assertEquals(0, members.exitCode(), members::toString);
            assertEquals(3, members.stdout().lines().filter(l -> l.contains(", started, ")).count(), members.stdout());
        }
    }

    /** The real etcdctl in the node's real etcd "container", with the certificates kubeadm made. */
    static final String ETCDCTL = "crictl exec \"$(crictl ps -q --name '^etcd$')\" etcdctl --endpoints=https://127.0.0.1:2379"
            + " --cacert=/etc/kubernetes/pki/etcd/ca.crt --cert=/etc/kubernetes/pki/etcd/healthcheck-client.crt"
            + " --key=/etc/kubernetes/pki/etcd/healthcheck-client.key";

    @Test
    void haExternalEtcd() throws Exception {
        List<SimNode.Spec> nodes = List.of(SimNode.Spec.debian("cp1").withHost(11), SimNode.Spec.rocky("cp2").withHost(12),
                SimNode.Spec.debian("cp3").withHost(13), SimNode.Spec.debian("etcd1").withHost(31),
                SimNode.Spec.rocky("etcd2").withHost(32), SimNode.Spec.debian("etcd3").withHost(33),
                SimNode.Spec.debian("worker1").withHost(21), SimNode.Spec.rocky("worker2").withHost(22),
                SimNode.Spec.debian("worker3").withHost(23));
        try (SimCluster cluster = SimCluster.start(OPTIONS, nodes)) {
            ClusterSpec spec = preset(cluster, "ha-external-etcd");
            PlanReplay replay = new PlanReplay(cluster, spec, SECRETS, pki(spec)).expectingFailure(knownDefects(cluster, true));
            replay.run(s -> false, 3);

            assertEquals(Map.of(), byStep(replay.expectedFailures()));
            // The members' own addresses, as kubeadm's external-etcd guide checks them: all healthy.
            String ip = cluster.node("etcd2").address();
            Cmd.Result health = cluster.node("etcd2").ssh(ETCDCTL.replace("127.0.0.1", ip) + " endpoint health --cluster 2>&1");
            assertEquals(0, health.exitCode(), health::toString);
            assertEquals(3, health.stdout().lines().filter(l -> l.contains(" is healthy")).count(), health.stdout());
        }
    }
}
