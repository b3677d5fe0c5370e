package io.kubewizard.ssh;

import io.kubewizard.answers.Spec.Become;
import io.kubewizard.answers.Spec.ClusterSpec;
import io.kubewizard.answers.Spec.Host;
import io.kubewizard.answers.Spec.Ssh;
import io.kubewizard.run.Transport;
import io.kubewizard.run.Transport.ExecResult;
import io.kubewizard.run.TransportException;
import io.kubewizard.run.TransportFactory.Prompter;
import org.apache.sshd.sftp.SftpModuleProperties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Exec, upload, download, timeouts and reconnects against an in-process MINA server. */
class SshTransportTest {

    @TempDir
    static Path dir;
    static TestServer server;
    static Path home;
    static ClusterSpec spec;
    static Host node;

    @BeforeAll
    static void start() throws Exception {
        home = dir.resolve("home");
        server = TestServer.forUser(dir.resolve("server"), "root", home);
        node = Fixtures.host("node1", "127.0.0.1", Ssh.none());
        spec = Fixtures.spec(Fixtures.ssh("root", server.port(), home, "~/.ssh/id_ed25519"), node);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    private static SshTransportFactory factory() {
        return new SshTransportFactory(Fixtures.options(home), Prompter.NON_INTERACTIVE);
    }

    private record Seen(String line, boolean stderr) {}

    @Test
    void linesArriveWhileTheCommandRuns() throws Exception {
        try (SshTransportFactory f = factory()) {
            Transport t = f.connect(spec, node);
            List<Seen> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
            CountDownLatch first = new CountDownLatch(1);
            CompletableFuture<ExecResult> running = CompletableFuture.supplyAsync(() -> {
                try {
                    return t.exec("echo one; sleep 2; echo two >&2; sleep 0.5; echo three", null, (line, stderr) -> {
                        seen.add(new Seen(line, stderr));
                        first.countDown();
                    }, Duration.ofSeconds(20));
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            assertTrue(first.await(10, TimeUnit.SECONDS), "first line within 10 s");
            assertFalse(running.isDone(), "the first line arrived while the command still slept");
            assertEquals(List.of(new Seen("one", false)), seen);
            ExecResult r = running.get(20, TimeUnit.SECONDS);
            assertEquals(new ExecResult(0, "one\nthree", "two"), r);
            assertEquals(List.of(new Seen("one", false), new Seen("two", true), new Seen("three", false)), seen);
        }
    }

    @Test
    void exitCodeAndStandardInput() throws Exception {
        try (SshTransportFactory f = factory()) {
            Transport t = f.connect(spec, node);
            List<String> lines = new ArrayList<>();
            ExecResult r = t.exec("cat; echo 'to stderr' >&2; exit 7", "a\r\nb".getBytes(StandardCharsets.UTF_8),
                    (line, stderr) -> lines.add((stderr ? "E " : "O ") + line), Duration.ofSeconds(20));
            assertEquals(new ExecResult(7, "a\nb", "to stderr"), r);
            assertFalse(r.ok());
            // "b" has no newline: it is emitted when the command has ended
            assertEquals("O b", lines.get(lines.size() - 1));
            assertEquals(java.util.Set.of("O a", "E to stderr", "O b"), java.util.Set.copyOf(lines));
            assertEquals(3, lines.size());
            assertEquals(new ExecResult(0, "", ""), t.exec("true", null, null, Duration.ofSeconds(20)));
        }
    }

    @Test
    void tailsKeepTheLastFourKilobytesOfWholeLines() throws Exception {
        try (SshTransportFactory f = factory()) {
            Transport t = f.connect(spec, node);
            int[] count = {0};
            ExecResult r = t.exec("i=0; while [ $i -lt 2000 ]; do echo \"line $i\" >&2; i=$((i+1)); done; exit 3",
                    null, (line, stderr) -> count[0]++, Duration.ofSeconds(30));
            assertEquals(3, r.exitCode());
            assertEquals(2000, count[0]);
            assertEquals("", r.stdoutTail());
            StringBuilder expected = new StringBuilder();
            for (int i = 1999; i >= 0; i--) {
                String candidate = "line " + i + (expected.length() == 0 ? "" : "\n" + expected);
                if (candidate.length() > LineSink.TAIL_CHARS) break;
                expected = new StringBuilder(candidate);
            }
            assertEquals(expected.toString(), r.stderrTail());
            assertTrue(r.stderrTail().length() > LineSink.TAIL_CHARS - 12, "tail filled: " + r.stderrTail().length());
        }
    }

    @Test
    void execTimeoutIsTransientAndTheConnectionStaysUsable() throws Exception {
        try (SshTransportFactory f = factory()) {
            Transport t = f.connect(spec, node);
            long start = System.nanoTime();
            TransportException e = assertThrows(TransportException.class,
                    () -> t.exec("sleep 30", null, null, Duration.ofMillis(500)));
            long tookMs = (System.nanoTime() - start) / 1_000_000;
            assertEquals("node1: command timed out after 500ms", e.getMessage());
            assertTrue(e.transientFailure());
            assertEquals(1, e.exitCode());
            assertTrue(tookMs < 5000, "took " + tookMs + " ms");
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (!server.signals.contains("sleep 30: TERM") && System.nanoTime() < deadline) Thread.sleep(20);
            assertTrue(server.signals.contains("sleep 30: TERM"), "TERM was asked for: " + server.signals);
            assertEquals(new ExecResult(0, "ok", ""), t.exec("echo ok", null, null, Duration.ofSeconds(20)));
        }
    }

    @Test
    void uploadCreatesParentsAndReplacesAtomicallyWithTheMode() throws Exception {
        Path target = dir.resolve("up/a/b/file.conf");
        try (SshTransportFactory f = factory()) {
            Transport t = f.connect(spec, node);
            t.upload(target.toString(), "first\n".getBytes(StandardCharsets.UTF_8), 0640);
            assertEquals("first\n", Files.readString(target));
            assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(target)));
            t.upload(target.toString(), "second".getBytes(StandardCharsets.UTF_8), 0600);
            assertEquals("second", Files.readString(target));
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(target)));
            try (Stream<Path> files = Files.list(target.getParent())) {
                assertEquals(List.of("file.conf"), files.map(p -> p.getFileName().toString()).toList());
            }
            byte[] big = new byte[300_000];
            for (int i = 0; i < big.length; i++) big[i] = (byte) (i * 31);
            t.upload(target.toString(), big, 0755);
            assertArrayEquals(big, Files.readAllBytes(target));
            assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(target)));
            assertArrayEquals(big, t.download(target.toString()));
        }
    }

    /** Without OpenSSH's posix-rename extension, a plain SFTP rename cannot replace: the old file goes first. */
    @Test
    void uploadReplacesWithoutPosixRename(@TempDir Path other) throws Exception {
        try (TestServer plain = new TestServer(other, List.of(TestKeys.generate(TestKeys.Type.ED25519)), TestServer.Method.PUBLICKEY)) {
            SftpModuleProperties.OPENSSH_EXTENSIONS.set(plain.server, "fsync@openssh.com=1");
            plain.authorizedKeys.putAll(server.authorizedKeys);
            Path knownHosts = Files.writeString(other.resolve("known_hosts"), plain.knownHostsLine() + "\n");
            Ssh ssh = new Ssh("root", plain.port(), "~/.ssh/id_ed25519", false, "", knownHosts.toString(), Become.SUDO);
            Path target = other.resolve("replaced.conf");
            try (SshTransportFactory f = factory()) {
                Transport t = f.connect(Fixtures.spec(ssh, node), node);
                t.upload(target.toString(), "one".getBytes(StandardCharsets.UTF_8), 0644);
                t.upload(target.toString(), "two".getBytes(StandardCharsets.UTF_8), 0600);
            }
            assertEquals("two", Files.readString(target));
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(target)));
        }
    }

    @Test
    void downloadReadsTheFileAndNamesAMissingOne() throws Exception {
        Path file = Files.writeString(dir.resolve("admin.conf"), "apiVersion: v1\n");
        try (SshTransportFactory f = factory()) {
            Transport t = f.connect(spec, node);
            assertEquals("apiVersion: v1\n", new String(t.download(file.toString()), StandardCharsets.UTF_8));
            TransportException e = assertThrows(TransportException.class, () -> t.download(dir.resolve("absent").toString()));
            assertEquals("node1: cannot read " + dir.resolve("absent") + ": No such file or directory", e.getMessage());
            assertFalse(e.transientFailure());
        }
    }

    @Test
    void reconnectsOnceWhenTheServerClosedTheSession() throws Exception {
        try (SshTransportFactory f = factory()) {
            Transport t = f.connect(spec, node);
            assertEquals("before", t.exec("echo before", null, null, Duration.ofSeconds(20)).stdoutTail());
            int sessions = server.sessions.get();
            server.dropSessions();
            Thread.sleep(200);
            assertEquals("after", t.exec("echo after", null, null, Duration.ofSeconds(20)).stdoutTail());
            assertEquals(sessions + 1, server.sessions.get());
            server.dropSessions();
            Thread.sleep(200);
            Path file = dir.resolve("after-drop.txt");
            t.upload(file.toString(), "x".getBytes(StandardCharsets.UTF_8), 0644);
            assertEquals("x", Files.readString(file));
            assertEquals(sessions + 2, server.sessions.get());
        }
    }

    @Test
    void aDropWhileACommandRunsIsTransientAndNotRerun() throws Exception {
        try (SshTransportFactory f = factory()) {
            Transport t = f.connect(spec, node);
            String marker = "sleep 7.5";
            CompletableFuture<ExecResult> running = CompletableFuture.supplyAsync(() -> {
                try {
                    return t.exec(marker, null, null, Duration.ofSeconds(30));
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (!server.commands.contains(marker) && System.nanoTime() < deadline) Thread.sleep(20);
            Thread.sleep(200);
            server.dropSessions();
            ExecutionException failed = assertThrows(ExecutionException.class, () -> running.get(20, TimeUnit.SECONDS));
            TransportException e = assertInstanceOf(TransportException.class, failed.getCause().getCause());
            assertEquals("node1: connection lost while the command ran", e.getMessage());
            assertTrue(e.transientFailure());
            assertEquals(1, server.commands.stream().filter(marker::equals).count());
            assertEquals("again", t.exec("echo again", null, null, Duration.ofSeconds(20)).stdoutTail());
        }
    }

    @Test
    void oneConnectionPerHostIsReused() throws Exception {
        try (SshTransportFactory f = factory()) {
            int sessions = server.sessions.get();
            Transport a = f.connect(spec, node);
            Transport b = f.connect(spec, node);
            assertSame(a, b);
            a.exec("true", null, null, Duration.ofSeconds(20));
            b.exec("true", null, null, Duration.ofSeconds(20));
            assertEquals(sessions + 1, server.sessions.get());
            a.close();
            Transport c = f.connect(spec, node);
            assertFalse(a == c, "a closed transport is replaced");
            assertEquals(sessions + 2, server.sessions.get());
        }
    }

    @Test
    void keepalivesFlowOnAnIdleConnection() throws Exception {
        SshOptions options = Fixtures.options(home).withHeartbeat(Duration.ofMillis(200), 3);
        try (SshTransportFactory f = new SshTransportFactory(options, Prompter.NON_INTERACTIVE)) {
            int before = server.keepalives.get();
            f.connect(spec, node);
            Thread.sleep(1500);
            int sent = server.keepalives.get() - before;
            assertTrue(sent >= 3, "keepalives in 1.5 s at 200 ms: " + sent);
        }
    }

    @Test
    void aServerThatNeverSpeaksRunsOutTheAuthTimeout() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 10, java.net.InetAddress.getLoopbackAddress())) {
            ClusterSpec mute = Fixtures.spec(Fixtures.ssh("root", silent.getLocalPort(), home, "~/.ssh/id_ed25519"), node);
            SshOptions options = Fixtures.options(home).withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(1), Duration.ofSeconds(5));
            try (SshTransportFactory f = new SshTransportFactory(options, Prompter.NON_INTERACTIVE)) {
                long start = System.nanoTime();
                TransportException e = assertThrows(TransportException.class, () -> f.connect(mute, node));
                long tookMs = (System.nanoTime() - start) / 1_000_000;
                assertEquals("node1: authentication with root@127.0.0.1:" + silent.getLocalPort() + " timed out after 1s",
                        e.getMessage());
                assertTrue(e.transientFailure());
                assertTrue(tookMs >= 900 && tookMs < 4000, "took " + tookMs + " ms");
            }
        }
    }

    /** A full accept queue drops further SYNs, as a host that is down does: the connect timeout ends the wait. */
    @Test
    void anUnansweredConnectRunsOutTheConnectTimeout() throws Exception {
        try (ServerSocket full = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            List<java.net.Socket> fillers = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    java.net.Socket s = new java.net.Socket();
                    try {
                        s.connect(full.getLocalSocketAddress(), 300);
                        fillers.add(s);
                    } catch (java.io.IOException queueFull) {
                        s.close();
                        break;
                    }
                }
                ClusterSpec down = Fixtures.spec(Fixtures.ssh("root", full.getLocalPort(), home, "~/.ssh/id_ed25519"), node);
                SshOptions options = Fixtures.options(home).withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(5));
                try (SshTransportFactory f = new SshTransportFactory(options, Prompter.NON_INTERACTIVE)) {
                    long start = System.nanoTime();
                    TransportException e = assertThrows(TransportException.class, () -> f.connect(down, node));
                    long tookMs = (System.nanoTime() - start) / 1_000_000;
                    assertEquals("node1: could not connect to root@127.0.0.1:" + full.getLocalPort() + " within 1s", e.getMessage());
                    assertTrue(e.transientFailure());
                    assertTrue(e.unreachable(), "no TCP connection was made");
                    assertTrue(tookMs >= 900 && tookMs < 4000, "took " + tookMs + " ms");
                }
            } finally {
                for (java.net.Socket s : fillers) s.close();
            }
        }
    }

    @Test
    void aClosedPortFailsFastAndTransiently() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        ClusterSpec nowhere = Fixtures.spec(Fixtures.ssh("root", port, home, "~/.ssh/id_ed25519"), node);
        try (SshTransportFactory f = factory()) {
            long start = System.nanoTime();
            TransportException e = assertThrows(TransportException.class, () -> f.connect(nowhere, node));
            assertTrue((System.nanoTime() - start) / 1_000_000 < 5000);
            assertEquals("node1: cannot connect to root@127.0.0.1:" + port + ": Connection refused", e.getMessage());
            assertTrue(e.transientFailure());
            assertTrue(e.unreachable(), "no TCP connection was made");
        }
    }

    @Test
    void aConnectFailureIsToldInTheSocketsWordsWithoutJavaClassNames() {
        HostSettings.Endpoint ep = new HostSettings.Endpoint("10.0.0.12", 22, "root");
        TransportException e = Connector.connectFailure("node2", ep,
                new java.io.IOException(new java.net.SocketException("Network is unreachable")));
        assertEquals("node2: cannot connect to root@10.0.0.12:22: Network is unreachable", e.getMessage());
        assertTrue(e.unreachable());
        TransportException unresolved = Connector.connectFailure("node2", new HostSettings.Endpoint("nowhere.invalid", 22, "root"),
                new java.nio.channels.UnresolvedAddressException());
        assertEquals("node2: cannot resolve nowhere.invalid", unresolved.getMessage());
        assertFalse(unresolved.transientFailure());
        assertFalse(unresolved.unreachable());
    }
}
