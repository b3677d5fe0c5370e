package io.kubewizard.console;

import io.kubewizard.run.Event;
import io.kubewizard.run.TransportFactory;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Clock;

/**
 * The terminal as a run uses it: progress (live when the terminal can redraw in place, one line
 * per change otherwise) and the questions a run may need answered. Only this package knows JLine.
 */
public final class Console implements AutoCloseable {
    private final PrintWriter out;
    private final Event.Listener progress;
    private final TransportFactory.Prompter prompter;
    private final boolean interactive;
    private final Terminal terminal;
    private final LiveProgress live;

    private Console(PrintWriter out, Event.Listener progress, TransportFactory.Prompter prompter, boolean interactive,
                    Terminal terminal, LiveProgress live) {
        this.out = out;
        this.progress = progress;
        this.prompter = prompter;
        this.interactive = interactive;
        this.terminal = terminal;
        this.live = live;
    }

    /**
     * The process's own terminal. Lines instead of live progress with {@code plain}, on a dumb
     * terminal, or when input or output is not a terminal (then nobody can answer a question
     * either, and every question is declined).
     */
    public static Console system(boolean plain, PrintWriter out) throws IOException {
        if (System.console() == null) return lines(out, TransportFactory.Prompter.NON_INTERACTIVE, false);
        Terminal terminal = TerminalBuilder.builder().system(true).build();
        return on(terminal, plain, Clock.systemUTC(), true);
    }

    /** Progress as lines on {@code out}, questions answered by {@code prompter}. */
    public static Console lines(PrintWriter out, TransportFactory.Prompter prompter, boolean interactive) {
        return new Console(out, new PlainProgress(out), prompter, interactive, null, null);
    }

    /** A terminal: live progress unless {@code plain} or the terminal is dumb. */
    static Console on(Terminal terminal, boolean plain, Clock clock, boolean tick) {
        PrintWriter w = terminal.writer();
        if (plain || isDumb(terminal)) {
            return new Console(w, new PlainProgress(w), new ConsolePrompter(terminal, null), true, terminal, null);
        }
        LiveProgress live = new LiveProgress(terminal, clock, tick);
        return new Console(w, live, new ConsolePrompter(terminal, live), true, terminal, live);
    }

    static boolean isDumb(Terminal terminal) {
        String type = terminal.getType();
        return type == null || type.startsWith(Terminal.TYPE_DUMB);
    }

    /** Where a command's own output goes. */
    public PrintWriter out() { return out; }

    public Event.Listener progress() { return progress; }

    public TransportFactory.Prompter prompter() { return prompter; }

    /** Whether a person can answer questions (a confirmation is asked, not assumed). */
    public boolean interactive() { return interactive; }

    @Override
    public void close() throws IOException {
        if (live != null) live.close();
        out.flush();
        if (terminal != null) terminal.close();
    }
}
