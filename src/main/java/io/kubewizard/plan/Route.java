package io.kubewizard.plan;

import io.kubewizard.answers.Spec.PackageSource;
import io.kubewizard.render.OfflineFiles;

import java.util.List;

/**
 * Which kind of step writes a rendered file, decided by its path alone. Which host's step takes it
 * depends on the host's role (a kubelet drop-in on an external etcd host belongs to the etcd phase);
 * a file no step takes is still uploaded by {@code files/upload}, so nothing is dropped.
 */
enum Route {
    KERNEL_MODULES, SYSCTL, TRUST, RUNTIME_REPOSITORY, KUBERNETES_REPOSITORY, RUNTIME_CONFIG, KUBELET, LOAD_BALANCER,
    STATIC_POD, ADDON, KUBEADM, KUBERNETES_PACKAGES, RUNTIME_PACKAGES, IMAGES, OTHER;

    /** Manifests applied with kubectl once the API server answers (CNI, add-ons). */
    static final List<String> ADDON_DIRS = List.of("/etc/kubernetes/cni/", "/etc/kubernetes/addons/");

    private static final List<String> REPOSITORY_DIRS =
            List.of("/etc/apt/sources.list.d/", "/etc/apt/preferences.d/", "/etc/yum.repos.d/",
                    // a mirrored repository's key from the jump host travels with its source
                    "/etc/apt/keyrings/", "/etc/pki/rpm-gpg/");
    private static final List<String> RUNTIME_PREFIXES = List.of("/etc/containerd/", "/etc/crio/", "/etc/containers/",
            "/etc/docker/", "/etc/crictl.yaml", "/etc/systemd/system/containerd.service.d/",
            "/etc/systemd/system/crio.service.d/", "/etc/systemd/system/docker.service.d/",
            "/etc/systemd/system/cri-docker.");
    /** The nodes' trust store: a registry mirror's CA, installed before anything is fetched from a mirror. */
    private static final List<String> TRUST_DIRS = List.of("/usr/local/share/ca-certificates/",
            "/etc/pki/ca-trust/source/anchors/");
    private static final List<String> KUBELET_PREFIXES = List.of("/etc/systemd/system/kubelet.service.d/",
            "/etc/default/kubelet", "/etc/sysconfig/kubelet");

    static Route of(String path) {
        if (path.startsWith(OfflineFiles.IMAGES)) return IMAGES;
        if (path.startsWith(OfflineFiles.packageList(PackageSource.KUBERNETES))
                || path.startsWith(OfflineFiles.PACKAGES + PackageSource.KUBERNETES.yaml() + "/")) return KUBERNETES_PACKAGES;
        if (path.startsWith(OfflineFiles.PACKAGES)) return RUNTIME_PACKAGES;
        if (path.startsWith("/etc/modules-load.d/")) return KERNEL_MODULES;
        if (path.startsWith("/etc/sysctl.d/")) return SYSCTL;
        if (startsWithAny(path, TRUST_DIRS)) return TRUST;
        if (startsWithAny(path, REPOSITORY_DIRS)) {
            // The Kubernetes repository is set up with the kube packages; any other one (CRI-O,
            // Docker) must exist before the runtime is installed.
            String name = path.substring(path.lastIndexOf('/') + 1);
            return name.contains("kubernetes") ? KUBERNETES_REPOSITORY : RUNTIME_REPOSITORY;
        }
        if (startsWithAny(path, RUNTIME_PREFIXES)) return RUNTIME_CONFIG;
        if (startsWithAny(path, KUBELET_PREFIXES)) return KUBELET;
        if (path.startsWith("/etc/haproxy/") || path.startsWith("/etc/keepalived/")) return LOAD_BALANCER;
        if (path.startsWith("/etc/kubernetes/manifests/")) return STATIC_POD;
        if (startsWithAny(path, ADDON_DIRS)) return ADDON;
        if (path.startsWith("/etc/kubernetes/")) return KUBEADM;
        return OTHER;
    }

    private static boolean startsWithAny(String path, List<String> prefixes) {
        return prefixes.stream().anyMatch(path::startsWith);
    }
}
