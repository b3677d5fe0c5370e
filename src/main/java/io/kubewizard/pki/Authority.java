package io.kubewizard.pki;

/** The three certificate authorities of a kubeadm cluster, at the paths kubeadm keeps them. */
enum Authority {
    KUBERNETES("pki/ca", "kubernetes-ca"),
    FRONT_PROXY("pki/front-proxy-ca", "kubernetes-front-proxy-ca"),
    ETCD("pki/etcd/ca", "etcd-ca");

    private final String base;
    private final String commonName;

    Authority(String base, String commonName) {
        this.base = base;
        this.commonName = commonName;
    }

    /** Path of the certificate relative to /etc/kubernetes. */
    String crt() { return base + ".crt"; }

    String key() { return base + ".key"; }

    String commonName() { return commonName; }
}
