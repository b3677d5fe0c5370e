package io.kubewizard.ssh;

import io.kubewizard.answers.Spec.ClusterSpec;
import io.kubewizard.answers.Spec.Host;
import io.kubewizard.answers.Spec.Ssh;
import io.kubewizard.run.TransportException;
import io.kubewizard.ssh.Fixtures.ScriptedPrompter;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** known_hosts trust: known keys pass, unknown ones are confirmed or refused, changed ones always refused. */
class HostKeyPolicyTest {

    @TempDir
    static Path dir;
    static TestServer server;
    static KeyPair hostKey;
    static Path home;
    static Path knownHosts;
    static Host node;
    static ClusterSpec spec;

    @BeforeAll
    static void start() throws Exception {
        home = dir.resolve("home");
        server = TestServer.forUser(dir.resolve("server"), "root", home);
        hostKey = server.hostKeys.get(0);
        knownHosts = home.resolve("known_hosts");
        node = Fixtures.host("node1", "127.0.0.1", Ssh.none());
        spec = Fixtures.spec(Fixtures.ssh("root", server.port(), home, "~/.ssh/id_ed25519"), node);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @BeforeEach
    void forget() throws Exception {
        Files.deleteIfExists(knownHosts);
    }

    private static void connect(SshOptions options, ScriptedPrompter prompter) throws Exception {
        try (SshTransportFactory f = new SshTransportFactory(options, prompter)) {
            f.connect(spec, node).exec("true", null, null, Duration.ofSeconds(20));
        }
    }

    private static String keyText(PublicKey key) {
        return PublicKeyEntry.toString(key);
    }

    /** ssh-keygen -l's SHA256 fingerprint, computed from the key's base64 blob without MINA. */
    private static String sha256(PublicKey key) throws Exception {
        byte[] blob = Base64.getDecoder().decode(keyText(key).split(" ")[1]);
        return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(MessageDigest.getInstance("SHA-256").digest(blob));
    }

    @Test
    void fingerprintIsOpenSshsSha256() throws Exception {
        assertEquals(sha256(hostKey.getPublic()), HostKeys.fingerprint(hostKey.getPublic()));
        assertTrue(HostKeys.fingerprint(hostKey.getPublic()).matches("SHA256:[A-Za-z0-9+/]{43}"));
    }

    @Test
    void aKnownKeyPassesWithoutAQuestion() throws Exception {
        Files.writeString(knownHosts, "# comment\n" + server.knownHostsLine() + "\n");
        ScriptedPrompter prompter = new ScriptedPrompter();
        connect(Fixtures.options(home), prompter);
        assertEquals(List.of(), prompter.confirmQuestions);
    }

    @Test
    void theTransportShowsTheKeyItVerifiedAsOpenSshPrintsIt() throws Exception {
        Files.writeString(knownHosts, server.knownHostsLine() + "\n");
        try (SshTransportFactory f = new SshTransportFactory(Fixtures.options(home), new ScriptedPrompter())) {
            assertEquals("ED25519 " + sha256(hostKey.getPublic()), f.connect(spec, node).hostKey());
        }
    }

    @Test
    void aHashedEntryIsKnownToo() throws Exception {
        byte[] salt = new byte[20];
        new SecureRandom().nextBytes(salt);
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(salt, "HmacSHA1"));
        byte[] hash = mac.doFinal(("[127.0.0.1]:" + server.port()).getBytes(StandardCharsets.US_ASCII));
        Base64.Encoder b64 = Base64.getEncoder();
        Files.writeString(knownHosts, "|1|" + b64.encodeToString(salt) + "|" + b64.encodeToString(hash) + " "
                + keyText(hostKey.getPublic()) + "\n");
        ScriptedPrompter prompter = new ScriptedPrompter();
        connect(Fixtures.options(home), prompter);
        assertEquals(List.of(), prompter.confirmQuestions);
    }

    @Test
    void anUnknownKeyIsRefusedWhenNobodyConfirms() {
        ScriptedPrompter prompter = new ScriptedPrompter();
        TransportException e = assertThrows(TransportException.class, () -> connect(Fixtures.options(home), prompter));
        assertEquals("node1: host key of 127.0.0.1:" + server.port() + " is not in " + knownHosts + " (ED25519 "
                + HostKeys.fingerprint(hostKey.getPublic()) + "); refused: confirm it, or pass --accept-new-host-keys",
                e.getMessage());
        assertEquals(3, e.exitCode());
        assertFalse(e.transientFailure());
        assertEquals(1, prompter.confirmQuestions.size());
        assertFalse(Files.exists(knownHosts));
    }

    @Test
    void aConfirmedKeyIsRecordedAndKnownNextTime() throws Exception {
        ScriptedPrompter prompter = new ScriptedPrompter().confirms(true);
        connect(Fixtures.options(home), prompter);
        assertEquals(List.of("The authenticity of host 'node1 (127.0.0.1:" + server.port() + ")' can't be established.\n"
                + "ED25519 key fingerprint is " + sha256(hostKey.getPublic()) + ".\n"
                + "Trust it and add it to " + knownHosts + "?"), prompter.confirmQuestions);
        assertEquals("[127.0.0.1]:" + server.port() + " " + keyText(hostKey.getPublic()) + "\n", Files.readString(knownHosts));
        ScriptedPrompter again = new ScriptedPrompter();
        connect(Fixtures.options(home), again);
        assertEquals(List.of(), again.confirmQuestions);
    }

    @Test
    void acceptNewHostKeysRecordsWithoutAsking() throws Exception {
        String other = "other.example " + keyText(TestKeys.generate(TestKeys.Type.ED25519).getPublic());
        Files.writeString(knownHosts, other); // no final newline: the new entry must still start a line
        ScriptedPrompter prompter = new ScriptedPrompter();
        connect(Fixtures.options(home).withAcceptNewHostKeys(true), prompter);
        assertEquals(List.of(), prompter.confirmQuestions);
        assertEquals(other + "\n[127.0.0.1]:" + server.port() + " " + keyText(hostKey.getPublic()) + "\n",
                Files.readString(knownHosts));
    }

    @Test
    void aChangedKeyIsRefusedNamingTheLine() throws Exception {
        PublicKey old = TestKeys.generate(TestKeys.Type.ED25519).getPublic();
        String before = "# managed by hand\nother.example " + keyText(old) + "\n[127.0.0.1]:" + server.port() + " " + keyText(old) + "\n";
        Files.writeString(knownHosts, before);
        for (boolean acceptNew : new boolean[] {false, true}) {
            ScriptedPrompter prompter = new ScriptedPrompter().confirms(true);
            TransportException e = assertThrows(TransportException.class,
                    () -> connect(Fixtures.options(home).withAcceptNewHostKeys(acceptNew), prompter));
            assertEquals("node1: REMOTE HOST KEY CHANGED for 127.0.0.1:" + server.port() + ": it now offers ED25519 key "
                    + sha256(hostKey.getPublic()) + ", but " + knownHosts + ":3 holds another; refused (if the host was "
                    + "reinstalled, remove that line and confirm the new key)", e.getMessage());
            assertEquals(3, e.exitCode());
            assertFalse(e.transientFailure());
            assertEquals(List.of(), prompter.confirmQuestions);
            assertEquals(before, Files.readString(knownHosts));
        }
    }

    @Test
    void aRevokedKeyIsRefused() throws Exception {
        Files.writeString(knownHosts, "@revoked * " + keyText(hostKey.getPublic()) + "\n" + server.knownHostsLine() + "\n");
        TransportException e = assertThrows(TransportException.class, () -> connect(Fixtures.options(home), new ScriptedPrompter()));
        assertEquals("node1: host key " + sha256(hostKey.getPublic()) + " of 127.0.0.1:" + server.port()
                + " is marked @revoked at " + knownHosts + ":1; refused", e.getMessage());
        assertEquals(3, e.exitCode());
    }

    @Test
    void aKeyOfAnotherTypeIsNotAChangeButIsAsked() throws Exception {
        PublicKey ecdsa = TestKeys.generate(TestKeys.Type.ECDSA).getPublic();
        Files.writeString(knownHosts, "[127.0.0.1]:" + server.port() + " " + keyText(ecdsa) + "\n");
        ScriptedPrompter prompter = new ScriptedPrompter();
        TransportException e = assertThrows(TransportException.class, () -> connect(Fixtures.options(home), prompter));
        assertEquals(3, e.exitCode());
        assertEquals(1, prompter.confirmQuestions.size());
        assertTrue(prompter.confirmQuestions.get(0).contains("\nThis host already has a key of another type in "
                + knownHosts + ": ecdsa-sha2-nistp256.\n"), prompter.confirmQuestions.get(0));
    }

    /** MINA prefers ECDSA host keys; a host known by its ed25519 key must be asked for that one. */
    @Test
    void theKeyExchangeAsksForTheKnownKeyType(@TempDir Path other) throws Exception {
        KeyPair ecdsa = TestKeys.generate(TestKeys.Type.ECDSA);
        KeyPair ed25519 = TestKeys.generate(TestKeys.Type.ED25519);
        try (TestServer both = new TestServer(other, List.of(ecdsa, ed25519), TestServer.Method.PUBLICKEY)) {
            both.authorizedKeys.putAll(server.authorizedKeys);
            ClusterSpec bothSpec = Fixtures.spec(Fixtures.ssh("root", both.port(), home, "~/.ssh/id_ed25519"), node);
            for (KeyPair known : List.of(ed25519, ecdsa)) {
                Files.writeString(knownHosts, "[127.0.0.1]:" + both.port() + " " + keyText(known.getPublic()) + "\n");
                ScriptedPrompter prompter = new ScriptedPrompter();
                try (SshTransportFactory f = new SshTransportFactory(Fixtures.options(home), prompter)) {
                    f.connect(bothSpec, node);
                }
                assertEquals(List.of(), prompter.confirmQuestions, "known " + known.getPublic().getAlgorithm());
            }
        }
    }
}
