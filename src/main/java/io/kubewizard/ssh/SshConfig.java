package io.kubewizard.ssh;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The part of OpenSSH's {@code ~/.ssh/config} kubewizard honours: Host blocks with Hostname, User,
 * Port, IdentityFile and ProxyJump, and Include. As in ssh_config(5), the first value found for a
 * keyword wins, while IdentityFile values accumulate. Match blocks are not evaluated: their
 * settings never apply (the conditions need a shell and the local network).
 */
final class SshConfig {

    private static final int MAX_INCLUDE_DEPTH = 16;

    /** One parsed line that sets a keyword, with the Host patterns in force where it appeared. */
    private record Setting(List<String> patterns, boolean inMatch, String keyword, List<String> args) {}

    private final List<Setting> settings;

    private SshConfig(List<Setting> settings) {
        this.settings = List.copyOf(settings);
    }

    static SshConfig empty() { return new SshConfig(List.of()); }

    /** Reads {@code file} (absent: empty), following Include relative to {@code sshDir}. */
    static SshConfig read(Path file, Path sshDir) throws IOException {
        List<Setting> out = new ArrayList<>();
        if (Files.isRegularFile(file)) {
            collect(Files.readString(file), sshDir, List.of("*"), false, out, 0, file.toString());
        }
        return new SshConfig(out);
    }

    /** Parses text; Include directives resolve against {@code sshDir}. */
    static SshConfig parse(String text, Path sshDir) throws IOException {
        List<Setting> out = new ArrayList<>();
        collect(text, sshDir, List.of("*"), false, out, 0, "ssh config");
        return new SshConfig(out);
    }

    /** What applies to a host as typed (the answers' address). */
    record Entry(String hostName, Integer port, String user, List<String> identityFiles, String proxyJump) {
        Entry {
            identityFiles = List.copyOf(identityFiles);
        }
    }

    Entry lookup(String host) {
        String hostName = null;
        Integer port = null;
        String user = null;
        String proxyJump = null;
        List<String> identities = new ArrayList<>();
        for (Setting s : settings) {
            if (s.inMatch || !matches(s.patterns, host) || s.args.isEmpty()) continue;
            String value = s.args.get(0);
            switch (s.keyword) {
                case "hostname" -> { if (hostName == null) hostName = value.replace("%h", host).replace("%%", "%"); }
                case "user" -> { if (user == null) user = value; }
                case "port" -> { if (port == null) port = port(value); }
                case "proxyjump" -> { if (proxyJump == null) proxyJump = String.join(",", s.args); }
                case "identityfile" -> identities.add(value);
                default -> { }
            }
        }
        return new Entry(hostName, port, user, identities, proxyJump);
    }

    private static Integer port(String value) {
        try {
            int p = Integer.parseInt(value);
            return p >= 1 && p <= 65535 ? p : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static void collect(String text, Path sshDir, List<String> outerPatterns, boolean outerMatch,
                                List<Setting> out, int depth, String source) throws IOException {
        if (depth > MAX_INCLUDE_DEPTH) throw new IOException(source + ": Include nested more than " + MAX_INCLUDE_DEPTH + " deep");
        List<String> patterns = outerPatterns;
        boolean inMatch = outerMatch;
        for (String raw : text.split("\\R")) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            List<String> words = words(line);
            if (words.isEmpty()) continue;
            String keyword = words.get(0).toLowerCase(Locale.ROOT);
            List<String> args = words.subList(1, words.size());
            switch (keyword) {
                case "host" -> {
                    // an included file's Host line starts a block of its own, as in OpenSSH
                    patterns = List.copyOf(args);
                    inMatch = false;
                }
                case "match" -> {
                    patterns = List.of();
                    inMatch = true;
                }
                case "include" -> {
                    for (String arg : args) {
                        for (Path included : expandInclude(arg, sshDir)) {
                            collect(Files.readString(included), sshDir, patterns, inMatch, out, depth + 1, included.toString());
                        }
                    }
                }
                default -> out.add(new Setting(patterns, inMatch, keyword, List.copyOf(args)));
            }
        }
    }

    /** Words of a line: "Key value", "Key=value", double-quoted values kept whole. */
    static List<String> words(String line) {
        List<String> words = new ArrayList<>();
        int n = line.length();
        int i = 0;
        while (i < n && !Character.isWhitespace(line.charAt(i)) && line.charAt(i) != '=') i++;
        words.add(line.substring(0, i));
        while (i < n && Character.isWhitespace(line.charAt(i))) i++;
        if (i < n && line.charAt(i) == '=') i++;
        while (i < n) {
            while (i < n && Character.isWhitespace(line.charAt(i))) i++;
            if (i >= n) break;
            if (line.charAt(i) == '#') break;
            StringBuilder w = new StringBuilder();
            if (line.charAt(i) == '"') {
                i++;
                while (i < n && line.charAt(i) != '"') w.append(line.charAt(i++));
                i++;
            } else {
                while (i < n && !Character.isWhitespace(line.charAt(i))) w.append(line.charAt(i++));
            }
            words.add(w.toString());
        }
        return words;
    }

    private static List<Path> expandInclude(String arg, Path sshDir) throws IOException {
        Path pattern = Path.of(arg.startsWith("~/") ? sshDir.getParent().resolve(arg.substring(2)).toString() : arg);
        if (!pattern.isAbsolute()) pattern = sshDir.resolve(pattern);
        Path dir = pattern.getParent();
        String glob = pattern.getFileName().toString();
        if (dir == null || !Files.isDirectory(dir)) return List.of();
        if (!glob.contains("*") && !glob.contains("?")) {
            return Files.isRegularFile(pattern) ? List.of(pattern) : List.of();
        }
        List<Path> found = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, glob)) {
            for (Path p : stream) if (Files.isRegularFile(p)) found.add(p);
        }
        found.sort(null);
        return found;
    }

    /** ssh_config(5) PATTERNS: a host matches when some pattern matches and no negated one does. */
    static boolean matches(List<String> patterns, String host) {
        String h = host.toLowerCase(Locale.ROOT);
        boolean matched = false;
        for (String p : patterns) {
            for (String one : p.split(",")) {
                if (one.isEmpty()) continue;
                boolean negated = one.startsWith("!");
                String glob = (negated ? one.substring(1) : one).toLowerCase(Locale.ROOT);
                if (globMatches(glob, h)) {
                    if (negated) return false;
                    matched = true;
                }
            }
        }
        return matched;
    }

    private static boolean globMatches(String glob, String text) {
        StringBuilder regex = new StringBuilder();
        for (char c : glob.toCharArray()) {
            switch (c) {
                case '*' -> regex.append(".*");
                case '?' -> regex.append('.');
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.matches(regex.toString(), text);
    }
}
