package io.kubewizard.tui;

import com.googlecode.lanterna.gui2.TextGUIThread;
import io.kubewizard.run.Event;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The engine's events, handed to Lanterna's GUI thread. {@link #on} only queues (the engine must
 * never wait on the screen); a ticker posts one drain to the GUI thread at most every
 * {@link #FRAME_MILLIS}, so a host printing 10,000 lines a second costs a few repaints a second, not
 * ten thousand, and keys stay responsive. If the GUI falls behind, output lines beyond
 * {@link #MAX_PENDING_OUTPUT} are dropped and counted; state changes are never dropped.
 */
final class RunFeed implements Event.Listener {
    static final int FRAME_MILLIS = 40;
    static final int MAX_PENDING_OUTPUT = 50_000;

    private final ConcurrentLinkedQueue<Event> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger pendingOutput = new AtomicInteger();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicBoolean posted = new AtomicBoolean();
    private final TextGUIThread gui;
    private final Runnable drain;
    private final Runnable tick;
    private ScheduledExecutorService ticker;

    /**
     * @param drain runs on the GUI thread when events are waiting
     * @param tick  runs on the GUI thread once a second (the elapsed-time clock)
     */
    RunFeed(TextGUIThread gui, Runnable drain, Runnable tick) {
        this.gui = gui;
        this.drain = drain;
        this.tick = tick;
    }

    @Override
    public void on(Event event) {
        if (event instanceof Event.Output) {
            if (pendingOutput.incrementAndGet() > MAX_PENDING_OUTPUT) {
                pendingOutput.decrementAndGet();
                dropped.incrementAndGet();
                return;
            }
        }
        queue.add(event);
    }

    /** Everything queued so far, oldest first. GUI thread. */
    List<Event> take() {
        List<Event> out = new ArrayList<>();
        for (Event e; (e = queue.poll()) != null; ) {
            if (e instanceof Event.Output) pendingOutput.decrementAndGet();
            out.add(e);
        }
        return out;
    }

    /** Output lines dropped because the screen fell behind. */
    long dropped() { return dropped.get(); }

    void start() {
        if (ticker != null) return;
        ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "kubewizard-run-feed");
            t.setDaemon(true);
            return t;
        });
        ticker.scheduleAtFixedRate(this::post, FRAME_MILLIS, FRAME_MILLIS, TimeUnit.MILLISECONDS);
        ticker.scheduleAtFixedRate(() -> invoke(tick), 1, 1, TimeUnit.SECONDS);
    }

    private void post() {
        if (queue.isEmpty() || !posted.compareAndSet(false, true)) return;
        invoke(() -> {
            posted.set(false);
            drain.run();
        });
    }

    private void invoke(Runnable r) {
        try {
            gui.invokeLater(r);
        } catch (IllegalStateException stopped) {
            stop();
        }
    }

    void stop() {
        if (ticker != null) ticker.shutdownNow();
        ticker = null;
    }
}
