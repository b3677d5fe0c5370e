package io.kubewizard.bundle;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** A minimal ustar writer: regular files and directories, mode 0644/0755, mtime 0, names under 100 bytes. */
final class Tar implements AutoCloseable {
    private final OutputStream out;

    Tar(OutputStream out) { this.out = out; }

    void dir(String name) throws IOException { header(name, 0, '5', 0755); }

    void file(String name, byte[] data) throws IOException {
        header(name, data.length, '0', 0644);
        out.write(data);
        pad(data.length);
    }

    private void header(String name, long size, char type, int mode) throws IOException {
        byte[] h = new byte[512];
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        if (n.length > 99) throw new IOException("tar name too long: " + name);
        System.arraycopy(n, 0, h, 0, n.length);
        octal(h, 100, 8, mode);
        octal(h, 108, 8, 0);
        octal(h, 116, 8, 0);
        octal(h, 124, 12, size);
        octal(h, 136, 12, 0);
        for (int i = 148; i < 156; i++) h[i] = ' ';
        h[156] = (byte) type;
        System.arraycopy("ustar\0".getBytes(StandardCharsets.US_ASCII), 0, h, 257, 6);
        h[263] = '0'; h[264] = '0';
        long sum = 0;
        for (byte b : h) sum += b & 0xff;
        octal(h, 148, 7, sum);
        out.write(h);
    }

    private static void octal(byte[] h, int off, int len, long v) {
        String s = Long.toOctalString(v);
        while (s.length() < len - 1) s = "0" + s;
        System.arraycopy(s.getBytes(StandardCharsets.US_ASCII), 0, h, off, len - 1);
        h[off + len - 1] = 0;
    }

    private void pad(long size) throws IOException {
        int rem = (int) (size % 512);
        if (rem != 0) out.write(new byte[512 - rem]);
    }

    @Override
    public void close() throws IOException {
        out.write(new byte[1024]);
        out.flush();
    }
}
