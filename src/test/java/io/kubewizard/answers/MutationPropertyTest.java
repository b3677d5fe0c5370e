package io.kubewizard.answers;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Property: whatever a hand edit does to a valid answers file, parse() never throws, and the result is
 * either valid or carries errors that name file:line:col. Also (every 4th case): a spec the loader
 * produced, saved and parsed again, is the same spec. Seeded, so a failure reproduces: rerun with
 * -Danswers.seed=SEED.
 */
class MutationPropertyTest {
    private static final int CASES = 2_000;
    /** Saving costs more than parsing; every 4th case keeps the whole test within a few seconds. */
    private static final int ROUND_TRIP_EVERY = 4;
    private static final long MASTER_SEED = 0x6b756265L;
    private static final String FILE = "mutated.yaml";
    private static final Pattern LOCATED = Pattern.compile("^[^:]+:\\d+:\\d+: .+");
    private static final Pattern KEY_LINE = Pattern.compile("^(\\s*(?:- )?)([A-Za-z][A-Za-z0-9]*):(.*)$");

    enum Mutation {
        DROP_KEY, DUPLICATE_KEY, RETYPE_VALUE, GARBLE_KEY, GARBLE_VALUE, INSERT_LINE, DELETE_LINE, SWAP_INDENTATION
    }

    @Test
    void mutatedAnswersNeverThrowAndAlwaysSayWhere() {
        List<String> sources = new ArrayList<>();
        for (String preset : Fixtures.PRESETS) sources.add(Fixtures.read(Fixtures.preset(preset)));
        sources.add(Fixtures.HA);
        sources.add(RoundTripTest.EVERYTHING);

        String only = System.getProperty("answers.seed");
        Map<Mutation, Integer> applied = new EnumMap<>(Mutation.class);
        int withErrors = 0;
        int valid = 0;
        Random master = new Random(MASTER_SEED);
        for (int i = 0; i < CASES; i++) {
            long seed = master.nextLong();
            if (only != null && seed != Long.parseLong(only)) continue;
            Random r = new Random(seed);
            String text = sources.get(r.nextInt(sources.size()));
            int mutations = 1 + r.nextInt(3);
            for (int m = 0; m < mutations; m++) {
                Mutation mutation = Mutation.values()[r.nextInt(Mutation.values().length)];
                applied.merge(mutation, 1, Integer::sum);
                text = mutate(mutation, text, r);
            }
            if (check(seed, text, i % ROUND_TRIP_EVERY == 0)) withErrors++;
            else valid++;
        }
        System.out.println("mutation property: " + withErrors + " with errors, " + valid + " valid; mutations " + applied);
        if (only != null) return;
        for (Mutation m : Mutation.values()) {
            assertTrue(applied.getOrDefault(m, 0) > 300, () -> "every mutation is exercised: " + applied);
        }
        int errors = withErrors;
        int ok = valid;
        // the mutations must bite (most cases break the file) without all being unparseable noise
        assertTrue(errors > CASES / 2 && ok > CASES / 50, () -> errors + " with errors, " + ok + " valid");
    }

    /** True when the mutated text has errors. */
    private static boolean check(long seed, String text, boolean roundTrip) {
        AnswersLoader.Result result;
        try {
            result = AnswersLoader.parse(FILE, text);
        } catch (Throwable t) {
            throw new AssertionError(report(seed, text, "parse threw " + t), t);
        }
        for (Problem p : result.problems()) {
            if (!LOCATED.matcher(p.toString()).matches() || !p.location().file().equals(FILE)) {
                fail(report(seed, text, "a problem without file:line:col: " + p));
            }
        }
        if (roundTrip && result.spec() != null) {
            try {
                String saved = AnswersWriter.toYaml(result.spec());
                var again = AnswersLoader.parse("saved.yaml", saved);
                if (!result.spec().equals(again.spec())) {
                    fail(report(seed, text, "saving and parsing again changed the spec; saved:\n" + saved
                            + "\nproblems after saving: " + again.problems()));
                }
            } catch (Throwable t) {
                if (t instanceof AssertionError e) throw e;
                throw new AssertionError(report(seed, text, "saving the spec threw " + t), t);
            }
        }
        if (result.hasErrors()) return true;
        if (result.spec() == null) fail(report(seed, text, "no spec and no error"));
        return false;
    }

    static String mutate(Mutation mutation, String text, Random r) {
        List<String> lines = new ArrayList<>(Arrays.asList(text.split("\n", -1)));
        if (lines.size() < 2) return text + "\n" + randomLine(r);
        int at = r.nextInt(lines.size() - 1);
        int keyLine = keyLine(lines, r);
        switch (mutation) {
            case DROP_KEY -> {
                if (keyLine < 0) break;
                int end = blockEnd(lines, keyLine);
                lines.subList(keyLine, end).clear();
            }
            case DUPLICATE_KEY -> {
                if (keyLine < 0) break;
                int end = blockEnd(lines, keyLine);
                List<String> block = new ArrayList<>(lines.subList(keyLine, end));
                // a duplicated list item ("- name: x") is a second item, not a second key: drop the dash
                block.set(0, block.get(0).replaceFirst("^(\\s*)- ", "$1  "));
                lines.addAll(end, block);
            }
            case RETYPE_VALUE -> {
                if (keyLine < 0) break;
                Matcher m = KEY_LINE.matcher(lines.get(keyLine));
                if (m.matches()) lines.set(keyLine, m.group(1) + m.group(2) + ":" + retyped(r));
            }
            case GARBLE_KEY -> {
                if (keyLine < 0) break;
                Matcher m = KEY_LINE.matcher(lines.get(keyLine));
                if (m.matches()) lines.set(keyLine, m.group(1) + typo(m.group(2), r) + ":" + m.group(3));
            }
            case GARBLE_VALUE -> {
                if (keyLine < 0) break;
                Matcher m = KEY_LINE.matcher(lines.get(keyLine));
                if (m.matches()) lines.set(keyLine, m.group(1) + m.group(2) + ": " + garbledValue(r));
            }
            case INSERT_LINE -> lines.add(at, randomLine(r));
            case DELETE_LINE -> lines.remove(at);
            case SWAP_INDENTATION -> {
                String line = lines.get(at);
                String body = line.stripLeading();
                int indent = line.length() - body.length();
                lines.set(at, switch (r.nextInt(4)) {
                    case 0 -> " ".repeat(indent + 1 + r.nextInt(4)) + body;
                    case 1 -> " ".repeat(Math.max(0, indent - 1 - r.nextInt(4))) + body;
                    case 2 -> "\t" + body;
                    default -> lines.get(at + 1).substring(0, lines.get(at + 1).length()
                            - lines.get(at + 1).stripLeading().length()) + body;
                });
            }
        }
        return String.join("\n", lines);
    }

    /** A random line that holds "key:", or -1. */
    private static int keyLine(List<String> lines, Random r) {
        List<Integer> candidates = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) if (KEY_LINE.matcher(lines.get(i)).matches()) candidates.add(i);
        return candidates.isEmpty() ? -1 : candidates.get(r.nextInt(candidates.size()));
    }

    /** The line after a key's block: the first later line indented no deeper than the key. */
    private static int blockEnd(List<String> lines, int keyLine) {
        String first = lines.get(keyLine);
        int indent = first.length() - first.stripLeading().length() + (first.stripLeading().startsWith("- ") ? 2 : 0);
        int end = keyLine + 1;
        while (end < lines.size()) {
            String l = lines.get(end);
            int li = l.length() - l.stripLeading().length();
            if (!l.isBlank() && li <= indent) break;
            end++;
        }
        return end;
    }

    private static String retyped(Random r) {
        return switch (r.nextInt(8)) {
            case 0 -> " 'a string'";
            case 1 -> " " + (r.nextInt(200_000) - 1000);
            case 2 -> " [a, 1, true]";
            case 3 -> " {a: 1, b: [x]}";
            case 4 -> "";
            case 5 -> " ~";
            case 6 -> " true";
            default -> "\n  - item";
        };
    }

    private static String typo(String key, Random r) {
        StringBuilder sb = new StringBuilder(key);
        int i = r.nextInt(key.length());
        switch (r.nextInt(5)) {
            case 0 -> sb.deleteCharAt(i);
            case 1 -> sb.insert(i, (char) ('a' + r.nextInt(26)));
            case 2 -> sb.setCharAt(i, (char) ('a' + r.nextInt(26)));
            case 3 -> {
                if (key.length() > 1) {
                    int j = i == key.length() - 1 ? i - 1 : i + 1;
                    char c = sb.charAt(i);
                    sb.setCharAt(i, sb.charAt(j));
                    sb.setCharAt(j, c);
                }
            }
            default -> sb.setCharAt(i, Character.isUpperCase(sb.charAt(i))
                    ? Character.toLowerCase(sb.charAt(i)) : Character.toUpperCase(sb.charAt(i)));
        }
        return sb.toString();
    }

    private static final String[] ODD_VALUES = {
        "''", "\"\"", "9".repeat(40), "-1", "0", "65536", "1e309", ".nan", "0x1F", "0o17", "1_000", "2001-12-14",
        "ü漢字🙂", "'\u00e9t\u00e9'", "\"\\u0000\"", "\"tab\\tin\"", "\"line\\nbreak\"", "&anchor value", "*undefined",
        "!!binary aGVsbG8=", "!custom x", "|\n  literal", ">\n  folded", "[unclosed", "{unclosed", "'unclosed",
        "\"unclosed", "a: b", "- x", "# comment only", "%TAG", "@at", "`tick", "x".repeat(5_000), "-", "?", ":",
        "[]", "{}", "[[[[[[[[[[]]]]]]]]]]", "yes", "NO", "on", "null", "Null", "~", "10.0.0.1/33", "::", ":::",
        "[::1]:99999", "10.0.0.1:", "1.2.3.4.5", "999.1.1.1", "fe80::1%eth0", "\u200b", "\u2028", "\u0085"
    };

    private static String garbledValue(Random r) {
        if (r.nextBoolean()) return ODD_VALUES[r.nextInt(ODD_VALUES.length)];
        StringBuilder sb = new StringBuilder();
        int n = r.nextInt(20);
        for (int i = 0; i < n; i++) {
            int kind = r.nextInt(10);
            if (kind < 6) sb.append((char) (0x20 + r.nextInt(0x5f)));
            else if (kind < 8) sb.appendCodePoint(0xa0 + r.nextInt(0x2000));
            else if (kind < 9) sb.appendCodePoint(0x1f300 + r.nextInt(0x300));
            else sb.append((char) r.nextInt(0x20));
        }
        return sb.toString();
    }

    private static String randomLine(Random r) {
        String indent = " ".repeat(r.nextInt(8));
        return switch (r.nextInt(6)) {
            case 0 -> indent + "extra: 1";
            case 1 -> indent + "- " + garbledValue(r);
            case 2 -> indent + garbledValue(r) + ": " + garbledValue(r);
            case 3 -> indent + "---";
            case 4 -> indent + "name: dup";
            default -> indent + garbledValue(r);
        };
    }

    private static String report(long seed, String text, String what) {
        return what + "\nseed " + seed + " (rerun: mvn -o test -Dtest=MutationPropertyTest -Danswers.seed=" + seed
                + ")\nmutated text:\n" + text + "\n(end of mutated text)";
    }
}
