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

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The screens in docs/screens that change whenever the plan does (the Review page's plan and a host's
 * files), captured from the real program in tmux at 80×24 and compared with the files there: a
 * screen that no longer matches what the wizard paints fails this test. After an intended change,
 * write them again with {@code -Dscreens.update=true} and read the diff:
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

    /** Writes the screen under {@code -Dscreens.update=true}; otherwise it must be the one in docs/screens. */
    static void check(String name, String screen) throws IOException {
        Path file = SCREENS.resolve(name);
        String captured = normalized(screen);
        if (UPDATE) {
            Files.writeString(file, captured, StandardCharsets.UTF_8);
            return;
        }
        assertTrue(Files.isRegularFile(file), "no " + file + ": capture it with -Dscreens.update=true");
        assertEquals(normalized(Files.readString(file, StandardCharsets.UTF_8)), captured, "docs/screens/" + name
                + " is not what the wizard paints now; regenerate it with -Dscreens.update=true (see this test's comment)");
    }

    @Test
    void theReviewScreensAreWhatTheWizardPaints() throws Exception {
        try (Tmux t = new Tmux()) {
            t.start(work, java() + " -jar " + Tmux.jar() + " wizard -f ha-stacked", 80, 24);
            t.await("kubewizard · 2/12 Cluster");
            String[] pages = {"Topology", "Hosts", "Runtime", "Network", "Load balancer", "Security", "Advanced", "Review"};
            for (int i = 0; i < pages.length; i++) {
                t.keys("M-n");
                t.await("kubewizard · " + (i + 3) + "/12 " + pages[i]);
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
