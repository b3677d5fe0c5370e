package io.kubewizard.console;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Enough of an xterm to replay what JLine wrote and read the screen a person would see: cursor
 * movement, erasing, inserting and deleting characters, line wrap with xterm's delayed wrap, and
 * scrolling. Attributes (colours, bold) are read and ignored.
 */
final class VirtualScreen {
    private final int rows;
    private final int cols;
    private final List<char[]> lines = new ArrayList<>();
    private int row;
    private int col;
    private boolean wrapPending;
    private int savedRow;
    private int savedCol;

    VirtualScreen(int rows, int cols) {
        this.rows = rows;
        this.cols = cols;
        for (int i = 0; i < rows; i++) lines.add(blank());
    }

    private char[] blank() {
        char[] line = new char[cols];
        Arrays.fill(line, ' ');
        return line;
    }

    VirtualScreen play(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == 0x1b) {
                i = escape(text, i + 1);
                continue;
            }
            switch (c) {
                case '\r' -> { col = 0; wrapPending = false; }
                case '\n' -> { lineFeed(); wrapPending = false; }
                case '\b' -> { if (col > 0) col--; wrapPending = false; }
                case '\t' -> col = Math.min(cols - 1, (col / 8 + 1) * 8);
                case 7 -> { }
                default -> put(c);
            }
        }
        return this;
    }

    private void put(char c) {
        if (wrapPending) {
            col = 0;
            lineFeed();
            wrapPending = false;
        }
        lines.get(row)[col] = c;
        if (col == cols - 1) wrapPending = true;
        else col++;
    }

    private void lineFeed() {
        if (row == rows - 1) {
            lines.remove(0);
            lines.add(blank());
        } else {
            row++;
        }
    }

    /** Reads one escape sequence starting after ESC; returns the index of its last character. */
    private int escape(String s, int i) {
        char kind = s.charAt(i);
        if (kind == '7') { savedRow = row; savedCol = col; return i; }
        if (kind == '8') { row = savedRow; col = savedCol; return i; }
        if (kind == '(' || kind == ')') return i + 1;
        if (kind != '[') return i;
        int j = i + 1;
        boolean privateMode = j < s.length() && s.charAt(j) == '?';
        if (privateMode) j++;
        StringBuilder params = new StringBuilder();
        while (j < s.length() && (Character.isDigit(s.charAt(j)) || s.charAt(j) == ';')) params.append(s.charAt(j++));
        char fin = s.charAt(j);
        if (privateMode) return j;
        String[] p = params.toString().split(";", -1);
        int n = p[0].isEmpty() ? 1 : Integer.parseInt(p[0]);
        // Colours leave a pending wrap alone; moving or erasing cancels it.
        if (fin != 'm') wrapPending = false;
        switch (fin) {
            case 'A' -> row = Math.max(0, row - n);
            case 'B' -> row = Math.min(rows - 1, row + n);
            case 'C' -> col = Math.min(cols - 1, col + n);
            case 'D' -> col = Math.max(0, col - n);
            case 'G' -> col = Math.min(cols - 1, n - 1);
            case 'H' -> {
                row = Math.min(rows - 1, n - 1);
                col = p.length > 1 && !p[1].isEmpty() ? Math.min(cols - 1, Integer.parseInt(p[1]) - 1) : 0;
            }
            case 'K' -> {
                int mode = p[0].isEmpty() ? 0 : n;
                char[] line = lines.get(row);
                if (mode == 0) Arrays.fill(line, col, cols, ' ');
                else if (mode == 1) Arrays.fill(line, 0, col + 1, ' ');
                else Arrays.fill(line, ' ');
            }
            case 'J' -> {
                Arrays.fill(lines.get(row), col, cols, ' ');
                for (int r = row + 1; r < rows; r++) lines.set(r, blank());
            }
            case 'P' -> {
                char[] line = lines.get(row);
                int k = Math.min(n, cols - col);
                System.arraycopy(line, col + k, line, col, cols - col - k);
                Arrays.fill(line, cols - k, cols, ' ');
            }
            case '@' -> {
                char[] line = lines.get(row);
                int k = Math.min(n, cols - col);
                System.arraycopy(line, col, line, col + k, cols - col - k);
                Arrays.fill(line, col, col + k, ' ');
            }
            case 'm' -> { }
            default -> throw new IllegalArgumentException("escape sequence ESC[" + params + fin + " is not understood");
        }
        return j;
    }

    /** The screen's lines, trailing blanks cut, empty lines at the bottom left out. */
    List<String> text() {
        List<String> out = new ArrayList<>();
        for (char[] line : lines) out.add(new String(line).stripTrailing());
        while (!out.isEmpty() && out.get(out.size() - 1).isEmpty()) out.remove(out.size() - 1);
        return out;
    }

    int cursorRow() { return row; }
}
