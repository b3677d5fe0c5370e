package io.kubewizard.render;

import io.kubewizard.answers.Spec.ClusterSpec;
import io.kubewizard.answers.Spec.Host;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.kubewizard.render.Fixtures.at;
import static io.kubewizard.render.Fixtures.file;
import static io.kubewizard.render.Fixtures.layout;
import static io.kubewizard.render.Fixtures.preset;
import static io.kubewizard.render.Fixtures.yaml;
import static io.kubewizard.render.Fixtures.yamlAll;
import static org.junit.jupiter.api.Assertions.assertEquals;

class ExternalEtcdTest {

    private static final ClusterSpec EXTERNAL = preset("ha-external-etcd");

    @Test
    void everyEtcdHostGetsItsThreeFilesAndNoOtherHostAny() {
        List<String> expected = new ArrayList<>();
        for (String h : List.of("etcd1", "etcd2", "etcd3")) {
            expected.addAll(List.of(
                    h + " /etc/systemd/system/kubelet.service.d/20-etcd-service-manager.conf 0644",
                    h + " /etc/systemd/system/kubelet.service.d/kubelet.conf 0644",
                    h + " /etc/kubernetes/kubeadm/etcd.yaml 0644"));
        }
        assertEquals(expected, layout(ExternalEtcd.files(EXTERNAL)));
    }

    @Test
    void nothingForStackedEtcd() {
        assertEquals(List.of(), ExternalEtcd.files(preset("ha-stacked")));
        assertEquals(List.of(), ExternalEtcd.files(preset("single-node")));
    }

    @Test
    void initialClusterIsEveryEtcdHostInFileOrder() {
        String expected = "etcd1=https://10.0.0.31:2380,etcd2=https://10.0.0.32:2380,etcd3=https://10.0.0.33:2380";
        for (Host h : EXTERNAL.etcdHosts()) {
            Map<String, String> args = extraArgs(file(ExternalEtcd.files(EXTERNAL), h.name(), ExternalEtcd.KUBEADM_CONFIG).content());
            assertEquals(expected, args.get("initial-cluster"), h.name());
        }
    }

    @Test
    void kubeadmConfigV1beta4IsExactForOneMember() {
        List<Map<String, Object>> docs = yamlAll(file(ExternalEtcd.files(EXTERNAL), "etcd2", ExternalEtcd.KUBEADM_CONFIG).content());
        assertEquals(List.of(
                Map.of("apiVersion", "kubeadm.k8s.io/v1beta4",
                        "kind", "InitConfiguration",
                        "nodeRegistration", Map.of("name", "etcd2", "criSocket", "unix:///var/run/containerd/containerd.sock"),
                        "localAPIEndpoint", Map.of("advertiseAddress", "10.0.0.32")),
                Map.of("apiVersion", "kubeadm.k8s.io/v1beta4",
                        "kind", "ClusterConfiguration",
                        "kubernetesVersion", "v1.35.2",
                        "imageRepository", "registry.k8s.io",
                        "etcd", Map.of("local", Map.of(
                                "serverCertSANs", List.of("10.0.0.32"),
                                "peerCertSANs", List.of("10.0.0.32"),
                                "extraArgs", List.of(
                                        Map.of("name", "initial-cluster", "value",
                                                "etcd1=https://10.0.0.31:2380,etcd2=https://10.0.0.32:2380,etcd3=https://10.0.0.33:2380"),
                                        Map.of("name", "initial-cluster-state", "value", "new"),
                                        Map.of("name", "name", "value", "etcd2"),
                                        Map.of("name", "listen-peer-urls", "value", "https://10.0.0.32:2380"),
                                        Map.of("name", "listen-client-urls", "value", "https://10.0.0.32:2379,https://127.0.0.1:2379"),
                                        Map.of("name", "advertise-client-urls", "value", "https://10.0.0.32:2379"),
                                        Map.of("name", "initial-advertise-peer-urls", "value", "https://10.0.0.32:2380")))))),
                docs);
    }

    @Test
    void v1beta3ForOldVersionsWritesExtraArgsAsAMap() {
        ClusterSpec old = preset("ha-external-etcd", "kubernetesVersion: 1.35.2", "kubernetesVersion: 1.30.14");
        List<Map<String, Object>> docs = yamlAll(file(ExternalEtcd.files(old), "etcd1", ExternalEtcd.KUBEADM_CONFIG).content());
        assertEquals("kubeadm.k8s.io/v1beta3", docs.get(0).get("apiVersion"));
        assertEquals("kubeadm.k8s.io/v1beta3", docs.get(1).get("apiVersion"));
        assertEquals("v1.30.14", docs.get(1).get("kubernetesVersion"));
        Map<String, String> args = at(docs.get(1), "etcd", "local", "extraArgs");
        assertEquals(List.of("initial-cluster", "initial-cluster-state", "name", "listen-peer-urls", "listen-client-urls",
                "advertise-client-urls", "initial-advertise-peer-urls"), List.copyOf(args.keySet()));
        assertEquals("https://10.0.0.31:2379,https://127.0.0.1:2379", args.get("listen-client-urls"));
    }

    @Test
    void aMemberJoiningARunningClusterStartsExistingWithTheMembersItIsGiven() {
        String members = "etcd1=https://10.0.0.31:2380,etcd3=https://10.0.0.33:2380,etcd2=https://10.0.0.32:2380";
        String v1beta4 = ExternalEtcd.joiningExisting(file(ExternalEtcd.files(EXTERNAL), "etcd2", ExternalEtcd.KUBEADM_CONFIG)
                .content(), members);
        Map<String, String> args = extraArgs(v1beta4);
        assertEquals(List.of(members, "existing", "etcd2"), List.of(args.get("initial-cluster"), args.get("initial-cluster-state"),
                args.get("name")));
        ClusterSpec old = preset("ha-external-etcd", "kubernetesVersion: 1.35.2", "kubernetesVersion: 1.30.14");
        String v1beta3 = ExternalEtcd.joiningExisting(file(ExternalEtcd.files(old), "etcd2", ExternalEtcd.KUBEADM_CONFIG)
                .content(), members);
        Map<String, String> map = at(yamlAll(v1beta3).get(1), "etcd", "local", "extraArgs");
        assertEquals(List.of(members, "existing", "etcd2"), List.of(map.get("initial-cluster"), map.get("initial-cluster-state"),
                map.get("name")));
    }

    @Test
    void userEtcdExtraArgsReplaceOursInPlaceAndAddTheirs() {
        ClusterSpec spec = preset("ha-external-etcd", "  etcd:\n    extraArgs: {}",
                "  etcd:\n    extraArgs:\n      initial-cluster-state: existing\n      quota-backend-bytes: '8589934592'");
        Map<String, String> args = extraArgs(file(ExternalEtcd.files(spec), "etcd3", ExternalEtcd.KUBEADM_CONFIG).content());
        assertEquals(List.of("initial-cluster", "initial-cluster-state", "name", "listen-peer-urls", "listen-client-urls",
                "advertise-client-urls", "initial-advertise-peer-urls", "quota-backend-bytes"), List.copyOf(args.keySet()));
        assertEquals("existing", args.get("initial-cluster-state"));
        assertEquals("8589934592", args.get("quota-backend-bytes"));
    }

    @Test
    void kubeletRunsAsAServiceManagerWithTheSpecsRuntime() {
        assertEquals("""
                # kubelet as etcd's service manager: started with only the config beside this file (no API
                # server, no kubeconfig), it runs the static pods in /etc/kubernetes/manifests, here etcd.
                [Service]
                ExecStart=
                ExecStart=/usr/bin/kubelet --config=/etc/systemd/system/kubelet.service.d/kubelet.conf
                Restart=always
                """, file(ExternalEtcd.files(EXTERNAL), "etcd1", ExternalEtcd.SERVICE_MANAGER_DROP_IN).content());

        ClusterSpec crio = preset("ha-external-etcd", "type: containerd\n  cgroupDriver: systemd", "type: cri-o\n  cgroupDriver: cgroupfs");
        Map<String, Object> kubelet = yaml(file(ExternalEtcd.files(crio), "etcd1", ExternalEtcd.KUBELET_CONFIG).content());
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("apiVersion", "kubelet.config.k8s.io/v1beta1");
        expected.put("kind", "KubeletConfiguration");
        expected.put("authentication", Map.of("anonymous", Map.of("enabled", false), "webhook", Map.of("enabled", false)));
        expected.put("authorization", Map.of("mode", "AlwaysAllow"));
        expected.put("cgroupDriver", "cgroupfs");
        expected.put("address", "127.0.0.1");
        expected.put("containerRuntimeEndpoint", "unix:///var/run/crio/crio.sock");
        expected.put("staticPodPath", "/etc/kubernetes/manifests");
        assertEquals(expected, kubelet);
        assertEquals("unix:///var/run/crio/crio.sock",
                at(yamlAll(file(ExternalEtcd.files(crio), "etcd1", ExternalEtcd.KUBEADM_CONFIG).content()).get(0),
                        "nodeRegistration", "criSocket"));
    }

    private static Map<String, String> extraArgs(String kubeadmConfig) {
        List<Map<String, String>> list = at(yamlAll(kubeadmConfig).get(1), "etcd", "local", "extraArgs");
        Map<String, String> out = new LinkedHashMap<>();
        for (Map<String, String> a : list) out.put(a.get("name"), a.get("value"));
        return out;
    }
}
