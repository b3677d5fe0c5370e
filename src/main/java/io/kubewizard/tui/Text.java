package io.kubewizard.tui;

import com.googlecode.lanterna.TerminalTextUtils;

import java.util.List;

/**
 * Text measured in terminal columns, not chars: a Korean syllable takes two columns, so padding by
 * {@code String.length()} would break every column after it. All manual padding goes through here.
 */
final class Text {
    private Text() {}

    static int width(String s) { return TerminalTextUtils.getColumnWidth(s); }

    /** Pads with spaces to {@code columns} display columns (never truncates). */
    static String padRight(String s, int columns) {
        int w = width(s);
        return w >= columns ? s : s + " ".repeat(columns - w);
    }

    /** Cuts to at most {@code columns} display columns, never splitting a double-width character. */
    static String fit(String s, int columns) {
        return TerminalTextUtils.fitString(s, columns);
    }

    /** At most {@code columns} display columns, a cut marked with "…". */
    static String clip(String s, int columns) {
        if (width(s) <= columns) return s;
        return fit(s, Math.max(0, columns - 1)) + "…";
    }

    /** Cut or padded to exactly {@code columns} display columns. */
    static String cell(String s, int columns) {
        return padRight(fit(s, columns), columns);
    }

    private static final String MARKERS = Form.ERROR + Form.WARNING + Form.OK + "+−•";

    /**
     * Word-wrapped to {@code columns}, paragraph by paragraph; in a paragraph that starts with a mark
     * ("✗ ", "+ ", ...) the lines after the first are indented to line up after it.
     */
    static String wrap(String text, int columns) {
        StringBuilder sb = new StringBuilder();
        for (String paragraph : text.split("\n", -1)) {
            int indent = paragraph.length() > 2 && paragraph.charAt(1) == ' '
                    && MARKERS.indexOf(paragraph.charAt(0)) >= 0 ? 2 : 0;
            List<String> lines = TerminalTextUtils.getWordWrappedText(Math.max(1, columns - indent), paragraph);
            if (lines.isEmpty()) lines = List.of("");
            for (int i = 0; i < lines.size(); i++) {
                if (sb.length() > 0) sb.append('\n');
                if (i > 0 && indent > 0) sb.append(" ".repeat(indent));
                sb.append(lines.get(i));
            }
        }
        return sb.toString();
    }
}
