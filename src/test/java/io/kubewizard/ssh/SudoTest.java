package io.kubewizard.ssh;

import io.kubewizard.answers.Spec.ClusterSpec;
import io.kubewizard.answers.Spec.Host;
import io.kubewizard.answers.Spec.Ssh;
import io.kubewizard.run.Transport;
import io.kubewizard.run.Transport.ExecResult;
import io.kubewizard.run.TransportException;
import io.kubewizard.ssh.Fixtures.ScriptedPrompter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code become: sudo} for a non-root user, against a recording stand-in for sudo on the server's
 * PATH (run by the real /bin/sh): it logs its argv and the password line it reads from stdin, and
 * checks that password when {@code sudo.password} exists.
 */
class SudoTest {

    private static final String FAKE_SUDO = """
            #!/bin/sh
            dir=$(dirname "$0")
            printf 'argv:' >> "$dir/sudo.log"
            for a in "$@"; do printf ' [%s]' "$a" >> "$dir/sudo.log"; done
            printf '\\n' >> "$dir/sudo.log"
            nopass=false; stdin=false
            while [ $# -gt 0 ]; do
              case "$1" in
                -n) nopass=true; shift ;;
                -k) shift ;;
                -S) stdin=true; shift ;;
                -p) shift 2 ;;
                --) shift; break ;;
                *) break ;;
              esac
            done
            if [ -f "$dir/sudo.password" ]; then
              if $nopass; then echo "sudo: a password is required" >&2; exit 1; fi
              if ! $stdin; then echo "sudo: a terminal is required to read the password" >&2; exit 1; fi
              IFS= read -r given || { echo "sudo: no password was provided" >&2; exit 1; }
              printf 'stdin: %s\\n' "$given" >> "$dir/sudo.log"
              [ "$given" = "$(cat "$dir/sudo.password")" ] || { echo "sudo: 1 incorrect password attempt" >&2; exit 1; }
            fi
            exec "$@"
            """;

    @TempDir
    static Path dir;
    static TestServer server;
    static Path home;
    static Host node;
    static ClusterSpec spec;

    @BeforeAll
    static void start() throws Exception {
        home = dir.resolve("home");
        server = TestServer.forUser(dir.resolve("server"), "deploy", home);
        server.script("sudo", FAKE_SUDO);
        node = Fixtures.host("node1", "127.0.0.1", Ssh.none());
        spec = Fixtures.spec(Fixtures.ssh("deploy", server.port(), home, "~/.ssh/id_ed25519"), node);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @BeforeEach
    void reset() throws Exception {
        Files.deleteIfExists(server.bin.resolve("sudo.log"));
        Files.deleteIfExists(server.bin.resolve("sudo.password"));
        server.commands.clear();
    }

    private static String log() throws Exception {
        Path log = server.bin.resolve("sudo.log");
        return Files.exists(log) ? Files.readString(log) : "";
    }

    @Test
    void withoutAPasswordCommandsRunUnderSudoN() throws Exception {
        try (SshTransportFactory f = new SshTransportFactory(Fixtures.options(home), new ScriptedPrompter())) {
            Transport t = f.connect(spec, node);
            ExecResult r = t.exec("echo 'it''s' $((1+1))", null, null, Duration.ofSeconds(20));
            assertEquals(new ExecResult(0, "its 2", ""), r);
            t.exec("true", null, null, Duration.ofSeconds(20));
        }
        assertEquals(List.of("sudo -n -- sh -c true", "sudo -n -- sh -c 'echo '\\''it'\\'''\\''s'\\'' $((1+1))'",
                "sudo -n -- sh -c true"), server.commands);
        assertEquals("argv: [-n] [--] [sh] [-c] [true]\n"
                + "argv: [-n] [--] [sh] [-c] [echo 'it''s' $((1+1))]\n"
                + "argv: [-n] [--] [sh] [-c] [true]\n", log());
    }

    @Test
    void thePasswordIsAskedOncePerHostAndFedOnStandardInputOnly() throws Exception {
        Files.writeString(server.bin.resolve("sudo.password"), "hunter2 with spaces");
        ScriptedPrompter prompter = new ScriptedPrompter().secrets("hunter2 with spaces");
        try (SshTransportFactory f = new SshTransportFactory(Fixtures.options(home), prompter)) {
            Transport t = f.connect(spec, node);
            ExecResult r = t.exec("cat", "the command's own input\n".getBytes(StandardCharsets.UTF_8), null, Duration.ofSeconds(20));
            assertEquals(new ExecResult(0, "the command's own input", ""), r);
            t.close();
            Transport again = f.connect(spec, node);
            assertEquals("root-ish", again.exec("echo root-ish", null, null, Duration.ofSeconds(20)).stdoutTail());
        }
        assertEquals(List.of("sudo password for deploy on node1"), prompter.secretQuestions);
        assertEquals(List.of("sudo -n -- sh -c true", "sudo -k -S -p '' -- sh -c true", "sudo -k -S -p '' -- sh -c cat",
                "sudo -k -S -p '' -- sh -c 'echo root-ish'"), server.commands);
        String log = log();
        assertEquals("argv: [-n] [--] [sh] [-c] [true]\n"
                + "argv: [-k] [-S] [-p] [] [--] [sh] [-c] [true]\n"
                + "stdin: hunter2 with spaces\n"
                + "argv: [-k] [-S] [-p] [] [--] [sh] [-c] [cat]\n"
                + "stdin: hunter2 with spaces\n"
                + "argv: [-k] [-S] [-p] [] [--] [sh] [-c] [echo root-ish]\n"
                + "stdin: hunter2 with spaces\n", log);
        for (String command : server.commands) assertFalse(command.contains("hunter2"), command);
    }

    @Test
    void aStepsCommandsRunAsOneScriptUnderOneSudoWithThePasswordFedOnce() throws Exception {
        Files.writeString(server.bin.resolve("sudo.password"), "hunter2");
        ScriptedPrompter prompter = new ScriptedPrompter().secrets("hunter2");
        List<String> heard = new java.util.ArrayList<>();
        List<ExecResult> results;
        try (SshTransportFactory f = new SshTransportFactory(Fixtures.options(home), prompter)) {
            Transport t = f.connect(spec, node);
            results = t.execAll(List.of("echo one", "cat; echo two", "echo bad >&2; exit 4", "echo never"),
                    new Transport.Commands() {
                        public void starting(int index) { heard.add("start " + index); }

                        public void line(int index, String line, boolean stderr) { heard.add(index + (stderr ? " ! " : " | ") + line); }

                        public void ended(int index, int exitCode) { heard.add("end " + index + " " + exitCode); }
                    }, Duration.ofSeconds(20));
        }
        assertEquals(List.of(new ExecResult(0, "one", ""), new ExecResult(0, "two", ""), new ExecResult(4, "", "bad")),
                results, "the password reached sudo, not cat");
        // stderr comes on a stream of its own: its lines keep their order, not their place among stdout's
        assertEquals(List.of("start 0", "0 | one", "end 0 0", "start 1", "1 | two", "end 1 0", "start 2", "end 2 4"),
                heard.stream().filter(h -> !h.contains(" ! ")).toList());
        assertEquals(List.of("2 ! bad"), heard.stream().filter(h -> h.contains(" ! ")).toList());
        assertEquals(3, server.commands.size(), "sudo's checks, then one channel for the four commands: " + server.commands);
        assertTrue(server.commands.get(2).startsWith("sudo -k -S -p '' -- sh -c '(\necho one\n) </dev/null\n"), server.commands.get(2));
        assertEquals(2, log().split("stdin: hunter2\n", -1).length - 1, "the password once for the check, once for the batch: " + log());
        for (String command : server.commands) assertFalse(command.contains("hunter2"), command);
    }

    @Test
    void aRefusedPasswordIsAskedThreeTimesThenFails() throws Exception {
        Files.writeString(server.bin.resolve("sudo.password"), "right");
        ScriptedPrompter prompter = new ScriptedPrompter().secrets("a", "b", "c", "right");
        try (SshTransportFactory f = new SshTransportFactory(Fixtures.options(home), prompter)) {
            Transport t = f.connect(spec, node);
            TransportException e = assertThrows(TransportException.class, () -> t.exec("true", null, null, Duration.ofSeconds(20)));
            assertEquals("node1: sudo refused deploy: sudo: 1 incorrect password attempt", e.getMessage());
            assertFalse(e.transientFailure());
        }
        assertEquals(List.of("sudo password for deploy on node1", "Sorry, try again. sudo password for deploy on node1",
                "Sorry, try again. sudo password for deploy on node1"), prompter.secretQuestions);
    }

    @Test
    void noPasswordGivenIsAClearFailure() throws Exception {
        Files.writeString(server.bin.resolve("sudo.password"), "right");
        try (SshTransportFactory f = new SshTransportFactory(Fixtures.options(home), new ScriptedPrompter())) {
            Transport t = f.connect(spec, node);
            TransportException e = assertThrows(TransportException.class, () -> t.exec("true", null, null, Duration.ofSeconds(20)));
            assertEquals("node1: sudo needs a password for deploy and none was given", e.getMessage());
        }
    }

    @Test
    void uploadsGoThroughAPrivateDirectoryAndInstall() throws Exception {
        Files.writeString(server.bin.resolve("sudo.password"), "pw");
        Path target = dir.resolve("etc/kubernetes/pki/sa.key");
        try (SshTransportFactory f = new SshTransportFactory(Fixtures.options(home), new ScriptedPrompter().secrets("pw"))) {
            Transport t = f.connect(spec, node);
            t.upload(target.toString(), "secret key\n".getBytes(StandardCharsets.UTF_8), 0600);
            assertEquals("secret key\n", Files.readString(target));
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(target)));
            t.upload(target.toString(), "rotated".getBytes(StandardCharsets.UTF_8), 0640);
            assertEquals("rotated", Files.readString(target));
            assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(target)));
            assertArrayEquals("rotated".getBytes(StandardCharsets.UTF_8), t.download(target.toString()));
            TransportException e = assertThrows(TransportException.class, () -> t.download(dir.resolve("nothing").toString()));
            assertEquals("node1: cannot read " + dir.resolve("nothing") + ": cat: " + dir.resolve("nothing")
                    + ": No such file or directory", e.getMessage());
        }
        String install = server.commands.get(3);
        Matcher m = Pattern.compile("sudo -k -S -p '' -- sh -c 'mkdir -p -- (\\S+) && install -m 0600 -- (/\\S+)/upload (\\S+) "
                + "&& mv -f -- (\\S+) (\\S+)'; rc=\\$\\?; rm -rf -- (\\S+); exit \\$rc").matcher(install);
        assertTrue(m.matches(), install);
        assertEquals(target.getParent().toString(), m.group(1));
        assertEquals(target.getParent().resolve(".sa.key.kw-tmp").toString(), m.group(3));
        assertEquals(m.group(3), m.group(4));
        assertEquals(target.toString(), m.group(5));
        assertEquals(m.group(2), m.group(6));
        assertFalse(Files.exists(Path.of(m.group(2))), "the private directory is removed");
        assertEquals("mktemp -d", server.commands.get(2));
        try (var files = Files.list(target.getParent())) {
            assertEquals(List.of("sa.key"), files.map(p -> p.getFileName().toString()).toList());
        }
        assertEquals("sudo -k -S -p '' -- sh -c 'cat -- " + target + "'", server.commands.get(server.commands.size() - 2));
    }
}
