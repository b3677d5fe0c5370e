package io.kubewizard.answers;

import java.util.List;

/** The defaults of docs/answers.md, in one place, shared by the loader and the wizard's "new cluster". */
public final class Defaults {
    private Defaults() {}

    public static final String CLUSTER_NAME = "kubernetes";
    public static final String IMAGE_REPOSITORY = "registry.k8s.io";
    public static final int API_SERVER_PORT = 6443;
    public static final String POD_SUBNET = "192.168.0.0/16";
    /** Flannel's manifest ships with this network; choosing flannel without a podSubnet gets it. */
    public static final String FLANNEL_POD_SUBNET = "10.244.0.0/16";
    public static final String SERVICE_SUBNET = "10.96.0.0/12";
    public static final String DNS_DOMAIN = "cluster.local";
    public static final String CERTIFICATE_VALIDITY = "8760h";
    public static final String CA_CERTIFICATE_VALIDITY = "87600h";
    public static final List<String> EXEMPT_NAMESPACES = List.of("kube-system");

    public static final Spec.Ssh SSH = new Spec.Ssh("root", 22, "~/.ssh/id_ed25519", true, "",
            "~/.ssh/known_hosts", Spec.Become.SUDO);

    public static String podSubnetFor(Spec.Cni cni) {
        return cni == Spec.Cni.FLANNEL ? FLANNEL_POD_SUBNET : POD_SUBNET;
    }
}
