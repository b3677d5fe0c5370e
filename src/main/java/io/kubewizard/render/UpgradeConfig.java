package io.kubewizard.render;

import io.kubewizard.answers.KubernetesVersion;
import io.kubewizard.answers.Spec.ClusterSpec;
import io.kubewizard.answers.Spec.Topology;

/**
 * kubeadm's UpgradeConfiguration (kubeadm.k8s.io/v1beta4, kubeadm 1.31 and later) for one upgrade leg:
 * what {@code kubeadm upgrade plan|apply|node --config} read instead of flags. v1beta3 has no such
 * kind: a leg to 1.30 or older runs {@code kubeadm upgrade apply vX.Y.Z --yes} with flags. Every value
 * is written out, kubeadm's defaults included, so the file says what the upgrade does; stacked etcd
 * is upgraded with the control plane, an external one is not kubeadm's to touch.
 */
public final class UpgradeConfig {
    public static final String PATH = "/etc/kubernetes/kubeadm/upgrade.yaml";

    private UpgradeConfig() {}

    /** Whether a leg to this version uses the configuration file (kubeadm 1.31+). */
    public static boolean applies(KubernetesVersion to) {
        return to.usesV1beta4();
    }

    /** The file for {@code host}, upgrading the cluster of {@code spec} to {@code to}. */
    public static RenderedFile file(ClusterSpec spec, KubernetesVersion to, String host) {
        if (!applies(to)) throw new IllegalArgumentException("kubeadm " + to + " has no UpgradeConfiguration (v1beta4 is 1.31+)");
        boolean etcd = spec.cluster().topology() == Topology.STACKED;
        String v = "v" + to;
        String text = "apiVersion: kubeadm.k8s.io/v1beta4\n"
                + "kind: UpgradeConfiguration\n"
                + "apply:\n"
                + "  kubernetesVersion: " + v + "\n"
                + "  certificateRenewal: true\n"
                + "  etcdUpgrade: " + etcd + "\n"
                + "  imagePullPolicy: IfNotPresent\n"
                + "node:\n"
                + "  certificateRenewal: true\n"
                + "  etcdUpgrade: " + etcd + "\n"
                + "  imagePullPolicy: IfNotPresent\n"
                + "plan:\n"
                + "  kubernetesVersion: " + v + "\n";
        return RenderedFile.of(host, PATH, 0600, text);
    }
}
