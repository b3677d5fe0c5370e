package io.kubewizard.tui;

import com.googlecode.lanterna.TerminalTextUtils;
import io.kubewizard.answers.AnswersLoader;
import io.kubewizard.answers.AnswersWriter;
import io.kubewizard.answers.Spec.Cluster;
import io.kubewizard.answers.Spec.ClusterSpec;
import io.kubewizard.testsupport.SystemDeps;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged jar in a real terminal (tmux), driven by keys as a person would: from Welcome through
 * the single-node preset and a typed change to Review, then Ctrl-S; and the Korean screens.
 */
@Tag("system")
class WizardTmuxSystemTest {
    @TempDir Path work;

    private static String java() { return SystemDeps.require("java", "openjdk-17-jre-headless").toString(); }

    @Test
    void walksFromWelcomeToReviewAndSavesWhatWasTyped() throws Exception {
        try (Tmux t = new Tmux()) {
            t.start(work, java() + " -jar " + Tmux.jar());
            t.await("kubewizard · 1/12 Welcome");
            // "A preset", then single-node in the list (ha-external-etcd, ha-stacked, single-node)
            t.keys("Down", "Down", "Enter", "Tab", "Tab", "Enter", "Down", "Down", "Enter");
            t.await("single-node      │▼");
            t.keys("M-n");
            t.await("✓ Loaded preset single-node.");
            t.keys("End");
            for (int i = 0; i < "single".length(); i++) t.keys("BSpace");
            t.type("lab");
            t.await(" Cluster name           lab ");
            String[] pages = {"Topology", "Hosts", "Runtime", "Network", "Load balancer", "Security", "Advanced",
                    "Review"};
            for (int i = 0; i < pages.length; i++) {
                t.keys("M-n");
                t.await("kubewizard · " + (i + 3) + "/12 " + pages[i]);
            }
            String review = t.await("✓ Ready: 1 host, 10 files, 18 steps.");
            assertTrue(review.contains("✓1 ✓2 ✓3 ✓4 ✓5 ✓6 ✓7 ✓8 ✓9 ▶10 ·11 ·12"), review);
            t.keys("C-s");
            t.await("Save the answers file to (Enter saves, Esc cancels):");
            t.await(work.resolve("lab.yaml").toString());
            t.keys("Enter");
            t.await("✓ Saved to " + work.resolve("lab.yaml") + ".");
            assertEquals(AnswersWriter.toYaml(named(preset("single-node"), "lab")),
                    Files.readString(work.resolve("lab.yaml")));
            t.keys("Escape");
            String after = t.await("exit=0");
            assertTrue(!after.contains("kubewizard · "), "the screen is given back:\n" + after);
        }
    }

    @Test
    void koreanScreensKeepTitlesAndTableColumnsAligned() throws Exception {
        try (Tmux t = new Tmux()) {
            t.start(work, java() + " -jar " + Tmux.jar() + " wizard -f ha-stacked --lang ko");
            t.await("kubewizard · 2/12 클러스터");
            String cluster = t.await(" 이미지 레지스트리 ");
            int field = column(line(cluster, " 클러스터 이름 "), "ha-stacked");
            assertEquals(field, column(line(cluster, " 이미지 레지스트리 "), "registry.k8s.io"), cluster);
            t.keys("M-n");
            t.await("kubewizard · 3/12 토폴로지");
            t.keys("M-n");
            t.await("kubewizard · 4/12 호스트");
            String hosts = t.await(" worker2 ");
            String header = line(hosts, "   이름 ");
            assertEquals("   이름    주소      역할          SSH 덮어쓰기", header.stripTrailing());
            for (String host : List.of("cp1", "cp3", "worker2")) {
                String row = line(hosts, " " + host + " ");
                String[] cells = row.strip().split(" +");
                int address = row.indexOf(cells[2]);
                int roles = row.indexOf(cells[3], address + cells[2].length());
                assertEquals(column(header, "이름"), column(row, host), row);
                assertEquals(column(header, "주소"), TerminalTextUtils.getColumnWidth(row.substring(0, address)), row);
                assertEquals(column(header, "역할"), TerminalTextUtils.getColumnWidth(row.substring(0, roles)), row);
            }
            t.keys("F1");
            t.await("도움말: 호스트");
            t.keys("Enter", "Escape");
            t.await("exit=0");
        }
    }

    private static String line(String screen, String containing) {
        for (String l : screen.split("\n")) if (l.contains(containing)) return l;
        throw new AssertionError("no line with '" + containing + "':\n" + screen);
    }

    /** The display column where {@code cell} starts: what a person sees, Hangul two columns wide. */
    private static int column(String row, String cell) {
        int i = row.indexOf(cell);
        assertTrue(i >= 0, cell + " in " + row);
        return TerminalTextUtils.getColumnWidth(row.substring(0, i));
    }

    private static ClusterSpec preset(String name) {
        return AnswersLoader.load(SystemDeps.root().resolve("presets").resolve(name + ".yaml")).spec();
    }

    private static ClusterSpec named(ClusterSpec s, String name) {
        Cluster c = s.cluster();
        return new ClusterSpec(new Cluster(name, c.kubernetesVersion(), c.topology(), c.controlPlaneEndpoint(),
                c.loadBalancer(), c.imageRepository(), c.featureGates()), s.network(), s.runtime(), s.pki(),
                s.security(), s.components(), s.ssh(), s.hosts());
    }
}
