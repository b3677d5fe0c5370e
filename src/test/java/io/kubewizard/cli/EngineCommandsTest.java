package io.kubewizard.cli;

import io.kubewizard.pki.PkiMaterial;
import io.kubewizard.plan.Plan;
import io.kubewizard.plan.Step;
import io.kubewizard.render.RenderedFile;
import io.kubewizard.run.Engine;
import io.kubewizard.run.FakeCluster;
import io.kubewizard.run.RunLock;
import io.kubewizard.testsupport.Presets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EngineCommandsTest {
    @TempDir Path tmp;

    private String state() { return tmp.resolve("state").toString(); }

    private Path runDir(String cluster) { return tmp.resolve("state").resolve(cluster); }

    private static final String SINGLE_NODE_RUN = """
            Cluster single: 1 host, 11 phases.
            [00:00] phase connect: Connect to every host
            [00:00] connect on node1: running
            [00:00] connect on node1: done
            [00:00] ✓ connect
            [00:00] phase facts: Gather facts
            [00:00] facts on node1: running
            [00:00] facts on node1: done
            [00:00] ✓ facts
            [00:00] phase observe: Observe the cluster
            [00:00] observe on node1: running
            [00:00] observe on node1: done
            [00:00] ✓ observe
            [00:00] phase preflight: Check the hosts before changing anything
            [00:00] preflight/host on node1: running
            [00:00] preflight/host on node1: done
            [00:00] preflight/across-hosts on all hosts: running
            [00:00] preflight/across-hosts on all hosts: done
            [00:00] ✓ preflight
            [00:00] phase prepare: Prepare the nodes
            [00:00] prepare/tools on node1: running
            [00:00] prepare/tools on node1: done
            [00:00] prepare/kernel-modules on node1: running
            [00:00] prepare/kernel-modules on node1: done
            [00:00] prepare/sysctl on node1: running
            [00:00] prepare/sysctl on node1: done
            [00:00] prepare/swap on node1: running
            [00:00] prepare/swap on node1: done
            [00:00] ✓ prepare
            [00:00] phase runtime: Install the container runtime
            [00:00] runtime/repository on node1: running
            [00:00] runtime/repository on node1: done
            [00:00] runtime/install on node1: running
            [00:00] runtime/install on node1: done
            [00:00] runtime/config on node1: running
            [00:00] runtime/config on node1: done
            [00:00] ✓ runtime
            [00:00] phase packages: Install kubelet, kubeadm and kubectl
            [00:00] packages/repository on node1: running
            [00:00] packages/repository on node1: done
            [00:00] packages/install on node1: running
            [00:00] packages/install on node1: done
            [00:00] packages/kubelet on node1: running
            [00:00] packages/kubelet on node1: done
            [00:00] ✓ packages
            [00:00] phase control-plane/init: Initialise the first control plane
            [00:00] control-plane/init on node1: running
            [00:00] control-plane/init on node1: done
            [00:00] ✓ control-plane/init
            [00:00] phase cni: Install the pod network
            [00:00] cni/apply on node1: running
            [00:00] cni/apply on node1: done
            [00:00] ✓ cni
            [00:00] phase verify: Verify the cluster
            [00:00] verify/nodes on node1: running
            [00:00] verify/nodes on node1: done
            [00:00] verify/node-state on node1: running
            [00:00] verify/node-state on node1: done
            [00:00] verify/etcd on node1: running
            [00:00] verify/etcd on node1: done
            [00:00] verify/kube-system on node1: running
            [00:00] verify/kube-system on node1: done
            [00:00] verify/test-pods on node1: running
            [00:00] verify/test-pods on node1: done
            [00:00] verify/dns/node1 on node1: running
            [00:00] verify/dns/node1 on node1: done
            [00:00] verify/pod-network/node1 on node1: running
            [00:00] verify/pod-network/node1 on node1: done
            [00:00] verify/service/node1 on node1: running
            [00:00] verify/service/node1 on node1: done
            [00:00] verify/node-port/node1 on node1: running
            [00:00] verify/node-port/node1 on node1: done
            [00:00] verify/pod-security on node1: running
            [00:00] verify/pod-security on node1: done
            [00:00] verify/cleanup on node1: running
            [00:00] verify/cleanup on node1: done
            [00:00] verify/certificates on node1: running
            [00:00] verify/certificates on node1: done
            [00:00] ✓ verify
            [00:00] phase kubeconfig: Fetch the admin kubeconfig
            [00:00] kubeconfig/fetch on node1: running
            [00:00] kubeconfig/fetch on node1: done
            [00:00] ✓ kubeconfig
            """;

    @Test
    void applyPlainPrintsOneLinePerChangeAndFetchesTheKubeconfig() throws Exception {
        CommandHarness h = new CommandHarness("single-node");
        // one step at a time, so the lines come in plan order (verify's checks otherwise run side by side)
        CommandHarness.Result r = h.run("apply", "-f", "single-node", "--plain", "--state", state(), "--concurrency", "1");
        Path kubeconfig = runDir("single").resolve("kubeconfig");
        assertEquals(new CommandHarness.Result(0, SINGLE_NODE_RUN + "[00:00] Done. Admin kubeconfig: " + kubeconfig + "\n", ""), r);
        assertEquals(List.of("open acceptNewHostKeys=false"), h.opened);
        assertEquals(List.of(), h.questions, "not a terminal: nothing is asked");
        assertTrue(Files.readString(kubeconfig).contains("current-context: single\n"));
        String journal = Files.readString(runDir("single").resolve("journal.ndjson"));
        assertTrue(journal.startsWith("{\"type\":\"run\",\"at\":\"2026-03-01T10:00:00Z\",\"cluster\":\"single\",\"answersSha256\":\""
                + Engine.sha256(Presets.path("single-node")) + "\",\"resumed\":false,\"workflow\":\"install\",\"observed\":{\"hosts\":"
                + "{\"node1\":{\"reachable\":true,\"facts\":{"), journal);
        assertTrue(Files.readString(runDir("single").resolve("logs/node1.log")).contains(" $ kubeadm init --config "
                + "/etc/kubernetes/kubeadm/init.yaml\n"));
    }

    @Test
    void aFailureEndsWithTheSummaryAndExits1AndResumeFinishes() throws Exception {
        CommandHarness h = new CommandHarness("single-node");
        h.hosts.fail("node1", "kubeadm init", 1, "[ERROR Mem]: the system RAM (1024 MB) is less than the minimum 1700 MB\n"
                + "error execution phase preflight: preflight checks failed\n");
        Path events = tmp.resolve("events.ndjson");
        CommandHarness.Result r = h.run("apply", "-f", "single-node", "--plain", "--state", state(), "--events", events.toString());
        assertEquals(1, r.code());
        assertEquals("", r.err());
        assertTrue(r.out().endsWith("""
                [00:00] control-plane/init on node1: FAILED: kubeadm exited 1: [ERROR Mem]: the system RAM (1024 MB) is less \
                than the minimum 1700 MB | error execution phase preflight: preflight checks failed
                [00:00] ✗ control-plane/init
                [00:00] phase cni: Install the pod network
                [00:00] cni/apply on node1: blocked: waits for control-plane/init@node1, which failed
                [00:00] ✗ cni
                [00:00] phase verify: Verify the cluster
                [00:00] verify/nodes on node1: blocked: waits for cni/apply@node1, which could not run
                [00:00] verify/node-state on node1: blocked: waits for verify/nodes@node1, which could not run
                [00:00] verify/etcd on node1: blocked: waits for verify/node-state@node1, which could not run
                [00:00] verify/kube-system on node1: blocked: waits for verify/etcd@node1, which could not run
                [00:00] verify/test-pods on node1: blocked: waits for verify/kube-system@node1, which could not run
                [00:00] verify/dns/node1 on node1: blocked: waits for verify/test-pods@node1, which could not run
                [00:00] verify/pod-network/node1 on node1: blocked: waits for verify/test-pods@node1, which could not run
                [00:00] verify/service/node1 on node1: blocked: waits for verify/test-pods@node1, which could not run
                [00:00] verify/node-port/node1 on node1: blocked: waits for verify/test-pods@node1, which could not run
                [00:00] verify/pod-security on node1: blocked: waits for verify/test-pods@node1, which could not run
                [00:00] verify/cleanup on node1: blocked: waits for verify/test-pods@node1, which could not run
                [00:00] verify/certificates on node1: blocked: waits for verify/cleanup@node1, which could not run
                [00:00] ✗ verify
                [00:00] phase kubeconfig: Fetch the admin kubeconfig
                [00:00] kubeconfig/fetch on node1: blocked: waits for verify/certificates@node1, which could not run
                [00:00] ✗ kubeconfig
                [00:00] Failed: 1 step.
                  control-plane/init on node1: kubeadm exited 1: [ERROR Mem]: the system RAM (1024 MB) is less than the \
                minimum 1700 MB | error execution phase preflight: preflight checks failed
                Fix the cause, then continue with: kubewizard apply -f single-node --resume
                """), r.out());
        List<String> lines = Files.readAllLines(events);
        assertTrue(lines.get(0).startsWith("{\"type\":\"RunStarted\",\"at\":\"2026-03-01T10:00:00Z\",\"cluster\":\"single\""));
        assertTrue(lines.get(lines.size() - 1).startsWith("{\"type\":\"RunFinished\",\"at\":\"2026-03-01T10:00:00Z\",\"ok\":false,"));

        CommandHarness again = new CommandHarness("single-node");
        CommandHarness.Result resumed = again.run("apply", "-f", "single-node", "--plain", "--state", state(), "--resume");
        assertEquals(0, resumed.code(), resumed.out());
        assertTrue(resumed.out().startsWith("Cluster single: 1 host, 8 phases, resuming the journal's run.\n"
                + "[00:00] phase preflight: Check the hosts before changing anything\n"
                + "[00:00] preflight/host on node1: done (in an earlier run)\n"), resumed.out());
        assertTrue(resumed.out().contains("[00:00] packages/kubelet on node1: done (in an earlier run)\n"
                + "[00:00] ✓ packages\n[00:00] phase control-plane/init: Initialise the first control plane\n"
                + "[00:00] control-plane/init on node1: running\n[00:00] control-plane/init on node1: done\n"), resumed.out());
        assertFalse(again.hosts.calls().stream().anyMatch(c -> c.text().startsWith("modprobe") || c.text().equals("true")),
                "steps done before are not run again");
    }

    @Test
    void aChangedHostKeyExits3WithNothingRun() {
        CommandHarness h = new CommandHarness("ha-stacked");
        h.hosts.refuse("cp2");
        CommandHarness.Result r = h.run("apply", "-f", "ha-stacked", "--plain", "--state", state(), "--accept-new-host-keys");
        assertEquals(3, r.code());
        assertEquals(List.of("open acceptNewHostKeys=true"), h.opened);
        assertTrue(r.out().contains("[00:00] Failed: 1 step.\n  connect on cp2: the host key changed (known_hosts line 3): "
                + "refusing to connect\n"), r.out());
        assertFalse(r.out().contains("Fix the cause"), "a refusal is not a step to fix and resume");
        assertEquals(List.of(), h.hosts.calls().stream().filter(c -> c.kind().equals("upload")).toList());
        assertFalse(h.hosts.calls().stream().anyMatch(c -> c.text().startsWith("modprobe") || c.text().startsWith("apt-get")),
                "nothing on any host changed");
    }

    @Test
    void aHostTheProbeCannotReachStopsTheRunWithNothingToResume() throws Exception {
        CommandHarness h = new CommandHarness("single-node");
        h.hosts.unreachable("node1", 100);
        CommandHarness.Result r = h.run("apply", "-f", "single-node", "--plain", "--state", state());
        assertEquals(1, r.code(), r.out());
        assertEquals("warning: nothing was changed on any host: every host of the answers file must answer the probe "
                + "before a run starts\n", r.err());
        assertEquals("""
                Cluster single: 1 host, 3 phases.
                [00:00] phase connect: Connect to every host
                [00:00] connect on node1: running
                [00:00] connect on node1: FAILED: connect timed out after 10s
                [00:00] ✗ connect
                [00:00] phase facts: Gather facts
                [00:00] facts on node1: blocked: waits for connect@node1, which failed
                [00:00] ✗ facts
                [00:00] phase observe: Observe the cluster
                [00:00] observe on node1: blocked: waits for facts@node1, which could not run
                [00:00] ✗ observe
                [00:00] Failed: 1 step.
                  connect on node1: connect timed out after 10s
                Fix the cause, then run it again: kubewizard apply -f single-node
                """, r.out());
        assertFalse(Files.exists(runDir("single").resolve("journal.ndjson")), "the probe keeps no journal");
        CommandHarness.Result resumed = new CommandHarness("single-node").run("apply", "-f", "single-node", "--plain",
                "--state", state(), "--resume");
        assertEquals(2, resumed.code(), resumed.err());
    }

    @Test
    void aResumeWithAChangedAnswersFileExits2UnlessForced() throws Exception {
        Path answers = Files.writeString(tmp.resolve("answers.yaml"), Presets.text("single-node"));
        CommandHarness h = new CommandHarness("single-node");
        h.hosts.fail("node1", "swapoff -a", 1, "busy\n");
        assertEquals(1, h.run("apply", "-f", answers.toString(), "--plain", "--state", state()).code());
        // Changed in a way the fake cluster still matches (a zone would now be checked on the Node by verify).
        Files.writeString(answers, Presets.text("single-node") + "# edited after the run began\n");
        CommandHarness.Result refused = new CommandHarness("single-node").run("apply", "-f", answers.toString(), "--plain",
                "--state", state(), "--resume");
        assertEquals(2, refused.code());
        assertEquals("", refused.out());
        assertTrue(refused.err().startsWith("error: the answers file changed since this run began (the journal has SHA-256 "),
                refused.err());
        assertTrue(refused.err().endsWith("or add --force to resume with the file as it is now\n"), refused.err());
        assertEquals(0, new CommandHarness("single-node").run("apply", "-f", answers.toString(), "--plain", "--state", state(),
                "--resume", "--force").code());
    }

    @Test
    void aSecondApplyOnTheSameClusterIsRefusedWithExit3() throws Exception {
        Files.createDirectories(runDir("single"));
        try (RunLock held = RunLock.acquire(runDir("single"), "single")) {
            CommandHarness h = new CommandHarness("single-node");
            CommandHarness.Result r = h.run("apply", "-f", "single-node", "--plain", "--state", state());
            assertEquals(new CommandHarness.Result(3, "", "error: another kubewizard is working on cluster 'single' (process "
                    + ProcessHandle.current().pid() + "): " + runDir("single").resolve("lock") + " is locked; wait for it "
                    + "to finish, or stop it first\n"), r);
            assertEquals(List.of(), h.hosts.calls());
        }
    }

    @Test
    void dryRunPrintsEveryCommandAndFilePerHostAndConnectsToNothing() {
        CommandHarness h = new CommandHarness("ha-stacked");
        CommandHarness.Result r = h.run("apply", "-f", "ha-stacked", "--dry-run", "--state", state());
        assertEquals(0, r.code(), r.err());
        assertEquals(List.of(), h.opened, "no transport was even asked for");
        assertEquals(List.of(), h.hosts.calls());
        assertFalse(Files.exists(tmp.resolve("state")), "no secrets made, nothing written");
        assertTrue(r.out().startsWith("Dry run of cluster 'ha-stacked', Kubernetes 1.35.2 on 5 hosts (cp1, cp2, cp3, worker1, "
                + "worker2): nothing is connected to and nothing changes.\n"), r.out());
        assertTrue(r.out().contains("""
                cp2
                  connect: Open the SSH connection and run a command
                    run: true
                """), r.out());
        assertTrue(r.out().contains("""
                  control-plane/join: Run kubeadm join as a control plane (runs once, not retried)
                    after: control-plane/join on cp2
                    upload: /etc/kubernetes/admission/pod-security.yaml (0644)
                    upload: /etc/kubernetes/kubeadm/join.yaml (0600, secret: real values filled in as it is written)
                    skip if: test -f /etc/kubernetes/manifests/kube-apiserver.yaml
                    run: kubeadm join --config /etc/kubernetes/kubeadm/join.yaml
                """), r.out());
        Plan plan = Engine.whole(h.spec, PkiMaterial.NONE);
        for (Step s : plan.steps()) {
            s.commands().forEach(c -> assertTrue(r.out().contains(": " + c + "\n"), () -> "missing " + c));
            for (RenderedFile f : s.uploads()) assertTrue(r.out().contains(": " + f.path() + " ("), () -> "missing " + f.path());
        }
        assertTrue(r.out().endsWith("\n" + plan.steps().size() + " steps in " + plan.phases().size() + " phases.\n"));
        assertFalse(r.out().contains("bootstrapTokens") || r.out().contains("******"), "file contents are not printed");
    }

    @Test
    void preflightPrintsATableAndFailsOnADuplicateProductUuid() {
        CommandHarness h = new CommandHarness("ha-stacked");
        h.hosts.facts("worker2").productUuid = h.hosts.facts("cp3").productUuid;
        CommandHarness.Result r = h.run("preflight", "-f", "ha-stacked", "--plain", "--state", state());
        assertEquals(1, r.code(), r.out());
        assertTrue(r.out().contains("""
                [00:00] Failed: 1 step.
                  preflight/across-hosts on all hosts: product_uuid: cp3 and worker2 share 4c4c4544-0000-1000-8000-000000000003

                cp1 (control-plane)
                """), r.out());
        assertTrue(r.out().endsWith("""
                across hosts
                  ok    hostnames     unique
                  ok    macs          unique
                  FAIL  product_uuid  cp3 and worker2 share 4c4c4544-0000-1000-8000-000000000003
                Preflight found problems. Nothing was changed.
                """), r.out());
        assertEquals(List.of(), h.hosts.calls().stream().filter(c -> c.kind().equals("upload")).toList());
        assertFalse(Files.exists(runDir("ha-stacked").resolve("journal.ndjson")), "preflight keeps no journal");
        assertFalse(Files.exists(runDir("ha-stacked").resolve("secrets")), "nor makes secrets");
        assertTrue(h.hosts.calls().stream().filter(c -> c.kind().equals("exec")).allMatch(c -> c.text().equals("true")
                || c.text().startsWith("cat ") || c.text().startsWith("for ") || c.text().startsWith("test ")
                || c.text().startsWith("awk ") || c.text().startsWith("if ") || c.text().startsWith("kubelet --version")
                || c.text().startsWith("kubeadm version") || List.of("uname -m", "nproc", "hostname", "ss -Htlnu").contains(c.text())),
                "only reading commands ran");

        CommandHarness fine = new CommandHarness("ha-stacked");
        CommandHarness.Result ok = fine.run("preflight", "-f", "ha-stacked", "--plain", "--state", state());
        assertEquals(0, ok.code(), ok.out());
        assertTrue(ok.out().endsWith("Every check passed. Nothing was changed.\n"), ok.out());
    }

    @Test
    void resetAsksFirstAndRefusesWithoutAnAnswer() {
        CommandHarness h = new CommandHarness("ha-stacked");
        assertEquals(new CommandHarness.Result(3, "", "error: reset destroys cluster 'ha-stacked' and must be confirmed: run it "
                + "on a terminal, or add --yes\n"), h.run("reset", "-f", "ha-stacked", "--plain", "--state", state()));
        h.interactive = true;
        h.answer = false;
        assertEquals(new CommandHarness.Result(3, "", "error: reset was not confirmed: nothing was changed\n"),
                h.run("reset", "-f", "ha-stacked", "--plain", "--state", state()));
        assertEquals(List.of("Reset destroys cluster 'ha-stacked': kubeadm reset -f on 5 hosts (cp1, cp2, cp3, worker1, "
                + "worker2), and kubewizard's files removed. Reset?"), h.questions);
        assertEquals(List.of(), h.opened);
        assertEquals(List.of(), h.hosts.calls());
    }

    @Test
    void resetRunsKubeadmResetWorkersFirstThenControlPlanesOneAtATimeAndForgetsTheRun() throws Exception {
        CommandHarness installed = new CommandHarness("ha-stacked");
        assertEquals(0, installed.run("apply", "-f", "ha-stacked", "--plain", "--state", state()).code());
        assertTrue(Files.exists(runDir("ha-stacked").resolve("kubeconfig")));
        CommandHarness h = new CommandHarness("ha-stacked");
        h.interactive = true;
        h.answer = true;
        CommandHarness.Result r = h.run("reset", "-f", "ha-stacked", "--plain", "--state", state());
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().endsWith("Cluster 'ha-stacked' is reset; its journal, kubeconfig and records moved to "
                + runDir("ha-stacked").resolve("history") + ".\n"), r.out());
        String reset = "if command -v kubeadm >/dev/null 2>&1; then kubeadm reset -f --cri-socket "
                + "unix:///var/run/containerd/containerd.sock; fi";
        List<FakeCluster.Call> resets = h.hosts.execs(c -> c.equals(reset));
        assertEquals(List.of("cp1", "cp2", "cp3", "worker1", "worker2"), resets.stream().map(FakeCluster.Call::host).sorted().toList());
        long workersDone = resets.stream().filter(c -> c.host().startsWith("worker")).mapToLong(FakeCluster.Call::end).max().orElseThrow();
        FakeCluster.Call cp3 = resets.stream().filter(c -> c.host().equals("cp3")).findFirst().orElseThrow();
        FakeCluster.Call cp2 = resets.stream().filter(c -> c.host().equals("cp2")).findFirst().orElseThrow();
        FakeCluster.Call cp1 = resets.stream().filter(c -> c.host().equals("cp1")).findFirst().orElseThrow();
        assertTrue(workersDone < cp3.start() && cp3.end() < cp2.start() && cp2.end() < cp1.start());
        assertTrue(h.hosts.execs(c -> c.startsWith("rm -f -- ")).stream().anyMatch(c -> c.host().equals("cp1")
                && c.text().contains(" /etc/kubernetes/kubeadm/init.yaml ") && c.text().contains(" /etc/containerd/config.toml ")));
        assertFalse(Files.exists(runDir("ha-stacked").resolve("journal.ndjson")));
        assertFalse(Files.exists(runDir("ha-stacked").resolve("kubeconfig")));
        assertTrue(Files.exists(runDir("ha-stacked").resolve("secrets/bootstrap-token")), "secrets stay for the next apply");
        // The history of the runs is kept, not destroyed: the reset cluster's journal and records are moved aside.
        try (var archived = Files.list(runDir("ha-stacked").resolve("history"))) {
            Path run = archived.findFirst().orElseThrow();
            assertEquals(List.of("applied.yaml", "journal.ndjson", "kubeconfig"),
                    Files.list(run).map(p -> p.getFileName().toString()).sorted().toList());
            assertTrue(Files.readString(run.resolve("journal.ndjson")).contains("\"workflow\":\"install\""));
        }
    }

    @Test
    void kubeconfigCopiesTheFetchedOnePrivately() throws Exception {
        Path out = tmp.resolve("admin.conf");
        CommandHarness h = new CommandHarness("single-node");
        CommandHarness.Result none = h.run("kubeconfig", "-f", "single-node", "-o", out.toString(), "--state", state());
        assertEquals(new CommandHarness.Result(1, "", "error: cluster 'single' has no admin kubeconfig yet ("
                + runDir("single").resolve("kubeconfig") + " does not exist): apply fetches it as its last step\n"), none);
        assertEquals(0, h.run("apply", "-f", "single-node", "--plain", "--state", state()).code());
        CommandHarness.Result r = h.run("kubeconfig", "-f", "single-node", "-o", out.toString(), "--state", state());
        assertEquals(new CommandHarness.Result(0, "Wrote " + out + " (context single).\n", ""), r);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(out)));
        assertEquals(Files.readString(runDir("single").resolve("kubeconfig")), Files.readString(out));
    }

    @Test
    void applyOnATerminalAsksFirstUnlessYes() {
        CommandHarness h = new CommandHarness("single-node");
        h.interactive = true;
        assertEquals(new CommandHarness.Result(3, "", "error: apply was not confirmed: nothing was changed\n"),
                h.run("apply", "-f", "single-node", "--plain", "--state", state()));
        assertEquals(List.of("Apply cluster 'single' to 1 host (node1)?"), h.questions);
        assertEquals(List.of(), h.opened);
        assertEquals(0, h.run("apply", "-f", "single-node", "--plain", "--state", state(), "--yes").code());
        assertEquals(1, h.questions.size(), "--yes asks nothing");
    }

    @Test
    void concurrencyMustBePositive() {
        CommandHarness.Result r = new CommandHarness("single-node").run("apply", "-f", "single-node", "--concurrency", "0",
                "--state", state());
        assertEquals(2, r.code());
        assertTrue(r.err().startsWith("error: --concurrency must be at least 1, not 0\n"), r.err());
    }
}
