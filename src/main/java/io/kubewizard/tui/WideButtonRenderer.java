package io.kubewizard.tui;

import com.googlecode.lanterna.TerminalPosition;
import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.TerminalTextUtils;
import com.googlecode.lanterna.graphics.ThemeDefinition;
import com.googlecode.lanterna.gui2.Button;
import com.googlecode.lanterna.gui2.TextGUIGraphics;

/**
 * Buttons as Lanterna draws them ("&lt; Next &gt;", first letter highlighted), measured in display
 * columns: Lanterna 3.1.3's own renderer places the rest of the label one column after the first
 * character, which overwrites half of a Korean syllable ("&lt; 다음 &gt;" came out as "&lt;  음  &gt;").
 * A disabled button drops its angle brackets, so it differs from an active one in text, not only in
 * colour. The themes name this class for com.googlecode.lanterna.gui2.Button.renderer.
 */
public class WideButtonRenderer implements Button.ButtonRenderer {

    @Override
    public TerminalPosition getCursorLocation(Button button) {
        if (!button.getThemeDefinition().isCursorVisible()) return null;
        return new TerminalPosition(shift(button, button.getSize()), 0);
    }

    @Override
    public TerminalSize getPreferredSize(Button button) {
        return new TerminalSize(Math.max(8, TerminalTextUtils.getColumnWidth(button.getLabel()) + 2), 1);
    }

    @Override
    public void drawComponent(TextGUIGraphics g, Button button) {
        ThemeDefinition theme = button.getThemeDefinition();
        g.applyThemeStyle(button.isFocused() ? theme.getActive() : theme.getInsensitive());
        g.fill(' ');
        int width = g.getSize().getColumns();
        if (button.isEnabled()) {
            g.setCharacter(0, 0, theme.getCharacter("LEFT_BORDER", '<'));
            g.setCharacter(width - 1, 0, theme.getCharacter("RIGHT_BORDER", '>'));
        }
        String label = button.getLabel();
        if (label.isEmpty()) return;
        int x = shift(button, g.getSize());
        String first = label.substring(0, Character.charCount(label.codePointAt(0)));
        if (button.isEnabled()) {
            g.applyThemeStyle(button.isFocused() ? theme.getActive() : theme.getPreLight());
        }
        g.putString(x, 0, first);
        g.applyThemeStyle(!button.isEnabled() ? theme.getInsensitive()
                : button.isFocused() ? theme.getSelected() : theme.getNormal());
        g.putString(x + TerminalTextUtils.getColumnWidth(first), 0, label.substring(first.length()));
    }

    private static int shift(Button button, TerminalSize size) {
        int free = size.getColumns() - 2 - TerminalTextUtils.getColumnWidth(button.getLabel());
        return 1 + Math.max(0, free / 2);
    }
}
