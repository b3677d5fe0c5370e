package io.kubewizard.ssh;

import java.util.regex.Pattern;

/** POSIX sh quoting for the command lines this package builds around the executor's commands. */
final class Shell {
    private Shell() {}

    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_./:=@%+,-]+");

    static String quote(String word) {
        if (PLAIN.matcher(word).matches()) return word;
        return "'" + word.replace("'", "'\\''") + "'";
    }
}
