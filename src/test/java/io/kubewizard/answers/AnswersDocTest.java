package io.kubewizard.answers;

import io.kubewizard.answers.AnswersShape.*;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docs/answers.md cannot drift from the loader: its reference table is generated from AnswersShape
 * (the loader's own reader, recorded), and its annotated example must load without a shape error,
 * name every field, and list exactly the allowed values of each enum it annotates with "a | b | c".
 * After an intended change: {@code mvn -B test -Dtest=AnswersDocTest -Dgolden.update=true}.
 */
class AnswersDocTest {
    static final String BEGIN = "<!-- generated from the loader's reader by AnswersDocTest; regenerate with "
            + "mvn -B test -Dtest=AnswersDocTest -Dgolden.update=true -->\n";
    static final String END = "<!-- end of the generated reference -->\n";

    private static Path doc() { return Fixtures.root().resolve("docs/answers.md"); }

    /** The reference table: one row per field, lists' elements as {@code hosts[].name}. */
    static String reference() {
        StringBuilder sb = new StringBuilder();
        sb.append("| Field | Type | Default | Allowed |\n|---|---|---|---|\n");
        rows(sb, "", AnswersShape.answers());
        return sb.toString();
    }

    private static void rows(StringBuilder sb, String path, Section section) {
        for (Map.Entry<String, Field> e : section.fields().entrySet()) {
            String p = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
            Field f = e.getValue();
            if (f instanceof Section s) {
                rows(sb, p, s);
                continue;
            }
            sb.append("| `").append(p).append("` | ").append(type(f)).append(" | ").append(def(f)).append(" | ")
                    .append(allowed(f)).append(" |\n");
            if (f instanceof ListOf l && l.item() instanceof Section s) rows(sb, p + "[]", s);
            if (f instanceof MapOf mo && mo.item() instanceof Section s) rows(sb, p + ".<name>", s);
        }
    }

    private static String type(Field f) {
        if (f instanceof Text || f instanceof Constant) return "string";
        if (f instanceof Whole) return "integer";
        if (f instanceof Flag) return "boolean";
        if (f instanceof OneOf) return "one of";
        if (f instanceof Distinct) return "list, each at most once";
        if (f instanceof Texts) return "list of strings";
        if (f instanceof ListOf) return "list of mappings";
        if (f instanceof MapOf) return "mapping of names to mappings";
        if (f instanceof TextMap) return "mapping of strings";
        if (f instanceof FlagMap) return "mapping of booleans";
        return "mapping, passed through";
    }

    private static String def(Field f) {
        Object d = null;
        if (f instanceof Text t) d = t.def();
        else if (f instanceof Constant c) d = c.value();
        else if (f instanceof Whole w) d = w.def();
        else if (f instanceof Flag b) d = b.def();
        else if (f instanceof OneOf o) d = o.def();
        else if (f instanceof Texts t) d = "[" + String.join(", ", t.def()) + "]";
        else if (f instanceof Distinct || f instanceof ListOf) d = "[]";
        else d = "{}";
        if (d == null) return "unset";
        return "`" + (d.equals("") ? "\"\"" : d) + "`";
    }

    private static String allowed(Field f) {
        if (f instanceof Constant c) return "only `" + c.value() + "`";
        if (f instanceof Whole w) return w.min() + " to " + w.max();
        if (f instanceof OneOf o) return o.values().stream().map(v -> "`" + v + "`").collect(Collectors.joining(", "));
        if (f instanceof Distinct d) return d.values().stream().map(v -> "`" + v + "`").collect(Collectors.joining(", "));
        if (f instanceof FlagMap) return "name: `true` or `false`";
        if (f instanceof TextMap) return "name: value";
        return "";
    }

    @Test
    void theReferenceInAnswersMdIsTheOneTheLoaderMakes() throws IOException {
        String text = Files.readString(doc());
        int begin = text.indexOf(BEGIN);
        int end = text.indexOf(END);
        assertTrue(begin >= 0 && end > begin, "docs/answers.md has the generated reference between its markers");
        String expected = text.substring(0, begin + BEGIN.length()) + reference() + text.substring(end);
        if (Boolean.getBoolean("golden.update")) Files.writeString(doc(), expected);
        assertEquals(expected, text);
    }

    /** The "## Fields" example: the first yaml block of docs/answers.md. */
    private static String example() throws IOException {
        String text = Files.readString(doc());
        int start = text.indexOf("```yaml\n") + "```yaml\n".length();
        return text.substring(start, text.indexOf("```\n", start));
    }

    @Test
    void theExampleLoadsWithoutAShapeErrorAndNamesEveryField() throws IOException {
        String example = example();
        AnswersLoader.Result r = AnswersLoader.parse("answers.md", example);
        assertEquals(List.of(), r.problems().stream().filter(Problem::isFileError).map(Problem::toString).toList());
        List<String> missing = new ArrayList<>();
        missing(missing, "", AnswersShape.answers(), new Yaml().load(example));
        assertEquals(List.of(), missing, "fields of the loader the example leaves out");
    }

    /** Fields under {@code path} the example value {@code v} does not name; a list's element only when it has one. */
    private static void missing(List<String> out, String path, Section section, Object v) {
        Map<?, ?> m = v instanceof Map<?, ?> map ? map : Map.of();
        for (Map.Entry<String, Field> e : section.fields().entrySet()) {
            String p = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
            if (!m.containsKey(e.getKey())) {
                out.add(p);
                continue;
            }
            Object value = m.get(e.getKey());
            // a section of overrides only (a host's ssh:) may be shown empty: its keys are documented where they default
            boolean overridesShownEmpty = value instanceof Map<?, ?> empty && empty.isEmpty()
                    && e.getValue() instanceof Section s && overridesOnly(s);
            if (e.getValue() instanceof Section s && !overridesShownEmpty) missing(out, p, s, value);
            if (e.getValue() instanceof ListOf l && l.item() instanceof Section s && value instanceof List<?> list
                    && !list.isEmpty()) {
                missing(out, p + "[]", s, list.get(0));
            }
            if (e.getValue() instanceof MapOf mo && mo.item() instanceof Section s && value instanceof Map<?, ?> named
                    && !named.isEmpty()) {
                missing(out, p + ".<name>", s, named.values().iterator().next());
            }
        }
    }

    private static boolean overridesOnly(Section s) {
        return s.fields().values().stream().allMatch(f -> (f instanceof Text t && t.def() == null)
                || (f instanceof Whole w && w.def() == null) || (f instanceof Flag b && b.def() == null)
                || (f instanceof OneOf o && o.def() == null));
    }

    private static final Pattern ALTERNATIVES = Pattern.compile("^\\s*(?:- )?([A-Za-z]+):.*#\\s*(\\S+(?: \\| \\S+)+)");

    @Test
    void everyEnumTheExampleAnnotatesListsExactlyTheAllowedValues() throws IOException {
        Map<String, List<List<String>>> enums = new java.util.HashMap<>();
        collect(enums, AnswersShape.answers());
        int checked = 0;
        for (String line : example().split("\n")) {
            Matcher m = ALTERNATIVES.matcher(line);
            if (!m.find()) continue;
            List<String> listed = List.of(m.group(2).replaceAll("[;,.]$", "").split(" \\| "));
            List<List<String>> candidates = enums.getOrDefault(m.group(1), List.of());
            assertTrue(candidates.contains(listed), line + ": the loader allows " + candidates);
            checked++;
        }
        assertTrue(checked >= 10, "annotated enums: " + checked);
    }

    /** The allowed values of every enum by its key's name (type: those of loadBalancer.type and runtime.type). */
    private static void collect(Map<String, List<List<String>>> out, Section section) {
        for (Map.Entry<String, Field> e : section.fields().entrySet()) {
            Field f = e.getValue();
            if (f instanceof OneOf o) out.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(o.values());
            if (f instanceof Distinct d) out.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(d.values());
            if (f instanceof Section s) collect(out, s);
            if (f instanceof ListOf l && l.item() instanceof Section s) collect(out, s);
            if (f instanceof MapOf mo && mo.item() instanceof Section s) collect(out, s);
        }
    }
}
