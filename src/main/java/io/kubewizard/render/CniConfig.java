package io.kubewizard.render;

import io.kubewizard.answers.Defaults;
import io.kubewizard.answers.Downloadables;
import io.kubewizard.answers.Net.HostPort;
import io.kubewizard.answers.Spec.Cni;
import io.kubewizard.answers.Spec.ClusterSpec;
import io.kubewizard.answers.Spec.Host;
import io.kubewizard.answers.Spec.KubeProxyMode;

import java.util.List;
import java.util.Map;

import static io.kubewizard.render.Yaml.map;

/**
 * The pod network's settings, written on the first control plane (where kubectl runs with admin.conf)
 * under {@link #DIR}. The CNI's own manifest is not rendered: it is large, versioned upstream and
 * fetched at run time from {@link #manifestUrls}; what the cluster needs changed in it lives here.
 * <ul>
 *   <li>calico: the tigera operator ({@link #manifestUrls}), then {@link #CALICO_INSTALLATION}, whose
 *       IP pool is podSubnet (the pool cannot change later).</li>
 *   <li>flannel: kube-flannel.yml ({@link #manifestUrls}) carries net-conf.json with 10.244.0.0/16 in the
 *       ConfigMap kube-flannel/kube-flannel-cfg; the plan replaces that key with {@link #FLANNEL_NET_CONF}
 *       and restarts the kube-flannel-ds DaemonSet, so no kustomize or manifest editing is needed.</li>
 *   <li>cilium: the Helm chart {@link #CILIUM_HELM_REPO} cilium/cilium at {@link #version} with
 *       {@link #CILIUM_VALUES}.</li>
 * </ul>
 * Air-gapped clusters: the user's own copy of the manifest (for cilium, {@code helm template} output)
 * is uploaded to {@link #LOCAL_MANIFEST} and applied instead of the URLs.
 */
public final class CniConfig {
    private CniConfig() {}

    public static final String DIR = "/etc/kubernetes/cni";
    public static final String CALICO_INSTALLATION = DIR + "/calico-installation.yaml";
    public static final String FLANNEL_NET_CONF = DIR + "/flannel-net-conf.json";
    public static final String CILIUM_VALUES = DIR + "/cilium-values.yaml";
    /** Where a user-supplied CNI manifest goes when the nodes cannot reach the URLs. */
    public static final String LOCAL_MANIFEST = DIR + "/local-manifest.yaml";

    /** The pinned default versions (empty network.cniVersion); a cniVersion overrides them. */
    public static final String CALICO_VERSION = Downloadables.CALICO_VERSION;
    public static final String FLANNEL_VERSION = Downloadables.FLANNEL_VERSION;
    public static final String CILIUM_VERSION = Downloadables.CILIUM_VERSION;
    public static final String CILIUM_HELM_REPO = Downloadables.CILIUM_HELM_REPO;

    static List<RenderedFile> files(ClusterSpec spec) {
        Host first = spec.firstControlPlane();
        if (first == null) return List.of();
        return switch (spec.network().cni()) {
            case CALICO -> List.of(RenderedFile.of(first.name(), CALICO_INSTALLATION, 0644, calicoInstallation(spec)));
            case FLANNEL -> List.of(RenderedFile.of(first.name(), FLANNEL_NET_CONF, 0644, flannelNetConf(spec)));
            case CILIUM -> List.of(RenderedFile.of(first.name(), CILIUM_VALUES, 0644, ciliumValues(spec)));
            case NONE -> List.of();
        };
    }

    /**
     * The version to install, spelt as the project tags it: "v3.32.2" for calico and flannel, "1.18.5"
     * for cilium's chart; empty for cni none.
     */
    public static String version(ClusterSpec spec) { return Downloadables.cniVersion(spec); }

    /** The manifests the plan applies with {@code kubectl create -f}, in order (public URLs); empty for cilium and none. */
    public static List<String> manifestUrls(ClusterSpec spec) {
        return Downloadables.of(spec).stream().filter(d -> d.use() == Downloadables.Use.CNI_MANIFEST)
                .map(Downloadables.Download::publicUrl).toList();
    }

    static String calicoInstallation(ClusterSpec spec) {
        Map<String, Object> pool = map(
                "cidr", spec.network().podSubnet(),
                "encapsulation", "VXLANCrossSubnet",
                "natOutgoing", "Enabled",
                "nodeSelector", "all()");
        Map<String, Object> installation = map(
                "apiVersion", "operator.tigera.io/v1",
                "kind", "Installation",
                "metadata", map("name", "default"),
                "spec", map("calicoNetwork", map("ipPools", List.of(pool))));
        Map<String, Object> apiServer = map(
                "apiVersion", "operator.tigera.io/v1",
                "kind", "APIServer",
                "metadata", map("name", "default"),
                "spec", map());
        // The release in the file makes a new cniVersion a changed file, which is what makes the
        // plan apply the operator again once the Installation exists.
        return "# Calico " + version(spec) + ": applied after that release's operator manifests.\n"
                + Yaml.dumpAll(List.of(installation, apiServer));
    }

    /** flannel's net-conf.json (validation keeps podSubnet an IPv4 network flannel can carry). */
    static String flannelNetConf(ClusterSpec spec) {
        return """
                {
                  "Network": "%s",
                  "EnableNFTables": false,
                  "Backend": {
                    "Type": "vxlan"
                  }
                }
                """.formatted(spec.network().podSubnet());
    }

    static String ciliumValues(ClusterSpec spec) {
        Map<String, Object> values = map("ipam", map("mode", "kubernetes"));
        if (spec.network().kubeProxyMode() == KubeProxyMode.DISABLED) {
            // Without kube-proxy nothing translates the kubernetes Service IP yet: cilium must reach the
            // API server directly, through the load-balanced endpoint when there is one.
            HostPort hp = HostPort.parse(spec.cluster().controlPlaneEndpoint());
            boolean endpoint = !spec.cluster().controlPlaneEndpoint().isEmpty();
            values.put("kubeProxyReplacement", true);
            values.put("k8sServiceHost", endpoint ? hp.host() : spec.firstControlPlane().internalAddress());
            values.put("k8sServicePort", endpoint && hp.port() > 0 ? hp.port() : Defaults.API_SERVER_PORT);
        } else {
            values.put("kubeProxyReplacement", false);
        }
        return Yaml.dump(values);
    }
}
