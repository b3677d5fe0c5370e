package io.kubewizard.sim;

import io.kubewizard.answers.AnswersLoader;
import io.kubewizard.answers.Spec.ClusterSpec;
import io.kubewizard.pki.ClusterPki;
import io.kubewizard.pki.PkiMaterial;
import io.kubewizard.pki.PkiStore;
import io.kubewizard.render.Secrets;
import io.kubewizard.testsupport.SystemDeps;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Every command the plan of a preset holds, replayed on simulated nodes over real SSH: the
 * stand-ins must make each step's check fail before it runs and pass after, on Debian and Rocky
 * nodes alike.
 */
@Tag("system")
class PlanReplaySystemTest {

    static final Secrets SECRETS = new Secrets("k7x2qa.9dj3hs8e1m4p0v6b",
            "3f9a1c7e5b2d8f4a6c0e9b7d5f3a1c8e2b4d6f8a0c9e7b5d3f1a2c4e6b8d0f9a", "sha256:" + "0".repeat(64));

    /** Nothing in a simulated cluster takes long: a wait that is not over in 5 s never will be. */
    static final SimCluster.Options OPTIONS = SimCluster.Options.defaults().withMaxWait(java.time.Duration.ofSeconds(5));

    @TempDir
    Path tmp;

    static ClusterSpec preset(SimCluster cluster, String name, String... fromTo) throws Exception {
        String text = Files.readString(SystemDeps.root().resolve("presets/" + name + ".yaml"));
        for (int i = 0; i < fromTo.length; i += 2) {
            if (!text.contains(fromTo[i])) throw new AssertionError("preset " + name + " has no '" + fromTo[i] + "'");
            text = text.replace(fromTo[i], fromTo[i + 1]);
        }
        String prefix = cluster.address(0).substring(0, cluster.address(0).length() - 1);
        text = text.replace("10.0.0.", prefix);
        AnswersLoader.Result r = AnswersLoader.parse(name + ".yaml", text);
        assertFalse(r.hasErrors(), () -> r.problems().toString());
        return r.spec();
    }

    PkiMaterial pki(ClusterSpec spec) throws Exception {
        return ClusterPki.needed(spec) ? ClusterPki.ensure(spec, PkiStore.ofRun(tmp)) : PkiMaterial.NONE;
    }

    @Test
    void singleNode() throws Exception {
        try (SimCluster cluster = SimCluster.start(OPTIONS, List.of(SimNode.Spec.debian("node1").withHost(11)))) {
            ClusterSpec spec = preset(cluster, "single-node");
            PlanReplay replay = new PlanReplay(cluster, spec, SECRETS, pki(spec)).tolerating((s, c) -> true);
            List<PlanReplay.Outcome> outcomes = replay.run(s -> false);
            replay.tolerated().forEach(t -> System.out.println("TOLERATED " + t));
            assertEquals(List.of(), outcomes.stream().filter(PlanReplay.Outcome::skipped).toList());
        }
    }

    @Test
    void haStacked() throws Exception {
        List<SimNode.Spec> nodes = List.of(SimNode.Spec.debian("cp1").withHost(11), SimNode.Spec.rocky("cp2").withHost(12),
                SimNode.Spec.ubuntu("cp3").withHost(13), SimNode.Spec.debian("worker1").withHost(21),
                SimNode.Spec.rocky("worker2").withHost(22));
        try (SimCluster cluster = SimCluster.start(OPTIONS, nodes)) {
            ClusterSpec spec = preset(cluster, "ha-stacked");
            PlanReplay replay = new PlanReplay(cluster, spec, SECRETS, pki(spec)).tolerating((s, c) -> true);
            replay.run(s -> false);
            replay.tolerated().forEach(t -> System.out.println("TOLERATED " + t));
        }
    }

    @Test
    void haExternalEtcd() throws Exception {
        List<SimNode.Spec> nodes = List.of(SimNode.Spec.debian("cp1").withHost(11), SimNode.Spec.rocky("cp2").withHost(12),
                SimNode.Spec.debian("cp3").withHost(13), SimNode.Spec.debian("etcd1").withHost(31),
                SimNode.Spec.rocky("etcd2").withHost(32), SimNode.Spec.debian("etcd3").withHost(33),
                SimNode.Spec.debian("worker1").withHost(21), SimNode.Spec.rocky("worker2").withHost(22),
                SimNode.Spec.debian("worker3").withHost(23));
        try (SimCluster cluster = SimCluster.start(OPTIONS, nodes)) {
            ClusterSpec spec = preset(cluster, "ha-external-etcd");
            PlanReplay replay = new PlanReplay(cluster, spec, SECRETS, pki(spec)).tolerating((s, c) -> true);
            replay.run(s -> false);
            replay.tolerated().forEach(t -> System.out.println("TOLERATED " + t));
        }
    }
}
