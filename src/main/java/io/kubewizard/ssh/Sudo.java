package io.kubewizard.ssh;

import io.kubewizard.plan.Shell;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * How a non-root user's commands become root. With a password, {@code sudo -S} reads it as the first
 * line of standard input (never from the command line), {@code -p ''} keeps the prompt out of stderr,
 * and {@code -k} makes sudo ask every time: with a cached credential it would not read the line, and
 * the password would reach the command's input instead.
 *
 * @param passwordLine the password and a newline, or null when {@code sudo -n} works
 */
record Sudo(byte[] passwordLine) {

    static final Sudo NO_PASSWORD = new Sudo(null);

    static Sudo withPassword(char[] password) {
        ByteBuffer encoded = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
        byte[] line = new byte[encoded.remaining() + 1];
        encoded.get(line, 0, line.length - 1);
        line[line.length - 1] = '\n';
        Arrays.fill(encoded.array(), (byte) 0);
        Arrays.fill(password, '\0');
        return new Sudo(line);
    }

    String wrap(String command) {
        return (passwordLine == null ? "sudo -n -- sh -c " : "sudo -k -S -p '' -- sh -c ") + Shell.quote(command);
    }

    /** The command's standard input, behind the password line when there is one. */
    byte[] stdin(byte[] input) {
        if (passwordLine == null) return input;
        byte[] rest = input == null ? new byte[0] : input;
        byte[] all = Arrays.copyOf(passwordLine, passwordLine.length + rest.length);
        System.arraycopy(rest, 0, all, passwordLine.length, rest.length);
        return all;
    }
}
