package io.kubewizard.plan;

import io.kubewizard.answers.KubernetesVersion;
import io.kubewizard.answers.Spec.Host;
import io.kubewizard.answers.Spec.PackageSource;
import io.kubewizard.answers.Spec.Role;
import io.kubewizard.render.PackageRepos;
import io.kubewizard.render.RenderedFile.OsFamily;

import java.util.List;

/**
 * kubelet, kubeadm and kubectl from pkgs.k8s.io (one repository per minor), pinned to the exact
 * version as render names the packages ({@link PackageRepos#kubernetesPackages}) and held, because kubeadm's version must be the cluster's and kubelet must never be
 * newer than the API server (docs/kubeadm.md "Packages", "Versions").
 */
final class InstallPackages implements PlanPhase {

    public String id() { return "packages"; }

    public String title() { return "Install kubelet, kubeadm and kubectl"; }

    public void addSteps(Draft d) {
        KubernetesVersion version = d.spec.version();
        String v = version.toString();
        for (Host h : d.spec.hosts()) {
            if (d.spec.offline().isSet()) {
                d.add("packages/install", h, "Install kubelet, kubeadm and kubectl " + v + " from the bundle and hold them")
                        .upload(d.take(h, Route.KUBERNETES_PACKAGES))
                        .check(installed(v))
                        .deb(List.of(Offline.deb(PackageSource.KUBERNETES, "--allow-change-held-packages"),
                                "apt-mark hold " + Shell.join(PackageRepos.HELD_PACKAGES)))
                        .rpm(List.of(Offline.rpm(PackageSource.KUBERNETES)));
            } else {
                AptKeys.addRepositoryStep(d, "packages/repository", h,
                        "Add the Kubernetes " + version.minorString() + " package repository",
                        d.take(h, Route.KUBERNETES_REPOSITORY));
                d.add("packages/install", h, "Install kubelet, kubeadm and kubectl " + v + " and hold them")
                        .check(installed(v))
                        .deb(List.of("apt-get update",
                                // A rerun with a new version must be able to move held packages.
                                "DEBIAN_FRONTEND=noninteractive apt-get install -y --allow-change-held-packages "
                                        + Shell.join(PackageRepos.kubernetesPackages(version, OsFamily.DEB)),
                                "apt-mark hold " + Shell.join(PackageRepos.HELD_PACKAGES)))
                        .rpm(List.of("dnf install -y --disableexcludes=" + PackageRepos.KUBERNETES_YUM_REPO_ID + " "
                                + Shell.join(PackageRepos.kubernetesPackages(version, OsFamily.RPM))));
            }
            // On an external etcd host the kubelet is set up by the etcd phase instead.
            if (!h.is(Role.ETCD)) {
                d.add("packages/kubelet", h, "Enable the kubelet (kubeadm starts it)")
                        .upload(d.take(h, Route.KUBELET))
                        .check("systemctl is-enabled --quiet kubelet")
                        .run("systemctl daemon-reload", "systemctl enable kubelet");
            }
        }
    }

    private static String installed(String v) {
        return "test \"$(kubeadm version -o short 2>/dev/null)\" = v" + v
                + " && test \"$(kubelet --version 2>/dev/null)\" = 'Kubernetes v" + v + "'"
                + " && kubectl version --client 2>/dev/null | grep -qx 'Client Version: v" + v + "'";
    }
}
