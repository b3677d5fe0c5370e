package io.kubewizard.tui;

import com.googlecode.lanterna.input.KeyType;
import io.kubewizard.answers.AnswersLoader;
import io.kubewizard.answers.AnswersWriter;
import io.kubewizard.answers.Spec.Cluster;
import io.kubewizard.answers.Spec.ClusterSpec;
import io.kubewizard.answers.Spec.Host;
import io.kubewizard.answers.Spec.Role;
import io.kubewizard.answers.Spec.Ssh;
import io.kubewizard.plan.Observed;
import io.kubewizard.plan.Observed.HostState;
import io.kubewizard.plan.Observed.NodeReport;
import io.kubewizard.plan.Observed.NodeView;
import io.kubewizard.run.Engine;
import io.kubewizard.run.Event;
import io.kubewizard.run.RunDirectory;
import io.kubewizard.run.TransportFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An installed cluster in the wizard: Welcome lists the state directory's clusters (or takes a run
 * directory) and opens the answers last applied; Hosts shows each host's state as a read of the
 * cluster found it, read off the GUI thread; Remove marks a host the cluster has leaving and deletes
 * one that never joined; Review shows the change and Install runs it in that run directory.
 */
class InstalledClusterTest {
    @TempDir Path tmp;

    private static ClusterSpec preset(String name) {
        return AnswersLoader.load(Harness.presets().resolve(name + ".yaml")).spec();
    }

    private static ClusterSpec named(ClusterSpec s, String name) {
        Cluster c = s.cluster();
        return new ClusterSpec(new Cluster(name, c.kubernetesVersion(), c.topology(), c.controlPlaneEndpoint(),
                c.loadBalancer(), c.imageRepository(), c.featureGates()), s.network(), s.runtime(), s.pki(),
                s.security(), s.components(), s.ssh(), s.hosts(), s.removed());
    }

    private static ClusterSpec withHosts(ClusterSpec s, List<Host> hosts) {
        return new ClusterSpec(s.cluster(), s.network(), s.runtime(), s.pki(), s.security(), s.components(), s.ssh(),
                hosts, s.removed());
    }

    static Host worker(String name, int octet) {
        return new Host(name, "10.0.0." + octet, "10.0.0." + octet, List.of(Role.WORKER), "", Map.of(), List.of(),
                Ssh.none());
    }

    /** A run directory as a successful apply leaves it: applied.yaml holding the answers applied. */
    private static Path applied(Path dir, ClusterSpec spec) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("applied.yaml"), AnswersWriter.toYaml(spec));
        return dir;
    }

    private Path state() { return tmp.resolve(".kubewizard"); }

    /** The engine as the Hosts page and Review see it: reads answer with {@link #found}, after {@link #gate} opens. */
    static final class FakeEngine implements Installer, Installer.RunControl {
        volatile Observed found = Observed.NONE;
        volatile String failure;
        volatile CountDownLatch gate = new CountDownLatch(0);
        final AtomicInteger reads = new AtomicInteger();
        volatile RunDirectory readIn;
        volatile ClusterSpec installed;
        volatile RunDirectory installedIn;
        volatile String readOn;

        @Override
        public RunControl start(ClusterSpec spec, RunDirectory dir, Event.Listener events,
                                TransportFactory.Prompter prompter) {
            installed = spec;
            installedIn = dir;
            return this;
        }

        @Override
        public Live observe(ClusterSpec spec, RunDirectory dir, TransportFactory.Prompter prompter)
                throws InterruptedException {
            reads.incrementAndGet();
            readIn = dir;
            readOn = Thread.currentThread().getName();
            assertTrue(gate.await(10, TimeUnit.SECONDS), "the test never let the read finish");
            if (failure != null) return Live.failed(failure);
            return Live.read(found, Engine.change(spec, dir, found));
        }

        volatile String certificatesRead;

        @Override
        public String certificates(ClusterSpec spec, RunDirectory dir, TransportFactory.Prompter prompter) {
            certificatesRead = Thread.currentThread().getName();
            return "Certificates on the nodes of cluster " + spec.cluster().name() + ", at 2026-12-02 00:00 UTC\n"
                    + "HOST  CERTIFICATE                        SUBJECT            EXPIRES               DAYS  STATUS\n"
                    + "cp1   /etc/kubernetes/pki/apiserver.crt  CN=kube-apiserver  2026-12-21 00:00 UTC    19  error\n";
        }

        volatile UserForm userAsked;
        volatile String userAddedOn;

        @Override
        public String addUser(ClusterSpec spec, RunDirectory dir, UserForm form, TransportFactory.Prompter prompter) {
            userAsked = form;
            userAddedOn = Thread.currentThread().getName();
            return "Wrote " + form.output() + " (context " + form.name() + "@" + spec.cluster().name() + "): " + form.name()
                    + " in dev, bound to clusterrole view, valid until 2027-03-01T09:55:00Z.";
        }

        public void retry(String stepKey) {}

        public boolean canSkip(String stepKey) { return false; }

        public void skip(String stepKey) {}

        public void abort() {}
    }

    /** What a probe of ha-stacked reads: each host's own report, the Nodes as cp1's API server lists them. */
    static Observed cluster(Map<String, Boolean> nodes, Map<String, String> unreachable, List<String> hosts) {
        List<NodeView> views = new ArrayList<>();
        nodes.forEach((n, ready) -> views.add(new NodeView(n, ready, false, "v1.35.2", n.startsWith("cp"))));
        Map<String, HostState> states = new LinkedHashMap<>();
        boolean first = true;
        for (String h : hosts) {
            if (unreachable.containsKey(h)) {
                states.put(h, HostState.unreachable(unreachable.get(h)));
                continue;
            }
            boolean joined = nodes.containsKey(h);
            boolean cp = h.startsWith("cp");
            states.put(h, new HostState(true, null, null, new NodeReport(joined ? "v1.35.2" : "", joined ? "v1.35.2" : "",
                    joined, joined && cp, cp && first ? views : null, null)));
            if (cp) first = false;
        }
        return new Observed(states);
    }

    // ---------------------------------------------------------------- Welcome

    @Test
    void welcomeListsTheInstalledClustersOfTheStateDirectoryAndOpensOne() throws Exception {
        applied(state().resolve("ha-stacked"), preset("ha-stacked"));
        applied(state().resolve("lab"), named(preset("single-node"), "lab"));
        Files.createDirectories(state().resolve("reset-long-ago/history"));
        Files.writeString(state().resolve("notes.txt"), "not a cluster\n");
        Harness h = new Harness(80, 24, Harness.options(Locale.ENGLISH, tmp, tmp));
        assertEquals("              ( ) An installed cluster", h.rowWith("An installed cluster"));
        assertEquals(" Installed    ha-stacked │▼ ✓", h.rowWith("Installed "));
        assertEquals(" Directory                                                 ✓", h.rowWith("Directory "));
        h.assertShows("Installed: the directories of " + state() + " holding an applied.yaml. Directory: the run "
                + "directory of a cluster kept elsewhere.");
        // the fourth choice, then the list of clusters: only those with an applied.yaml, by name
        h.key(KeyType.ArrowDown, 3).key(KeyType.Enter).key(KeyType.Tab, 3).key(KeyType.Enter);
        assertTrue(h.shows("(*) An installed cluster"), h.text());
        assertEquals(" Directory    ┌─────────────┐                              ✓", h.row(15));
        assertTrue(h.row(16).startsWith(" Upgrade to   │ha-stacked   │"), h.text());
        assertTrue(h.row(17).startsWith(" Installed: th│lab          │"), h.text());
        assertTrue(h.row(18).startsWith(" holding an ap└─────────────┘"), "only the directories with an applied.yaml");
        h.key(KeyType.ArrowDown).key(KeyType.Enter);
        assertEquals(" Installed    lab        │▼ ✓", h.rowWith("Installed "));
        h.alt('n');
        assertEquals(" kubewizard · 2/13 Cluster", h.row(0));
        assertEquals(" Cluster name           lab                            ✓", h.rowWith("Cluster name"));
        h.assertShows("✓ Loaded the installed cluster lab (" + state().resolve("lab") + ").");
        assertTrue(h.wizard.installed());
        assertEquals(new RunDirectory(state().resolve("lab")), h.wizard.runDirectory(h.wizard.state.build().spec()));
        // the record is the engine's: Save asks for the answers file as for any answers
        h.ctrl('s');
        assertTrue(h.shows("│ " + tmp.resolve("lab.yaml") + " "), h.text());
        h.enter();
        assertEquals(AnswersWriter.toYaml(named(preset("single-node"), "lab")), Files.readString(tmp.resolve("lab.yaml")));
        assertEquals(AnswersWriter.toYaml(named(preset("single-node"), "lab")),
                Files.readString(state().resolve("lab/applied.yaml")), "applied.yaml is left as it was");
    }

    @Test
    void welcomeOpensATypedRunDirectoryAndRefusesOneThatHoldsNoAppliedAnswers() throws Exception {
        Path elsewhere = applied(tmp.resolve("ops/state/prod"), named(preset("single-node"), "prod"));
        Files.createDirectories(tmp.resolve("ops/state/none"));
        Harness h = new Harness(80, 24, Harness.options(Locale.ENGLISH, tmp, tmp));
        assertEquals(" Installed    (no installed clusters) │▼ ✓", h.rowWith("Installed "));
        h.key(KeyType.ArrowDown, 3).key(KeyType.Enter);
        h.alt('n');
        assertEquals(" kubewizard · 1/13 Welcome", h.row(0));
        h.assertShows("✗ (no installed clusters)");
        h.key(KeyType.Tab, 4).type("ops/state/none");
        h.alt('n');
        assertEquals(" kubewizard · 1/13 Welcome", h.row(0));
        h.assertShows("✗ " + tmp.resolve("ops/state/none") + " holds no applied.yaml: it is not the run directory of a "
                + "cluster kubewizard installed.");
        h.key(KeyType.Backspace, 4).type("prod");
        h.alt('n');
        assertEquals(" kubewizard · 2/13 Cluster", h.row(0));
        assertEquals(" Cluster name           prod                           ✓", h.rowWith("Cluster name"));
        assertEquals(new RunDirectory(elsewhere), h.wizard.runDirectory(h.wizard.state.build().spec()),
                "Install runs where the cluster's state is, not under the wizard's state directory");
        // Back and another start: a new cluster is not the installed one any more
        h.alt('b');
        h.key(KeyType.ArrowUp, 3).key(KeyType.Enter);
        h.alt('n');
        assertFalse(h.wizard.installed());
        assertEquals(RunDirectory.of(state(), h.wizard.state.build().spec()),
                h.wizard.runDirectory(h.wizard.state.build().spec()));
    }

    // ---------------------------------------------------------------- Hosts

    /**
     * ha-stacked applied with a sixth host, worker3; now the answers drop worker3, mark worker2
     * leaving and add worker4. The cluster has a Node nobody named (legacy1), cp2 is NotReady and cp3
     * does not answer.
     */
    private Harness installedHosts(FakeEngine engine, Locale locale) throws IOException {
        ClusterSpec ha = preset("ha-stacked");
        List<Host> six = new ArrayList<>(ha.hosts());
        six.add(worker("worker3", 23));
        applied(state().resolve("ha-stacked"), withHosts(ha, six));
        Map<String, Boolean> nodes = new LinkedHashMap<>();
        for (String n : List.of("cp1", "cp2", "worker1", "worker2", "worker3", "legacy1")) nodes.put(n, !n.equals("cp2"));
        engine.found = cluster(nodes, Map.of("cp3", "connect: connect timed out after 10s"),
                List.of("cp1", "cp2", "cp3", "worker1", "worker4", "worker2", "worker3"));
        Harness h = new Harness(80, 24, Harness.options(locale, tmp, tmp).withInstaller(engine));
        h.key(KeyType.ArrowDown, 3).key(KeyType.Enter);
        h.alt('n');
        assertTrue(h.wizard.installed(), h.text());
        FormState s = h.wizard.state;
        s.hosts.removeIf(x -> x.name().equals("worker3"));
        Host w2 = s.hosts.stream().filter(x -> x.name().equals("worker2")).findFirst().orElseThrow();
        s.hosts.remove(w2);
        s.removed.add(FormState.marked(w2, true));
        s.hosts.add(worker("worker4", 24));
        h.wizard.go(3);
        h.pump();
        return h;
    }

    @Test
    void hostsShowEachHostsStateAsTheClusterIsNowReadOffTheGuiThread() throws Exception {
        FakeEngine engine = new FakeEngine();
        engine.gate = new CountDownLatch(1);
        Harness h = installedHosts(engine, Locale.ENGLISH);
        // the read is going: the page is there and usable, every state still to come
        assertEquals(List.of(
                "   Name    Address   Roles         SSH override State",
                " ✓ cp1     10.0.0.11 control-plane -            …",
                " ✓ cp2     10.0.0.12 control-plane -            …",
                " ✓ cp3     10.0.0.13 control-plane -            …",
                " ✓ worker1 10.0.0.21 worker        -            …",
                " ✓ worker4 10.0.0.24 worker        -            …",
                "   worker2 10.0.0.22 worker        -            leaving",
                "   worker3 10.0.0.23 worker        -            leaving",
                " < Add  > < Edit > <Remove> <SSH defaults> <Import ~/.ssh/config>",
                "  Test connection  <Refresh (F5)> <Certificates (F6)>  Reading the cluster…"), h.lines().subList(3, 13));
        assertEquals(" ▶ Reading the cluster…", h.row(22));
        h.key(KeyType.Tab).enter();
        assertTrue(h.shows("Add a host"), "the screen answers keys while the cluster is read:\n" + h.text());
        h.escape();
        engine.gate.countDown();
        h.pumpUntil(() -> h.shows("Ready"), "the read's answer");
        assertEquals("kubewizard-read-cluster", engine.readOn);
        assertEquals(new RunDirectory(state().resolve("ha-stacked")), engine.readIn);
        assertEquals(List.of(
                "   Name    Address   Roles         SSH override State",
                " ✓ cp1     10.0.0.11 control-plane -            Ready",
                " ✓ cp2     10.0.0.12 control-plane -            NotReady",
                " ✓ cp3     10.0.0.13 control-plane -            unreachable",
                " ✓ worker1 10.0.0.21 worker        -            Ready",
                " ✓ worker4 10.0.0.24 worker        -            not joined",
                "   worker2 10.0.0.22 worker        -            leaving",
                "   worker3 10.0.0.23 worker        -            leaving",
                "   legacy1                                      unmanaged",
                " < Add  > < Edit > <Remove> <SSH defaults> <Import ~/.ssh/config>",
                "  Test connection  <Refresh (F5)> <Certificates (F6)>  read-only"), h.lines().subList(3, 14));
        assertEquals(" ! Cannot reach cp3: connect: connect timed out after 10s", h.row(22),
                "the status line says why cp3 is unreachable");
        assertEquals(1, engine.reads.get());
    }

    @Test
    void f5OrRefreshReadsTheClusterAgain() throws Exception {
        FakeEngine engine = new FakeEngine();
        Harness h = installedHosts(engine, Locale.ENGLISH);
        h.pumpUntil(() -> h.shows("NotReady"), "the first read");
        engine.gate = new CountDownLatch(1);
        engine.found = cluster(Map.of("cp1", true, "cp2", true, "cp3", true, "worker1", true, "worker2", true,
                "worker3", true), Map.of(), List.of("cp1", "cp2", "cp3", "worker1", "worker4", "worker2", "worker3"));
        h.key(KeyType.F5);
        assertEquals(" ✓ cp2     10.0.0.12 control-plane -            …", h.rowWith("cp2 "));
        assertEquals(" ▶ Reading the cluster…", h.row(22));
        assertFalse(h.shows("legacy1"), "nothing is shown of the cluster that was read before");
        engine.gate.countDown();
        h.pumpUntil(() -> !h.shows("…"), "the second read");
        assertEquals(" ✓ cp2     10.0.0.12 control-plane -            Ready", h.rowWith("cp2 "));
        assertEquals(" ✓ cp3     10.0.0.13 control-plane -            Ready", h.rowWith("cp3 "));
        assertEquals(" ✓ Read the cluster: 6 nodes, 6 Ready.", h.row(22));
        // the button does what F5 does (Test connection, with no tester wired, takes no focus)
        engine.gate = new CountDownLatch(1);
        h.key(KeyType.Tab, 6).enter();
        assertEquals(" ▶ Reading the cluster…", h.row(22));
        engine.gate.countDown();
        h.pumpUntil(() -> engine.reads.get() == 3 && h.shows("6 Ready"), "the third read");
    }

    /** Certificates, beside Refresh: every node's certificates read off the GUI thread, shown in a dialog that scrolls. */
    @Test
    void certificatesShowsTheLiveTableReadOffTheGuiThread() throws Exception {
        FakeEngine engine = new FakeEngine();
        Harness h = installedHosts(engine, Locale.ENGLISH);
        h.pumpUntil(() -> h.shows("NotReady"), "the first read");
        h.key(KeyType.F6);
        h.pumpUntil(() -> h.shows("CN=kube-apiserver"), "the certificates");
        assertTrue(h.shows("Certificates of cluster ha-stacked"), h.text());
        // the table is wider than the dialog: it scrolls sideways
        assertTrue(h.rowWith("apiserver.crt").contains("cp1   /etc/kubernetes/pki/apiserver.crt  CN=kube-apiserver"), h.text());
        assertTrue(h.shows("◄"), h.text());
        assertEquals("kubewizard-read-certificates", engine.certificatesRead);
        h.key(KeyType.Tab).enter();
        assertFalse(h.shows("CN=kube-apiserver"), "OK closes it:\n" + h.text());
    }

    /** Add user (F7): a dialog asks name, groups, role, namespace, days and the file; the engine adds the user off the GUI thread. */
    @Test
    void addUserAsksForTheUserAndRunsTheEnginesUserAddOffTheGuiThread() throws Exception {
        FakeEngine engine = new FakeEngine();
        Harness h = installedHosts(engine, Locale.ENGLISH);
        h.pumpUntil(() -> h.shows("NotReady"), "the first read");
        h.key(KeyType.F7);
        h.pumpUntil(() -> h.shows("Add a user to cluster ha-stacked"), "the dialog");
        assertTrue(h.shows("Groups (comma-separated)"), h.text());
        h.type("alice").key(KeyType.Tab).type("dev,readers").key(KeyType.Tab).type("view").key(KeyType.Tab)
                .key(KeyType.Tab).key(KeyType.Tab).type("/tmp/alice.conf").key(KeyType.Tab).enter();
        h.pumpUntil(() -> h.shows("Wrote /tmp/alice.conf"), "the answer");
        assertEquals(new Installer.UserForm("alice", "dev,readers", "view", "", "365", "/tmp/alice.conf"), engine.userAsked);
        assertEquals("kubewizard-add-user", engine.userAddedOn);
        assertTrue(h.shows("(context alice@ha-stacked)"), h.text());
        h.enter();
        assertFalse(h.shows("Wrote /tmp/alice.conf"), "OK closes it:\n" + h.text());
    }

    @Test
    void addUserIsOfferedInKorean() throws Exception {
        FakeEngine engine = new FakeEngine();
        Harness h = installedHosts(engine, Locale.KOREAN);
        h.pumpUntil(() -> h.shows("NotReady"), "the first read");
        h.key(KeyType.F7);
        h.pumpUntil(() -> h.shows("클러스터 ha-stacked에 사용자 추가"), "the dialog");
        assertTrue(h.shows("그룹(쉼표로 구분)"), h.text());
    }

    @Test
    void aReadThatFailsSaysWhy() throws Exception {
        FakeEngine engine = new FakeEngine();
        engine.failure = "cannot use ~/.ssh/id_ed25519: no such file";
        Harness h = installedHosts(engine, Locale.ENGLISH);
        h.pumpUntil(() -> h.shows("Could not read"), "the failure");
        assertEquals(" ✓ cp1     10.0.0.11 control-plane -            ?", h.rowWith("cp1 "));
        assertEquals("   worker2 10.0.0.22 worker        -            leaving", h.rowWith("worker2 "));
        assertEquals(" ✗ Could not read the cluster: cannot use ~/.ssh/id_ed25519: no such file", h.row(22));
    }

    @Test
    void theStateColumnSpeaksKoreanAndLinesUp() throws Exception {
        FakeEngine engine = new FakeEngine();
        Harness h = installedHosts(engine, Locale.KOREAN);
        h.pumpUntil(() -> h.shows("NotReady"), "the read");
        assertEquals(List.of(
                "   이름    주소      역할          SSH 덮어쓰기 상태",
                " ✓ cp1     10.0.0.11 control-plane -            Ready",
                " ✓ cp2     10.0.0.12 control-plane -            NotReady",
                " ✓ cp3     10.0.0.13 control-plane -            연결 불가",
                " ✓ worker1 10.0.0.21 worker        -            Ready",
                " ✓ worker4 10.0.0.24 worker        -            조인 전",
                "   worker2 10.0.0.22 worker        -            제거 예정",
                "   worker3 10.0.0.23 worker        -            제거 예정",
                "   legacy1                                      관리 안 됨"), h.lines().subList(3, 12));
        assertEquals(" ! cp3에 연결할 수 없다: connect: connect timed out after 10s", h.row(22));
    }

    @Test
    void removeMarksAHostTheClusterHasLeavingAndDeletesOneThatNeverJoined() throws Exception {
        applied(state().resolve("ha-stacked"), preset("ha-stacked"));
        FakeEngine engine = new FakeEngine();
        Map<String, Boolean> nodes = new LinkedHashMap<>();
        for (String n : List.of("cp1", "cp2", "cp3", "worker1", "worker2")) nodes.put(n, true);
        engine.found = cluster(nodes, Map.of(), List.of("cp1", "cp2", "cp3", "worker1", "worker2"));
        Harness h = new Harness(80, 24, Harness.options(Locale.ENGLISH, tmp, tmp).withInstaller(engine));
        h.key(KeyType.ArrowDown, 3).key(KeyType.Enter);
        h.alt('n');
        h.wizard.state.hosts.add(worker("worker3", 23));
        h.alt('n').alt('n');
        h.pumpUntil(() -> h.shows("not joined"), "the read");
        // worker2 is a node: Remove marks it leaving, and it stays in the table
        h.key(KeyType.ArrowDown, 4).key(KeyType.Tab, 3).enter();
        h.assertShows("worker2 is in the cluster. Mark it leaving? The next Install drains it, runs kubeadm reset on it "
                + "and deletes its Node; until then it stays in the answers with remove: true.", 60);
        assertTrue(h.rowWith("Mark leaving").contains("<Mark leaving> <Cancel>"), h.text());
        h.enter();
        assertEquals(List.of(
                " ✓ cp1     10.0.0.11 control-plane -            Ready",
                " ✓ cp2     10.0.0.12 control-plane -            Ready",
                " ✓ cp3     10.0.0.13 control-plane -            Ready",
                " ✓ worker1 10.0.0.21 worker        -            Ready",
                " ✓ worker3 10.0.0.23 worker        -            not joined",
                "   worker2 10.0.0.22 worker        -            leaving"), h.lines().subList(4, 10));
        assertEquals(" ✓ worker2 is marked leaving: it leaves the cluster on the next Install.", h.row(22));
        assertEquals(List.of("worker2"), h.wizard.state.removed.stream().map(Host::name).toList());
        assertTrue(h.wizard.state.removed.get(0).remove());
        assertEquals(List.of("cp1", "cp2", "cp3", "worker1", "worker3"), h.wizard.state.build().spec().hosts().stream()
                .map(Host::name).toList());
        // worker3 never joined: Remove deletes it from the answers, as for a new cluster
        h.key(KeyType.ReverseTab, 3).key(KeyType.Tab, 3).enter();
        assertTrue(h.shows("Remove host worker3?"), h.text());
        h.enter();
        assertFalse(h.shows("worker3"), h.text());
        assertEquals(List.of("cp1", "cp2", "cp3", "worker1"), h.wizard.state.hosts.stream().map(Host::name).toList());
        // saved, worker2 is in the answers file with remove: true
        h.ctrl('s').enter();
        ClusterSpec saved = AnswersLoader.load(tmp.resolve("ha-stacked.yaml")).spec();
        assertEquals(List.of("cp1", "cp2", "cp3", "worker1"), saved.hosts().stream().map(Host::name).toList());
        assertEquals(List.of("worker2"), saved.removed().stream().map(Host::name).toList());
        assertTrue(Files.readString(tmp.resolve("ha-stacked.yaml")).contains("    ssh: {}\n    remove: true\n"));
        // Remove on a leaving host keeps it after all
        h.key(KeyType.ReverseTab, 3).key(KeyType.Tab, 3).enter();
        h.assertShows("worker2 is marked leaving. Keep it in the cluster?", 60);
        h.enter();
        assertEquals(" ✓ worker2 10.0.0.22 worker        -            Ready", h.row(8));
        assertEquals(" ✓ worker2 stays in the cluster.", h.row(22));
        assertEquals(List.of(), h.wizard.state.removed);
        assertFalse(h.wizard.state.hosts.get(4).remove());
    }

    @Test
    void leavingAndUnmanagedRowsAreNotEdited() throws Exception {
        FakeEngine engine = new FakeEngine();
        Harness h = installedHosts(engine, Locale.ENGLISH);
        h.pumpUntil(() -> h.shows("unmanaged"), "the read");
        h.key(KeyType.ArrowDown, 5).enter();
        assertFalse(h.shows("Edit host"), h.text());
        assertEquals(" ✗ worker2 is leaving: Remove keeps it, and then it can be edited.", h.row(22));
        h.key(KeyType.ArrowDown, 2).enter();
        h.assertShows("✗ Node legacy1 is in no answers file: kubewizard leaves it alone, and it is not edited here.");
        h.key(KeyType.Tab, 3).enter();
        assertFalse(h.shows("Remove host"), h.text());
        assertTrue(h.wizard.state.hosts.stream().noneMatch(x -> x.name().equals("legacy1")));
    }

    @Test
    void aNewClusterHasNoStateColumnAndRemoveDeletes() {
        FakeEngine engine = new FakeEngine();
        Harness h = new Harness(80, 24, Harness.options(Locale.ENGLISH, tmp, tmp).withInstaller(engine)
                .withInitial(preset("ha-stacked"), null));
        h.wizard.go(3);
        h.pump();
        assertEquals("   Name    Address   Roles         SSH override", h.row(3));
        assertEquals("  Test connection   needs the SSH transport, not wired in this build", h.rowWith("Test connection"));
        h.key(KeyType.F5);
        h.key(KeyType.Tab, 3).enter().enter();
        assertEquals(4, h.wizard.state.hosts.size());
        assertEquals(List.of(), h.wizard.state.removed);
        assertEquals(0, engine.reads.get(), "nothing to read of a cluster not installed");
    }

    // ---------------------------------------------------------------- Review and Install

    @Test
    void reviewShowsTheJoinsAndRemovalsAndInstallRunsThemInTheClustersRunDirectory() throws Exception {
        FakeEngine engine = new FakeEngine();
        Harness h = installedHosts(engine, Locale.ENGLISH);
        h.pumpUntil(() -> h.shows("unmanaged"), "the read");
        h.wizard.go(h.wizard.reviewIndex());
        h.pump();
        assertEquals(" kubewizard · 11/13 Review", h.row(0));
        assertEquals(" Show  Plan: 124 steps in 16 phases │▼", h.rowWith("Show"));
        assertEquals(List.of(
                " Joins: worker4",
                " Removals (drained, kubeadm reset, Node deleted): worker2, worker3",
                "",
                " connect: Connect to every host"), h.lines().subList(5, 9));
        h.alt('n');
        assertEquals("run", h.page());
        assertEquals(new RunDirectory(state().resolve("ha-stacked")), engine.installedIn);
        assertEquals(List.of("cp1", "cp2", "cp3", "worker1", "worker4"), engine.installed.hosts().stream()
                .map(Host::name).toList());
        assertEquals(List.of("worker2"), engine.installed.removed().stream().map(Host::name).toList(),
                "worker3 leaves as dropped from the answers, worker2 as marked remove: true");
    }
}
