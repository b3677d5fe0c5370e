package io.kubewizard.answers;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The cluster spec: the answers file with every default applied. Immutable; built by
 * {@link AnswersLoader} from YAML or by the wizard, written back by {@link AnswersWriter}.
 * Field names follow docs/answers.md exactly, because that file is the public contract.
 */
public final class Spec {
    private Spec() {}

    public static final String API_VERSION = "kubewizard.io/v1alpha1";
    public static final String KIND = "Answers";

    /** The whole answers document. */
    /**
     * @param hosts   the cluster's hosts, in file order
     * @param removed hosts marked {@code remove: true}: still described, so kubewizard can reach them to take
     *                them out, and no longer part of the cluster's shape (no files, no load balancer backend)
     * @param upgrade how {@code kubewizard upgrade} goes about it
     */
    public record ClusterSpec(Cluster cluster, Network network, Runtime runtime, Pki pki, Security security,
                              Components components, Ssh ssh, List<Host> hosts, List<Host> removed, Upgrade upgrade,
                              Mirrors mirrors, Offline offline) {
        public ClusterSpec {
            hosts = List.copyOf(hosts);
            removed = List.copyOf(removed);
            if (mirrors == null) mirrors = Mirrors.NONE;
            if (offline == null) offline = Offline.NONE;
        }

        public ClusterSpec(Cluster cluster, Network network, Runtime runtime, Pki pki, Security security,
                           Components components, Ssh ssh, List<Host> hosts, List<Host> removed, Upgrade upgrade,
                           Mirrors mirrors) {
            this(cluster, network, runtime, pki, security, components, ssh, hosts, removed, upgrade, mirrors, Offline.NONE);
        }

        public ClusterSpec(Cluster cluster, Network network, Runtime runtime, Pki pki, Security security,
                           Components components, Ssh ssh, List<Host> hosts, List<Host> removed, Upgrade upgrade) {
            this(cluster, network, runtime, pki, security, components, ssh, hosts, removed, upgrade, Mirrors.NONE);
        }

        /** The same answers with other mirrors (the wizard keeps the file's, which it has no page for yet). */
        public ClusterSpec withMirrors(Mirrors m) {
            return new ClusterSpec(cluster, network, runtime, pki, security, components, ssh, hosts, removed, upgrade, m, offline);
        }

        /** The same answers with another offline bundle (or {@link Offline#NONE}). */
        public ClusterSpec withOffline(Offline o) {
            return new ClusterSpec(cluster, network, runtime, pki, security, components, ssh, hosts, removed, upgrade, mirrors, o);
        }

        public ClusterSpec(Cluster cluster, Network network, Runtime runtime, Pki pki, Security security,
                           Components components, Ssh ssh, List<Host> hosts) {
            this(cluster, network, runtime, pki, security, components, ssh, hosts, List.of(), Upgrade.DEFAULT);
        }

        public ClusterSpec(Cluster cluster, Network network, Runtime runtime, Pki pki, Security security,
                           Components components, Ssh ssh, List<Host> hosts, List<Host> removed) {
            this(cluster, network, runtime, pki, security, components, ssh, hosts, removed, Upgrade.DEFAULT);
        }

        public List<Host> hostsWithRole(Role role) {
            return hosts.stream().filter(h -> h.roles().contains(role)).toList();
        }

        public List<Host> controlPlanes() { return hostsWithRole(Role.CONTROL_PLANE); }

        public List<Host> workers() { return hostsWithRole(Role.WORKER); }

        public List<Host> etcdHosts() { return hostsWithRole(Role.ETCD); }

        /** The first control-plane host in file order: the one that runs {@code kubeadm init}. */
        public Host firstControlPlane() {
            List<Host> cps = controlPlanes();
            return cps.isEmpty() ? null : cps.get(0);
        }

        /** The SSH settings for a host: the host's overrides over the file-wide defaults. */
        public Ssh sshFor(Host host) { return ssh.overriddenBy(host.ssh()); }

        public KubernetesVersion version() { return KubernetesVersion.parse(cluster.kubernetesVersion()); }

        /** The same answers at another Kubernetes version (the files an upgrade's intermediate minor needs). */
        public ClusterSpec withVersion(String version) {
            Cluster c = new Cluster(cluster.name(), version, cluster.topology(), cluster.controlPlaneEndpoint(),
                    cluster.loadBalancer(), cluster.imageRepository(), cluster.featureGates());
            return new ClusterSpec(c, network, runtime, pki, security, components, ssh, hosts, removed, upgrade, mirrors, offline);
        }
    }

    /**
     * Where the nodes fetch from instead of the public sources ({@code mirrors:} in docs/answers.md).
     * Every part is optional; {@link #NONE} is an answers file without the section.
     *
     * @param packages   by source ({@link PackageSource}), only the sources given
     * @param registries by the registry the images name ("registry.k8s.io", "docker.io"), in file order
     */
    public record Mirrors(Map<PackageSource, PackageMirror> packages, Map<String, RegistryMirror> registries,
                          Downloads downloads) {
        public static final Mirrors NONE = new Mirrors(Map.of(), Map.of(), Downloads.NONE);

        public Mirrors {
            java.util.EnumMap<PackageSource, PackageMirror> p = new java.util.EnumMap<>(PackageSource.class);
            p.putAll(packages);
            packages = java.util.Collections.unmodifiableMap(p);
            registries = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(registries));
        }

        public boolean isEmpty() { return packages.isEmpty() && registries.isEmpty() && downloads.isEmpty(); }

        /** The mirror of a package source, or null when the nodes use the public repository. */
        public PackageMirror packages(PackageSource source) { return packages.get(source); }

        /** The mirror of a registry ("docker.io"), or null. */
        public RegistryMirror registry(String registry) { return registries.get(registry); }
    }

    /**
     * An offline bundle on the jump host ({@code offline.directory}, made by {@code kubewizard bundle}):
     * the nodes install its packages and import its images, and fetch nothing. The loader reads its
     * manifest.yaml into {@code files}, so the plan stays a function of the spec.
     *
     * @param directory as the answers give it; "" for none
     * @param files     the manifest's entries, in its order (by path)
     */
    public record Offline(String directory, List<BundleFile> files) {
        public static final Offline NONE = new Offline("", List.of());

        public Offline { files = List.copyOf(files); }

        public boolean isSet() { return !directory.isEmpty(); }

        /** The entries of one kind: "package", "image" or "download". */
        public List<BundleFile> of(String kind) { return files.stream().filter(f -> f.kind().equals(kind)).toList(); }

        /** The download of that name, or null. */
        public BundleFile download(String name) {
            return files.stream().filter(f -> f.kind().equals("download") && f.name().equals(name)).findFirst().orElse(null);
        }
    }

    /**
     * One file of a bundle's manifest.
     *
     * @param path   relative to the bundle directory
     * @param kind   package, image or download
     * @param family deb or rpm for a package; ""
     * @param arch   amd64 or arm64 for packages and images; ""
     * @param source kubernetes, cri-o or docker for a package; ""
     * @param name   the package, the image reference or the download's name
     * @param local  the file's absolute path on the jump host
     */
    public record BundleFile(String path, String kind, String family, String arch, String source, String name,
                             String version, String sha256, long size, String local) {}

    /** The package repositories a cluster may use; {@code yaml()} is the key under {@code mirrors.packages}. */
    public enum PackageSource implements Named {
        KUBERNETES("kubernetes"), CRI_O("cri-o"), DOCKER("docker");
        private final String yaml;
        PackageSource(String y) { yaml = y; }
        public String yaml() { return yaml; }
    }

    /**
     * One package repository's mirror. {@code deb} and {@code rpm} are base URLs; {@code {minor}} in
     * them (and in a key URL) stands for the Kubernetes minor ("v1.35"), so an upgrade moves with it.
     *
     * @param key       the signing key: an http(s) URL, or a file on the jump host
     * @param keySha256 the key's sha256: required for a file, an optional pin for a URL; "" when unset
     */
    public record PackageMirror(String deb, String rpm, String key, String keySha256) {
        /** Whether the key is a file on the jump host rather than a URL. */
        public boolean keyIsFile() { return !key.isEmpty() && !isUrl(key); }
    }

    /**
     * @param endpoints where the registry's images are pulled from instead, first first:
     *                  {@code https://host[:port][/path]}, the path being a prefix of the repositories
     * @param ca        a CA certificate file on the jump host the endpoints' certificates chain to; ""
     * @param caSha256  its sha256 (required with {@code ca})
     */
    public record RegistryMirror(List<String> endpoints, String ca, String caSha256) {
        public RegistryMirror { endpoints = List.copyOf(endpoints); }
    }

    /**
     * Files the nodes would download from the internet (CNI manifests and chart, cri-dockerd, Helm),
     * by the names kubewizard gives them (docs/answers.md lists them).
     *
     * @param baseUrl where the nodes fetch each one by name; ""
     * @param files   name to a file on the jump host, uploaded instead of fetched
     * @param sha256  name to the sha256 every download is checked against
     */
    public record Downloads(String baseUrl, Map<String, String> files, Map<String, String> sha256) {
        public static final Downloads NONE = new Downloads("", Map.of(), Map.of());

        public Downloads {
            files = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(files));
            sha256 = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(sha256));
        }

        public boolean isEmpty() { return baseUrl.isEmpty() && files.isEmpty() && sha256.isEmpty(); }

        /** Whether downloads come from the mirror or the jump host rather than the public URLs. */
        public boolean mirrored() { return !baseUrl.isEmpty() || !files.isEmpty(); }
    }

    /** http:// or https:// */
    public static boolean isUrl(String s) { return s.startsWith("https://") || s.startsWith("http://"); }

    /** @param maxUnavailable how many workers an upgrade drains and upgrades at once (1 or more) */
    public record Upgrade(int maxUnavailable) {
        public static final Upgrade DEFAULT = new Upgrade(1);
    }

    /** featureGates keep file order, so a saved file lists them as the user wrote them. */
    public record Cluster(String name, String kubernetesVersion, Topology topology, String controlPlaneEndpoint,
                          LoadBalancer loadBalancer, String imageRepository, Map<String, Boolean> featureGates) {
        public Cluster { featureGates = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(featureGates)); }
    }

    /** {@code vip} and {@code iface} are empty strings when unset. */
    public record LoadBalancer(LoadBalancerType type, String vip, String iface, int port) {}

    public record Network(Cni cni, String cniVersion, String podSubnet, String serviceSubnet, String dnsDomain,
                          KubeProxyMode kubeProxyMode) {}

    public record Runtime(RuntimeType type, CgroupDriver cgroupDriver, String sandboxImage) {}

    public record Pki(PkiGeneratedBy generatedBy, KeyAlgorithm keyAlgorithm, String certificateValidity,
                      String caCertificateValidity, List<String> extraCertSANs) {
        public Pki { extraCertSANs = List.copyOf(extraCertSANs); }
    }

    public record Security(PodSecurity podSecurity, ApiServerSecurity apiServer) {}

    public record PodSecurity(PodSecurityLevel enforce, PodSecurityLevel audit, PodSecurityLevel warn,
                              List<String> exemptNamespaces) {
        public PodSecurity { exemptNamespaces = List.copyOf(exemptNamespaces); }
    }

    public record ApiServerSecurity(boolean anonymousAuth, boolean auditLog) {}

    /** kubelet and kubeProxy are free-form maps merged into KubeletConfiguration / KubeProxyConfiguration. */
    public record Components(Component apiServer, Component controllerManager, Component scheduler,
                             Component etcd, Map<String, Object> kubelet, Map<String, Object> kubeProxy) {}

    /** extraArgs keep file order (a LinkedHashMap), because kubeadm v1beta4 writes them as an ordered list. */
    public record Component(Map<String, String> extraArgs, List<Volume> extraVolumes) {
        public Component { extraVolumes = List.copyOf(extraVolumes); }
        public static Component empty() { return new Component(new java.util.LinkedHashMap<>(), List.of()); }
    }

    /** kubeadm's HostPathMount. */
    public record Volume(String name, String hostPath, String mountPath, boolean readOnly, String pathType) {}

    /**
     * SSH settings. In the top-level {@code ssh:} every field is set (defaults applied); in a host's
     * {@code ssh:} only the overridden fields are non-null.
     */
    public record Ssh(String user, Integer port, String identityFile, Boolean useAgent, String bastion,
                      String knownHostsFile, Become become) {
        public static Ssh none() { return new Ssh(null, null, null, null, null, null, null); }

        /**
         * Written out, as equals and hashCode are: a record's generated ones are bootstrapped on first
         * use, about 15 ms of every validate. SpecEqualityTest checks that every component counts.
         */
        public boolean isEmpty() {
            return user == null && port == null && identityFile == null && useAgent == null && bastion == null
                    && knownHostsFile == null && become == null;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Ssh s && Objects.equals(user, s.user) && Objects.equals(port, s.port)
                    && Objects.equals(identityFile, s.identityFile) && Objects.equals(useAgent, s.useAgent)
                    && Objects.equals(bastion, s.bastion) && Objects.equals(knownHostsFile, s.knownHostsFile)
                    && Objects.equals(become, s.become);
        }

        @Override
        public int hashCode() { return Objects.hash(user, port, identityFile, useAgent, bastion, knownHostsFile, become); }

        public Ssh overriddenBy(Ssh o) {
            if (o == null) return this;
            return new Ssh(o.user != null ? o.user : user, o.port != null ? o.port : port,
                    o.identityFile != null ? o.identityFile : identityFile,
                    o.useAgent != null ? o.useAgent : useAgent, o.bastion != null ? o.bastion : bastion,
                    o.knownHostsFile != null ? o.knownHostsFile : knownHostsFile,
                    o.become != null ? o.become : become);
        }
    }

    /** {@code internalAddress} is already defaulted to {@code address}. */
    /** @param remove {@code remove: true}: the host leaves the cluster on the next apply */
    public record Host(String name, String address, String internalAddress, List<Role> roles, String zone,
                       Map<String, String> labels, List<String> taints, Ssh ssh, boolean remove) {
        public Host {
            roles = List.copyOf(roles);
            taints = List.copyOf(taints);
        }

        public Host(String name, String address, String internalAddress, List<Role> roles, String zone,
                    Map<String, String> labels, List<String> taints, Ssh ssh) {
            this(name, address, internalAddress, roles, zone, labels, taints, ssh, false);
        }

        public boolean is(Role role) { return roles.contains(role); }

        // Written out, as Ssh's: a record's generated equals and hashCode are bootstrapped on first
        // use (about 15 ms of a plan's start). SpecEqualityTest checks that every component counts.
        @Override
        public boolean equals(Object o) {
            return o instanceof Host h && remove == h.remove && name.equals(h.name) && address.equals(h.address)
                    && Objects.equals(internalAddress, h.internalAddress) && roles.equals(h.roles)
                    && Objects.equals(zone, h.zone) && Objects.equals(labels, h.labels) && taints.equals(h.taints)
                    && Objects.equals(ssh, h.ssh);
        }

        @Override
        public int hashCode() {
            return Objects.hash(name, address, internalAddress, roles, zone, labels, taints, ssh, remove);
        }
    }

    /** An enum whose YAML spelling differs from its Java name. */
    public interface Named {
        String yaml();
    }

    public enum Topology implements Named {
        STACKED("stacked"), EXTERNAL_ETCD("external-etcd");
        private final String yaml;
        Topology(String y) { yaml = y; }
        public String yaml() { return yaml; }
    }

    public enum LoadBalancerType implements Named {
        NONE("none"), EXTERNAL("external"), KUBE_VIP("kube-vip"), HAPROXY_KEEPALIVED("haproxy-keepalived");
        private final String yaml;
        LoadBalancerType(String y) { yaml = y; }
        public String yaml() { return yaml; }
        /** Whether kubewizard itself runs the load balancer on the control planes (and so owns a VIP). */
        public boolean managed() { return this == KUBE_VIP || this == HAPROXY_KEEPALIVED; }
    }

    public enum Cni implements Named {
        CALICO("calico"), FLANNEL("flannel"), CILIUM("cilium"), NONE("none");
        private final String yaml;
        Cni(String y) { yaml = y; }
        public String yaml() { return yaml; }
    }

    public enum KubeProxyMode implements Named {
        IPTABLES("iptables"), IPVS("ipvs"), NFTABLES("nftables"), DISABLED("disabled");
        private final String yaml;
        KubeProxyMode(String y) { yaml = y; }
        public String yaml() { return yaml; }
    }

    public enum RuntimeType implements Named {
        CONTAINERD("containerd", "unix:///var/run/containerd/containerd.sock"),
        CRI_O("cri-o", "unix:///var/run/crio/crio.sock"),
        DOCKER("docker", "unix:///var/run/cri-dockerd.sock");
        private final String yaml;
        private final String criSocket;
        RuntimeType(String y, String socket) { yaml = y; criSocket = socket; }
        public String yaml() { return yaml; }
        /** The CRI endpoint kubelet and kubeadm talk to; always passed, because kubeadm refuses to guess. */
        public String criSocket() { return criSocket; }
    }

    public enum CgroupDriver implements Named {
        SYSTEMD("systemd"), CGROUPFS("cgroupfs");
        private final String yaml;
        CgroupDriver(String y) { yaml = y; }
        public String yaml() { return yaml; }
    }

    public enum PkiGeneratedBy implements Named {
        KUBEADM("kubeadm"), KUBEWIZARD("kubewizard");
        private final String yaml;
        PkiGeneratedBy(String y) { yaml = y; }
        public String yaml() { return yaml; }
    }

    public enum KeyAlgorithm implements Named {
        RSA_2048("RSA-2048"), RSA_3072("RSA-3072"), RSA_4096("RSA-4096"), ECDSA_P256("ECDSA-P256");
        private final String yaml;
        KeyAlgorithm(String y) { yaml = y; }
        public String yaml() { return yaml; }
    }

    public enum PodSecurityLevel implements Named {
        PRIVILEGED("privileged"), BASELINE("baseline"), RESTRICTED("restricted");
        private final String yaml;
        PodSecurityLevel(String y) { yaml = y; }
        public String yaml() { return yaml; }
    }

    public enum Become implements Named {
        NONE("none"), SUDO("sudo");
        private final String yaml;
        Become(String y) { yaml = y; }
        public String yaml() { return yaml; }
    }

    public enum Role implements Named {
        CONTROL_PLANE("control-plane"), WORKER("worker"), ETCD("etcd");
        private final String yaml;
        Role(String y) { yaml = y; }
        public String yaml() { return yaml; }
    }
}
