package io.kubewizard.plan;

import io.kubewizard.answers.KubernetesVersion;
import io.kubewizard.answers.Spec.Host;
import io.kubewizard.answers.Spec.Role;

import java.util.List;

/**
 * kubelet, kubeadm and kubectl from pkgs.k8s.io (one repository per minor), pinned to the exact
 * version and held, because kubeadm's version must be the cluster's and kubelet must never be
 * newer than the API server (REFERENCE.md "Packages", "Versions").
 */
final class InstallPackages implements PlanPhase {
    static final List<String> PACKAGES = List.of("kubelet", "kubeadm", "kubectl");

    public String id() { return "packages"; }

    public String title() { return "Install kubelet, kubeadm and kubectl"; }

    public void addSteps(Draft d) {
        KubernetesVersion version = d.spec.version();
        String v = version.toString();
        for (Host h : d.spec.hosts()) {
            AptKeys.addRepositoryStep(d, "packages/repository", h,
                    "Add the Kubernetes " + version.minorString() + " package repository",
                    d.take(h, Route.KUBERNETES_REPOSITORY));
            d.add("packages/install", h, "Install kubelet, kubeadm and kubectl " + v + " and hold them")
                    .check("test \"$(kubeadm version -o short 2>/dev/null)\" = v" + v
                            + " && test \"$(kubelet --version 2>/dev/null)\" = 'Kubernetes v" + v + "'"
                            + " && kubectl version --client 2>/dev/null | grep -qx 'Client Version: v" + v + "'")
                    .deb(List.of("apt-get update",
                            // A rerun with a new version must be able to move held packages.
                            "DEBIAN_FRONTEND=noninteractive apt-get install -y --allow-change-held-packages "
                                    + String.join(" ", PACKAGES.stream().map(p -> p + "=" + v + "-1.1").toList()),
                            "apt-mark hold " + String.join(" ", PACKAGES)))
                    .rpm(List.of("dnf install -y --disableexcludes=kubernetes "
                            + String.join(" ", PACKAGES.stream().map(p -> p + "-" + v).toList())));
            // On an external etcd host the kubelet is set up by the etcd phase instead.
            if (!h.is(Role.ETCD)) {
                d.add("packages/kubelet", h, "Enable the kubelet (kubeadm starts it)")
                        .upload(d.take(h, Route.KUBELET))
                        .check("systemctl is-enabled --quiet kubelet")
                        .run("systemctl daemon-reload", "systemctl enable kubelet");
            }
        }
    }
}
