package io.kubewizard.tui;

import com.googlecode.lanterna.terminal.ansi.UnixTerminal;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.Charset;

/**
 * Lanterna's Unix terminal with its terminal set-up done by one process instead of six. Lanterna
 * starts a separate {@code stty} for the saved state, for {@code -icanon}, {@code min 1},
 * {@code -echo} and {@code intr undef}, and the wizard one more for {@code -ixon} (Ctrl-S is XOFF to
 * a terminal with flow control on: it would freeze the output instead of saving); on exit two more
 * (the saved state, then {@code intr ^C}, which is not the user's own interrupt key if it was
 * another). Here one shell reads the state and sets all of it ({@code stty -g && stty ...}), and one
 * {@code stty SAVED} on exit puts back exactly what was there.
 *
 * <p>Its output is buffered ({@link Output}): Lanterna writes each escape sequence and each character
 * as a write of its own and flushes at the end of a refresh, so on System.out, which flushes every
 * write, the first paint was about 3,000 write calls to the terminal instead of one.
 *
 * <p>Lanterna calls {@link #saveTerminalSettings()} from its constructor, so this class's fields
 * have no initialisers: one would overwrite, after the constructor, what the call stored.
 */
final class OneSttyTerminal extends UnixTerminal {
    /** Everything the wizard needs of the terminal: keys one at a time, unechoed, Ctrl-C and Ctrl-S as keys. */
    static final String RAW = "-icanon min 1 -echo intr undef -ixon";

    /** The state {@code stty -g} printed before the set-up; null when there was no terminal to read. */
    private String saved;
    /** Whether the terminal is in {@link #RAW}: the hooks Lanterna calls next then have nothing to do. */
    private boolean raw;

    OneSttyTerminal(InputStream in, OutputStream out, Charset charset) throws IOException {
        super(in, new Output(out), charset, CtrlCBehaviour.TRAP);
    }

    /**
     * Holds what Lanterna writes until it flushes, except a cursor position request
     * ({@code ESC [ 6 n}), which goes out at once: Lanterna writes it without a flush and then waits
     * for the terminal's answer (how it learns the terminal's size, at start and on each resize).
     */
    static final class Output extends BufferedOutputStream {
        private static final byte[] REPORT_POSITION = {0x1b, '[', '6', 'n'};

        Output(OutputStream out) {
            super(out, 1 << 16);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) throws IOException {
            super.write(b, off, len);
            if (java.util.Arrays.equals(b, off, off + len, REPORT_POSITION, 0, REPORT_POSITION.length)) flush();
        }
    }

    /** The one-byte encodings, shared: a screen is mostly ASCII. */
    private static final byte[][] ASCII = new byte[0x80][];

    static {
        for (int c = 0; c < ASCII.length; c++) ASCII[c] = new byte[] {(byte) c};
    }

    /**
     * A character in UTF-8, the wizard's terminal charset, encoded here: Lanterna encodes each one
     * with {@code Charset.encode}, a buffer and an encoder per character (the first paint writes
     * about 3,000), and for a two-byte character its array holds a third byte, a NUL. A lone
     * surrogate is left to Lanterna.
     */
    @Override
    protected byte[] translateCharacter(char c) {
        byte[] encoded = utf8(c);
        return encoded != null ? encoded : super.translateCharacter(c);
    }

    /** The character's UTF-8 bytes; null for a lone surrogate. */
    static byte[] utf8(char c) {
        if (c < 0x80) return ASCII[c];
        if (c < 0x800) return new byte[] {(byte) (0xC0 | c >> 6), (byte) (0x80 | c & 0x3F)};
        if (Character.isSurrogate(c)) return null;
        return new byte[] {(byte) (0xE0 | c >> 12), (byte) (0x80 | c >> 6 & 0x3F), (byte) (0x80 | c & 0x3F)};
    }

    @Override
    protected void saveTerminalSettings() throws IOException {
        // exec runs it with /dev/tty as its input, the terminal stty reads and sets
        String state = exec("/bin/sh", "-c", "stty -g && stty " + RAW).trim();
        saved = state.isEmpty() ? null : state;
        raw = saved != null;
    }

    @Override
    protected void restoreTerminalSettings() throws IOException {
        if (saved == null) return;
        // the state as a positional parameter: it is never parsed as shell text
        exec("/bin/sh", "-c", "stty \"$1\"", "sh", saved);
        raw = false;
    }

    @Override
    protected void canonicalMode(boolean enabled) throws IOException {
        if (raw == enabled || saved == null) super.canonicalMode(enabled);
    }

    @Override
    protected void keyEchoEnabled(boolean enabled) throws IOException {
        if (raw == enabled || saved == null) super.keyEchoEnabled(enabled);
    }

    /**
     * Called with false during set-up (done by RAW) and with true after the restore, which already
     * put back the user's own interrupt key.
     */
    @Override
    protected void keyStrokeSignalsEnabled(boolean enabled) throws IOException {
        if (saved == null) super.keyStrokeSignalsEnabled(enabled);
    }
}
