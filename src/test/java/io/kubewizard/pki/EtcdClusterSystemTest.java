package io.kubewizard.pki;

import io.kubewizard.answers.Spec.ClusterSpec;
import io.kubewizard.testsupport.SystemDeps;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real three-member etcd cluster started with nothing but the generated certificates: client
 * and peer TLS with client-certificate authentication on both. Each member runs in its own network
 * namespace (etcd checks a peer's source address against its certificate), joined by veth pairs
 * to a bridge in a namespace of its own; no test address touches the machine's own namespace.
 * The cluster is external-etcd with pki.generatedBy: kubeadm, the case where kubewizard makes only
 * the etcd PKI.
 */
@Tag("system")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EtcdClusterSystemTest {

    private static final Duration T = Duration.ofSeconds(30);
    private static final String NET = "10.213.0.";

    private final String prefix = "kwpki" + ProcessHandle.current().pid();
    private final String bridgeNs = prefix + "-br";
    private final List<String> namespaces = new ArrayList<>();
    private final List<Process> members = new ArrayList<>();
    private Path dir;
    private Path etcdctl;
    private PkiMaterial pki;
    private Path pkiDir;

    private String memberNs(int i) { return prefix + "-e" + i; }

    private static String ip(int i) { return NET + (10 + i); }

    private String endpoints() { return "https://" + ip(1) + ":2379,https://" + ip(2) + ":2379,https://" + ip(3) + ":2379"; }

    @BeforeAll
    void startCluster() throws Exception {
        SystemDeps.requireRoot();
        Path ipTool = SystemDeps.require("ip", "iproute2");
        Path etcd = SystemDeps.require("etcd", "etcd-server");
        etcdctl = SystemDeps.require("etcdctl", "etcd-client");
        dir = Files.createTempDirectory("kw-etcd");

        ClusterSpec spec = Specs.preset("ha-external-etcd", "generatedBy: kubewizard", "generatedBy: kubeadm",
                "address: 10.0.0.31\n    internalAddress: 10.0.0.31", "address: " + ip(1) + "\n    internalAddress: " + ip(1),
                "address: 10.0.0.32\n    internalAddress: 10.0.0.32", "address: " + ip(2) + "\n    internalAddress: " + ip(2),
                "address: 10.0.0.33\n    internalAddress: 10.0.0.33", "address: " + ip(3) + "\n    internalAddress: " + ip(3));
        pki = ClusterPki.ensure(spec, new PkiStore(dir.resolve("store")), Clock.systemUTC());
        pkiDir = dir.resolve("cluster");
        Specs.write(pkiDir, pki.clusterFiles());

        sh(ipTool, "netns", "add", bridgeNs);
        namespaces.add(bridgeNs);
        sh(ipTool, "-n", bridgeNs, "link", "add", "br0", "type", "bridge");
        sh(ipTool, "-n", bridgeNs, "link", "set", "br0", "up");
        StringBuilder initial = new StringBuilder();
        for (int i = 1; i <= 3; i++) {
            if (i > 1) initial.append(',');
            initial.append("etcd").append(i).append("=https://").append(ip(i)).append(":2380");
        }
        for (int i = 1; i <= 3; i++) {
            String ns = memberNs(i);
            sh(ipTool, "netns", "add", ns);
            namespaces.add(ns);
            sh(ipTool, "-n", bridgeNs, "link", "add", "v" + i, "type", "veth", "peer", "name", "eth0", "netns", ns);
            sh(ipTool, "-n", bridgeNs, "link", "set", "v" + i, "master", "br0", "up");
            sh(ipTool, "-n", ns, "addr", "add", ip(i) + "/24", "dev", "eth0");
            sh(ipTool, "-n", ns, "link", "set", "eth0", "up");
            sh(ipTool, "-n", ns, "link", "set", "lo", "up");

            Path host = dir.resolve("etcd" + i);
            Specs.write(host, pki.filesOf("etcd" + i));
            Path certs = host.resolve("pki/etcd");
            String ca = pkiDir.resolve("pki/etcd/ca.crt").toString();
            ProcessBuilder pb = new ProcessBuilder(ipTool.toString(), "netns", "exec", ns, etcd.toString(),
                    "--name", "etcd" + i, "--data-dir", host.resolve("data").toString(),
                    "--listen-client-urls", "https://" + ip(i) + ":2379", "--advertise-client-urls", "https://" + ip(i) + ":2379",
                    "--listen-peer-urls", "https://" + ip(i) + ":2380", "--initial-advertise-peer-urls", "https://" + ip(i) + ":2380",
                    "--initial-cluster", initial.toString(), "--initial-cluster-token", prefix, "--initial-cluster-state", "new",
                    "--client-cert-auth", "--trusted-ca-file", ca,
                    "--cert-file", certs.resolve("server.crt").toString(), "--key-file", certs.resolve("server.key").toString(),
                    "--peer-client-cert-auth", "--peer-trusted-ca-file", ca,
                    "--peer-cert-file", certs.resolve("peer.crt").toString(), "--peer-key-file", certs.resolve("peer.key").toString())
                    .redirectErrorStream(true).redirectOutput(host.resolve("etcd.log").toFile());
            members.add(pb.start());
        }
        Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
        SystemDeps.Result last;
        do {
            for (Process p : members) {
                if (!p.isAlive()) throw new AssertionError("an etcd member exited " + p.exitValue() + ":\n" + logs());
            }
            last = health("pki/apiserver-etcd-client");
            if (last.exitCode() == 0) return;
            Thread.sleep(500);
        } while (Instant.now().isBefore(deadline));
        throw new AssertionError("etcd never became healthy: " + last.output() + "\n" + logs());
    }

    @AfterAll
    void stopCluster() throws Exception {
        for (Process p : members) p.destroy();
        for (Process p : members) {
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
            }
        }
        List<String> failures = new ArrayList<>();
        for (String ns : namespaces) {
            SystemDeps.Result r = SystemDeps.run(T, "ip", "netns", "del", ns);
            if (r.exitCode() != 0) failures.add(ns + ": " + r.output());
        }
        if (dir != null) {
            try (Stream<Path> s = Files.walk(dir)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
            }
        }
        assertEquals(List.of(), failures, "network namespaces left behind");
    }

    private SystemDeps.Result health(String client) {
        return etcdctl(pkiDir.resolve("pki/etcd/ca.crt"), pkiDir.resolve(client + ".crt"), pkiDir.resolve(client + ".key"),
                "endpoint", "health");
    }

    /** etcdctl run inside the first member's namespace, the only place the test addresses exist. */
    private SystemDeps.Result etcdctl(Path ca, Path cert, Path key, String... args) {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", memberNs(1), etcdctl.toString(),
                "--endpoints", endpoints(), "--cacert", ca.toString(), "--cert", cert.toString(), "--key", key.toString(),
                "--dial-timeout", "3s", "--command-timeout", "10s"));
        cmd.addAll(List.of(args));
        return SystemDeps.run(T, cmd.toArray(String[]::new));
    }

    private static List<String> healthyEndpoints(String output) {
        return output.lines().filter(l -> l.contains(" is healthy: successfully committed proposal"))
                .map(l -> l.substring(0, l.indexOf(' '))).sorted().toList();
    }

    @Test
    void allThreeEndpointsAreHealthyForTheApiServerClient() {
        SystemDeps.Result r = health("pki/apiserver-etcd-client");
        assertEquals(0, r.exitCode(), r.output());
        assertEquals(List.of("https://" + ip(1) + ":2379", "https://" + ip(2) + ":2379", "https://" + ip(3) + ":2379"), healthyEndpoints(r.output()));
    }

    @Test
    void allThreeEndpointsAreHealthyForTheHealthcheckClient() {
        SystemDeps.Result r = health("pki/etcd/healthcheck-client");
        assertEquals(0, r.exitCode(), r.output());
        assertEquals(3, healthyEndpoints(r.output()).size(), r.output());
    }

    @Test
    void peersTalkOverTlsAndFormOneCluster() {
        SystemDeps.Result r = etcdctl(pkiDir.resolve("pki/etcd/ca.crt"), pkiDir.resolve("pki/apiserver-etcd-client.crt"),
                pkiDir.resolve("pki/apiserver-etcd-client.key"), "member", "list");
        assertEquals(0, r.exitCode(), r.output());
        List<String> started = r.output().lines().filter(l -> l.contains(", started, ")).map(l -> l.split(", ")[2]).sorted().toList();
        assertEquals(List.of("etcd1", "etcd2", "etcd3"), started, r.output());
    }

    @Test
    void aClientCertificateFromAnotherCaIsRefused() throws Exception {
        ClusterSpec other = Specs.preset("ha-external-etcd", "generatedBy: kubewizard", "generatedBy: kubeadm",
                "keyAlgorithm: RSA-2048", "keyAlgorithm: ECDSA-P256");
        PkiMaterial foreign = ClusterPki.ensure(other, new PkiStore(dir.resolve("foreign-store")), Clock.systemUTC());
        Path f = dir.resolve("foreign");
        Specs.write(f, foreign.clusterFiles());
        SystemDeps.Result r = etcdctl(pkiDir.resolve("pki/etcd/ca.crt"), f.resolve("pki/apiserver-etcd-client.crt"),
                f.resolve("pki/apiserver-etcd-client.key"), "endpoint", "health");
        assertNotEquals(0, r.exitCode(), r.output());
        assertEquals(List.of(), healthyEndpoints(r.output()), r.output());
        assertEquals(3, r.output().lines().filter(l -> l.contains(" is unhealthy: failed to commit proposal")).count(), r.output());
        String logs = logs();
        assertTrue(logs.contains("certificate signed by unknown authority") || logs.contains("bad certificate"), logs);
    }

    private String logs() {
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i <= 3; i++) {
            try {
                Path log = dir.resolve("etcd" + i + "/etcd.log");
                if (Files.exists(log)) sb.append("--- etcd").append(i).append('\n').append(Files.readString(log));
            } catch (IOException e) {
                sb.append(e).append('\n');
            }
        }
        return sb.toString();
    }

    private static void sh(Path tool, String... args) {
        List<String> cmd = new ArrayList<>(List.of(tool.toString()));
        cmd.addAll(List.of(args));
        SystemDeps.Result r = SystemDeps.run(T, cmd.toArray(String[]::new));
        assertEquals(0, r.exitCode(), String.join(" ", cmd) + ": " + r.output());
    }
}
