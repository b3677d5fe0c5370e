package io.kubewizard.ssh;

import io.kubewizard.answers.Spec.Become;
import io.kubewizard.answers.Spec.ClusterSpec;
import io.kubewizard.answers.Spec.Host;
import io.kubewizard.answers.Spec.Ssh;
import io.kubewizard.run.Transport;
import io.kubewizard.run.Transport.ExecResult;
import io.kubewizard.ssh.Fixtures.ScriptedPrompter;
import io.kubewizard.testsupport.LoopbackSshd;
import io.kubewizard.testsupport.SystemDeps;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.common.NamedResource;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The key exchange and cipher the client offers first, as the real OpenSSH sshd records them in
 * its debug log: curve25519 over the costly sntrup761 hybrid where the server has no ML-KEM, and
 * AES-GCM over ChaCha20 (see {@link Connector#PREFERRED_KEX}).
 */
@Tag("system")
class AlgorithmChoiceSystemTest {
    @TempDir Path dir;

    @Test
    void theOrderOnlyMovesAlgorithmsToTheFront() {
        SshClient client = SshClient.setUpDefaultClient();
        List<String> kex = client.getKeyExchangeFactories().stream().map(NamedResource::getName).toList();
        List<String> sorted = Connector.preferred(client.getKeyExchangeFactories(), Connector.PREFERRED_KEX).stream()
                .map(NamedResource::getName).toList();
        assertEquals(new HashSet<>(kex), new HashSet<>(sorted), "nothing added or dropped");
        assertEquals(kex.size(), sorted.size());
        List<String> first = Connector.PREFERRED_KEX.stream().filter(kex::contains).toList();
        assertEquals(List.of("curve25519-sha256", "curve25519-sha256@libssh.org", "sntrup761x25519-sha512",
                "sntrup761x25519-sha512@openssh.com"), first.stream().filter(k -> !k.startsWith("mlkem")).toList());
        assertEquals(first, sorted.subList(0, first.size()));
        assertEquals(kex.stream().filter(k -> !first.contains(k)).toList(), sorted.subList(first.size(), sorted.size()),
                "the others keep MINA's order");
    }

    @Test
    void openSshRecordsCurve25519AndAesGcm() throws Exception {
        SystemDeps.requireRoot();
        SystemDeps.require("ssh-keygen", "openssh-client");
        Path server = Files.createDirectories(dir.resolve("server"));
        Path home = Files.createDirectories(dir.resolve("home"));
        Files.createDirectories(home.resolve(".ssh"));
        SystemDeps.run(Duration.ofSeconds(60), "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", server.resolve("host").toString());
        SystemDeps.run(Duration.ofSeconds(60), "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", home.resolve(".ssh/id_ed25519").toString());
        Files.copy(home.resolve(".ssh/id_ed25519.pub"), server.resolve("authorized_keys"));
        try (LoopbackSshd sshd = LoopbackSshd.start(server, server.resolve("host"), server.resolve("authorized_keys"), "LogLevel DEBUG1")) {
            // the machine's OpenSSH client and server come from one release: ssh -Q lists what sshd knows too
            String offered = SystemDeps.run(Duration.ofSeconds(10), "ssh", "-Q", "kex").output();
            Path knownHosts = Files.writeString(home.resolve(".ssh/known_hosts"),
                    "[127.0.0.1]:" + sshd.port() + " " + Files.readString(server.resolve("host.pub")));
            Host node = Fixtures.host("node", "127.0.0.1", Ssh.none());
            ClusterSpec spec = Fixtures.spec(new Ssh("root", sshd.port(), "~/.ssh/id_ed25519", false, "", knownHosts.toString(),
                    Become.SUDO), node);
            try (SshTransportFactory f = new SshTransportFactory(Fixtures.options(home), new ScriptedPrompter())) {
                Transport t = f.connect(spec, node);
                // sshd at DEBUG1 copies its debug lines to the session's stderr: only stdout is asserted
                ExecResult r = t.exec("echo ok", null, null, Duration.ofSeconds(20));
                assertEquals(0, r.exitCode());
                assertEquals("ok", r.stdoutTail());
            }
            String log = Files.readString(sshd.log());
            List<String> ours = Connector.preferred(SshClient.setUpDefaultClient().getKeyExchangeFactories(),
                    Connector.PREFERRED_KEX).stream()
                    .map(NamedResource::getName).toList();
            String expectedKex = ours.stream().filter(k -> offered.lines().anyMatch(k::equals)).findFirst().orElseThrow();
            assertTrue(List.of("mlkem768x25519-sha256", "curve25519-sha256").contains(expectedKex), expectedKex);
            assertTrue(log.contains("kex: algorithm: " + expectedKex + " [preauth]"), log);
            assertTrue(log.contains("kex: client->server cipher: aes128-gcm@openssh.com MAC: <implicit> compression: none [preauth]"), log);
        }
    }
}
