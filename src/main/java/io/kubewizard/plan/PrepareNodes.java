package io.kubewizard.plan;

import io.kubewizard.answers.Spec.Host;

import java.util.List;

/**
 * docs/kubeadm.md "Node preparation": kernel modules and sysctls now and persisted (the files), swap
 * off now and in /etc/fstab. Every host runs a kubelet, external etcd hosts included.
 */
final class PrepareNodes implements PlanPhase {
    /** An fstab line that mounts swap and is not commented out. */
    static final String FSTAB_SWAP =
            "^([[:space:]]*[^#[:space:]][^[:space:]]*[[:space:]]+[^[:space:]]+[[:space:]]+swap([[:space:]]|$))";

    public String id() { return "prepare"; }

    public String title() { return "Prepare the nodes"; }

    public void addSteps(Draft d) {
        for (Host h : d.spec.hosts()) {
            // Before any repository source is uploaded: once a source sits in sources.list.d without
            // its key, every apt-get update fails ("is not signed"), so the tools that fetch keys
            // cannot be installed after it.
            // An offline bundle fetches no key: nothing to install them for.
            if (!d.spec.offline().isSet()) {
                d.add("prepare/tools", h, "Install the tools that fetch repository keys (curl, gpg) on apt hosts")
                        .check(AptKeys.debOnly("command -v curl >/dev/null && command -v gpg >/dev/null"))
                        .deb(List.of("apt-get update",
                                "DEBIAN_FRONTEND=noninteractive apt-get install -y ca-certificates curl gpg"));
            }
            // A registry mirror's CA (mirrors.registries.*.ca), before anything is fetched from a mirror.
            var trust = d.take(h, Route.TRUST);
            if (!trust.isEmpty()) {
                d.add("prepare/trust", h, "Add the mirrors' CA certificates to the trust store")
                        .upload(trust)
                        .deb(List.of("update-ca-certificates"))
                        .rpm(List.of("update-ca-trust extract"));
            }
            d.add("prepare/kernel-modules", h, "Load the overlay and br_netfilter kernel modules, now and at boot")
                    .upload(d.take(h, Route.KERNEL_MODULES))
                    .check("test -d /sys/module/overlay && test -d /sys/module/br_netfilter")
                    .run("modprobe overlay", "modprobe br_netfilter");
            d.add("prepare/sysctl", h, "Enable IP forwarding and bridged traffic filtering")
                    .upload(d.take(h, Route.SYSCTL))
                    .check("test \"$(sysctl -n net.ipv4.ip_forward)\" = 1"
                            + " && test \"$(sysctl -n net.bridge.bridge-nf-call-iptables)\" = 1"
                            + " && test \"$(sysctl -n net.bridge.bridge-nf-call-ip6tables)\" = 1")
                    .run("sysctl --system");
            d.add("prepare/swap", h, "Turn swap off, now and in /etc/fstab")
                    .check("test \"$(wc -l < /proc/swaps)\" -le 1 && ! grep -Eq '" + FSTAB_SWAP + "' /etc/fstab")
                    .run("swapoff -a", "sed -i -E 's/" + FSTAB_SWAP + "/#\\1/' /etc/fstab");
        }
    }
}
