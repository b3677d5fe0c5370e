package io.kubewizard.tui;

import io.kubewizard.testsupport.SystemDeps;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every screen in docs/screens, captured from the real program in tmux at 80×24 and compared with
 * the file there: a screen that no longer matches what the wizard paints fails this test, and a file
 * in docs/screens that no test captures fails it too. The Run and Finish screens come from the real
 * wizard with a scripted engine ({@link ScreensMain}); their elapsed clock is the one part compared
 * as a pattern. After an intended change, write them again with {@code -Dscreens.update=true} and
 * read the diff:
 *
 * <pre>mvn -B verify -Psystem -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=ScreensTmuxSystemTest -Dscreens.update=true</pre>
 */
@Tag("system")
class ScreensTmuxSystemTest {
    static final Path SCREENS = SystemDeps.root().resolve("docs/screens");
    static final boolean UPDATE = Boolean.getBoolean("screens.update");

    @TempDir Path work;

    private static String java() { return SystemDeps.require("java", "openjdk-17-jre-headless").toString(); }

    /** A capture as the files keep it: capture-pane's lines without trailing blanks, one newline at the end. */
    static String normalized(String screen) {
        StringBuilder sb = new StringBuilder();
        for (String line : screen.split("\n", -1)) sb.append(line.stripTrailing()).append('\n');
        return sb.toString().replaceAll("\n+$", "\n");
    }

    /** The screens this class captures, in the order of docs/screens' names. */
    static final List<String> CAPTURED = List.of("01-welcome.txt", "02-cluster.txt", "03-topology.txt", "04-hosts.txt",
            "05-cluster-refused.txt", "06-network-overlap.txt", "07-review-plan.txt", "08-review-files.txt", "09-run.txt",
            "10-run-finished.txt", "11-finish.txt", "12-ko-cluster.txt", "13-ko-hosts.txt", "14-ko-host-dialog.txt",
            "15-ko-network-overlap.txt", "16-sources.txt");

    /** The Run page's clock: the one part of a screen that differs between two captures. */
    private static final Pattern ELAPSED = Pattern.compile("Elapsed \\d\\d:\\d\\d:\\d\\d");

    /** Writes the screen under {@code -Dscreens.update=true}; otherwise it must be the one in docs/screens. */
    static void check(String name, String screen) throws IOException {
        assertTrue(CAPTURED.contains(name), name + " is not listed in CAPTURED");
        Path file = SCREENS.resolve(name);
        String captured = normalized(screen);
        if (UPDATE) {
            Files.writeString(file, captured, StandardCharsets.UTF_8);
            return;
        }
        assertTrue(Files.isRegularFile(file), "no " + file + ": capture it with -Dscreens.update=true");
        assertEquals(comparable(normalized(Files.readString(file, StandardCharsets.UTF_8))), comparable(captured),
                "docs/screens/" + name + " is not what the wizard paints now; regenerate it with -Dscreens.update=true "
                + "(see this test's comment)");
    }

    private static String comparable(String screen) {
        return ELAPSED.matcher(screen).replaceAll("Elapsed hh:mm:ss");
    }

    @Test
    void everyFileInDocsScreensIsOneThisTestCaptures() throws IOException {
        try (Stream<Path> files = Files.list(SCREENS)) {
            assertEquals(CAPTURED, files.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }

    /** Welcome as the bare command opens it, then a preset chosen there and its first pages. */
    @Test
    void welcomeAndThePagesAfterAPresetAreWhatTheWizardPaints() throws Exception {
        // Welcome names the state directory (./.kubewizard) by its absolute path, and wraps around it:
        // a directory of the same name on every run.
        Path fixed = Path.of("/tmp/kubewizard-screens");
        if (Files.exists(fixed)) {
            try (Stream<Path> old = Files.walk(fixed)) {
                for (Path p : old.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(p);
            }
        }
        Files.createDirectories(fixed);
        try (Tmux t = new Tmux()) {
            t.start(fixed, java() + " -jar " + Tmux.jar(), 80, 24);
            check("01-welcome.txt", t.awaitSteady(s -> s.contains("kubewizard · 1/13 Welcome") && s.contains("< Next >"),
                    "Welcome", Duration.ofSeconds(30)));
            // "A preset", then ha-stacked in the list (ha-external-etcd, ha-stacked, single-node)
            t.keys("Down", "Down", "Enter", "Tab", "Tab", "Enter", "Down", "Enter");
            t.await(s -> s.lines().anyMatch(l -> l.startsWith(" Preset ") && l.contains(" ha-stacked ")), "ha-stacked chosen",
                    Duration.ofSeconds(30));
            t.keys("M-n");
            check("02-cluster.txt", t.awaitSteady(s -> s.contains("✓ Loaded preset ha-stacked.")
                    && s.contains(" Image registry "), "Cluster", Duration.ofSeconds(30)));
            t.keys("M-n");
            check("03-topology.txt", t.awaitSteady(s -> s.contains("kubewizard · 3/13 Topology")
                    && s.contains("Your hosts now: "), "Topology", Duration.ofSeconds(30)));
            t.keys("M-n");
            check("04-hosts.txt", t.awaitSteady(s -> s.contains("kubewizard · 4/13 Hosts") && s.contains(" worker2 "),
                    "Hosts", Duration.ofSeconds(30)));
            t.keys("Escape");
            t.await("exit=0");
        }
    }

    /** A name the Cluster page refuses, and a service subnet overlapping the pod subnet typed on Network. */
    @Test
    void refusalsAreWhatTheWizardPaints() throws Exception {
        try (Tmux t = new Tmux()) {
            t.start(work, java() + " -jar " + Tmux.jar() + " wizard -f ha-stacked", 80, 24);
            t.await("kubewizard · 2/13 Cluster");
            t.keys("End");
            for (int i = 0; i < "ha-stacked".length(); i++) t.keys("BSpace");
            t.type("Prod");
            t.keys("M-n");
            check("05-cluster-refused.txt", t.awaitSteady(s -> s.contains("✗ Next is refused"), "the refusal",
                    Duration.ofSeconds(30)));
            for (int i = 0; i < "Prod".length(); i++) t.keys("BSpace");
            t.type("ha-stacked");
            t.await(" Cluster name           ha-stacked ");
            networkOverlap(t, "6/13 Network", " Pod subnet ");
            check("06-network-overlap.txt", t.awaitSteady(s -> s.contains("overlaps the pod subnet 10.96.0.0/16"),
                    "the overlap", Duration.ofSeconds(30)));
            quitWithoutSaving(t);
        }
    }

    /** From Cluster to Network, then the pod subnet typed over with the service subnet's start. */
    private static void networkOverlap(Tmux t, String title, String podSubnet) {
        for (int i = 0; i < 4; i++) t.keys("M-n");
        t.await("kubewizard · " + title);
        // the CNI choice has focus; the version, then the pod subnet
        t.keys("Tab", "Tab", "End");
        String screen = t.await(podSubnet);
        String current = line(screen, podSubnet).substring(podSubnet.length()).strip().split(" ")[0];
        for (int i = 0; i < current.length(); i++) t.keys("BSpace");
        t.type("10.96.0.0/16");
    }

    /** Esc on changed answers asks first: Save and quit, Quit without saving, Cancel. */
    private static void quitWithoutSaving(Tmux t) {
        t.keys("Escape");
        t.await(s -> s.contains("┌"), "the question before quitting", Duration.ofSeconds(30));
        t.keys("Right", "Enter");
        t.await("exit=0");
    }

    static String line(String screen, String containing) {
        return screen.lines().filter(l -> l.contains(containing)).findFirst()
                .orElseThrow(() -> new AssertionError("no line with '" + containing + "':\n" + screen));
    }

    /** The Korean pages: Cluster, Hosts, the Add host dialog, the overlap on Network. */
    @Test
    void koreanScreensAreWhatTheWizardPaints() throws Exception {
        try (Tmux t = new Tmux()) {
            t.start(work, java() + " -jar " + Tmux.jar() + " wizard -f ha-stacked --lang ko", 80, 24);
            check("12-ko-cluster.txt", t.awaitSteady(s -> s.contains("kubewizard · 2/13 클러스터")
                    && s.contains(" 이미지 레지스트리 "), "클러스터", Duration.ofSeconds(30)));
            t.keys("M-n", "M-n");
            check("13-ko-hosts.txt", t.awaitSteady(s -> s.contains("kubewizard · 4/13 호스트") && s.contains(" worker2 "),
                    "호스트", Duration.ofSeconds(30)));
            // the table has focus; Tab to < 추가 >
            t.keys("Tab", "Enter");
            check("14-ko-host-dialog.txt", t.awaitSteady(s -> s.contains("호스트 추가") && s.contains("< 취소 >"),
                    "호스트 추가", Duration.ofSeconds(30)));
            t.keys("Escape");
            t.await(s -> !s.contains("호스트 추가"), "the dialog closed", Duration.ofSeconds(30));
            t.keys("M-b", "M-b");
            t.await("kubewizard · 2/13 클러스터");
            networkOverlap(t, "6/13 네트워크", " 파드 서브넷 ");
            check("15-ko-network-overlap.txt", t.awaitSteady(s -> s.contains("파드 서브넷 10.96.0.0/16과(와) 겹친다"),
                    "겹친다", Duration.ofSeconds(30)));
            quitWithoutSaving(t);
        }
    }

    /** The Sources page with a registry mirror typed in. */
    @Test
    void theSourcesPageIsWhatTheWizardPaints() throws Exception {
        try (Tmux t = new Tmux()) {
            t.start(work, java() + " -jar " + Tmux.jar() + " wizard -f ha-stacked", 80, 24);
            t.await("kubewizard · 2/13 Cluster");
            for (int i = 3; i <= 10; i++) {
                t.keys("M-n");
                t.await("kubewizard · " + i + "/13 ");
            }
            t.await("kubewizard · 10/13 Sources");
            for (String line : List.of("registries:", "  docker.io:", "    endpoints: [https://harbor.example]")) {
                if (!line.startsWith("registries")) t.keys("Enter");
                t.type(line);
            }
            check("16-sources.txt", t.awaitSteady(s -> s.contains("endpoints: [https://harbor.example]") && s.contains("✓"),
                    "the typed mirror", Duration.ofSeconds(30)));
            quitWithoutSaving(t);
        }
    }

    /** Install on Review with a scripted engine: the run in progress, finished, and Finish. */
    @Test
    void theRunAndFinishScreensAreWhatTheWizardPaints() throws Exception {
        Path go = work.resolve("go");
        try (Tmux t = new Tmux()) {
            t.start(work, java() + " -cp " + System.getProperty("java.class.path") + " " + ScreensMain.class.getName()
                    + " " + SystemDeps.root() + " " + go, 80, 24);
            t.await("kubewizard · 2/13 Cluster");
            for (int i = 3; i <= 11; i++) {
                t.keys("M-n");
                t.await("kubewizard · " + i + "/13 ");
            }
            t.await("< Back > <Install>");
            t.keys("M-n");
            int last = ScreensMain.LINES - 5;
            check("09-run.txt", t.awaitSteady(s -> s.contains("Unpacking package " + last + " of ") && s.contains("▶ running"),
                    "the run", Duration.ofSeconds(30)));
            Files.createFile(go);
            check("10-run-finished.txt", t.awaitSteady(s -> s.contains("✓ finished"), "the end of the run",
                    Duration.ofSeconds(30)));
            t.keys("M-n");
            check("11-finish.txt", t.awaitSteady(s -> s.contains("kubewizard · 13/13 Finish") && s.contains("Next steps"),
                    "Finish", Duration.ofSeconds(30)));
            t.keys("Escape");
            t.await("exit=0");
        }
    }

    @Test
    void theReviewScreensAreWhatTheWizardPaints() throws Exception {
        try (Tmux t = new Tmux()) {
            t.start(work, java() + " -jar " + Tmux.jar() + " wizard -f ha-stacked", 80, 24);
            t.await("kubewizard · 2/13 Cluster");
            String[] pages = {"Topology", "Hosts", "Runtime", "Network", "Load balancer", "Security", "Advanced", "Sources", "Review"};
            for (int i = 0; i < pages.length; i++) {
                t.keys("M-n");
                t.await("kubewizard · " + (i + 3) + "/13 " + pages[i]);
            }
            String plan = t.awaitSteady(s -> s.contains("✓ Ready: 5 hosts, 47 files, ") && s.contains("more lines below"),
                    "the plan", Duration.ofSeconds(30));
            check("07-review-plan.txt", plan);
            // the Show list has focus: open it, the plan is first, then cp1, cp2, cp3
            t.keys("Enter");
            t.await("│cp3: 10 files ");
            t.keys("Down", "Down", "Down", "Enter");
            String files = t.awaitSteady(s -> s.contains(" Show  cp3: 10 files ") && s.contains("more lines below"),
                    "cp3's files", Duration.ofSeconds(30));
            assertTrue(files.contains("<Install>"), "Install is wired:\n" + files);
            check("08-review-files.txt", files);
            t.keys("Escape");
            t.await("exit=0");
        }
    }
}
