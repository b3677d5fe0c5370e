package io.kubewizard.tui;

import com.googlecode.lanterna.gui2.BasicWindow;
import com.googlecode.lanterna.gui2.Button;
import com.googlecode.lanterna.gui2.Component;
import com.googlecode.lanterna.gui2.GridLayout;
import com.googlecode.lanterna.gui2.Label;
import com.googlecode.lanterna.gui2.LinearLayout;
import com.googlecode.lanterna.gui2.Panel;
import com.googlecode.lanterna.gui2.Direction;
import com.googlecode.lanterna.gui2.TextBox;
import com.googlecode.lanterna.gui2.Window;
import com.googlecode.lanterna.gui2.WindowBasedTextGUI;
import com.googlecode.lanterna.gui2.WindowListenerAdapter;
import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;

import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * Modal windows that never block the caller: each takes a callback. Lanterna's own dialogs run a
 * nested event loop (showDialog), which would stall a screen test that feeds keys from the same
 * thread, and their button labels come from Lanterna's bundles, not ours.
 */
final class Dialogs {
    private Dialogs() {}

    /** A button of a dialog; {@code action} runs after the dialog closes. */
    record Choice(String label, Runnable action) {}

    static BasicWindow window(String title) {
        BasicWindow w = new BasicWindow(title);
        w.setHints(Set.of(Window.Hint.MODAL, Window.Hint.CENTERED));
        return w;
    }

    /** Text and buttons; Esc picks {@code onEscape} (usually Cancel). */
    static BasicWindow message(WindowBasedTextGUI gui, String title, String text, int width, Runnable onEscape,
                               Choice... choices) {
        BasicWindow w = window(title);
        Panel p = new Panel(new GridLayout(1));
        p.addComponent(new Label(Text.wrap(text, width)));
        p.addComponent(new Label(""));
        p.addComponent(buttons(w, choices), GridLayout.createLayoutData(GridLayout.Alignment.END, GridLayout.Alignment.CENTER));
        w.setComponent(p);
        onEscape(w, onEscape);
        gui.addWindow(w);
        return w;
    }

    static Panel buttons(Window w, Choice... choices) {
        Panel row = new Panel(new LinearLayout(Direction.HORIZONTAL));
        for (Choice c : choices) {
            row.addComponent(new Button(c.label(), () -> {
                w.close();
                c.action().run();
            }));
        }
        return row;
    }

    static void onEscape(Window w, Runnable action) {
        w.addWindowListener(new WindowListenerAdapter() {
            @Override
            public void onUnhandledInput(Window basePane, KeyStroke key, AtomicBoolean hasBeenHandled) {
                if (key.getKeyType() == KeyType.Escape) {
                    hasBeenHandled.set(true);
                    w.close();
                    if (action != null) action.run();
                }
            }
        });
    }

    /**
     * One line of input. {@code accept} returns null to close, or a message to show under the box
     * (the dialog stays open, the text kept).
     */
    static BasicWindow prompt(WindowBasedTextGUI gui, String title, String text, String initial, int width,
                              String okLabel, String cancelLabel, Function<String, String> accept) {
        BasicWindow w = window(title);
        Panel p = new Panel(new GridLayout(1));
        p.addComponent(new Label(Text.wrap(text, width)));
        TextBox box = new TextBox(new com.googlecode.lanterna.TerminalSize(width, 1), initial);
        p.addComponent(box);
        Label error = new Label("");
        p.addComponent(error);
        Runnable ok = () -> {
            String problem = accept.apply(box.getText());
            if (problem == null) w.close();
            else error.setText(Text.wrap(Form.ERROR + " " + problem, width));
        };
        Panel row = new Panel(new LinearLayout(Direction.HORIZONTAL));
        row.addComponent(new Button(okLabel, ok));
        row.addComponent(new Button(cancelLabel, w::close));
        p.addComponent(row, GridLayout.createLayoutData(GridLayout.Alignment.END, GridLayout.Alignment.CENTER));
        w.setComponent(p);
        w.addWindowListener(new WindowListenerAdapter() {
            @Override
            public void onInput(Window basePane, KeyStroke key, AtomicBoolean deliver) {
                if (key.getKeyType() == KeyType.Enter && w.getFocusedInteractable() == box) {
                    deliver.set(false);
                    ok.run();
                }
            }
        });
        onEscape(w, null);
        gui.addWindow(w);
        w.setFocusedInteractable(box);
        return w;
    }

    /** A dialog holding arbitrary content and the given buttons. */
    static BasicWindow custom(WindowBasedTextGUI gui, String title, Component content, List<Button> buttons,
                              Runnable onEscape) {
        BasicWindow w = window(title);
        Panel p = new Panel(new GridLayout(1));
        p.addComponent(content);
        Panel row = new Panel(new LinearLayout(Direction.HORIZONTAL));
        buttons.forEach(row::addComponent);
        p.addComponent(row, GridLayout.createLayoutData(GridLayout.Alignment.END, GridLayout.Alignment.CENTER));
        w.setComponent(p);
        onEscape(w, onEscape);
        gui.addWindow(w);
        return w;
    }
}
