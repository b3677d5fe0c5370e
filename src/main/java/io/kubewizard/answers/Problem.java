package io.kubewizard.answers;

import java.util.List;

/**
 * One thing wrong (or worth a warning) in an answers file. {@code field} is the dotted path
 * ("network.podSubnet", "hosts[2].address"); {@code location} is where it stands in the file,
 * or null for a spec that did not come from a file (the wizard).
 *
 * <p>A problem of a validation rule or of the loader also has a stable {@code code} and the {@code args}
 * its text is made from ({@link ProblemTexts}): {@code message} is that text in English, what the CLI
 * prints; the wizard shows the same code and arguments in its own language. Problems of other origins
 * (the wizard's own form checks) have no code.
 */
public record Problem(Severity severity, String field, String message, Location location, String code,
                      List<String> args) {

    public enum Severity { ERROR, WARNING }

    public Problem {
        args = List.copyOf(args);
    }

    public Problem(Severity severity, String field, String message, Location location) {
        this(severity, field, message, location, null, List.of());
    }

    public static Problem error(String field, String message) {
        return new Problem(Severity.ERROR, field, message, null);
    }

    public static Problem warning(String field, String message) {
        return new Problem(Severity.WARNING, field, message, null);
    }

    /** A rule's problem, its English message made from the code's template. */
    static Problem coded(Severity severity, String field, String code, Object... args) {
        List<String> texts = java.util.Arrays.stream(args).map(String::valueOf).toList();
        return new Problem(severity, field, ProblemTexts.english(code, texts), null, code, texts);
    }

    public Problem at(Location where) { return new Problem(severity, field, message, where, code, args); }

    /** The same problem reported under another field (a host's ssh override of a file-wide rule). */
    Problem under(String otherField) { return new Problem(severity, otherField, message, location, code, args); }

    /** The same problem in other words: the wizard's language, or a host's name in front. */
    public Problem withMessage(String text) { return new Problem(severity, field, text, location, code, args); }

    public boolean isError() { return severity == Severity.ERROR; }

    /**
     * An error of the file itself (an unknown key, a wrong type), found by the loader rather than
     * by a rule about an answer: no field holds what was written, so no page can mark it.
     */
    public boolean isFileError() { return isError() && code != null && code.startsWith("loader."); }

    /**
     * "answers.yaml:14:5: network.podSubnett: unknown key ..." — the form editors and CI logs understand,
     * always one line: a key or value with a line break in it is shown escaped.
     */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        if (location != null) sb.append(location).append(": ");
        if (field != null && !field.isEmpty()) sb.append(Quote.oneLine(field)).append(": ");
        return sb.append(Quote.oneLine(message)).toString();
    }

    /** A position in a file, 1-based line and column. */
    public record Location(String file, int line, int column) {
        @Override
        public String toString() { return file + ":" + line + ":" + column; }
    }
}
