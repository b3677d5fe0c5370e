package io.kubewizard.ssh;

import io.kubewizard.answers.Defaults;
import io.kubewizard.answers.Spec.Become;
import io.kubewizard.answers.Spec.ClusterSpec;
import io.kubewizard.answers.Spec.Host;
import io.kubewizard.answers.Spec.Ssh;
import io.kubewizard.run.Transport;
import io.kubewizard.run.TransportException;
import io.kubewizard.ssh.Fixtures.ScriptedPrompter;
import org.apache.sshd.common.util.net.SshdSocketAddress;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reaching a host through a bastion, and a host described only by ~/.ssh/config. */
class ProxyJumpTest {

    @TempDir
    static Path dir;
    static TestServer bastion;
    static TestServer target;
    static Path home;
    static KeyPair user;

    @BeforeAll
    static void start() throws Exception {
        bastion = new TestServer(dir.resolve("bastion"), List.of(TestKeys.generate(TestKeys.Type.ED25519)), TestServer.Method.PUBLICKEY);
        target = new TestServer(dir.resolve("target"), List.of(TestKeys.generate(TestKeys.Type.ECDSA)), TestServer.Method.PUBLICKEY);
        user = TestKeys.generate(TestKeys.Type.ED25519);
        bastion.authorize("jumper", user.getPublic());
        target.authorize("root", user.getPublic());
        home = Files.createDirectories(dir.resolve("home"));
        Files.createDirectories(home.resolve(".ssh"));
        TestKeys.writeOpenSsh(user, home.resolve(".ssh/id_ed25519"), null);
    }

    @AfterAll
    static void stop() throws Exception {
        bastion.close();
        target.close();
    }

    private static Ssh viaBastion(String knownHosts) {
        return new Ssh("root", target.port(), "~/.ssh/id_ed25519", false, "jumper@127.0.0.1:" + bastion.port(),
                knownHosts, Become.SUDO);
    }

    @Test
    void commandsAndFilesTravelThroughTheBastion() throws Exception {
        Path knownHosts = Files.writeString(home.resolve("kh-both"), bastion.knownHostsLine() + "\n" + target.knownHostsLine() + "\n");
        Host node = Fixtures.host("node1", "127.0.0.1", Ssh.none());
        ClusterSpec spec = Fixtures.spec(viaBastion(knownHosts.toString()), node);
        bastion.tunnels.clear();
        try (SshTransportFactory f = new SshTransportFactory(Fixtures.options(home), new ScriptedPrompter())) {
            Transport t = f.connect(spec, node);
            assertEquals("through", t.exec("echo through", null, null, Duration.ofSeconds(20)).stdoutTail());
            Path file = dir.resolve("via-bastion.txt");
            t.upload(file.toString(), "tunnelled".getBytes(), 0644);
            assertEquals("tunnelled", Files.readString(file));
            bastion.dropSessions();
            Thread.sleep(200);
            assertEquals("again", t.exec("echo again", null, null, Duration.ofSeconds(20)).stdoutTail());
        }
        assertEquals(List.of(new SshdSocketAddress("127.0.0.1", target.port()), new SshdSocketAddress("127.0.0.1", target.port())),
                bastion.tunnels);
        assertEquals(List.of("echo through", "echo again"), target.commands);
    }

    @Test
    void theTargetsHostKeyIsCheckedUnderItsOwnName() throws Exception {
        Path knownHosts = Files.writeString(home.resolve("kh-bastion-only"), bastion.knownHostsLine() + "\n");
        Host node = Fixtures.host("node1", "127.0.0.1", Ssh.none());
        ClusterSpec spec = Fixtures.spec(viaBastion(knownHosts.toString()), node);
        ScriptedPrompter prompter = new ScriptedPrompter();
        try (SshTransportFactory f = new SshTransportFactory(Fixtures.options(home), prompter)) {
            TransportException e = assertThrows(TransportException.class, () -> f.connect(spec, node));
            assertEquals(3, e.exitCode());
            assertTrue(e.getMessage().startsWith("node1: host key of 127.0.0.1:" + target.port() + " is not in " + knownHosts
                    + " (ECDSA SHA256:"), e.getMessage());
        }
        assertEquals(1, prompter.confirmQuestions.size());
        assertTrue(prompter.confirmQuestions.get(0).startsWith("The authenticity of host 'node1 (127.0.0.1:" + target.port()
                + ")' can't be established.\nECDSA key fingerprint is SHA256:"), prompter.confirmQuestions.get(0));
    }

    @Test
    void aHostNamedOnlyInSshConfigIsReachable(@TempDir Path configHome) throws Exception {
        Files.createDirectories(configHome.resolve(".ssh/keys"));
        TestKeys.writePem(user, configHome.resolve(".ssh/keys/node.pem"), null);
        Files.writeString(configHome.resolve(".ssh/known_hosts"), target.knownHostsLine() + "\n");
        Files.writeString(configHome.resolve(".ssh/config"), """
                Host node-alias
                  HostName 127.0.0.1
                  Port %d
                  User root
                  IdentityFile ~/.ssh/keys/node.pem
                """.formatted(target.port()));
        Host node = Fixtures.host("node1", "node-alias", Ssh.none());
        ClusterSpec spec = Fixtures.spec(Defaults.SSH, node);
        try (SshTransportFactory f = new SshTransportFactory(Fixtures.options(configHome), new ScriptedPrompter())) {
            assertEquals("configured", f.connect(spec, node).exec("echo configured", null, null, Duration.ofSeconds(20)).stdoutTail());
        }
    }
}
