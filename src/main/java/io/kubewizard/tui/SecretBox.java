package io.kubewizard.tui;

import com.googlecode.lanterna.TerminalPosition;
import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.graphics.ThemeDefinition;
import com.googlecode.lanterna.gui2.AbstractInteractableComponent;
import com.googlecode.lanterna.gui2.InteractableRenderer;
import com.googlecode.lanterna.gui2.TextBox;
import com.googlecode.lanterna.gui2.TextGUIGraphics;
import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;

import java.util.Arrays;

/**
 * A one-line field for a password or passphrase that shows nothing of what is typed, not even its
 * length (a masked TextBox would print one '*' per character), as ssh and sudo do on a terminal.
 * The characters live in a char array that {@link #take} hands over and {@link #wipe} clears.
 */
final class SecretBox extends AbstractInteractableComponent<SecretBox> {
    private final int width;
    private Runnable onEnter = () -> { };
    private char[] typed = new char[32];
    private int length;

    SecretBox(int width) {
        this.width = width;
    }

    /** What Enter does: the dialog's OK. */
    SecretBox onEnter(Runnable action) {
        onEnter = action;
        return this;
    }

    /** What was typed, as a new array; the box is emptied. */
    char[] take() {
        char[] out = Arrays.copyOf(typed, length);
        wipe();
        return out;
    }

    /** Forgets what was typed, overwriting it. */
    void wipe() {
        Arrays.fill(typed, '\0');
        length = 0;
    }

    @Override
    protected Result handleKeyStroke(KeyStroke key) {
        if (key.getKeyType() == KeyType.Enter) {
            onEnter.run();
            return Result.HANDLED;
        }
        if (key.getKeyType() == KeyType.Backspace) {
            if (length > 0) typed[--length] = '\0';
            return Result.HANDLED;
        }
        if (key.getKeyType() == KeyType.Character && !key.isCtrlDown() && !key.isAltDown()) {
            if (length == typed.length) {
                char[] bigger = Arrays.copyOf(typed, typed.length * 2);
                Arrays.fill(typed, '\0');
                typed = bigger;
            }
            typed[length++] = key.getCharacter();
            return Result.HANDLED;
        }
        return super.handleKeyStroke(key);
    }

    @Override
    protected InteractableRenderer<SecretBox> createDefaultRenderer() {
        return new InteractableRenderer<>() {
            @Override
            public TerminalPosition getCursorLocation(SecretBox box) { return TerminalPosition.TOP_LEFT_CORNER; }

            @Override
            public TerminalSize getPreferredSize(SecretBox box) { return new TerminalSize(box.width, 1); }

            @Override
            public void drawComponent(TextGUIGraphics graphics, SecretBox box) {
                // drawn as an empty text box, so it reads as a field to type into
                ThemeDefinition look = box.getTheme().getDefinition(TextBox.class);
                graphics.applyThemeStyle(box.isFocused() ? look.getActive() : look.getNormal());
                graphics.fill(' ');
            }
        };
    }
}
