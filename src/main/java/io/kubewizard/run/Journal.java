package io.kubewizard.run;

import io.kubewizard.plan.Json;
import io.kubewizard.plan.Facts;
import io.kubewizard.run.Event.StepStatus;

import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import io.kubewizard.plan.Observed;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code <run dir>/journal.ndjson}: one JSON line per step state change, forced to disk before the
 * run goes on, so a run killed at any point (Ctrl-C, kill -9, a lost jump host) leaves a journal
 * that says exactly which steps finished. A "run" line opens each run with the answers file's
 * SHA-256; a resume compares it with the file given now.
 */
public final class Journal implements AutoCloseable {
    public static final String FILE = "journal.ndjson";

    /** Where the lines go; the file's channel in a run, a recorder in tests. */
    interface Sink extends AutoCloseable {
        void write(ByteBuffer line) throws IOException;

        /** fsync: the line is on disk when this returns. */
        void force() throws IOException;

        @Override
        void close() throws IOException;
    }

    private final Sink sink;

    Journal(Sink sink) { this.sink = sink; }

    /** A journal that keeps nothing: preflight and reset change no run state. */
    public static Journal none() {
        return new Journal(null);
    }

    /**
     * Opens the run directory's journal and writes the run's opening line: a new run starts a new
     * journal, a resumed one appends to it.
     */
    /**
     * What a run is, as its opening line records it: a resume continues the same workflow from the
     * same observed cluster, so it plans exactly the steps the run began with.
     */
    public record Start(String workflow, Observed observed, java.util.Set<String> forceRemove) {
        public Start {
            forceRemove = java.util.Set.copyOf(forceRemove);
        }
    }

    public static Journal open(Path runDir, String cluster, String answersSha256, boolean resumed, Instant at)
            throws IOException {
        return open(runDir, cluster, answersSha256, resumed, at, null);
    }

    public static Journal open(Path runDir, String cluster, String answersSha256, boolean resumed, Instant at, Start start)
            throws IOException {
        Path file = runDir.resolve(FILE);
        if (resumed) dropTornLine(file);
        if (!Files.exists(file)) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        // a stream, not a FileChannel: an abort interrupts the step threads that write here, and an
        // interrupt closes a channel for every thread (ClosedByInterruptException) mid-run
        FileOutputStream out = new FileOutputStream(file.toFile(), resumed);
        Journal journal = new Journal(new Sink() {
            public void write(ByteBuffer line) throws IOException {
                out.write(line.array(), line.arrayOffset() + line.position(), line.remaining());
                line.position(line.limit());
            }

            public void force() throws IOException { out.getFD().sync(); }

            public void close() throws IOException { out.close(); }
        });
        journal.run(cluster, answersSha256, resumed, at, start);
        return journal;
    }

    /** A kill in the middle of a write leaves half a line at the end; a resume cuts it off before appending. */
    private static void dropTornLine(Path file) throws IOException {
        if (!Files.exists(file)) return;
        try (FileChannel f = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long end = f.size();
            ByteBuffer one = ByteBuffer.allocate(1);
            while (end > 0) {
                one.clear();
                f.read(one, end - 1);
                if (one.get(0) == '\n') break;
                end--;
            }
            if (end < f.size()) {
                f.truncate(end);
                f.force(true);
            }
        }
    }

    void run(String cluster, String answersSha256, boolean resumed, Instant at) throws IOException {
        run(cluster, answersSha256, resumed, at, null);
    }

    void run(String cluster, String answersSha256, boolean resumed, Instant at, Start start) throws IOException {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("type", "run");
        line.put("at", at.toString());
        line.put("cluster", cluster);
        line.put("answersSha256", answersSha256);
        line.put("resumed", resumed);
        if (start != null) {
            line.put("workflow", start.workflow());
            line.put("observed", ObservedJson.toJson(start.observed()));
            line.put("forceRemove", new ArrayList<>(new java.util.TreeSet<>(start.forceRemove())));
        }
        append(line);
    }

    /** A step's new state; {@code message} already masked; {@code facts} only for a finished facts step. */
    synchronized void step(Instant at, String key, StepStatus status, String message, Facts facts) throws IOException {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("type", "step");
        line.put("at", at.toString());
        line.put("key", key);
        line.put("status", status.name());
        if (message != null) line.put("message", message);
        if (facts != null) line.put("facts", facts.toJson());
        append(line);
    }

    private synchronized void append(Map<String, Object> line) throws IOException {
        if (sink == null) return;
        sink.write(ByteBuffer.wrap((Json.write(line) + "\n").getBytes(StandardCharsets.UTF_8)));
        sink.force();
    }

    @Override
    public synchronized void close() throws IOException {
        if (sink != null) sink.close();
    }

    /**
     * What an earlier run left: its runs' answers hashes and each step's last state.
     *
     * @param answersSha256 the hash the latest run line recorded (a --force resume records the new one)
     * @param last          per step key, its last recorded status, in first-seen order
     * @param facts         per host, the facts its finished facts step recorded
     */
    /** @param start what the run began as (its first run line with one); null for a journal from before workflows */
    public record History(String cluster, String answersSha256, Map<String, StepStatus> last, Map<String, Facts> facts,
                          Start start) {
        public History(String cluster, String answersSha256, Map<String, StepStatus> last, Map<String, Facts> facts) {
            this(cluster, answersSha256, last, facts, null);
        }

        public boolean finished(String key) {
            StepStatus s = last.get(key);
            return s == StepStatus.DONE || s == StepStatus.SKIPPED;
        }

        /** The step was running (or about to retry) when the earlier run stopped. */
        public boolean interrupted(String key) {
            StepStatus s = last.get(key);
            return s == StepStatus.RUNNING || s == StepStatus.RETRYING;
        }
    }

    /** An earlier run's journal, or null when there is none. A torn last line (a kill mid-write) is ignored. */
    @SuppressWarnings("unchecked")
    public static History read(Path runDir) throws IOException {
        Path file = runDir.resolve(FILE);
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return null;
        }
        String cluster = null;
        String sha = null;
        Start start = null;
        Map<String, StepStatus> last = new LinkedHashMap<>();
        Map<String, Facts> facts = new LinkedHashMap<>();
        List<String> bad = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String text = lines.get(i);
            if (text.isBlank()) continue;
            try {
                Map<String, Object> line = (Map<String, Object>) Json.parse(text);
                if ("run".equals(line.get("type"))) {
                    cluster = (String) line.get("cluster");
                    sha = (String) line.get("answersSha256");
                    if (start == null && line.get("workflow") instanceof String w) {
                        Observed observed = ObservedJson.fromJson((Map<String, Object>) line.get("observed"));
                        start = new Start(w, observed, new java.util.LinkedHashSet<>((List<String>) line.get("forceRemove")));
                        observed.hosts().forEach((h, st) -> {
                            if (st.facts() != null) facts.put(h, st.facts());
                        });
                    }
                } else if ("step".equals(line.get("type"))) {
                    String key = (String) line.get("key");
                    last.put(key, StepStatus.valueOf((String) line.get("status")));
                    if (line.get("facts") instanceof Map<?, ?> f) {
                        facts.put(key.substring(key.lastIndexOf('@') + 1), Facts.fromJson((Map<String, Object>) f));
                    }
                }
            } catch (IllegalArgumentException | ClassCastException | NullPointerException e) {
                if (i == lines.size() - 1) break;
                bad.add("line " + (i + 1) + ": " + e.getMessage());
            }
        }
        if (!bad.isEmpty()) throw new IOException(file + " is damaged (" + String.join("; ", bad) + ")");
        if (sha == null) throw new IOException(file + " has no run line: it was not written by kubewizard apply");
        return new History(cluster, sha, last, facts, start);
    }
}
