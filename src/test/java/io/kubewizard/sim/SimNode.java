package io.kubewizard.sim;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One simulated host of a {@link SimCluster}: a real OpenSSH sshd in the node's own network, mount,
 * UTS and PID namespaces. Reach it over SSH at {@link #sshHost()}:{@link #sshPort()} (the
 * machine's loopback) with {@link SimCluster#clientKey()} and {@link SimCluster#knownHosts()}, or
 * at {@link #address()} port 22 from inside {@link SimCluster#jumpNamespace()}.
 */
public final class SimNode {

    /** The distribution a node claims in /etc/os-release; it decides which package manager it has. */
    public enum Os {
        DEBIAN_12("debian-12", Family.DEB),
        UBUNTU_24_04("ubuntu-24.04", Family.DEB),
        ROCKY_9("rocky-9", Family.RPM);

        final String release;
        final Family family;

        Os(String release, Family family) {
            this.release = release;
            this.family = family;
        }

        public Family family() { return family; }
    }

    public enum Family { DEB, RPM }

    /**
     * What a node looks like. Null host: the next free address from .10 on (else the last octet
     * of its address, 2-254); null product_uuid or MAC: a unique one is made; null memory: the
     * machine's own /proc/meminfo; null cpus: every CPU (else a taskset list such as "0", which
     * {@code nproc} over SSH then reports as 1).
     *
     * @param swap whether the node starts with an active swap file listed in /etc/fstab
     */
    public record Spec(String name, Os os, Integer host, String productUuid, String mac, Integer memoryMb, boolean swap,
                       String cpus) {
        private static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,18}[a-z0-9])?");
        private static final Pattern MAC = Pattern.compile("[0-9a-f]{2}(:[0-9a-f]{2}){5}");

        public Spec {
            Objects.requireNonNull(os, "os");
            if (name == null || !NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("node name must be a DNS label of at most 20 characters: " + name);
            }
            if (host != null && (host < 2 || host > 254)) throw new IllegalArgumentException("host octet 2-254: " + host);
            if (mac != null && !MAC.matcher(mac).matches()) throw new IllegalArgumentException("MAC must be lower-case hex: " + mac);
            if (cpus != null && !cpus.matches("[0-9,-]+")) throw new IllegalArgumentException("cpus is a taskset list: " + cpus);
        }

        public static Spec of(String name, Os os) { return new Spec(name, os, null, null, null, null, true, null); }

        public static Spec debian(String name) { return of(name, Os.DEBIAN_12); }

        public static Spec ubuntu(String name) { return of(name, Os.UBUNTU_24_04); }

        public static Spec rocky(String name) { return of(name, Os.ROCKY_9); }

        /** The node at 10.214.n.{@code octet} (and 127.214.n.{@code octet} on the loopback). */
        public Spec withHost(int octet) { return new Spec(name, os, octet, productUuid, mac, memoryMb, swap, cpus); }

        public Spec withProductUuid(String uuid) { return new Spec(name, os, host, uuid, mac, memoryMb, swap, cpus); }

        public Spec withMac(String value) { return new Spec(name, os, host, productUuid, value, memoryMb, swap, cpus); }

        public Spec withMemoryMb(int mb) { return new Spec(name, os, host, productUuid, mac, mb, swap, cpus); }

        public Spec withoutSwap() { return new Spec(name, os, host, productUuid, mac, memoryMb, false, cpus); }

        public Spec withCpus(String list) { return new Spec(name, os, host, productUuid, mac, memoryMb, swap, list); }
    }

    private final SimCluster cluster;
    private final Spec spec;
    private final String address;
    private final String loopback;
    private final String mac;
    private final String productUuid;
    private final Path dir;
    final NodeProcess process;
    final LoopbackRelay relay;

    SimNode(SimCluster cluster, Spec spec, String address, String loopback, String mac, String productUuid, Path dir,
            NodeProcess process, LoopbackRelay relay) {
        this.cluster = cluster;
        this.spec = spec;
        this.address = address;
        this.loopback = loopback;
        this.mac = mac;
        this.productUuid = productUuid;
        this.dir = dir;
        this.process = process;
        this.relay = relay;
    }

    public String name() { return spec.name(); }

    public Spec spec() { return spec; }

    public Os os() { return spec.os(); }

    /** The node's own IP on the test bridge (use it as internalAddress; sshd listens on port 22). */
    public String address() { return address; }

    /** Where the JVM reaches this node's sshd: a loopback address of its own, so addresses stay unique. */
    public String sshHost() { return loopback; }

    public int sshPort() { return relay.port(); }

    public String mac() { return mac; }

    public String productUuid() { return productUuid; }

    /** The node's network namespace, for {@code ip netns exec}. */
    public String netns() { return process.netns(); }

    /** The node's stand-in log: one JSON object per stand-in invocation. */
    public Path callsLog() { return dir.resolve("log/calls.ndjson"); }

    /** Every stand-in invocation so far, in the order they finished. */
    public List<Call> calls() {
        Path log = callsLog();
        if (!Files.exists(log)) return List.of();
        try {
            List<Call> out = new ArrayList<>();
            for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
                if (!line.isBlank()) out.add(Call.parse(line));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A path as this node sees it, readable from the JVM while the node runs (through its root
     * process's {@code /proc/PID/root}).
     */
    public Path path(String absolute) {
        if (!absolute.startsWith("/")) throw new IllegalArgumentException("absolute path expected: " + absolute);
        return Path.of("/proc/" + process.initPid() + "/root" + absolute);
    }

    /**
     * {@code ssh} arguments that run {@code remoteCommand} on this node as root through the loopback
     * port, on a connection of its own.
     */
    public List<String> sshCommand(String remoteCommand) {
        return sshCommand(List.of(), remoteCommand);
    }

    private List<String> sshCommand(List<String> extra, String remoteCommand) {
        List<String> cmd = new ArrayList<>(List.of("ssh", "-F", "/dev/null", "-i", cluster.clientKey().toString(),
                "-o", "IdentitiesOnly=yes", "-o", "UserKnownHostsFile=" + cluster.knownHosts(),
                "-o", "GlobalKnownHostsFile=/dev/null", "-o", "StrictHostKeyChecking=yes", "-o", "BatchMode=yes",
                "-o", "ConnectTimeout=10", "-o", "LogLevel=ERROR", "-p", String.valueOf(sshPort())));
        cmd.addAll(extra);
        cmd.addAll(List.of("root@" + loopback, "--", remoteCommand));
        return cmd;
    }

    /** OpenSSH connection sharing: one handshake per node instead of one per command. */
    private List<String> shared() {
        return List.of("-o", "ControlMaster=auto", "-o", "ControlPath=" + controlPath(), "-o", "ControlPersist=30");
    }

    Path controlPath() {
        return cluster.clientKey().resolveSibling("cm-" + name());
    }

    /**
     * Runs a shell command over real SSH, as the installer would (the commands of one node share a
     * connection; use {@link #sshCommand} for a connection of its own).
     */
    public Cmd.Result ssh(String remoteCommand) {
        return Cmd.run(Duration.ofSeconds(90), sshCommand(shared(), remoteCommand));
    }

    /** Runs a shell command over real SSH with {@code stdin} as its input. */
    public Cmd.Result ssh(String remoteCommand, byte[] stdin) {
        return Cmd.run(Duration.ofSeconds(90), sshCommand(shared(), remoteCommand), stdin);
    }

    /** Ends the shared connection's master process, if there is one. */
    void closeSharedConnection() {
        if (Files.exists(controlPath())) {
            Cmd.run(Duration.ofSeconds(10), "ssh", "-F", "/dev/null", "-o", "ControlPath=" + controlPath(), "-O", "exit",
                    "-p", String.valueOf(sshPort()), "root@" + loopback);
        }
    }

    /** Runs a shell command inside the node's namespaces without SSH (to set up faults or look around). */
    public Cmd.Result exec(String shellCommand) {
        return Cmd.run(Duration.ofSeconds(60), List.of("nsenter", "-t", String.valueOf(process.initPid()),
                "-m", "-u", "-n", "-p", "--", "/bin/sh", "-c", shellCommand));
    }

    /**
     * New host keys, which sshd serves from its next connection on. {@link SimCluster#knownHosts()}
     * keeps the old ones, so a client using it sees a changed key.
     */
    public void rotateHostKeys() {
        process.rotateHostKeys();
        Path log = dir.resolve("log/sshd.log");
        String want = process.hostKeyLines().get(0).split(" ", 2)[1];
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            Cmd.Result scan = Cmd.run(Duration.ofSeconds(10), "ssh-keyscan", "-T", "2", "-t", "ed25519",
                    "-p", String.valueOf(sshPort()), loopback);
            if (scan.stdout().contains(want)) return;
            sleep(50);
        }
        throw new IllegalStateException(name() + ": sshd did not serve its new host key; sshd.log:\n" + read(log));
    }

    /** This node's current host keys as known_hosts lines for both ways of reaching it. */
    public List<String> knownHostsLines() {
        List<String> lines = new ArrayList<>();
        for (String key : process.hostKeyLines()) {
            lines.add("[" + loopback + "]:" + sshPort() + " " + key);
            lines.add(address + " " + key);
        }
        return lines;
    }

    /** Cuts every SSH connection to this node, as a network drop would, mid-command included. */
    public void dropConnections() {
        relay.cutAll();
        exec("for p in $(pgrep -P \"$(cat /var/lib/kw-sim/sshd.pid)\"); do kill -9 \"$p\"; done");
    }

    /**
     * An unreachable node: its loopback port accepts connections but never answers and its link on
     * the bridge goes down; {@code true} restores both.
     */
    public void setReachable(boolean reachable) {
        relay.silent(!reachable);
        if (!reachable) relay.cutAll();
        Cmd.run(Duration.ofSeconds(10), "ip", "-n", netns(), "link", "set", "eth0", reachable ? "up" : "down").ok();
    }

    /** Kills the node outright (every process of it, SIGKILL), as a host that lost power. */
    public void kill() {
        process.kill();
    }

    public boolean isAlive() { return process.isAlive(); }

    static String read(Path p) {
        try {
            return Files.exists(p) ? Files.readString(p) : "(no " + p + ")";
        } catch (IOException e) {
            return "(unreadable " + p + ": " + e + ")";
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return name() + "(" + address + ", ssh " + loopback + ":" + sshPort() + ")";
    }
}
