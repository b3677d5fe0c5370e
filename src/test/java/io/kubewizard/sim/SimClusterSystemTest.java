package io.kubewizard.sim;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The harness itself: three nodes that are distinct hosts to a real OpenSSH client (hostname,
 * os-release, product_uuid, MAC, address, CPUs, memory, swap), with private filesystems, recording
 * stand-ins, rules that delay, fail and hold them, and faults on demand.
 */
@Tag("system")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SimClusterSystemTest {

    static final String UUID_1 = "4c4c4544-0042-3510-8052-b4c04f4e3332";
    SimCluster cluster;
    SimNode n1;
    SimNode n2;
    SimNode n3;
    SimNode n4;
    SimNode n5;

    @BeforeAll
    void start() {
        cluster = SimCluster.start(List.of(
                SimNode.Spec.debian("n1").withProductUuid(UUID_1),
                SimNode.Spec.rocky("n2").withCpus("0").withMemoryMb(1024),
                // A cloned VM: same product_uuid as n1, as preflight must catch.
                SimNode.Spec.ubuntu("n3").withProductUuid(UUID_1).withMac("02:00:00:00:00:33").withoutSwap(),
                // Nodes the tests below change: stand-ins installed, host keys rotated.
                SimNode.Spec.debian("n4"), SimNode.Spec.debian("n5")));
        n1 = cluster.node("n1");
        n2 = cluster.node("n2");
        n3 = cluster.node("n3");
        n4 = cluster.node("n4");
        n5 = cluster.node("n5");
        System.out.println("5 nodes started in " + cluster.startupTime().toMillis() + " ms");
    }

    @AfterAll
    void stop() {
        if (cluster != null) cluster.close();
    }

    /** Over a connection of its own, as a real client makes it. */
    static String ssh(SimNode node, String command) {
        Cmd.Result r = Cmd.run(Duration.ofSeconds(60), node.sshCommand(command));
        assertEquals(0, r.exitCode(), r::toString);
        return r.stdout();
    }

    @Test
    void eachNodeIsItsOwnHostToOpenSsh() {
        String facts = "hostname; . /etc/os-release; echo $ID; cat /sys/class/dmi/id/product_uuid; "
                + "cat /sys/class/net/eth0/address; ip -4 -o addr show dev eth0 | awk '{print $4}'; nproc; "
                + "awk '/^MemTotal:/ {print $2}' /proc/meminfo; wc -l < /proc/swaps; grep -c swap /etc/fstab; id -u; pwd";
        String hostMemory = String.valueOf(memTotalKb());
        String n1Facts = ssh(n1, facts);
        assertEquals(String.join("\n", "n1", "debian", UUID_1, n1.mac(), n1.address() + "/24",
                String.valueOf(Runtime.getRuntime().availableProcessors()), hostMemory, "2", "1", "0", "/root") + "\n", n1Facts);
        assertEquals(String.join("\n", "n2", "rocky", n2.productUuid(), n2.mac(), n2.address() + "/24", "1", "1048576",
                "2", "1", "0", "/root") + "\n", ssh(n2, facts));
        assertEquals(String.join("\n", "n3", "ubuntu", UUID_1, "02:00:00:00:00:33", n3.address() + "/24",
                String.valueOf(Runtime.getRuntime().availableProcessors()), hostMemory, "1", "0", "0", "/root") + "\n",
                ssh(n3, facts));
        assertNotEquals(n1.productUuid(), n2.productUuid());
        assertEquals(3, Set.of(n1.mac(), n2.mac(), n3.mac()).size());
        assertEquals(3, Set.of(n1.address(), n2.address(), n3.address()).size());
    }

    static long memTotalKb() {
        try {
            return Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal:"))
                    .mapToLong(l -> Long.parseLong(l.split("\\s+")[1])).findFirst().orElseThrow();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void theJumpNamespaceReachesNodesAtTheirOwnAddresses() {
        for (SimNode n : List.of(n1, n2, n3)) {
            Cmd.Result r = Cmd.run(Duration.ofSeconds(60), "ip", "netns", "exec", cluster.jumpNamespace(), "ssh",
                    "-F", "/dev/null", "-i", cluster.clientKey().toString(), "-o", "IdentitiesOnly=yes",
                    "-o", "UserKnownHostsFile=" + cluster.knownHosts(), "-o", "StrictHostKeyChecking=yes",
                    "-o", "BatchMode=yes", "root@" + n.address(), "hostname; echo $SSH_CONNECTION");
            assertEquals(0, r.exitCode(), r::toString);
            assertEquals(n.name() + "\n" + cluster.address(1), r.stdout().split(" ")[0]);
        }
    }

    @Test
    void aNodeSeesOnlyItsOwnProcessesAndTools() {
        Set<String> processes = ssh(n1, "ps -e -o comm=").lines().map(String::trim).collect(Collectors.toSet());
        assertEquals(Set.of("bash", "sshd", "socat", "ps"), processes);
        // Package managers of the other family are absent, packaged programs not yet installed.
        assertEquals("/usr/bin/apt-get\n", ssh(n1, "command -v apt-get; command -v dnf; command -v kubeadm; "
                + "command -v containerd; command -v kubectl; true"));
        assertEquals("/usr/bin/dnf\n", ssh(n2, "command -v apt-get; command -v dnf; command -v kubeadm; true"));
        assertEquals("absent\n", ssh(n1, "test -d /sys/module/overlay && echo present || echo absent"));
    }

    @Test
    void filesWrittenOnANodeStayOnIt() {
        ssh(n1, "echo from-n1 > /etc/kw-sim-probe && mkdir -p /opt/kw-probe /var/lib/kw-probe && touch /opt/kw-probe/x");
        assertEquals("from-n1\n", ssh(n1, "cat /etc/kw-sim-probe"));
        assertTrue(Files.exists(n1.path("/etc/kw-sim-probe")));
        assertFalse(Files.exists(Path.of("/etc/kw-sim-probe")), "leaked onto the machine");
        assertFalse(Files.exists(Path.of("/opt/kw-probe")), "leaked onto the machine");
        assertFalse(Files.exists(Path.of("/var/lib/kw-probe")), "leaked onto the machine");
        for (SimNode other : List.of(n2, n3)) {
            assertEquals("absent\n", ssh(other, "test -e /etc/kw-sim-probe || test -e /opt/kw-probe && echo present || echo absent"));
        }
    }

    @Test
    void everyStandInRecordsItsInvocation() {
        String script = String.join("\n",
                "cd /tmp",
                "printf abc | modprobe overlay",
                "sysctl -n net.ipv4.ip_forward",
                "swapoff -a",
                "systemctl is-active containerd",
                "apt-get update >/dev/null",
                "apt-mark showhold",
                "curl -fsSL https://pkgs.k8s.io/core:/stable:/v1.35/deb/Release.key -o /tmp/k.asc",
                "gpg --batch --yes --dearmor -o /tmp/k.gpg < /tmp/k.asc",
                "echo 'deb [signed-by=/tmp/k.gpg] https://pkgs.k8s.io/core:/stable:/v1.35/deb/ /' > /etc/apt/sources.list.d/k.list",
                "apt-get update >/dev/null && apt-get install -y kubeadm kubelet kubectl >/dev/null",
                "kubeadm version -o short",
                "kubelet --version",
                "kubectl version --client",
                "crictl ps",
                "true");
        Cmd.Result r = n4.ssh(script);
        assertEquals("0\ninactive\nv1.35.2\nKubernetes v1.35.2\nClient Version: v1.35.2\nKustomize Version: v5.7.1\n",
                r.stdout(), r::toString);
        List<Call> calls = n4.calls();
        assertEquals(List.of("modprobe overlay", "sysctl -n net.ipv4.ip_forward", "swapoff -a",
                        "systemctl is-active containerd", "apt-get update", "apt-mark showhold",
                        "curl -fsSL https://pkgs.k8s.io/core:/stable:/v1.35/deb/Release.key -o /tmp/k.asc",
                        "gpg --batch --yes --dearmor -o /tmp/k.gpg", "apt-get update",
                        "apt-get install -y kubeadm kubelet kubectl", "kubeadm version -o short", "kubelet --version",
                        "kubectl version --client", "crictl ps"),
                calls.stream().map(Call::line).toList());
        assertEquals(List.of(0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1), calls.stream().map(Call::exitCode).toList());
        Call modprobe = calls.get(0);
        assertEquals(List.of("overlay"), modprobe.argv().subList(1, modprobe.argv().size()));
        assertEquals("/tmp", modprobe.cwd());
        assertEquals(0, modprobe.uid());
        assertEquals(3, modprobe.stdinBytes());
        assertTrue(modprobe.stdinEof());
        assertEquals("n4", modprobe.node());
        assertEquals(433, calls.get(7).stdinBytes(), "gpg read the armored key to its end");
        for (int i = 1; i < calls.size(); i++) {
            assertTrue(calls.get(i).startNs() >= calls.get(i - 1).endNs(), "sequential calls are ordered in time");
        }
        assertEquals("present\n1\n", ssh(n4, "test -d /sys/module/overlay && echo present; wc -l < /proc/swaps"));
    }

    @Test
    void rulesDelayFailAndHoldAStandIn() {
        cluster.fail("n3", "modprobe br_netfilter", 3, "modprobe: simulated failure", 1);
        Cmd.Result failed = n3.ssh("modprobe br_netfilter");
        assertEquals(3, failed.exitCode());
        assertEquals("modprobe: simulated failure\n", failed.stderr());
        assertEquals(0, n3.ssh("modprobe br_netfilter").exitCode(), "the failure was for one call only");

        cluster.delay("n3", "sysctl -n", Duration.ofMillis(1500));
        assertEquals("0\n", ssh(n3, "sysctl -n net.ipv4.ip_forward"));
        Call slow = n3.calls().get(n3.calls().size() - 1);
        assertTrue(slow.endNs() - slow.startNs() >= 1_500_000_000L, slow::toString);

        Hold hold = cluster.hold("n3", "swapoff");
        try {
            Process held = new ProcessBuilder(n3.sshCommand("swapoff -a")).start();
            assertEquals("n3", hold.awaitReached(Duration.ofSeconds(20)));
            SimNode.sleep(300);
            assertTrue(held.isAlive(), "swapoff waits at the hold");
            hold.release();
            assertTrue(held.waitFor(20, TimeUnit.SECONDS));
            assertEquals(0, held.exitValue());
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(e);
        } finally {
            cluster.clearRules();
        }
    }

    @Test
    void aRotatedHostKeyIsRefusedByTheOldKnownHosts() throws Exception {
        n5.rotateHostKeys();
        Cmd.Result refused = Cmd.run(Duration.ofSeconds(60), n5.sshCommand("true"));
        assertEquals(255, refused.exitCode());
        assertTrue(refused.stderr().contains("REMOTE HOST IDENTIFICATION HAS CHANGED"), refused::toString);
        Path fresh = Files.createTempFile("kw-known", "");
        try {
            Files.write(fresh, n5.knownHostsLines(), StandardCharsets.UTF_8);
            List<String> cmd = new ArrayList<>(n5.sshCommand("hostname"));
            cmd.set(cmd.indexOf("UserKnownHostsFile=" + cluster.knownHosts()), "UserKnownHostsFile=" + fresh);
            Cmd.Result ok = Cmd.run(Duration.ofSeconds(60), cmd);
            assertEquals("n5\n", ok.stdout(), ok::toString);
        } finally {
            Files.delete(fresh);
        }
    }

    @Test
    void anUnreachableNodeTimesOutAndACutConnectionEndsTheCommand() throws Exception {
        n3.setReachable(false);
        try {
            List<String> cmd = new ArrayList<>(n3.sshCommand("true"));
            cmd.set(cmd.indexOf("ConnectTimeout=10"), "ConnectTimeout=2");
            long t0 = System.nanoTime();
            Cmd.Result r = Cmd.run(Duration.ofSeconds(30), cmd);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertEquals(255, r.exitCode(), r::toString);
            assertTrue(r.stderr().contains("timed out"), r::toString);
            assertTrue(ms >= 1900 && ms < 10_000, "took " + ms + " ms");
        } finally {
            n3.setReachable(true);
        }
        assertEquals("n3\n", ssh(n3, "hostname"));

        Process running = new ProcessBuilder(n3.sshCommand("sleep 30")).start();
        SimNode.sleep(1000);
        n3.dropConnections();
        assertTrue(running.waitFor(10, TimeUnit.SECONDS), "the client noticed the cut");
        assertEquals(255, running.exitValue());
    }
}
