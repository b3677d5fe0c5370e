package io.kubewizard.tui;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class OneSttyTerminalOutputTest {
    /** What reached the terminal, one string per write the stream below was given. */
    private static final class Writes extends OutputStream {
        final List<String> writes = new ArrayList<>();
        final ByteArrayOutputStream pending = new ByteArrayOutputStream();

        @Override
        public void write(int b) {
            pending.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            writes.add(new String(b, off, len, StandardCharsets.UTF_8));
        }
    }

    private static void write(OutputStream out, String s) throws IOException {
        out.write(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aPaintGoesOutAsOneWriteAtTheFlushAndACursorReportRequestAtOnce() throws IOException {
        Writes terminal = new Writes();
        OneSttyTerminal.Output out = new OneSttyTerminal.Output(terminal);
        write(out, "\u001b[?1049h");
        write(out, "\u001b[1;1H");
        for (char c : "Welcome".toCharArray()) write(out, String.valueOf(c));
        assertEquals(List.of(), terminal.writes, "nothing before the flush");
        out.flush();
        assertEquals(List.of("\u001b[?1049h\u001b[1;1HWelcome"), terminal.writes);

        // the size query: save, move far, ask, restore; Lanterna then waits for the answer unflushed
        write(out, "\u001b[s");
        write(out, "\u001b[5001;5001H");
        write(out, "\u001b[6n");
        assertEquals(List.of("\u001b[?1049h\u001b[1;1HWelcome", "\u001b[s\u001b[5001;5001H\u001b[6n"), terminal.writes);
        write(out, "\u001b[u");
        write(out, "x\u001b[6n");
        assertEquals(2, terminal.writes.size(), "only a write of the request alone is one");
        out.flush();
        assertEquals("\u001b[ux\u001b[6n", terminal.writes.get(2));
        assertEquals(0, terminal.pending.size());
    }

    @Test
    void everyCharacterIsWrittenInUtf8ExactlyAsJavaEncodesIt() {
        for (int c = 0; c <= 0xFFFF; c++) {
            char ch = (char) c;
            byte[] ours = OneSttyTerminal.utf8(ch);
            if (Character.isSurrogate(ch)) {
                assertNull(ours, "a lone surrogate is Lanterna's: " + Integer.toHexString(c));
            } else {
                assertArrayEquals(String.valueOf(ch).getBytes(StandardCharsets.UTF_8), ours, "U+" + Integer.toHexString(ch));
            }
        }
        assertArrayEquals(new byte[] {(byte) 0xC2, (byte) 0xB7}, OneSttyTerminal.utf8('·'), "two bytes, no NUL after them");
        assertArrayEquals(new byte[] {(byte) 0xE2, (byte) 0x94, (byte) 0x80}, OneSttyTerminal.utf8('─'));
        assertArrayEquals(new byte[] {(byte) 0xEB, (byte) 0x8B, (byte) 0xA4}, OneSttyTerminal.utf8('다'));
    }
}
