package io.kubewizard.tui;

import com.googlecode.lanterna.gui2.BasicWindow;
import com.googlecode.lanterna.gui2.Button;
import com.googlecode.lanterna.gui2.Component;
import com.googlecode.lanterna.gui2.GridLayout;
import com.googlecode.lanterna.gui2.Label;
import com.googlecode.lanterna.gui2.Panel;
import com.googlecode.lanterna.gui2.Window;
import io.kubewizard.run.Question;
import io.kubewizard.run.TransportFactory;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;

/**
 * The engine's questions as dialogs (the Prompter contract the console answers on a terminal): a
 * password, passphrase or sudo password typed into a box that shows nothing, and a yes/no question
 * such as trusting an unknown host key, whose text carries the key's SHA256 fingerprint. Asked from
 * the engine's threads, one at a time; each waits while the GUI thread shows its dialog. An interrupt
 * (an aborted run) or the wizard closing declines the question. The answers are never shown, kept or
 * logged here.
 */
final class DialogPrompter implements TransportFactory.Prompter {
    private final Wizard w;
    /** Questions waiting for an answer, so closing the wizard can decline them. */
    private final Set<Asked<?>> open = ConcurrentHashMap.newKeySet();

    private record Asked<T>(CompletableFuture<T> answer, T declined, CompletableFuture<Window> window) {
        void decline() {
            answer.complete(declined);
            window.thenAccept(Window::close);
        }
    }

    DialogPrompter(Wizard w) { this.w = w; }

    @Override
    public synchronized char[] secret(String question) {
        return ask(null, answer -> secretDialog(question, answer));
    }

    @Override
    public synchronized boolean confirm(String question) {
        return ask(false, answer -> confirmDialog(question, answer));
    }

    /** The connection's question in the wizard's language. */
    @Override
    public char[] secret(Question question) { return secret(question.text(w.msg.locale())); }

    @Override
    public boolean confirm(Question question) { return confirm(question.text(w.msg.locale())); }

    /** Declines every open question: the wizard is closing. GUI thread. */
    void declineAll() {
        open.forEach(Asked::decline);
    }

    private <T> T ask(T declined, Function<CompletableFuture<T>, Window> dialog) {
        if (Thread.currentThread() == w.gui.getGUIThread().getThread()) {
            throw new IllegalStateException("a question asked on the GUI thread would wait for itself");
        }
        Asked<T> asked = new Asked<>(new CompletableFuture<>(), declined, new CompletableFuture<>());
        open.add(asked);
        try {
            w.gui.getGUIThread().invokeLater(() -> {
                if (!asked.answer().isDone()) asked.window().complete(dialog.apply(asked.answer()));
            });
            return asked.answer().get();
        } catch (IllegalStateException guiStopped) {
            return declined;
        } catch (InterruptedException e) {
            invokeQuietly(asked::decline);
            Thread.currentThread().interrupt();
            return declined;
        } catch (ExecutionException e) {
            return declined;
        } finally {
            open.remove(asked);
        }
    }

    private void invokeQuietly(Runnable r) {
        try {
            w.gui.getGUIThread().invokeLater(r);
        } catch (IllegalStateException guiStopped) {
            // nothing left on screen to close
        }
    }

    private int width() { return Math.min(64, w.wrapWidth() - 6); }

    private Window secretDialog(String question, CompletableFuture<char[]> answer) {
        BasicWindow dialog = Dialogs.window(w.msg.get("prompt.secret.title"));
        Panel p = new Panel(new GridLayout(1));
        p.addComponent(new Label(Text.wrap(question, width())));
        SecretBox field = new SecretBox(Math.min(40, width()));
        field.onEnter(() -> {
            answer.complete(field.take());
            dialog.close();
        });
        p.addComponent(field);
        p.addComponent(new Label(w.msg.get("prompt.secret.hidden")));
        Runnable cancel = () -> {
            field.wipe();
            answer.complete(null);
        };
        Panel buttons = Dialogs.buttons(dialog,
                new Dialogs.Choice(w.msg.get("button.ok"), () -> answer.complete(field.take())),
                new Dialogs.Choice(w.msg.get("button.cancel"), cancel));
        p.addComponent(buttons, GridLayout.createLayoutData(GridLayout.Alignment.END, GridLayout.Alignment.CENTER));
        dialog.setComponent(p);
        Dialogs.onEscape(dialog, cancel);
        w.gui.addWindow(dialog);
        dialog.setFocusedInteractable(field);
        return dialog;
    }

    private Window confirmDialog(String question, CompletableFuture<Boolean> answer) {
        BasicWindow dialog = Dialogs.window(w.msg.get("prompt.confirm.title"));
        Panel p = new Panel(new GridLayout(1));
        p.addComponent(new Label(Text.wrap(question, width())));
        p.addComponent(new Label(""));
        Panel buttons = Dialogs.buttons(dialog, new Dialogs.Choice(w.msg.get("button.yes"), () -> answer.complete(true)),
                new Dialogs.Choice(w.msg.get("button.no"), () -> answer.complete(false)));
        p.addComponent(buttons, GridLayout.createLayoutData(GridLayout.Alignment.END, GridLayout.Alignment.CENTER));
        dialog.setComponent(p);
        Dialogs.onEscape(dialog, () -> answer.complete(false));
        w.gui.addWindow(dialog);
        // trusting a key is the answer that needs a deliberate move: No has the focus
        List<Component> row = List.copyOf(buttons.getChildrenList());
        dialog.setFocusedInteractable((Button) row.get(1));
        return dialog;
    }
}
