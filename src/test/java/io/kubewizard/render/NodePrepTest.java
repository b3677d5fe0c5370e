package io.kubewizard.render;

import io.kubewizard.answers.Spec.ClusterSpec;
import io.kubewizard.answers.Spec.Host;
import io.kubewizard.render.RenderedFile.OsFamily;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NodePrepTest {

    static final String MODULES = """
            # Written by kubewizard: the container runtime's overlayfs snapshots need overlay, and pod
            # traffic crossing a Linux bridge reaches iptables only with br_netfilter; loaded at every boot.
            overlay
            br_netfilter
            """;

    static final String SYSCTL_V4 = """
            # Written by kubewizard: kubeadm's preflight fails without IP forwarding, and kube-proxy and
            # CNI plugins need bridged pod traffic to pass through iptables/ip6tables.
            net.ipv4.ip_forward = 1
            net.bridge.bridge-nf-call-iptables = 1
            net.bridge.bridge-nf-call-ip6tables = 1
            """;

    static final String SYSCTL_V6 = SYSCTL_V4 + """
            # The pod or service network is IPv6, so nodes route IPv6 packets as well.
            net.ipv6.conf.all.forwarding = 1
            """;

    @Test
    void everyHostGetsModulesAndSysctlInThatOrder() {
        ClusterSpec spec = NodeSpecs.preset("ha-external-etcd");
        List<RenderedFile> files = NodePrep.files(spec);
        assertEquals(2 * 9, files.size());
        for (int i = 0; i < spec.hosts().size(); i++) {
            String host = spec.hosts().get(i).name();
            assertEquals(new RenderedFile(host, "/etc/modules-load.d/k8s.conf", 0644, MODULES, false, OsFamily.ANY),
                    files.get(2 * i));
            assertEquals(new RenderedFile(host, "/etc/sysctl.d/k8s.conf", 0644, SYSCTL_V4, false, OsFamily.ANY),
                    files.get(2 * i + 1));
        }
        assertEquals(List.of("cp1", "cp2", "cp3", "etcd1", "etcd2", "etcd3", "worker1", "worker2", "worker3"),
                spec.hosts().stream().map(Host::name).toList());
    }

    @Test
    void etcdHostsGetNodePrepThroughTheAggregateToo() {
        List<RenderedFile> etcd1 = Render.forHost(Render.render(NodeSpecs.preset("ha-external-etcd"), Secrets.MASKED), "etcd1");
        List<String> paths = etcd1.stream().map(RenderedFile::path).toList();
        assertTrue(paths.contains("/etc/modules-load.d/k8s.conf"), paths::toString);
        assertTrue(paths.contains("/etc/sysctl.d/k8s.conf"), paths::toString);
    }

    @Test
    void ipv4NetworksLeaveIpv6ForwardingAlone() {
        String sysctl = sysctlOf(NodeSpecs.preset("single-node"));
        assertEquals(SYSCTL_V4, sysctl);
        assertFalse(sysctl.contains("ipv6"));
    }

    @Test
    void ipv6PodSubnetTurnsOnIpv6Forwarding() {
        assertEquals(SYSCTL_V6, sysctlOf(NodeSpecs.preset("single-node",
                "podSubnet: 192.168.0.0/16", "podSubnet: fd00:10::/56")));
    }

    @Test
    void ipv6ServiceSubnetTurnsOnIpv6Forwarding() {
        assertEquals(SYSCTL_V6, sysctlOf(NodeSpecs.preset("single-node",
                "serviceSubnet: 10.96.0.0/12", "serviceSubnet: fd00:20::/112")));
    }

    @Test
    void everyFileStartsWithACommentNamingKubewizard() {
        for (RenderedFile f : NodePrep.files(NodeSpecs.preset("single-node", "podSubnet: 192.168.0.0/16", "podSubnet: fd00:10::/56"))) {
            assertTrue(f.content().startsWith("# Written by kubewizard: "), f.path());
        }
    }

    private static String sysctlOf(ClusterSpec spec) {
        List<RenderedFile> files = NodePrep.files(spec);
        assertEquals(2, files.size());
        assertEquals("/etc/sysctl.d/k8s.conf", files.get(1).path());
        return files.get(1).content();
    }
}
