package io.kubewizard.tui;

import com.googlecode.lanterna.TerminalTextUtils;
import io.kubewizard.answers.AnswersLoader;
import io.kubewizard.answers.AnswersWriter;
import io.kubewizard.answers.Spec.Cluster;
import io.kubewizard.answers.Spec.ClusterSpec;
import io.kubewizard.answers.Spec.Host;
import io.kubewizard.answers.Spec.Ssh;
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
            t.await("kubewizard · 1/13 Welcome");
            // "A preset", then single-node in the list (ha-external-etcd, ha-stacked, single-node)
            t.keys("Down", "Down", "Enter", "Tab", "Tab", "Enter", "Down", "Down", "Enter");
            t.await("single-node      │▼");
            t.keys("M-n");
            t.await("✓ Loaded preset single-node.");
            t.keys("End");
            for (int i = 0; i < "single".length(); i++) t.keys("BSpace");
            t.type("lab");
            t.await(" Cluster name           lab ");
            String[] pages = {"Topology", "Hosts", "Runtime", "Network", "Load balancer", "Security", "Advanced", "Sources",
                    "Review"};
            for (int i = 0; i < pages.length; i++) {
                t.keys("M-n");
                t.await("kubewizard · " + (i + 3) + "/13 " + pages[i]);
            }
            // The probe's steps (connect, facts, observe) and then the install's, as apply runs them.
            String review = t.await("✓ Ready: 1 host, 10 files, 30 steps.");
            assertTrue(review.contains(" Show  Plan: 30 steps in 11 phases "), review);
            assertTrue(review.contains("✓1 ✓2 ✓3 ✓4 ✓5 ✓6 ✓7 ✓8 ✓9 ✓10 ▶11 ·12 ·13"), review);
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
            t.await("kubewizard · 2/13 클러스터");
            String cluster = painted(t, " 이미지 레지스트리 ", KO_KEYS);
            int field = column(line(cluster, " 클러스터 이름 "), "ha-stacked");
            assertEquals(field, column(line(cluster, " 이미지 레지스트리 "), "registry.k8s.io"), cluster);
            t.keys("M-n");
            t.await("kubewizard · 3/13 토폴로지");
            t.keys("M-n");
            t.await("kubewizard · 4/13 호스트");
            String hosts = painted(t, " worker2 ", KO_KEYS);
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
            assertTrue(hosts.contains(" < 추가 > < 편집 > < 제거 > <SSH 기본값> <~/.ssh/config 가져오기>"), hosts);
            assertTrue(hosts.contains(" < 이전 > < 다음 > "), hosts);
            assertTrue(hosts.contains("✓ 프리셋 ha-stacked을(를) 불러왔다."), hosts);
            t.keys("F1");
            t.await("도움말: 호스트");
            t.keys("Enter", "Escape");
            t.await("exit=0");
        }
    }

    @Test
    void reflowsWhenTheTerminalIsResized() throws Exception {
        try (Tmux t = new Tmux()) {
            t.start(work, java() + " -jar " + Tmux.jar() + " wizard -f single-node");
            t.await("✓ Loaded preset single-node.");
            t.resize(80, 24);
            String small = t.await(s -> s.split("\n").length >= 24
                    && s.split("\n")[23].endsWith("F1 help · Ctrl-S save · Esc quit"),
                    "the footer on row 24", java.time.Duration.ofSeconds(10));
            assertTrue(small.contains("host[:port]: empty for one control plane; with several, the load-balanced\n"),
                    "notes wrap at 80 columns:\n" + small);
            t.resize(120, 40);
            String large = t.await(s -> s.split("\n").length >= 40
                    && s.split("\n")[39].endsWith("F1 help · Ctrl-S save · Esc quit"), "the footer on row 40",
                    java.time.Duration.ofSeconds(10));
            assertTrue(large.contains("host[:port]: empty for one control plane; with several, the load-balanced "
                    + "address (e.g. api.example.com:6443).\n"), "and unwrap at 120:\n" + large);
            t.keys("Escape");
            t.await("exit=0");
        }
    }

    /**
     * Welcome's fourth start in the real program: the clusters of ./.kubewizard (the default --state)
     * listed by name, one opened, and its Hosts page reading the cluster over SSH. The one host
     * listens on no SSH port (127.0.0.1:1), so the read ends at once: unreachable, the reason below.
     */
    @Test
    void opensAnInstalledClusterFromTheStateDirectoryAndReadsItsHosts() throws Exception {
        ClusterSpec single = named(preset("single-node"), "lab");
        Host node = single.hosts().get(0);
        Host local = new Host(node.name(), "127.0.0.1", "127.0.0.1", node.roles(), node.zone(), node.labels(),
                node.taints(), new Ssh(null, 1, null, null, null, null, null));
        ClusterSpec applied = new ClusterSpec(single.cluster(), single.network(), single.runtime(), single.pki(),
                single.security(), single.components(), single.ssh(), List.of(local));
        Files.createDirectories(work.resolve(".kubewizard/lab"));
        Files.writeString(work.resolve(".kubewizard/lab/applied.yaml"), AnswersWriter.toYaml(applied));
        Files.createDirectories(work.resolve(".kubewizard/gone"));
        try (Tmux t = new Tmux()) {
            t.start(work, java() + " -jar " + Tmux.jar());
            t.await("kubewizard · 1/13 Welcome");
            t.await(" Installed    lab │▼ ");
            t.keys("Down", "Down", "Down", "Enter");
            t.await("(*) An installed cluster");
            t.keys("M-n");
            t.await("✓ Loaded the installed cluster lab (" + work.resolve(".kubewizard/lab") + ").");
            t.keys("M-n");
            t.await("kubewizard · 3/13 Topology");
            t.keys("M-n");
            String hosts = t.awaitSteady(s -> s.contains("kubewizard · 4/13 Hosts") && s.contains("Cannot reach node1"),
                    "the read of the cluster", java.time.Duration.ofSeconds(60));
            assertEquals("   Name  Address   Roles                SSH override State",
                    line(hosts, "   Name ").stripTrailing());
            assertEquals(" ✓ node1 127.0.0.1 control-plane,worker :1           unreachable",
                    line(hosts, " node1 ").stripTrailing());
            assertTrue(line(hosts, "Cannot reach node1").startsWith(" ! Cannot reach node1: connect: "), hosts);
            assertTrue(hosts.contains("<Refresh (F5)>"), hosts);
            t.keys("Escape");
            t.await("exit=0");
        }
        assertEquals(AnswersWriter.toYaml(applied), Files.readString(work.resolve(".kubewizard/lab/applied.yaml")),
                "reading the cluster leaves its record as it was");
    }

    private static final String KO_KEYS = "F1 도움말 · Ctrl-S 저장 · Esc 종료";

    /**
     * Waits for {@code text} and the footer's keys: Lanterna paints a frame top to bottom, so with the
     * last row on the screen every row above it is complete.
     */
    private static String painted(Tmux t, String text, String footer) {
        return t.awaitSteady(s -> s.contains(text) && s.contains(footer), "'" + text + "' on a painted page",
                java.time.Duration.ofSeconds(30));
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
