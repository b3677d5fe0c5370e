package io.kubewizard.run;

import io.kubewizard.answers.Spec.ClusterSpec;
import io.kubewizard.answers.Spec.Host;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One connection per host, opened when a step first needs it and reused by every later step.
 * New handshakes are staggered: at most {@link #MAX_STARTUPS} at once (a handshake holds its slot
 * until it is authenticated), because sshd's default {@code MaxStartups 10:30:100} starts dropping
 * unauthenticated connections beyond 10. Those that reach the same sshd first, through one
 * bastion, also start at least {@code spacing} apart; a directly reachable host has an sshd of its
 * own and does not wait for the others' (a bastion named only in ~/.ssh/config is not known here,
 * and the bound of 10 keeps its sshd safe). On one host's connection up to {@link #COMMANDS_PER_HOST}
 * commands run at once, each on a channel of its own (verify's checks all run on the lead; OpenSSH
 * allows 10 sessions per connection, the file channel included); file transfers go one at a time.
 */
final class Connections {
    static final int MAX_STARTUPS = 10;
    /** Commands at once on one host's connection: below OpenSSH's MaxSessions (10) with room for SFTP. */
    static final int COMMANDS_PER_HOST = 4;

    private final ClusterSpec spec;
    private final TransportFactory factory;
    private final Semaphore handshakes;
    private final Duration spacing;
    private final Clock clock;
    private final Executor.Sleeper sleeper;
    private final Map<String, Transport> open = new ConcurrentHashMap<>();
    private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();
    private final Set<String> reached = ConcurrentHashMap.newKeySet();
    /** Per first sshd dialled (the bastion, or the host itself): when its next handshake may start. */
    private final Map<String, Instant> nextHandshake = new HashMap<>();

    /** Where the connections' diagnostics go: the log of the run using them now (one Executor at a time). */
    private volatile TransportFactory.Diagnostics diagnostics = TransportFactory.Diagnostics.NONE;

    Connections(ClusterSpec spec, TransportFactory factory, int concurrency, Duration spacing, Clock clock,
                Executor.Sleeper sleeper) {
        this.spec = spec;
        this.factory = factory;
        this.handshakes = new Semaphore(Math.min(concurrency, MAX_STARTUPS));
        this.spacing = spacing;
        this.clock = clock;
        this.sleeper = sleeper;
    }

    void diagnostics(TransportFactory.Diagnostics sink) { diagnostics = sink; }

    Transport get(Host host) throws TransportException, InterruptedException {
        ReentrantLock lock = locks.computeIfAbsent(host.name(), h -> new ReentrantLock());
        lock.lockInterruptibly();
        try {
            Transport t = open.get(host.name());
            if (t != null) return t;
            handshakes.acquire();
            try {
                awaitSlot(firstHop(host));
                t = new Shared(factory.connect(spec, host, (h, line) -> diagnostics.line(h, line)), lock,
                        new Semaphore(COMMANDS_PER_HOST));
            } finally {
                handshakes.release();
            }
            open.put(host.name(), t);
            reached.add(host.name());
            return t;
        } finally {
            lock.unlock();
        }
    }

    private String firstHop(Host host) {
        String bastion = spec.sshFor(host).bastion();
        return bastion != null && !bastion.isBlank() ? "bastion " + bastion.trim() : "host " + host.name();
    }

    private void awaitSlot(String firstHop) throws InterruptedException {
        Duration wait;
        synchronized (this) {
            Instant now = clock.instant();
            Instant next = nextHandshake.getOrDefault(firstHop, Instant.MIN);
            Instant slot = next.isAfter(now) ? next : now;
            nextHandshake.put(firstHop, slot.plus(spacing));
            wait = Duration.between(now, slot);
        }
        if (!wait.isZero()) sleeper.sleep(wait);
    }

    /** Whether a connection to the host was opened in this run (it may have dropped since). */
    boolean reached(String host) {
        return reached.contains(host);
    }

    /** Forgets a host's connection after a failure, so the next step opens a fresh one. */
    void drop(String host) {
        Transport t = open.remove(host);
        if (t != null) t.close();
    }

    void closeAll() {
        open.keySet().forEach(this::drop);
    }

    /**
     * Bounds the calls on one connection: commands, each on its own channel, up to {@code commands} at
     * once; transfers, which share one SFTP channel, one at a time (a CA fetch for a join may come while
     * another step uploads to that host).
     */
    private record Shared(Transport transport, ReentrantLock lock, Semaphore commands) implements Transport {
        public String host() { return transport.host(); }

        public ExecResult exec(String command, byte[] stdin, OutputListener output, Duration timeout)
                throws TransportException, InterruptedException {
            commands.acquire();
            try {
                return transport.exec(command, stdin, output, timeout);
            } finally {
                commands.release();
            }
        }

        /** One batch holds one of the connection's command slots: a transport may run it on one channel. */
        public List<ExecResult> execAll(List<String> lines, Commands listener, Duration timeout)
                throws TransportException, InterruptedException {
            commands.acquire();
            try {
                return transport.execAll(lines, listener, timeout);
            } finally {
                commands.release();
            }
        }

        public void upload(String path, byte[] content, int mode) throws TransportException, InterruptedException {
            lock.lockInterruptibly();
            try {
                transport.upload(path, content, mode);
            } finally {
                lock.unlock();
            }
        }

        public byte[] download(String path) throws TransportException, InterruptedException {
            lock.lockInterruptibly();
            try {
                return transport.download(path);
            } finally {
                lock.unlock();
            }
        }

        public void close() { transport.close(); }
    }
}
