package io.kubewizard.render;

import io.kubewizard.answers.Net;
import io.kubewizard.answers.Spec.ClusterSpec;
import io.kubewizard.answers.Spec.Host;

import java.util.ArrayList;
import java.util.List;

/**
 * Kernel modules and sysctls every node needs (docs/kubeadm.md "Node preparation"), persisted so they
 * survive a reboot. Every host gets them, etcd hosts too: with external etcd they run kubelet and
 * the runtime (kubeadm's "etcd with kubelet" flow). Loading the modules and {@code sysctl --system}
 * are run-time steps of the plan; swap is a fact of the host, so the plan handles /etc/fstab too.
 */
final class NodePrep {
    private NodePrep() {}

    static final String MODULES_PATH = "/etc/modules-load.d/k8s.conf";
    static final String SYSCTL_PATH = "/etc/sysctl.d/k8s.conf";

    static List<RenderedFile> files(ClusterSpec spec) {
        String modules = modules();
        String sysctl = sysctl(spec);
        List<RenderedFile> out = new ArrayList<>();
        for (Host h : spec.hosts()) {
            out.add(RenderedFile.of(h.name(), MODULES_PATH, 0644, modules));
            out.add(RenderedFile.of(h.name(), SYSCTL_PATH, 0644, sysctl));
        }
        return out;
    }

    private static String modules() {
        return """
                # Written by kubewizard: the container runtime's overlayfs snapshots need overlay, and pod
                # traffic crossing a Linux bridge reaches iptables only with br_netfilter; loaded at every boot.
                overlay
                br_netfilter
                """;
    }

    private static String sysctl(ClusterSpec spec) {
        StringBuilder sb = new StringBuilder("""
                # Written by kubewizard: kubeadm's preflight fails without IP forwarding, and kube-proxy and
                # CNI plugins need bridged pod traffic to pass through iptables/ip6tables.
                net.ipv4.ip_forward = 1
                net.bridge.bridge-nf-call-iptables = 1
                net.bridge.bridge-nf-call-ip6tables = 1
                """);
        if (isIpv6(spec.network().podSubnet()) || isIpv6(spec.network().serviceSubnet())) {
            sb.append("# The pod or service network is IPv6, so nodes route IPv6 packets as well.\n")
                    .append("net.ipv6.conf.all.forwarding = 1\n");
        }
        return sb.toString();
    }

    private static boolean isIpv6(String cidr) {
        Net.Cidr c = Net.parseCidr(cidr);
        return c != null && !c.base().v4();
    }
}
