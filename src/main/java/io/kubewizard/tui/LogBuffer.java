package io.kubewizard.tui;

/**
 * The last {@code capacity} lines of one host's output: a ring, so a host printing without end costs
 * fixed memory and appending never copies. GUI thread only.
 */
final class LogBuffer {
    private final String[] lines;
    private int start;
    private int size;
    private long total;

    LogBuffer(int capacity) { lines = new String[capacity]; }

    void append(String line) {
        total++;
        if (size < lines.length) {
            lines[(start + size) % lines.length] = line;
            size++;
        } else {
            lines[start] = line;
            start = (start + 1) % lines.length;
        }
    }

    int size() { return size; }

    /** Line {@code i} of those kept, 0 the oldest. */
    String get(int i) {
        if (i < 0 || i >= size) throw new IndexOutOfBoundsException(i + " of " + size);
        return lines[(start + i) % lines.length];
    }

    /** Every line ever appended, kept or not. */
    long total() { return total; }
}
