package io.kubewizard.tui;

import com.googlecode.lanterna.TerminalPosition;
import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.gui2.Component;
import com.googlecode.lanterna.gui2.Container;
import com.googlecode.lanterna.gui2.Interactable;
import com.googlecode.lanterna.gui2.LayoutManager;
import com.googlecode.lanterna.gui2.Panel;
import com.googlecode.lanterna.gui2.TextGUIGraphics;

import java.util.List;

/**
 * A column of rows taller than the screen may be: it shows the rows that fit, starting so that the
 * row holding the focused component is visible, and marks hidden rows above and below with ▲ and ▼.
 * Lanterna 3.1 has no scrolling container, and pages with inline messages outgrow 80×24.
 * Hidden rows are moved off the screen (not made invisible), so Tab still reaches them.
 */
final class ScrollPanel extends Panel {
    private static final int OFF_SCREEN = 10_000;

    private int first;
    private boolean moreAbove;
    private boolean moreBelow;

    ScrollPanel() {
        setLayoutManager(new Layout());
    }

    private final class Layout implements LayoutManager {
        @Override
        public TerminalSize getPreferredSize(List<Component> components) {
            int width = 0;
            int height = 0;
            for (Component c : components) {
                TerminalSize p = c.getPreferredSize();
                width = Math.max(width, p.getColumns());
                height += p.getRows();
            }
            return new TerminalSize(width + 1, height);
        }

        @Override
        public void doLayout(TerminalSize area, List<Component> rows) {
            int width = Math.max(0, area.getColumns() - 1);
            int[] heights = new int[rows.size()];
            for (int i = 0; i < rows.size(); i++) {
                heights[i] = Math.min(area.getRows(), rows.get(i).getPreferredSize().getRows());
            }
            int focused = focusedRow(rows);
            first = Math.min(first, Math.max(0, rows.size() - 1));
            if (focused >= 0 && focused < first) first = focused;
            if (focused >= 0) {
                while (first < focused && sum(heights, first, focused + 1) > area.getRows()) first++;
            }
            // show as much as fits: scrolled to the end, pull earlier rows back in
            while (first > 0 && sum(heights, first - 1, rows.size()) <= area.getRows()) first--;
            int y = 0;
            moreAbove = first > 0;
            moreBelow = false;
            for (int i = 0; i < rows.size(); i++) {
                Component row = rows.get(i);
                if (i < first) {
                    row.setPosition(new TerminalPosition(0, -OFF_SCREEN));
                    row.setSize(new TerminalSize(width, heights[i]));
                } else if (y + heights[i] <= area.getRows() && !moreBelow) {
                    row.setPosition(new TerminalPosition(0, y));
                    row.setSize(new TerminalSize(width, heights[i]));
                    y += heights[i];
                } else {
                    moreBelow = true;
                    row.setPosition(new TerminalPosition(0, OFF_SCREEN));
                    row.setSize(new TerminalSize(width, heights[i]));
                }
            }
        }

        private int focusedRow(List<Component> rows) {
            if (getBasePane() == null) return -1;
            Interactable f = getBasePane().getFocusedInteractable();
            if (f == null) return -1;
            for (int i = 0; i < rows.size(); i++) {
                Component row = rows.get(i);
                if (row == f || (row instanceof Container c && f.isInside(c))) return i;
            }
            return -1;
        }

        @Override
        public boolean hasChanged() { return false; }
    }

    private static int sum(int[] heights, int from, int to) {
        int s = 0;
        for (int i = from; i < to; i++) s += heights[i];
        return s;
    }

    @Override
    protected com.googlecode.lanterna.gui2.ComponentRenderer<Panel> createDefaultRenderer() {
        var inner = super.createDefaultRenderer();
        return new com.googlecode.lanterna.gui2.ComponentRenderer<>() {
            @Override
            public TerminalSize getPreferredSize(Panel component) { return inner.getPreferredSize(component); }

            @Override
            public void drawComponent(TextGUIGraphics graphics, Panel component) {
                // every frame, so a focus change (Tab) lays the rows out again around the focused one
                component.invalidate();
                inner.drawComponent(graphics, component);
                int right = graphics.getSize().getColumns() - 1;
                if (right < 0) return;
                graphics.applyThemeStyle(getThemeDefinition().getNormal());
                if (moreAbove) graphics.putString(right, 0, "▲");
                if (moreBelow) graphics.putString(right, graphics.getSize().getRows() - 1, "▼");
            }
        };
    }
}
