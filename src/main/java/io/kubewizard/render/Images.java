package io.kubewizard.render;

import io.kubewizard.answers.Defaults;
import io.kubewizard.answers.Downloadables;
import io.kubewizard.answers.MirrorUrl;
import io.kubewizard.answers.Spec.ClusterSpec;
import io.kubewizard.answers.Spec.Cni;
import io.kubewizard.answers.Spec.KubeProxyMode;
import io.kubewizard.answers.Spec.LoadBalancerType;
import io.kubewizard.answers.Spec.RegistryMirror;

import java.util.ArrayList;
import java.util.List;

/**
 * The images a cluster runs, and what a node pulls for each when {@code mirrors.registries} names
 * its registry: the mirror's first endpoint in place of the registry ({@code haproxy:3.2.25} is
 * {@code docker.io/library/haproxy:3.2.25}, pulled as {@code harbor.example.com/dockerhub/library/haproxy:3.2.25}).
 * Every image kubewizard writes into a file goes through {@link #pulled}, so no rendered file names a
 * mirrored registry; the runtimes' own mirror configuration ({@link MirrorConfig}) covers the images
 * named by manifests kubewizard does not write (the CNI's).
 */
public final class Images {
    private Images() {}

    public static final String K8S_REGISTRY = "registry.k8s.io";

    /** One image: as its project publishes it, and as the cluster's nodes pull it. */
    public record Image(String source, String pulled) {}

    /**
     * kubeadm's imageRepository: the answers' cluster.imageRepository, or, when that is left at
     * registry.k8s.io and registry.k8s.io has a mirror, the mirror (docs/kubeadm.md "Mirrors").
     */
    public static String repository(ClusterSpec spec) {
        String asked = spec.cluster().imageRepository();
        RegistryMirror m = spec.mirrors().registry(K8S_REGISTRY);
        if (!asked.equals(Defaults.IMAGE_REPOSITORY) || m == null || m.endpoints().isEmpty()) return asked;
        MirrorUrl u = MirrorUrl.parse(m.endpoints().get(0));
        return u == null ? asked : u.reference();
    }

    /**
     * kubeadm names CoreDNS {@code registry.k8s.io/coredns/coredns}, but {@code <repository>/coredns}
     * under any other repository, which a pull-through mirror would look up as registry.k8s.io/coredns:
     * with a mirror, ClusterConfiguration's {@code dns.imageRepository} keeps the upstream path. Null
     * when kubeadm's own choice is right.
     */
    public static String dnsRepository(ClusterSpec spec) {
        String repo = repository(spec);
        return repo.equals(spec.cluster().imageRepository()) ? null : repo + "/coredns";
    }

    /** The reference a node pulls for an image: through its registry's mirror when there is one. */
    public static String pulled(ClusterSpec spec, String image) {
        String[] parts = split(image);
        RegistryMirror m = spec.mirrors().registry(parts[0]);
        if (m == null || m.endpoints().isEmpty()) return image;
        MirrorUrl u = MirrorUrl.parse(m.endpoints().get(0));
        return u == null ? image : u.reference() + "/" + parts[1];
    }

    /** {registry, the rest}: "haproxy:3" is {"docker.io", "library/haproxy:3"}, as container runtimes read it. */
    static String[] split(String image) {
        int slash = image.indexOf('/');
        String first = slash < 0 ? "" : image.substring(0, slash);
        if (slash < 0 || !(first.contains(".") || first.contains(":") || first.equals("localhost"))) {
            return new String[] {"docker.io", slash < 0 ? "library/" + image : image};
        }
        return new String[] {first, image.substring(slash + 1)};
    }

    /**
     * Every image the cluster runs, in the order kubeadm lists them, then the CNI's, then the load
     * balancer's, then verify's test pod's (not the node conformance image, which runs only when asked). kubeadm's set follows the version (docs/kubeadm.md "Versions"; {@code kubeadm config
     * images list} on a node is authoritative); the CNI's are those of the pinned default version.
     */
    public static List<Image> of(ClusterSpec spec) {
        List<Image> out = new ArrayList<>();
        var v = spec.version();
        String tag = "v" + v;
        for (String c : List.of("kube-apiserver", "kube-controller-manager", "kube-scheduler")) {
            out.add(k8s(spec, c + ":" + tag));
        }
        if (spec.network().kubeProxyMode() != KubeProxyMode.DISABLED) out.add(k8s(spec, "kube-proxy:" + tag));
        out.add(coreDns(spec, v.coreDnsTag()));
        String pause = RuntimeConfig.sandboxImage(spec);
        out.add(new Image(spec.runtime().sandboxImage().isEmpty() ? K8S_REGISTRY + "/pause:" + v.pauseTag() : pause, pause));
        out.add(k8s(spec, "etcd:" + v.etcdTag()));
        String cniVersion = Downloadables.cniVersion(spec);
        for (String image : cniImages(spec, cniVersion)) out.add(new Image(image, pulled(spec, image)));
        LoadBalancerType lb = spec.cluster().loadBalancer().type();
        List<String> lbImages = switch (lb) {
            case KUBE_VIP -> List.of(LoadBalancerConfig.KUBE_VIP_IMAGE);
            case HAPROXY_KEEPALIVED -> List.of(LoadBalancerConfig.HAPROXY_IMAGE, LoadBalancerConfig.KEEPALIVED_IMAGE);
            default -> List.of();
        };
        for (String image : lbImages) out.add(new Image(image, pulled(spec, image)));
        // verify's short-lived test pods (render/VerifyManifests), from kubeadm's repository like the rest
        if (spec.network().cni() != Cni.NONE) out.add(k8s(spec, VerifyManifests.AGNHOST));
        return out;
    }

    private static Image k8s(ClusterSpec spec, String nameAndTag) {
        String source = spec.cluster().imageRepository() + "/" + nameAndTag;
        return new Image(source, repository(spec) + "/" + nameAndTag);
    }

    private static Image coreDns(ClusterSpec spec, String tag) {
        String asked = spec.cluster().imageRepository();
        String source = (asked.equals(Defaults.IMAGE_REPOSITORY) ? asked + "/coredns" : asked) + "/coredns:" + tag;
        String dns = dnsRepository(spec);
        return new Image(source, dns == null ? source : dns + "/coredns:" + tag);
    }

    /**
     * The CNI's images at its pinned default version (the projects' component lists); for another
     * cniVersion the same images at that version, which holds for the projects' own images.
     */
    static List<String> cniImages(ClusterSpec spec, String v) {
        List<String> out = new ArrayList<>();
        switch (spec.network().cni()) {
            case CALICO -> {
                out.add("quay.io/tigera/operator:" + CALICO_OPERATOR_VERSION);
                for (String c : List.of("node", "cni", "kube-controllers", "typha", "apiserver", "pod2daemon-flexvol",
                        "csi", "node-driver-registrar", "goldmane", "whisker", "whisker-backend")) {
                    out.add("quay.io/calico/" + c + ":" + v);
                }
            }
            case FLANNEL -> {
                out.add("ghcr.io/flannel-io/flannel:" + v);
                out.add("ghcr.io/flannel-io/flannel-cni-plugin:" + FLANNEL_CNI_PLUGIN_VERSION);
            }
            case CILIUM -> {
                out.add("quay.io/cilium/cilium:v" + v);
                out.add("quay.io/cilium/operator-generic:v" + v);
                out.add("quay.io/cilium/cilium-envoy:" + CILIUM_ENVOY_VERSION);
            }
            case NONE -> { }
        }
        return out;
    }

    /**
     * A skopeo sync file ({@code skopeo sync --src yaml}) of the images' sources: per registry each
     * repository with its tags, in the order {@link #of} lists them. With a destination such as
     * {@code harbor.example.com/k8s}, skopeo copies registry.k8s.io/coredns/coredns to
     * harbor.example.com/k8s/coredns/coredns, the name a registry.k8s.io mirror is pulled by.
     */
    public static String skopeoSync(List<Image> images) {
        java.util.Map<String, java.util.Map<String, List<String>>> byRegistry = new java.util.LinkedHashMap<>();
        for (Image i : images) {
            String[] parts = split(i.source());
            String rest = parts[1];
            int colon = rest.lastIndexOf(':');
            String repo = colon < 0 ? rest : rest.substring(0, colon);
            String tag = colon < 0 ? "latest" : rest.substring(colon + 1);
            List<String> tags = byRegistry.computeIfAbsent(parts[0], k -> new java.util.LinkedHashMap<>())
                    .computeIfAbsent(repo, k -> new ArrayList<>());
            if (!tags.contains(tag)) tags.add(tag);
        }
        StringBuilder sb = new StringBuilder("# kubewizard images --format skopeo: skopeo sync --src yaml --dest docker THIS-FILE MIRROR\n");
        byRegistry.forEach((registry, repos) -> {
            sb.append(registry).append(":\n  images:\n");
            repos.forEach((repo, tags) -> {
                sb.append("    ").append(repo).append(":\n");
                for (String t : tags) sb.append("      - \"").append(t).append("\"\n");
            });
        });
        return sb.toString();
    }

    // The helper images below carry versions of their own, which the CNI's manifest or chart names.
    // They were not read from the pinned releases' files (kubewizard does not vendor those): the docs
    // say so, and the manifest a mirror serves is what the cluster actually pulls.
    /** The tigera operator release for Calico {@link Downloadables#CALICO_VERSION} (the v1.42 line installs 3.32). */
    static final String CALICO_OPERATOR_VERSION = "v1.42.5";
    /** The CNI plugin image kube-flannel.yml of {@link Downloadables#FLANNEL_VERSION} names. */
    static final String FLANNEL_CNI_PLUGIN_VERSION = "v1.8.0-flannel1";
    /** The Envoy image the cilium chart of {@link Downloadables#CILIUM_VERSION} names. */
    static final String CILIUM_ENVOY_VERSION = "v1.34.12-1765374555-6a93b0bbba8d6dc75b651cbafeedb062b2997716";
}
