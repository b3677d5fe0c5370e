package io.kubewizard.tui;

import com.googlecode.lanterna.TerminalPosition;
import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.gui2.AbstractInteractableComponent;
import com.googlecode.lanterna.gui2.InteractableRenderer;
import com.googlecode.lanterna.gui2.TextGUIGraphics;
import com.googlecode.lanterna.input.KeyStroke;

/**
 * One host's log (or, on the Review page, a document), drawn straight from its {@link LogBuffer}: only the visible lines are touched, so
 * a full buffer costs no more to paint than an empty one. It follows the end unless the user scrolls
 * back (↑, PgUp, Home); then new lines do not move the view, and End follows again.
 */
final class LogPane extends AbstractInteractableComponent<LogPane> {
    private LogBuffer buffer;
    /** Lines between the bottom of the view and the newest line; 0 follows. */
    private int back;
    private long seenTotal;
    private String followHint = "";

    void show(LogBuffer log) {
        buffer = log;
        back = 0;
        seenTotal = log == null ? 0 : log.total();
        invalidate();
    }

    /** Shows a document from its first line (the Review page), rather than following its end. */
    void showFromTop(LogBuffer document) {
        show(document);
        back = Integer.MAX_VALUE / 2;
    }

    /** A document as lines a LogPane can show. */
    static LogBuffer document(String text) {
        String[] lines = text.split("\n", -1);
        LogBuffer b = new LogBuffer(Math.max(1, lines.length));
        for (String l : lines) b.append(RunModel.printable(l));
        return b;
    }

    /** Text for the last row while scrolled back: how to follow again. */
    void followHint(String text) { followHint = text; }

    /** New lines may have arrived. */
    void refresh() {
        if (buffer == null) return;
        long total = buffer.total();
        if (back > 0) back += (int) Math.min(Integer.MAX_VALUE, total - seenTotal);
        seenTotal = total;
        invalidate();
    }

    @Override
    protected Result handleKeyStroke(KeyStroke key) {
        int page = Math.max(1, getSize().getRows() - 1);
        switch (key.getKeyType()) {
            case ArrowUp -> back++;
            case ArrowDown -> back = Math.max(0, back - 1);
            case PageUp -> back += page;
            case PageDown -> back = Math.max(0, back - page);
            case Home -> back = Integer.MAX_VALUE / 2;
            case End -> back = 0;
            default -> {
                return super.handleKeyStroke(key);
            }
        }
        clamp(getSize().getRows());
        invalidate();
        return Result.HANDLED;
    }

    private void clamp(int rows) {
        int max = buffer == null ? 0 : Math.max(0, buffer.size() - rows);
        back = Math.max(0, Math.min(back, max));
    }

    @Override
    protected InteractableRenderer<LogPane> createDefaultRenderer() {
        return new InteractableRenderer<>() {
            @Override
            public TerminalPosition getCursorLocation(LogPane component) { return null; }

            @Override
            public TerminalSize getPreferredSize(LogPane component) { return new TerminalSize(20, 3); }

            @Override
            public void drawComponent(TextGUIGraphics g, LogPane pane) {
                g.applyThemeStyle(isFocused() ? getThemeDefinition().getActive() : getThemeDefinition().getNormal());
                g.fill(' ');
                if (buffer == null) return;
                int rows = g.getSize().getRows();
                int cols = g.getSize().getColumns();
                clamp(rows);
                int last = buffer.size() - 1 - back;
                int first = Math.max(0, last - rows + 1);
                for (int i = first, y = 0; i <= last; i++, y++) g.putString(0, y, Text.fit(buffer.get(i), cols));
                if (back > 0 && rows > 1) {
                    g.applyThemeStyle(getThemeDefinition().getSelected());
                    g.putString(0, rows - 1, Text.cell("↓ " + back + " " + followHint, cols));
                }
            }
        };
    }
}
