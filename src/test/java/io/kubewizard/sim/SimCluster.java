package io.kubewizard.sim;

import io.kubewizard.testsupport.SystemDeps;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Simulated hosts for system tests: each node a real OpenSSH sshd in network, mount, UTS and PID
 * namespaces of its own, with recording stand-ins for the tools that cannot run here (kubeadm,
 * kubelet, kubectl, crictl, apt-get, apt-mark, dnf, systemctl, modprobe, sysctl, swapoff, curl,
 * gpg). Needs Linux and root.
 *
 * <h2>Network</h2>
 * Every node has its own network namespace {@code kw-<id>-<node>} whose {@code eth0} (the node's
 * MAC) is one end of a veth pair; the other end hangs on bridge {@code br0} in namespace
 * {@code kw-<id>-br}. Addresses come from {@code 10.214.<n>.0/24}, {@code n} unique among the live
 * clusters on the machine: nodes are {@code .10} onwards, {@code .1} is the jump namespace
 * {@code kw-<id>-jump}. Nothing is ever configured in the machine's own namespace. The JVM reaches
 * the nodes two ways:
 * <ul>
 *   <li>{@link SimNode#sshHost()}:{@link SimNode#sshPort()}: a loopback address of the node's own
 *       ({@code 127.214.<n>.<host>}, so host addresses in an answers file stay unique) and a free
 *       port, relayed by the JVM to a Unix socket that {@code socat} inside the node's namespace
 *       splices to sshd. This is what in-JVM clients (the MINA transport) use; the node's
 *       {@link SimNode#address()} is its internalAddress.</li>
 *   <li>{@link #jumpNamespace()}: run a program there ({@code ip netns exec}) and it reaches
 *       every node at {@link SimNode#address()} port 22, as a jump host on the same LAN would; for
 *       tests that spawn the real jar, ansible, or anything that must see the nodes' own IPs.</li>
 * </ul>
 * A Java relay was chosen over a per-connection {@code socat EXEC:"ip netns exec ..."} because it
 * binds its port race-free, dies with the JVM and can cut or silence connections on demand.
 *
 * <h2>A node's filesystem</h2>
 * The node's root is an overlay over the machine's {@code /} whose upper layer is a tmpfs private
 * to the node: whatever the installer writes anywhere stays on that node and vanishes with it. Its
 * own /etc/os-release (Debian, Ubuntu or Rocky), hostname, machine-id, fstab (with a swap line
 * unless {@link SimNode.Spec#withoutSwap()}), /proc/swaps, optionally /proc/meminfo, product_uuid
 * (through an overlay on /sys/class) and an empty /sys/module that modprobe's stand-in fills.
 * The stand-ins are put where the real tools are (not merely ahead on PATH), packaged programs
 * are hidden until the package stand-in installs them, and the other family's package manager is
 * absent. See {@code src/test/resources/sim/README.md} for what each stand-in does.
 *
 * <h2>Clean-up</h2>
 * Each node's process 1 exits when the JVM closes its stdin or dies; the kernel then kills the
 * node's whole PID namespace and its mounts disappear with its mount namespace. {@link #close()}
 * (also run by a shutdown hook) removes the namespaces and files; a cluster whose JVM was killed
 * is reaped by the next {@link #start}.
 */
public final class SimCluster implements AutoCloseable {

    /**
     * @param kubernetesVersion the version the simulated package repositories offer, x.y.z
     * @param maxWait           the longest any stand-in waits (kubectl wait --timeout=600s included), so a
     *                          test that goes wrong fails in seconds rather than minutes
     */
    public record Options(String kubernetesVersion, Duration startTimeout, Duration maxWait) {
        public static Options defaults() {
            return new Options("1.35.2", Duration.ofSeconds(30), Duration.ofSeconds(30));
        }

        public Options withKubernetesVersion(String version) {
            return new Options(version, startTimeout, maxWait);
        }

        public Options withMaxWait(Duration value) {
            return new Options(kubernetesVersion, startTimeout, value);
        }
    }

    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    private static final String[] BIN_DIRS = {"/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"};

    private final String id;
    private final int subnet;
    private final Path dir;
    private final Options options;
    private final Map<String, SimNode> nodes = new LinkedHashMap<>();
    private final List<String> namespaces = new ArrayList<>();
    private final List<Map<String, Object>> rules = new ArrayList<>();
    private final Thread shutdownHook;
    private final AtomicInteger ruleSequence = new AtomicInteger();
    private Duration startupTime;
    private boolean closed;

    private SimCluster(String id, int subnet, Path dir, Options options) {
        this.id = id;
        this.subnet = subnet;
        this.dir = dir;
        this.options = options;
        this.shutdownHook = new Thread(this::closeQuietly, "kw-sim-shutdown-" + id);
    }

    public static SimCluster start(List<SimNode.Spec> specs) {
        return start(Options.defaults(), specs);
    }

    public static SimCluster start(Options options, List<SimNode.Spec> specs) {
        requireDependencies();
        Set<String> names = new HashSet<>(Set.of("br", "jump"));
        for (SimNode.Spec s : specs) {
            if (!names.add(s.name())) throw new IllegalArgumentException("node name taken: " + s.name() + " (br and jump are the harness's)");
        }
        if (specs.isEmpty() || specs.size() > 200) throw new IllegalArgumentException("1 to 200 nodes, not " + specs.size());
        SimCluster cluster;
        Path base = base();
        try (FileChannel lockFile = FileChannel.open(base.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock ignored = lockFile.lock()) {
            reapStale(base);
            int n = freeSubnet(base);
            String id;
            do {
                id = Long.toString(ProcessHandle.current().pid(), 36) + Integer.toString(SEQUENCE.incrementAndGet(), 36);
            } while (Files.exists(base.resolve(id)));
            Path dir = base.resolve(id);
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("owner"), ownerStamp(ProcessHandle.current()));
            Files.writeString(dir.resolve("subnet"), String.valueOf(n));
            cluster = new SimCluster(id, n, dir, options);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Runtime.getRuntime().addShutdownHook(cluster.shutdownHook);
        try {
            cluster.boot(specs);
        } catch (RuntimeException | Error e) {
            try {
                cluster.close();
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        return cluster;
    }

    /** This cluster's id: namespaces are {@code kw-<id>-*}, files under {@code java.io.tmpdir/kw-sim/<id>}. */
    public String id() { return id; }

    public List<SimNode> nodes() { return List.copyOf(nodes.values()); }

    public SimNode node(String name) {
        SimNode n = nodes.get(name);
        if (n == null) throw new IllegalArgumentException("no node " + name + " in " + nodes.keySet());
        return n;
    }

    /** "10.214.n.0/24". */
    public String subnet() { return "10.214." + subnet + ".0/24"; }

    /** An address of the test subnet, 1-254; nodes are at 10 onwards, the jump namespace at 1. */
    public String address(int host) { return "10.214." + subnet + "." + host; }

    /** A namespace on the nodes' bridge at {@link #address(int) address(1)}: run clients there to reach {@link SimNode#address()}. */
    public String jumpNamespace() { return "kw-" + id + "-jump"; }

    /** The root private key every node accepts (ed25519, OpenSSH format, no passphrase). */
    public Path clientKey() { return dir.resolve("client/id_ed25519"); }

    /** The same, as an ECDSA P-256 key, for clients without ed25519. */
    public Path clientEcdsaKey() { return dir.resolve("client/id_ecdsa"); }

    /** Every node's host keys as they were at start, for both ways of reaching it. */
    public Path knownHosts() { return dir.resolve("client/known_hosts"); }

    /** The CA the kubeadm stand-in signs with when the installer uploaded none (same for every node). */
    public Path caCertificate() { return dir.resolve("cluster/ca/ca.crt"); }

    /** The directory every node sees at /var/lib/kw-sim-cluster: the simulated cluster's shared state. */
    public Path sharedState() { return dir.resolve("cluster"); }

    /** The simulated API server's view, as the stand-ins keep it (nodes, applied objects, tokens by hash). */
    @SuppressWarnings("unchecked")
    public Map<String, Object> apiState() {
        Path state = sharedState().resolve("api.json");
        if (!Files.exists(state)) return Map.of();
        return (Map<String, Object>) Json.parse(SimNode.read(state));
    }

    /**
     * A workload pod in the simulated API server, Running on {@code node} (null: Pending, unscheduled),
     * owned by a ReplicaSet, or a DaemonSet when {@code daemonSet}, named after the pod less its last
     * "-suffix" (web-7d4b9-x2x7q belongs to web-7d4b9). DaemonSet objects (kube-proxy, the CNI's) and
     * the control planes' mirror pods have pods of their own without this. Refused (IllegalArgumentException
     * with the API server's words) for an unknown namespace or node, or a name taken.
     */
    public void addPod(String namespace, String name, String node, Map<String, String> labels, boolean daemonSet) {
        addPod(namespace, name, node, labels, daemonSet ? "DaemonSet" : "ReplicaSet", false);
    }

    /**
     * As {@link #addPod(String, String, String, Map, boolean)} with any controller: ReplicaSet, DaemonSet,
     * StatefulSet, Job, or null for a bare pod (drain wants --force); {@code emptyDir}: the pod has local
     * storage (drain wants --delete-emptydir-data).
     */
    public void addPod(String namespace, String name, String node, Map<String, String> labels, String ownerKind,
                       boolean emptyDir) {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("namespace", namespace);
        spec.put("name", name);
        spec.put("node", node);
        spec.put("labels", new LinkedHashMap<>(labels));
        spec.put("ownerKind", ownerKind);
        spec.put("emptyDir", emptyDir);
        harness("add-pod", spec);
    }

    /**
     * A policy/v1 PodDisruptionBudget selecting {@code matchLabels} in {@code namespace}; its status is the
     * disruption controller's (disruptionsAllowed: Ready matching pods minus minAvailable, at least 0).
     */
    public void addPdb(String namespace, String name, Map<String, String> matchLabels, int minAvailable) {
        addPdb(namespace, name, matchLabels, minAvailable, null);
    }

    /** As {@link #addPdb(String, String, Map, int)} with spec.maxUnavailable instead of minAvailable. */
    public void addPdbMaxUnavailable(String namespace, String name, Map<String, String> matchLabels, int maxUnavailable) {
        addPdb(namespace, name, matchLabels, null, maxUnavailable);
    }

    private void addPdb(String namespace, String name, Map<String, String> matchLabels, Integer min, Integer max) {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("namespace", namespace);
        spec.put("name", name);
        spec.put("matchLabels", new LinkedHashMap<>(matchLabels));
        if (min != null) spec.put("minAvailable", min);
        if (max != null) spec.put("maxUnavailable", max);
        harness("add-pdb", spec);
    }

    /** kwsim/harness.py on this machine (not on a node: no stand-in call is recorded), under the stand-ins' lock. */
    private void harness(String verb, Map<String, Object> spec) {
        Cmd.Result r = Cmd.run(Duration.ofSeconds(30), "/usr/bin/python3", "-I", "-B", "-c",
                "import sys; sys.path.insert(0, sys.argv[1]); from kwsim import harness; sys.exit(harness.main(sys.argv[2:]))",
                dir.resolve("lib").toString(), sharedState().toString(), verb, Json.write(spec));
        if (r.exitCode() != 0) throw new IllegalArgumentException(verb + " " + Json.write(spec) + ": " + r.stderr().trim());
    }

    /**
     * Every stand-in invocation whose words contain {@code pattern}'s words in order (the first
     * being the program) sleeps this long first; {@code node} null means every node.
     */
    public synchronized void delay(String node, String pattern, Duration duration) {
        addRule(node, pattern, Map.of("action", "delay", "ms", duration.toMillis()), null);
    }

    /** The next {@code times} matching invocations print {@code stderr} and exit with {@code exitCode}, doing nothing else. */
    public synchronized void fail(String node, String pattern, int exitCode, String stderr, int times) {
        addRule(node, pattern, Map.of("action", "fail", "exit", exitCode, "stderr", stderr), times);
    }

    /** The next matching invocation stops before doing anything until {@link Hold#release()}. */
    public synchronized Hold hold(String node, String pattern) {
        String ruleId = addRule(node, pattern, Map.of("action", "hold"), 1);
        return new Hold(sharedState().resolve("holds"), ruleId);
    }

    /**
     * DNS fails in every pod on this node: {@code nslookup} through {@code kubectl exec} times out
     * (kwsim/verify.py), as when the node cannot reach CoreDNS.
     */
    public synchronized void breakDns(String node) {
        addRule(node, "-", Map.of("action", "dns-broken"), null);
    }

    /** Forgets every delay, failure and hold (held invocations are released). */
    public synchronized void clearRules() {
        for (Map<String, Object> r : rules) {
            if ("hold".equals(r.get("action"))) new Hold(sharedState().resolve("holds"), (String) r.get("id")).release();
        }
        rules.clear();
        writeRules();
    }

    private String addRule(String node, String pattern, Map<String, Object> action, Integer times) {
        if (node != null) node(node);
        List<String> words = List.of(pattern.trim().split("\\s+"));
        Map<String, Object> rule = new LinkedHashMap<>();
        String ruleId = "r" + ruleSequence.incrementAndGet();
        rule.put("id", ruleId);
        rule.put("node", node);
        rule.put("match", words);
        rule.putAll(action);
        rule.put("times", times);
        rules.add(rule);
        writeRules();
        return ruleId;
    }

    private void writeRules() {
        writeAtomically(sharedState().resolve("control.json"), Json.write(Map.of("rules", rules)));
    }

    // ---------------------------------------------------------------- start

    private void boot(List<SimNode.Spec> specs) {
        Instant began = Instant.now();
        Path lib = dir.resolve("lib");
        copyLibrary(lib);
        Path shared = dir.resolve("cluster");
        mkdirs(shared.resolve("ca"), shared.resolve("holds"), dir.resolve("client"));
        writeRules();
        Cmd.run(Duration.ofSeconds(60), "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-sha256",
                "-keyout", shared.resolve("ca/ca.key").toString(), "-out", shared.resolve("ca/ca.crt").toString(),
                "-days", "3650", "-subj", "/CN=kubernetes",
                "-addext", "basicConstraints=critical,CA:TRUE",
                "-addext", "keyUsage=critical,digitalSignature,keyEncipherment,keyCertSign").ok();
        for (String type : List.of("ed25519", "ecdsa")) {
            Cmd.run(Duration.ofSeconds(30), "ssh-keygen", "-q", "-t", type, "-N", "", "-C", "kw-sim-" + id,
                    "-f", dir.resolve("client/id_" + type).toString()).ok();
        }
        String authorized = SimNode.read(dir.resolve("client/id_ed25519.pub")) + SimNode.read(dir.resolve("client/id_ecdsa.pub"));
        Map<String, Object> packages = packages(lib);

        String bridge = "kw-" + id + "-br";
        StringBuilder netnsBatch = new StringBuilder("netns add " + bridge + "\nnetns add " + jumpNamespace() + "\n");
        namespaces.add(bridge);
        namespaces.add(jumpNamespace());
        for (SimNode.Spec s : specs) {
            netnsBatch.append("netns add ").append(netns(s.name())).append('\n');
            namespaces.add(netns(s.name()));
        }
        ipBatch(null, netnsBatch.toString());
        StringBuilder bridgeBatch = new StringBuilder("""
                link add br0 type bridge
                link set br0 up
                link add vjump type veth peer name eth0 netns %s
                link set vjump master br0 up
                """.formatted(jumpNamespace()));
        for (int i = 0; i < specs.size(); i++) {
            bridgeBatch.append("link add v").append(i).append(" type veth peer name eth0 netns ")
                    .append(netns(specs.get(i).name())).append('\n')
                    .append("link set v").append(i).append(" master br0 up\n");
        }
        ipBatch(bridge, bridgeBatch.toString());
        ipBatch(jumpNamespace(), "addr add " + address(1) + "/24 dev eth0\nlink set eth0 up\nlink set lo up\n");

        List<Map<String, Object>> described = new ArrayList<>();
        List<NodeSetup> setups = new ArrayList<>();
        Set<Integer> taken = new HashSet<>(List.of(1));
        for (SimNode.Spec s : specs) {
            if (s.host() != null && !taken.add(s.host())) throw new IllegalArgumentException("two nodes at ." + s.host());
        }
        int next = 10;
        for (int i = 0; i < specs.size(); i++) {
            SimNode.Spec s = specs.get(i);
            int host;
            if (s.host() != null) {
                host = s.host();
            } else {
                while (taken.contains(next)) next++;
                if (next > 254) throw new IllegalArgumentException("no free address left in the /24");
                host = next;
                taken.add(host);
            }
            String mac = s.mac() != null ? s.mac() : String.format("02:6b:77:%02x:%02x:%02x", subnet, host >> 8, host & 0xff);
            String uuid = s.productUuid() != null ? s.productUuid() : UUID.randomUUID().toString();
            NodeSetup setup = new NodeSetup(s, address(host), "127.214." + subnet + "." + host, mac, uuid,
                    dir.resolve("nodes/" + s.name()));
            setups.add(setup);
            described.add(setup.describe());
        }
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("id", id);
        config.put("kubernetesVersion", options.kubernetesVersion());
        config.put("subnet", subnet());
        config.put("maxWaitSeconds", options.maxWait().toSeconds());
        config.put("nodes", described);
        writeAtomically(shared.resolve("config.json"), Json.write(config));

        ExecutorService pool = Executors.newFixedThreadPool(Math.min(4, specs.size()), r -> {
            Thread t = new Thread(r, "kw-sim-start");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<SimNode>> started = new ArrayList<>();
            for (NodeSetup setup : setups) started.add(pool.submit(() -> startNode(setup, lib, authorized, packages)));
            RuntimeException failure = null;
            for (int i = 0; i < started.size(); i++) {
                try {
                    SimNode node = started.get(i).get();
                    synchronized (nodes) {
                        nodes.put(node.name(), node);
                    }
                } catch (Exception e) {
                    Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
                    if (failure == null) failure = new IllegalStateException("node " + setups.get(i).spec.name() + ": " + cause.getMessage(), cause);
                    else failure.addSuppressed(cause);
                }
            }
            if (failure != null) throw failure;
        } finally {
            pool.shutdownNow();
        }
        // Start order decides nothing else; keep the caller's order for nodes().
        Map<String, SimNode> ordered = new LinkedHashMap<>();
        for (SimNode.Spec s : specs) ordered.put(s.name(), nodes.get(s.name()));
        nodes.clear();
        nodes.putAll(ordered);
        List<String> known = new ArrayList<>();
        for (SimNode n : nodes.values()) known.addAll(n.knownHostsLines());
        writeAtomically(knownHosts(), String.join("\n", known) + "\n");
        startupTime = Duration.between(began, Instant.now());
    }

    /** How long {@link #start} took from its first file to the last node answering. */
    public Duration startupTime() { return startupTime; }

    private record NodeSetup(SimNode.Spec spec, String address, String loopback, String mac, String uuid, Path dir) {
        /** The node as its stand-ins read it (node.json) and the cluster lists it (config.json). */
        Map<String, Object> describe() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", spec.name());
            m.put("os", spec.os().release);
            m.put("family", spec.os().family().name().toLowerCase());
            m.put("address", address);
            m.put("mac", mac);
            m.put("productUuid", uuid);
            return m;
        }
    }

    private SimNode startNode(NodeSetup n, Path lib, String authorized, Map<String, Object> packages) throws IOException {
        SimNode.Spec s = n.spec;
        Path state = n.dir.resolve("state");
        mkdirs(state.resolve("ssh"), n.dir.resolve("log"), n.dir.resolve("layer"), n.dir.resolve("root"));
        Files.setPosixFilePermissions(state, PosixFilePermissions.fromString("rwx------"));
        Files.setPosixFilePermissions(state.resolve("ssh"), PosixFilePermissions.fromString("rwx------"));
        NodeProcess.makeHostKeys(n.dir);
        Files.writeString(state.resolve("ssh/sshd_config"), NodeProcess.sshdConfig());
        Path keys = state.resolve("ssh/authorized_keys");
        Files.writeString(keys, authorized);
        Files.setPosixFilePermissions(keys, PosixFilePermissions.fromString("rw-------"));
        Files.writeString(state.resolve("node.json"), Json.write(n.describe()));
        Files.writeString(state.resolve("hostname"), s.name() + "\n");
        Files.writeString(state.resolve("hosts"), "127.0.0.1\tlocalhost\n127.0.1.1\t" + s.name()
                + "\n::1\tlocalhost ip6-localhost ip6-loopback\n");
        Files.writeString(state.resolve("machine-id"), UUID.randomUUID().toString().replace("-", "") + "\n");
        Files.writeString(state.resolve("product_uuid"), n.uuid + "\n");
        Files.writeString(state.resolve("fstab"), "# /etc/fstab: static file system information.\n"
                + "UUID=" + UUID.nameUUIDFromBytes(s.name().getBytes(StandardCharsets.UTF_8)) + " / ext4 errors=remount-ro 0 1\n"
                + (s.swap() ? "/swap.img\tnone\tswap\tsw\t0\t0\n" : ""));
        Files.writeString(state.resolve("swaps"), "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n"
                + (s.swap() ? "/swap.img                               file\t\t2097148\t\t0\t\t-2\n" : ""));
        if (s.memoryMb() != null) Files.writeString(state.resolve("meminfo"), meminfo(s.memoryMb()));
        Files.writeString(state.resolve("layout"), layout(s.os(), lib, state, packages));

        StringBuilder nodeBatch = new StringBuilder()
                .append("link set eth0 address ").append(n.mac).append('\n')
                .append("addr add ").append(n.address).append("/24 dev eth0\n")
                .append("link set eth0 up\n");
        ipBatch(netns(s.name()), nodeBatch.toString());

        Map<String, String> env = new LinkedHashMap<>();
        env.put("KW_NAME", s.name());
        env.put("KW_NODE_DIR", n.dir.toString());
        env.put("KW_LIB", lib.toString());
        env.put("KW_CLUSTER", dir.resolve("cluster").toString());
        env.put("KW_CPUS", s.cpus() == null ? "" : s.cpus());
        env.put("KW_MEMINFO", s.memoryMb() == null ? "0" : "1");
        NodeProcess process = NodeProcess.start(netns(s.name()), n.dir, lib, env, options.startTimeout());
        LoopbackRelay relay;
        try {
            relay = new LoopbackRelay(n.loopback, state.resolve("ssh.sock"), s.name());
        } catch (IOException | RuntimeException e) {
            process.stop(Duration.ofSeconds(5));
            throw e;
        }
        return new SimNode(this, s, n.address, n.loopback, n.mac, n.uuid, n.dir, process, relay);
    }

    /** The overlay's upper layer as node-init.sh builds it: own /etc files, stand-ins, hidden programs. */
    @SuppressWarnings("unchecked")
    static String layout(SimNode.Os os, Path lib, Path state, Map<String, Object> packages) {
        String family = os.family().name().toLowerCase();
        StringBuilder sb = new StringBuilder()
                .append("file /etc/os-release 0644 ").append(lib.resolve("os-release/" + os.release)).append('\n')
                .append("file /etc/hostname 0644 ").append(state.resolve("hostname")).append('\n')
                .append("file /etc/hosts 0644 ").append(state.resolve("hosts")).append('\n')
                .append("file /etc/machine-id 0444 ").append(state.resolve("machine-id")).append('\n')
                .append("file /etc/fstab 0644 ").append(state.resolve("fstab")).append('\n');
        // Each family's package manager configuration, and not the other's.
        if (os.family() == SimNode.Family.RPM) {
            sb.append("file /etc/yum.repos.d/rocky.repo 0644 ").append(lib.resolve("repos/rocky.repo")).append('\n');
            if (Files.exists(Path.of("/etc/apt"))) sb.append("whiteout /etc/apt\n");
        } else {
            sb.append("dir /etc/apt/sources.list.d 0755\n");
            if (Files.exists(Path.of("/etc/yum.repos.d"))) sb.append("whiteout /etc/yum.repos.d\n");
        }
        List<Path> binDirs = binDirs();
        List<String> system = (List<String>) ((Map<String, Object>) packages.get("systemTools")).get(family);
        for (String tool : system) {
            List<Path> found = binDirs.stream().filter(d -> Files.exists(d.resolve(tool), LinkOption.NOFOLLOW_LINKS)).toList();
            if (found.isEmpty()) found = List.of(Path.of("/usr/bin"));
            for (Path d : found) sb.append("link ").append(d.resolve(tool)).append(" /usr/lib/kw-sim/bin/kw-sim-tool\n");
        }
        Set<String> hidden = new LinkedHashSet<>((List<String>) ((Map<String, Object>) packages.get("foreignTools")).get(family));
        for (Object p : ((Map<String, Object>) packages.get("packages")).values()) {
            for (String path : ((Map<String, String>) ((Map<String, Object>) p).get("binaries")).keySet()) {
                hidden.add(path.substring(path.lastIndexOf('/') + 1));
            }
        }
        hidden.removeAll(system);
        for (String name : hidden) {
            for (Path d : binDirs) {
                if (Files.exists(d.resolve(name), LinkOption.NOFOLLOW_LINKS)) sb.append("whiteout ").append(d.resolve(name)).append('\n');
            }
        }
        return sb.toString();
    }

    private static List<Path> binDirs() {
        Set<Path> dirs = new LinkedHashSet<>();
        for (String d : BIN_DIRS) {
            try {
                Path p = Path.of(d);
                if (Files.isDirectory(p)) dirs.add(p.toRealPath());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return new ArrayList<>(dirs);
    }

    private static String meminfo(int mb) {
        long kb = mb * 1024L;
        return "MemTotal:       %d kB\nMemFree:        %d kB\nMemAvailable:   %d kB\nBuffers:               0 kB\nCached:                0 kB\nSwapTotal:             0 kB\nSwapFree:              0 kB\n"
                .formatted(kb, kb / 2, kb / 2);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> packages(Path lib) {
        return (Map<String, Object>) Json.parse(SimNode.read(lib.resolve("packages.json")));
    }

    private void copyLibrary(Path lib) {
        Path source;
        try {
            var url = SimCluster.class.getResource("/sim/node-init.sh");
            if (url == null || !"file".equals(url.getProtocol())) throw new IllegalStateException("sim resources must be files on the test classpath: " + url);
            source = Path.of(url.toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        try (Stream<Path> files = Files.walk(source)) {
            for (Path f : files.toList()) {
                Path target = lib.resolve(source.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target, StandardCopyOption.REPLACE_EXISTING);
                    boolean executable = f.getFileName().toString().endsWith(".sh") || f.getParent().getFileName().toString().equals("bin");
                    Files.setPosixFilePermissions(target, PosixFilePermissions.fromString(executable ? "rwxr-xr-x" : "rw-r--r--"));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // Nodes see the library read-only: compile the stand-ins once here, not on every call.
        Cmd.run(Duration.ofSeconds(60), "/usr/bin/python3", "-m", "compileall", "-q", lib.resolve("kwsim").toString()).ok();
    }

    // ---------------------------------------------------------------- stop

    /** Stops every node and removes namespaces and files; safe to call twice, and after a failed start. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) return;
            closed = true;
        }
        List<String> problems = new ArrayList<>();
        for (SimNode n : nodes.values()) n.closeSharedConnection();
        for (SimNode n : nodes.values()) n.relay.close();
        List<Thread> stoppers = new ArrayList<>();
        for (SimNode n : nodes.values()) {
            Thread t = new Thread(() -> n.process.stop(Duration.ofSeconds(5)), "kw-sim-stop-" + n.name());
            t.start();
            stoppers.add(t);
        }
        for (Thread t : stoppers) {
            try {
                t.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        problems.addAll(removeNamespaces(namespaces));
        try {
            deleteTree(dir);
        } catch (IOException | UncheckedIOException e) {
            problems.add("could not delete " + dir + ": " + e);
        }
        if (Thread.currentThread() != shutdownHook) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException ignored) {
                // The JVM is already shutting down; the hook finds this cluster closed.
            }
        }
        if (!problems.isEmpty()) throw new IllegalStateException("cluster " + id + " left things behind: " + problems);
    }

    private void closeQuietly() {
        try {
            close();
        } catch (RuntimeException e) {
            System.err.println("kw-sim: " + e.getMessage());
        }
    }

    /** Kills whatever still runs in the namespaces, then deletes them; returns what could not be removed. */
    private static List<String> removeNamespaces(List<String> names) {
        List<String> problems = new ArrayList<>();
        Set<String> existing = existingNamespaces();
        for (String ns : names) {
            if (!existing.contains(ns)) continue;
            for (int attempt = 0; attempt < 50; attempt++) {
                List<String> pids = pids(ns);
                if (pids.isEmpty()) break;
                for (String pid : pids) ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
                SimNode.sleep(100);
            }
            List<String> left = pids(ns);
            if (!left.isEmpty()) problems.add("processes " + left + " still in " + ns);
            Cmd.Result del = Cmd.run(Duration.ofSeconds(30), "ip", "netns", "del", ns);
            if (del.exitCode() != 0) problems.add("ip netns del " + ns + ": " + del.stderr().trim());
        }
        return problems;
    }

    private static List<String> pids(String ns) {
        Cmd.Result r = Cmd.run(Duration.ofSeconds(30), "ip", "netns", "pids", ns);
        return r.stdout().lines().map(String::trim).filter(l -> !l.isEmpty()).toList();
    }

    /** The machine's network namespaces by name. */
    static Set<String> existingNamespaces() {
        Cmd.Result r = Cmd.run(Duration.ofSeconds(30), "ip", "netns", "list").ok();
        Set<String> out = new LinkedHashSet<>();
        r.stdout().lines().map(l -> l.split(" ", 2)[0]).filter(l -> !l.isEmpty()).forEach(out::add);
        return out;
    }

    /** Removes clusters whose JVM is gone (killed before its shutdown hook could run). */
    private static void reapStale(Path base) throws IOException {
        List<Path> dirs;
        try (Stream<Path> s = Files.list(base)) {
            dirs = s.filter(Files::isDirectory).toList();
        }
        for (Path d : dirs) {
            Path owner = d.resolve("owner");
            if (Files.exists(owner) && isAlive(Files.readString(owner).trim())) continue;
            String prefix = "kw-" + d.getFileName() + "-";
            List<String> stale = existingNamespaces().stream().filter(n -> n.startsWith(prefix)).toList();
            List<String> problems = removeNamespaces(stale);
            if (!problems.isEmpty()) throw new IllegalStateException("could not reap stale cluster " + d + ": " + problems);
            deleteTree(d);
        }
    }

    private static int freeSubnet(Path base) throws IOException {
        Set<Integer> used = new HashSet<>();
        try (Stream<Path> s = Files.list(base)) {
            for (Path d : s.filter(Files::isDirectory).toList()) {
                Path f = d.resolve("subnet");
                if (Files.exists(f)) used.add(Integer.parseInt(Files.readString(f).trim()));
            }
        }
        for (int n = 1; n < 255; n++) if (!used.contains(n)) return n;
        throw new IllegalStateException("every 10.214.n.0/24 is in use by a live cluster");
    }

    private static String ownerStamp(ProcessHandle p) {
        return p.pid() + " " + p.info().startInstant().map(Instant::toEpochMilli).orElse(0L);
    }

    private static boolean isAlive(String stamp) {
        String[] parts = stamp.split(" ");
        Optional<ProcessHandle> p = ProcessHandle.of(Long.parseLong(parts[0]));
        return p.isPresent() && p.get().isAlive() && ownerStamp(p.get()).equals(stamp);
    }

    static Path base() {
        Path base = Path.of(System.getProperty("java.io.tmpdir"), "kw-sim");
        try {
            Files.createDirectories(base);
            Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwx------"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return base;
    }

    private String netns(String node) { return "kw-" + id + "-" + node; }

    private static void ipBatch(String netns, String commands) {
        List<String> cmd = new ArrayList<>(List.of("ip"));
        if (netns != null) cmd.addAll(List.of("-n", netns));
        cmd.addAll(List.of("-batch", "-"));
        Cmd.run(Duration.ofSeconds(60), cmd, commands.getBytes(StandardCharsets.UTF_8)).ok();
    }

    private static void requireDependencies() {
        SystemDeps.requireRoot();
        String[][] deps = {
                {"ip", "iproute2"}, {"ss", "iproute2"}, {"unshare", "util-linux"}, {"nsenter", "util-linux"},
                {"pivot_root", "util-linux"}, {"taskset", "util-linux"}, {"sshd", "openssh-server"},
                {"ssh", "openssh-client"}, {"ssh-keygen", "openssh-client"}, {"ssh-keyscan", "openssh-client"},
                {"socat", "socat"}, {"openssl", "openssl"}, {"etcd", "etcd-server"}, {"etcdctl", "etcd-client"},
                {"haproxy", "haproxy"}, {"keepalived", "keepalived"}, {"pgrep", "procps"}};
        for (String[] d : deps) SystemDeps.require(d[0], d[1]);
        if (!Files.isExecutable(Path.of("/usr/bin/python3"))
                || Cmd.run(Duration.ofSeconds(30), "/usr/bin/python3", "-c", "import yaml").exitCode() != 0) {
            org.junit.jupiter.api.Assertions.fail("the node stand-ins need /usr/bin/python3 with yaml (Debian packages python3, python3-yaml)");
        }
    }

    private static void mkdirs(Path... dirs) {
        try {
            for (Path d : dirs) Files.createDirectories(d);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void writeAtomically(Path file, String content) {
        try {
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp-" + ProcessHandle.current().pid());
            Files.writeString(tmp, content);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) return;
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    @Override
    public String toString() {
        return "SimCluster " + id + " " + subnet() + " " + nodes.values();
    }
}
