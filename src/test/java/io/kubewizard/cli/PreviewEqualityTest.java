package io.kubewizard.cli;

import io.kubewizard.answers.AnswersLoader;
import io.kubewizard.answers.Spec.ClusterSpec;
import io.kubewizard.answers.Spec.Host;
import io.kubewizard.answers.Spec.Role;
import io.kubewizard.answers.Spec.Topology;
import io.kubewizard.console.Console;
import io.kubewizard.plan.Plan;
import io.kubewizard.plan.Step;
import io.kubewizard.render.RenderedFile;
import io.kubewizard.run.Engine;
import io.kubewizard.run.Event;
import io.kubewizard.run.FakeCluster;
import io.kubewizard.run.RunDirectory;
import io.kubewizard.testsupport.Presets;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The four previews are one: {@code plan --format json}, {@code apply --dry-run}, the wizard's
 * Review (its engine's preview) and the steps {@code apply} then runs list the same steps, with the
 * same commands, for every preset and for clusters that grow and shrink (an applied.yaml in the run
 * directory, and fake hosts that answer the probe as that cluster).
 */
public class PreviewEqualityTest {
    @TempDir Path tmp;

    record Case(String name, String preset, String applied, String answers) {
        @Override
        public String toString() { return name; }
    }

    static String without(String text, String host) {
        int start = text.indexOf("  - name: " + host + "\n");
        int end = text.indexOf("  - name: ", start + 1);
        return text.substring(0, start) + (end < 0 ? "" : text.substring(end));
    }

    static final String WORKER3 = "  - name: worker3\n    address: 10.0.0.23\n    roles: [worker]\n";

    static Stream<Case> cases() {
        List<Case> out = new ArrayList<>();
        for (String p : Presets.NAMES) out.add(new Case(p + " (new)", p, null, Presets.text(p)));
        String stacked = Presets.text("ha-stacked");
        out.add(new Case("ha-stacked, unchanged", "ha-stacked", stacked, stacked));
        out.add(new Case("ha-stacked, worker3 added", "ha-stacked", stacked, stacked + WORKER3));
        out.add(new Case("ha-stacked, worker2 removed", "ha-stacked", stacked, without(stacked, "worker2")));
        out.add(new Case("ha-stacked, cp1 removed", "ha-stacked", stacked, without(stacked, "cp1")));
        out.add(new Case("ha-stacked, cp3 marked remove", "ha-stacked", stacked,
                stacked.replace("  - name: cp3\n", "  - name: cp3\n    remove: true\n")));
        String external = Presets.text("ha-external-etcd");
        out.add(new Case("ha-external-etcd, etcd3 replaced by etcd4", "ha-external-etcd", external,
                without(external, "etcd3").replace("  - name: worker1\n",
                        "  - name: etcd4\n    address: 10.0.0.34\n    roles: [etcd]\n  - name: worker1\n")));
        out.add(new Case("ha-external-etcd, worker3 removed", "ha-external-etcd", external, without(external, "worker3")));
        String single = Presets.text("single-node");
        out.add(new Case("single-node, a worker added", "single-node", single,
                single + "  - name: worker1\n    address: 10.0.0.21\n    roles: [worker]\n"));
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    @SuppressWarnings("unchecked")
    void planDryRunReviewAndApplyListTheSameSteps(Case c) throws Exception {
        Path answers = Files.writeString(tmp.resolve("answers.yaml"), c.answers());
        ClusterSpec spec = AnswersLoader.load(answers).spec();
        Path state = tmp.resolve("state");
        RunDirectory dir = RunDirectory.of(state, spec);
        ClusterSpec applied = null;
        if (c.applied() != null) {
            Files.createDirectories(dir.path());
            Files.writeString(dir.path().resolve("applied.yaml"), c.applied());
            applied = AnswersLoader.parse("applied.yaml", c.applied()).spec();
        }
        CommandHarness h = new CommandHarness(c.preset());
        // The fake hosts: the file's and those that leave it.
        List<Host> all = new ArrayList<>(spec.hosts());
        all.addAll(spec.removed());
        if (applied != null) applied.hosts().stream().filter(x -> all.stream().noneMatch(y -> y.name().equals(x.name()))).forEach(all::add);
        ClusterSpec everyone = new ClusterSpec(spec.cluster(), spec.network(), spec.runtime(), spec.pki(), spec.security(),
                spec.components(), spec.ssh(), all);
        FakeCluster hosts = new FakeCluster(everyone, Engine.whole(spec, io.kubewizard.pki.PkiMaterial.NONE)).kubeadmWritesFiles();
        if (applied != null) answerAsInstalled(hosts, applied);

        // 1. plan --format json
        CommandHarness.Result planned = h.run("plan", "-f", answers.toString(), "--state", state.toString(), "--format", "json");
        assertEquals(0, planned.code(), planned.err());
        Map<String, Object> doc = new org.yaml.snakeyaml.Yaml().load(planned.out());
        Map<String, List<String>> fromJson = new LinkedHashMap<>();
        Map<String, Object> dependsOn = new LinkedHashMap<>();
        for (Map<String, Object> phase : (List<Map<String, Object>>) doc.get("phases")) {
            for (Map<String, Object> step : (List<Map<String, Object>>) phase.get("steps")) {
                dependsOn.put((String) step.get("key"), step.get("dependsOn"));
                List<String> commands = new ArrayList<>();
                ((Map<String, List<String>>) step.get("run")).forEach((family, cs) ->
                        cs.forEach(x -> commands.add((family.equals("any") ? "" : family + ": ") + x)));
                for (Map<String, Object> u : (List<Map<String, Object>>) step.get("uploads")) {
                    commands.add("upload " + u.get("path") + " " + u.get("mode"));
                }
                fromJson.put((String) step.get("key"), commands);
            }
        }

        // 2. apply --dry-run: per host, its steps with their uploads and commands
        CommandHarness.Result dry = h.run("apply", "-f", answers.toString(), "--state", state.toString(), "--dry-run");
        assertEquals(0, dry.code(), dry.out() + dry.err());
        Map<String, List<String>> fromDryRun = dryRun(dry.out());
        assertEquals(sortedByKey(fromJson), sortedByKey(fromDryRun), "apply --dry-run lists what plan lists");
        assertFalse(Files.exists(dir.path().resolve("secrets")), "previewing writes nothing to the run directory");
        assertFalse(Files.exists(dir.path().resolve("journal.ndjson")));

        // 3. the Review page's plan: the wizard engine's preview
        Plan review = new WizardEngine(h.env(), state, false, 10).preview(spec).whole();
        Map<String, List<String>> fromReview = new LinkedHashMap<>();
        for (Step s : review.steps()) fromReview.put(s.key(), commands(s));
        assertEquals(List.copyOf(fromJson.keySet()), List.copyOf(fromReview.keySet()), "Review lists plan's steps in plan's order");
        assertEquals(fromJson, fromReview);

        // 4. apply: the steps it runs are the steps previewed, each host's in the previewed order
        List<Map<String, Object>> events = new ArrayList<>();
        CommandHarness.Result run = runApply(c, hosts, answers, state, events);
        assertEquals(0, run.code(), run.out() + run.err());
        Map<String, List<String>> ran = new LinkedHashMap<>();
        for (Map<String, Object> e : events) {
            if (!"StepChanged".equals(e.get("type"))) continue;
            List<String> keys = ran.computeIfAbsent((String) e.get("host"), x -> new ArrayList<>());
            if (!keys.contains((String) e.get("stepKey"))) keys.add((String) e.get("stepKey"));
        }
        Map<String, List<String>> previewed = new LinkedHashMap<>();
        for (String key : fromJson.keySet()) {
            previewed.computeIfAbsent(key.substring(key.lastIndexOf('@') + 1), x -> new ArrayList<>()).add(key);
        }
        assertEquals(sortedByKeyLists(sideBySideSorted(previewed, dependsOn)), sortedByKeyLists(sideBySideSorted(ran, dependsOn)),
                "apply runs the previewed steps");
        Map<String, Object> started = events.stream().filter(e -> "RunStarted".equals(e.get("type"))).findFirst().orElseThrow();
        List<String> phases = ((List<Map<String, Object>>) doc.get("phases")).stream().map(p -> (String) p.get("id")).toList();
        assertEquals(phases, started.get("phases"), "one run, with the previewed phases");
        assertEquals(1, events.stream().filter(e -> "RunStarted".equals(e.get("type"))).count());
        assertEquals(1, events.stream().filter(e -> "RunFinished".equals(e.get("type"))).count());
        COUNT.incrementAndGet();
    }

    @org.junit.jupiter.api.Test
    void planWithProbeReadsTheClusterAndReportsANodeNoAnswersFileNamed() throws Exception {
        CommandHarness h = new CommandHarness("ha-stacked");
        answerAsInstalled(h.hosts, h.spec);
        h.hosts.on(null, cmd -> cmd.startsWith("if test -f /etc/kubernetes/admin.conf; then"), (hh, cmd) -> new FakeCluster.Reply(0,
                "{\"items\":[{\"metadata\":{\"name\":\"cp1\",\"labels\":{\"node-role.kubernetes.io/control-plane\":\"\"}},"
                        + "\"spec\":{},\"status\":{\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\"}]}},"
                        + "{\"metadata\":{\"name\":\"handmade\",\"labels\":{}},\"spec\":{},\"status\":{\"conditions\":"
                        + "[{\"type\":\"Ready\",\"status\":\"True\"}]}}]}\n", ""));
        Path state = tmp.resolve("state");
        CommandHarness.Result r = h.run("plan", "-f", "ha-stacked", "--state", state.toString(), "--probe");
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().startsWith("""
                Plan for cluster 'ha-stacked' (scale): Kubernetes 1.35.2 on 5 hosts. Nothing has been touched.

                Planned from the cluster as the probe found it just now.
                Joins:    none
                Unmanaged: node handmade is in no answers file: left alone

                connect: Connect to every host
                """), r.out());
        assertTrue(h.hosts.calls().stream().noneMatch(c -> c.kind().equals("upload")), "a plan changes nothing");
        assertFalse(Files.exists(RunDirectory.of(state, h.spec).path().resolve("journal.ndjson")));
    }

    static final java.util.concurrent.atomic.AtomicInteger COUNT = new java.util.concurrent.atomic.AtomicInteger();

    private CommandHarness.Result runApply(Case c, FakeCluster hosts, Path answers, Path state, List<Map<String, Object>> events) {
        Path eventsFile = tmp.resolve("events.ndjson");
        List<String> args = new ArrayList<>(List.of("apply", "-f", answers.toString(), "--state", state.toString(), "--plain",
                "--yes", "--events", eventsFile.toString()));
        java.io.StringWriter out = new java.io.StringWriter();
        java.io.StringWriter err = new java.io.StringWriter();
        picocli.CommandLine cl = Main.commandLine(new java.io.PrintWriter(out, true), new java.io.PrintWriter(err, true));
        ((ApplyCommand) cl.getSubcommands().get("apply").getCommand()).env = new RunEnvironment((s, accept, p) -> hosts,
                (plain, o) -> Console.lines(o, null, false), CommandHarness.CLOCK, d -> { });
        int code = cl.execute(args.toArray(String[]::new));
        try {
            for (String line : Files.readAllLines(eventsFile)) events.add(new org.yaml.snakeyaml.Yaml().load(line));
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        return new CommandHarness.Result(code, out.toString(), err.toString());
    }

    /** The fake hosts answer the probe as the cluster an apply of {@code applied} left: nodes, members, kubelet.conf. */
    public static void answerAsInstalled(FakeCluster hosts, ClusterSpec applied) {
        boolean stacked = applied.cluster().topology() == Topology.STACKED;
        StringBuilder nodes = new StringBuilder("{\"apiVersion\":\"v1\",\"kind\":\"List\",\"items\":[");
        StringBuilder members = new StringBuilder();
        String sep = "";
        int id = 1;
        for (Host x : applied.hosts()) {
            if (!x.is(Role.ETCD)) {
                nodes.append(sep).append("{\"metadata\":{\"name\":\"").append(x.name()).append("\",\"labels\":{")
                        .append(x.is(Role.CONTROL_PLANE) ? "\"node-role.kubernetes.io/control-plane\":\"\"" : "")
                        .append("}},\"spec\":{},\"status\":{\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\"}],"
                                + "\"nodeInfo\":{\"kubeletVersion\":\"v1.35.2\"}}}");
                sep = ",";
            }
            if (x.is(Role.ETCD) || (stacked && x.is(Role.CONTROL_PLANE))) {
                members.append(String.format("%016x", id++)).append(", started, ").append(x.name()).append(", https://")
                        .append(x.internalAddress()).append(":2380, https://").append(x.internalAddress()).append(":2379, false\n");
            }
        }
        nodes.append("]}");
        for (Host x : applied.hosts()) {
            boolean cp = x.is(Role.CONTROL_PLANE);
            if (cp) hosts.initWritesFiles(x.name());
            hosts.on(x.name(), cmd -> cmd.startsWith("for f in /etc/kubernetes/kubelet.conf"), (hh, cmd) -> new FakeCluster.Reply(0,
                    x.is(Role.ETCD) ? "" : "/etc/kubernetes/kubelet.conf\n" + (cp ? "/etc/kubernetes/manifests/kube-apiserver.yaml\n" : ""), ""));
            if (cp) {
                hosts.on(x.name(), cmd -> cmd.startsWith("if test -f /etc/kubernetes/admin.conf; then"),
                        (hh, cmd) -> new FakeCluster.Reply(0, nodes + "\n", ""));
            }
            if (x.is(Role.ETCD) || (stacked && cp)) {
                hosts.on(x.name(), cmd -> cmd.startsWith("if command -v crictl"), (hh, cmd) -> new FakeCluster.Reply(0, members.toString(), ""));
            }
        }
        // a drain dry run finds no budget
        hosts.on(null, cmd -> cmd.contains(" get pdb --all-namespaces -o json") || cmd.contains(" get pods --all-namespaces"),
                (hh, cmd) -> new FakeCluster.Reply(0, "{\"items\":[]}\n", ""));
    }

    private static List<String> commands(Step s) {
        List<String> out = new ArrayList<>();
        s.run().forEach((family, cs) -> cs.forEach(x -> out.add((family == RenderedFile.OsFamily.ANY ? ""
                : family.name().toLowerCase(java.util.Locale.ROOT) + ": ") + x)));
        for (RenderedFile f : s.uploads()) out.add("upload " + f.path() + " " + f.modeString());
        return out;
    }

    /** DryRun's text back into step key → commands (uploads after commands, as the JSON lists them). */
    static Map<String, List<String>> dryRun(String text) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        Map<String, List<String>> uploads = new LinkedHashMap<>();
        String host = null;
        String key = null;
        for (String line : text.split("\n")) {
            if (line.isEmpty() || line.startsWith("Dry run") || line.startsWith("Each host") || line.startsWith("Certificates")
                    || line.startsWith("No apply") || line.startsWith("Planned from") || line.startsWith("Joins:")
                    || line.startsWith("Removals:") || line.matches("\\d+ steps in \\d+ phases\\.")) continue;
            if (!line.startsWith(" ")) {
                host = line.startsWith("on the jump host") ? Step.ACROSS_HOSTS : line;
            } else if (line.startsWith("  ") && !line.startsWith("    ")) {
                key = line.substring(2, line.indexOf(": ")) + "@" + host;
                out.put(key, new ArrayList<>());
                uploads.put(key, new ArrayList<>());
            } else {
                String l = line.substring(4);
                if (l.startsWith("run: ")) out.get(key).add(l.substring(5));
                else if (l.startsWith("run (")) out.get(key).add(l.substring(5, l.indexOf(')')) + ": " + l.substring(l.indexOf("): ") + 3));
                else if (l.startsWith("upload")) {
                    String rest = l.substring(l.indexOf(": ") + 2);
                    String path = rest.substring(0, rest.indexOf(" ("));
                    String mode = rest.substring(rest.indexOf(" (") + 2, rest.indexOf(" (") + 6);
                    uploads.get(key).add("upload " + path + " " + mode);
                }
            }
        }
        uploads.forEach((k, u) -> out.get(k).addAll(u));
        return out;
    }

    private static Map<String, List<String>> sortedByKey(Map<String, List<String>> m) {
        return new java.util.TreeMap<>(m);
    }

    /**
     * Each host's steps in order, except that steps side by side (consecutive, waiting for exactly the
     * same steps: verify's checks) may run in any order among themselves: such a group is sorted.
     */
    private static Map<String, List<String>> sideBySideSorted(Map<String, List<String>> m, Map<String, Object> dependsOn) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        m.forEach((host, keys) -> {
            List<String> sorted = new ArrayList<>();
            List<String> group = new ArrayList<>();
            for (String k : keys) {
                if (!group.isEmpty() && !java.util.Objects.equals(dependsOn.get(group.get(0)), dependsOn.get(k))) {
                    group.sort(null);
                    sorted.addAll(group);
                    group.clear();
                }
                group.add(k);
            }
            group.sort(null);
            sorted.addAll(group);
            out.put(host, sorted);
        });
        return out;
    }

    private static Map<String, List<String>> sortedByKeyLists(Map<String, List<String>> m) {
        return new java.util.TreeMap<>(m);
    }

    @org.junit.jupiter.api.AfterAll
    static void count() {
        System.out.println("preview equality: " + COUNT.get() + " cases, plan = dry-run = Review = apply");
    }
}
