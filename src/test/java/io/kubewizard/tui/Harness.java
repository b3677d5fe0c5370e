package io.kubewizard.tui;

import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.TextCharacter;
import com.googlecode.lanterna.gui2.MultiWindowTextGUI;
import com.googlecode.lanterna.gui2.SameTextGUIThread;
import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;
import com.googlecode.lanterna.screen.TerminalScreen;
import com.googlecode.lanterna.terminal.virtual.DefaultVirtualTerminal;
import io.kubewizard.testsupport.SystemDeps;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * The wizard on Lanterna's virtual terminal: keys go into its input queue, the GUI thread (this
 * thread, SameTextGUIThread) processes them, and the screen is read back cell by cell. A
 * double-width character is read once, and the cell it also covers is skipped, so a row reads
 * as a person sees it. Public for the cli tests that drive the wizard over the real engine.
 */
public final class Harness {
    public static final Instant T0 = Instant.parse("2026-11-02T10:00:00Z");

    final DefaultVirtualTerminal terminal;
    final TerminalScreen screen;
    final MultiWindowTextGUI gui;
    final Wizard wizard;

    public Harness(int columns, int rows, WizardOptions options) {
        terminal = new DefaultVirtualTerminal(new TerminalSize(columns, rows));
        try {
            screen = new TerminalScreen(terminal);
            screen.startScreen();
            gui = new MultiWindowTextGUI(new SameTextGUIThread.Factory(), screen);
            gui.setTheme(Themes.load(themes(), "dark"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        wizard = new Wizard(gui, options);
        wizard.open();
        pump();
    }

    public static Path themes() { return SystemDeps.root().resolve("themes"); }

    public static Path presets() { return SystemDeps.root().resolve("presets"); }

    public static WizardOptions options(Locale locale, Path home, Path work) {
        return WizardOptions.of(locale, themes(), presets(), home, work)
                .withClock(Clock.fixed(T0.plusSeconds(75), ZoneOffset.UTC));
    }

    /** Processes every queued key and task, then paints. */
    public void pump() {
        try {
            int idle = 0;
            for (int round = 0; idle < 2; round++) {
                if (round > 500) fail("the screen never settles: something invalidates itself on every paint");
                if (gui.getGUIThread().processEventsAndUpdate()) idle = 0;
                else idle++;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Pumps until the condition holds (events from another thread arrive through the feed's ticker). */
    public void pumpUntil(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) fail("timed out waiting for " + what + "; screen:\n" + text());
            pump();
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }

    public Harness type(String text) {
        for (char c : text.toCharArray()) {
            terminal.addInput(c == '\n' ? new KeyStroke(KeyType.Enter) : new KeyStroke(c, false, false));
        }
        pump();
        return this;
    }

    public Harness key(KeyType type, int times) {
        for (int i = 0; i < times; i++) terminal.addInput(new KeyStroke(type));
        pump();
        return this;
    }

    public Harness key(KeyType type) { return key(type, 1); }

    public Harness ctrl(char c) {
        terminal.addInput(new KeyStroke(c, true, false));
        pump();
        return this;
    }

    /** Alt and a letter: Alt-N is Next, Alt-B is Back. */
    public Harness alt(char c) {
        terminal.addInput(new KeyStroke(c, false, true));
        pump();
        return this;
    }

    public Harness tab(int times) { return key(KeyType.Tab, times); }

    public Harness backTab() { return key(KeyType.ReverseTab); }

    public Harness enter() { return key(KeyType.Enter); }

    public Harness escape() { return key(KeyType.Escape); }

    /** The page the wizard shows now, as its id ("review", "run", "finish"). */
    public String page() { return wizard.page().id(); }

    /** Deletes a one-line text box's content (End, then Backspace over it). */
    Harness clear(int length) {
        key(KeyType.End);
        return key(KeyType.Backspace, length);
    }

    Harness resize(int columns, int rows) {
        terminal.setTerminalSize(new TerminalSize(columns, rows));
        pump();
        return this;
    }

    /** One screen row as displayed, trailing spaces removed. */
    public String row(int y) {
        StringBuilder sb = new StringBuilder();
        int columns = terminal.getTerminalSize().getColumns();
        for (int x = 0; x < columns; x++) {
            TextCharacter c = terminal.getCharacter(x, y);
            sb.append(c.getCharacterString());
            if (c.isDoubleWidth()) x++;
        }
        return sb.toString().stripTrailing();
    }

    public List<String> lines() {
        List<String> out = new ArrayList<>();
        for (int y = 0; y < terminal.getTerminalSize().getRows(); y++) out.add(row(y));
        return out;
    }

    public String text() { return String.join("\n", lines()); }

    public boolean shows(String s) { return text().contains(s); }

    /** Every row stripped and joined by one space: a wrapped message reads as one line again. */
    public String flat() {
        return String.join(" ", lines().stream().map(String::strip).filter(l -> !l.isEmpty()).toList());
    }

    /** The screen column (display width) where {@code s} starts on the first row showing it, or -1. */
    int column(String s) {
        for (String line : lines()) {
            int i = line.indexOf(s);
            if (i >= 0) return Text.width(line.substring(0, i));
        }
        return -1;
    }

    /**
     * Asserts that {@code text}, wrapped as the wizard wraps messages at this screen's width, stands on
     * consecutive rows, each row exactly one wrapped line (the row's own margins aside).
     */
    public void assertShows(String text) { assertShows(text, wizard.wrapWidth()); }

    /** As {@link #assertShows(String)}, wrapped at {@code width} (a dialog's own), borders ignored. */
    public void assertShows(String text, int width) {
        String[] expected = Text.wrap(text, width).split("\n");
        List<String> rows = lines();
        for (int y = 0; y + expected.length <= rows.size(); y++) {
            boolean all = true;
            for (int i = 0; i < expected.length && all; i++) {
                all = strip(rows.get(y + i)).equals(expected[i].strip());
            }
            if (all) return;
        }
        fail("the screen does not show, as wrapped lines:\n" + String.join("\n", expected) + "\nscreen:\n" + text());
    }

    /** A row without the margin and the scroll marks (▲ ▼) at its right edge. */
    private static String strip(String row) {
        String r = row.strip();
        int open = r.indexOf('│');
        int close = r.lastIndexOf('│');
        if (open >= 0 && close > open) r = r.substring(open + 1, close).strip();
        if (r.endsWith("▲") || r.endsWith("▼")) r = r.substring(0, r.length() - 1).strip();
        return r;
    }

    /** The first row containing {@code s}. */
    public String rowWith(String s) {
        for (String line : lines()) if (line.contains(s)) return line;
        throw new AssertionError("no row shows '" + s + "'; screen:\n" + text());
    }
}
