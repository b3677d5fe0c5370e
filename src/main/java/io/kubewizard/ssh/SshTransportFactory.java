package io.kubewizard.ssh;

import io.kubewizard.answers.Spec.ClusterSpec;
import io.kubewizard.answers.Spec.Host;
import io.kubewizard.run.Transport;
import io.kubewizard.run.TransportException;
import io.kubewizard.run.TransportFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The real {@link TransportFactory}: one MINA client for the run, one connection per host, reused
 * by every step on that host. Close it at the end of the run; it closes every connection.
 */
public final class SshTransportFactory implements TransportFactory, AutoCloseable {

    private final SshOptions options;
    private final Connector connector;
    private final ScheduledExecutorService alarms;
    private final Map<String, SshTransport> transports = new ConcurrentHashMap<>();
    private final Map<String, Object> hostLocks = new ConcurrentHashMap<>();
    private volatile SshConfig sshConfig;
    private boolean closed;

    public SshTransportFactory(SshOptions options, Prompter prompter) {
        this.options = options;
        this.connector = new Connector(options, prompter);
        if (options.verbose()) SshDebugLog.listen();
        this.alarms = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "kubewizard-ssh-timeouts");
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public Transport connect(ClusterSpec spec, Host host) throws TransportException, InterruptedException {
        return connect(spec, host, Diagnostics.NONE);
    }

    /** Under {@link SshOptions#verbose()}, MINA's debug lines about this host's sessions go to {@code diagnostics}. */
    @Override
    public Transport connect(ClusterSpec spec, Host host, Diagnostics diagnostics)
            throws TransportException, InterruptedException {
        if (options.verbose() && diagnostics != Diagnostics.NONE) {
            connector.debugLog(host.name(), line -> diagnostics.line(host.name(), line));
        }
        synchronized (hostLocks.computeIfAbsent(host.name(), h -> new Object())) {
            SshTransport existing = transports.get(host.name());
            if (existing != null && !existing.isClosed()) return existing;
            SshTransport transport = new SshTransport(connector, settings(spec, host), alarms,
                    closed -> transports.remove(closed.host(), closed));
            transport.connect();
            transports.put(host.name(), transport);
            return transport;
        }
    }

    /** The host's merged settings: the answers over ~/.ssh/config. */
    HostSettings settings(ClusterSpec spec, Host host) throws TransportException {
        try {
            return HostSettings.resolve(spec, host, sshConfig(host.name()), options.home());
        } catch (IllegalArgumentException e) {
            throw new TransportException(host.name(), e.getMessage(), false, e);
        }
    }

    private SshConfig sshConfig(String host) throws TransportException {
        SshConfig c = sshConfig;
        if (c == null) {
            try {
                c = SshConfig.read(options.sshConfig(), options.sshConfig().getParent());
            } catch (IOException e) {
                throw new TransportException(host, "cannot read " + options.sshConfig() + ": " + e.getMessage(), false, e);
            }
            sshConfig = c;
        }
        return c;
    }

    @Override
    public void close() {
        List<SshTransport> open = new ArrayList<>(transports.values());
        open.forEach(SshTransport::close);
        connector.close();
        alarms.shutdownNow();
        if (options.verbose() && !closed) SshDebugLog.unlisten();
        closed = true;
    }
}
