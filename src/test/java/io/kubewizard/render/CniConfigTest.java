package io.kubewizard.render;

import io.kubewizard.answers.Spec.ClusterSpec;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.kubewizard.render.Fixtures.at;
import static io.kubewizard.render.Fixtures.layout;
import static io.kubewizard.render.Fixtures.preset;
import static io.kubewizard.render.Fixtures.yaml;
import static io.kubewizard.render.Fixtures.yamlAll;
import static org.junit.jupiter.api.Assertions.assertEquals;

class CniConfigTest {

    private static final String CALICO_PODS = "podSubnet: 192.168.0.0/16";

    @Test
    void calicoPoolIsThePodSubnetOnTheFirstControlPlaneOnly() {
        ClusterSpec spec = preset("ha-stacked", CALICO_PODS, "podSubnet: 10.32.0.0/16");
        List<RenderedFile> files = CniConfig.files(spec);
        assertEquals(List.of("cp1 /etc/kubernetes/cni/calico-installation.yaml 0644"), layout(files));
        List<Map<String, Object>> docs = yamlAll(files.get(0).content());
        assertEquals(List.of(
                Map.of("apiVersion", "operator.tigera.io/v1", "kind", "Installation", "metadata", Map.of("name", "default"),
                        "spec", Map.of("calicoNetwork", Map.of("ipPools", List.of(Map.of(
                                "cidr", "10.32.0.0/16",
                                "encapsulation", "VXLANCrossSubnet",
                                "natOutgoing", "Enabled",
                                "nodeSelector", "all()"))))),
                Map.of("apiVersion", "operator.tigera.io/v1", "kind", "APIServer", "metadata", Map.of("name", "default"),
                        "spec", Map.of())),
                docs);
    }

    @Test
    void calicoOperatorUrlsFollowTheVersion() {
        assertEquals(List.of(
                        "https://raw.githubusercontent.com/projectcalico/calico/v3.32.2/manifests/operator-crds.yaml",
                        "https://raw.githubusercontent.com/projectcalico/calico/v3.32.2/manifests/tigera-operator.yaml"),
                CniConfig.manifestUrls(preset("ha-stacked")));
        assertEquals(List.of("https://raw.githubusercontent.com/projectcalico/calico/v3.29.4/manifests/tigera-operator.yaml"),
                CniConfig.manifestUrls(preset("ha-stacked", "cniVersion: ''", "cniVersion: 3.29.4")),
                "before v3.30 the CRDs were inside tigera-operator.yaml");
        assertEquals("v3.30.0", CniConfig.version(preset("ha-stacked", "cniVersion: ''", "cniVersion: v3.30.0")));
    }

    @Test
    void flannelNetworkIsThePodSubnet() {
        ClusterSpec spec = preset("ha-stacked", "cni: calico", "cni: flannel", CALICO_PODS, "podSubnet: 10.244.0.0/16");
        List<RenderedFile> files = CniConfig.files(spec);
        assertEquals(List.of("cp1 /etc/kubernetes/cni/flannel-net-conf.json 0644"), layout(files));
        assertEquals("""
                {
                  "Network": "10.244.0.0/16",
                  "EnableNFTables": false,
                  "Backend": {
                    "Type": "vxlan"
                  }
                }
                """, files.get(0).content());
        // JSON is a subset of YAML: the file parses, so a missing comma or quote would fail here.
        assertEquals("10.244.0.0/16", yaml(files.get(0).content()).get("Network"));
        assertEquals(List.of("https://github.com/flannel-io/flannel/releases/download/v0.27.4/kube-flannel.yml"),
                CniConfig.manifestUrls(spec));
    }

    @Test
    void ciliumFollowsThePodSubnetThroughKubernetesIpam() {
        ClusterSpec spec = preset("ha-stacked", "cni: calico", "cni: cilium");
        List<RenderedFile> files = CniConfig.files(spec);
        assertEquals(List.of("cp1 /etc/kubernetes/cni/cilium-values.yaml 0644"), layout(files));
        // ipam.mode kubernetes: cilium takes each node's podCIDR, which kube-controller-manager cuts from
        // podSubnet; so the values carry no CIDR of their own that could disagree with it.
        assertEquals("""
                ipam:
                  mode: kubernetes
                kubeProxyReplacement: false
                """, files.get(0).content());
        assertEquals(List.of(), CniConfig.manifestUrls(spec));
        assertEquals("1.18.5", CniConfig.version(spec));
        assertEquals("1.17.9", CniConfig.version(preset("ha-stacked", "cni: calico", "cni: cilium",
                "cniVersion: ''", "cniVersion: v1.17.9")));
    }

    @Test
    void ciliumWithoutKubeProxyReachesTheApiServerThroughTheEndpointOrTheFirstControlPlane() {
        ClusterSpec ha = preset("ha-stacked", "cni: calico", "cni: cilium", "kubeProxyMode: iptables", "kubeProxyMode: disabled");
        assertEquals(Map.of("ipam", Map.of("mode", "kubernetes"), "kubeProxyReplacement", true,
                "k8sServiceHost", "10.0.0.100", "k8sServicePort", 6443), yaml(CniConfig.files(ha).get(0).content()));

        ClusterSpec single = preset("single-node", "cni: calico", "cni: cilium", "kubeProxyMode: iptables", "kubeProxyMode: disabled");
        Map<String, Object> values = yaml(CniConfig.files(single).get(0).content());
        assertEquals("10.0.0.11", values.get("k8sServiceHost"));
        assertEquals(6443, (int) at(values, "k8sServicePort"));
    }

    @Test
    void nothingForCniNone() {
        ClusterSpec none = preset("ha-stacked", "cni: calico", "cni: none");
        assertEquals(List.of(), CniConfig.files(none));
        assertEquals(List.of(), CniConfig.manifestUrls(none));
        assertEquals("", CniConfig.version(none));
    }
}
