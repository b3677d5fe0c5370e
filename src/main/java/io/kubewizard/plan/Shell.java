package io.kubewizard.plan;

import java.util.List;
import java.util.regex.Pattern;

/** Quoting for POSIX sh command lines: the plan's, and the sudo wrapping the ssh package puts around them. */
public final class Shell {
    private Shell() {}

    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_./:=@%+,-]+");

    public static String quote(String word) {
        if (PLAIN.matcher(word).matches()) return word;
        return "'" + word.replace("'", "'\\''") + "'";
    }

    static String join(List<String> words) {
        return String.join(" ", words.stream().map(Shell::quote).toList());
    }

    /** "a && b && c", or null when there is nothing to check. */
    static String all(List<String> checks) {
        return checks.isEmpty() ? null : String.join(" && ", checks);
    }

    /**
     * Checks that the file at {@code file} (a shell word, e.g. "$f") has the sha256 {@code hex}; on a
     * mismatch the command stops with both hashes and the download's name (mirrors.downloads.sha256).
     */
    static String sha256Check(String file, String hex, String name) {
        return "got=\"$(sha256sum " + file + " | cut -d' ' -f1)\" && { test \"$got\" = " + hex
                + " || { echo \"sha256 mismatch for " + name + ": expected " + hex + ", got $got\" >&2; exit 1; }; }";
    }
}
