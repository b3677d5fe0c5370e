package io.kubewizard.console;

import io.kubewizard.run.Event;
import org.jline.terminal.Terminal;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStringBuilder;
import org.jline.utils.AttributedStyle;
import org.jline.utils.Display;

import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Live progress on a terminal that can move its cursor: the phases with ✓, ✗ or a spinner, each
 * host's current step and how long it has run, and the time since the start, redrawn in place
 * (JLine's Display rewrites only what changed). A ticker keeps the spinner and clocks moving
 * between events. When the run ends the last frame stays and the summary follows it.
 */
public final class LiveProgress implements Event.Listener, AutoCloseable {
    static final String SPINNER = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏";
    static final Duration FRAME = Duration.ofMillis(100);

    private final Terminal terminal;
    private final Display display;
    private final Clock clock;
    private final ProgressModel model = new ProgressModel();
    private final ScheduledExecutorService ticker;
    private boolean suspended;
    private boolean ended;

    /** @param tick false in tests, which redraw by sending events */
    LiveProgress(Terminal terminal, Clock clock, boolean tick) {
        this.terminal = terminal;
        this.clock = clock;
        this.display = new Display(terminal, false);
        if (tick) {
            ticker = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "kubewizard-progress");
                t.setDaemon(true);
                return t;
            });
            ticker.scheduleAtFixedRate(this::redraw, FRAME.toMillis(), FRAME.toMillis(), TimeUnit.MILLISECONDS);
        } else {
            ticker = null;
        }
    }

    @Override
    public synchronized void on(Event event) {
        if (event instanceof Event.Output) return;
        model.apply(event);
        redraw();
        if (event instanceof Event.RunFinished e) {
            ended = true;
            PrintWriter w = terminal.writer();
            // The cursor rests at the end of the frame's last line: end it, the summary follows.
            w.println();
            PlainProgress.summary(e, "").forEach(w::println);
            w.flush();
        }
    }

    private synchronized void redraw() {
        if (suspended || ended || model.start == null) return;
        display.resize(terminal.getHeight(), terminal.getWidth());
        display.update(lines(model, clock.instant(), terminal.getWidth(), terminal.getHeight()), -1);
        terminal.flush();
    }

    /** Clears the frame so a question can be asked below the output; {@link #resume} draws it again. */
    synchronized void suspend() {
        if (suspended || ended || model.start == null) {
            suspended = true;
            return;
        }
        display.update(List.of(), 0);
        terminal.flush();
        suspended = true;
    }

    synchronized void resume() {
        suspended = false;
        display.reset();
        redraw();
    }

    @Override
    public void close() {
        if (ticker != null) ticker.shutdownNow();
    }

    /**
     * The frame: a heading, one line per phase, one per host; each cut to the terminal's width.
     * When the hosts do not fit in its height, the busy and failed ones are shown and the rest counted.
     */
    static List<AttributedString> lines(ProgressModel m, Instant now, int width, int height) {
        Instant end = m.finished != null ? m.finished.at() : now;
        String spin = String.valueOf(SPINNER.charAt((int) (now.toEpochMilli() / FRAME.toMillis() % SPINNER.length())));
        List<AttributedString> out = new ArrayList<>();
        out.add(new AttributedStringBuilder().style(AttributedStyle.BOLD).append("Cluster " + m.cluster)
                .style(AttributedStyle.DEFAULT).append(" · " + Elapsed.between(m.start, end)).toAttributedString());
        for (ProgressModel.PhaseView p : m.phases.values()) {
            AttributedStringBuilder b = new AttributedStringBuilder();
            switch (p.state) {
                case PENDING -> b.style(AttributedStyle.DEFAULT.faint()).append("· ");
                case RUNNING -> b.style(AttributedStyle.DEFAULT.foreground(AttributedStyle.CYAN)).append(spin + " ");
                case OK -> b.style(AttributedStyle.DEFAULT.foreground(AttributedStyle.GREEN)).append("✓ ");
                case FAILED -> b.style(AttributedStyle.DEFAULT.foreground(AttributedStyle.RED)).append("✗ ");
            }
            b.append(p.title);
            out.add(b.toAttributedString());
        }
        // One line stays free below the frame, where the cursor rests.
        List<String> shown = shownHosts(m, Math.max(1, height - 1 - out.size()));
        int nameWidth = shown.stream().mapToInt(String::length).max().orElse(0);
        for (String host : shown) {
            AttributedStringBuilder b = new AttributedStringBuilder().append("  ")
                    .append(String.format("%-" + nameWidth + "s", host)).append("  ");
            ProgressModel.HostView h = m.hosts.get(host);
            if (h == null) {
                b.style(AttributedStyle.DEFAULT.faint()).append("waiting");
            } else {
                switch (h.status()) {
                    case RUNNING -> b.append(spin + " " + h.stepId() + " " + Elapsed.between(h.since(), end));
                    case RETRYING -> b.style(AttributedStyle.DEFAULT.foreground(AttributedStyle.YELLOW))
                            .append("↻ " + h.stepId() + ": " + h.message());
                    case DONE, SKIPPED -> b.append("✓ " + h.stepId());
                    case FAILED -> b.style(AttributedStyle.DEFAULT.foreground(AttributedStyle.RED))
                            .append("✗ " + h.stepId() + ": " + h.message());
                    case BLOCKED -> b.style(AttributedStyle.DEFAULT.faint()).append("- " + h.stepId() + " blocked");
                }
            }
            out.add(b.toAttributedString());
        }
        if (shown.size() < m.hosts.size()) {
            out.add(new AttributedStringBuilder().style(AttributedStyle.DEFAULT.faint())
                    .append("  … " + (m.hosts.size() - shown.size()) + " more hosts").toAttributedString());
        }
        return out.stream().map(l -> l.columnLength() > width - 1 ? l.columnSubSequence(0, width - 1) : l).toList();
    }

    /**
     * Every host when they fit in {@code rows}; else the failing, then the busy, then the others, shown in
     * file order, with one row left for the count of those not shown.
     */
    private static List<String> shownHosts(ProgressModel m, int rows) {
        List<String> all = new ArrayList<>(m.hosts.keySet());
        if (all.size() <= rows) return all;
        List<String> ranked = new ArrayList<>(all);
        ranked.sort(java.util.Comparator.comparingInt(h -> rank(m.hosts.get(h))));
        java.util.Set<String> keep = new java.util.HashSet<>(ranked.subList(0, Math.max(0, rows - 1)));
        return all.stream().filter(keep::contains).toList();
    }

    private static int rank(ProgressModel.HostView h) {
        if (h == null) return 3;
        return switch (h.status()) {
            case FAILED -> 0;
            case RUNNING, RETRYING -> 1;
            default -> 2;
        };
    }
}
