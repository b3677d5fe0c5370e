package io.kubewizard.ssh;

import io.kubewizard.plan.Shell;
import io.kubewizard.run.Question;
import io.kubewizard.run.Transport;
import io.kubewizard.run.TransportException;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.future.OpenFuture;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.sftp.common.SftpException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * One host's connection: a MINA session kept open and reused, reopened once when it was found
 * closed (a drop while a command runs is reported, not retried: the command may have had effects).
 * A non-root user with {@code become: sudo} gets every command wrapped in sudo and every file
 * installed through it.
 */
final class SshTransport implements Transport {

    /** A download larger than this is refused: kubewizard fetches kubeconfigs and certificates. */
    static final int MAX_DOWNLOAD = 64 * 1024 * 1024;

    private static final Pattern SAFE_TEMP_DIR = Pattern.compile("/[A-Za-z0-9._/-]+");
    private static final Map<String, Integer> SIGNALS = Map.ofEntries(Map.entry("HUP", 1), Map.entry("INT", 2),
            Map.entry("QUIT", 3), Map.entry("ILL", 4), Map.entry("ABRT", 6), Map.entry("FPE", 8), Map.entry("KILL", 9),
            Map.entry("USR1", 10), Map.entry("SEGV", 11), Map.entry("USR2", 12), Map.entry("PIPE", 13),
            Map.entry("ALRM", 14), Map.entry("TERM", 15));

    private final Connector connector;
    private final HostSettings settings;
    private final ScheduledExecutorService alarms;
    private final Consumer<SshTransport> onClose;
    private final Object linkLock = new Object();
    private Connector.Link link;
    private boolean closed;

    SshTransport(Connector connector, HostSettings settings, ScheduledExecutorService alarms, Consumer<SshTransport> onClose) {
        this.connector = connector;
        this.settings = settings;
        this.alarms = alarms;
        this.onClose = onClose;
    }

    @Override
    public String host() { return settings.host(); }

    HostSettings settings() { return settings; }

    /** The key the open connection's host showed and known_hosts (or the person) accepted. */
    @Override
    public String hostKey() {
        synchronized (linkLock) {
            PublicKey key = link == null ? null : link.target().getServerKey();
            return key == null ? null : HostKeys.displayType(HostKeys.type(key)) + " " + HostKeys.fingerprint(key);
        }
    }

    /** Opens the connection now, so connect errors surface at connect time. */
    void connect() throws TransportException, InterruptedException {
        session();
    }

    @Override
    public ExecResult exec(String command, byte[] stdin, OutputListener output, Duration timeout)
            throws TransportException, InterruptedException {
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(timeout, "timeout");
        OutputListener listener = output == null ? OutputListener.NONE : output;
        String line = command;
        byte[] input = stdin;
        if (settings.sudo()) {
            Sudo sudo = sudo();
            line = sudo.wrap(command);
            input = sudo.stdin(stdin);
        }
        LineSink out = new LineSink(listener, false);
        LineSink err = new LineSink(listener, true);
        int code = run(line, input, out, err, timeout);
        out.finish();
        err.finish();
        return new ExecResult(code, out.tail(), err.tail());
    }

    /**
     * Two or more commands as one script on one channel ({@link Batch}): a step's commands cost one
     * sshd session, one shell and one round trip instead of one each. The timeout is each command's
     * times their number. With sudo, the script runs under one {@code sudo sh -c}, the password fed once.
     */
    @Override
    public List<ExecResult> execAll(List<String> commands, Commands listener, Duration timeout)
            throws TransportException, InterruptedException {
        if (commands.size() < 2) return Transport.super.execAll(commands, listener, timeout);
        Batch batch = new Batch(commands, listener);
        String line = batch.script();
        byte[] input = null;
        if (settings.sudo()) {
            Sudo sudo = sudo();
            line = sudo.wrap(line);
            input = sudo.stdin(null);
        }
        listener.starting(0);
        int code = run(line, input, batch.stdout(), batch.stderr(), timeout.multipliedBy(commands.size()));
        return batch.results(code);
    }

    @Override
    public void upload(String path, byte[] content, int mode) throws TransportException, InterruptedException {
        checkPath(path);
        Objects.requireNonNull(content, "content");
        if (mode < 0 || mode > 07777) throw new IllegalArgumentException("mode " + Integer.toOctalString(mode) + " is not a file mode");
        afterDropOnceMore(() -> {
            if (settings.sudo()) {
                uploadWithSudo(path, content, mode);
            } else {
                sftp("write " + path, sftp -> {
                    sftp.writeAtomically(path, content, mode);
                    return null;
                });
            }
            return null;
        });
    }

    @Override
    public byte[] download(String path) throws TransportException, InterruptedException {
        checkPath(path);
        return afterDropOnceMore(() -> {
            if (!settings.sudo()) return sftp("read " + path, sftp -> sftp.readAll(path));
            Sudo sudo = sudo();
            Bytes out = new Bytes();
            LineSink err = new LineSink(OutputListener.NONE, true);
            int code = run(sudo.wrap("cat -- " + Shell.quote(path)), sudo.stdin(null), out, err,
                    connector.options().transferTimeout());
            err.finish();
            if (code != 0) throw new TransportException(host(), "cannot read " + path + ": " + lastLine(err.tail(), code), false, null);
            if (out.overflow()) throw new TransportException(host(), "cannot read " + path + ": larger than " + MAX_DOWNLOAD + " bytes", false, null);
            return out.toByteArray();
        });
    }

    @Override
    public void close() {
        synchronized (linkLock) {
            closed = true;
            closeSftp();
            if (link != null) link.close();
            link = null;
        }
        onClose.accept(this);
    }

    boolean isClosed() {
        synchronized (linkLock) {
            return closed;
        }
    }

    // ---- the session ----------------------------------------------------------------------------

    private ClientSession session() throws TransportException, InterruptedException {
        synchronized (linkLock) {
            if (closed) throw new TransportException(host(), "the connection was closed", false, null);
            if (link == null || !link.isOpen()) {
                if (link != null) link.close();
                link = null;
                link = connector.open(settings);
            }
            return link.target();
        }
    }

    private boolean linkOpen() {
        synchronized (linkLock) {
            return link != null && link.isOpen();
        }
    }

    private interface Work<T> {
        T run() throws TransportException, InterruptedException;
    }

    /** Uploads and downloads may safely start over when the connection dropped under them. */
    private <T> T afterDropOnceMore(Work<T> work) throws TransportException, InterruptedException {
        try {
            return work.run();
        } catch (TransportException e) {
            if (!e.transientFailure() || linkOpen() || isClosed()) throw e;
            return work.run();
        }
    }

    // ---- commands -------------------------------------------------------------------------------

    /** Runs a command line as given; reconnects once when the session was found closed before it started. */
    private int run(String line, byte[] input, OutputStream out, OutputStream err, Duration timeout)
            throws TransportException, InterruptedException {
        for (int attempt = 0; ; attempt++) {
            ClientSession session = session();
            ChannelExec channel = null;
            try {
                channel = session.createExecChannel(line);
                channel.setOut(out);
                channel.setErr(err);
                OpenFuture opened = channel.open();
                if (!Connector.await(opened, connector.options().connectTimeout())) {
                    throw new IOException("no channel within " + Connector.seconds(connector.options().connectTimeout()));
                }
                if (!opened.isOpened()) {
                    Throwable why = opened.getException();
                    throw new IOException(why == null ? "channel refused" : why.getMessage(), why);
                }
            } catch (IOException e) {
                if (channel != null) channel.close(true);
                if (attempt == 0 && !session.isOpen()) continue;
                throw new TransportException(host(), "cannot start a command: " + e.getMessage(), true, e);
            }
            return finish(session, channel, input, timeout);
        }
    }

    private int finish(ClientSession session, ChannelExec channel, byte[] input, Duration timeout)
            throws TransportException, InterruptedException {
        CountDownLatch closedLatch = new CountDownLatch(1);
        channel.addCloseFutureListener(f -> closedLatch.countDown());
        try (OutputStream stdin = channel.getInvertedIn()) {
            if (input != null && input.length > 0) stdin.write(input);
        } catch (IOException commandDidNotRead) {
            // a command may exit without reading its input; its exit status tells what happened
        }
        boolean ended;
        try {
            ended = closedLatch.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            stop(session, channel);
            throw e;
        }
        if (!ended) {
            stop(session, channel);
            throw new TransportException(host(), "command timed out after " + Connector.seconds(timeout), true, null);
        }
        Integer status = channel.getExitStatus();
        if (status != null) return status;
        String signal = channel.getExitSignal();
        if (signal != null) return 128 + SIGNALS.getOrDefault(signal, 127);
        throw new TransportException(host(), session.isOpen() ? "the command ended without an exit status"
                : "connection lost while the command ran", true, null);
    }

    /**
     * Asks sshd to send TERM to the command, then drops the channel. OpenSSH honours "signal" for
     * sessions of non-root users (sudo passes TERM on); for root logins it refuses, and the command
     * is stopped by SIGPIPE at its next write to the closed channel, or runs to its end.
     */
    private static void stop(ClientSession session, ChannelExec channel) {
        try {
            Buffer request = session.createBuffer(SshConstants.SSH_MSG_CHANNEL_REQUEST, 32);
            request.putUInt(channel.getRecipient());
            request.putString("signal");
            request.putBoolean(false);
            request.putString("TERM");
            session.writePacket(request);
        } catch (IOException | RuntimeException alreadyGone) {
            // closing the channel below is what matters
        }
        channel.close(true);
    }

    // ---- sudo -----------------------------------------------------------------------------------

    private Sudo sudo() throws TransportException, InterruptedException {
        return connector.sudo(host(), this::establishSudo);
    }

    /** {@code sudo -n} when it needs no password; else the password, asked up to three times and checked. */
    private Sudo establishSudo() throws TransportException, InterruptedException {
        Duration timeout = connector.options().transferTimeout();
        Raw probe = runRaw(Sudo.NO_PASSWORD.wrap("true"), null, timeout);
        if (probe.code == 0) return Sudo.NO_PASSWORD;
        if (probe.code == 127) {
            throw new TransportException(host(), "become: sudo, but " + settings.target().user() + " has no sudo command: "
                    + lastLine(probe.err, probe.code), false, null);
        }
        String refusal = lastLine(probe.err, probe.code);
        for (int i = 0; i < IdentityFiles.PASSPHRASE_TRIES; i++) {
            char[] typed = connector.prompter().secret(Question.of(i > 0 ? "ssh.sudo.retry" : "ssh.sudo",
                    settings.target().user(), host()));
            if (typed == null) {
                throw new TransportException(host(), "sudo needs a password for " + settings.target().user()
                        + " and none was given", false, null);
            }
            Sudo withPassword = Sudo.withPassword(typed);
            Raw check = runRaw(withPassword.wrap("true"), withPassword.stdin(null), timeout);
            if (check.code == 0) return withPassword;
            refusal = lastLine(check.err, check.code);
        }
        throw new TransportException(host(), "sudo refused " + settings.target().user() + ": " + refusal, false, null);
    }

    private record Raw(int code, byte[] out, String err) {}

    private Raw runRaw(String line, byte[] input, Duration timeout) throws TransportException, InterruptedException {
        Bytes out = new Bytes();
        LineSink err = new LineSink(OutputListener.NONE, true);
        int code = run(line, input, out, err, timeout);
        err.finish();
        return new Raw(code, out.toByteArray(), err.tail());
    }

    /** Through a private temporary directory (mktemp -d, 0700), then {@code install -m} and {@code mv} as root. */
    private void uploadWithSudo(String path, byte[] content, int mode) throws TransportException, InterruptedException {
        Sudo sudo = sudo();
        Duration timeout = connector.options().transferTimeout();
        Raw made = runRaw("mktemp -d", null, timeout);
        String tempDir = new String(made.out, StandardCharsets.UTF_8).strip();
        if (made.code != 0 || !SAFE_TEMP_DIR.matcher(tempDir).matches()) {
            throw new TransportException(host(), "cannot make a private temporary directory: " + lastLine(made.err, made.code), false, null);
        }
        String staged = tempDir + "/upload";
        try {
            sftp("write " + staged, sftp -> {
                sftp.writeNew(staged, content);
                return null;
            });
        } catch (TransportException e) {
            runRaw("rm -rf -- " + Shell.quote(tempDir), null, timeout);
            throw e;
        }
        int slash = path.lastIndexOf('/');
        String dir = slash == 0 ? "/" : path.substring(0, slash);
        String temp = (slash == 0 ? "" : dir) + "/." + path.substring(slash + 1) + ".kw-tmp";
        String install = "mkdir -p -- " + Shell.quote(dir) + " && install -m " + String.format("%04o", mode) + " -- "
                + Shell.quote(staged) + " " + Shell.quote(temp) + " && mv -f -- " + Shell.quote(temp) + " " + Shell.quote(path);
        Raw done = runRaw(sudo.wrap(install) + "; rc=$?; rm -rf -- " + Shell.quote(tempDir) + "; exit $rc",
                sudo.stdin(null), timeout);
        if (done.code != 0) throw new TransportException(host(), "cannot write " + path + ": " + lastLine(done.err, done.code), false, null);
    }

    // ---- SFTP -----------------------------------------------------------------------------------

    private interface SftpWork<T> {
        T run(Sftp sftp) throws IOException;
    }

    /**
     * The SFTP channel of the current session, opened by the first transfer and kept for the
     * next ones (a channel of its own per file cost a subsystem start each time); null when none is open.
     */
    private Sftp sftpChannel;

    private synchronized Sftp sftpFor(ClientSession session) throws IOException {
        if (sftpChannel != null && (sftpChannel.getClientSession() != session || !sftpChannel.isOpen())) closeSftp();
        if (sftpChannel == null) sftpChannel = new Sftp(session);
        return sftpChannel;
    }

    private synchronized void closeSftp() {
        if (sftpChannel != null) forgetSftp(sftpChannel);
    }

    /** Closes the channel: after a timeout or an I/O failure its state is unknown, the next transfer opens another. */
    private synchronized void forgetSftp(Sftp sftp) {
        try {
            sftp.close();
        } catch (IOException ignored) {
            // closing is all that is left to do with it
        }
        if (sftpChannel == sftp) sftpChannel = null;
    }

    /** A transfer on the session's SFTP channel, which an alarm closes when the transfer outlives its timeout. */
    private <T> T sftp(String what, SftpWork<T> work) throws TransportException, InterruptedException {
        Duration timeout = connector.options().transferTimeout();
        for (int attempt = 0; ; attempt++) {
            ClientSession session = session();
            AtomicBoolean timedOut = new AtomicBoolean();
            ScheduledFuture<?> alarm = null;
            Sftp sftp = null;
            try {
                Sftp channel = sftp = sftpFor(session);
                alarm = alarms.schedule(() -> {
                    timedOut.set(true);
                    forgetSftp(channel);
                }, timeout.toMillis(), TimeUnit.MILLISECONDS);
                return work.run(sftp);
            } catch (IOException e) {
                if (timedOut.get()) throw new TransportException(host(), what + " timed out after " + Connector.seconds(timeout), true, e);
                if (e instanceof SftpException se) {
                    throw new TransportException(host(), "cannot " + what + ": " + describe(se), false, e);
                }
                if (sftp != null) forgetSftp(sftp);
                if (attempt == 0 && !session.isOpen()) continue;
                throw new TransportException(host(), "cannot " + what + ": " + e.getMessage(), true, e);
            } finally {
                if (alarm != null) alarm.cancel(false);
            }
        }
    }

    private static String describe(SftpException e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? "SFTP status " + e.getStatus() : m;
    }

    // ---- helpers --------------------------------------------------------------------------------

    private static void checkPath(String path) {
        Objects.requireNonNull(path, "path");
        if (!path.startsWith("/") || path.endsWith("/") || path.contains("\0") || path.contains("\n")) {
            throw new IllegalArgumentException("not an absolute file path: " + path);
        }
    }

    private static String lastLine(String tail, int code) {
        String t = tail.strip();
        int nl = t.lastIndexOf('\n');
        String last = nl >= 0 ? t.substring(nl + 1) : t;
        return last.isEmpty() ? "exit status " + code : last;
    }

    /** Standard output kept as bytes (a downloaded file); past the bound it is dropped and flagged. */
    private static final class Bytes extends ByteArrayOutputStream {
        private boolean overflow;

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            if (count + len > MAX_DOWNLOAD) overflow = true;
            if (!overflow) super.write(b, off, len);
        }

        @Override
        public synchronized void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        synchronized boolean overflow() { return overflow; }
    }
}
