package io.kubewizard.run;

import io.kubewizard.plan.Facts;
import io.kubewizard.answers.Spec.ClusterSpec;
import io.kubewizard.answers.Spec.Host;
import io.kubewizard.plan.Plan;
import io.kubewizard.plan.Step;
import io.kubewizard.render.RenderedFile.OsFamily;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * Recording stand-ins for every host of a cluster (docs/architecture.md, "Conventions"). Each host has files (what was
 * uploaded), a record of the commands that succeeded on it, and facts it reports. A step's check
 * passes once every command of that step has succeeded on the host, so a rerun or a resume sees
 * the state a real host would be in. Every call is recorded, with a global sequence number at its
 * start and end, so tests can assert order and overlap.
 */
public final class FakeCluster implements TransportFactory {

    /** One call on a host; {@code start} and {@code end} are global sequence numbers. */
    public record Call(String host, String kind, String text, byte[] content, int mode, long start, long end) {
        boolean overlaps(Call o) { return start < o.end && o.start < end; }
    }

    /** What a command does: exit code and output, or a thrown TransportException. */
    public interface Responder {
        Reply reply(String host, String command) throws TransportException, InterruptedException;
    }

    public record Reply(int exit, String stdout, String stderr) {
        static Reply ok() { return new Reply(0, "", ""); }
    }

    private record Rule(String host, Predicate<String> command, Responder responder) {}

    /** Facts a host reports; tests change them before the run. */
    public static final class HostFacts {
        public String osRelease = "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nNAME=\"Debian GNU/Linux\"\n"
                + "VERSION_ID=\"12\"\nID=debian\n";
        public String arch = "x86_64";
        public int cpus = 4;
        public long memoryKb = 8_000_000;
        public List<String> swaps = List.of();
        public String hostname;
        public List<String> macs;
        public String productUuid;
        public List<Integer> listening = List.of(22);
        public String ipForward = "0";
        public List<String> binaries = Facts.BINARIES;
    }

    private final ClusterSpec spec;
    private final Map<String, HostFacts> facts = new LinkedHashMap<>();
    private final Map<String, Map<String, byte[]>> files = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> succeeded = new ConcurrentHashMap<>();
    /** Per host, check command → the step whose commands, once all succeeded, make it pass. */
    private final Map<String, Map<String, Step>> checks = new HashMap<>();
    private final List<Rule> rules = Collections.synchronizedList(new ArrayList<>());
    private final List<Call> calls = Collections.synchronizedList(new ArrayList<>());
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private final Set<String> refused = ConcurrentHashMap.newKeySet();
    private final Map<String, Integer> connectFailures = new ConcurrentHashMap<>();
    public final List<String> prompted = Collections.synchronizedList(new ArrayList<>());
    /** What every host's transport shows as its verified host key. */
    public volatile String hostKey;
    /** Asked of the prompter when a host connects; null asks nothing. */
    public String passwordQuestion;
    private TransportFactory.Prompter prompter = TransportFactory.Prompter.NON_INTERACTIVE;

    public FakeCluster(ClusterSpec spec, Plan plan) {
        this.spec = spec;
        int i = 1;
        for (Host h : spec.hosts()) {
            HostFacts f = new HostFacts();
            f.hostname = h.name();
            f.macs = List.of(String.format("52:54:00:00:00:%02x", i));
            f.productUuid = String.format("4c4c4544-0000-1000-8000-%012x", i);
            facts.put(h.name(), f);
            files.put(h.name(), new ConcurrentHashMap<>());
            succeeded.put(h.name(), ConcurrentHashMap.newKeySet());
            checks.put(h.name(), new HashMap<>());
            i++;
        }
        for (Step s : plan.steps()) {
            if (s.check() == null || s.host().equals(Step.ACROSS_HOSTS)) continue;
            checks.get(s.host()).put(s.check(), s);
        }
    }

    public FakeCluster prompter(TransportFactory.Prompter p) {
        prompter = p;
        return this;
    }

    public HostFacts facts(String host) { return facts.get(host); }

    /** Commands on {@code host} (null: any host) that {@code command} matches are answered by {@code responder}. */
    public FakeCluster on(String host, Predicate<String> command, Responder responder) {
        rules.add(0, new Rule(host, command, responder));
        return this;
    }

    public FakeCluster fail(String host, String commandPrefix, int exit, String stderr) {
        return on(host, c -> c.startsWith(commandPrefix), (h, c) -> new Reply(exit, "", stderr));
    }

    /** The first {@code times} matching commands lose their connection (a transient failure). */
    public FakeCluster drop(String host, String commandPrefix, int times) {
        AtomicInteger left = new AtomicInteger(times);
        return on(host, c -> c.startsWith(commandPrefix) && left.getAndDecrement() > 0, (h, c) -> {
            throw new TransportException(h, "connection lost while running " + c.split(" ")[0], true, null);
        });
    }

    /** The host's key changed: connecting is refused for safety. */
    public FakeCluster refuse(String host) {
        refused.add(host);
        return this;
    }

    /** The first {@code times} connects to the host time out. */
    public FakeCluster unreachable(String host, int times) {
        connectFailures.put(host, times);
        return this;
    }

    /** Marks a step of a host as done before the run, as if an earlier install had made it. */
    public FakeCluster done(String host, String... commands) {
        succeeded.get(host).addAll(List.of(commands));
        return this;
    }

    public List<Call> calls() {
        synchronized (calls) {
            return List.copyOf(calls);
        }
    }

    public List<Call> calls(String host, String kind) {
        return calls().stream().filter(c -> c.host().equals(host) && c.kind().equals(kind)).toList();
    }

    public List<Call> execs(Predicate<String> command) {
        return calls().stream().filter(c -> c.kind().equals("exec") && command.test(c.text())).toList();
    }

    public int maxInFlight() { return maxInFlight.get(); }

    public byte[] file(String host, String path) { return files.get(host).get(path); }

    public Map<String, Integer> modes = new ConcurrentHashMap<>();

    @Override
    public Transport connect(ClusterSpec spec, Host host) throws TransportException, InterruptedException {
        long start = sequence.incrementAndGet();
        calls.add(new Call(host.name(), "connect", host.address(), null, 0, start, sequence.incrementAndGet()));
        if (passwordQuestion != null) {
            char[] answer = prompter.secret(passwordQuestion + " " + host.name());
            prompted.add(answer == null ? null : new String(answer));
        }
        if (refused.contains(host.name())) {
            throw new TransportException(host.name(), "the host key changed (known_hosts line 3): refusing to connect",
                    false, 3, null);
        }
        Integer failures = connectFailures.get(host.name());
        if (failures != null && failures > 0) {
            connectFailures.put(host.name(), failures - 1);
            throw TransportException.unreachable(host.name(), "connect timed out after 10s", null);
        }
        return new FakeTransport(host.name());
    }

    private final class FakeTransport implements Transport {
        private final String host;

        FakeTransport(String host) { this.host = host; }

        public String host() { return host; }

        @Override
        public String hostKey() { return hostKey; }

        public ExecResult exec(String command, byte[] stdin, OutputListener output, Duration timeout)
                throws TransportException, InterruptedException {
            long start = sequence.incrementAndGet();
            int now = inFlight.incrementAndGet();
            maxInFlight.accumulateAndGet(now, Math::max);
            try {
                Reply r = respond(command);
                r.stdout().lines().forEach(l -> output.line(l, false));
                r.stderr().lines().forEach(l -> output.line(l, true));
                if (r.exit() == 0) succeeded.get(host).add(command);
                return new ExecResult(r.exit(), r.stdout(), r.stderr());
            } finally {
                inFlight.decrementAndGet();
                calls.add(new Call(host, "exec", command, null, 0, start, sequence.incrementAndGet()));
            }
        }

        private Reply respond(String command) throws TransportException, InterruptedException {
            List<Rule> snapshot;
            synchronized (rules) {
                snapshot = List.copyOf(rules);
            }
            for (Rule rule : snapshot) {
                if ((rule.host() == null || rule.host().equals(host)) && rule.command().test(command)) {
                    return rule.responder().reply(host, command);
                }
            }
            return standard(command);
        }

        /**
         * What the verify phase reads of an installed cluster (plan/VerifyCluster): the Nodes as the
         * answers describe them, no kube-system pod NotReady, every check passing and Pod Security
         * refusing the privileged pod; null for any other command.
         */
        private Reply verify(String command) {
            if (command.contains(" get nodes ") && command.endsWith(" -o json 2>/dev/null; true")) {
                List<Object> items = new ArrayList<>();
                for (Host h : spec.hosts()) {
                    if (!command.contains(" " + h.name() + " ")) continue;
                    Map<String, Object> labels = new LinkedHashMap<>();
                    if (h.is(io.kubewizard.answers.Spec.Role.CONTROL_PLANE)) labels.put("node-role.kubernetes.io/control-plane", "");
                    if (!h.zone().isEmpty()) labels.put("topology.kubernetes.io/zone", h.zone());
                    List<Object> taints = new ArrayList<>();
                    if (h.is(io.kubewizard.answers.Spec.Role.CONTROL_PLANE) && !h.is(io.kubewizard.answers.Spec.Role.WORKER)) {
                        taints.add(Map.of("key", "node-role.kubernetes.io/control-plane", "effect", "NoSchedule"));
                    }
                    for (String t : h.taints()) {
                        String[] kv = t.substring(0, t.lastIndexOf(':')).split("=", 2);
                        Map<String, Object> taint = new LinkedHashMap<>();
                        taint.put("key", kv[0]);
                        if (kv.length > 1 && !kv[1].isEmpty()) taint.put("value", kv[1]);
                        taint.put("effect", t.substring(t.lastIndexOf(':') + 1));
                        taints.add(taint);
                    }
                    items.add(Map.of("metadata", Map.of("name", h.name(), "labels", labels), "spec", Map.of("taints", taints),
                            "status", Map.of("conditions", List.of(Map.of("type", "Ready", "status", "True")),
                                    "nodeInfo", Map.of("kubeletVersion", "v" + spec.version()))));
                }
                return new Reply(0, io.kubewizard.plan.Json.write(Map.of("kind", "List", "items", items)), "");
            }
            if (command.endsWith(" get pods -n kube-system -o json")) return new Reply(0, "{\"items\": []}", "");
            if (command.endsWith("; echo \"kubewizard-exit=$?\"")) {
                return command.contains(" apply --dry-run=server ")
                        ? new Reply(0, "Error from server (Forbidden): pods \"kubewizard-privileged\" is forbidden: violates "
                                + "PodSecurity \"baseline:latest\": privileged\nkubewizard-exit=1\n", "")
                        : new Reply(0, "kubewizard-exit=0\n", "");
            }
            return null;
        }

        private Reply standard(String command) {
            HostFacts f = facts.get(host);
            Map<String, byte[]> fs = files.get(host);
            Step checked = checks.get(host).get(command);
            if (checked != null) {
                List<String> makes = checked.run(family(f.osRelease));
                return new Reply(succeeded.get(host).containsAll(makes) && !makes.isEmpty() ? 0 : 1, "", "");
            }
            if (command.startsWith("sha256sum -- ")) {
                StringBuilder sb = new StringBuilder();
                for (String path : command.substring(13, command.indexOf(" 2>/dev/null")).split(" ")) {
                    String p = path.startsWith("'") ? path.substring(1, path.length() - 1) : path;
                    if (fs.containsKey(p)) sb.append(Executor.sha256(fs.get(p))).append("  ").append(p).append('\n');
                }
                return new Reply(0, sb.toString(), "");
            }
            if (command.equals(Facts.BINARIES_PROBE)) return new Reply(0, String.join("\n", f.binaries) + "\n", "");
            Reply verify = verify(command);
            if (verify != null) return verify;
            return switch (command) {
                case "cat /etc/os-release" -> new Reply(0, f.osRelease, "");
                case "uname -m" -> new Reply(0, f.arch + "\n", "");
                case "nproc" -> new Reply(0, f.cpus + "\n", "");
                case "cat /proc/meminfo" -> new Reply(0, "MemTotal:       " + f.memoryKb + " kB\nMemFree:         100 kB\n", "");
                case "cat /proc/swaps" -> new Reply(0, "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n"
                        + String.join("", f.swaps.stream().map(s -> s + "  file  2097148  0  -2\n").toList()), "");
                case "hostname" -> new Reply(0, f.hostname + "\n", "");
                case "cat /sys/class/net/*/address" -> new Reply(0, "00:00:00:00:00:00\n" + String.join("\n", f.macs) + "\n", "");
                case "cat /sys/class/dmi/id/product_uuid 2>/dev/null || true" -> new Reply(0, f.productUuid + "\n", "");
                case "ss -Htlnu" -> new Reply(0, String.join("", f.listening.stream()
                        .map(p -> "tcp   LISTEN 0      4096         0.0.0.0:" + p + "      0.0.0.0:*\n").toList())
                        + "udp   UNCONN 0      0          127.0.0.53%lo:53        0.0.0.0:*\n", "");
                case Facts.IP_FORWARD -> new Reply(0, f.ipForward + "\n", "");
                default -> Reply.ok();
            };
        }

        public void upload(String path, byte[] content, int mode) throws TransportException, InterruptedException {
            long start = sequence.incrementAndGet();
            files.get(host).put(path, content);
            modes.put(host + ":" + path, mode);
            calls.add(new Call(host, "upload", path, content, mode, start, sequence.incrementAndGet()));
        }

        public byte[] download(String path) throws TransportException, InterruptedException {
            long start = sequence.incrementAndGet();
            calls.add(new Call(host, "download", path, null, 0, start, sequence.incrementAndGet()));
            byte[] content = files.get(host).get(path);
            if (content == null) throw new TransportException(host, "no such file: " + path, false, null);
            return content;
        }

        public void close() {
            long start = sequence.incrementAndGet();
            calls.add(new Call(host, "close", "", null, 0, start, sequence.incrementAndGet()));
        }
    }

    private static OsFamily family(String osRelease) {
        String id = "";
        List<String> like = List.of();
        for (String line : osRelease.split("\n")) {
            if (line.startsWith("ID=")) id = line.substring(3).replace("\"", "");
            if (line.startsWith("ID_LIKE=")) like = List.of(line.substring(8).replace("\"", "").split(" "));
        }
        OsFamily f = Facts.family(id, like);
        return f == null ? OsFamily.DEB : f;
    }

    /** Puts a file on a host, as something other than kubewizard would (kubeadm init writes ca.crt). */
    public FakeCluster put(String host, String path, String content) {
        files.get(host).put(path, content.getBytes(StandardCharsets.UTF_8));
        return this;
    }

    /** kubeadm init writes the cluster CA (fixed-ca.crt) and admin.conf on the first control plane, as the real one would. */
    public FakeCluster kubeadmWritesFiles() {
        Host first = spec.firstControlPlane();
        return on(first.name(), c -> c.startsWith("kubeadm init --config"), (h, c) -> {
            initWritesFiles(h);
            return Reply.ok();
        });
    }

    /** What kubeadm init leaves on its host. */
    public void initWritesFiles(String host) {
        put(host, "/etc/kubernetes/pki/ca.crt", caPem());
        put(host, "/etc/kubernetes/admin.conf", adminConf(spec.cluster().name()));
    }

    /** The CA kubeadm made: fixed-ca.crt, whose hash CaCertHashTest proves with openssl. */
    public static String caPem() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of(FakeCluster.class.getResource("/pki/fixed-ca.crt").toURI()));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static final String CA_HASH = "sha256:383615bd9bbb3be0eedd1012b87da5466b04e755fd89320d43843982fbf97976";

    /** admin.conf as kubeadm writes it, its context named "kubernetes-admin@<cluster>". */
    public static String adminConf(String cluster) {
        return """
                apiVersion: v1
                clusters:
                - cluster:
                    certificate-authority-data: Y2EK
                    server: https://10.0.0.100:6443
                  name: %1$s
                contexts:
                - context:
                    cluster: %1$s
                    user: kubernetes-admin
                  name: kubernetes-admin@%1$s
                current-context: kubernetes-admin@%1$s
                kind: Config
                preferences: {}
                users:
                - name: kubernetes-admin
                  user:
                    client-certificate-data: Y2VydAo=
                    client-key-data: a2V5Cg==
                """.formatted(cluster);
    }

}
