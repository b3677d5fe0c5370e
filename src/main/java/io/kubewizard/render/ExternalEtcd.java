package io.kubewizard.render;

import io.kubewizard.answers.KubernetesVersion;
import io.kubewizard.answers.Net.HostPort;
import io.kubewizard.answers.Spec.ClusterSpec;
import io.kubewizard.answers.Spec.Host;
import io.kubewizard.answers.Spec.Topology;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.kubewizard.render.Yaml.map;

/**
 * The dedicated etcd hosts of topology external-etcd, set up the way kubeadm documents it ("Set up a
 * High Availability etcd cluster with kubeadm"): kubelet, reconfigured as a bare service manager, runs
 * etcd as a static pod that {@code kubeadm init phase etcd local --config} writes. So etcd hosts use
 * the same packages (kubelet, kubeadm, the container runtime) and the same etcd image as the rest of
 * the cluster, with the etcd version kubeadm pins for the cluster's Kubernetes version, and nothing is
 * downloaded beside them. Certificates are not rendered here: kubeadm's {@code init phase certs etcd-*}
 * can make them from the same config file, or the pki package ships them.
 */
public final class ExternalEtcd {
    private ExternalEtcd() {}

    public static final String SERVICE_MANAGER_DROP_IN = "/etc/systemd/system/kubelet.service.d/20-etcd-service-manager.conf";
    /**
     * The path the kubeadm guide uses. systemd also reads it as a drop-in, because it ends in .conf,
     * and ignores its YAML lines with a warning.
     */
    public static final String KUBELET_CONFIG = "/etc/systemd/system/kubelet.service.d/kubelet.conf";
    /** For {@code kubeadm init phase certs etcd-* --config} and {@code kubeadm init phase etcd local --config}. */
    public static final String KUBEADM_CONFIG = "/etc/kubernetes/kubeadm/etcd.yaml";
    static final int CLIENT_PORT = 2379;
    static final int PEER_PORT = 2380;

    static List<RenderedFile> files(ClusterSpec spec) {
        List<RenderedFile> out = new ArrayList<>();
        if (spec.cluster().topology() != Topology.EXTERNAL_ETCD) return out;
        for (Host h : spec.etcdHosts()) {
            out.add(RenderedFile.of(h.name(), SERVICE_MANAGER_DROP_IN, 0644, serviceManagerDropIn()));
            out.add(RenderedFile.of(h.name(), KUBELET_CONFIG, 0644, kubeletConfig(spec)));
            out.add(RenderedFile.of(h.name(), KUBEADM_CONFIG, 0644, kubeadmConfig(spec, h)));
        }
        return out;
    }

    static String serviceManagerDropIn() {
        return """
                # kubelet as etcd's service manager: started with only the config beside this file (no API
                # server, no kubeconfig), it runs the static pods in /etc/kubernetes/manifests, here etcd.
                [Service]
                ExecStart=
                ExecStart=/usr/bin/kubelet --config=%s
                Restart=always
                """.formatted(KUBELET_CONFIG);
    }

    static String kubeletConfig(ClusterSpec spec) {
        Map<String, Object> doc = map(
                "apiVersion", "kubelet.config.k8s.io/v1beta1",
                "kind", "KubeletConfiguration",
                "authentication", map("anonymous", map("enabled", false), "webhook", map("enabled", false)),
                "authorization", map("mode", "AlwaysAllow"),
                "cgroupDriver", spec.runtime().cgroupDriver().yaml(),
                "address", "127.0.0.1",
                "containerRuntimeEndpoint", spec.runtime().type().criSocket(),
                "staticPodPath", LoadBalancerConfig.MANIFESTS_DIR);
        return Yaml.dump(doc);
    }

    static String kubeadmConfig(ClusterSpec spec, Host self) {
        KubernetesVersion v = spec.version();
        String ip = self.internalAddress();
        Map<String, String> args = new LinkedHashMap<>();
        args.put("initial-cluster", initialCluster(spec));
        args.put("initial-cluster-state", "new");
        args.put("name", self.name());
        args.put("listen-peer-urls", url(ip, PEER_PORT));
        // Loopback too, as kubeadm's own etcd listens: health checks and etcdctl on the host ask 127.0.0.1.
        args.put("listen-client-urls", url(ip, CLIENT_PORT) + "," + url("127.0.0.1", CLIENT_PORT));
        args.put("advertise-client-urls", url(ip, CLIENT_PORT));
        args.put("initial-advertise-peer-urls", url(ip, PEER_PORT));
        // components.etcd.extraArgs apply to these members too; a user value replaces ours in place.
        args.putAll(spec.components().etcd().extraArgs());

        Map<String, Object> init = map(
                "apiVersion", v.kubeadmApiVersion(),
                "kind", "InitConfiguration",
                "nodeRegistration", map("name", self.name(), "criSocket", spec.runtime().type().criSocket()),
                "localAPIEndpoint", map("advertiseAddress", ip));
        Map<String, Object> local = map(
                "serverCertSANs", List.of(ip),
                "peerCertSANs", List.of(ip),
                "extraArgs", v.usesV1beta4() ? argList(args) : args);
        // kubernetesVersion keeps kubeadm from asking dl.k8s.io for "stable" and picks the etcd image it
        // pins for this version; imageRepository keeps a mirror in force for etcd as well.
        Map<String, Object> cluster = map(
                "apiVersion", v.kubeadmApiVersion(),
                "kind", "ClusterConfiguration",
                "kubernetesVersion", "v" + v,
                "imageRepository", Images.repository(spec),
                "etcd", map("local", local));
        return Yaml.dumpAll(List.of(init, cluster));
    }

    /**
     * The etcd kubeadm config of a member that joins a running cluster (announced with
     * {@code etcdctl member add} first): {@code initial-cluster-state} existing instead of new.
     */
    public static String joiningExisting(String kubeadmConfig) {
        String v1beta4 = "- name: initial-cluster-state\n      value: new\n";
        String v1beta3 = "initial-cluster-state: new\n";
        if (kubeadmConfig.contains(v1beta4)) return kubeadmConfig.replace(v1beta4, v1beta4.replace("value: new", "value: existing"));
        if (kubeadmConfig.contains(v1beta3)) return kubeadmConfig.replace(v1beta3, "initial-cluster-state: existing\n");
        throw new IllegalArgumentException("not an etcd member's kubeadm config: it sets no initial-cluster-state");
    }

    /**
     * As {@link #joiningExisting(String)}, with {@code initial-cluster} the members etcd has when this
     * one starts ("name=peerURL,...", itself included): etcd refuses to start a joining member whose
     * list counts more or fewer members than the cluster has ("member count is unequal").
     */
    public static String joiningExisting(String kubeadmConfig, String initialCluster) {
        String config = joiningExisting(kubeadmConfig);
        String value = java.util.regex.Matcher.quoteReplacement(initialCluster);
        for (String form : List.of("(- name: initial-cluster\n\\s*value: )[^\n]*", "(?m)^(\\s*initial-cluster: )[^\n]*")) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile(form).matcher(config);
            if (m.find()) return m.replaceFirst("$1" + value);
        }
        throw new IllegalArgumentException("not an etcd member's kubeadm config: it sets no initial-cluster");
    }

    /** "etcd1=https://10.0.0.31:2380,etcd2=..." over every etcd host, in file order. */
    static String initialCluster(ClusterSpec spec) {
        List<String> members = new ArrayList<>();
        for (Host h : spec.etcdHosts()) members.add(h.name() + "=" + url(h.internalAddress(), PEER_PORT));
        return String.join(",", members);
    }

    private static List<Map<String, Object>> argList(Map<String, String> args) {
        List<Map<String, Object>> out = new ArrayList<>();
        args.forEach((k, val) -> out.add(map("name", k, "value", val)));
        return out;
    }

    private static String url(String host, int port) {
        return "https://" + HostPort.format(host, port);
    }
}
