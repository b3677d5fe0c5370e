package io.kubewizard.ssh;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How {@link SshTransportFactory} connects. Every wait is bounded (docs/architecture.md, "Conventions").
 *
 * @param connectTimeout     TCP connect to a host (or through a bastion's tunnel)
 * @param authTimeout        key exchange plus authentication, once connected
 * @param transferTimeout    one SFTP upload or download, and the sudo steps around it
 * @param heartbeatInterval  keepalive@openssh.com requests on an idle connection
 * @param heartbeatMaxMissed unanswered keepalives before the connection counts as dropped
 * @param acceptNewHostKeys  record unknown host keys without asking ({@code --accept-new-host-keys});
 *                           a changed key is refused regardless
 * @param home               where {@code ~} points: identity files, {@code ~/.ssh/config}, known_hosts
 * @param agentSocket        the ssh-agent socket (SSH_AUTH_SOCK), or null for none
 * @param passwordPrompts    how often a refused password is asked again, as OpenSSH's NumberOfPasswordPrompts
 * @param verbose            MINA SSHD's debug log goes to each host's log ({@code --verbose}; {@link SshDebugLog})
 */
public record SshOptions(Duration connectTimeout, Duration authTimeout, Duration transferTimeout,
                         Duration heartbeatInterval, int heartbeatMaxMissed, boolean acceptNewHostKeys,
                         Path home, String agentSocket, int passwordPrompts, boolean verbose) {

    public SshOptions {
        Objects.requireNonNull(connectTimeout);
        Objects.requireNonNull(authTimeout);
        Objects.requireNonNull(transferTimeout);
        Objects.requireNonNull(heartbeatInterval);
        Objects.requireNonNull(home);
        if (heartbeatMaxMissed < 1) throw new IllegalArgumentException("heartbeatMaxMissed must be at least 1");
        if (passwordPrompts < 1) throw new IllegalArgumentException("passwordPrompts must be at least 1");
        if (agentSocket != null && agentSocket.isBlank()) agentSocket = null;
    }

    /**
     * Connect in 15 s (a LAN host that takes longer is down or booting: the executor retries);
     * authenticate in 30 s (key exchange on a small VM, an ssh-agent on a hardware token); 2 minutes
     * per file (CNI manifests are a few MB); a keepalive every 15 s with 3 missed allowed, so a
     * vanished host is noticed within a minute while a slow `kubeadm init` that prints nothing is not
     * mistaken for one.
     */
    public static SshOptions defaults() {
        return new SshOptions(Duration.ofSeconds(15), Duration.ofSeconds(30), Duration.ofMinutes(2),
                Duration.ofSeconds(15), 3, false, Path.of(System.getProperty("user.home")),
                System.getenv("SSH_AUTH_SOCK"), 3, false);
    }

    public SshOptions withAcceptNewHostKeys(boolean accept) {
        return new SshOptions(connectTimeout, authTimeout, transferTimeout, heartbeatInterval, heartbeatMaxMissed,
                accept, home, agentSocket, passwordPrompts, verbose);
    }

    public SshOptions withHome(Path dir) {
        return new SshOptions(connectTimeout, authTimeout, transferTimeout, heartbeatInterval, heartbeatMaxMissed,
                acceptNewHostKeys, dir, agentSocket, passwordPrompts, verbose);
    }

    public SshOptions withAgentSocket(String socket) {
        return new SshOptions(connectTimeout, authTimeout, transferTimeout, heartbeatInterval, heartbeatMaxMissed,
                acceptNewHostKeys, home, socket, passwordPrompts, verbose);
    }

    public SshOptions withTimeouts(Duration connect, Duration auth, Duration transfer) {
        return new SshOptions(connect, auth, transfer, heartbeatInterval, heartbeatMaxMissed,
                acceptNewHostKeys, home, agentSocket, passwordPrompts, verbose);
    }

    public SshOptions withHeartbeat(Duration interval, int maxMissed) {
        return new SshOptions(connectTimeout, authTimeout, transferTimeout, interval, maxMissed,
                acceptNewHostKeys, home, agentSocket, passwordPrompts, verbose);
    }

    public SshOptions withVerbose(boolean on) {
        return new SshOptions(connectTimeout, authTimeout, transferTimeout, heartbeatInterval, heartbeatMaxMissed,
                acceptNewHostKeys, home, agentSocket, passwordPrompts, on);
    }

    /** The {@code ~/.ssh/config} this run reads. */
    public Path sshConfig() { return home.resolve(".ssh").resolve("config"); }
}
