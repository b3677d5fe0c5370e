package io.kubewizard.tui;

import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;
import io.kubewizard.answers.AnswersLoader;
import io.kubewizard.answers.Spec.ClusterSpec;
import io.kubewizard.run.Event;
import io.kubewizard.run.Event.StepStatus;
import io.kubewizard.run.TransportFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Run and Finish pages as a view over synthetic {@link Event}s, fed from another thread as the
 * engine would, through the page's feed to Lanterna's GUI thread.
 */
class RunPageTest {
    @TempDir Path tmp;

    /** Records what the page asks of the engine. */
    static final class FakeInstaller implements Installer, Installer.RunControl {
        volatile Event.Listener events;
        volatile ClusterSpec spec;
        final List<String> calls = Collections.synchronizedList(new ArrayList<>());

        @Override
        public RunControl start(ClusterSpec s, io.kubewizard.run.RunDirectory dir, Event.Listener listener,
                                TransportFactory.Prompter prompter) {
            spec = s;
            events = listener;
            return this;
        }

        public Live observe(ClusterSpec s, io.kubewizard.run.RunDirectory dir, TransportFactory.Prompter prompter) {
            throw new AssertionError("no cluster to read: this is a new one");
        }

        public void retry(String stepKey) { calls.add("retry " + stepKey); }

        public boolean canSkip(String stepKey) { return stepKey.startsWith("cni/"); }

        public void skip(String stepKey) { calls.add("skip " + stepKey); }

        public void abort() { calls.add("abort"); }

        /** Sends events from a thread of its own, as the engine does, and waits until it is done. */
        void send(Event... list) {
            CountDownLatch done = new CountDownLatch(1);
            Thread t = new Thread(() -> {
                for (Event e : list) events.on(e);
                done.countDown();
            }, "fake-engine");
            t.start();
            try {
                assertTrue(done.await(10, TimeUnit.SECONDS));
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }

    private static final Instant T0 = Harness.T0;

    private final FakeInstaller engine = new FakeInstaller();

    private Harness running() {
        ClusterSpec spec = AnswersLoader.load(Harness.presets().resolve("ha-stacked.yaml")).spec();
        Harness h = new Harness(80, 24, Harness.options(Locale.ENGLISH, tmp, tmp).withInitial(spec, null)
                .withInstaller(engine));
        h.wizard.go(h.wizard.reviewIndex());
        h.pump();
        assertEquals(" ✓ Ready: 5 hosts, 47 files, 114 steps.", h.row(3), h.text());
        h.terminal.addInput(new KeyStroke('n', false, true));
        h.pump();
        assertEquals(" kubewizard · 12/13 Run", h.row(0));
        assertNotNull(engine.events, "Install started the engine");
        assertEquals(spec, engine.spec);
        engine.send(new Event.RunStarted(T0, "ha-stacked", List.of("connect", "facts", "prepare", "cni"),
                        List.of("cp1", "cp2", "cp3", "worker1", "worker2"), false),
                new Event.PhaseStarted(T0, "connect", "Connect to every host"),
                new Event.StepChanged(T0, "connect@cp1", "connect", "cp1", "Open the SSH connection",
                        StepStatus.DONE, null),
                new Event.StepChanged(T0, "connect@cp2", "connect", "cp2", "Open the SSH connection",
                        StepStatus.RUNNING, null),
                new Event.Output(T0, "cp1", "connect@cp1", "hello from cp1", false),
                new Event.Output(T0, "cp2", "connect@cp2", "hello from cp2", false),
                new Event.Output(T0, "cp2", "connect@cp2", "warning\tfrom cp2", true));
        h.pumpUntil(() -> h.shows("hello from cp1"), "cp1's log");
        return h;
    }

    @Test
    void showsPhasesHostsTheSelectedHostsLogAndElapsedTime() {
        Harness h = running();
        assertEquals(" Elapsed 00:01:15 · 0/4 phases done · ▶ running", h.row(3));
        assertEquals(" ▶ Connect to every host           Host    Step                    State",
                h.row(4));
        assertEquals(" · facts                         ✓ cp1     Open the SSH connection done", h.row(5));
        assertEquals(" · prepare                       ▶ cp2     Open the SSH connection running", h.row(6));
        assertEquals(" · cni                           · cp3                             waiting", h.row(7));
        assertEquals(" <Abort >", h.rowWith("Abort"), "no step failed: Retry and Skip are not offered");
        assertEquals(" Log: cp1", h.rowWith("Log:"));
        assertEquals(" hello from cp1", h.rowWith("hello from"));
        h.key(KeyType.ArrowDown);
        assertEquals(" Log: cp2", h.rowWith("Log:"));
        assertEquals(" hello from cp2", h.rowWith("hello from"));
        assertEquals(" ! warning    from cp2", h.rowWith("warning"), "stderr is marked, tabs become spaces");
    }

    @Test
    void aFailedStepOffersRetryAndSkipOnlyWhereTheEngineSaysSo() {
        Harness h = running();
        engine.send(new Event.StepChanged(T0, "connect@cp2", "connect", "cp2", "Open the SSH connection",
                StepStatus.FAILED, "connect on cp2: connection refused"));
        h.pumpUntil(() -> h.shows("✗ cp2"), "the failure");
        h.key(KeyType.ArrowDown);
        assertEquals(" <Retry > <Abort >", h.rowWith("Retry"), "connect is not skippable: no Skip");
        assertEquals(" ✗ connect on cp2 failed: connect on cp2: connection refused", h.rowWith("failed:"));
        h.key(KeyType.Tab).key(KeyType.Enter);
        assertEquals(List.of("retry connect@cp2"), engine.calls);
        engine.send(new Event.StepChanged(T0, "cni/install@cp2", "cni/install", "cp2", "Install the CNI",
                StepStatus.FAILED, "kubectl apply exited 1"));
        h.pumpUntil(() -> h.shows("cni/install on cp2 failed: kubectl apply exited 1"), "the second failure");
        assertEquals(" <Retry > < Skip > <Abort >", h.rowWith("Retry"));
        h.key(KeyType.Tab).key(KeyType.Enter);
        assertEquals(List.of("retry connect@cp2", "skip cni/install@cp2"), engine.calls);
    }

    @Test
    void theLogKeepsTheLast2000LinesOfAHost() {
        Harness h = running();
        Event[] lines = new Event[5_000];
        for (int i = 0; i < lines.length; i++) lines[i] = new Event.Output(T0, "cp1", "facts@cp1", "line " + i, false);
        engine.send(lines);
        h.pumpUntil(() -> h.shows("line 4999"), "the last line");
        RunModel.HostRow cp1 = h.wizard.runPage().model().hosts.get("cp1");
        assertEquals(2_000, cp1.log.size());
        assertEquals(5_001, cp1.log.total());
        assertEquals("line 3000", cp1.log.get(0));
        assertEquals(" line 4999", h.row(20), h.text());
    }

    @Test
    void ctrlCAsksBeforeAbortingTheRun() {
        Harness h = running();
        h.ctrl('c');
        h.assertShows("An install is running. Abort it? The steps already done stay done, and kubewizard apply "
                + "--resume continues later.", 60);
        h.key(KeyType.Tab).key(KeyType.Enter);
        assertEquals(List.of(), engine.calls, "Cancel");
        h.ctrl('c').key(KeyType.Enter);
        assertEquals(List.of("abort"), engine.calls);
        assertFalse(h.wizard.closed(), "the wizard waits for the run to end");
    }

    @Test
    void aFinishedRunLeadsToTheFinishPage() {
        Harness h = running();
        engine.send(new Event.PhaseFinished(T0.plusSeconds(5), "connect", true),
                new Event.StepChanged(T0, "connect@cp2", "connect", "cp2", "Open the SSH connection",
                        StepStatus.DONE, null),
                new Event.RunFinished(T0.plusSeconds(222), true, List.of(), "/work/.kubewizard/ha-stacked/admin.conf"));
        h.pumpUntil(() -> h.shows("✓ The install finished."), "the end");
        assertEquals(" Elapsed 00:03:42 · 1/4 phases done · ✓ finished", h.row(3));
        assertFalse(h.shows("Abort"), "nothing left to abort");
        h.terminal.addInput(new KeyStroke('n', false, true));
        h.pump();
        assertEquals(" kubewizard · 13/13 Finish", h.row(0));
        assertEquals(" ✓ Cluster ha-stacked is installed.", h.row(3));
        assertEquals(" Kubeconfig: /work/.kubewizard/ha-stacked/admin.conf", h.row(4));
        assertEquals(" ✓ cp1     control-plane installed", h.row(6));
        assertEquals(" ✓ worker2 worker        installed", h.row(10));
        assertTrue(h.shows("  export KUBECONFIG=/work/.kubewizard/ha-stacked/admin.conf"), h.text());
        assertTrue(h.shows("  kubectl get nodes"), h.text());
    }

    @Test
    void aFailedRunSaysWhatFailedAndHowToResume() {
        Harness h = running();
        engine.send(new Event.StepChanged(T0, "connect@cp2", "connect", "cp2", "Open the SSH connection",
                        StepStatus.FAILED, "connection refused"),
                new Event.RunFinished(T0.plusSeconds(9), false, List.of("connect on cp2: connection refused"), null));
        h.pumpUntil(() -> h.shows("✗ The install stopped with 1 failed step."), "the end");
        h.terminal.addInput(new KeyStroke('n', false, true));
        h.pump();
        assertEquals(" ✗ The install of cluster ha-stacked did not finish:", h.row(3));
        assertEquals(" ✗ connect on cp2: connection refused", h.row(4));
        assertEquals(" ✗ cp2     control-plane failed at Open the SSH connection", h.rowWith("cp2 "));
        assertEquals(" ! cp1     control-plane stopped", h.rowWith("cp1 "));
        h.assertShows("Next steps: fix the cause shown above, then resume with kubewizard apply -f <answers file> "
                + "--resume: the steps already done are not repeated.");
    }

    @Test
    void theFeedDropsOnlyOutputWhenTheScreenFallsBehind() {
        RunFeed feed = new RunFeed(null, () -> { }, () -> { });
        for (int i = 0; i < RunFeed.MAX_PENDING_OUTPUT + 10; i++) {
            feed.on(new Event.Output(T0, "cp1", "k", "l" + i, false));
        }
        feed.on(new Event.PhaseStarted(T0, "facts", "Gather facts"));
        assertEquals(10, feed.dropped());
        List<Event> taken = feed.take();
        assertEquals(RunFeed.MAX_PENDING_OUTPUT + 1, taken.size());
        assertEquals(new Event.PhaseStarted(T0, "facts", "Gather facts"), taken.get(taken.size() - 1));
        feed.on(new Event.Output(T0, "cp1", "k", "after", false));
        assertEquals(List.of(new Event.Output(T0, "cp1", "k", "after", false)), feed.take(), "room again");
    }
}
