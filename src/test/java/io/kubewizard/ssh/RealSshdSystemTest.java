package io.kubewizard.ssh;

import io.kubewizard.answers.Spec.Become;
import io.kubewizard.answers.Spec.ClusterSpec;
import io.kubewizard.answers.Spec.Host;
import io.kubewizard.answers.Spec.Ssh;
import io.kubewizard.run.Transport;
import io.kubewizard.run.Transport.ExecResult;
import io.kubewizard.run.TransportException;
import io.kubewizard.ssh.Fixtures.ScriptedPrompter;
import io.kubewizard.testsupport.LoopbackSshd;
import io.kubewizard.testsupport.SystemDeps;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The transport against a real OpenSSH sshd on 127.0.0.1 (random high port, generated config and
 * host key, root by authorized_keys), with keys made by the real ssh-keygen and a real ssh-agent.
 */
@Tag("system")
class RealSshdSystemTest {

    @TempDir
    static Path dir;
    static LoopbackSshd sshd;
    static Process agent;
    static int port;
    static Path log;
    static Path hostKeyPub;
    static Path home;
    static Path knownHosts;

    @BeforeAll
    static void startSshd() throws Exception {
        SystemDeps.requireRoot();
        SystemDeps.require("ssh-keygen", "openssh-client");
        SystemDeps.require("ssh-agent", "openssh-client");
        SystemDeps.require("ssh-add", "openssh-client");
        SystemDeps.require("pgrep", "procps");
        Path server = Files.createDirectories(dir.resolve("server"));
        keygen("-t", "ed25519", "-N", "", "-C", "host", "-f", server.resolve("host_ed25519").toString());
        hostKeyPub = server.resolve("host_ed25519.pub");

        home = Files.createDirectories(dir.resolve("home"));
        Files.createDirectories(home.resolve(".ssh"));
        keygen("-t", "ed25519", "-N", "", "-C", "plain", "-f", home.resolve(".ssh/id_ed25519").toString());
        keygen("-t", "rsa", "-b", "3072", "-m", "PEM", "-N", "pem phrase", "-C", "pem", "-f", home.resolve(".ssh/id_rsa_pem").toString());
        keygen("-t", "ecdsa", "-N", "ecdsa phrase", "-C", "ecdsa", "-f", home.resolve(".ssh/id_ecdsa").toString());
        keygen("-t", "ed25519", "-N", "", "-C", "agent", "-f", home.resolve("agent_key").toString());
        Files.writeString(server.resolve("authorized_keys"), String.join("", List.of(
                Files.readString(home.resolve(".ssh/id_ed25519.pub")), Files.readString(home.resolve(".ssh/id_rsa_pem.pub")),
                Files.readString(home.resolve(".ssh/id_ecdsa.pub")), Files.readString(home.resolve("agent_key.pub")))));

        sshd = LoopbackSshd.start(server, server.resolve("host_ed25519"), server.resolve("authorized_keys"),
                "Subsystem sftp internal-sftp", "LogLevel VERBOSE");
        port = sshd.port();
        log = sshd.log();
        knownHosts = Files.writeString(home.resolve(".ssh/known_hosts"), "[127.0.0.1]:" + port + " " + Files.readString(hostKeyPub));
    }

    @AfterAll
    static void stop() {
        if (sshd != null) sshd.close();
        if (agent != null) agent.destroy();
    }

    private static void keygen(String... args) {
        String[] command = new String[args.length + 2];
        command[0] = "ssh-keygen";
        command[1] = "-q";
        System.arraycopy(args, 0, command, 2, args.length);
        SystemDeps.Result r = SystemDeps.run(Duration.ofSeconds(60), command);
        assertEquals(0, r.exitCode(), r.output());
    }

    private static ClusterSpec spec(Host node, String identityFile, boolean agent, Path knownHostsFile) {
        return Fixtures.spec(new Ssh("root", port, identityFile, agent, "", knownHostsFile.toString(), Become.SUDO), node);
    }

    private static final Host NODE = Fixtures.host("real1", "127.0.0.1", Ssh.none());

    @Test
    void execUploadDownloadAsRoot() throws Exception {
        try (SshTransportFactory f = new SshTransportFactory(Fixtures.options(home), new ScriptedPrompter())) {
            Transport t = f.connect(spec(NODE, "~/.ssh/id_ed25519", false, knownHosts), NODE);
            assertEquals(new ExecResult(5, "0", "to stderr"),
                    t.exec("id -u; echo 'to stderr' >&2; exit 5", null, null, Duration.ofSeconds(20)));
            assertEquals(new ExecResult(0, "fed", ""), t.exec("cat", "fed".getBytes(StandardCharsets.UTF_8), null, Duration.ofSeconds(20)));

            Path target = dir.resolve("etc/kubernetes/pki/ca.key");
            t.upload(target.toString(), "key material\n".getBytes(StandardCharsets.UTF_8), 0600);
            PosixFileAttributes attrs = Files.readAttributes(target, PosixFileAttributes.class);
            assertEquals("rw-------", PosixFilePermissions.toString(attrs.permissions()));
            assertEquals("root", attrs.owner().getName());
            assertEquals("key material\n", Files.readString(target));
            t.upload(target.toString(), "replaced".getBytes(StandardCharsets.UTF_8), 0644);
            assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(target)));
            try (var files = Files.list(target.getParent())) {
                assertEquals(List.of("ca.key"), files.map(p -> p.getFileName().toString()).toList());
            }
            assertArrayEquals("replaced".getBytes(StandardCharsets.UTF_8), t.download(target.toString()));
            assertTrue(Files.readString(log).contains("Accepted publickey for root"), "sshd logged the login");
        }
    }

    /**
     * The timeout closes the channel and the connection stays usable. The TERM request reaches sshd,
     * which refuses "signal" for root sessions (no privilege separation after a root login): a
     * silent command keeps running there, so the test ends it itself, by its pid.
     */
    @Test
    void anExecTimeoutClosesTheChannelAndAsksSshdForTerm() throws Exception {
        try (SshTransportFactory f = new SshTransportFactory(Fixtures.options(home), new ScriptedPrompter())) {
            Transport t = f.connect(spec(NODE, "~/.ssh/id_ed25519", false, knownHosts), NODE);
            long start = System.nanoTime();
            TransportException e = assertThrows(TransportException.class,
                    () -> t.exec("echo started; exec sleep 31.25", null, null, Duration.ofSeconds(1)));
            assertTrue((System.nanoTime() - start) / 1_000_000 < 4000);
            assertEquals("real1: command timed out after 1s", e.getMessage());
            assertTrue(e.transientFailure());
            assertEquals("still usable", t.exec("echo still usable", null, null, Duration.ofSeconds(20)).stdoutTail());
            assertTrue(Files.readString(log).contains("session_signal_req: session signalling requires privilege separation"),
                    Files.readString(log));
        } finally {
            SystemDeps.Result left = SystemDeps.run(Duration.ofSeconds(5), "pgrep", "-f", "^sleep 31.25$");
            for (String pid : left.output().strip().split("\\s+")) {
                if (!pid.isEmpty()) ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroy);
            }
        }
    }

    @Test
    void keysFromTheRealSshKeygenWithTheirPassphrases() throws Exception {
        for (String file : List.of("~/.ssh/id_rsa_pem", "~/.ssh/id_ecdsa")) {
            String phrase = file.endsWith("pem") ? "pem phrase" : "ecdsa phrase";
            assertTrue(Files.readString(home.resolve(file.substring(2))).startsWith(file.endsWith("pem")
                    ? "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED" : "-----BEGIN OPENSSH PRIVATE KEY-----"));
            ScriptedPrompter prompter = new ScriptedPrompter().secrets(phrase);
            try (SshTransportFactory f = new SshTransportFactory(Fixtures.options(home), prompter)) {
                Transport t = f.connect(spec(NODE, file, false, knownHosts), NODE);
                assertEquals("ok", t.exec("echo ok", null, null, Duration.ofSeconds(20)).stdoutTail());
            }
            assertEquals(List.of("Passphrase for " + home.resolve(file.substring(2))), prompter.secretQuestions);
        }
    }

    @Test
    void theRealSshAgentSigns() throws Exception {
        Path socket = dir.resolve("agent.sock");
        agent = new ProcessBuilder("ssh-agent", "-D", "-a", socket.toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("agent.log").toFile()).start();
        // ssh-agent binds the socket before it listens: until it listens, ssh-add is refused (exit 2).
        // The condition waited for is the agent accepting ssh-add, not the socket file appearing.
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (true) {
            ProcessBuilder add = new ProcessBuilder("ssh-add", home.resolve("agent_key").toString()).redirectErrorStream(true);
            add.environment().put("SSH_AUTH_SOCK", socket.toString());
            Process adding = add.start();
            String out = new String(adding.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int code = adding.waitFor();
            if (code == 0) break;
            boolean notListening = code == 2 && out.contains("Error connecting to agent");
            if (!notListening || System.nanoTime() > deadline) assertEquals(0, code, out);
            Thread.sleep(50);
        }
        SshOptions options = Fixtures.options(home).withAgentSocket(socket.toString());
        try (SshTransportFactory f = new SshTransportFactory(options, new ScriptedPrompter())) {
            Transport t = f.connect(spec(NODE, "~/.ssh/absent", true, knownHosts), NODE);
            assertEquals("agent", t.exec("echo agent", null, null, Duration.ofSeconds(20)).stdoutTail());
        }
    }

    @Test
    void theFingerprintIsTheOneSshKeygenPrints() throws Exception {
        Path fresh = home.resolve("known_hosts_fresh");
        Files.deleteIfExists(fresh);
        ScriptedPrompter prompter = new ScriptedPrompter().confirms(true);
        try (SshTransportFactory f = new SshTransportFactory(Fixtures.options(home), prompter)) {
            f.connect(spec(NODE, "~/.ssh/id_ed25519", false, fresh), NODE);
        }
        String printed = SystemDeps.run(Duration.ofSeconds(10), "ssh-keygen", "-l", "-E", "sha256", "-f", hostKeyPub.toString())
                .output().split(" ")[1];
        assertTrue(prompter.confirmQuestions.get(0).contains("ED25519 key fingerprint is " + printed + ".\n"),
                prompter.confirmQuestions.get(0));
        SystemDeps.Result found = SystemDeps.run(Duration.ofSeconds(10), "ssh-keygen", "-F", "[127.0.0.1]:" + port, "-f", fresh.toString());
        assertEquals(0, found.exitCode(), "OpenSSH reads the recorded entry: " + found.output());
    }

    @Test
    void aChangedHostKeyIsRefusedBeforeAnyLogin() throws Exception {
        Path other = dir.resolve("other_host_key");
        keygen("-t", "ed25519", "-N", "", "-f", other.toString());
        Path changed = Files.writeString(home.resolve("known_hosts_changed"),
                "[127.0.0.1]:" + port + " " + Files.readString(Path.of(other + ".pub")));
        long logins = Files.readString(log).lines().filter(l -> l.contains("Accepted publickey")).count();
        try (SshTransportFactory f = new SshTransportFactory(Fixtures.options(home).withAcceptNewHostKeys(true), new ScriptedPrompter())) {
            TransportException e = assertThrows(TransportException.class,
                    () -> f.connect(spec(NODE, "~/.ssh/id_ed25519", false, changed), NODE));
            assertEquals(3, e.exitCode());
            assertFalse(e.transientFailure());
            assertTrue(e.getMessage().startsWith("real1: REMOTE HOST KEY CHANGED for 127.0.0.1:" + port + ": it now offers ED25519 key SHA256:"),
                    e.getMessage());
            assertTrue(e.getMessage().contains(", but " + changed + ":1 holds another; refused"), e.getMessage());
        }
        Thread.sleep(300);
        assertEquals(logins, Files.readString(log).lines().filter(l -> l.contains("Accepted publickey")).count(),
                "nobody logged in");
    }
}
