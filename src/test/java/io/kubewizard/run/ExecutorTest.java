package io.kubewizard.run;

import io.kubewizard.answers.Spec.ClusterSpec;
import io.kubewizard.answers.Spec.Host;
import io.kubewizard.answers.Spec.Ssh;
import io.kubewizard.plan.Facts;

import io.kubewizard.plan.Step;
import io.kubewizard.render.Render;
import io.kubewizard.render.RenderedFile;
import io.kubewizard.render.Secrets;
import io.kubewizard.run.Event.StepStatus;
import io.kubewizard.run.FakeCluster.Call;
import io.kubewizard.run.FakeCluster.Reply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExecutorTest {
    @TempDir Path tmp;

    private static boolean isJoin(Call c) {
        return c.kind().equals("exec") && c.text().startsWith("kubeadm join");
    }

    @Test
    void initComesBeforeEveryJoinControlPlanesJoinOneAtATimeWorkersTogether() throws Exception {
        Fixture f = new Fixture("ha-stacked", tmp);
        // Each worker's join waits until the other's has started: they only both finish if they overlap.
        // cp2's join waits until both workers' have started: it only finishes if they join beside it.
        CountDownLatch bothJoining = new CountDownLatch(2);
        f.hosts.on(null, c -> c.startsWith("kubeadm join"), (h, c) -> {
            if (h.equals("cp2")) {
                return bothJoining.await(10, TimeUnit.SECONDS) ? Reply.ok()
                        : new Reply(1, "", "the workers did not join beside the control planes");
            }
            if (!h.startsWith("worker")) return Reply.ok();
            bothJoining.countDown();
            return bothJoining.await(10, TimeUnit.SECONDS) ? Reply.ok() : new Reply(1, "", "the other worker never joined alongside");
        });
        Executor.Result r = f.run(10);

        assertEquals(List.of(), r.failures());
        assertTrue(r.ok());
        assertEquals(Set.of(StepStatus.DONE), Set.copyOf(r.states().values()));
        assertEquals(f.plan.steps().size(), r.states().size());
        Call init = f.hosts.execs(c -> c.startsWith("kubeadm init --config")).get(0);
        List<Call> joins = f.hosts.calls().stream().filter(ExecutorTest::isJoin).toList();
        assertEquals(List.of("cp2", "cp3", "worker1", "worker2"), joins.stream().map(Call::host).sorted().toList());
        joins.forEach(j -> assertTrue(init.end() < j.start(), "init ended before the join on " + j.host() + " began"));
        Call cp2 = joins.stream().filter(j -> j.host().equals("cp2")).findFirst().orElseThrow();
        Call cp3 = joins.stream().filter(j -> j.host().equals("cp3")).findFirst().orElseThrow();
        assertTrue(cp2.end() < cp3.start(), "cp3 joins after cp2 has finished");
        List<Call> workers = joins.stream().filter(j -> j.host().startsWith("worker")).toList();
        assertTrue(workers.get(0).overlaps(workers.get(1)), "the workers join side by side");
        workers.forEach(w -> assertTrue(w.start() < cp2.end(), "workers join beside the control planes"));

        String kubeconfig = Files.readString(tmp.resolve("kubeconfig"));
        assertTrue(kubeconfig.contains("current-context: ha-stacked\n"), kubeconfig);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(tmp.resolve("kubeconfig"))));
        assertEquals(tmp.resolve("kubeconfig").toString(), r.kubeconfig());
        assertTrue(f.events.get(0) instanceof Event.RunStarted);
        assertEquals(new Event.RunFinished(Fixture.CLOCK.instant(), true, List.of(), tmp.resolve("kubeconfig").toString()),
                f.events.get(f.events.size() - 1));
    }

    @Test
    void concurrencyBoundsTheStepsInFlight() {
        Fixture one = new Fixture("ha-stacked", tmp.resolve("one"));
        assertTrue(one.run(1).ok());
        assertEquals(1, one.hosts.maxInFlight());
        Fixture three = new Fixture("ha-stacked", tmp.resolve("three"));
        CountDownLatch together = new CountDownLatch(3);
        three.hosts.on(null, c -> c.equals("uname -m"), (h, c) -> {
            together.countDown();
            together.await(10, TimeUnit.SECONDS);
            return new Reply(0, "x86_64\n", "");
        });
        assertTrue(three.run(3).ok());
        assertEquals(3, three.hosts.maxInFlight());
    }

    @Test
    void theJoinConfigurationGetsTheRealTokenAndTheCaHashReadAfterInit() throws Exception {
        Fixture f = new Fixture("ha-stacked", tmp);
        assertTrue(f.run(10).ok());
        String join = new String(f.hosts.file("cp2", "/etc/kubernetes/kubeadm/join.yaml"), StandardCharsets.UTF_8);
        assertTrue(join.contains("token: " + f.secrets.bootstrapToken()), join);
        assertTrue(join.contains("certificateKey: " + f.secrets.certificateKey()), join);
        assertTrue(join.contains(FakeCluster.CA_HASH), join);
        assertFalse(join.contains("*"), join);
        assertEquals(0600, f.hosts.modes.get("cp2:/etc/kubernetes/kubeadm/join.yaml"));
        Call init = f.hosts.execs(c -> c.startsWith("kubeadm init --config")).get(0);
        List<Call> caReads = f.hosts.calls("cp1", "download").stream().filter(c -> c.text().equals("/etc/kubernetes/pki/ca.crt")).toList();
        assertEquals(1, caReads.size(), "read once, used by every join");
        assertTrue(init.end() < caReads.get(0).start());
    }

    @Test
    void aHostOfTheRpmFamilyGetsTheRpmCommandsAndFiles() {
        Fixture f = new Fixture("ha-stacked", tmp);
        f.hosts.facts("worker1").osRelease = "NAME=\"Rocky Linux\"\nID=\"rocky\"\nID_LIKE=\"rhel centos fedora\"\n"
                + "PRETTY_NAME=\"Rocky Linux 9.5 (Blue Onyx)\"\n";
        assertTrue(f.run(10).ok());
        List<String> worker1 = f.hosts.calls("worker1", "exec").stream().map(Call::text).toList();
        assertTrue(worker1.contains("dnf install -y containerd.io"), worker1::toString);
        assertFalse(worker1.stream().anyMatch(c -> c.contains("apt-get install") || c.contains("apt-get update")),
                worker1::toString);
        List<String> uploaded = f.hosts.calls("worker1", "upload").stream().map(Call::text).toList();
        assertTrue(uploaded.contains("/etc/yum.repos.d/kubernetes.repo"), uploaded::toString);
        assertFalse(uploaded.contains("/etc/apt/sources.list.d/kubernetes.list"), uploaded::toString);
        assertTrue(f.hosts.calls("worker2", "exec").stream().anyMatch(c -> c.text().contains("apt-get install")));
    }

    @Test
    void aStepWhoseCheckPassesIsSkippedUnlessAFileItUploadsChanged() {
        Fixture f = new Fixture("ha-stacked", tmp);
        String path = "/etc/modules-load.d/k8s.conf";
        String rendered = Render.render(f.spec, Secrets.MASKED).stream()
                .filter(r -> r.host().equals("cp1") && r.path().equals(path)).map(RenderedFile::content).findFirst().orElseThrow();
        f.hosts.done("cp1", "modprobe overlay", "modprobe br_netfilter").put("cp1", path, rendered);
        f.hosts.done("cp2", "modprobe overlay", "modprobe br_netfilter").put("cp2", path, "overlay\n");
        Executor.Result r = f.run(10);
        assertEquals(StepStatus.SKIPPED, r.states().get("prepare/kernel-modules@cp1"));
        assertEquals(StepStatus.DONE, r.states().get("prepare/kernel-modules@cp2"));
        assertEquals(List.of(), f.hosts.calls("cp1", "exec").stream().filter(c -> c.text().startsWith("modprobe")).toList());
        assertEquals(2, f.hosts.calls("cp2", "exec").stream().filter(c -> c.text().startsWith("modprobe")).count());
        assertEquals(rendered, new String(f.hosts.file("cp2", path), StandardCharsets.UTF_8));
        assertEquals(List.of(), f.hosts.calls("cp1", "upload").stream().filter(c -> c.text().equals(path)).toList(),
                "a step that is done is not written again");
        Call compared = f.hosts.calls("cp1", "exec").stream().filter(c -> c.text().startsWith("sha256sum -- " + path)).findFirst().orElseThrow();
        Call checked = f.hosts.calls("cp1", "exec").stream().filter(c -> c.text().equals(f.step("prepare/kernel-modules@cp1").check()))
                .findFirst().orElseThrow();
        assertTrue(compared.end() < checked.start(), "the files are compared before the check");
    }

    /** A join that is done is not repeated, and its JoinConfiguration (with the real token) is not written again. */
    @Test
    void aStepThatRunsOnceAndIsDoneGetsNoneOfItsFiles() {
        Fixture f = new Fixture("ha-stacked", tmp);
        Step join = f.step("workers/join@worker1");
        f.hosts.done("worker1", join.run(RenderedFile.OsFamily.ANY).toArray(String[]::new));
        Executor.Result r = f.run(10);
        assertTrue(r.ok(), r.failures()::toString);
        assertEquals(StepStatus.SKIPPED, r.states().get("workers/join@worker1"));
        assertEquals(StepStatus.DONE, r.states().get("workers/join@worker2"));
        assertEquals(List.of(), f.hosts.calls("worker1", "upload").stream()
                .filter(c -> c.text().equals("/etc/kubernetes/kubeadm/join.yaml")).toList());
        assertEquals(List.of("/etc/kubernetes/kubeadm/join.yaml"), f.hosts.calls("worker2", "upload").stream()
                .map(Call::text).filter(t -> t.startsWith("/etc/kubernetes/kubeadm/")).toList());
        assertEquals(List.of(), f.hosts.execs(c -> c.startsWith("sha256sum") && c.contains("join.yaml")),
                "nothing to compare: a once-only step never runs again because a file changed");
        assertEquals(List.of(), f.hosts.calls("worker1", "exec").stream().filter(ExecutorTest::isJoin).toList());
    }

    @Test
    void aDroppedConnectionIsRetriedWithBackoffOnAnIdempotentStep() {
        Fixture f = new Fixture("ha-stacked", tmp);
        f.hosts.drop("cp1", "modprobe overlay", 2);
        Executor.Result r = f.run(10);
        assertTrue(r.ok(), r.failures()::toString);
        assertEquals(List.of(Duration.ofSeconds(2), Duration.ofSeconds(4)), f.sleeps);
        assertEquals(List.of("RUNNING", "RETRYING connection lost while running modprobe; attempt 2 of 4 in 2s", "RUNNING",
                "RETRYING connection lost while running modprobe; attempt 3 of 4 in 4s", "RUNNING", "DONE"),
                f.stepEvents().stream().filter(e -> e.stepKey().equals("prepare/kernel-modules@cp1"))
                        .map(e -> e.status() + (e.message() == null ? "" : " " + e.message())).toList());
        assertEquals(3, f.hosts.calls("cp1", "connect").size(), "a new connection after each drop");
    }

    @Test
    void retriesAreBoundedAndTheirBackoffCapped() {
        Fixture f = new Fixture("ha-stacked", tmp);
        f.hosts.drop("worker2", "swapoff -a", 100);
        Executor.Result r = f.run(new Executor.Options(10, 5, Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ZERO,
                Duration.ofMinutes(1)), Journal.none(), null);
        assertEquals(List.of("prepare/swap on worker2: connection lost while running swapoff (gave up after 5 attempts)"),
                r.failures());
        assertEquals(List.of(Duration.ofSeconds(2), Duration.ofSeconds(4), Duration.ofSeconds(5), Duration.ofSeconds(5)), f.sleeps);
        assertEquals(5, f.hosts.calls("worker2", "exec").stream().filter(c -> c.text().equals("swapoff -a")).count());
    }

    @Test
    void aHostThatAnsweredBeforeIsRetriedWhileItCannotBeReached() {
        Fixture f = new Fixture("ha-stacked", tmp);
        AtomicBoolean first = new AtomicBoolean(true);
        f.hosts.on("cp1", c -> c.equals("modprobe overlay") && first.getAndSet(false), (h, c) -> {
            f.hosts.unreachable("cp1", 2);
            throw new TransportException(h, "connection lost while running modprobe", true, null);
        });
        Executor.Result r = f.run(10);
        assertTrue(r.ok(), r.failures()::toString);
        assertEquals(List.of("RUNNING", "RETRYING connection lost while running modprobe; attempt 2 of 4 in 2s", "RUNNING",
                        "RETRYING connect timed out after 10s; attempt 3 of 4 in 4s", "RUNNING",
                        "RETRYING connect timed out after 10s; attempt 4 of 4 in 8s", "RUNNING", "DONE"),
                f.stepEvents().stream().filter(e -> e.stepKey().equals("prepare/kernel-modules@cp1"))
                        .map(e -> e.status() + (e.message() == null ? "" : " " + e.message())).toList());
    }

    @Test
    void aRetryAfterADropRunsTheCommandsThatMakeItsWrittenFilesTakeEffect() {
        Fixture f = new Fixture("ha-stacked", tmp);
        // containerd came running and enabled with its package: the check passes before the step ever ran.
        List<String> config = List.of("systemctl daemon-reload", "systemctl enable containerd", "systemctl restart containerd");
        f.hosts.done("cp1", config.toArray(String[]::new));
        f.hosts.drop("cp1", "systemctl enable containerd", 1);
        Executor.Result r = f.run(10);
        assertTrue(r.ok(), r.failures()::toString);
        assertEquals(StepStatus.DONE, r.states().get("runtime/config@cp1"));
        assertEquals(List.of("systemctl daemon-reload", "systemctl enable containerd", "systemctl daemon-reload",
                        "systemctl enable containerd", "systemctl restart containerd"),
                f.hosts.calls("cp1", "exec").stream().map(Call::text).filter(config::contains).limit(5).toList(),
                "the files compare equal after the drop, yet containerd has not been restarted on them");
    }

    @Test
    void aStepThatRunsOnceIsNeverRetried() {
        Fixture f = new Fixture("ha-stacked", tmp);
        f.hosts.drop("cp1", "kubeadm init", 1);
        Executor.Result r = f.run(10);
        assertEquals(List.of("control-plane/init on cp1: connection lost while running kubeadm (not retried: this step "
                + "runs once; apply --resume runs its check first)"), r.failures());
        assertEquals(List.of(), f.sleeps);
        assertEquals(1, f.hosts.execs(c -> c.startsWith("kubeadm init --config")).size());
    }

    @Test
    void handshakesThroughOneBastionAreStaggeredAndDirectOnesAreNot() {
        Executor.Options spaced = new Executor.Options(10, 4, Duration.ofSeconds(2), Duration.ofSeconds(30),
                Duration.ofMillis(100), Duration.ofMinutes(1));
        Fixture direct = new Fixture("ha-stacked", tmp.resolve("direct"));
        assertTrue(direct.run(spaced, Journal.none(), null).ok());
        assertEquals(List.of(), direct.sleeps, "every host has an sshd of its own");

        ClusterSpec spec = Fixture.spec("ha-stacked");
        Ssh viaBastion = new Ssh(null, null, null, null, "jump@bastion.example:2222", null, null);
        List<Host> hosts = spec.hosts().stream().map(h -> h.name().equals("worker2") ? h
                : new Host(h.name(), h.address(), h.internalAddress(), h.roles(), h.zone(), h.labels(), h.taints(),
                        h.ssh().overriddenBy(viaBastion), h.remove())).toList();
        Fixture f = new Fixture(new ClusterSpec(spec.cluster(), spec.network(), spec.runtime(), spec.pki(), spec.security(),
                spec.components(), spec.ssh(), hosts, spec.removed(), spec.upgrade()), tmp.resolve("bastion"));
        assertTrue(f.run(spaced, Journal.none(), null).ok());
        // The clock stands still, so the n-th handshake through the bastion waits n spacings: one every
        // 100 ms. worker2 is dialled directly and waits for none of them.
        assertEquals(List.of(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(300)),
                f.sleeps.stream().sorted().toList());
    }

    /** A failure, what the summary says about it, and whether it is a refusal for safety. */
    static Stream<Arguments> failures() {
        return Stream.of(
                Arguments.of("a command fails on a worker", (Consumer<FakeCluster>) h ->
                                h.fail("worker1", "swapoff -a", 255, "swapoff: /swap.img: swapoff failed: Device or resource busy\n"),
                        List.of("prepare/swap on worker1: swapoff exited 255: swapoff: /swap.img: swapoff failed: Device or resource busy"),
                        false),
                Arguments.of("kubeadm init fails: the last three lines of stderr", (Consumer<FakeCluster>) h ->
                                h.fail("cp1", "kubeadm init", 1, "[init] Using Kubernetes version: v1.35.2\n[preflight] Running "
                                        + "pre-flight checks\n\n[ERROR Port-6443]: Port 6443 is in use\n[ERROR Port-10250]: "
                                        + "Port 10250 is in use\nerror execution phase preflight: preflight checks failed\n"),
                        List.of("control-plane/init on cp1: kubeadm exited 1: [ERROR Port-6443]: Port 6443 is in use | "
                                + "[ERROR Port-10250]: Port 10250 is in use | error execution phase preflight: preflight checks failed"),
                        false),
                Arguments.of("no stderr: the last lines of stdout", (Consumer<FakeCluster>) h ->
                                h.on("cp2", c -> c.startsWith("kubeadm join"), (host, c) -> new Reply(2, "one\ntwo\n", "")),
                        List.of("control-plane/join on cp2: kubeadm exited 2: one | two"), false),
                Arguments.of("a port taken on a control plane", (Consumer<FakeCluster>) h ->
                                h.facts("cp2").listening = List.of(22, 6443, 2379),
                        List.of("preflight/host on cp2: ports: in use: 2379 6443"), false),
                Arguments.of("too small a control plane", (Consumer<FakeCluster>) h -> {
                            h.facts("cp3").cpus = 1;
                            h.facts("cp3").memoryKb = 1024 * 1024;
                        },
                        List.of("preflight/host on cp3: cpus: 1 (a control plane needs 2); memory: 1024 MB (a control plane needs 1700 MB)"),
                        false),
                Arguments.of("an OS kubewizard does not install on", (Consumer<FakeCluster>) h ->
                                h.facts("worker2").osRelease = "NAME=\"Arch Linux\"\nPRETTY_NAME=\"Arch Linux\"\nID=arch\n",
                        List.of("preflight/host on worker2: os: Arch Linux (ID=arch): kubewizard installs on Debian, Ubuntu "
                                + "and RHEL-family hosts"), false),
                Arguments.of("a program missing", (Consumer<FakeCluster>) h ->
                                h.facts("worker1").binaries = Facts.BINARIES.stream().filter(b -> !b.equals("nsenter")).toList(),
                        List.of("preflight/host on worker1: binaries: missing: nsenter"), false),
                Arguments.of("cloned machines share a product_uuid", (Consumer<FakeCluster>) h ->
                                h.facts("cp2").productUuid = h.facts("cp1").productUuid,
                        List.of("preflight/across-hosts on all hosts: product_uuid: cp1 and cp2 share 4c4c4544-0000-1000-8000-000000000001"),
                        false),
                Arguments.of("two hosts with one hostname and one MAC", (Consumer<FakeCluster>) h -> {
                            h.facts("worker2").hostname = "worker1";
                            h.facts("worker2").macs = List.of("52:54:00:00:00:09", "52:54:00:00:00:04");
                        },
                        List.of("preflight/across-hosts on all hosts: hostnames: worker1 and worker2 share worker1; "
                                + "macs: worker1 and worker2 share 52:54:00:00:00:04"), false),
                Arguments.of("a changed host key", (Consumer<FakeCluster>) h -> h.refuse("worker2"),
                        List.of("connect on worker2: the host key changed (known_hosts line 3): refusing to connect"), true),
                Arguments.of("an unreachable host, at once", (Consumer<FakeCluster>) h -> h.unreachable("cp3", 100),
                        List.of("connect on cp3: connect timed out after 10s"), false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("failures")
    void aFailureBlocksWhatDependsOnItAndNothingElse(String name, Consumer<FakeCluster> setup, List<String> summary,
                                                      boolean refused) {
        Fixture f = new Fixture("ha-stacked", tmp);
        setup.accept(f.hosts);
        Executor.Result r = f.run(10);
        assertFalse(r.ok());
        assertEquals(summary, r.failures());
        assertEquals(refused, r.refused());
        Set<String> failed = Fixture.withStatus(r, StepStatus.FAILED);
        Set<String> blocked = f.dependents(failed);
        assertEquals(blocked, Fixture.withStatus(r, StepStatus.BLOCKED));
        assertEquals(blocked.size(), r.blocked());
        for (Step s : f.plan.steps()) {
            if (!failed.contains(s.key()) && !blocked.contains(s.key())) {
                assertEquals(StepStatus.DONE, r.states().get(s.key()), s.key());
            }
        }
        Event.RunFinished end = (Event.RunFinished) f.events.get(f.events.size() - 1);
        assertEquals(summary, end.failures());
        assertFalse(end.ok());
    }

    @Test
    void aFailedWorkerStopsItsOwnStepsAndTheChecksThatNeedItOnly() {
        Fixture f = new Fixture("ha-stacked", tmp);
        f.hosts.fail("worker1", "swapoff -a", 255, "busy\n");
        Executor.Result r = f.run(10);
        assertEquals(List.of("runtime/repository@worker1", "runtime/install@worker1", "runtime/config@worker1", "packages/repository@worker1",
                "packages/install@worker1", "packages/kubelet@worker1", "workers/join@worker1",
                "verify/nodes@cp1", "verify/node-state@cp1", "verify/etcd@cp1", "verify/kube-system@cp1",
                "verify/test-pods@cp1", "verify/dns/cp1@cp1", "verify/pod-network/cp1@cp1", "verify/service/cp1@cp1",
                "verify/node-port/cp1@cp1", "verify/dns/cp2@cp1", "verify/pod-network/cp2@cp1",
                "verify/service/cp2@cp1", "verify/node-port/cp2@cp1", "verify/dns/cp3@cp1",
                "verify/pod-network/cp3@cp1", "verify/service/cp3@cp1", "verify/node-port/cp3@cp1",
                "verify/dns/worker1@cp1", "verify/pod-network/worker1@cp1", "verify/service/worker1@cp1",
                "verify/node-port/worker1@cp1", "verify/dns/worker2@cp1", "verify/pod-network/worker2@cp1",
                "verify/service/worker2@cp1", "verify/node-port/worker2@cp1", "verify/pod-security@cp1",
                "verify/cleanup@cp1", "verify/certificates@cp1", "kubeconfig/fetch@cp1"), List.copyOf(Fixture.withStatus(r, StepStatus.BLOCKED)));
        assertEquals(StepStatus.DONE, r.states().get("workers/join@worker2"));
        assertEquals(StepStatus.DONE, r.states().get("control-plane/join@cp3"));
        assertEquals("waits for prepare/swap@worker1, which failed", r.messages().get("runtime/repository@worker1"));
        assertEquals("waits for workers/join@worker1, which could not run", r.messages().get("verify/nodes@cp1"));
    }

    @Test
    void aStepInterruptedEarlierThatRunsOnceAndHasNoCheckIsNotRepeated() throws Exception {
        Fixture f = new Fixture("single-node", tmp);
        Step once = new Step("custom/once", "Something that must not happen twice", "node1", "connect", null,
                java.util.Map.of(RenderedFile.OsFamily.ANY, List.of("make-it-so")), List.of(), List.of(), false, List.of());
        io.kubewizard.plan.Plan plan = new io.kubewizard.plan.Plan("single-node",
                List.of(new io.kubewizard.plan.Phase("connect", "Connect", List.of(once))));
        Journal.History earlier = new Journal.History("single-node", "abc", java.util.Map.of(once.key(), StepStatus.RUNNING),
                java.util.Map.of());
        Executor.Result r;
        try (Recorder recorder = new Recorder(f.masker, Journal.none(), null, List.of(f.events::add))) {
            r = f.executor(f.options(1), recorder).run(plan, earlier);
        }
        assertEquals(List.of("custom/once on node1: was running when the earlier run stopped; it runs once and has no check "
                + "to tell whether it finished, so it is not repeated: look at node1 (logs/node1.log), then start a new "
                + "apply without --resume"), r.failures());
        assertEquals(List.of(), f.hosts.execs(c -> c.equals("make-it-so")));
    }

    @Test
    void programNamesInMessages() {
        List<String[]> cases = List.of(
                new String[] {"kubeadm init --config /etc/kubernetes/kubeadm/init.yaml", "kubeadm"},
                new String[] {"DEBIAN_FRONTEND=noninteractive apt-get install -y containerd", "apt-get"},
                new String[] {"/usr/bin/kubectl apply -f x", "kubectl"},
                new String[] {"test \"$(nproc)\" -ge 2 || exit 1", "command"},
                new String[] {"for port in 6443; do true; done", "command"});
        List<String> got = new ArrayList<>();
        cases.forEach(c -> got.add(Executor.program(c[0])));
        assertEquals(cases.stream().map(c -> c[1]).toList(), got);
    }
}
