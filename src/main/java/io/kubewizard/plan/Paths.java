package io.kubewizard.plan;

import io.kubewizard.render.RenderedFile;

import java.util.List;

/** Where kubeadm and kubewizard keep things on a node; render writes the same paths. */
final class Paths {
    private Paths() {}

    static final String KUBEADM_DIR = "/etc/kubernetes/kubeadm/";
    static final String INIT_CONFIG = KUBEADM_DIR + "init.yaml";
    static final String JOIN_CONFIG = KUBEADM_DIR + "join.yaml";
    static final String ETCD_CONFIG = KUBEADM_DIR + "etcd.yaml";
    static final String ADMIN_CONF = "/etc/kubernetes/admin.conf";
    static final String SUPER_ADMIN_CONF = "/etc/kubernetes/super-admin.conf";
    static final String KUBELET_CONF = "/etc/kubernetes/kubelet.conf";
    static final String MANIFESTS_DIR = "/etc/kubernetes/manifests";
    static final String API_SERVER_MANIFEST = "/etc/kubernetes/manifests/kube-apiserver.yaml";
    static final String ETCD_MANIFEST = "/etc/kubernetes/manifests/etcd.yaml";
    static final String KUBECTL = "kubectl --kubeconfig " + ADMIN_CONF;

    /** The JoinConfiguration among a host's uploads (render may name it per role), else the usual path. */
    static String joinConfig(List<RenderedFile> uploads) {
        return uploads.stream().map(RenderedFile::path)
                .filter(p -> p.startsWith(KUBEADM_DIR) && p.substring(KUBEADM_DIR.length()).startsWith("join"))
                .findFirst().orElse(JOIN_CONFIG);
    }
}
