package io.kubewizard.bench;

import io.kubewizard.answers.AnswersLoader;
import io.kubewizard.answers.Spec.ClusterSpec;
import io.kubewizard.answers.Validator;
import io.kubewizard.render.Render;
import io.kubewizard.render.Secrets;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How parse+validate and render scale with the host count (10, 100, 1,000 hosts). Wall-clock figures
 * differ from machine to machine, so nothing here has an absolute limit: the test fails only when
 * validation grows worse than linearly, i.e. time(1000)/time(100) above 12 (10 would be exactly linear).
 * Sizes are measured round-robin, so a load change on a shared machine hits all of them alike.
 * Run with: mvn -B -o test -Pbenchmark
 */
@Tag("benchmark")
class ValidateRenderBenchmark {
    private static final int[] SIZES = {10, 100, 1_000};
    private static final int SAMPLES = 9;
    /** Each sample repeats its operation until it has run at least this long, so small sizes time well. */
    private static final long SAMPLE_NANOS = 250_000_000L;
    private static final double MAX_LINEAR_RATIO = 12.0;

    @Test
    void validationScalesLinearly() {
        Map<Integer, String> texts = new LinkedHashMap<>();
        Map<Integer, ClusterSpec> specs = new LinkedHashMap<>();
        for (int n : SIZES) {
            String text = answers(n);
            var result = AnswersLoader.parse("bench-" + n + ".yaml", text);
            // valid; past 500 nodes with the large-cluster guidance (warnings) that a stacked file gets
            assertEquals(n > 500 ? List.of("hosts.limits.controlPlanes", "hosts.limits.stackedEtcd",
                            "hosts.limits.eventsEtcd", "hosts.limits.addons") : List.of(),
                    result.problems().stream().map(io.kubewizard.answers.Problem::code).toList(),
                    "the generated answers for " + n + " hosts are valid");
            assertEquals(n, result.spec().hosts().size());
            texts.put(n, text);
            specs.put(n, result.spec());
        }
        int[] files = new int[SIZES.length];
        List<Operation> operations = List.of(
                new Operation("parse+validate", i -> AnswersLoader.parse("bench.yaml", texts.get(SIZES[i]))),
                new Operation("validate", i -> Validator.validate(specs.get(SIZES[i]))),
                new Operation("render", i -> files[i] = Render.render(specs.get(SIZES[i]), Secrets.MASKED).size()));

        for (Operation op : operations) op.calibrate();
        for (int sample = 0; sample < SAMPLES; sample++) {
            for (Operation op : operations) op.sample(sample);
        }

        StringBuilder table = new StringBuilder("\nValidateRenderBenchmark (best of " + SAMPLES + " samples after "
                + "warm-up; median in brackets)\n");
        table.append(String.format("%-15s", "hosts"));
        for (int n : SIZES) table.append(String.format(" | %10d hosts %26s", n, ""));
        table.append(String.format(" | %-10s%n", "t1000/t100"));
        for (Operation op : operations) {
            table.append(String.format("%-15s", op.name));
            for (int i = 0; i < SIZES.length; i++) {
                double ms = op.bestMillis(i);
                table.append(String.format(" | %9.3f ms [%9.3f] %8.5f ms/host", ms, op.medianMillis(i), ms / SIZES[i]));
            }
            table.append(String.format(" | %s%n", op.ratioText()));
        }
        table.append(String.format("render files: %s; fails above %.0fx (10x is linear)%n",
                Arrays.toString(files), MAX_LINEAR_RATIO));
        System.out.print(table);

        for (Operation op : operations) {
            assertTrue(op.ratio() <= MAX_LINEAR_RATIO, op.name + " is not linear: time(1000)/time(100) = "
                    + String.format("%.1f", op.ratio()) + table);
        }
    }

    /** One measured operation over every size; {@code run} takes the index into SIZES. */
    private static final class Operation {
        final String name;
        final IntConsumer run;
        final int[] repetitions = new int[SIZES.length];
        final double[][] nanosPerRun = new double[SIZES.length][SAMPLES];

        Operation(String name, IntConsumer run) {
            this.name = name;
            this.run = run;
        }

        /** Warms the JIT on every size, then picks how often a sample repeats each size. */
        void calibrate() {
            for (int round = 0; round < 5; round++) {
                for (int i = 0; i < SIZES.length; i++) {
                    int reps = 0;
                    long start = System.nanoTime();
                    long elapsed;
                    do {
                        run.accept(i);
                        reps++;
                        elapsed = System.nanoTime() - start;
                    } while (elapsed < SAMPLE_NANOS);
                    repetitions[i] = reps;
                }
            }
        }

        void sample(int sample) {
            for (int i = 0; i < SIZES.length; i++) {
                long start = System.nanoTime();
                for (int r = 0; r < repetitions[i]; r++) run.accept(i);
                nanosPerRun[i][sample] = (double) (System.nanoTime() - start) / repetitions[i];
            }
        }

        double medianMillis(int size) {
            double[] sorted = nanosPerRun[size].clone();
            Arrays.sort(sorted);
            return sorted[sorted.length / 2] / 1e6;
        }

        /**
         * The best sample: on a shared machine, interference only ever adds time, so the minimum is the
         * figure closest to the code's own cost, and the ratio of minimums is the stable one.
         */
        double bestMillis(int size) {
            return Arrays.stream(nanosPerRun[size]).min().orElseThrow() / 1e6;
        }

        double ratio() { return bestMillis(2) / bestMillis(1); }

        /** Render may produce next to nothing while its parts are being written; a ratio of noise says nothing. */
        String ratioText() {
            return bestMillis(1) < 0.001 ? "-" : String.format("%.1fx", ratio());
        }
    }

    /**
     * A realistic answers file: 3 stacked control planes behind kube-vip and n-3 workers, all in
     * 10.20.0.0/16, workers spread over zones with a label or two, the way a large install looks.
     */
    static String answers(int n) {
        StringBuilder sb = new StringBuilder("""
                apiVersion: kubewizard.io/v1alpha1
                kind: Answers
                cluster:
                  name: bench
                  kubernetesVersion: 1.35.2
                  controlPlaneEndpoint: 10.20.0.100:6443
                  loadBalancer: {type: kube-vip, vip: 10.20.0.100, interface: eth0, port: 6443}
                network:
                  podSubnet: 10.244.0.0/16
                  serviceSubnet: 10.96.0.0/12
                ssh:
                  user: ops
                  identityFile: ~/.ssh/bench_ed25519
                hosts:
                """);
        String[] zones = {"zone-a", "zone-b", "zone-c"};
        for (int i = 1; i <= 3; i++) {
            sb.append("  - name: cp").append(i).append('\n')
                    .append("    address: 10.20.0.1").append(i).append('\n')
                    .append("    roles: [control-plane]\n")
                    .append("    zone: ").append(zones[i - 1]).append('\n');
        }
        List<String> workers = new ArrayList<>();
        for (int w = 0; w < n - 3; w++) {
            String address = "10.20." + (1 + w / 250) + "." + (1 + w % 250);
            String host = "  - name: worker-" + String.format("%04d", w + 1) + "\n"
                    + "    address: " + address + "\n"
                    + "    roles: [worker]\n"
                    + "    zone: " + zones[w % 3] + "\n"
                    + "    labels: {node.kubernetes.io/pool: general, disk: " + (w % 4 == 0 ? "nvme" : "ssd") + "}\n"
                    + (w % 10 == 0 ? "    taints: ['dedicated=batch:NoSchedule']\n" : "")
                    + (w % 50 == 0 ? "    ssh: {port: 2222}\n" : "");
            workers.add(host);
        }
        workers.forEach(sb::append);
        return sb.toString();
    }
}
