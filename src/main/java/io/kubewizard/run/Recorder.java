package io.kubewizard.run;

import io.kubewizard.plan.Facts;
import io.kubewizard.plan.Step;
import io.kubewizard.run.Event.StepStatus;

import java.io.BufferedWriter;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one way out of the engine for anything a person or a file will see: events to the
 * listeners, step states to the journal, lines to the per-host logs ({@code <run dir>/logs/<host>.log}).
 * Everything passes the masker here first, so no caller can forget to.
 */
public final class Recorder implements AutoCloseable {
    /** The log of the checks the jump host makes itself ({@link Step#ACROSS_HOSTS}). */
    static final String ACROSS_HOSTS_LOG = "all-hosts";

    private final Masker masker;
    private final Journal journal;
    private final Path logsDir;
    private final List<Event.Listener> listeners;
    private final Map<String, BufferedWriter> logs = new LinkedHashMap<>();
    private boolean closed;

    /** A write that failed: the run cannot go on without its journal and logs. */
    static final class RecordException extends UncheckedIOException {
        RecordException(String what, IOException cause) { super(what + ": " + cause.getMessage(), cause); }
    }

    /** @param logsDir null to keep no logs */
    public Recorder(Masker masker, Journal journal, Path logsDir, List<Event.Listener> listeners) {
        this.masker = masker;
        this.journal = journal;
        this.logsDir = logsDir;
        this.listeners = List.copyOf(listeners);
    }

    public Masker masker() { return masker; }

    /** Listeners hear events one at a time, in the order they happened. */
    public synchronized void publish(Event event) {
        for (Event.Listener l : listeners) l.on(event);
    }

    synchronized void step(Instant at, Step step, StepStatus status, String message) {
        step(at, step, status, message, null);
    }

    synchronized void step(Instant at, Step step, StepStatus status, String message, Facts facts) {
        String masked = masker.mask(message);
        try {
            journal.step(at, step.key(), status, masked, facts);
        } catch (IOException e) {
            throw new RecordException("cannot write the journal", e);
        }
        log(at, step.host(), step.key() + ": " + status.name().toLowerCase(java.util.Locale.ROOT)
                + (masked != null ? ": " + masked : ""));
        publish(new Event.StepChanged(at, step.key(), step.id(), step.host(), step.title(), status, masked));
    }

    /**
     * A failed step left undone on request: shown as skipped, journaled as nothing new, so the
     * journal keeps it FAILED and a resume runs it again.
     */
    synchronized void skipped(Instant at, Step step, String message) {
        shownOnly(at, step, StepStatus.SKIPPED, message);
    }

    /**
     * A step interrupted by an abort: shown as failed, while the journal keeps it RUNNING, so a
     * resume knows it may have been partly done.
     */
    synchronized void stopped(Instant at, Step step, String message) {
        shownOnly(at, step, StepStatus.FAILED, message);
    }

    private void shownOnly(Instant at, Step step, StepStatus status, String message) {
        String masked = masker.mask(message);
        log(at, step.host(), step.key() + ": " + status.name().toLowerCase(java.util.Locale.ROOT) + ": " + masked);
        publish(new Event.StepChanged(at, step.key(), step.id(), step.host(), step.title(), status, masked));
    }

    /** A step's state taken over from an earlier run: shown, not journaled again. */
    synchronized void earlier(Instant at, Step step, StepStatus status) {
        publish(new Event.StepChanged(at, step.key(), step.id(), step.host(), step.title(), status, "in an earlier run"));
    }

    synchronized void output(Instant at, String host, String stepKey, String line, boolean stderr) {
        String masked = masker.mask(line);
        log(at, host, (stderr ? "! " : "| ") + masked);
        publish(new Event.Output(at, host, stepKey, masked, stderr));
    }

    synchronized void log(Instant at, String host, String line) {
        // closed: a connection that outlives the run (MINA's threads) must not open a log again
        if (logsDir == null || closed) return;
        try {
            BufferedWriter w = logs.get(host);
            if (w == null) {
                RunSecrets.privateDirectory(logsDir);
                String name = host.equals(Step.ACROSS_HOSTS) ? ACROSS_HOSTS_LOG : host;
                Path file = logsDir.resolve(name + ".log");
                if (!Files.exists(file)) {
                    Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                }
                // a stream, not a channel: an interrupt (an abort) must not close a log other steps share
                w = new BufferedWriter(new OutputStreamWriter(new FileOutputStream(file.toFile(), true),
                        StandardCharsets.UTF_8));
                logs.put(host, w);
            }
            w.write(at + " " + masker.mask(line) + "\n");
            w.flush();
        } catch (IOException e) {
            throw new RecordException("cannot write the log of " + host, e);
        }
    }

    @Override
    public synchronized void close() throws IOException {
        closed = true;
        IOException first = null;
        for (BufferedWriter w : logs.values()) {
            try {
                w.close();
            } catch (IOException e) {
                if (first == null) first = e;
            }
        }
        logs.clear();
        try {
            journal.close();
        } catch (IOException e) {
            if (first == null) first = e;
        }
        if (first != null) throw first;
    }
}
