package io.kubewizard.sim;

import io.kubewizard.answers.Spec.ClusterSpec;
import io.kubewizard.pki.CaCertHash;
import io.kubewizard.pki.PkiMaterial;
import io.kubewizard.plan.Plan;
import io.kubewizard.plan.Step;
import io.kubewizard.render.Render;
import io.kubewizard.render.RenderedFile;
import io.kubewizard.render.RenderedFile.OsFamily;
import io.kubewizard.render.Secrets;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Predicate;

/**
 * The harness's own proof that every command a plan holds works on simulated nodes: a plain,
 * sequential replay of {@link Plan#steps()} over real SSH following {@link Step}'s contract
 * (uploads first; run unless the check passes and, for an idempotent step, no upload changed a
 * file; then the check must pass), and nothing else of the real executor (no concurrency,
 * journal or resume). When the PKI is kubeadm's,
 * the join configurations are rendered again once {@code kubeadm init} made the CA, as the
 * executor must do to learn the CA pin.
 */
final class PlanReplay {
    /** What happened to one step: skipped (its check passed first), or ran. */
    record Outcome(String key, boolean skipped) {}

    /** A command that failed and was let through because the caller expects it to (a known product defect). */
    record Tolerated(String key, String command, int exitCode, String stderr) {}

    private final SimCluster cluster;
    private final ClusterSpec spec;
    private final PkiMaterial pki;
    private final List<Tolerated> tolerated = new ArrayList<>();
    private Secrets secrets;
    private Plan plan;
    private java.util.function.BiPredicate<Step, String> tolerate = (step, command) -> false;

    PlanReplay(SimCluster cluster, ClusterSpec spec, Secrets secrets, PkiMaterial pki) {
        this.cluster = cluster;
        this.spec = spec;
        this.pki = pki;
        // kubewizard's own PKI fixes the CA pin before anything runs; kubeadm's is learnt after init.
        this.secrets = pki.caCertHash() == null ? secrets
                : new Secrets(secrets.bootstrapToken(), secrets.certificateKey(), pki.caCertHash());
        this.plan = build();
    }

    private Plan build() {
        List<RenderedFile> files = pki.isEmpty() ? Render.render(spec, secrets) : Render.render(spec, secrets, pki);
        return Plan.build(spec, files);
    }

    Plan plan() { return plan; }

    /** Lets a failing command of a step pass (recorded in {@link #tolerated()}) when {@code which} accepts it. */
    PlanReplay tolerating(java.util.function.BiPredicate<Step, String> which) {
        tolerate = which;
        return this;
    }

    List<Tolerated> tolerated() { return List.copyOf(tolerated); }

    /** Replays every step up to (not including) the first one {@code stop} accepts; fails on the first error. */
    List<Outcome> run(Predicate<Step> stop) {
        List<Outcome> out = new ArrayList<>();
        for (Step listed : List.copyOf(plan.steps())) {
            if (stop.test(listed)) break;
            if (listed.host().equals(Step.ACROSS_HOSTS)) continue;
            Step step = current(listed.key());
            if (step.id().startsWith("control-plane/join") || step.id().equals("workers/join")) pinCa();
            step = current(listed.key());
            long t0 = System.nanoTime();
            out.add(run(step));
            System.out.printf("replay %-45s %5d ms%n", step.key(), (System.nanoTime() - t0) / 1_000_000);
        }
        return out;
    }

    private Step current(String key) {
        return plan.steps().stream().filter(s -> s.key().equals(key)).findFirst().orElseThrow();
    }

    /** kubeadm made the CA: the joins need its pin, known only now. */
    private void pinCa() {
        if (!pki.isEmpty()) return;
        SimNode first = cluster.node(spec.firstControlPlane().name());
        try {
            String ca = Files.readString(first.path("/etc/kubernetes/pki/ca.crt"));
            String hash = CaCertHash.of(ca);
            if (hash.equals(secrets.caCertHash())) return;
            secrets = new Secrets(secrets.bootstrapToken(), secrets.certificateKey(), hash);
            plan = build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Outcome run(Step step) {
        SimNode node = cluster.node(step.host());
        OsFamily family = node.os().family() == SimNode.Family.DEB ? OsFamily.DEB : OsFamily.RPM;
        List<RenderedFile> changed = step.uploads(family).stream().filter(f -> !sameOnNode(node, f)).toList();
        upload(node, changed);
        boolean done = step.check() != null && node.ssh(step.check()).exitCode() == 0;
        if (done && (!step.idempotent() || changed.isEmpty())) return new Outcome(step.key(), true);
        // etcd members converge within seconds of each other; nothing else is worth a retry here.
        int attempts = step.id().endsWith("etcd/health") || step.id().equals("verify/etcd") ? 6 : 1;
        for (String command : step.run(family)) {
            Cmd.Result r = null;
            for (int attempt = 1; attempt <= attempts; attempt++) {
                r = node.ssh(command);
                if (r.exitCode() == 0) break;
                SimNode.sleep(1000);
            }
            if (r.exitCode() != 0 && tolerate.test(step, command)) {
                tolerated.add(new Tolerated(step.key(), command, r.exitCode(), r.stderr().trim()));
            } else if (r.exitCode() != 0) {
                throw new AssertionError(step.key() + " failed: " + command + "\nstdout:\n" + r.stdout()
                        + "\nstderr:\n" + r.stderr());
            }
        }
        // A preflight check means "already part of the cluster", not what the step achieves.
        if (step.check() != null && !step.id().startsWith("preflight/")) {
            Cmd.Result verify = node.ssh(step.check());
            String what = "check after run: " + step.check();
            if (verify.exitCode() != 0 && tolerate.test(step, what)) {
                tolerated.add(new Tolerated(step.key(), what, verify.exitCode(), verify.stderr().trim()));
            } else if (verify.exitCode() != 0) {
                throw new AssertionError(step.key() + ": its check still fails after it ran: " + step.check() + "\n" + verify);
            }
        }
        for (String path : step.downloads()) {
            if (!Files.exists(node.path(path))) throw new AssertionError(step.key() + ": nothing to download at " + path);
        }
        return new Outcome(step.key(), false);
    }

    /** Whether the node already has the file, content and mode (read through the node's /proc/PID/root). */
    private static boolean sameOnNode(SimNode node, RenderedFile f) {
        try {
            java.nio.file.Path p = node.path(f.path());
            if (!Files.isRegularFile(p)) return false;
            int mode = 0;
            for (var perm : Files.getPosixFilePermissions(p)) mode |= 1 << (8 - perm.ordinal());
            return mode == f.mode() && java.util.Arrays.equals(Files.readAllBytes(p), f.content().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every file through one SSH session: base64 on stdin read line by line by the shell, each renamed into place. */
    private static void upload(SimNode node, List<RenderedFile> files) {
        if (files.isEmpty()) return;
        StringBuilder in = new StringBuilder();
        for (RenderedFile f : files) {
            List<String> lines = List.of(Base64.getMimeEncoder(76, "\n".getBytes(StandardCharsets.US_ASCII))
                    .encodeToString(f.content().getBytes(StandardCharsets.UTF_8)).split("\n"));
            in.append(f.path()).append(' ').append(f.modeString()).append(' ').append(lines.size()).append('\n');
            for (String l : lines) in.append(l).append('\n');
        }
        String receive = "while read -r path mode n; do mkdir -p \"$(dirname \"$path\")\" && "
                + "i=0; while [ \"$i\" -lt \"$n\" ]; do read -r l; printf '%s\\n' \"$l\"; i=$((i+1)); done "
                + "| base64 -d > \"$path.kw-tmp\" && chmod \"$mode\" \"$path.kw-tmp\" && mv \"$path.kw-tmp\" \"$path\" || exit 1; done";
        Cmd.Result r = node.ssh(receive, in.toString().getBytes(StandardCharsets.UTF_8));
        if (r.exitCode() != 0) throw new AssertionError("upload to " + node.name() + " failed: " + r);
    }
}
