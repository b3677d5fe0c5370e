package io.kubewizard.tui;

import com.googlecode.lanterna.input.KeyType;
import io.kubewizard.answers.AnswersLoader;
import io.kubewizard.answers.AnswersWriter;
import io.kubewizard.answers.Spec.Cluster;
import io.kubewizard.answers.Spec.ClusterSpec;
import io.kubewizard.plan.Workflow;
import io.kubewizard.run.Event;
import io.kubewizard.run.RunDirectory;
import io.kubewizard.run.TransportFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Welcome's "Upgrade an installed cluster": a cluster of the state directory, a version this
 * kubewizard knows newer than the one it was applied with, then Review with the upgrade's plan (its
 * legs first, any refusal refusing Install) and Install running the upgrade workflow.
 */
class UpgradeWizardTest {
    @TempDir Path tmp;

    private static ClusterSpec preset(String name) {
        return AnswersLoader.load(Harness.presets().resolve(name + ".yaml")).spec();
    }

    private static ClusterSpec at(ClusterSpec s, String name, String version) {
        Cluster c = s.cluster();
        return new ClusterSpec(new Cluster(name, version, c.topology(), c.controlPlaneEndpoint(),
                c.loadBalancer(), c.imageRepository(), c.featureGates()), s.network(), s.runtime(), s.pki(),
                s.security(), s.components(), s.ssh(), s.hosts(), s.removed());
    }

    private Path state() { return tmp.resolve(".kubewizard"); }

    private void applied(String dir, ClusterSpec spec) throws IOException {
        Files.createDirectories(state().resolve(dir));
        Files.writeString(state().resolve(dir).resolve("applied.yaml"), AnswersWriter.toYaml(spec));
    }

    /** The engine as Review and Install see it: the real preview, a start that records its workflow. */
    static final class FakeEngine implements Installer, Installer.RunControl {
        volatile Workflow workflow;
        volatile ClusterSpec spec;
        volatile RunDirectory dir;
        volatile Event.Listener events;
        volatile boolean plainStart;

        @Override
        public RunControl start(ClusterSpec s, RunDirectory d, Event.Listener listener,
                                TransportFactory.Prompter prompter) {
            plainStart = true;
            return start(null, s, d, listener, prompter);
        }

        @Override
        public RunControl start(Workflow w, ClusterSpec s, RunDirectory d, Event.Listener listener,
                                TransportFactory.Prompter prompter) {
            workflow = w;
            spec = s;
            dir = d;
            events = listener;
            return this;
        }

        @Override
        public Live observe(ClusterSpec s, RunDirectory d, TransportFactory.Prompter prompter) {
            return Live.failed("not read in this test");
        }

        public void retry(String stepKey) {}

        public boolean canSkip(String stepKey) { return false; }

        public void skip(String stepKey) {}

        public void abort() {}
    }

    /** The state directory: lab applied at 1.35.2, current at 1.37.0 (the newest this kubewizard knows). */
    private Harness welcome(Locale locale, FakeEngine engine) throws IOException {
        applied("lab", at(preset("single-node"), "lab", "1.35.2"));
        applied("current", at(preset("single-node"), "current", "1.37.0"));
        return new Harness(80, 24, Harness.options(locale, tmp, tmp).withInstaller(engine));
    }

    /** Welcome's fifth start, lab and its newest version: Next goes straight to Review. */
    private Harness review(FakeEngine engine) throws IOException {
        Harness h = welcome(Locale.ENGLISH, engine);
        h.key(KeyType.ArrowDown, 4).key(KeyType.Enter).key(KeyType.Tab, 3).key(KeyType.Enter)
                .key(KeyType.ArrowDown).key(KeyType.Enter);
        h.alt('n');
        assertEquals(" kubewizard · 11/13 Review", h.row(0), h.text());
        return h;
    }

    @Test
    void welcomeOffersTheVersionsKubewizardKnowsNewerThanTheClustersAndSaysWhenThereAreNone() throws Exception {
        Harness h = welcome(Locale.ENGLISH, new FakeEngine());
        assertEquals(List.of(
                " Start from   (*) A new cluster (defaults)",
                "              ( ) An answers file",
                "              ( ) A preset",
                "              ( ) An installed cluster",
                "              ( ) Upgrade an installed cluster",
                " Answers file                                              ✓",
                " Preset       ha-external-etcd │▼ ✓",
                " Installed    current │▼ ✓",
                " Directory                                                 ✓",
                " Upgrade to   (at 1.37.0, the newest kubewizard knows) │▼ ✓"), trimmed(h, 7, 17));
        // the fifth choice; Tab now stops at the version too: past the file, the preset, the cluster
        // and the directory to it; the cluster at 1.37.0 has none newer, lab has two
        h.key(KeyType.ArrowDown, 4).key(KeyType.Enter);
        h.alt('n');
        assertEquals(" kubewizard · 1/13 Welcome", h.row(0));
        h.assertShows("✗ Cluster current is at 1.37.0, the newest version this kubewizard knows: there is nothing to "
                + "upgrade to.");
        h.key(KeyType.Tab, 3).key(KeyType.Enter).key(KeyType.ArrowDown).key(KeyType.Enter);
        assertEquals(" Installed    lab     │▼ ✓", h.rowWith("Installed "));
        assertEquals( " Upgrade to   1.37.0 │▼ ✓", h.rowWith("Upgrade to"));
        h.key(KeyType.Tab, 2).key(KeyType.Enter);
        // the drop-down: lab runs 1.35.2, and this kubewizard knows 1.36.1 and 1.37.0
        assertTrue(h.row(17).startsWith(" Installed: th┌─────────┐es of "), h.text());
        assertTrue(h.row(18).startsWith(" holding an ap│1.37.0   │ Directory"), h.text());
        assertEquals(" elsewhere.   │1.36.1   │", h.row(19).stripTrailing());
        assertTrue(h.row(20).startsWith(" Tab moves bet└─────────┘"), h.text());
        h.key(KeyType.ArrowDown).key(KeyType.Enter);
        assertEquals( " Upgrade to   1.36.1 │▼ ✓", h.rowWith("Upgrade to"));
        assertEquals(" Tab moves between fields, Enter presses a button, F1 explains the page.", h.row(20));
        assertEquals(" ──────────────────────────────────────────────────────────────────────────────", h.row(21),
                "the page still fits 24 rows");
    }

    @Test
    void welcomeSpeaksKorean() throws Exception {
        Harness h = welcome(Locale.KOREAN, new FakeEngine());
        h.key(KeyType.ArrowDown, 4).key(KeyType.Enter).key(KeyType.Tab, 3).key(KeyType.Enter)
                .key(KeyType.ArrowDown).key(KeyType.Enter);
        assertEquals("           (*) 설치된 클러스터 업그레이드", h.rowWith("업그레이드"));
        assertEquals(" 대상 버전 1.37.0 │▼ ✓", h.rowWith("대상 버전"));
    }

    @Test
    void reviewShowsTheLegsBeforeTheStepsAndTheAnswersAreNotWritten() throws Exception {
        FakeEngine engine = new FakeEngine();
        Harness h = review(engine);
        assertEquals(List.of(
                " ✓ Ready to upgrade: 1 host, 10 files, 35 steps.",
                " Show  Plan: 35 steps in 16 phases │▼",
                " Upgrade: 1.35.2 → 1.36.1 → 1.37.0",
                "",
                " connect: Connect to every host"), trimmed(h, 3, 8));
        assertEquals(List.of(" ✓ Loaded the installed cluster lab: kubernetesVersion 1.35.2 → 1.37.0, not",
                "   saved. Review shows the upgrade."), trimmed(h, 21, 23));
        assertEquals("1.37.0", h.wizard.state.build().spec().cluster().kubernetesVersion());
        assertEquals(Workflow.UPGRADE, h.wizard.workflow());
        assertEquals(AnswersWriter.toYaml(at(preset("single-node"), "lab", "1.35.2")),
                Files.readString(state().resolve("lab/applied.yaml")), "the record is left as it was");
        try (var files = Files.list(tmp)) {
            assertEquals(List.of(".kubewizard"), files.map(p -> p.getFileName().toString()).toList(),
                    "no answers file is written behind the user's back");
        }
        // Save writes them where the user says, as for any answers
        h.ctrl('s').enter();
        assertTrue(Files.readString(tmp.resolve("lab.yaml")).contains("kubernetesVersion: 1.37.0"));
    }

    @Test
    void aRefusalIsShownAndInstallIsRefused() throws Exception {
        FakeEngine engine = new FakeEngine();
        Harness h = review(engine);
        h.wizard.state.hosts.add(InstalledClusterTest.worker("worker9", 29));
        h.wizard.go(h.wizard.reviewIndex());
        h.pump();
        assertEquals(List.of(
                " ✗ Install refused: 1 reason in the plan below. Nothing is changed.",
                " Show  Plan: 56 steps in 18 phases │▼",
                " Upgrade: 1.35.2 → 1.36.1 → 1.37.0",
                " ✗ hosts would join (worker9): an upgrade changes versions only; run",
                "   kubewizard apply at the cluster's version first",
                "",
                " connect: Connect to every host"), trimmed(h, 3, 10));
        h.alt('n');
        assertEquals(" kubewizard · 11/13 Review", h.row(0));
        assertEquals(null, engine.workflow, "Install did not start the engine");
        h.assertShows("✗ Install refused: hosts would join (worker9): an upgrade changes versions only; run kubewizard "
                + "apply at the cluster's version first");
    }

    @Test
    void installRunsTheUpgradeWorkflowAndFinishSaysTheClusterIsUpgraded() throws Exception {
        FakeEngine engine = new FakeEngine();
        Harness h = review(engine);
        h.alt('n');
        assertEquals("run", h.page());
        assertEquals(Workflow.UPGRADE, engine.workflow);
        assertTrue(!engine.plainStart, "the upgrade is started as one, not as an install");
        assertEquals(new RunDirectory(state().resolve("lab")), engine.dir);
        assertEquals("1.37.0", engine.spec.cluster().kubernetesVersion());
        java.time.Instant t0 = Harness.T0;
        engine.events.on(new Event.RunStarted(t0, "lab", List.of("connect"), List.of("node1"), false));
        engine.events.on(new Event.StepChanged(t0, "connect@node1", "connect", "node1", "Open the SSH connection",
                Event.StepStatus.DONE, null));
        engine.events.on(new Event.RunFinished(t0, true, List.of(), null));
        h.pumpUntil(() -> h.shows("The upgrade finished."), "the end of the run");
        h.alt('n');
        assertEquals(" kubewizard · 13/13 Finish", h.row(0), h.text());
        assertEquals(" ✓ Cluster lab is upgraded to 1.37.0.", h.row(3));
        assertEquals(" ✓ node1 control-plane,worker upgraded", h.rowWith("node1").stripTrailing());
    }

    private static List<String> trimmed(Harness h, int from, int to) {
        return h.lines().subList(from, to).stream().map(String::stripTrailing).toList();
    }
}
