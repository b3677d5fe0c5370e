package io.kubewizard.ssh;

import io.kubewizard.run.TransportException;
import io.kubewizard.run.Question;
import io.kubewizard.run.TransportFactory.Prompter;
import io.kubewizard.ssh.HostSettings.Endpoint;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.auth.keyboard.UserAuthKeyboardInteractiveFactory;
import org.apache.sshd.client.auth.keyboard.UserInteraction;
import org.apache.sshd.client.auth.password.PasswordIdentityProvider;
import org.apache.sshd.client.auth.password.UserAuthPasswordFactory;
import org.apache.sshd.client.auth.pubkey.UserAuthPublicKeyFactory;
import org.apache.sshd.client.config.hosts.HostConfigEntryResolver;
import org.apache.sshd.client.future.AuthFuture;
import org.apache.sshd.client.future.ConnectFuture;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.client.session.forward.ExplicitPortForwardingTracker;
import org.apache.sshd.common.AttributeRepository;
import org.apache.sshd.common.NamedFactory;
import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.SshException;
import org.apache.sshd.common.future.SshFuture;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.session.SessionListener;
import org.apache.sshd.common.signature.Signature;
import org.apache.sshd.common.util.net.SshdSocketAddress;
import org.apache.sshd.core.CoreModuleProperties;

import java.io.IOException;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Opens authenticated sessions: host-key trust, then keys (ssh-agent and identity files that need
 * no passphrase), then encrypted identity files, then a password — each stage a fresh connection,
 * so every question to the user is asked on the caller's thread, never inside MINA's I/O threads
 * (where a person typing would stall other hosts' traffic and run out the auth timeout).
 */
final class Connector implements AutoCloseable {

    static final int REFUSED_FOR_SAFETY = 3;

    private final SshClient client;
    private final SshOptions options;
    private final Prompter prompter;
    private final IdentityFiles identities;
    private final Map<Path, KnownHosts> knownHostsFiles = new ConcurrentHashMap<>();
    /** Passwords that worked, per endpoint, so a reconnect after a drop does not ask again; memory only. */
    private final Map<String, String> passwords = new ConcurrentHashMap<>();
    /** How each host's user becomes root, found out once per host and run. */
    private final Map<String, Sudo> sudoModes = new ConcurrentHashMap<>();
    private final Map<String, Object> sudoLocks = new ConcurrentHashMap<>();
    /** Per host: where MINA's debug lines about its sessions go (--verbose only; see SshDebugLog). */
    private final Map<String, java.util.function.Consumer<String>> debugLogs = new ConcurrentHashMap<>();

    Connector(SshOptions options, Prompter prompter) {
        this.options = options;
        this.prompter = prompter;
        this.identities = new IdentityFiles(prompter);
        this.client = SshClient.setUpDefaultClient();
        client.setHostConfigEntryResolver(HostConfigEntryResolver.EMPTY);
        client.setServerKeyVerifier(this::verifyServerKey);
        client.setKeyIdentityProvider(context -> {
            Attempt a = context instanceof Session session ? Attempt.of(session) : null;
            return a == null ? List.of() : a.keys;
        });
        client.setPasswordIdentityProvider(PasswordIdentityProvider.EMPTY_PASSWORDS_PROVIDER);
        client.setUserInteraction(new Interaction());
        client.setUserAuthFactories(List.of(UserAuthPublicKeyFactory.INSTANCE,
                UserAuthKeyboardInteractiveFactory.INSTANCE, UserAuthPasswordFactory.INSTANCE));
        client.setAgentFactory(new UnixSocketAgent.Factory(options.agentSocket(), options.authTimeout(),
                session -> {
                    Attempt a = Attempt.of(session);
                    return a != null && a.agent;
                },
                (session, note) -> {
                    Attempt a = Attempt.of(session);
                    if (a != null) a.notes.add(note);
                }));
        client.addSessionListener(new SessionListener() {
            @Override
            public void sessionCreated(Session session) {
                preferKnownKeyTypes(session);
            }
        });
        client.setKeyExchangeFactories(preferred(client.getKeyExchangeFactories(), PREFERRED_KEX));
        client.setCipherFactories(preferred(client.getCipherFactories(), PREFERRED_CIPHERS));
        // Every command is a small request and answer on its own channel, so Nagle's algorithm held
        // each channel open behind the ACK of the packet before, which the server delays: a steady
        // 40 ms per command (ApplyBenchmark's flight recording: the median channel open took 43 ms).
        CoreModuleProperties.TCP_NODELAY.set(client, true);
        CoreModuleProperties.HEARTBEAT_INTERVAL.set(client, options.heartbeatInterval());
        CoreModuleProperties.HEARTBEAT_NO_REPLY_MAX.set(client, options.heartbeatMaxMissed());
        // a backstop only: our own wait ends first, cancels the connect and says which host did not answer
        CoreModuleProperties.IO_CONNECT_TIMEOUT.set(client, options.connectTimeout().plusSeconds(5));
        client.start();
    }

    SshOptions options() { return options; }

    /** From now on the host's sessions' debug lines go to {@code sink}, a reconnect's too. */
    void debugLog(String host, java.util.function.Consumer<String> sink) {
        debugLogs.put(host, sink);
    }

    Prompter prompter() { return prompter; }

    @Override
    public void close() {
        client.stop();
    }

    interface SudoProbe {
        Sudo establish() throws TransportException, InterruptedException;
    }

    /** The host's sudo mode; the first caller finds it out (and may ask for the password), others wait. */
    Sudo sudo(String host, SudoProbe probe) throws TransportException, InterruptedException {
        Sudo known = sudoModes.get(host);
        if (known != null) return known;
        synchronized (sudoLocks.computeIfAbsent(host, h -> new Object())) {
            known = sudoModes.get(host);
            if (known == null) {
                known = probe.establish();
                sudoModes.put(host, known);
            }
            return known;
        }
    }

    /** A host's sessions: bastions first, the target last, each tunnelled through the one before. */
    record Link(List<ClientSession> sessions) {
        ClientSession target() { return sessions.get(sessions.size() - 1); }

        boolean isOpen() {
            for (ClientSession s : sessions) if (!s.isOpen() || s.isClosing()) return false;
            return true;
        }

        void close() {
            List<ClientSession> reversed = new ArrayList<>(sessions);
            Collections.reverse(reversed);
            for (ClientSession s : reversed) s.close(true);
        }
    }

    Link open(HostSettings settings) throws TransportException, InterruptedException {
        List<ClientSession> opened = new ArrayList<>();
        boolean done = false;
        try {
            ClientSession via = null;
            for (Endpoint hop : settings.jumps()) {
                via = authenticated(settings, hop, via);
                opened.add(via);
            }
            opened.add(authenticated(settings, settings.target(), via));
            done = true;
            return new Link(List.copyOf(opened));
        } finally {
            if (!done) new Link(opened).close();
        }
    }

    // ---- stages -------------------------------------------------------------------------------

    private ClientSession authenticated(HostSettings s, Endpoint ep, ClientSession via)
            throws TransportException, InterruptedException {
        KnownHosts knownHosts = knownHosts(s.knownHosts());
        List<String> tried = new ArrayList<>();
        boolean passwordWanted = false;
        String remembered = passwords.get(ep.toString());
        if (remembered != null) {
            Outcome o = attempt(s, ep, via, knownHosts, List.of(), false, remembered);
            if (o.session != null) return o.session;
            passwords.remove(ep.toString(), remembered);
        }

        List<KeyPair> ready = new ArrayList<>();
        List<Path> locked = new ArrayList<>();
        for (Path f : s.identityFiles()) {
            IdentityFiles.State state = identities.peek(f);
            if (state instanceof IdentityFiles.Keys k) ready.addAll(k.pairs());
            else if (state instanceof IdentityFiles.Encrypted) locked.add(f);
        }
        boolean agent = s.useAgent() && options.agentSocket() != null;
        if (agent || !ready.isEmpty()) {
            Outcome o = attempt(s, ep, via, knownHosts, ready, agent, null);
            if (o.session != null) return o.session;
            passwordWanted = o.attempt.passwordWanted;
            if (agent) tried.add(o.attempt.notes.isEmpty() ? "ssh-agent" : String.join(", ", o.attempt.notes));
        }

        List<KeyPair> unlocked = new ArrayList<>();
        for (Path f : locked) {
            if (identities.unlock(f) instanceof IdentityFiles.Keys k) unlocked.addAll(k.pairs());
        }
        if (!unlocked.isEmpty()) {
            Outcome o = attempt(s, ep, via, knownHosts, unlocked, false, null);
            if (o.session != null) return o.session;
            passwordWanted |= o.attempt.passwordWanted;
        }
        for (Path f : s.identityFiles()) tried.add(IdentityFiles.describe(f, identities.peek(f)));

        if (!passwordWanted && ready.isEmpty() && unlocked.isEmpty() && !agent) {
            // nothing was offered, so we do not know yet whether the server takes passwords
            Outcome probe = attempt(s, ep, via, knownHosts, List.of(), false, null);
            if (probe.session != null) return probe.session;
            passwordWanted = probe.attempt.passwordWanted;
        }
        if (passwordWanted) {
            int refused = 0;
            for (int i = 0; i < options.passwordPrompts(); i++) {
                char[] typed = prompter.secret(Question.of(i > 0 ? "ssh.password.retry" : "ssh.password",
                        ep.user() + "@" + ep.hostName() + (ep.port() == 22 ? "" : ":" + ep.port()), s.host()));
                if (typed == null) break;
                String password = new String(typed);
                Arrays.fill(typed, '\0');
                Outcome o = attempt(s, ep, via, knownHosts, List.of(), false, password);
                if (o.session != null) {
                    passwords.put(ep.toString(), password);
                    return o.session;
                }
                refused++;
            }
            tried.add(refused == 0 ? "password (not given)" : "password (refused " + refused + (refused == 1 ? " time)" : " times)"));
        }
        throw new TransportException(s.host(), "authentication failed for " + ep + "; tried: "
                + (tried.isEmpty() ? "nothing (no identity file, no ssh-agent, no password asked)" : String.join(", ", tried)),
                false, null);
    }

    private record Outcome(ClientSession session, Attempt attempt) {}

    /** One connection and authentication; an unknown host key is confirmed here and the attempt made again. */
    private Outcome attempt(HostSettings s, Endpoint ep, ClientSession via, KnownHosts knownHosts,
                            List<KeyPair> keys, boolean agent, String password)
            throws TransportException, InterruptedException {
        for (int round = 0; ; round++) {
            Attempt a = new Attempt(ep, knownHosts, knownTypes(knownHosts, ep), keys, agent, password,
                    line -> debugLogs.getOrDefault(s.host(), SshDebugLog.NOWHERE).accept(line));
            // lines MINA logs on this thread before a session exists (resolving, connecting) have no session to route by
            SshDebugLog.Scope scope = SshDebugLog.onThisThread(a.debug);
            ClientSession session;
            try {
                session = connect(s, ep, via, a);
            } catch (TransportException | RuntimeException | InterruptedException e) {
                scope.close();
                throw e;
            }
            boolean ok = false;
            try (scope) {
                AuthFuture auth;
                try {
                    auth = session.auth();
                } catch (IOException e) {
                    throw new TransportException(s.host(), "authentication with " + ep + " could not start: " + e.getMessage(), true, e);
                }
                boolean finished = await(auth, options.authTimeout());
                HostKeyProblem problem = a.problem;
                if (problem instanceof UnknownKey unknown && round == 0) {
                    session.close(true);
                    trust(s, ep, knownHosts, unknown);
                    continue;
                }
                if (problem != null) throw problem.refusal(s.host(), ep, knownHosts);
                if (!finished) {
                    throw new TransportException(s.host(), "authentication with " + ep + " timed out after "
                            + seconds(options.authTimeout()), true, null);
                }
                if (auth.isSuccess()) {
                    ok = true;
                    return new Outcome(session, a);
                }
                Throwable why = auth.getException();
                if (why instanceof SshException se
                        && se.getDisconnectCode() == SshConstants.SSH2_DISCONNECT_NO_MORE_AUTH_METHODS_AVAILABLE) {
                    return new Outcome(null, a);
                }
                throw new TransportException(s.host(), "connection to " + ep + " closed during authentication"
                        + (why == null || why.getMessage() == null ? "" : ": " + why.getMessage()), true, why);
            } finally {
                if (!ok) session.close(true);
            }
        }
    }

    private void trust(HostSettings s, Endpoint ep, KnownHosts knownHosts, UnknownKey unknown)
            throws TransportException {
        String type = HostKeys.displayType(HostKeys.type(unknown.key));
        Question question = unknown.otherTypes.isEmpty()
                ? Question.of("ssh.hostKey", s.host(), ep.hostName() + ":" + ep.port(), type,
                        HostKeys.fingerprint(unknown.key), knownHosts.file())
                : Question.of("ssh.hostKey.otherTypes", s.host(), ep.hostName() + ":" + ep.port(), type,
                        HostKeys.fingerprint(unknown.key), knownHosts.file(), String.join(", ", unknown.otherTypes));
        if (!prompter.confirm(question)) {
            throw new TransportException(s.host(), "host key of " + ep.hostName() + ":" + ep.port() + " is not in "
                    + knownHosts.file() + " (" + type + " " + HostKeys.fingerprint(unknown.key)
                    + "); refused: confirm it, or pass --accept-new-host-keys", false, REFUSED_FOR_SAFETY, null);
        }
        record(s, ep, knownHosts, unknown.key);
    }

    private static void record(HostSettings s, Endpoint ep, KnownHosts knownHosts, PublicKey key) throws TransportException {
        try {
            knownHosts.add(ep.hostName(), ep.port(), key);
        } catch (IOException e) {
            throw new TransportException(s.host(), "cannot record the host key in " + knownHosts.file() + ": " + e.getMessage(),
                    false, e);
        }
    }

    private ClientSession connect(HostSettings s, Endpoint ep, ClientSession via, Attempt a)
            throws TransportException, InterruptedException {
        String host = ep.hostName();
        int port = ep.port();
        ExplicitPortForwardingTracker tunnel = null;
        try {
            if (via != null) {
                tunnel = via.createLocalPortForwardingTracker(new SshdSocketAddress("127.0.0.1", 0),
                        new SshdSocketAddress(ep.hostName(), ep.port()));
                host = tunnel.getBoundAddress().getHostName();
                port = tunnel.getBoundAddress().getPort();
            }
            ConnectFuture future = client.connect(ep.user(), host, port, AttributeRepository.ofKeyValuePair(Attempt.KEY, a), null);
            if (!await(future, options.connectTimeout())) {
                future.cancel();
                throw TransportException.unreachable(s.host(), "could not connect to " + ep + " within "
                        + seconds(options.connectTimeout()), null);
            }
            if (!future.isConnected()) throw connectFailure(s.host(), ep, future.getException());
            ClientSession session = future.getSession();
            ExplicitPortForwardingTracker t = tunnel;
            if (t != null) session.addCloseFutureListener(f -> closeQuietly(t));
            tunnel = null;
            return session;
        } catch (IOException e) {
            throw connectFailure(s.host(), ep, e);
        } finally {
            if (tunnel != null) closeQuietly(tunnel);
        }
    }

    static TransportException connectFailure(String host, Endpoint ep, Throwable why) {
        Throwable root = why;
        while (root != null && root.getCause() != null && root.getCause() != root) root = root.getCause();
        if (root instanceof UnresolvedAddressException || root instanceof UnknownHostException) {
            return new TransportException(host, "cannot resolve " + ep.hostName(), false, why);
        }
        // The socket's own words ("No route to host"); a wrapper's message would repeat its class name.
        String reason = root instanceof SocketException && root.getMessage() != null
                ? root.getMessage() : why == null ? "unknown error" : String.valueOf(why.getMessage());
        return TransportException.unreachable(host, "cannot connect to " + ep + ": " + reason, why);
    }

    private static void closeQuietly(ExplicitPortForwardingTracker tunnel) {
        try {
            tunnel.close();
        } catch (IOException ignored) {
            // the bastion's session is gone already
        }
    }

    /** Waits for a MINA future on a JDK latch, so an interrupt stops the wait at once. */
    static <T extends SshFuture<T>> boolean await(SshFuture<T> future, Duration timeout) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        future.addListener(f -> done.countDown());
        return done.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }

    private KnownHosts knownHosts(Path file) {
        return knownHostsFiles.computeIfAbsent(file.toAbsolutePath().normalize(), KnownHosts::new);
    }

    private static List<String> knownTypes(KnownHosts knownHosts, Endpoint ep) {
        try {
            return knownHosts.knownTypes(ep.hostName(), ep.port());
        } catch (IOException e) {
            return List.of(); // the verifier reads the file again and reports what is wrong
        }
    }

    // ---- inside MINA's threads: decide nothing that needs a person -----------------------------

    private boolean verifyServerKey(ClientSession session, SocketAddress remote, PublicKey key) {
        Attempt a = Attempt.of(session);
        if (a == null) return false;
        Endpoint ep = a.endpoint;
        KnownHosts.Verdict verdict;
        try {
            verdict = a.knownHosts.check(ep.hostName(), ep.port(), key);
        } catch (IOException e) {
            a.problem = new Unreadable(e.getMessage());
            return false;
        }
        if (verdict instanceof KnownHosts.Known) return true;
        if (verdict instanceof KnownHosts.Unknown u) {
            if (options.acceptNewHostKeys()) {
                try {
                    a.knownHosts.add(ep.hostName(), ep.port(), key);
                    return true;
                } catch (IOException e) {
                    a.problem = new Unreadable(e.getMessage());
                    return false;
                }
            }
            a.problem = new UnknownKey(key, u.otherTypes());
        } else if (verdict instanceof KnownHosts.Changed c) {
            a.problem = new ChangedKey(key, c.line(), c.knownType());
        } else if (verdict instanceof KnownHosts.Revoked r) {
            a.problem = new RevokedKey(key, r.line());
        }
        return false;
    }

    /**
     * Key exchanges tried first, in this order; MINA's others follow in its own order. The server
     * takes the first of ours it also has, so the order decides. ML-KEM hybrid first (post-quantum,
     * and cheap: OpenSSH 9.9 and later offer it). curve25519 before sntrup761x25519: Bouncy
     * Castle's pure-Java sntrup761 key generation cost about 0.4 s of CPU per handshake, so ten
     * cold handshakes held both cores of a jump host for 4 s before any work could start
     * (the ApplyBenchmark timeline shows it). Against OpenSSH 9.0 to 9.8 this chooses curve25519
     * where OpenSSH's own client would choose sntrup761. ML-KEM moves to the front only for a MINA
     * that offers it: 2.20 implements it but leaves it out of its defaults here.
     */
    static final List<String> PREFERRED_KEX = List.of("mlkem768x25519-sha256", "curve25519-sha256",
            "curve25519-sha256@libssh.org", "sntrup761x25519-sha512", "sntrup761x25519-sha512@openssh.com");

    /** AES-GCM first: the JDK runs AES and GHASH on the CPU's own instructions, MINA's ChaCha20 is plain Java. */
    static final List<String> PREFERRED_CIPHERS = List.of("aes128-gcm@openssh.com", "aes256-gcm@openssh.com",
            "aes128-ctr", "aes256-ctr");

    /** {@code available} with the names in {@code first} moved to the front in that order; nothing added or dropped. */
    static <T extends NamedResource> List<T> preferred(List<T> available, List<String> first) {
        List<T> sorted = new ArrayList<>(available);
        sorted.sort(Comparator.comparingInt(f -> {
            int i = first.indexOf(f.getName());
            return i < 0 ? first.size() : i;
        }));
        return sorted;
    }

    /** Asks the server for key types known_hosts already holds for this host, as OpenSSH does. */
    private static void preferKnownKeyTypes(Session session) {
        Attempt a = Attempt.of(session);
        if (a == null || a.preferredTypes.isEmpty()) return;
        List<NamedFactory<Signature>> factories = new ArrayList<>(session.getSignatureFactories());
        factories.sort(Comparator.comparingInt(f -> {
            int i = a.preferredTypes.indexOf(keyTypeOf(f.getName()));
            return i < 0 ? Integer.MAX_VALUE : i;
        }));
        session.setSignatureFactories(factories);
    }

    private static String keyTypeOf(String signatureAlgorithm) {
        return signatureAlgorithm.startsWith("rsa-sha2-") ? "ssh-rsa" : signatureAlgorithm;
    }

    /** Keyboard-interactive and password prompts: answered only with a password asked for beforehand. */
    private static final class Interaction implements UserInteraction {
        @Override
        public String[] interactive(ClientSession session, String name, String instruction, String lang,
                                    String[] prompts, boolean[] echo) {
            Attempt a = Attempt.of(session);
            if (a == null || prompts == null || prompts.length == 0) return new String[0];
            if (a.password == null) {
                a.passwordWanted = true;
                return null;
            }
            for (boolean e : echo) if (e) return null;
            if (a.keyboardAnswered) return null;
            a.keyboardAnswered = true;
            String[] answers = new String[prompts.length];
            Arrays.fill(answers, a.password);
            return answers;
        }

        @Override
        public String getUpdatedPassword(ClientSession session, String prompt, String lang) {
            return null;
        }

        @Override
        public String resolveAuthPasswordAttempt(ClientSession session) {
            Attempt a = Attempt.of(session);
            if (a == null) return null;
            if (a.password == null) {
                a.passwordWanted = true;
                return null;
            }
            if (a.passwordSent) return null;
            a.passwordSent = true;
            return a.password;
        }
    }

    /** What one connection may offer and what it ran into; MINA's threads reach it through the session. */
    static final class Attempt {
        static final AttributeRepository.AttributeKey<Attempt> KEY = new AttributeRepository.AttributeKey<>();

        final Endpoint endpoint;
        final KnownHosts knownHosts;
        final List<String> preferredTypes;
        final List<KeyPair> keys;
        final boolean agent;
        final String password;
        final List<String> notes = Collections.synchronizedList(new ArrayList<>());
        volatile HostKeyProblem problem;
        volatile boolean passwordWanted;
        volatile boolean passwordSent;
        volatile boolean keyboardAnswered;
        /** This attempt's sessions' debug lines (SshDebugLog routes them here). */
        final java.util.function.Consumer<String> debug;

        Attempt(Endpoint endpoint, KnownHosts knownHosts, List<String> preferredTypes, List<KeyPair> keys,
                boolean agent, String password, java.util.function.Consumer<String> debug) {
            this.debug = debug;
            this.endpoint = endpoint;
            this.knownHosts = knownHosts;
            this.preferredTypes = List.copyOf(preferredTypes);
            this.keys = List.copyOf(keys);
            this.agent = agent;
            this.password = password;
        }

        static Attempt of(Session session) {
            if (!(session instanceof ClientSession cs) || cs.getConnectionContext() == null) return null;
            return cs.getConnectionContext().getAttribute(KEY);
        }
    }

    private interface HostKeyProblem {
        TransportException refusal(String host, Endpoint ep, KnownHosts knownHosts);
    }

    private record UnknownKey(PublicKey key, List<String> otherTypes) implements HostKeyProblem {
        public TransportException refusal(String host, Endpoint ep, KnownHosts knownHosts) {
            return new TransportException(host, "host key of " + ep.hostName() + ":" + ep.port() + " is still not in "
                    + knownHosts.file() + " after it was added; refused", false, REFUSED_FOR_SAFETY, null);
        }
    }

    private record ChangedKey(PublicKey key, int line, String knownType) implements HostKeyProblem {
        public TransportException refusal(String host, Endpoint ep, KnownHosts knownHosts) {
            return new TransportException(host, "REMOTE HOST KEY CHANGED for " + ep.hostName() + ":" + ep.port()
                    + ": it now offers " + HostKeys.displayType(HostKeys.type(key)) + " key " + HostKeys.fingerprint(key)
                    + ", but " + knownHosts.file() + ":" + line + " holds another; refused (if the host was reinstalled, "
                    + "remove that line and confirm the new key)", false, REFUSED_FOR_SAFETY, null);
        }
    }

    private record RevokedKey(PublicKey key, int line) implements HostKeyProblem {
        public TransportException refusal(String host, Endpoint ep, KnownHosts knownHosts) {
            return new TransportException(host, "host key " + HostKeys.fingerprint(key) + " of " + ep.hostName() + ":"
                    + ep.port() + " is marked @revoked at " + knownHosts.file() + ":" + line + "; refused",
                    false, REFUSED_FOR_SAFETY, null);
        }
    }

    private record Unreadable(String reason) implements HostKeyProblem {
        public TransportException refusal(String host, Endpoint ep, KnownHosts knownHosts) {
            return new TransportException(host, "cannot use " + knownHosts.file() + " to check the host key of "
                    + ep.hostName() + ":" + ep.port() + ": " + reason, false, REFUSED_FOR_SAFETY, null);
        }
    }
}
