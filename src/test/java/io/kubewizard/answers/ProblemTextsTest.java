package io.kubewizard.answers;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The rules' messages come from code and arguments: English exactly as before (the golden was made
 * by the Validator that wrote its messages inline), and a Korean text for every code.
 */
class ProblemTextsTest {
    private static final String SEPARATOR = "\n#----8<----\n";

    private static List<String> corpus() {
        String text = Fixtures.read(Fixtures.root().resolve("src/test/resources/answers/validator-corpus.txt"));
        List<String> out = new ArrayList<>(List.of(text.split(SEPARATOR, -1)));
        out.remove(out.size() - 1);
        out.add(manyNodes(5_001));
        return out;
    }

    /**
     * An answers file of {@code nodes} nodes (3 control planes, the rest workers), for the large-cluster
     * limits: made here rather than written into the corpus, where 5,001 hosts would take 250 KB.
     */
    static String manyNodes(int nodes) {
        StringBuilder sb = new StringBuilder(Fixtures.HA.substring(0, Fixtures.HA.indexOf("  - {name: w1,")));
        for (int i = 0; i < nodes - 3; i++) {
            sb.append("  - {name: n").append(i).append(", address: 10.1.").append(i / 250).append('.')
                    .append(i % 250 + 1).append(", roles: [worker]}\n");
        }
        return sb.toString();
    }

    private static List<List<Problem>> validated() {
        List<List<Problem>> out = new ArrayList<>();
        for (String answers : corpus()) {
            AnswersLoader.Result r = Fixtures.parse(answers);
            assertNotNull(r.spec(), answers);
            out.add(Validator.validate(r.spec()));
        }
        return out;
    }

    @Test
    void everyEnglishMessageIsWhatTheValidatorPrintedBeforeItHadCodes() {
        StringBuilder now = new StringBuilder();
        int n = 0;
        for (List<Problem> problems : validated()) {
            now.append("== ").append(++n).append('\n');
            for (Problem p : problems) now.append(Fixtures.line(p)).append('\n');
        }
        Path golden = Fixtures.root().resolve("src/test/resources/answers/validator-english.txt");
        if (Boolean.getBoolean("golden.update")) {
            try {
                java.nio.file.Files.writeString(golden, now.toString());
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        assertEquals(Fixtures.read(golden), now.toString());
        assertEquals(178, n);
    }

    @Test
    void everyCodeOfTheBundleIsReportedByARuleAndEveryProblemHasOne() {
        Set<String> reported = new LinkedHashSet<>();
        for (List<Problem> problems : validated()) {
            for (Problem p : problems) {
                assertNotNull(p.code(), p::toString);
                assertEquals(ProblemTexts.format(ProblemTexts.templates("").get(p.code()), p.args()), p.message());
                reported.add(p.code());
            }
        }
        Set<String> missing = new LinkedHashSet<>(ProblemTexts.templates("").keySet());
        missing.removeIf(code -> code.startsWith("loader."));
        missing.removeAll(reported);
        assertEquals(Set.of(), missing, "codes no answers file of the corpus reports");
    }

    /** An answers text for each thing the loader refuses, the loader.expected ones for every kind of wrong value. */
    private static List<String> brokenAnswers() {
        List<String> out = new ArrayList<>(List.of("", "a: \u0001\n", "a: [1, 2\n", Fixtures.HA + "---\na: 1\n",
                Fixtures.HA + "components:\n  kubelet:\n    a: &a [1]\n    b: [" + String.join(", ",
                        java.util.Collections.nCopies(21, "*a")) + "]\n",
                Fixtures.HA + "components:\n  kubelet:\n    a: " + "[".repeat(60) + "]".repeat(60) + "\n",
                Fixtures.HA + "components:\n  kubelet: &k {nested: *k}\n",
                Fixtures.HA + "components:\n  kubelet:\n    a: &a [" + String.join(", ",
                        java.util.Collections.nCopies(1000, "x")) + "]\n    b: [" + String.join(", ",
                        java.util.Collections.nCopies(19, "*a")) + "]\n",
                Fixtures.edit(Fixtures.HA, "apiVersion: kubewizard.io/v1alpha1", "apiVersion: v2", "kind: Answers",
                        "kind: Other", "podSubnet:", "podSubnett:", "roles: [worker]", "roles: [worker, worker]"),
                Fixtures.HA + "runtime: {type: containerd, type: crio, zzzzzzzzzz: 1}\n",
                Fixtures.HA + "components:\n  kubelet: {<<: {a: 1}}\n",
                Fixtures.HA + "runtime:\n  ? [a]\n  : 1\n  ? {a: 1}\n  : 1\n",
                Fixtures.HA + "mirrors:\n  registries:\n    quay.io: {endpoints: [https://m.example], ca: /nonexistent/ca.crt,"
                        + " caSha256: " + "ab".repeat(32) + "}\n"));
        List<String> wrong = List.of("{a: 1}", "[1]", "~", "x", "'7'");
        for (String v : wrong) {
            out.add(v + "\n");
            out.add(Fixtures.HA + String.join("\n", "runtime: {sandboxImage: " + v + ", type: " + v + "}",
                    "ssh: {port: " + v + "}", "security: {apiServer: {auditLog: " + v + "}}",
                    "pki: {extraCertSANs: " + v + ", caCertificateValidity: " + v + "}",
                    "components: {apiServer: {extraVolumes: " + v + ", extraArgs: {a: " + v + "}}, kubelet: " + v + "}",
                    "network: " + v, "") );
            out.add(Fixtures.HA + "pki: {extraCertSANs: [" + v + "]}\n");
        }
        return out;
    }

    @Test
    void everyLoaderCodeIsReportedWithItsEnglishTemplate(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        List<Problem> problems = new ArrayList<>();
        for (String text : brokenAnswers()) problems.addAll(AnswersLoader.parse("answers.yaml", text).problems());
        java.nio.file.Files.write(dir.resolve("latin1.yaml"), new byte[] {'a', ':', ' ', (byte) 0xe9, '\n'});
        for (String text : OfflineAnswersTest.broken(dir.resolve("offline"))) {
            problems.addAll(AnswersLoader.parse("answers.yaml", text).problems());
        }
        for (String file : List.of("latin1.yaml", "missing.yaml", ".")) {
            problems.addAll(AnswersLoader.load(dir.resolve(file)).problems());
        }
        Set<String> reported = new LinkedHashSet<>();
        for (Problem p : problems) {
            assertNotNull(p.code(), p::toString);
            assertEquals(ProblemTexts.format(ProblemTexts.templates("").get(p.code()), p.args()), p.message());
            reported.add(p.code());
        }
        Set<String> loaderCodes = new LinkedHashSet<>(ProblemTexts.templates("").keySet());
        loaderCodes.removeIf(code -> !code.startsWith("loader."));
        Set<String> missing = new LinkedHashSet<>(loaderCodes);
        missing.removeAll(reported);
        assertEquals(Set.of(), missing, "loader codes no broken answers file reports");
        assertEquals(69, loaderCodes.size());
    }

    /** The argument indexes a template uses. */
    private static Set<Integer> placeholders(String template) {
        Set<Integer> used = new java.util.TreeSet<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\{(\\d+)}").matcher(template);
        while (m.find()) used.add(Integer.parseInt(m.group(1)));
        return used;
    }

    @Test
    void placeholdersAreFoundWhereverTheyStand() {
        assertEquals(Set.of(0, 2), placeholders("{2} x {0} {0}"));
        assertEquals(Set.of(), placeholders("no arguments, a {brace} kept"));
    }

    @Test
    void everyCodeHasAKoreanTextWithTheSamePlaceholders() {
        Map<String, String> english = ProblemTexts.templates("");
        Map<String, String> korean = ProblemTexts.templates("ko");
        assertEquals(english.keySet(), korean.keySet(), "the Korean bundle has exactly the English codes");
        for (Map.Entry<String, String> e : english.entrySet()) {
            String ko = korean.get(e.getKey());
            assertEquals(placeholders(e.getValue()), placeholders(ko),
                    () -> e.getKey() + ": placeholders of '" + e.getValue() + "' and '" + ko + "'");
            assertTrue(ko.codePoints().anyMatch(c -> Character.UnicodeScript.of(c) == Character.UnicodeScript.HANGUL),
                    () -> e.getKey() + " is not translated: " + ko);
            for (String english2 : List.of("control plane", "worker node", "pod subnet", "service subnet", "required:")) {
                assertFalse(ko.contains(english2), () -> e.getKey() + " keeps the English '" + english2 + "': " + ko);
            }
        }
    }

    @Test
    void aProblemReadsInTheLanguageAskedForAndInEnglishOtherwise() {
        List<Problem> problems = Validator.validate(Fixtures.parse(Fixtures.edit(Fixtures.HA,
                "podSubnet: 192.168.0.0/16", "podSubnet: 10.96.0.0/16")).spec());
        Problem overlap = problems.stream().filter(p -> p.code().equals("network.serviceSubnet.overlapsPods"))
                .findFirst().orElseThrow(() -> new AssertionError(problems));
        assertEquals("service subnet 10.96.0.0/12 overlaps the pod subnet 10.96.0.0/16", overlap.message());
        assertEquals(List.of("10.96.0.0/12", "10.96.0.0/16"), overlap.args());
        assertEquals("서비스 서브넷 10.96.0.0/12이(가) 파드 서브넷 10.96.0.0/16과(와) 겹친다",
                ProblemTexts.text(overlap, Locale.KOREAN));
        assertEquals(overlap.message(), ProblemTexts.text(overlap, Locale.ENGLISH));
        assertEquals(overlap.message(), ProblemTexts.text(overlap, Locale.GERMAN), "no German bundle: English");
        Problem uncoded = Problem.error("hosts[0].labels", "'x' is not key=value");
        assertEquals("'x' is not key=value", ProblemTexts.text(uncoded, Locale.KOREAN));
    }

    @Test
    void aLoaderProblemReadsInKoreanWithTheFileAndSnakeYamlTextsAsData() {
        Problem unknown = Fixtures.parse(Fixtures.edit(Fixtures.HA, "podSubnet:", "podSubnett:")).problems().get(0);
        assertEquals("unknown key 'podSubnett', did you mean 'podSubnet'?", unknown.message());
        assertEquals("알 수 없는 키 'podSubnett': 'podSubnet'을(를) 의도했는가?", ProblemTexts.text(unknown, Locale.KOREAN));
        Problem port = Fixtures.parse(Fixtures.HA + "ssh: {port: '22'}\n").problems().get(0);
        assertEquals("expected an integer from 1 to 65535, got the string '22'", port.message());
        assertEquals("1부터 65535까지의 정수가 와야 하는데 문자열 '22'이(가) 왔다", ProblemTexts.text(port, Locale.KOREAN));
        Problem malformed = Fixtures.parse("a: [1, 2\n").problems().get(0);
        assertEquals("malformed YAML: while parsing a flow sequence: expected ',' or ']', but got <stream end>",
                malformed.message());
        assertEquals("잘못된 YAML: while parsing a flow sequence: expected ',' or ']', but got <stream end>",
                ProblemTexts.text(malformed, Locale.KOREAN));
    }

    @Test
    void templatesTakeArgumentsLiterally() {
        assertEquals("a 'b' $1 \\ c", ProblemTexts.format("a {0} {1} \\ {2}", List.of("'b'", "$1", "c")));
        assertThrows(IllegalArgumentException.class, () -> ProblemTexts.format("{1}", List.of("only one")));
    }
}
