package io.kubewizard.cli;

import io.kubewizard.testsupport.SystemDeps;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docs/troubleshooting.md quotes what kubewizard prints in {@code ```text} blocks, {@code <...>} for
 * what differs each time. Every literal piece of every quoted line must still be in a string of the
 * main code (adjacent literals joined by {@code +} count as one) or a value of the message bundles:
 * a message reworded in the code fails here until the page says it the new way.
 */
class TroubleshootingDocTest {
    private static final Path ROOT = SystemDeps.root();
    /** A placeholder, or a gap of two or more spaces between the columns of a table row. */
    private static final Pattern CUT = Pattern.compile("<[^>]*>| {2,}");
    private static final Pattern LITERAL_CHAIN = Pattern.compile("\"((?:[^\"\\\\\\n]|\\\\.)*)\"(?:\\s*\\+\\s*\"((?:[^\"\\\\\\n]|\\\\.)*)\")*");
    private static final Pattern ONE_LITERAL = Pattern.compile("\"((?:[^\"\\\\\\n]|\\\\.)*)\"");

    /** Every string the code and the bundles can print: literal chains unescaped, bundle values. */
    static List<String> corpus() throws IOException {
        List<String> texts = new ArrayList<>();
        try (Stream<Path> files = Files.walk(ROOT.resolve("src/main/java"))) {
            for (Path p : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                Matcher chain = LITERAL_CHAIN.matcher(Files.readString(p));
                while (chain.find()) {
                    StringBuilder joined = new StringBuilder();
                    Matcher one = ONE_LITERAL.matcher(chain.group());
                    while (one.find()) joined.append(one.group(1));
                    texts.add(joined.toString().replace("\\\"", "\"").replace("\\\\", "\\"));
                }
            }
        }
        try (Stream<Path> files = Files.list(ROOT.resolve("src/main/resources/i18n"))) {
            for (Path p : files.filter(f -> f.toString().endsWith(".properties")).toList()) {
                for (String line : Files.readAllLines(p, StandardCharsets.UTF_8)) {
                    int eq = line.indexOf('=');
                    if (!line.startsWith("#") && eq > 0) texts.add(line.substring(eq + 1));
                }
            }
        }
        return texts;
    }

    /** The lines of the page's ```text blocks. */
    static List<String> quoted(String page) {
        List<String> lines = new ArrayList<>();
        boolean in = false;
        for (String line : page.split("\n", -1)) {
            if (line.equals("```text")) in = true;
            else if (line.equals("```")) in = false;
            else if (in) lines.add(line);
        }
        return lines;
    }

    /** The pieces of a quoted line that must be found as they are: four characters or more, a leading ": " dropped. */
    static List<String> pieces(String line) {
        List<String> out = new ArrayList<>();
        for (String piece : CUT.split(line)) {
            // the ": " between two placeholders' values is the code's glue, not part of either message
            String p = piece.strip().replaceFirst("^: ", "").strip();
            if (p.length() >= 4) out.add(p);
        }
        return out;
    }

    private static boolean found(List<String> corpus, String piece) {
        return corpus.stream().anyMatch(t -> t.contains(piece));
    }

    @Test
    void everyQuotedMessageIsStillWhatKubewizardPrints() throws IOException {
        String page = Files.readString(ROOT.resolve("docs/troubleshooting.md"));
        List<String> corpus = corpus();
        List<String> lines = quoted(page);
        assertTrue(lines.size() >= 9, "the page quotes its messages in ```text blocks: " + lines);
        List<String> missing = new ArrayList<>();
        for (String line : lines) {
            for (String piece : pieces(line)) {
                if (!found(corpus, piece)) missing.add(piece + "    (in: " + line + ")");
            }
        }
        assertEquals(List.of(), missing, "quoted in docs/troubleshooting.md but printed by nothing");
    }

    @Test
    void theCheckFindsJoinedLiteralsAndMissesAWordChanged() throws IOException {
        List<String> corpus = corpus();
        // written as two literals joined by + across a line break in Connector
        assertTrue(found(corpus, "holds another; refused (if the host was reinstalled, remove that line and confirm the new key)"));
        assertTrue(found(corpus, "sudo password for"), "a bundle value");
        assertFalse(found(corpus, "holds another; refused (if the host was reinstalled, delete that line"));
        assertEquals(List.of("FAIL", "ports", "in use:"), pieces("FAIL  ports  in use: <ports>"));
    }

    @Test
    void thePageCoversEachFailureTheIssueNames() throws IOException {
        String page = Files.readString(ROOT.resolve("docs/troubleshooting.md"));
        for (String heading : List.of("## The host key changed", "## sudo needs a password", "## Swap is on",
                "## A port is in use", "## A PodDisruptionBudget blocks a drain", "## A package mirror is unreachable")) {
            assertTrue(page.contains("\n" + heading + "\n"), heading);
        }
    }
}
