package io.kubewizard.answers;

/**
 * A user's value as it appears inside a message: quoted, on one line, and short. Values come from
 * hand-edited files, so they may hold line breaks or be megabytes long; a message must stay one
 * readable line ("file:line:col: field: message") for editors and CI logs.
 */
final class Quote {
    private Quote() {}

    static final int MAX_SHOWN = 60;

    static String of(String value) {
        return "'" + shown(value) + "'";
    }

    /** Control characters escaped (\n, \t, \u0001), cut after {@link #MAX_SHOWN} characters with "...". */
    static String shown(String value) { return escaped(value, MAX_SHOWN); }

    /** Control characters escaped, nothing cut: a whole message or field path kept on one line. */
    static String oneLine(String text) { return escaped(text, Integer.MAX_VALUE); }

    private static String escaped(String value, int limit) {
        if (value == null) return "null";
        StringBuilder sb = new StringBuilder();
        int shown = 0;
        for (int i = 0; i < value.length(); ) {
            if (shown == limit) return sb.append("...").toString();
            int cp = value.codePointAt(i);
            i += Character.charCount(cp);
            shown++;
            switch (cp) {
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (Character.isISOControl(cp) || cp == 0x2028 || cp == 0x2029
                            || Character.getType(cp) == Character.SURROGATE) {
                        sb.append(String.format("\\u%04X", cp));
                    } else {
                        sb.appendCodePoint(cp);
                    }
                }
            }
        }
        return sb.toString();
    }
}
