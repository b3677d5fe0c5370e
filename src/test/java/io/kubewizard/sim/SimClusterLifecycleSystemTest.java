package io.kubewizard.sim;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Starting and, above all, ending clusters: nothing is left behind, whatever killed what. */
@Tag("system")
class SimClusterLifecycleSystemTest {

    static List<String> namespacesOf(String id) {
        return SimCluster.existingNamespaces().stream().filter(n -> n.startsWith("kw-" + id + "-")).sorted().toList();
    }

    static List<Long> pidsIn(String netns) {
        return Cmd.run(Duration.ofSeconds(30), "ip", "netns", "pids", netns).stdout().lines()
                .map(String::trim).filter(l -> !l.isEmpty()).map(Long::parseLong).toList();
    }

    static void assertNothingLeft(String id, List<Long> pids) throws Exception {
        assertEquals(List.of(), namespacesOf(id), "network namespaces left");
        // A killed node's process 1 may sit as a zombie until the machine's init reaps it.
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (pids.stream().anyMatch(p -> ProcessHandle.of(p).isPresent()) && System.nanoTime() < deadline) SimNode.sleep(100);
        assertEquals(List.of(), pids.stream().flatMap(p -> ProcessHandle.of(p).stream())
                .map(p -> p.pid() + " " + SimNode.read(Path.of("/proc/" + p.pid() + "/status")).lines()
                        .filter(l -> l.matches("(Name|State|PPid|NSpid):.*")).toList())
                .toList(), "processes left");
        String mounts = Files.readString(Path.of("/proc/self/mountinfo"));
        assertFalse(mounts.contains("/kw-sim/" + id), "mounts left:\n" + mounts);
        String ps = Cmd.run(Duration.ofSeconds(30), "ps", "-eo", "args").stdout();
        assertFalse(ps.contains("/kw-sim/" + id + "/"), "processes left:\n" + ps);
        assertFalse(Files.exists(SimCluster.base().resolve(id)), "files left");
    }

    @Test
    void closeAfterKilledNodeProcessesLeavesNothingBehind() throws Exception {
        SimCluster cluster = SimCluster.start(List.of(SimNode.Spec.debian("x"), SimNode.Spec.rocky("y")));
        String id = cluster.id();
        List<Long> pids = new ArrayList<>();
        for (SimNode n : cluster.nodes()) pids.addAll(pidsIn(n.netns()));
        assertEquals(List.of("kw-" + id + "-br", "kw-" + id + "-jump", "kw-" + id + "-x", "kw-" + id + "-y"), namespacesOf(id));
        assertTrue(pids.size() >= 6, "process 1, sshd and socat per node: " + pids);

        // x loses every process at once; y only its sshd.
        for (long p : pidsIn(cluster.node("x").netns())) ProcessHandle.of(p).ifPresent(ProcessHandle::destroyForcibly);
        Cmd.run(Duration.ofSeconds(10), "nsenter", "-t", String.valueOf(cluster.node("y").process.initPid()), "-m", "-p",
                "--", "/bin/sh", "-c", "kill -9 \"$(cat /var/lib/kw-sim/sshd.pid)\"").ok();
        SimNode.sleep(200);
        assertFalse(cluster.node("x").isAlive());
        cluster.close();
        assertNothingLeft(id, pids);
        cluster.close();
    }

    @Test
    void aClusterWhoseJvmWasKilledStopsByItselfAndTheNextStartReapsIt() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                SimClusterChild.class.getName()).redirectErrorStream(true).start();
        String id;
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            String line = out.readLine();
            assertTrue(line != null && line.startsWith("started "), "child said: " + line);
            id = line.substring("started ".length());
        } finally {
            child.destroyForcibly();
            assertTrue(child.waitFor(10, TimeUnit.SECONDS));
        }
        List<String> left = namespacesOf(id);
        assertEquals(4, left.size(), "the killed JVM could not remove its namespaces: " + left);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (left.stream().anyMatch(ns -> !pidsIn(ns).isEmpty()) && System.nanoTime() < deadline) SimNode.sleep(100);
        for (String ns : left) assertEquals(List.of(), pidsIn(ns), "the nodes of " + ns + " end with the JVM");
        assertTrue(Files.exists(SimCluster.base().resolve(id)));

        try (SimCluster next = SimCluster.start(List.of(SimNode.Spec.debian("z")))) {
            assertEquals(List.of(), namespacesOf(id), "reaped by the next start");
            assertNothingLeft(id, List.of());
            assertEquals("z\n", next.node("z").ssh("hostname").stdout());
        }
    }

    @Test
    void startupTimes() {
        for (int size : List.of(3, 10)) {
            List<SimNode.Spec> specs = new ArrayList<>();
            for (int i = 1; i <= size; i++) specs.add(i % 2 == 0 ? SimNode.Spec.rocky("s" + i) : SimNode.Spec.debian("s" + i));
            try (SimCluster cluster = SimCluster.start(specs)) {
                System.out.printf("kw-sim: %d nodes started in %d ms%n", size, cluster.startupTime().toMillis());
                for (SimNode n : cluster.nodes()) assertEquals(n.name() + "\n", n.ssh("hostname").stdout());
            }
        }
    }
}
