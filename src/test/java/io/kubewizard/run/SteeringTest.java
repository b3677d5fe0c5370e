package io.kubewizard.run;

import io.kubewizard.run.Event.StepStatus;
import io.kubewizard.run.FakeCluster.Reply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A run steered by a person (the wizard): a failed step waits for Retry or Skip while the rest goes
 * on, Skip only where nothing depends on the step, and Abort ends the run with its RunFinished.
 */
class SteeringTest {
    @TempDir Path tmp;

    private final Steering steering = new Steering();

    /** The run on a thread of its own, as the wizard starts it. */
    private CompletableFuture<Executor.Result> start(Fixture f) {
        return CompletableFuture.supplyAsync(() -> f.run(f.options(10), journal(f), null, steering));
    }

    private Journal journal(Fixture f) {
        try {
            return Journal.open(f.runDir, f.spec.cluster().name(), "feedbeef", false, Fixture.CLOCK.instant());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void await(Fixture f, Predicate<Event> seen, String what) {
        Events.await(f.events, seen, what);
    }

    private static Predicate<Event> step(String key, StepStatus status) {
        return Events.step(key, status);
    }

    private static Executor.Result result(CompletableFuture<Executor.Result> run) throws Exception {
        return run.get(10, TimeUnit.SECONDS);
    }

    private static List<String> history(Fixture f, String key) {
        return f.stepEvents().stream().filter(e -> e.stepKey().equals(key))
                .map(e -> e.status() + (e.message() == null ? "" : " " + e.message())).toList();
    }

    @Test
    void aFailedStepWaitsForRetryWhileTheOtherHostsGoOnAndARetryThatWorksFinishesTheRun() throws Exception {
        Fixture f = new Fixture("ha-stacked", tmp);
        AtomicInteger failures = new AtomicInteger(1);
        f.hosts.on("worker1", c -> c.equals("swapoff -a") && failures.getAndDecrement() > 0,
                (h, c) -> new Reply(255, "", "swapoff: /swap.img: swapoff failed: Device or resource busy\n"));
        CompletableFuture<Executor.Result> run = start(f);
        await(f, step("prepare/swap@worker1", StepStatus.FAILED), "the failure");
        assertFalse(steering.canSkip("prepare/swap@worker1"), "later steps of worker1 need it");
        // the other hosts go on to the step that needs every host (the join of the workers waits for
        // worker1's own steps, cp2 joins meanwhile)
        await(f, step("control-plane/join@cp2", StepStatus.DONE), "cp2 joining while worker1 waits");
        assertFalse(run.isDone(), "the run waits for a decision");
        assertTrue(f.stepEvents().stream().noneMatch(e -> e.status() == StepStatus.BLOCKED), "nothing is blocked");
        assertTrue(f.stepEvents().stream().noneMatch(e -> e.host().equals("worker1")
                && e.stepKey().startsWith("runtime/") && e.status() == StepStatus.RUNNING), "worker1's next steps wait");

        steering.retry("prepare/swap@worker1");
        steering.retry("prepare/swap@worker1");
        Executor.Result r = result(run);
        assertTrue(r.ok(), r.failures()::toString);
        assertEquals(List.of("RUNNING", "FAILED swapoff exited 255: swapoff: /swap.img: swapoff failed: Device or "
                + "resource busy", "RUNNING", "DONE"), history(f, "prepare/swap@worker1"), "the second click is ignored");
        assertEquals(2, f.hosts.execs(c -> c.equals("swapoff -a")).stream().filter(c -> c.host().equals("worker1")).count());
        assertEquals(new Event.RunFinished(Fixture.CLOCK.instant(), true, List.of(), tmp.resolve("kubeconfig").toString()),
                f.events.get(f.events.size() - 1));
        assertEquals(StepStatus.DONE, Journal.read(tmp).last().get("prepare/swap@worker1"));
        assertTrue(f.events.stream().anyMatch(e -> e.equals(new Event.PhaseFinished(Fixture.CLOCK.instant(), "prepare", true))),
                "the phase counts the retried step once, as succeeded");
    }

    @Test
    void onlyAStepNothingDependsOnMayBeSkippedAndTheJournalKeepsItFailed() throws Exception {
        Fixture f = new Fixture("single-node", tmp);
        // kubeadm init that leaves no admin.conf: the last step, fetching it, fails
        f.hosts.on("node1", c -> c.startsWith("kubeadm init --config"), (h, c) -> Reply.ok());
        String leaf = "kubeconfig/fetch@node1";
        CompletableFuture<Executor.Result> run = start(f);
        await(f, step(leaf, StepStatus.FAILED), "the failure");
        assertTrue(steering.canSkip(leaf), "nothing depends on " + leaf);
        assertFalse(steering.canSkip("prepare/swap@node1"), "not failed");
        steering.skip(leaf);
        Executor.Result r = result(run);
        assertTrue(r.ok(), r.failures()::toString);
        assertEquals(StepStatus.SKIPPED, r.states().get(leaf));
        assertEquals(List.of("RUNNING", "FAILED no such file: /etc/kubernetes/admin.conf",
                "SKIPPED skipped on request after it failed: no such file: /etc/kubernetes/admin.conf"), history(f, leaf));
        assertEquals(new Event.RunFinished(Fixture.CLOCK.instant(), true, List.of(), null), f.events.get(f.events.size() - 1));
        assertEquals(StepStatus.FAILED, Journal.read(tmp).last().get(leaf), "a resume runs it again");
        assertFalse(steering.canSkip(leaf), "the run is over");
    }

    @Test
    void skippingAStepOthersNeedIsRefused() throws Exception {
        Fixture f = new Fixture("ha-stacked", tmp);
        f.hosts.fail("worker2", "swapoff -a", 1, "no\n");
        CompletableFuture<Executor.Result> run = start(f);
        await(f, step("prepare/swap@worker2", StepStatus.FAILED), "the failure");
        steering.skip("prepare/swap@worker2");
        steering.abort();
        Executor.Result r = result(run);
        assertEquals(StepStatus.FAILED, r.states().get("prepare/swap@worker2"), "skip was ignored");
        assertFalse(history(f, "prepare/swap@worker2").stream().anyMatch(h -> h.startsWith("SKIPPED")));
    }

    @Test
    void abortWhileAFailureWaitsEndsTheRunWithWhatFailedAndWhatNeverStarted() throws Exception {
        Fixture f = new Fixture("single-node", tmp);
        f.hosts.fail("node1", "swapoff -a", 1, "swap is busy\n");
        CompletableFuture<Executor.Result> run = start(f);
        await(f, step("prepare/swap@node1", StepStatus.FAILED), "the failure");
        steering.abort();
        Executor.Result r = result(run);
        assertFalse(r.ok());
        long notStarted = f.plan.steps().stream().filter(s -> !r.states().containsKey(s.key())).count();
        assertTrue(notStarted > 5, r.states()::toString);
        List<String> expected = List.of("prepare/swap on node1: swapoff exited 1: swap is busy",
                "the run was aborted: " + notStarted + " steps did not start");
        assertEquals(expected, r.failures());
        assertEquals(new Event.RunFinished(Fixture.CLOCK.instant(), false, expected, null), f.events.get(f.events.size() - 1));
        assertEquals(0, f.stepEvents().stream().filter(e -> !r.states().containsKey(e.stepKey())).count(),
                "a step that did not start shows nothing");
    }

    @Test
    void abortInterruptsARunningStepWhichTheJournalKeepsRunning() throws Exception {
        Fixture f = new Fixture("single-node", tmp);
        CountDownLatch never = new CountDownLatch(1);
        f.hosts.on("node1", c -> c.equals("swapoff -a"), (h, c) -> {
            never.await();
            return Reply.ok();
        });
        CompletableFuture<Executor.Result> run = start(f);
        await(f, step("prepare/swap@node1", StepStatus.RUNNING), "the step running");
        steering.abort();
        Executor.Result r = result(run);
        assertFalse(r.ok());
        assertEquals("prepare/swap on node1: stopped: the run was aborted", r.failures().get(0));
        assertTrue(r.failures().get(r.failures().size() - 1).startsWith("the run was aborted: "), r.failures()::toString);
        assertEquals(List.of("RUNNING", "FAILED stopped: the run was aborted"), history(f, "prepare/swap@node1"));
        assertEquals(StepStatus.RUNNING, Journal.read(tmp).last().get("prepare/swap@node1"),
                "a resume knows it may have been cut off");
        assertTrue(f.events.get(f.events.size() - 1) instanceof Event.RunFinished);
    }

    @Test
    void anAbortStillRunsTheCleanUpOfWhatStartedAndNothingElse() throws Exception {
        Fixture f = new Fixture("single-node", tmp);
        CountDownLatch never = new CountDownLatch(1);
        f.hosts.on("node1", c -> c.equals("drain node1"), (h, c) -> {
            never.await();
            return Reply.ok();
        });
        io.kubewizard.plan.Step drain = onNode1("drain", "drain node1", false);
        io.kubewizard.plan.Step kubelet = onNode1("kubelet", "upgrade kubelet", false, "drain@node1");
        io.kubewizard.plan.Step uncordon = onNode1("uncordon", "uncordon node1", true, "drain@node1", "kubelet@node1");
        io.kubewizard.plan.Step never2 = onNode1("uncordon-other", "uncordon node2", true, "later@node1");
        io.kubewizard.plan.Step later = onNode1("later", "later", false, "uncordon@node1");
        io.kubewizard.plan.Plan plan = plan(drain, kubelet, uncordon, later, never2);
        CompletableFuture<Executor.Result> run = CompletableFuture.supplyAsync(() -> {
            try (Recorder recorder = new Recorder(f.masker, Journal.none(), tmp.resolve("logs"), List.of(f.events::add))) {
                return f.executor(f.options(10), recorder).run(plan, null, steering);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        await(f, step("drain@node1", StepStatus.RUNNING), "the drain running");
        steering.abort();
        Executor.Result r = result(run);
        assertFalse(r.ok());
        List<String> ran = f.hosts.calls().stream().filter(c -> c.kind().equals("exec")).map(c -> c.text()).toList();
        assertTrue(ran.contains("uncordon node1"), ran::toString);
        assertFalse(ran.contains("upgrade kubelet"), "nothing new starts after an abort");
        assertFalse(ran.contains("later"));
        assertFalse(ran.contains("uncordon node2"), "a clean-up of steps that never started does not run");
        assertEquals(StepStatus.DONE, r.states().get("uncordon@node1"));
    }

    @Test
    void aCleanUpRunsAfterAFailureAndWhatFollowsItStaysBlocked() throws Exception {
        Fixture f = new Fixture("single-node", tmp);
        f.hosts.fail("node1", "upgrade kubelet", 1, "kubelet did not start\n");
        io.kubewizard.plan.Step drain = onNode1("drain", "drain node1", false);
        io.kubewizard.plan.Step kubelet = onNode1("kubelet", "upgrade kubelet", false, "drain@node1");
        io.kubewizard.plan.Step uncordon = onNode1("uncordon", "uncordon node1", true, "drain@node1", "kubelet@node1");
        io.kubewizard.plan.Step later = onNode1("later", "later", false, "uncordon@node1", "drain@node1", "kubelet@node1");
        io.kubewizard.plan.Plan plan = plan(drain, kubelet, uncordon, later);
        Executor.Result r = run(f, plan, null);
        assertEquals(StepStatus.FAILED, r.states().get("kubelet@node1"));
        assertEquals(StepStatus.DONE, r.states().get("uncordon@node1"));
        assertEquals(StepStatus.BLOCKED, r.states().get("later@node1"));
        assertEquals(List.of("kubelet on node1: upgrade exited 1: kubelet did not start"), r.failures());
    }

    /** A failure before the drain: the drain and the kubelet never run, so neither does their uncordon. */
    @Test
    void aCleanUpOfStepsThatCouldNotRunDoesNotRun() throws Exception {
        Fixture f = new Fixture("single-node", tmp);
        f.hosts.fail("node1", "check budgets", 1, "a budget blocks\n");
        io.kubewizard.plan.Step check = onNode1("check", "check budgets", false);
        io.kubewizard.plan.Step drain = onNode1("drain", "drain node1", false, "check@node1");
        io.kubewizard.plan.Step kubelet = onNode1("kubelet", "upgrade kubelet", false, "drain@node1");
        io.kubewizard.plan.Step uncordon = onNode1("uncordon", "uncordon node1", true, "drain@node1", "kubelet@node1");
        io.kubewizard.plan.Plan plan = plan(check, drain, kubelet, uncordon);
        Executor.Result r = run(f, plan, null);
        assertEquals(StepStatus.FAILED, r.states().get("check@node1"));
        assertEquals(StepStatus.BLOCKED, r.states().get("drain@node1"));
        assertEquals(StepStatus.BLOCKED, r.states().get("uncordon@node1"));
        assertEquals(List.of("check budgets"), f.hosts.calls().stream().filter(c -> c.kind().equals("exec")).map(c -> c.text()).toList());
        assertEquals(List.of("check on node1: check exited 1: a budget blocks"), r.failures());
    }

    /**
     * The run before ran the uncordon early (its kubelet could not run), then a later run drained the node and
     * was killed in the kubelet: the resume runs the kubelet and then the uncordon again, as the node is cordoned.
     */
    @Test
    void aResumeRunsACleanUpAgainWhenAStepItFollowsRunsAgain() throws Exception {
        Fixture f = new Fixture("single-node", tmp);
        io.kubewizard.plan.Step drain = onNode1("drain", "drain node1", false);
        io.kubewizard.plan.Step kubelet = onNode1("kubelet", "upgrade kubelet", false, "drain@node1");
        io.kubewizard.plan.Step uncordon = onNode1("uncordon", "uncordon node1", true, "drain@node1", "kubelet@node1");
        io.kubewizard.plan.Plan plan = plan(drain, kubelet, uncordon);
        java.util.Map<String, StepStatus> last = new java.util.LinkedHashMap<>();
        last.put("uncordon@node1", StepStatus.DONE);
        last.put("drain@node1", StepStatus.DONE);
        last.put("kubelet@node1", StepStatus.RUNNING);
        Journal.History earlier = new Journal.History("single", "sha", last, java.util.Map.of());
        Executor.Result r = run(f, plan, earlier);
        assertTrue(r.ok(), r.failures()::toString);
        assertEquals(List.of("upgrade kubelet", "uncordon node1"),
                f.hosts.calls().stream().filter(c -> c.kind().equals("exec")).map(c -> c.text()).toList());
    }

    @Test
    void anAbortBeforeTheRunStartsRunsNothing() throws Exception {
        Fixture f = new Fixture("single-node", tmp);
        steering.abort();
        Executor.Result r = result(start(f));
        assertEquals(List.of("the run was aborted: " + f.plan.steps().size() + " steps did not start"), r.failures());
        assertEquals(List.of(), f.hosts.calls());
        assertEquals(2, f.events.size(), "RunStarted and RunFinished: " + f.events);
    }

    @Test
    void withoutAPersonAFailureBlocksWhatDependsOnItAtOnce() {
        Fixture f = new Fixture("single-node", tmp);
        f.hosts.fail("node1", "swapoff -a", 1, "swap is busy\n");
        Executor.Result r = f.run(10);
        assertEquals(List.of("prepare/swap on node1: swapoff exited 1: swap is busy"), r.failures());
        assertEquals(f.dependents(java.util.Set.of("prepare/swap@node1")), Fixture.withStatus(r, StepStatus.BLOCKED));
    }

    /** A step on node1 running one command; a clean-up ({@link io.kubewizard.plan.Step#always}) when {@code cleanUp}. */
    private static io.kubewizard.plan.Step onNode1(String id, String command, boolean cleanUp, String... after) {
        return new io.kubewizard.plan.Step(id, id, "node1", "p", null,
                java.util.Map.of(io.kubewizard.render.RenderedFile.OsFamily.ANY, List.of(command)), List.of(), List.of(), true,
                List.of(after), null, null, cleanUp);
    }

    private static io.kubewizard.plan.Plan plan(io.kubewizard.plan.Step... steps) {
        return new io.kubewizard.plan.Plan("single", List.of(new io.kubewizard.plan.Phase("p", "P", List.of(steps))));
    }

    /** The plan run to its end without a person steering, continuing {@code earlier} (null for a new run). */
    private Executor.Result run(Fixture f, io.kubewizard.plan.Plan plan, Journal.History earlier) throws Exception {
        try (Recorder recorder = new Recorder(f.masker, Journal.none(), tmp.resolve("logs"), List.of(f.events::add))) {
            return f.executor(f.options(10), recorder).run(plan, earlier);
        }
    }
}
