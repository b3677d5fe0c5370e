package io.kubewizard.tui;

import com.googlecode.lanterna.gui2.Component;
import io.kubewizard.answers.Problem;

import java.util.List;

/**
 * One page of the wizard. A page builds fresh components from {@link FormState} every time it is
 * shown and writes every edit straight back, so Back and Next never lose input and a resize only
 * re-wraps text.
 */
abstract class Page {
    protected final Wizard w;

    Page(Wizard w) { this.w = w; }

    /** Stable id: message keys ("page.cluster.title") and tests use it, never the title. */
    abstract String id();

    /** The validator's field prefixes this page edits; Next is refused while any has an error. */
    abstract String[] fields();

    /** Fresh components showing the current state. */
    abstract Component build();

    /** Shows this page's problems (already filtered by {@link #fields()}). */
    abstract void show(List<Problem> problems);

    /** The screen is this many columns wide now (after a resize, or before the first show). */
    void width(int columns) {}

    String title() { return w.msg.get("page." + id() + ".title"); }

    String help() { return w.msg.get("page." + id() + ".help"); }

    String nextLabel() { return w.msg.get("button.next"); }

    boolean hasBack() { return true; }

    boolean hasNext() { return true; }

    /**
     * Next was pressed and the page has no errors: do what leaving it means and say whether to go on.
     * The Welcome page loads the chosen answers here; Review starts the install.
     */
    boolean leave() { return true; }

    /** The page Next goes to once this one is left: the next one, unless the page knows better. */
    int nextPage(int current) { return current + 1; }

    /** A key pressed on this page's window before the wizard's own keys; true when the page took it. */
    boolean key(com.googlecode.lanterna.input.KeyStroke key) { return false; }
}
