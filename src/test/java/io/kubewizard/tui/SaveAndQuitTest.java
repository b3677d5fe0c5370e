package io.kubewizard.tui;

import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;
import io.kubewizard.answers.AnswersLoader;
import io.kubewizard.answers.AnswersWriter;
import io.kubewizard.answers.Spec.Cluster;
import io.kubewizard.answers.Spec.ClusterSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Ctrl-S on any page (asking for the path once), quitting that asks when answers are unsaved, and a whole walk. */
class SaveAndQuitTest {
    @TempDir Path tmp;

    private static ClusterSpec singleNode() {
        return AnswersLoader.load(Harness.presets().resolve("single-node.yaml")).spec();
    }

    private static ClusterSpec named(ClusterSpec s, String name) {
        Cluster c = s.cluster();
        return new ClusterSpec(new Cluster(name, c.kubernetesVersion(), c.topology(), c.controlPlaneEndpoint(),
                c.loadBalancer(), c.imageRepository(), c.featureGates()), s.network(), s.runtime(), s.pki(),
                s.security(), s.components(), s.ssh(), s.hosts());
    }

    private Harness alt(Harness h, char c) {
        h.terminal.addInput(new KeyStroke(c, false, true));
        h.pump();
        return h;
    }

    @Test
    void walksFromWelcomeToReviewWithThePresetAndSavesWhatWasTyped() throws IOException {
        Harness h = new Harness(80, 24, Harness.options(Locale.ENGLISH, tmp, tmp));
        // Welcome: "A preset", then single-node from the list (ha-external-etcd, ha-stacked, single-node)
        h.key(KeyType.ArrowDown, 2).key(KeyType.Enter).key(KeyType.Tab, 2).key(KeyType.Enter)
                .key(KeyType.ArrowDown, 2).key(KeyType.Enter);
        alt(h, 'n');
        assertEquals(" kubewizard · 2/13 Cluster", h.row(0));
        h.clear(6).type("lab");
        String[] titles = {"Topology", "Hosts", "Runtime", "Network", "Load balancer", "Security", "Advanced", "Sources", "Review"};
        for (int i = 0; i < titles.length; i++) {
            alt(h, 'n');
            assertEquals(" kubewizard · " + (i + 3) + "/13 " + titles[i], h.row(0), h.text());
        }
        assertEquals(" ✓1 ✓2 ✓3 ✓4 ✓5 ✓6 ✓7 ✓8 ✓9 ✓10 ▶11 ·12 ·13", h.row(1));
        assertEquals(" ✓ Ready: 1 host, 10 files, 30 steps.", h.row(3));
        h.ctrl('s');
        assertTrue(h.shows("Save the answers file to (Enter saves, Esc cancels):"), h.text());
        assertTrue(h.shows(tmp.resolve("lab.yaml").toString()), "the path offered is <cluster>.yaml here");
        h.key(KeyType.Enter);
        assertEquals(" ✓ Saved to " + tmp.resolve("lab.yaml") + ".", h.row(22));
        assertEquals(AnswersWriter.toYaml(named(singleNode(), "lab")), Files.readString(tmp.resolve("lab.yaml")));
        assertFalse(h.wizard.unsaved());
    }

    @Test
    void laterSavesGoToTheSamePathWithoutAsking() throws IOException {
        Harness h = new Harness(80, 24, Harness.options(Locale.ENGLISH, tmp, tmp).withInitial(singleNode(), null));
        h.ctrl('s').key(KeyType.End).key(KeyType.Backspace, "single.yaml".length()).type("answers/prod.yaml\n");
        Path saved = tmp.resolve("answers/prod.yaml");
        assertEquals(AnswersWriter.toYaml(singleNode()), Files.readString(saved));
        h.clear(6).type("prod");
        assertTrue(h.wizard.unsaved());
        h.key(KeyType.F2);
        assertFalse(h.shows("Save the answers file to"), "no second question");
        assertEquals(AnswersWriter.toYaml(named(singleNode(), "prod")), Files.readString(saved));
        assertEquals(" ✓ Saved to " + saved + ".", h.row(22));
    }

    @Test
    void aSaveThatFailsSaysWhyAndKeepsTheDialog() throws IOException {
        Files.writeString(tmp.resolve("file"), "");
        Harness h = new Harness(80, 24, Harness.options(Locale.ENGLISH, tmp, tmp).withInitial(singleNode(), null));
        h.ctrl('s').key(KeyType.End).key(KeyType.Backspace, "single.yaml".length()).type("file/x.yaml\n");
        assertTrue(h.flat().contains("✗ Cannot save " + tmp.resolve("file/x.yaml") + ":"), h.text());
        assertTrue(h.shows("Save answers"), "the dialog stays for another path");
        h.key(KeyType.Escape);
        assertFalse(h.shows("Save answers"), h.text());
        assertFalse(h.wizard.closed(), "Esc in the dialog closes only the dialog");
    }

    @Test
    void quittingWithUnsavedAnswersAsksFirst() {
        Harness h = new Harness(80, 24, Harness.options(Locale.ENGLISH, tmp, tmp).withInitial(singleNode(), null));
        h.clear(6).type("other");
        h.key(KeyType.Escape);
        h.assertShows("The answers have changed since they were last saved. Save them before quitting?", 60);
        assertTrue(h.shows("<Save and quit> <Quit without saving> <Cancel>"), h.text());
        h.key(KeyType.Tab, 2).key(KeyType.Enter);
        assertFalse(h.wizard.closed(), "Cancel stays");
        h.ctrl('c');
        h.assertShows("The answers have changed since they were last saved. Save them before quitting?", 60);
        h.key(KeyType.Tab).key(KeyType.Enter);
        assertTrue(h.wizard.closed());
    }

    @Test
    void quittingWithNothingUnsavedClosesAtOnce() {
        Harness h = new Harness(80, 24, Harness.options(Locale.ENGLISH, tmp, tmp).withInitial(singleNode(), null));
        h.key(KeyType.Escape);
        assertTrue(h.wizard.closed());
    }

    @Test
    void saveAndQuitSavesThenCloses() throws IOException {
        Harness h = new Harness(80, 24, Harness.options(Locale.ENGLISH, tmp, tmp).withInitial(singleNode(), null));
        h.clear(6).type("saved");
        h.key(KeyType.Escape).key(KeyType.Enter);
        assertFalse(h.wizard.closed(), "the path is asked first");
        h.key(KeyType.Enter);
        assertTrue(h.wizard.closed());
        assertEquals(AnswersWriter.toYaml(named(singleNode(), "saved")), Files.readString(tmp.resolve("saved.yaml")));
    }

    @Test
    void f1ExplainsThePage() {
        Harness h = new Harness(80, 24, Harness.options(Locale.ENGLISH, tmp, tmp).withInitial(singleNode(), null));
        h.key(KeyType.F1);
        assertTrue(h.shows("Help: Cluster"), h.text());
        assertTrue(h.flat().contains("The cluster name becomes kubeadm's clusterName"), h.text());
        h.key(KeyType.Enter);
        assertFalse(h.shows("Help: Cluster"), h.text());
    }
}
