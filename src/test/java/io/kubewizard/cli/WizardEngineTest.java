package io.kubewizard.cli;

import io.kubewizard.answers.AnswersWriter;
import io.kubewizard.answers.Spec.ClusterSpec;
import io.kubewizard.console.Console;
import io.kubewizard.plan.Observed.NodeView;
import io.kubewizard.run.Engine;
import io.kubewizard.run.Event;
import io.kubewizard.run.Event.StepStatus;
import io.kubewizard.run.Events;
import io.kubewizard.run.FakeCluster;
import io.kubewizard.run.HostCheck;
import io.kubewizard.run.Journal;
import io.kubewizard.run.RunDirectory;
import io.kubewizard.run.RunLock;
import io.kubewizard.run.TransportFactory;
import io.kubewizard.tui.Harness;
import io.kubewizard.tui.Installer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The wizard's engine adapter over the run package's fake hosts: Install runs apply's engine in
 * {@code <state>/<cluster>}, steered by Retry, Skip and Abort; Test connection checks one host. The
 * screen tests drive the real wizard (tui's Harness) with this adapter behind Install.
 */
class WizardEngineTest {
    @TempDir Path tmp;

    private final CommandHarness fake = new CommandHarness("single-node");
    private final List<Event> events = Collections.synchronizedList(new ArrayList<>());
    private final List<String> asked = Collections.synchronizedList(new ArrayList<>());

    private final TransportFactory.Prompter person = new TransportFactory.Prompter() {
        public char[] secret(String question) {
            asked.add(question);
            return "hunter2-pass".toCharArray();
        }

        public boolean confirm(String question) {
            asked.add(question);
            return true;
        }
    };

    private WizardEngine engine(boolean acceptNewHostKeys) {
        return new WizardEngine(fake.env(), tmp.resolve("state"), acceptNewHostKeys, 10);
    }

    private Path runDir() { return tmp.resolve("state").resolve("single"); }

    private RunDirectory runDirectory() { return RunDirectory.of(tmp.resolve("state"), fake.spec); }

    private void await(Predicate<Event> seen, String what) {
        Events.await(events, seen, what);
    }

    private static Predicate<Event> step(String key, StepStatus status) {
        return Events.step(key, status);
    }

    private Event.RunFinished finished() {
        await(e -> e instanceof Event.RunFinished, "the end of the run");
        synchronized (events) {
            Event last = events.get(events.size() - 1);
            assertTrue(last instanceof Event.RunFinished, events::toString);
            return (Event.RunFinished) last;
        }
    }

    @Test
    void installRunsApplysEngineInTheClustersRunDirectory() throws Exception {
        Installer.RunControl control = engine(false).start(fake.spec, runDirectory(), events::add, person);
        Event.RunFinished end = finished();
        assertEquals(new Event.RunFinished(CommandHarness.CLOCK.instant(), true, List.of(),
                runDir().resolve("kubeconfig").toString()), end);
        assertTrue(events.get(0) instanceof Event.RunStarted s && s.cluster().equals("single") && !s.resumed());
        assertEquals(List.of("open acceptNewHostKeys=false"), fake.opened);
        Journal.History journal = Journal.read(runDir());
        assertEquals(Engine.sha256(AnswersWriter.toYaml(fake.spec).getBytes(StandardCharsets.UTF_8)),
                journal.answersSha256(), "the journal names the answers as the wizard saves them");
        assertTrue(journal.last().values().stream().allMatch(s -> s == StepStatus.DONE), journal.last()::toString);
        assertTrue(Files.exists(runDir().resolve("events.ndjson")));
        assertTrue(Files.exists(runDir().resolve("logs/node1.log")));
        assertFalse(control.canSkip("kubeconfig/fetch@node1"), "nothing failed");
    }

    @Test
    void acceptNewHostKeysReachesTheTransports() {
        engine(true).start(fake.spec, runDirectory(), events::add, person);
        assertTrue(finished().ok());
        assertEquals(List.of("open acceptNewHostKeys=true"), fake.opened);
    }

    @Test
    void verboseReachesTheTransportsOfTheRunAndOfTestConnection() throws Exception {
        WizardEngine verbose = new WizardEngine(fake.env(), tmp.resolve("state"), false, 10, true);
        verbose.start(fake.spec, runDirectory(), events::add, person);
        assertTrue(finished().ok());
        verbose.test(fake.spec, fake.spec.hosts().get(0), person);
        assertEquals(List.of("open acceptNewHostKeys=false verbose", "open acceptNewHostKeys=false verbose"), fake.opened);
    }

    @Test
    void aFailedStepIsRetriedOnRequestAndOnlyALastStepMayBeSkipped() {
        AtomicInteger failures = new AtomicInteger(1);
        fake.hosts.on("node1", c -> c.equals("swapoff -a") && failures.getAndDecrement() > 0,
                (h, c) -> new FakeCluster.Reply(1, "", "swapoff: /swap.img: Device or resource busy\n"));
        Installer.RunControl control = engine(false).start(fake.spec, runDirectory(), events::add, person);
        await(step("prepare/swap@node1", StepStatus.FAILED), "the failure");
        assertFalse(control.canSkip("prepare/swap@node1"), "every later step of node1 needs it");
        control.skip("prepare/swap@node1");
        control.retry("prepare/swap@node1");
        Event.RunFinished end = finished();
        assertTrue(end.ok(), end.failures()::toString);
        assertEquals(2, fake.hosts.execs(c -> c.equals("swapoff -a")).size());
        assertFalse(events.stream().anyMatch(step("prepare/swap@node1", StepStatus.SKIPPED)));
    }

    @Test
    void theLastStepMaySkipAfterItFails() {
        fake.hosts.on("node1", c -> c.startsWith("kubeadm init --config"), (h, c) -> new FakeCluster.Reply(0, "", ""));
        Installer.RunControl control = engine(false).start(fake.spec, runDirectory(), events::add, person);
        await(step("kubeconfig/fetch@node1", StepStatus.FAILED), "the fetch failing: kubeadm left no admin.conf");
        assertTrue(control.canSkip("kubeconfig/fetch@node1"));
        control.skip("kubeconfig/fetch@node1");
        Event.RunFinished end = finished();
        assertEquals(new Event.RunFinished(CommandHarness.CLOCK.instant(), true, List.of(), null), end);
    }

    @Test
    void abortEndsTheRunWithRunFinished() {
        fake.hosts.fail("node1", "swapoff -a", 1, "busy\n");
        Installer.RunControl control = engine(false).start(fake.spec, runDirectory(), events::add, person);
        await(step("prepare/swap@node1", StepStatus.FAILED), "the failure");
        control.abort();
        Event.RunFinished end = finished();
        assertFalse(end.ok());
        assertEquals("prepare/swap on node1: swapoff exited 1: busy", end.failures().get(0));
        assertTrue(end.failures().get(1).matches("the run was aborted: \\d+ steps did not start"), end.failures()::toString);
    }

    @Test
    void aRunRefusedBeforeItStartsStillEndsWithItsReason() throws Exception {
        Files.createDirectories(runDir());
        try (RunLock held = RunLock.acquire(runDir(), "single")) {
            engine(false).start(fake.spec, runDirectory(), events::add, person);
            Event.RunFinished end = finished();
            assertFalse(end.ok());
            assertEquals(1, end.failures().size());
            assertTrue(end.failures().get(0).startsWith("another kubewizard is working on cluster 'single'"),
                    end.failures()::toString);
            assertEquals(1, events.size(), "nothing ran: " + events);
        }
    }

    @Test
    void aTypedPasswordIsAskedThroughTheWizardAndMaskedInEverythingTheRunShows() throws Exception {
        fake.hosts.passwordQuestion = "Password for root@10.0.0.11";
        fake.hosts.on("node1", c -> c.equals("true"), (h, c) -> new FakeCluster.Reply(0, "node1 hunter2-pass\n", ""));
        engine(false).start(fake.spec, runDirectory(), events::add, person);
        assertTrue(finished().ok());
        assertEquals("Password for root@10.0.0.11 node1", asked.get(0));
        assertTrue(events.stream().anyMatch(e -> e instanceof Event.Output o && o.line().equals("node1 ********")),
                "the output line is masked");
        assertFalse(events.toString().contains("hunter2"));
        for (Path f : List.of(runDir().resolve("logs/node1.log"), runDir().resolve("events.ndjson"),
                runDir().resolve(Journal.FILE))) {
            assertFalse(Files.readString(f).contains("hunter2"), f::toString);
        }
    }

    @Test
    void testConnectionChecksOneHostOverTheSameTransports() throws Exception {
        fake.hosts.hostKey = "ED25519 SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU";
        HostCheck.Report r = engine(false).test(fake.spec, fake.spec.hosts().get(0), person);
        assertTrue(r.reachable(), r::error);
        assertEquals("Debian GNU/Linux 12 (bookworm)", r.facts().osName());
        assertEquals(fake.hosts.hostKey, r.hostKey());
        assertEquals(List.of("open acceptNewHostKeys=false"), fake.opened);
        fake.hosts.unreachable("node1", 1);
        assertEquals("connect timed out after 10s", engine(false).test(fake.spec, fake.spec.hosts().get(0), person).error());
    }

    /** kubectl get nodes -o json as node1's API server answers it: node1 itself, and a node nobody's answers name. */
    private static final String NODES = """
            {"apiVersion": "v1", "kind": "List", "items": [
              {"metadata": {"name": "node1", "labels": {"node-role.kubernetes.io/control-plane": ""}}, "spec": {},
               "status": {"conditions": [{"type": "Ready", "status": "True"}], "nodeInfo": {"kubeletVersion": "v1.35.2"}}},
              {"metadata": {"name": "legacy", "labels": {}}, "spec": {},
               "status": {"conditions": [{"type": "Ready", "status": "False"}], "nodeInfo": {"kubeletVersion": "v1.34.1"}}}
            ]}
            """;

    /** node1 as an apply left it: applied.yaml in the run directory, a kubelet.conf, an API server listing the Nodes. */
    private void installed() throws Exception {
        Files.createDirectories(runDir());
        Files.writeString(runDir().resolve("applied.yaml"), AnswersWriter.toYaml(fake.spec));
        fake.hosts.on("node1", c -> c.startsWith("for f in "), (h, c) -> new FakeCluster.Reply(0,
                "/etc/kubernetes/kubelet.conf\n/etc/kubernetes/manifests/kube-apiserver.yaml\n", ""));
        fake.hosts.on("node1", c -> c.contains("get nodes -o json"), (h, c) -> new FakeCluster.Reply(0, NODES, ""));
    }

    @Test
    void observeReadsTheInstalledClusterAndTheChangeTheAnswersWouldMake() throws Exception {
        installed();
        Installer.Live live = engine(false).observe(fake.spec, runDirectory(), person);
        assertEquals(null, live.failure());
        assertEquals(List.of(new NodeView("node1", true, false, "v1.35.2", true),
                new NodeView("legacy", false, false, "v1.34.1", false)), List.copyOf(live.observed().nodes().values()));
        assertTrue(live.observed().reachable("node1"));
        assertEquals(List.of(), live.change().joining(), "node1 is a node already");
        assertEquals(List.of(), live.change().leaving());
        assertEquals(List.of("legacy"), live.change().unmanaged());
        assertEquals(List.of("open acceptNewHostKeys=false"), fake.opened);
        assertFalse(Files.exists(runDir().resolve(Journal.FILE)), "a read keeps no journal");
        assertFalse(Files.exists(runDir().resolve("events.ndjson")), "and reports no run");
        assertEquals(List.of(), fake.hosts.calls().stream().filter(c -> c.kind().equals("upload")
                || c.text().matches("kubeadm (init|join|reset) .*|apt-get .*|systemctl .*")).toList(), "reads only");

        fake.hosts.unreachable("node1", 1000);
        Installer.Live down = engine(false).observe(fake.spec, runDirectory(), person);
        assertFalse(down.observed().reachable("node1"));
        assertEquals("connect: connect timed out after 10s", down.observed().host("node1").problem());
    }

    @Test
    void theHostsPageOfAnInstalledClusterShowsWhatTheEngineReads() throws Exception {
        installed();
        WizardEngine engine = engine(false);
        Harness h = new Harness(80, 24, Harness.options(Locale.ENGLISH, tmp, tmp).withInstaller(engine)
                .withTester(engine).withStateBase(engine.stateBase()));
        // Welcome: an installed cluster, the state directory's only one
        h.key(com.googlecode.lanterna.input.KeyType.ArrowDown, 3).enter();
        assertEquals(" Installed    single │▼ ✓", h.rowWith("Installed "));
        h.alt('n');
        h.alt('n');
        h.alt('n');
        h.pumpUntil(() -> h.shows("Ready"), "the read of the cluster");
        assertEquals("   Name   Address   Roles                SSH override State", h.rowWith("Name "));
        assertEquals(" ✓ node1  10.0.0.11 control-plane,worker -            Ready", h.rowWith("node1"));
        assertEquals("   legacy                                             unmanaged", h.rowWith("legacy"));
        assertEquals(" ✓ Read the cluster: 2 nodes, 1 Ready.", h.rowWith("Read the cluster"));
    }

    // ---------------------------------------------------------------- the wizard's screens over it

    private Harness wizard(ClusterSpec spec) {
        WizardEngine engine = engine(false);
        return new Harness(80, 24, Harness.options(Locale.ENGLISH, tmp, tmp).withInitial(spec, null)
                .withInstaller(engine).withTester(engine).withStateBase(engine.stateBase()));
    }

    /** From Cluster to Review, then Install. */
    private static void install(Harness h) {
        for (int i = 0; i < 9; i++) h.alt('n');
        assertEquals("review", h.page(), h.text());
        h.alt('n');
        assertEquals("run", h.page(), h.text());
    }

    @Test
    void installOnReviewRunsTheEngineAndTheRunPageLeadsToFinish() {
        Harness h = wizard(fake.spec);
        install(h);
        h.pumpUntil(() -> h.shows("✓ The install finished."), "the end of the run");
        assertTrue(h.rowWith("Elapsed").endsWith("· ✓ finished"), h.text());
        assertEquals(" ✓ Observe the cluster           ✓ node1     Fetch /etc/kubernetes/a… done", h.rowWith("node1"));
        assertEquals(" ✓ Check the hosts before chan…  ✓ all hosts Check that hostnames, M… done",
                h.rowWith("all hosts"), "step titles are cut to fit beside the phases");
        h.alt('n');
        assertEquals("finish", h.page());
        assertEquals(" ✓ Cluster single is installed.", h.row(3));
        assertEquals(" Kubeconfig: " + runDir().resolve("kubeconfig"), h.row(4));
        assertEquals(" ✓ node1 control-plane,worker installed", h.rowWith("node1"));
        assertTrue(h.shows("  export KUBECONFIG=" + runDir().resolve("kubeconfig")), h.text());
    }

    @Test
    void aFailedStepOnTheRunPageIsRetriedAndTheRunFinishes() {
        AtomicInteger failures = new AtomicInteger(1);
        fake.hosts.on("node1", c -> c.equals("swapoff -a") && failures.getAndDecrement() > 0,
                (h, c) -> new FakeCluster.Reply(1, "", "swapoff: /swap.img: Device or resource busy\n"));
        Harness h = wizard(fake.spec);
        install(h);
        h.pumpUntil(() -> h.shows("Retry"), "Retry offered");
        assertTrue(h.rowWith("Retry").contains("<Retry >") && !h.rowWith("Retry").contains("Skip"),
                "prepare/swap is needed by later steps: no Skip; " + h.text());
        assertTrue(h.flat().contains("✗ prepare/swap on node1 failed: swapoff exited 1: swapoff: /swap.img: Device or "
                + "resource busy"), h.text());
        h.tab(1).enter();
        h.pumpUntil(() -> h.shows("✓ The install finished."), "the end of the run");
        h.alt('n');
        assertEquals(" ✓ Cluster single is installed.", h.row(3));
    }

    @Test
    void theLastStepFailingOffersSkipAndSkippingFinishesWithoutAKubeconfig() {
        fake.hosts.on("node1", c -> c.startsWith("kubeadm init --config"), (h, c) -> new FakeCluster.Reply(0, "", ""));
        Harness h = wizard(fake.spec);
        install(h);
        h.pumpUntil(() -> h.shows("Skip"), "Skip offered");
        assertTrue(h.rowWith("Retry").contains("< Skip >"), h.text());
        h.tab(2).enter();
        h.pumpUntil(() -> h.shows("✓ The install finished."), "the end of the run");
        h.alt('n');
        assertEquals(" Kubeconfig: -", h.row(4));
    }

    @Test
    void ctrlCAbortsTheRunAndFinishSaysWhatStopped() {
        fake.hosts.fail("node1", "swapoff -a", 1, "busy\n");
        Harness h = wizard(fake.spec);
        install(h);
        h.pumpUntil(() -> h.shows("Retry"), "the failure");
        h.ctrl('c').enter();
        h.pumpUntil(() -> h.shows("✗ The install stopped with 2 failed steps."), "the aborted end");
        h.alt('n');
        assertEquals(" ✗ The install of cluster single did not finish:", h.row(3));
        assertEquals(" ✗ prepare/swap on node1: swapoff exited 1: busy", h.row(4));
        assertTrue(h.row(5).startsWith(" ✗ the run was aborted: "), h.text());
    }
}
