package io.kubewizard.ssh;

import org.apache.sshd.common.channel.RequestHandler;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.session.ConnectionService;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.session.SessionListener;
import org.apache.sshd.common.util.net.SshdSocketAddress;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ServerAuthenticationManager;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.auth.UserAuthFactory;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.forward.StaticDecisionForwardingFilter;
import org.apache.sshd.server.shell.InvertedShellWrapper;
import org.apache.sshd.server.shell.ProcessShell;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-process MINA SSH server on 127.0.0.1 (ephemeral port) whose exec requests run under the
 * real /bin/sh, with {@code bin} (fake commands such as sudo) first on PATH, and SFTP on the real
 * file system. What clients did is recorded for assertions.
 */
final class TestServer implements AutoCloseable {

    final SshServer server;
    final Path bin;
    final List<KeyPair> hostKeys;
    final Map<String, List<PublicKey>> authorizedKeys = new ConcurrentHashMap<>();
    final Map<String, String> passwords = new ConcurrentHashMap<>();
    final List<String> commands = new CopyOnWriteArrayList<>();
    final List<String> passwordAttempts = new CopyOnWriteArrayList<>();
    /** "command: SIGNAL" for each signal request a client sent. */
    final List<String> signals = new CopyOnWriteArrayList<>();
    final List<SshdSocketAddress> tunnels = new CopyOnWriteArrayList<>();
    final AtomicInteger sessions = new AtomicInteger();
    final AtomicInteger keepalives = new AtomicInteger();

    enum Method { PUBLICKEY, PASSWORD, KEYBOARD_INTERACTIVE }

    TestServer(Path dir, List<KeyPair> hostKeys, Method... methods) throws IOException {
        this.hostKeys = List.copyOf(hostKeys);
        this.bin = Files.createDirectories(dir.resolve("bin"));
        server = SshServer.setUpDefaultServer();
        server.setHost("127.0.0.1");
        server.setPort(0);
        server.setKeyPairProvider(session -> this.hostKeys);
        List<UserAuthFactory> factories = new ArrayList<>();
        for (Method m : methods.length == 0 ? Method.values() : methods) {
            factories.add(switch (m) {
                case PUBLICKEY -> ServerAuthenticationManager.DEFAULT_USER_AUTH_PUBLIC_KEY_FACTORY;
                case PASSWORD -> ServerAuthenticationManager.DEFAULT_USER_AUTH_PASSWORD_FACTORY;
                case KEYBOARD_INTERACTIVE -> ServerAuthenticationManager.DEFAULT_USER_AUTH_KB_INTERACTIVE_FACTORY;
            });
        }
        server.setUserAuthFactories(factories);
        server.setPublickeyAuthenticator((user, key, session) ->
                authorizedKeys.getOrDefault(user, List.of()).stream().anyMatch(k -> KeyUtils.compareKeys(k, key)));
        server.setPasswordAuthenticator((user, password, session) -> {
            passwordAttempts.add(user + ":" + password);
            return password.equals(passwords.get(user));
        });
        server.setCommandFactory((channel, command) -> {
            commands.add(command);
            String withPath = "PATH='" + bin + "':\"$PATH\"; export PATH; " + command;
            return new InvertedShellWrapper(new ProcessShell(List.of("/bin/sh", "-c", withPath))) {
                @Override
                public void start(ChannelSession session, Environment env) throws IOException {
                    env.addSignalListener((ch, signal) -> signals.add(command + ": " + signal.name()));
                    super.start(session, env);
                }
            };
        });
        server.setSubsystemFactories(List.of(new SftpSubsystemFactory()));
        server.setForwardingFilter(new StaticDecisionForwardingFilter(true) {
            @Override
            protected boolean checkAcceptance(String request, Session session, SshdSocketAddress target) {
                tunnels.add(target);
                return true;
            }
        });
        server.addSessionListener(new SessionListener() {
            @Override
            public void sessionCreated(Session session) {
                sessions.incrementAndGet();
            }
        });
        List<RequestHandler<ConnectionService>> global = new ArrayList<>();
        global.add((service, request, wantReply, buffer) -> {
            if (request.startsWith("keepalive@")) keepalives.incrementAndGet();
            return RequestHandler.Result.Unsupported;
        });
        global.addAll(server.getGlobalRequestHandlers());
        server.setGlobalRequestHandlers(global);
        server.start();
    }

    /**
     * A server with an ed25519 host key taking public keys only, and a client home that reaches it:
     * {@code home/.ssh/id_ed25519} authorized for {@code user}, {@code home/known_hosts} knowing the server.
     */
    static TestServer forUser(Path dir, String user, Path home) throws Exception {
        TestServer s = new TestServer(dir, List.of(TestKeys.generate(TestKeys.Type.ED25519)), Method.PUBLICKEY);
        KeyPair key = TestKeys.generate(TestKeys.Type.ED25519);
        Files.createDirectories(home.resolve(".ssh"));
        TestKeys.writeOpenSsh(key, home.resolve(".ssh/id_ed25519"), null);
        s.authorize(user, key.getPublic());
        Files.writeString(home.resolve("known_hosts"), s.knownHostsLine() + "\n");
        return s;
    }

    int port() { return server.getPort(); }

    void authorize(String user, PublicKey key) {
        authorizedKeys.computeIfAbsent(user, u -> new CopyOnWriteArrayList<>()).add(key);
    }

    /** Closes every session from the server side, as a restarted sshd or a cut cable would. */
    void dropSessions() {
        server.getActiveSessions().forEach(s -> s.close(true));
    }

    /** A known_hosts line for this server's first host key. */
    String knownHostsLine() {
        return "[127.0.0.1]:" + port() + " " + PublicKeyEntry.toString(hostKeys.get(0).getPublic());
    }

    /** Installs an executable script into {@link #bin}. */
    Path script(String name, String text) {
        try {
            Path p = bin.resolve(name);
            Files.writeString(p, text);
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws IOException {
        server.stop(true);
    }
}
