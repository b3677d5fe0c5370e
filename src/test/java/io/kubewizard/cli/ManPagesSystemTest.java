package io.kubewizard.cli;

import io.kubewizard.testsupport.SystemDeps;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The man pages the build makes (pom.xml: picocli's ManPageGenerator, then asciidoctor): one per
 * command of the real command tree, named kubewizard-<command path>.1, each rendered by man(1)
 * with its NAME and every option the parser accepts.
 */
@Tag("system")
class ManPagesSystemTest {

    /** Every command of the tree by its page name, with its options' longest names. */
    private static Map<String, List<String>> commands() {
        Map<String, List<String>> pages = new TreeMap<>();
        collect(Main.commandLine(new PrintWriter(Writer.nullWriter()), new PrintWriter(Writer.nullWriter())), pages);
        return pages;
    }

    private static void collect(CommandLine cl, Map<String, List<String>> pages) {
        pages.put(cl.getCommandSpec().qualifiedName("-"),
                cl.getCommandSpec().options().stream().filter(o -> !o.hidden()).map(OptionSpec::longestName).toList());
        cl.getSubcommands().values().forEach(sub -> collect(sub, pages));
    }

    @Test
    void everyCommandHasAPageThatManRendersWithEveryOption() throws Exception {
        String man = SystemDeps.require("man", "man-db").toString();
        Path dir = SystemDeps.root().resolve("target/man");
        assertTrue(Files.isDirectory(dir), "the build makes " + dir + " where asciidoctor is installed "
                + "(Debian package asciidoctor; run .ci/deps, then mvn package)");
        Map<String, List<String>> commands = commands();
        List<String> pages;
        try (Stream<Path> files = Files.list(dir)) {
            pages = files.map(p -> p.getFileName().toString()).sorted().toList();
        }
        assertEquals(commands.keySet().stream().map(c -> c + ".1").sorted().toList(), pages);
        assertTrue(commands.containsKey("kubewizard-certs-renew") && commands.containsKey("kubewizard-completion"),
                commands.keySet().toString());
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, List<String>> command : commands.entrySet()) {
            SystemDeps.Result r = SystemDeps.run(Duration.ofSeconds(30), "env", "MANWIDTH=200", "LANG=C.UTF-8", man,
                    "--warnings", "-l", dir.resolve(command.getKey() + ".1").toString());
            assertEquals(0, r.exitCode(), command.getKey() + ": " + r.output());
            String text = r.output();
            if (!text.contains("\nNAME\n       " + command.getKey() + " - ")) {
                problems.add(command.getKey() + ": no NAME");
            } else {
                // NAME is a one-line summary (the command's header, else its description), as whatis and
                // apropos list it: one line even at MANWIDTH=200, and short enough for 80 columns.
                String name = text.substring(text.indexOf("\nNAME\n") + 6);
                name = name.substring(0, name.indexOf("\n\n"));
                if (name.contains("\n") || name.strip().length() > 80) problems.add(command.getKey() + ": NAME is not one short line: " + name.strip());
            }
            for (String option : command.getValue()) {
                // an option's entry: "       --name[=LABEL]" or "       -n, --name[=LABEL]", at the entries' indent
                boolean listed = text.lines().filter(l -> l.startsWith("       ") && !l.startsWith("        "))
                        .map(String::trim).anyMatch(l -> l.matches("(-\\w, )?" + Pattern.quote(option) + "([=\\[].*)?"));
                if (!listed) problems.add(command.getKey() + ": no " + option);
            }
            // groff's warnings (man --warnings) go to stderr: none
            SystemDeps.Result warnings = SystemDeps.run(Duration.ofSeconds(30), "sh", "-c",
                    "MANWIDTH=200 \"$0\" --warnings -l \"$1\" 2>&1 >/dev/null", man,
                    dir.resolve(command.getKey() + ".1").toString());
            if (!warnings.output().isEmpty()) problems.add(command.getKey() + ": " + warnings.output());
        }
        assertEquals(List.of(), problems);
        String apply = SystemDeps.run(Duration.ofSeconds(30), "env", "MANWIDTH=200", man, "-l",
                dir.resolve("kubewizard-apply.1").toString()).output();
        for (String option : List.of("--dry-run", "--resume", "--concurrency=N", "--events=FILE", "-f, --file=FILE|PRESET",
                "--accept-new-host-keys", "--yes", "--force-remove=NAME[,NAME...]")) {
            assertTrue(apply.contains("\n       " + option + "\n"), option + " in\n" + apply);
        }
    }
}
