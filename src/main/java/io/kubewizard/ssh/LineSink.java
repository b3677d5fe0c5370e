package io.kubewizard.ssh;

import io.kubewizard.run.Transport.OutputListener;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * One output stream of a remote command, cut into lines as bytes arrive: each line goes to the
 * listener at once (live progress) and into a bounded tail (the failure summary's "last lines of
 * stderr"). MINA writes from its I/O thread while the caller reads the tail after the channel closed.
 */
final class LineSink extends OutputStream {

    /** The tail keeps whole last lines up to this many characters. */
    static final int TAIL_CHARS = 4096;
    /** A "line" longer than this (binary output, a progress bar without newlines) is cut. */
    static final int MAX_LINE_BYTES = 64 * 1024;

    private final OutputListener listener;
    private final boolean stderr;
    private final ByteArrayOutputStream current = new ByteArrayOutputStream();
    private final Deque<String> tail = new ArrayDeque<>();
    private int tailChars;

    LineSink(OutputListener listener, boolean stderr) {
        this.listener = listener;
        this.stderr = stderr;
    }

    @Override
    public synchronized void write(int b) {
        if (b == '\n') {
            emit();
        } else {
            current.write(b);
            if (current.size() >= MAX_LINE_BYTES) emit();
        }
    }

    @Override
    public synchronized void write(byte[] bytes, int off, int len) {
        int start = off;
        int end = off + len;
        for (int i = off; i < end; i++) {
            if (bytes[i] == '\n') {
                current.write(bytes, start, i - start);
                emit();
                start = i + 1;
            } else if (current.size() + (i - start + 1) >= MAX_LINE_BYTES) {
                current.write(bytes, start, i - start + 1);
                emit();
                start = i + 1;
            }
        }
        current.write(bytes, start, end - start);
    }

    /** Emits a last line that had no newline; called once the command ended. */
    synchronized void finish() {
        if (current.size() > 0) emit();
    }

    synchronized String tail() {
        return String.join("\n", tail);
    }

    private void emit() {
        String line = current.toString(StandardCharsets.UTF_8);
        current.reset();
        if (line.endsWith("\r")) line = line.substring(0, line.length() - 1);
        listener.line(line, stderr);
        String kept = line.length() > TAIL_CHARS ? line.substring(line.length() - TAIL_CHARS) : line;
        tail.addLast(kept);
        tailChars += kept.length() + 1;
        while (tailChars - 1 > TAIL_CHARS && tail.size() > 1) {
            tailChars -= tail.removeFirst().length() + 1;
        }
    }
}
