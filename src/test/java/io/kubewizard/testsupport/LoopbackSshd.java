package io.kubewizard.testsupport;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * A real OpenSSH sshd for system tests: on 127.0.0.1 at a free high port, from a config written for
 * it, root logging in by the given authorized_keys only, its log in a file the tests read.
 */
public final class LoopbackSshd implements AutoCloseable {
    private final Process process;
    private final int port;
    private final Path log;

    private LoopbackSshd(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** Starts sshd in {@code dir} (config and log there) and returns once it listens; {@code extra} are config lines. */
    public static LoopbackSshd start(Path dir, Path hostKey, Path authorizedKeys, String... extra) throws Exception {
        Path sshd = SystemDeps.require("sshd", "openssh-server");
        Files.createDirectories(Path.of("/run/sshd"));
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Path config = Files.writeString(dir.resolve("sshd_config"), """
                Port %d
                ListenAddress 127.0.0.1
                HostKey %s
                PidFile none
                AuthorizedKeysFile %s
                PermitRootLogin prohibit-password
                PasswordAuthentication no
                KbdInteractiveAuthentication no
                UsePAM no
                StrictModes no
                """.formatted(port, hostKey, authorizedKeys) + String.join("\n", extra) + "\n");
        Path log = dir.resolve("sshd.log");
        Process process = new ProcessBuilder(sshd.toString(), "-D", "-e", "-f", config.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (true) {
            try (Socket probe = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return new LoopbackSshd(process, port, log);
            } catch (IOException notYet) {
                if (!process.isAlive()) fail("sshd exited: " + Files.readString(log));
                if (System.nanoTime() > deadline) {
                    process.destroy();
                    fail("sshd did not listen on " + port + ": " + Files.readString(log));
                }
                Thread.sleep(50);
            }
        }
    }

    public int port() { return port; }

    public Path log() { return log; }

    @Override
    public void close() { process.destroy(); }
}
