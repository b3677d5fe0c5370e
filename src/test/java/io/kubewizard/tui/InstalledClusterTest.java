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
 * directory) and opens the answers last applied.
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
        assertEquals(" Directory    ┌─────────────┐                              ✓", h.row(14));
        assertTrue(h.row(15).startsWith(" Installed: th│ha-stacked   │"), h.text());
        assertTrue(h.row(16).startsWith(" holding an ap│lab          │"), h.text());
        assertEquals(" elsewhere.   └─────────────┘", h.row(17), "only the directories with an applied.yaml");
        h.key(KeyType.ArrowDown).key(KeyType.Enter);
        assertEquals(" Installed    lab        │▼ ✓", h.rowWith("Installed "));
        h.alt('n');
        assertEquals(" kubewizard · 2/12 Cluster", h.row(0));
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
        assertEquals(" kubewizard · 1/12 Welcome", h.row(0));
        h.assertShows("✗ (no installed clusters)");
        h.key(KeyType.Tab, 4).type("ops/state/none");
        h.alt('n');
        assertEquals(" kubewizard · 1/12 Welcome", h.row(0));
        h.assertShows("✗ " + tmp.resolve("ops/state/none") + " holds no applied.yaml: it is not the run directory of a "
                + "cluster kubewizard installed.");
        h.key(KeyType.Backspace, 4).type("prod");
        h.alt('n');
        assertEquals(" kubewizard · 2/12 Cluster", h.row(0));
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
}
