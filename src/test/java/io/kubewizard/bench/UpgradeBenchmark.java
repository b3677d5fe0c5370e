package io.kubewizard.bench;

import io.kubewizard.answers.AnswersLoader;
import io.kubewizard.answers.Spec.ClusterSpec;
import io.kubewizard.cli.PreviewEqualityTest;
import io.kubewizard.plan.Plan;
import io.kubewizard.plan.Step;
import io.kubewizard.plan.Workflow;
import io.kubewizard.render.RenderedFile.OsFamily;
import io.kubewizard.run.Engine;
import io.kubewizard.run.Executor;
import io.kubewizard.run.FakeCluster;
import io.kubewizard.run.Masker;
import io.kubewizard.run.RunDirectory;
import io.kubewizard.testsupport.Presets;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An upgrade of 3 control planes and 20 workers (all workers in one batch, upgrade.maxUnavailable 20)
 * over fake hosts whose slow commands take fixed simulated times. Printed, not asserted against a
 * limit: the run's wall time against its critical path (the longest chain of dependent steps, each
 * as long as its commands' simulated times), the critical path's sleeps timed in the same run as the
 * baseline. What the ratio shows above 1 is the executor's overhead, and commands that wait for one
 * another on a host's single connection (every drain and wait runs on the lead).
 * Run with: mvn -B test -Pbenchmark -Dtest=UpgradeBenchmark
 */
@Tag("benchmark")
class UpgradeBenchmark {
    @TempDir Path tmp;

    /** Simulated times of the slow commands, by how they start (ms). */
    static final Map<String, Long> SLOW = new LinkedHashMap<>();
    static {
        SLOW.put("kubeadm upgrade apply", 400L);
        SLOW.put("kubeadm upgrade node", 200L);
        SLOW.put("kubectl --kubeconfig /etc/kubernetes/admin.conf drain", 100L);
        SLOW.put("kubectl --kubeconfig /etc/kubernetes/admin.conf wait", 100L);
        SLOW.put("DEBIAN_FRONTEND=noninteractive apt-get install", 150L);
        SLOW.put("systemctl restart kubelet", 50L);
    }

    static long simulated(String command) {
        for (var e : SLOW.entrySet()) if (command.startsWith(e.getKey())) return e.getValue();
        return 0;
    }

    @Test
    void threeControlPlanesAndTwentyWorkers() throws Exception {
        StringBuilder text = new StringBuilder(Presets.text("ha-stacked").replace("upgrade:\n  maxUnavailable: 1\n",
                "upgrade:\n  maxUnavailable: 20\n"));
        int cut = text.indexOf("  - name: worker1\n");
        text.setLength(cut);
        for (int i = 1; i <= 20; i++) {
            text.append("  - name: worker").append(i).append("\n    address: 10.0.1.").append(i).append("\n    roles: [worker]\n");
        }
        String applied = text.toString();
        ClusterSpec before = AnswersLoader.parse("applied.yaml", applied).spec();
        Path answers = Files.writeString(tmp.resolve("answers.yaml"), applied.replace("kubernetesVersion: 1.35.2",
                "kubernetesVersion: 1.36.1"));
        ClusterSpec spec = AnswersLoader.load(answers).spec();
        RunDirectory dir = RunDirectory.of(tmp.resolve("state"), spec);
        Files.createDirectories(dir.path());
        Files.writeString(dir.path().resolve("applied.yaml"), applied);

        Plan plan = Engine.preview(Workflow.UPGRADE, spec, dir, Set.of(), null).whole();
        FakeCluster hosts = new FakeCluster(spec, plan).kubeadmWritesFiles();
        PreviewEqualityTest.answerAsInstalled(hosts, before);
        hosts.put("cp1", "/var/lib/etcd/kubewizard-before-v1.36.1.db", "snapshot");
        hosts.on(null, c -> simulated(c) > 0, (h, c) -> {
            Thread.sleep(simulated(c));
            hosts.done(h, c);
            return new FakeCluster.Reply(0, "", "");
        });

        long critical = criticalPath(plan);
        long baseline = System.nanoTime();
        Thread.sleep(critical);
        double baselineMs = (System.nanoTime() - baseline) / 1e6;

        Engine engine = new Engine(hosts, new Masker(), List.of(), Clock.systemUTC(), Executor.Sleeper.SYSTEM,
                Executor.Options.defaults(Executor.DEFAULT_CONCURRENCY));
        long start = System.nanoTime();
        Engine.Outcome outcome = engine.apply(spec, "bench", dir, new Engine.Request(false, false, Set.of(),
                Engine.Confirmation.YES, Workflow.UPGRADE), null);
        double wallMs = (System.nanoTime() - start) / 1e6;
        assertTrue(outcome.result().ok(), outcome.result().failures().toString());
        System.out.printf("upgrade 3 control planes + 20 workers (one batch): %d steps; critical path %.0f ms (its "
                        + "sleeps timed: %.0f ms); wall %.0f ms; wall / critical path = %.2f%n", plan.steps().size(),
                (double) critical, baselineMs, wallMs, wallMs / baselineMs);
    }

    /** The longest chain of dependent steps, each as long as its commands' simulated times. */
    static long criticalPath(Plan plan) {
        Map<String, Long> finish = new HashMap<>();
        for (Step s : plan.steps()) {
            long own = s.run(OsFamily.DEB).stream().mapToLong(UpgradeBenchmark::simulated).sum();
            long ready = s.dependsOn().stream().mapToLong(d -> finish.getOrDefault(d, 0L)).max().orElse(0);
            finish.put(s.key(), ready + own);
        }
        return finish.values().stream().mapToLong(Long::longValue).max().orElse(0);
    }
}
