package io.kubewizard.render;

import io.kubewizard.answers.Spec.ClusterSpec;
import io.kubewizard.answers.Spec.Host;
import io.kubewizard.answers.Spec.Role;
import io.kubewizard.answers.Spec.Topology;
import io.kubewizard.pki.PkiMaterial;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Places already-generated PKI material where kubeadm looks for it, each host getting only what it
 * needs. Pure: the material comes in from the pki package, generated and stored elsewhere.
 * <ul>
 * <li>Control planes get the whole shared set and their own apiserver (and, stacked, etcd member)
 *     certificates and kubeconfigs. Only the first control plane gets kubelet.conf and
 *     super-admin.conf: kubeadm join's preflight refuses an existing kubelet.conf (joining kubelets
 *     get theirs by TLS bootstrap), and super-admin.conf only exists where kubeadm init ran.</li>
 * <li>With external etcd, control planes get of the etcd PKI only etcd/ca.crt and the
 *     apiserver-etcd-client pair; etcd hosts get etcd/ca.crt, the healthcheck client and their own
 *     member certificates. No host but the control planes of a stacked cluster holds an etcd CA key.</li>
 * <li>Workers get nothing: their kubelet bootstraps with a token.</li>
 * </ul>
 */
public final class PkiFiles {
    private PkiFiles() {}

    private static final String ROOT = "/etc/kubernetes/";

    public static List<RenderedFile> files(ClusterSpec spec, PkiMaterial pki) {
        List<RenderedFile> out = new ArrayList<>();
        if (pki.isEmpty()) return out;
        boolean external = spec.cluster().topology() == Topology.EXTERNAL_ETCD;
        Host first = spec.firstControlPlane();
        for (Host host : spec.hosts()) {
            if (host.is(Role.CONTROL_PLANE)) {
                boolean isFirst = first != null && first.name().equals(host.name());
                for (Map.Entry<String, String> f : pki.clusterFiles().entrySet()) {
                    if (controlPlaneNeeds(f.getKey(), external, isFirst)) out.add(file(host, f.getKey(), f.getValue()));
                }
                for (Map.Entry<String, String> f : pki.filesOf(host.name()).entrySet()) {
                    if (isFirst || !f.getKey().equals("kubelet.conf")) out.add(file(host, f.getKey(), f.getValue()));
                }
            } else if (host.is(Role.ETCD)) {
                for (Map.Entry<String, String> f : pki.clusterFiles().entrySet()) {
                    if (f.getKey().equals("pki/etcd/ca.crt") || f.getKey().startsWith("pki/etcd/healthcheck-client.")) {
                        out.add(file(host, f.getKey(), f.getValue()));
                    }
                }
                for (Map.Entry<String, String> f : pki.filesOf(host.name()).entrySet()) out.add(file(host, f.getKey(), f.getValue()));
            }
        }
        return out;
    }

    private static boolean controlPlaneNeeds(String path, boolean externalEtcd, boolean firstControlPlane) {
        if (path.equals("super-admin.conf")) return firstControlPlane;
        if (externalEtcd && path.startsWith("pki/etcd/")) return path.equals("pki/etcd/ca.crt");
        return true;
    }

    /** Keys and kubeconfigs (which embed a key) are secrets; sa.pub is 0600 as kubeadm writes it. */
    private static RenderedFile file(Host host, String relative, String content) {
        String path = ROOT + relative;
        if (relative.endsWith(".key") || relative.endsWith(".conf")) return RenderedFile.secret(host.name(), path, content);
        return RenderedFile.of(host.name(), path, relative.endsWith(".pub") ? 0600 : 0644, content);
    }
}
