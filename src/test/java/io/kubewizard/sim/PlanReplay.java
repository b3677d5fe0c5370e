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
import io.kubewizard.run.Engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BiPredicate;
import java.util.function.Predicate;

/**
 * The harness's own proof that every command a plan holds works on simulated nodes: a replay of
 * the plan over real SSH following {@link Step}'s contract (skipped when the check passes and, for
 * an idempotent step, no upload would change a file; else uploads, run, then the check must pass,
 * right away or once the whole plan has run), each
 * step once its dependencies are done, a few at a time. Nothing else of the real executor: no
 * journal, resume or retries (but for the etcd health checks, which wait for members to converge).
 * When the PKI is kubeadm's, the join configurations are rendered again once {@code kubeadm init}
 * made the CA, as the executor must do to learn the CA pin.
 */
final class PlanReplay {
    /** What happened to one step: skipped (its check passed first), or ran. */
    record Outcome(String key, boolean skipped) {}

    /** A command that failed as the caller said it would (a known product defect), with what it printed. */
    record ExpectedFailure(String key, String command, int exitCode, String stderr) {}

    private final SimCluster cluster;
    private final ClusterSpec spec;
    private final PkiMaterial pki;
    private final List<ExpectedFailure> failures = Collections.synchronizedList(new ArrayList<>());
    /** Steps whose check did not pass right after they ran: it must once the plan has finished. */
    private final List<Step> laterChecks = Collections.synchronizedList(new ArrayList<>());
    private BiPredicate<Step, String> expectFailure = (step, command) -> false;
    private Secrets secrets;
    private Plan plan;

    PlanReplay(SimCluster cluster, ClusterSpec spec, Secrets secrets, PkiMaterial pki) {
        this.cluster = cluster;
        this.spec = spec;
        this.pki = pki;
        // kubewizard's own PKI fixes the CA pin before anything runs; kubeadm's is learnt after init.
        this.secrets = pki.caCertHash() == null ? secrets
                : new Secrets(secrets.bootstrapToken(), secrets.certificateKey(), pki.caCertHash());
        this.plan = build();
    }

    /** The probe (connect, facts, observe: reads that must work on a bare host), then the install, as apply runs them. */
    private Plan build() {
        List<RenderedFile> files = pki.isEmpty() ? Render.render(spec, secrets) : Render.render(spec, secrets, pki);
        return Engine.probe(spec, Plan.Inputs.NONE).then(Plan.build(spec, files));
    }

    Plan plan() { return plan; }

    /**
     * Commands (or "check after run: CHECK") that must fail: each runs once, its failure is
     * recorded in {@link #expectedFailures()} and the step goes on; if it passes, the replay fails
     * saying the defect is gone.
     */
    PlanReplay expectingFailure(BiPredicate<Step, String> which) {
        expectFailure = which;
        return this;
    }

    List<ExpectedFailure> expectedFailures() {
        synchronized (failures) {
            return List.copyOf(failures);
        }
    }

    /**
     * Replays every step before the first one {@code stop} accepts, {@code parallel} at a time; fails
     * on the first error. A whole plan must end with every check passing.
     */
    List<Outcome> run(Predicate<Step> stop, int parallel) {
        List<Step> pending = new ArrayList<>();
        boolean stopped = false;
        for (Step s : plan.steps()) {
            if (stop.test(s)) {
                stopped = true;
                break;
            }
            pending.add(s);
        }
        Set<String> done = new HashSet<>();
        Map<String, Outcome> outcomes = new LinkedHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(parallel);
        CompletionService<Outcome> completion = new ExecutorCompletionService<>(pool);
        try {
            int running = 0;
            while (!pending.isEmpty() || running > 0) {
                for (Step s : List.copyOf(pending)) {
                    if (!done.containsAll(s.dependsOn())) continue;
                    pending.remove(s);
                    if (s.host().equals(Step.ACROSS_HOSTS)) {
                        // The jump host's comparison of facts: nothing runs on a node.
                        done.add(s.key());
                        continue;
                    }
                    completion.submit(() -> replay(s.key()));
                    running++;
                }
                if (running == 0) {
                    if (pending.isEmpty()) break;
                    throw new AssertionError("steps whose dependencies never finish: " + pending);
                }
                Outcome o = completion.take().get();
                running--;
                done.add(o.key());
                outcomes.put(o.key(), o);
            }
        } catch (ExecutionException e) {
            if (e.getCause() instanceof AssertionError a) throw a;
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            pool.shutdownNow();
        }
        if (stopped) return List.copyOf(outcomes.values());
        // A finished plan passes every check, so a second run would do nothing.
        for (Step s : laterChecks) {
            check(s, "check after the whole plan: " + s.check(), cluster.node(s.host()).ssh(s.check()), false);
        }
        return List.copyOf(outcomes.values());
    }

    private Outcome replay(String key) {
        if (key.startsWith("control-plane/join@") || key.startsWith("workers/join@")) pinCa();
        Step step;
        synchronized (this) {
            step = plan.steps().stream().filter(s -> s.key().equals(key)).findFirst().orElseThrow();
        }
        return run(step);
    }

    /** kubeadm made the CA: the joins need its pin, known only now. */
    private synchronized void pinCa() {
        if (!pki.isEmpty()) return;
        SimNode first = cluster.node(spec.firstControlPlane().name());
        try {
            String hash = CaCertHash.of(Files.readString(first.path("/etc/kubernetes/pki/ca.crt")));
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
        boolean done = step.check() != null && node.ssh(step.check()).exitCode() == 0;
        if (done && (!step.idempotent() || changed.isEmpty())) return new Outcome(step.key(), true);
        upload(node, changed);
        // etcd members converge within seconds of each other; nothing else is worth a retry here.
        int attempts = step.id().endsWith("etcd/health") || step.id().equals("verify/etcd") ? 6 : 1;
        for (String command : step.run(family)) {
            boolean expected = expectFailure.test(step, command);
            Cmd.Result r = node.ssh(command);
            for (int attempt = 2; attempt <= attempts && !expected && r.exitCode() != 0; attempt++) {
                SimNode.sleep(1000);
                r = node.ssh(command);
            }
            check(step, command, r, expected);
        }
        if (step.check() != null) {
            String what = "check after run: " + step.check();
            boolean expected = expectFailure.test(step, what);
            Cmd.Result r = node.ssh(step.check());
            // Some checks say "nothing left to do" rather than what the step achieved: preflight's
            // (already a member), the token's (every host joined). A later step makes them pass.
            if (r.exitCode() != 0 && !expected) laterChecks.add(step);
            else check(step, what, r, expected);
        }
        for (String path : step.downloads()) {
            if (!Files.exists(node.path(path))) throw new AssertionError(step.key() + ": nothing to download at " + path);
        }
        return new Outcome(step.key(), false);
    }

    private void check(Step step, String command, Cmd.Result r, boolean expected) {
        if (expected && r.exitCode() == 0) {
            throw new AssertionError(step.key() + ": '" + command + "' was expected to fail (a known defect) but passed:"
                    + " the defect is gone, take it off the list");
        }
        if (expected) {
            failures.add(new ExpectedFailure(step.key(), command, r.exitCode(), r.stderr().trim()));
        } else if (r.exitCode() != 0) {
            throw new AssertionError(step.key() + " failed: " + command + "\nexit " + r.exitCode() + "\nstdout:\n"
                    + r.stdout() + "\nstderr:\n" + r.stderr());
        }
    }

    /** Whether the node already has the file, content and mode (read through the node's /proc/PID/root). */
    private static boolean sameOnNode(SimNode node, RenderedFile f) {
        try {
            Path p = node.path(f.path());
            if (!Files.isRegularFile(p)) return false;
            int mode = 0;
            for (PosixFilePermission perm : Files.getPosixFilePermissions(p)) mode |= 1 << (8 - perm.ordinal());
            return mode == f.mode() && Arrays.equals(Files.readAllBytes(p), f.content().getBytes(StandardCharsets.UTF_8));
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
