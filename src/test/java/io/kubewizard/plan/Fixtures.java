package io.kubewizard.plan;

import io.kubewizard.answers.AnswersLoader;
import io.kubewizard.answers.Spec.ClusterSpec;
import io.kubewizard.answers.Spec.Host;
import io.kubewizard.answers.Spec.Role;
import io.kubewizard.render.RenderedFile;
import io.kubewizard.render.RenderedFile.OsFamily;
import io.kubewizard.render.Secrets;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;

/** Specs from the presets and hand-made file lists shaped like what render produces. */
final class Fixtures {
    private Fixtures() {}

    /** Real-looking secrets, so a test can prove none of them reaches a command line. */
    static final Secrets SECRETS = new Secrets("k7x2qa.9dj3hs8e1m4p0v6b",
            "3f9a1c7e5b2d8f4a6c0e9b7d5f3a1c8e2b4d6f8a0c9e7b5d3f1a2c4e6b8d0f9a",
            "sha256:0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e");

    static final String KUBERNETES_LIST = "deb [signed-by=/etc/apt/keyrings/kubernetes-apt-keyring.gpg] "
            + "https://pkgs.k8s.io/core:/stable:/v1.35/deb/ /\n";
    static final String KUBERNETES_REPO = """
            [kubernetes]
            name=Kubernetes
            baseurl=https://pkgs.k8s.io/core:/stable:/v1.35/rpm/
            enabled=1
            gpgcheck=1
            gpgkey=https://pkgs.k8s.io/core:/stable:/v1.35/rpm/repodata/repomd.xml.key
            exclude=kubelet kubeadm kubectl cri-tools kubernetes-cni
            """;

    static ClusterSpec preset(String name) {
        AnswersLoader.Result r = AnswersLoader.load(root().resolve("presets/" + name + ".yaml"));
        assertFalse(r.hasErrors(), () -> name + ": " + r.problems());
        return r.spec();
    }

    /** A preset with some lines of its text replaced, for variants no preset covers. */
    static ClusterSpec presetWith(String name, String... replacements) {
        try {
            String text = java.nio.file.Files.readString(root().resolve("presets/" + name + ".yaml"));
            for (int i = 0; i < replacements.length; i += 2) {
                if (!text.contains(replacements[i])) throw new AssertionError("not in " + name + ": " + replacements[i]);
                text = text.replace(replacements[i], replacements[i + 1]);
            }
            AnswersLoader.Result r = AnswersLoader.parse(name + ".yaml", text);
            assertFalse(r.hasErrors(), () -> name + ": " + r.problems());
            return r.spec();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static Path root() {
        return Path.of(System.getProperty("kubewizard.root", ".")).toAbsolutePath().normalize();
    }

    /**
     * Every kind of file the plan routes, per host role, with secrets in the kubeadm configs,
     * family variants, and one file under a path no phase knows.
     */
    static List<RenderedFile> files(ClusterSpec spec, Secrets secrets) {
        List<RenderedFile> out = new ArrayList<>();
        Host first = spec.firstControlPlane();
        boolean haproxy = spec.cluster().loadBalancer().type().yaml().equals("haproxy-keepalived");
        for (Host h : spec.hosts()) {
            String n = h.name();
            out.add(RenderedFile.of(n, "/etc/modules-load.d/k8s.conf", 0644, "overlay\nbr_netfilter\n"));
            out.add(RenderedFile.of(n, "/etc/sysctl.d/k8s.conf", 0644, "net.ipv4.ip_forward = 1\n"));
            out.add(RenderedFile.of(n, "/etc/apt/sources.list.d/kubernetes.list", 0644, KUBERNETES_LIST)
                    .onlyFor(OsFamily.DEB));
            out.add(RenderedFile.of(n, "/etc/yum.repos.d/kubernetes.repo", 0644, KUBERNETES_REPO).onlyFor(OsFamily.RPM));
            out.add(RenderedFile.of(n, "/etc/containerd/config.toml", 0644, "version = 2\n"));
            out.add(RenderedFile.of(n, "/etc/crictl.yaml", 0644, "runtime-endpoint: unix:///var/run/containerd/containerd.sock\n"));
            out.add(RenderedFile.of(n, "/opt/site/motd", 0644, "managed by kubewizard\n"));
            if (h.is(Role.ETCD)) {
                out.add(RenderedFile.of(n, "/etc/systemd/system/kubelet.service.d/20-etcd-service-manager.conf", 0644,
                        "[Service]\n"));
                out.add(RenderedFile.of(n, "/etc/kubernetes/kubeadm/etcd.yaml", 0644, "kind: ClusterConfiguration\n"));
                out.add(RenderedFile.of(n, "/etc/kubernetes/pki/etcd/ca.crt", 0644, "-----BEGIN CERTIFICATE-----\n"));
                out.add(RenderedFile.secret(n, "/etc/kubernetes/pki/etcd/server.key", "-----BEGIN PRIVATE KEY-----\n"));
                continue;
            }
            out.add(RenderedFile.of(n, "/etc/default/kubelet", 0644, "KUBELET_EXTRA_ARGS=\n").onlyFor(OsFamily.DEB));
            out.add(RenderedFile.of(n, "/etc/sysconfig/kubelet", 0644, "KUBELET_EXTRA_ARGS=\n").onlyFor(OsFamily.RPM));
            if (h.equals(first)) {
                out.add(RenderedFile.secret(n, "/etc/kubernetes/kubeadm/init.yaml", "bootstrapTokens:\n- token: "
                        + secrets.bootstrapToken() + "\ncertificateKey: " + secrets.certificateKey() + "\n"));
                out.add(RenderedFile.of(n, "/etc/kubernetes/cni/10-tigera-operator.yaml", 0644,
                        "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\n"));
                out.add(RenderedFile.of(n, "/etc/kubernetes/cni/20-installation.yaml", 0644,
                        "apiVersion: operator.tigera.io/v1\nkind: Installation\n"));
            } else {
                String controlPlane = h.is(Role.CONTROL_PLANE)
                        ? "controlPlane:\n  certificateKey: " + secrets.certificateKey() + "\n" : "";
                out.add(RenderedFile.secret(n, "/etc/kubernetes/kubeadm/join.yaml", "discovery:\n  bootstrapToken:\n"
                        + "    token: " + secrets.bootstrapToken() + "\n    caCertHashes: [" + secrets.caCertHash() + "]\n"
                        + controlPlane));
            }
            if (h.is(Role.CONTROL_PLANE)) {
                out.add(RenderedFile.of(n, "/etc/kubernetes/admission/pod-security.yaml", 0644, "kind: AdmissionConfiguration\n"));
                if (haproxy) {
                    out.add(RenderedFile.of(n, "/etc/haproxy/haproxy.cfg", 0644, "frontend apiserver\n"));
                    out.add(RenderedFile.of(n, "/etc/keepalived/keepalived.conf", 0644, "vrrp_instance VI_1 {\n"));
                    out.add(RenderedFile.of(n, "/etc/kubernetes/manifests/haproxy.yaml", 0644, "kind: Pod\n"));
                    out.add(RenderedFile.of(n, "/etc/kubernetes/manifests/keepalived.yaml", 0644, "kind: Pod\n"));
                } else if (spec.cluster().loadBalancer().type().managed()) {
                    String kubeconfig = h.equals(first) ? "/etc/kubernetes/super-admin.conf" : "/etc/kubernetes/admin.conf";
                    out.add(RenderedFile.of(n, "/etc/kubernetes/manifests/kube-vip.yaml", 0600,
                            "kind: Pod\n      path: " + kubeconfig + "\n"));
                }
            }
        }
        return out;
    }
}
