package io.kubewizard.ssh;

import io.kubewizard.answers.Spec.Become;
import io.kubewizard.answers.Spec.ClusterSpec;
import io.kubewizard.answers.Spec.Host;
import io.kubewizard.answers.Spec.Ssh;
import io.kubewizard.run.Transport;
import io.kubewizard.run.TransportException;
import io.kubewizard.ssh.Fixtures.ScriptedPrompter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every way in: identity files of each type and format, encrypted ones, ssh-agent, passwords. */
class AuthenticationTest {

    @TempDir
    static Path dir;
    /** Takes keys and passwords, as a stock sshd does. */
    static TestServer server;
    static Path home;
    static Path keys;

    @BeforeAll
    static void start() throws Exception {
        KeyPair hostKey = TestKeys.generate(TestKeys.Type.ED25519);
        server = new TestServer(dir.resolve("server"), List.of(hostKey), TestServer.Method.PUBLICKEY, TestServer.Method.PASSWORD);
        server.passwords.put("deploy", "s3cret");
        home = Files.createDirectories(dir.resolve("home"));
        keys = Files.createDirectories(dir.resolve("keys"));
        Files.writeString(home.resolve("known_hosts"), server.knownHostsLine() + "\n");
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    private static Ssh ssh(String user, String identityFile, boolean agent) {
        return new Ssh(user, server.port(), identityFile, agent, "", home.resolve("known_hosts").toString(), Become.NONE);
    }

    private static Host node(String name) {
        return Fixtures.host(name, "127.0.0.1", Ssh.none());
    }

    private static String echo(SshTransportFactory f, ClusterSpec spec, Host host) throws Exception {
        Transport t = f.connect(spec, host);
        return t.exec("echo in", null, null, Duration.ofSeconds(20)).stdoutTail();
    }

    enum Format { OPENSSH, PEM }

    static Stream<Arguments> keyFiles() {
        List<Arguments> all = new ArrayList<>();
        for (TestKeys.Type t : TestKeys.Type.values()) for (Format f : Format.values()) all.add(Arguments.of(t, f));
        return all.stream();
    }

    @ParameterizedTest(name = "{0} in {1} format")
    @MethodSource("keyFiles")
    void anIdentityFileOfEachTypeAndFormat(TestKeys.Type type, Format format) throws Exception {
        KeyPair pair = TestKeys.generate(type);
        Path file = keys.resolve(type + "-" + format);
        if (format == Format.OPENSSH) TestKeys.writeOpenSsh(pair, file, null);
        else TestKeys.writePem(pair, file, null);
        String label = format == Format.OPENSSH ? "OPENSSH PRIVATE KEY" : switch (type) {
            case RSA -> "RSA PRIVATE KEY";
            case ECDSA -> "EC PRIVATE KEY";
            case ED25519 -> "PRIVATE KEY";
        };
        assertTrue(Files.readString(file).startsWith("-----BEGIN " + label + "-----\n"), Files.readString(file));
        server.authorize("root", pair.getPublic());
        ScriptedPrompter prompter = new ScriptedPrompter();
        Host n = node("node1");
        try (SshTransportFactory f = new SshTransportFactory(Fixtures.options(home), prompter)) {
            assertEquals("in", echo(f, Fixtures.spec(ssh("root", file.toString(), false), n), n));
        }
        assertEquals(List.of(), prompter.secretQuestions);
    }

    @Test
    void anEncryptedOpenSshKeyIsUnlockedOnceForEveryHost() throws Exception {
        KeyPair pair = TestKeys.generate(TestKeys.Type.ED25519);
        Path file = TestKeys.writeOpenSsh(pair, keys.resolve("encrypted-openssh"), "correct horse");
        server.authorize("root", pair.getPublic());
        ScriptedPrompter prompter = new ScriptedPrompter().secrets("wrong", "correct horse");
        Host one = node("node1");
        Host two = node("node2");
        ClusterSpec spec = Fixtures.spec(ssh("root", file.toString(), false), one, two);
        try (SshTransportFactory f = new SshTransportFactory(Fixtures.options(home), prompter)) {
            assertEquals("in", echo(f, spec, one));
            assertEquals("in", echo(f, spec, two));
        }
        assertEquals(List.of("Passphrase for " + file, "Wrong passphrase. Passphrase for " + file), prompter.secretQuestions);
    }

    @Test
    void encryptedPemKeysAskForTheirPassphrase() throws Exception {
        for (TestKeys.Type type : List.of(TestKeys.Type.RSA, TestKeys.Type.ECDSA)) {
            KeyPair pair = TestKeys.generate(type);
            Path file = TestKeys.writePem(pair, keys.resolve("encrypted-pem-" + type), "pem pass");
            assertTrue(Files.readString(file).contains("Proc-Type: 4,ENCRYPTED"));
            server.authorize("root", pair.getPublic());
            ScriptedPrompter prompter = new ScriptedPrompter().secrets("pem pass");
            Host n = node("node1");
            try (SshTransportFactory f = new SshTransportFactory(Fixtures.options(home), prompter)) {
                assertEquals("in", echo(f, Fixtures.spec(ssh("root", file.toString(), false), n), n));
            }
            assertEquals(List.of("Passphrase for " + file), prompter.secretQuestions);
        }
    }

    @Test
    void aDeclinedPassphraseFailsNamingTheKey() throws Exception {
        KeyPair pair = TestKeys.generate(TestKeys.Type.ED25519);
        Path file = TestKeys.writeOpenSsh(pair, keys.resolve("declined"), "never told");
        server.authorize("root", pair.getPublic());
        Host n = node("node1");
        try (SshTransportFactory f = new SshTransportFactory(Fixtures.options(home), new ScriptedPrompter())) {
            TransportException e = assertThrows(TransportException.class,
                    () -> f.connect(Fixtures.spec(ssh("root", file.toString(), false), n), n));
            assertEquals("node1: authentication failed for root@127.0.0.1:" + server.port() + "; tried: " + file
                    + " (no passphrase given), password (not given)", e.getMessage());
            assertFalse(e.transientFailure());
            assertEquals(1, e.exitCode());
        }
    }

    @Test
    void aPasswordIsAskedForAndNotAskedAgainAfterADrop() throws Exception {
        ScriptedPrompter prompter = new ScriptedPrompter().secrets("s3cret");
        Host n = node("node1");
        ClusterSpec spec = Fixtures.spec(ssh("deploy", "~/.ssh/id_ed25519", false), n);
        server.passwordAttempts.clear();
        try (SshTransportFactory f = new SshTransportFactory(Fixtures.options(home), prompter)) {
            Transport t = f.connect(spec, n);
            assertEquals("in", t.exec("echo in", null, null, Duration.ofSeconds(20)).stdoutTail());
            server.dropSessions();
            Thread.sleep(200);
            assertEquals("again", t.exec("echo again", null, null, Duration.ofSeconds(20)).stdoutTail());
        }
        assertEquals(List.of("Password for deploy@127.0.0.1:" + server.port() + " (node1)"), prompter.secretQuestions);
        assertEquals(List.of("deploy:s3cret", "deploy:s3cret"), server.passwordAttempts);
    }

    @Test
    void aWrongPasswordIsAskedThreeTimesThenRefusedClearly() throws Exception {
        ScriptedPrompter prompter = new ScriptedPrompter().secrets("one", "two", "three", "never asked");
        Host n = node("node1");
        server.passwordAttempts.clear();
        try (SshTransportFactory f = new SshTransportFactory(Fixtures.options(home), prompter)) {
            TransportException e = assertThrows(TransportException.class,
                    () -> f.connect(Fixtures.spec(ssh("deploy", "~/.ssh/id_ed25519", false), n), n));
            assertEquals("node1: authentication failed for deploy@127.0.0.1:" + server.port() + "; tried: "
                    + home.resolve(".ssh/id_ed25519") + " (not found), password (refused 3 times)", e.getMessage());
            assertFalse(e.transientFailure());
        }
        String question = "Password for deploy@127.0.0.1:" + server.port() + " (node1)";
        assertEquals(List.of(question, "Permission denied, please try again. " + question,
                "Permission denied, please try again. " + question), prompter.secretQuestions);
        assertEquals(List.of("deploy:one", "deploy:two", "deploy:three"), server.passwordAttempts);
    }

    @Test
    void keyboardInteractiveTakesThePassword(@TempDir Path other) throws Exception {
        try (TestServer kbd = new TestServer(other, List.of(TestKeys.generate(TestKeys.Type.ED25519)),
                TestServer.Method.KEYBOARD_INTERACTIVE)) {
            kbd.passwords.put("deploy", "s3cret");
            Files.writeString(other.resolve("known_hosts"), kbd.knownHostsLine() + "\n");
            Ssh ssh = new Ssh("deploy", kbd.port(), "~/.ssh/id_ed25519", false, "", other.resolve("known_hosts").toString(), Become.NONE);
            ScriptedPrompter prompter = new ScriptedPrompter().secrets("s3cret");
            Host n = node("node1");
            try (SshTransportFactory f = new SshTransportFactory(Fixtures.options(home), prompter)) {
                assertEquals("in", echo(f, Fixtures.spec(ssh, n), n));
            }
            assertEquals(List.of("Password for deploy@127.0.0.1:" + kbd.port() + " (node1)"), prompter.secretQuestions);
            assertEquals(List.of("deploy:s3cret"), kbd.passwordAttempts);
        }
    }

    @Test
    void theAgentSignsAndSparesTheEncryptedFilesPassphrase(@TempDir Path sockets) throws Exception {
        KeyPair pair = TestKeys.generate(TestKeys.Type.ED25519);
        Path file = TestKeys.writeOpenSsh(pair, keys.resolve("in-agent"), "not needed");
        server.authorize("root", pair.getPublic());
        try (TestAgent agent = new TestAgent(sockets.resolve("agent.sock"))) {
            agent.add(pair);
            ScriptedPrompter prompter = new ScriptedPrompter();
            Host n = node("node1");
            SshOptions options = Fixtures.options(home).withAgentSocket(agent.socket.toString());
            try (SshTransportFactory f = new SshTransportFactory(options, prompter)) {
                assertEquals("in", echo(f, Fixtures.spec(ssh("root", file.toString(), true), n), n));
            }
            assertEquals(List.of(), prompter.secretQuestions);
            assertEquals(1, agent.signatures.get());

            try (SshTransportFactory f = new SshTransportFactory(options, new ScriptedPrompter())) {
                ClusterSpec noAgent = Fixtures.spec(ssh("root", "~/.ssh/id_ed25519", false), n);
                TransportException e = assertThrows(TransportException.class, () -> f.connect(noAgent, n));
                assertEquals("node1: authentication failed for root@127.0.0.1:" + server.port() + "; tried: "
                        + home.resolve(".ssh/id_ed25519") + " (not found), password (not given)", e.getMessage());
            }
            assertEquals(1, agent.signatures.get());
        }
    }

    @Test
    void anUnreachableAgentIsNamed(@TempDir Path sockets) throws Exception {
        Path missing = sockets.resolve("gone.sock");
        Host n = node("node1");
        SshOptions options = Fixtures.options(home).withAgentSocket(missing.toString());
        try (SshTransportFactory f = new SshTransportFactory(options, new ScriptedPrompter())) {
            TransportException e = assertThrows(TransportException.class,
                    () -> f.connect(Fixtures.spec(ssh("root", "~/.ssh/id_ed25519", true), n), n));
            assertTrue(e.getMessage().startsWith("node1: authentication failed for root@127.0.0.1:" + server.port()
                    + "; tried: ssh-agent at " + missing + " unreachable: "), e.getMessage());
            assertTrue(e.getMessage().endsWith(", " + home.resolve(".ssh/id_ed25519") + " (not found), password (not given)"),
                    e.getMessage());
        }
    }
}
