package io.kubewizard.run;

import io.kubewizard.plan.Facts;

import io.kubewizard.answers.Spec.ClusterSpec;
import io.kubewizard.answers.Spec.Host;
import io.kubewizard.answers.Spec.Network;
import io.kubewizard.pki.PkiMaterial;
import io.kubewizard.render.RenderedFile.OsFamily;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Test connection's engine side: the plan's connect and facts steps for one host, nothing else. */
class HostCheckTest {
    private static final String KEY = "ED25519 SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU";

    private final ClusterSpec spec = Fixture.spec("ha-stacked");
    private final FakeCluster hosts = new FakeCluster(spec, Engine.whole(spec, PkiMaterial.NONE));

    private Host host(String name) {
        return spec.hosts().stream().filter(h -> h.name().equals(name)).findFirst().orElseThrow();
    }

    private HostCheck.Report check(ClusterSpec s, String name) throws InterruptedException {
        return HostCheck.run(hosts, s, host(name), Duration.ofSeconds(5));
    }

    @Test
    void aReachableHostReportsItsFactsAndHostKeyAndNothingElseRuns() throws Exception {
        hosts.hostKey = KEY;
        hosts.facts("worker1").cpus = 8;
        hosts.facts("worker1").memoryKb = 16_384_000;
        HostCheck.Report r = check(spec, "worker1");
        assertTrue(r.reachable(), r::error);
        assertEquals("worker1", r.host());
        assertEquals(KEY, r.hostKey());
        assertEquals("Debian GNU/Linux 12 (bookworm)", r.facts().osName());
        assertEquals(OsFamily.DEB, r.facts().family());
        assertEquals(8, r.facts().cpus());
        assertEquals(16_000, r.facts().memoryMb());
        assertEquals(List.of("connect", "exec true", "exec cat /etc/os-release", "exec uname -m", "exec nproc",
                        "exec cat /proc/meminfo", "exec cat /proc/swaps", "exec hostname",
                        "exec cat /sys/class/net/*/address", "exec cat /sys/class/dmi/id/product_uuid 2>/dev/null || true",
                        "exec ss -Htlnu", "exec " + Facts.IP_FORWARD, "exec " + Facts.BINARIES_PROBE,
                        "close"),
                hosts.calls().stream().map(c -> c.kind().equals("connect") || c.kind().equals("close") ? c.kind()
                        : c.kind() + " " + c.text()).toList(), "the plan's connect and facts commands, on worker1 only");
        assertTrue(hosts.calls().stream().allMatch(c -> c.host().equals("worker1")));
    }

    @Test
    void anUnreachableHostIsOneLineWithoutTheHostPrefix() throws Exception {
        hosts.unreachable("cp2", 1);
        HostCheck.Report r = check(spec, "cp2");
        assertFalse(r.reachable());
        assertEquals("connect timed out after 10s", r.error());
        assertNull(r.facts());
    }

    @Test
    void aChangedHostKeyIsRefusedWithItsReason() throws Exception {
        hosts.refuse("cp1");
        assertEquals("the host key changed (known_hosts line 3): refusing to connect", check(spec, "cp1").error());
    }

    @Test
    void aFailingCommandSaysWhichAndItsStderrOnOneLine() throws Exception {
        hosts.hostKey = KEY;
        hosts.fail("cp3", "nproc", 127, "sh: 1: nproc: not found\nreally\n");
        HostCheck.Report r = check(spec, "cp3");
        assertEquals("nproc exited 127: sh: 1: nproc: not found | really", r.error());
        assertEquals(KEY, r.hostKey(), "the key was verified before the command failed");
        assertEquals("close", hosts.calls("cp3", "close").get(0).kind());
    }

    @Test
    void answersWithProblemsElsewhereStillTestAHost() throws Exception {
        Network n = spec.network();
        ClusterSpec broken = new ClusterSpec(spec.cluster(), new Network(n.cni(), n.cniVersion(), "x", "y", "", n.kubeProxyMode()),
                spec.runtime(), spec.pki(), spec.security(), spec.components(), spec.ssh(), spec.hosts());
        assertTrue(check(broken, "cp1").reachable());
    }
}
