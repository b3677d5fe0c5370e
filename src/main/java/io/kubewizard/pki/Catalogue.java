package io.kubewizard.pki;

import io.kubewizard.answers.KubernetesVersion;
import io.kubewizard.answers.Net;
import io.kubewizard.answers.Spec.ClusterSpec;
import io.kubewizard.answers.Spec.Host;
import io.kubewizard.answers.Spec.PkiGeneratedBy;
import io.kubewizard.answers.Spec.Topology;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Every certificate a cluster needs from kubewizard, with the names kubeadm would give it
 * (docs/kubeadm.md "PKI"; kubeadm's certlist.go and kubeconfig.go). Pure: spec in, list out.
 */
record Catalogue(List<Authority> authorities, boolean serviceAccountKey, List<Catalogue.Item> items) {

    static final String ADMINS_GROUP = "kubeadm:cluster-admins";
    static final String MASTERS_GROUP = "system:masters";
    static final int API_SERVER_PORT = 6443;

    /**
     * One certificate and key. {@code host} is null for files every control plane shares;
     * {@code path} is relative to /etc/kubernetes: "pki/apiserver" for a .crt/.key pair, or
     * "admin.conf" for a kubeconfig (then {@code server} is the API server URL written into it).
     */
    record Item(String host, String path, Authority ca, Certs.Profile profile, String server) {
        boolean kubeconfig() { return server != null; }

        String crt() { return path + ".crt"; }

        String key() { return path + ".key"; }
    }

    boolean isEmpty() { return authorities.isEmpty(); }

    static Catalogue of(ClusterSpec spec) {
        boolean full = spec.pki().generatedBy() == PkiGeneratedBy.KUBEWIZARD;
        boolean external = spec.cluster().topology() == Topology.EXTERNAL_ETCD;
        if (!full && !external) return new Catalogue(List.of(), false, List.of());

        List<Item> items = new ArrayList<>();
        if (full) {
            // older tables say system:masters; kubeadm 1.29+ (certlist.go) issues it in
            // kubeadm:cluster-admins, which RBAC binds to cluster-admin. We follow kubeadm.
            String kubeletClientGroup = spec.version().hasSuperAdmin() ? ADMINS_GROUP : MASTERS_GROUP;
            items.add(client(null, "pki/apiserver-kubelet-client", Authority.KUBERNETES, "kube-apiserver-kubelet-client", kubeletClientGroup));
            items.add(client(null, "pki/front-proxy-client", Authority.FRONT_PROXY, "front-proxy-client", null));
        }
        items.add(client(null, "pki/apiserver-etcd-client", Authority.ETCD, "kube-apiserver-etcd-client", MASTERS_GROUP));
        items.add(client(null, "pki/etcd/healthcheck-client", Authority.ETCD, "kube-etcd-healthcheck-client", null));
        if (full) {
            KubernetesVersion v = spec.version();
            String endpoint = controlPlaneUrl(spec);
            // Since 1.29 admin.conf is bound by RBAC to kubeadm:cluster-admins, and only
            // super-admin.conf is in system:masters (it lets the first init create that binding).
            items.add(kubeconfig(null, "admin.conf", "kubernetes-admin", v.hasSuperAdmin() ? ADMINS_GROUP : MASTERS_GROUP, endpoint));
            if (v.hasSuperAdmin()) items.add(kubeconfig(null, "super-admin.conf", "kubernetes-super-admin", MASTERS_GROUP, endpoint));
            for (Host cp : spec.controlPlanes()) {
                items.add(new Item(cp.name(), "pki/apiserver", Authority.KUBERNETES,
                        new Certs.Profile("kube-apiserver", null, true, false, apiServerDns(spec, cp), apiServerIps(spec, cp)), null));
                items.add(kubeconfig(cp.name(), "kubelet.conf", "system:node:" + cp.name(), "system:nodes", kubeletUrl(spec, cp)));
                items.add(kubeconfig(cp.name(), "controller-manager.conf", "system:kube-controller-manager", null, localUrl(cp)));
                items.add(kubeconfig(cp.name(), "scheduler.conf", "system:kube-scheduler", null, localUrl(cp)));
            }
        }
        for (Host member : external ? spec.etcdHosts() : spec.controlPlanes()) {
            List<String> dns = List.of(member.name(), "localhost");
            List<String> ips = distinct(List.of(Certs.canonicalIp(member.internalAddress()), "127.0.0.1", "::1"));
            items.add(new Item(member.name(), "pki/etcd/server", Authority.ETCD,
                    new Certs.Profile("kube-etcd", null, true, true, dns, ips), null));
            items.add(new Item(member.name(), "pki/etcd/peer", Authority.ETCD,
                    new Certs.Profile("kube-etcd-peer", null, true, true, dns, ips), null));
        }
        List<Authority> cas = full ? List.of(Authority.KUBERNETES, Authority.FRONT_PROXY, Authority.ETCD) : List.of(Authority.ETCD);
        return new Catalogue(cas, full, List.copyOf(items));
    }

    private static Item client(String host, String path, Authority ca, String cn, String org) {
        return new Item(host, path, ca, new Certs.Profile(cn, org, false, true, List.of(), List.of()), null);
    }

    private static Item kubeconfig(String host, String file, String user, String org, String server) {
        return new Item(host, file, Authority.KUBERNETES, new Certs.Profile(user, org, false, true, List.of(), List.of()), server);
    }

    /** apiserver DNS SANs: node name, the in-cluster service names, then endpoint, address and extra names. */
    static List<String> apiServerDns(ClusterSpec spec, Host cp) {
        String domain = spec.network().dnsDomain();
        List<String> dns = new ArrayList<>(List.of(cp.name(), "kubernetes", "kubernetes.default", "kubernetes.default.svc",
                "kubernetes.default.svc.cluster", "kubernetes.default.svc." + domain));
        for (String n : extraNames(spec, cp)) if (!Net.isIp(n)) dns.add(n.toLowerCase(java.util.Locale.ROOT));
        return distinct(dns);
    }

    /** apiserver IP SANs: first service IP, advertise address, then endpoint, VIP, address and extra IPs. */
    static List<String> apiServerIps(ClusterSpec spec, Host cp) {
        List<String> ips = new ArrayList<>();
        ips.add(firstServiceIp(spec));
        ips.add(Certs.canonicalIp(cp.internalAddress()));
        for (String n : extraNames(spec, cp)) if (Net.isIp(n)) ips.add(Certs.canonicalIp(n));
        return distinct(ips);
    }

    private static List<String> extraNames(ClusterSpec spec, Host cp) {
        List<String> out = new ArrayList<>();
        String endpoint = spec.cluster().controlPlaneEndpoint();
        if (endpoint != null && !endpoint.isEmpty()) out.add(Net.HostPort.parse(endpoint).host());
        String vip = spec.cluster().loadBalancer().vip();
        if (vip != null && !vip.isEmpty()) out.add(vip);
        // The SSH address too: operators reach the API at the address they know the machine by.
        out.add(cp.address());
        out.addAll(spec.pki().extraCertSANs());
        return out;
    }

    static String firstServiceIp(ClusterSpec spec) {
        String first = spec.network().serviceSubnet().split(",")[0].trim();
        Net.Cidr cidr = Net.parseCidr(first);
        if (cidr == null) throw new IllegalArgumentException("network.serviceSubnet is not a CIDR: " + first);
        return cidr.nth(1).toString();
    }

    /** What admin.conf and super-admin.conf point at: controlPlaneEndpoint, else the first control plane. */
    static String controlPlaneUrl(ClusterSpec spec) {
        String endpoint = spec.cluster().controlPlaneEndpoint();
        if (endpoint == null || endpoint.isEmpty()) return localUrl(spec.firstControlPlane());
        Net.HostPort hp = Net.HostPort.parse(endpoint);
        return "https://" + Net.HostPort.format(hp.host(), hp.port() > 0 ? hp.port() : API_SERVER_PORT);
    }

    /** The control plane's own API server, as kubeadm's GetLocalAPIEndpoint writes it. */
    static String localUrl(Host cp) {
        return "https://" + Net.HostPort.format(Certs.canonicalIp(cp.internalAddress()), API_SERVER_PORT);
    }

    /**
     * kubelet.conf on a control plane points at the local API server when kubeadm's
     * ControlPlaneKubeletLocalMode is on: alpha (off) in 1.31–1.32, beta (on) in 1.33–1.34, GA
     * and locked on in 1.35, gone in 1.36. Before, it pointed at controlPlaneEndpoint.
     */
    static String kubeletUrl(ClusterSpec spec, Host cp) {
        int minor = spec.version().minor();
        Boolean gate = spec.cluster().featureGates().get("ControlPlaneKubeletLocalMode");
        boolean local;
        if (minor >= 35) local = true;
        else if (minor >= 33) local = gate == null || gate;
        else if (minor >= 31) local = gate != null && gate;
        else local = false;
        return local ? localUrl(cp) : controlPlaneUrl(spec);
    }

    private static List<String> distinct(List<String> in) {
        Set<String> s = new LinkedHashSet<>(in);
        return List.copyOf(s);
    }
}
