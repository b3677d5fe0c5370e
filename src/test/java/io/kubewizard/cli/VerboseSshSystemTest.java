package io.kubewizard.cli;

import io.kubewizard.console.Console;
import io.kubewizard.run.TransportFactory;
import io.kubewizard.ssh.SshOptions;
import io.kubewizard.testsupport.LoopbackSshd;
import io.kubewizard.testsupport.Presets;
import io.kubewizard.testsupport.SystemDeps;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@code preflight --verbose} against a real OpenSSH sshd on 127.0.0.1, the key behind a passphrase:
 * the host's log holds MINA's key exchange and authentication, as {@code ssh -vvv} would show them,
 * and the passphrase is nowhere; without --verbose the log has none of MINA's lines. Preflight only
 * reads this machine (facts), so it is safe here and takes a few seconds.
 */
@Tag("system")
class VerboseSshSystemTest {
    private static final String PASSPHRASE = "verbose phrase 7d1c";

    @TempDir static Path dir;
    static LoopbackSshd sshd;
    static Path home;
    static Path answers;

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
        sshd = LoopbackSshd.start(server, server.resolve("host_ed25519"), server.resolve("authorized_keys"));
        answers = Files.writeString(dir.resolve("answers.yaml"), Presets.text("single-node")
                .replace("  port: 22\n", "  port: " + sshd.port() + "\n")
                .replace("10.0.0.11", "127.0.0.1")
                .replace("identityFile: ~/.ssh/id_ed25519", "identityFile: " + home.resolve(".ssh/id_ed25519"))
                .replace("useAgent: true", "useAgent: false")
                .replace("knownHostsFile: ~/.ssh/known_hosts", "knownHostsFile: " + home.resolve(".ssh/known_hosts")));
    }

    @AfterAll
    static void stop() {
        if (sshd != null) sshd.close();
    }

    private static String run(String... command) {
        SystemDeps.Result r = SystemDeps.run(Duration.ofSeconds(60), command);
        if (r.exitCode() != 0) fail(String.join(" ", command) + " failed: " + r.output());
        return r.output();
    }

    private record Result(int code, String out, String err, List<String> questions) {}

    /** kubewizard preflight over the real transport, a person typing the passphrase when asked. */
    private static Result preflight(Path state, String... more) {
        List<String> questions = new ArrayList<>();
        TransportFactory.Prompter person = new TransportFactory.Prompter() {
            public synchronized char[] secret(String question) {
                questions.add(question);
                return PASSPHRASE.toCharArray();
            }

            public synchronized boolean confirm(String question) {
                questions.add(question);
                return false;
            }
        };
        SshOptions options = SshOptions.defaults().withHome(home).withAgentSocket(null)
                .withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(20), Duration.ofSeconds(20));
        RunEnvironment env = new RunEnvironment(Transports.ssh(options), (plain, out) -> Console.lines(out, person, true),
                RunEnvironment.system().clock(), RunEnvironment.system().sleeper());
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine(new PrintWriter(out, true), new PrintWriter(err, true));
        ((PreflightCommand) cl.getSubcommands().get("preflight").getCommand()).env = env;
        List<String> args = new ArrayList<>(List.of("preflight", "-f", answers.toString(), "--state", state.toString(),
                "--plain", "--accept-new-host-keys"));
        args.addAll(List.of(more));
        int code = cl.execute(args.toArray(String[]::new));
        return new Result(code, out.toString(), err.toString(), questions);
    }

    private static List<String> sshLines(Path log) throws IOException {
        return Files.readAllLines(log).stream().filter(l -> l.contains(" ssh: ")).toList();
    }

    private static void noPassphraseIn(Path state, Result r) throws IOException {
        assertFalse(r.out().contains(PASSPHRASE) || r.err().contains(PASSPHRASE), "the passphrase on the console");
        try (Stream<Path> files = Files.walk(state)) {
            for (Path p : files.filter(Files::isRegularFile).toList()) {
                assertFalse(Files.readString(p, StandardCharsets.ISO_8859_1).contains(PASSPHRASE), p + " holds the passphrase");
            }
        }
    }

    @Test
    void verboseWritesMinasKeyExchangeAndAuthenticationIntoTheHostsLog() throws Exception {
        Path state = dir.resolve("verbose");
        Result r = preflight(state, "--verbose");
        assertTrue(r.code() == 0 || r.code() == 1, r::toString);
        assertEquals(List.of("Passphrase for " + home.resolve(".ssh/id_ed25519")), r.questions());
        Path log = state.resolve("single/logs/node1.log");
        List<String> ssh = sshLines(log);
        String session = "(ClientSessionImpl[root@/127.0.0.1:" + sshd.port() + "])";
        assertTrue(ssh.stream().anyMatch(l -> l.contains(" ssh: DEBUG ClientSessionImpl: setNegotiationResult" + session
                + " Kex: kex algorithms = ")), "the key exchange: " + ssh);
        assertTrue(ssh.stream().anyMatch(l -> l.contains(" ssh: DEBUG ClientSessionImpl: setServerKey" + session
                + " keyType=ssh-ed25519, digest=SHA256:")), "the host key: " + ssh);
        assertTrue(ssh.stream().anyMatch(l -> l.contains(" ssh: DEBUG ClientUserAuthService: processUserAuth" + session
                + " SSH_MSG_USERAUTH_SUCCESS Succeeded with publickey")), "the authentication: " + ssh);
        assertTrue(ssh.stream().anyMatch(l -> l.contains(" ssh: DEBUG SshClient: connect(root@127.0.0.1:" + sshd.port() + ")")),
                "a line logged before the session existed, by the connecting thread: " + ssh);
        assertTrue(Files.readString(log).contains("facts@node1: done"), "the steps' own lines stay: " + Files.readString(log));
        noPassphraseIn(state, r);
    }

    @Test
    void withoutVerboseTheHostsLogHasNoneOfMinasLines() throws Exception {
        Path state = dir.resolve("quiet");
        Result r = preflight(state);
        assertTrue(r.code() == 0 || r.code() == 1, r::toString);
        Path log = state.resolve("single/logs/node1.log");
        assertTrue(Files.readString(log).contains("facts@node1: done"), Files.readString(log));
        assertEquals(List.of(), sshLines(log));
        noPassphraseIn(state, r);
    }
}
