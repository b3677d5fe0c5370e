package io.kubewizard.answers;

/**
 * One thing wrong (or worth a warning) in an answers file. {@code field} is the dotted path
 * ("network.podSubnet", "hosts[2].address"); {@code location} is where it stands in the file,
 * or null for a spec that did not come from a file (the wizard).
 */
public record Problem(Severity severity, String field, String message, Location location) {

    public enum Severity { ERROR, WARNING }

    public static Problem error(String field, String message) {
        return new Problem(Severity.ERROR, field, message, null);
    }

    public static Problem warning(String field, String message) {
        return new Problem(Severity.WARNING, field, message, null);
    }

    public Problem at(Location where) { return new Problem(severity, field, message, where); }

    public boolean isError() { return severity == Severity.ERROR; }

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
