package io.kubewizard.tui;

import com.googlecode.lanterna.TextColor;
import com.googlecode.lanterna.graphics.Theme;
import com.googlecode.lanterna.gui2.Button;
import com.googlecode.lanterna.gui2.TextBox;
import io.kubewizard.answers.Problem;
import io.kubewizard.cli.Main;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.text.MessageFormat;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The small parts: ssh_config import, form parsing, the log ring, themes, bundles, the command line. */
class SupportTest {

    @Test
    void sshConfigResolvesEachHostAsOpenSshWould() {
        List<SshConfig.Entry> entries = SshConfig.parse("""
                # global first: the first value obtained wins
                Port 2200
                Host web1 web2 !web3
                  HostName 192.0.2.10
                  User "deploy"
                Host web*
                  User ignored
                  Port 22
                Host db
                  hostname=db.internal
                Match host db
                  User matched
                Host *
                  User fallback
                """);
        assertEquals(List.of(
                new SshConfig.Entry("web1", "192.0.2.10", "deploy", 2200),
                new SshConfig.Entry("web2", "192.0.2.10", "deploy", 2200),
                new SshConfig.Entry("db", "db.internal", "fallback", 2200)), entries);
        assertEquals("db.internal", entries.get(2).address());
        assertEquals("plain", new SshConfig.Entry("plain", null, null, null).address());
        assertTrue(SshConfig.glob("w?b*", "WEB-01"));
        assertTrue(!SshConfig.matches(List.of("web*", "!web3"), "web3"));
    }

    @Test
    void formLinesAndYamlSayWhereTheyAreWrong() {
        List<Problem> problems = new ArrayList<>();
        Map<String, String> args = FormState.pairs("components.apiServer.extraArgs",
                "audit-log-maxage=30\n\n# a comment\nnovalue\nv=2\nv=3\n", problems);
        assertEquals(new LinkedHashMap<>(Map.of("audit-log-maxage", "30", "v", "3")), new LinkedHashMap<>(args));
        assertEquals(List.of("components.apiServer.extraArgs: line 4: 'novalue' is not name=value",
                "components.apiServer.extraArgs.v: line 6: v is set twice"), lines(problems));
        assertEquals(List.of("components.apiServer.extraArgs: 4번째 줄: 'novalue'은(는) name=value가 아니다",
                "components.apiServer.extraArgs.v: 6번째 줄: v이(가) 두 번 설정되었다"),
                lines(Messages.of(Locale.KOREAN).problems(problems)), "the wizard shows its own checks in Korean too");
        problems.clear();
        assertEquals(Map.of(), FormState.mapping("components.kubelet", "- a list", problems));
        assertEquals(List.of("components.kubelet: not a YAML mapping of names to values, such as maxPods: 200"),
                lines(problems));
        problems.clear();
        assertEquals(Map.of("maxPods", 200), FormState.mapping("components.kubelet", "maxPods: 200\n", problems));
        assertEquals(List.of(), problems);
        assertEquals(8443, FormState.number("p", " 8443 ", 1, problems));
        assertEquals(6443, FormState.number("p", "70000", 6443, problems));
        assertEquals(List.of("p: '70000' is not a port: a whole number from 1 to 65535"), lines(problems));
        assertEquals(List.of("p: '70000'은(는) 포트가 아니다: 1부터 65535까지의 정수를 쓴다"),
                lines(Messages.of(Locale.KOREAN).problems(problems)));
        assertEquals(List.of("a", "b", "c"), FormState.list(" a, b c,,"));
    }

    private static List<String> lines(List<Problem> problems) {
        return problems.stream().map(Problem::toString).toList();
    }

    @Test
    void theLogRingKeepsTheNewestLines() {
        LogBuffer b = new LogBuffer(3);
        for (int i = 1; i <= 5; i++) b.append("l" + i);
        assertEquals(List.of("l3", "l4", "l5"), List.of(b.get(0), b.get(1), b.get(2)));
        assertEquals(5, b.total());
        assertThrows(IndexOutOfBoundsException.class, () -> b.get(3));
        assertEquals("a    b?[31mred?[0m", RunModel.printable("a\tb\u001b[31mred\u001b[0m"));
    }

    @Test
    void everyShippedThemeLoadsAndIsDistinct() throws IOException {
        assertEquals(List.of("dark", "high-contrast", "light", "monochrome"), Themes.names(Harness.themes()));
        List<TextColor> backgrounds = new ArrayList<>();
        for (String name : Themes.names(Harness.themes())) {
            Theme t = Themes.load(Harness.themes(), name);
            backgrounds.add(t.getDefinition(TextBox.class).getNormal().getBackground());
            assertTrue(t.getDefinition(Button.class).getActive().getSGRs().contains(com.googlecode.lanterna.SGR.BOLD)
                    || name.equals("monochrome"), name);
        }
        assertEquals(List.of(TextColor.ANSI.BLACK_BRIGHT, TextColor.ANSI.BLACK, TextColor.ANSI.CYAN,
                TextColor.ANSI.DEFAULT), backgrounds);
        Theme mono = Themes.load(Harness.themes(), "monochrome");
        assertTrue(mono.getDefinition(TextBox.class).getActive().getSGRs().contains(com.googlecode.lanterna.SGR.REVERSE),
                "without colour, the focused field is in reverse video");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Themes.load(Harness.themes(), "neon"));
        assertEquals("no theme 'neon' (themes: dark, high-contrast, light, monochrome)", e.getMessage());
        assertEquals("monochrome", Themes.choose(null, true));
        assertEquals("light", Themes.choose("light", true), "a theme asked for by name beats NO_COLOR");
        assertEquals("dark", Themes.choose(null, false));
    }

    @Test
    void theThemesAreBuiltInAndADirectoryAddsToThemWithoutShadowing(@org.junit.jupiter.api.io.TempDir Path dir)
            throws IOException {
        assertEquals(List.of("dark", "high-contrast", "light", "monochrome"), Themes.names(null));
        assertEquals(Themes.load(Harness.themes(), "dark").getDefinition(TextBox.class).getNormal().getBackground(),
                Themes.load(null, "dark").getDefinition(TextBox.class).getNormal().getBackground());
        java.nio.file.Files.writeString(dir.resolve("mine.properties"),
                java.nio.file.Files.readString(Harness.themes().resolve("light.properties")));
        java.nio.file.Files.writeString(dir.resolve("dark.properties"), "# another dark\n");
        assertEquals(List.of("dark", "high-contrast", "light", "mine", "monochrome"), Themes.names(dir));
        Themes.load(dir, "mine");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Themes.load(dir, "dark"));
        assertEquals("theme 'dark' is both built-in themes/dark.properties and " + dir.resolve("dark.properties")
                + ", and they differ: rename " + dir.resolve("dark.properties"), e.getMessage());
    }

    @Test
    void bothLanguagesHaveEveryMessageWithTheSameArguments() throws IOException {
        Properties en = bundle("messages.properties");
        Properties ko = bundle("messages_ko.properties");
        assertEquals(new TreeSet<>(en.stringPropertyNames()), new TreeSet<>(ko.stringPropertyNames()));
        for (String key : en.stringPropertyNames()) {
            assertEquals(new MessageFormat(en.getProperty(key)).getFormatsByArgumentIndex().length,
                    new MessageFormat(ko.getProperty(key)).getFormatsByArgumentIndex().length, key);
        }
        assertEquals("Imported 1 host from f.", Messages.of(Locale.ENGLISH).get("page.hosts.imported", 1, "f"));
        assertEquals("Imported 3 hosts from f.", Messages.of(Locale.ENGLISH).get("page.hosts.imported", 3, "f"));
        assertEquals("f에서 호스트 3개를 가져왔다.", Messages.of(Locale.KOREAN).get("page.hosts.imported", 3, "f"));
        assertEquals("Next", Messages.of(Locale.FRENCH).get("button.next"), "a language without a bundle gets English");
    }

    private static Properties bundle(String name) throws IOException {
        Properties p = new Properties();
        try (InputStream in = SupportTest.class.getResourceAsStream("/i18n/" + name)) {
            p.load(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
        }
        return p;
    }

    @Test
    void theLanguageComesFromLangOrTheEnvironment() {
        assertEquals(Locale.KOREAN, Messages.parseLocale("ko"));
        assertEquals(Locale.forLanguageTag("ko-KR"), Messages.parseLocale("ko_KR.UTF-8"));
        assertEquals(Locale.ENGLISH, Messages.parseLocale("C"));
        assertEquals(Locale.forLanguageTag("ko-KR"), Messages.fromEnvironment(Map.of("LANG", "en_US.UTF-8",
                "LC_ALL", "ko_KR.UTF-8")));
        assertEquals(Locale.forLanguageTag("en-US"), Messages.fromEnvironment(Map.of("LANG", "en_US.UTF-8")));
        assertEquals(Locale.ENGLISH, Messages.fromEnvironment(Map.of()));
        assertEquals("다음", Messages.of(Messages.parseLocale("ko_KR.UTF-8")).get("button.next"));
    }

    @Test
    void withoutATerminalTheWizardCommandRefusesAndTheBareCommandPrintsUsage() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = new Main().execute(new String[] {"wizard", "-f", "single-node"}, new PrintStream(out),
                new PrintStream(err));
        assertEquals(2, code);
        assertEquals("", out.toString(StandardCharsets.UTF_8));
        assertEquals("error: the wizard needs a terminal (standard input and output); in scripts use validate, "
                + "render or plan\n", err.toString(StandardCharsets.UTF_8));
        out.reset();
        assertEquals(0, new Main().execute(new String[] {"--lang", "ko"}, new PrintStream(out), new PrintStream(err)));
        assertTrue(out.toString(StandardCharsets.UTF_8).startsWith(
                "Usage: kubewizard [-hV] [--verbose] [--lang=LANG] [--presets=DIR]\n"
                + "                  [--theme=NAME] [COMMAND]\n"));
        out.reset();
        assertEquals(0, new Main().execute(new String[] {"help", "wizard"}, new PrintStream(out), new PrintStream(err)));
        assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("""
                Usage: kubewizard wizard [--accept-new-host-keys] [--verbose] [-f=FILE|PRESET]
                                         [--lang=LANG] [--presets=DIR] [--state=DIR]
                                         [--theme=NAME]
                Open the full-screen wizard, pre-filled from an answers file or preset.
                      --accept-new-host-keys
                                           Record host keys not yet in known_hosts without
                                             asking (Install and Test connection); without it
                                             the wizard asks in a dialog showing the key's
                                             SHA256 fingerprint. A changed key is refused
                                             regardless.
                """), out.toString());
    }
}
