package io.kubewizard.ssh;

import io.kubewizard.answers.Spec.ClusterSpec;
import io.kubewizard.answers.Spec.Host;
import io.kubewizard.answers.Spec.Ssh;
import io.kubewizard.run.Transport;
import io.kubewizard.run.TransportFactory.Prompter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * MINA's log routed by SshDebugLog against two in-process MINA servers: under verbose each host's
 * sink gets the lines about its own sessions only (the key exchange and authentication among them);
 * without verbose, nothing, and MINA's loggers say DEBUG is off.
 */
class SshDebugLogTest {

    @TempDir
    static Path dir;
    static TestServer one;
    static TestServer two;
    static Path home;

    @BeforeAll
    static void start() throws Exception {
        home = dir.resolve("home");
        one = TestServer.forUser(dir.resolve("one"), "root", home.resolve("one"));
        two = TestServer.forUser(dir.resolve("two"), "root", home.resolve("two"));
    }

    @AfterAll
    static void stop() throws Exception {
        one.close();
        two.close();
    }

    private static ClusterSpec spec(Host node, TestServer server) {
        Path own = home.resolve(server == one ? "one" : "two");
        return Fixtures.spec(Fixtures.ssh("root", server.port(), own, own.resolve(".ssh/id_ed25519").toString()), node);
    }

    @Test
    void underVerboseEachHostGetsTheLinesAboutItsOwnSessions() throws Exception {
        Host a = Fixtures.host("a", "127.0.0.1", Ssh.none());
        Host b = Fixtures.host("b", "127.0.0.1", Ssh.none());
        List<String> toA = new CopyOnWriteArrayList<>();
        List<String> toB = new CopyOnWriteArrayList<>();
        try (SshTransportFactory f = new SshTransportFactory(Fixtures.options(home).withVerbose(true), Prompter.NON_INTERACTIVE)) {
            Transport ta = f.connect(spec(a, one), a, (host, line) -> toA.add(host + " " + line));
            Transport tb = f.connect(spec(b, two), b, (host, line) -> toB.add(host + " " + line));
            assertEquals("ok", ta.exec("echo ok", null, null, Duration.ofSeconds(20)).stdoutTail());
            assertEquals("ok", tb.exec("echo ok", null, null, Duration.ofSeconds(20)).stdoutTail());
        }
        for (List<String> lines : List.of(toA, toB)) {
            String host = lines == toA ? "a" : "b";
            TestServer own = lines == toA ? one : two;
            TestServer other = lines == toA ? two : one;
            assertTrue(lines.stream().anyMatch(l -> l.startsWith(host + " DEBUG ClientSessionImpl: setNegotiationResult(ClientSessionImpl[root@/127.0.0.1:"
                    + own.port() + "]) Kex: kex algorithms = ")), lines::toString);
            assertTrue(lines.stream().anyMatch(l -> l.startsWith(host + " DEBUG ClientUserAuthService: processUserAuth(ClientSessionImpl[root@/127.0.0.1:"
                    + own.port() + "]) SSH_MSG_USERAUTH_SUCCESS Succeeded with publickey")), lines::toString);
            assertTrue(lines.stream().anyMatch(l -> l.contains("send SSH_MSG_CHANNEL_REQUEST exec command=echo ok")), lines::toString);
            assertTrue(lines.stream().allMatch(l -> l.startsWith(host + " ")), lines::toString);
            assertTrue(lines.stream().noneMatch(l -> l.contains(":" + other.port() + "]")), "only its own sessions: " + lines);
            assertTrue(lines.stream().noneMatch(l -> l.contains("\n")), "one record, one line");
        }
        assertFalse(org.slf4j.LoggerFactory.getLogger("org.apache.sshd.client.SshClient").isDebugEnabled(),
                "off again once the verbose factory closed");
    }

    @Test
    void withoutVerboseNothingIsLoggedAndDebugIsOff() throws Exception {
        Host a = Fixtures.host("a", "127.0.0.1", Ssh.none());
        List<String> toA = new CopyOnWriteArrayList<>();
        try (SshTransportFactory f = new SshTransportFactory(Fixtures.options(home), Prompter.NON_INTERACTIVE)) {
            Transport ta = f.connect(spec(a, one), a, (host, line) -> toA.add(line));
            assertEquals("ok", ta.exec("echo ok", null, null, Duration.ofSeconds(20)).stdoutTail());
            assertFalse(org.slf4j.LoggerFactory.getLogger("org.apache.sshd.client.SshClient").isDebugEnabled());
        }
        assertEquals(List.of(), toA);
        assertEquals("io.kubewizard.ssh.SshDebugLog$Loggers", org.slf4j.LoggerFactory.getILoggerFactory().getClass().getName(),
                "the jar's one SLF4J binding");
    }
}
