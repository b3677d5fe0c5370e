package io.kubewizard.json;

/**
 * The one JSON string escaper (RFC 8259) of every JSON kubewizard writes: the plan, the journal and
 * events, the answers schema. A package of its own because the bottom layer ({@code answers}) and
 * {@code plan} both write JSON and neither may depend on the other for it. U+2028/2029 are escaped
 * too, so a line stays one line for any reader.
 */
public final class JsonString {
    private JsonString() {}

    /** Appends {@code s} quoted and escaped. */
    public static void append(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x2028 || c == 0x2029) sb.append(String.format("\\u%04x", (int) c));
                    else sb.append(c);
                }
            }
        }
        sb.append('"');
    }
}
