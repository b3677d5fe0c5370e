package io.kubewizard.cli;

import io.kubewizard.answers.AnswersLoader;
import io.kubewizard.answers.Spec.ClusterSpec;
import io.kubewizard.run.Executor;
import io.kubewizard.run.HostCheck;
import io.kubewizard.run.TransportFactory;
import io.kubewizard.ssh.SshOptions;
import io.kubewizard.testsupport.LoopbackSshd;
import io.kubewizard.testsupport.Presets;
import io.kubewizard.testsupport.SystemDeps;
import io.kubewizard.tui.Harness;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The wizard's Test connection over the real transport against a real OpenSSH sshd on 127.0.0.1
 * (a generated host key, root by a passphrase-protected key): the questions the dialogs answer, the
 * fingerprint ssh-keygen prints, a changed key refused with its known_hosts line. Install is not run
 * here: against this machine it would change it (the simulated nodes are for that).
 */
@Tag("system")
class WizardSshSystemTest {
    private static final String PASSPHRASE = "wizard phrase";

    @TempDir static Path dir;
    static LoopbackSshd sshd;
    static int port;
    static Path home;
    static String fingerprint;

    @BeforeAll
    static void startSshd() throws Exception {
        SystemDeps.requireRoot();
        SystemDeps.require("ssh-keygen", "openssh-client");
        Path server = Files.createDirectories(dir.resolve("server"));
        run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", server.resolve("host_ed25519").toString());
        home = Files.createDirectories(dir.resolve("home"));
        Files.createDirectories(home.resolve(".ssh"));
        run("ssh-keygen", "-q", "-t", "ed25519", "-N", PASSPHRASE, "-f", home.resolve(".ssh/id_ed25519").toString());
        Files.copy(home.resolve(".ssh/id_ed25519.pub"), server.resolve("authorized_keys"));
        fingerprint = run("ssh-keygen", "-l", "-f", server.resolve("host_ed25519.pub").toString()).split(" ")[1];
        sshd = LoopbackSshd.start(server, server.resolve("host_ed25519"), server.resolve("authorized_keys"));
        port = sshd.port();
    }

    @AfterAll
    static void stop() {
        if (sshd != null) sshd.close();
    }

    @BeforeEach
    void forgetKeys() throws IOException {
        Files.deleteIfExists(home.resolve(".ssh/known_hosts"));
    }

    private static String run(String... command) {
        SystemDeps.Result r = SystemDeps.run(Duration.ofSeconds(60), command);
        if (r.exitCode() != 0) fail(String.join(" ", command) + " failed: " + r.output());
        return r.output();
    }

    /** single-node with its one host on this sshd, the key and known_hosts in the test's home. */
    private static ClusterSpec spec(int sshPort) {
        String text = Presets.text("single-node")
                .replace("  port: 22\n", "  port: " + sshPort + "\n")
                .replace("10.0.0.11", "127.0.0.1")
                .replace("identityFile: ~/.ssh/id_ed25519", "identityFile: " + home.resolve(".ssh/id_ed25519"))
                .replace("useAgent: true", "useAgent: false")
                .replace("knownHostsFile: ~/.ssh/known_hosts", "knownHostsFile: " + home.resolve(".ssh/known_hosts"));
        AnswersLoader.Result r = AnswersLoader.parse("single-node.yaml", text);
        assertTrue(r.problems().isEmpty(), r.problems()::toString);
        return r.spec();
    }

    private static WizardEngine engine(boolean acceptNewHostKeys) {
        SshOptions options = SshOptions.defaults().withHome(home).withAgentSocket(null)
                .withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(20), Duration.ofSeconds(20));
        RunEnvironment env = new RunEnvironment(Transports.ssh(options), RunEnvironment.system().consoles(),
                RunEnvironment.system().clock(), RunEnvironment.system().sleeper());
        return new WizardEngine(env, dir.resolve("state"), acceptNewHostKeys, Executor.DEFAULT_CONCURRENCY);
    }

    /** Answers like a person at the dialogs: the passphrase, and yes to the key. */
    private static final class Person implements TransportFactory.Prompter {
        final List<String> questions = new ArrayList<>();
        boolean trust = true;

        public synchronized char[] secret(String question) {
            questions.add(question);
            return PASSPHRASE.toCharArray();
        }

        public synchronized boolean confirm(String question) {
            questions.add(question);
            return trust;
        }
    }

    @Test
    void anUnknownKeyIsConfirmedByItsFingerprintAndTheHostReportsItsFacts() throws Exception {
        Person person = new Person();
        ClusterSpec spec = spec(port);
        HostCheck.Report r = engine(false).test(spec, spec.hosts().get(0), person);
        assertTrue(r.reachable(), r::error);
        assertEquals(List.of("Passphrase for " + home.resolve(".ssh/id_ed25519"),
                "The authenticity of host 'node1 (127.0.0.1:" + port + ")' can't be established.\n"
                        + "ED25519 key fingerprint is " + fingerprint + ".\n"
                        + "Trust it and add it to " + home.resolve(".ssh/known_hosts") + "?"), person.questions);
        assertEquals("ED25519 " + fingerprint, r.hostKey());
        assertEquals(Runtime.getRuntime().availableProcessors(), r.facts().cpus());
        assertTrue(r.facts().memoryMb() > 0);
        assertTrue(Files.readString(home.resolve(".ssh/known_hosts")).startsWith("[127.0.0.1]:" + port + " ssh-ed25519 "));
    }

    @Test
    void acceptNewHostKeysAsksNothingButThePassphrase() throws Exception {
        Person person = new Person();
        ClusterSpec spec = spec(port);
        assertTrue(engine(true).test(spec, spec.hosts().get(0), person).reachable());
        assertEquals(List.of("Passphrase for " + home.resolve(".ssh/id_ed25519")), person.questions);
    }

    @Test
    void aRefusedKeyAndAChangedKeyAreOneLineEach() throws Exception {
        Person person = new Person();
        person.trust = false;
        ClusterSpec spec = spec(port);
        assertEquals("host key of 127.0.0.1:" + port + " is not in " + home.resolve(".ssh/known_hosts") + " (ED25519 "
                + fingerprint + "); refused: confirm it, or pass --accept-new-host-keys",
                engine(false).test(spec, spec.hosts().get(0), person).error());
        run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", dir.resolve("other").toString());
        Files.writeString(home.resolve(".ssh/known_hosts"), "[127.0.0.1]:" + port + " "
                + Files.readString(dir.resolve("other.pub")));
        assertEquals("REMOTE HOST KEY CHANGED for 127.0.0.1:" + port + ": it now offers ED25519 key " + fingerprint
                + ", but " + home.resolve(".ssh/known_hosts") + ":1 holds another; refused (if the host was "
                + "reinstalled, remove that line and confirm the new key)",
                engine(true).test(spec, spec.hosts().get(0), new Person()).error(), "refused even with the flag");
    }

    @Test
    void aHostNobodyListensForIsUnreachable() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        ClusterSpec spec = spec(closed);
        assertEquals("cannot connect to root@127.0.0.1:" + closed + ": Connection refused",
                engine(false).test(spec, spec.hosts().get(0), new Person()).error());
    }

    @Test
    void onTheHostsPageTheDialogsAnswerAndTheReportShowsTheRealKey() {
        WizardEngine engine = engine(false);
        Harness h = new Harness(80, 24, Harness.options(Locale.ENGLISH, dir, dir).withInitial(spec(port), null)
                .withTester(engine).withInstaller(engine));
        h.alt('n').alt('n');
        h.tab(6).enter();
        h.pumpUntil(() -> h.shows("Passphrase for"), "the passphrase dialog");
        h.type(PASSPHRASE).enter();
        h.pumpUntil(() -> h.shows("Trust it and add it"), "the host-key dialog");
        h.assertShows("ED25519 key fingerprint is " + fingerprint + ".", 64);
        h.backTab().enter();
        h.pumpUntil(() -> h.shows("answers."), "the report");
        h.assertShows("Host key ED25519 " + fingerprint, 72);
        assertTrue(!h.shows(PASSPHRASE), h.text());
    }
}
