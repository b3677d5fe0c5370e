package io.kubewizard.tui;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Just enough of ssh_config(5) to import hosts: the concrete names of {@code Host} lines and, for
 * each, HostName, User and Port as OpenSSH would resolve them (blocks in file order, the first value
 * obtained wins, wildcard and negated patterns apply to the names they match). Match blocks and
 * Include are not followed: their options are skipped, never guessed.
 */
final class SshConfig {
    private SshConfig() {}

    /** @param hostName null when the file names none (ssh then connects to the alias itself) */
    record Entry(String alias, String hostName, String user, Integer port) {
        String address() { return hostName != null ? hostName : alias; }
    }

    private record Block(List<String> patterns, Map<String, String> options) {}

    static List<Entry> parse(String text) {
        List<Block> blocks = new ArrayList<>();
        Block current = new Block(List.of("*"), new LinkedHashMap<>());
        blocks.add(current);
        boolean skipping = false;
        for (String raw : text.split("\r?\n")) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            String[] kv = line.split("[\\s=]+", 2);
            String key = kv[0].toLowerCase(Locale.ROOT);
            String value = kv.length > 1 ? unquote(kv[1].strip()) : "";
            if (key.equals("host")) {
                current = new Block(List.of(value.split("\\s+")), new LinkedHashMap<>());
                blocks.add(current);
                skipping = false;
            } else if (key.equals("match")) {
                skipping = true;
            } else if (!skipping && (key.equals("hostname") || key.equals("user") || key.equals("port"))) {
                current.options().putIfAbsent(key, value);
            }
        }
        List<Entry> out = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        for (Block b : blocks) {
            for (String pattern : b.patterns()) {
                if (pattern.isEmpty() || pattern.startsWith("!") || pattern.contains("*") || pattern.contains("?")
                        || seen.contains(pattern)) {
                    continue;
                }
                seen.add(pattern);
                Map<String, String> resolved = new LinkedHashMap<>();
                for (Block each : blocks) {
                    if (matches(each.patterns(), pattern)) each.options().forEach(resolved::putIfAbsent);
                }
                String port = resolved.get("port");
                out.add(new Entry(pattern, resolved.get("hostname"), resolved.get("user"),
                        port != null && port.matches("\\d{1,5}") ? Integer.valueOf(port) : null));
            }
        }
        return out;
    }

    private static String unquote(String s) {
        return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"") ? s.substring(1, s.length() - 1) : s;
    }

    /** OpenSSH's rule: any negated pattern that matches excludes; otherwise any positive match includes. */
    static boolean matches(List<String> patterns, String name) {
        boolean any = false;
        for (String p : patterns) {
            if (p.startsWith("!")) {
                if (glob(p.substring(1), name)) return false;
            } else if (glob(p, name)) {
                any = true;
            }
        }
        return any;
    }

    static boolean glob(String pattern, String name) {
        return glob(pattern.toLowerCase(Locale.ROOT), 0, name.toLowerCase(Locale.ROOT), 0);
    }

    private static boolean glob(String p, int pi, String s, int si) {
        while (pi < p.length()) {
            char c = p.charAt(pi);
            if (c == '*') {
                for (int k = si; k <= s.length(); k++) if (glob(p, pi + 1, s, k)) return true;
                return false;
            }
            if (si >= s.length() || (c != '?' && c != s.charAt(si))) return false;
            pi++;
            si++;
        }
        return si == s.length();
    }
}
