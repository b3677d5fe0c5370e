package io.kubewizard.render;

import io.kubewizard.answers.Defaults;
import io.kubewizard.answers.Net.HostPort;
import io.kubewizard.answers.Spec.ClusterSpec;
import io.kubewizard.answers.Spec.Component;
import io.kubewizard.answers.Spec.Host;
import io.kubewizard.answers.Spec.KubeProxyMode;
import io.kubewizard.answers.Spec.PkiGeneratedBy;
import io.kubewizard.answers.Spec.Role;
import io.kubewizard.answers.Spec.Topology;
import io.kubewizard.answers.Spec.Volume;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static io.kubewizard.render.Yaml.map;

/**
 * kubeadm's --config files. The first control plane gets init.yaml (InitConfiguration,
 * ClusterConfiguration, KubeletConfiguration, KubeProxyConfiguration); every other control plane and
 * worker gets join.yaml (JoinConfiguration); every control plane also gets the files its kube-apiserver
 * reads at start (Pod Security admission config, audit policy). etcd hosts get nothing from here.
 *
 * <p>kubeadm decodes strictly: an unknown or misplaced field is fatal. Each field written here exists in
 * kubeadm's Go types of the API version used (v1beta4 from 1.31, v1beta3 before: docs/kubeadm.md "Versions");
 * KubeadmConfigTest names the files checked. Secrets come only from {@link Secrets} and appear only in
 * bootstrapTokens, certificateKey and discovery, which is why both kubeadm files are written 0600.
 */
final class KubeadmConfig {

    static final String INIT_PATH = "/etc/kubernetes/kubeadm/init.yaml";
    static final String JOIN_PATH = "/etc/kubernetes/kubeadm/join.yaml";
    static final String PKI_DIR = "/etc/kubernetes/pki";
    static final String CONTROL_PLANE_TAINT = "node-role.kubernetes.io/control-plane";

    // kubeadm's own defaults, written out so the v1beta3 and v1beta4 files wait the same and a reader
    // sees how long a step may take.
    private static final String CONTROL_PLANE_HEALTH_TIMEOUT = "4m0s";
    private static final String KUBELET_HEALTH_TIMEOUT = "4m0s";
    private static final String API_CALL_TIMEOUT = "1m0s";
    private static final String ETCD_API_CALL_TIMEOUT = "2m0s";
    private static final String TLS_BOOTSTRAP_TIMEOUT = "5m0s";
    private static final String DISCOVERY_TIMEOUT = "5m0s";

    private final ClusterSpec spec;
    private final Secrets secrets;
    private final boolean v1beta4;
    private final String apiVersion;

    private KubeadmConfig(ClusterSpec spec, Secrets secrets) {
        this.spec = spec;
        this.secrets = secrets;
        this.v1beta4 = spec.version().usesV1beta4();
        this.apiVersion = spec.version().kubeadmApiVersion();
    }

    static List<RenderedFile> files(ClusterSpec spec, Secrets secrets) {
        Host first = spec.firstControlPlane();
        // Without a control plane there is nothing to init or join to (the validator reports it).
        if (first == null) return List.of();
        KubeadmConfig c = new KubeadmConfig(spec, secrets);
        List<RenderedFile> out = new ArrayList<>();
        for (Host h : spec.hosts()) {
            if (h.is(Role.CONTROL_PLANE)) {
                out.add(RenderedFile.of(h.name(), PodSecurityConfig.PATH, 0644,
                        PodSecurityConfig.content(spec.security().podSecurity())));
                if (spec.security().apiServer().auditLog()) {
                    out.add(RenderedFile.of(h.name(), AuditPolicy.PATH, 0644, AuditPolicy.CONTENT));
                }
                if (!spec.security().apiServer().anonymousAuth()) {
                    out.add(RenderedFile.of(h.name(), AnonymousAuthConfig.PATH, 0644,
                            AnonymousAuthConfig.content(spec.version())));
                }
            }
            if (h == first) {
                out.add(RenderedFile.secret(h.name(), INIT_PATH, c.init(h)));
            } else if (h.is(Role.CONTROL_PLANE) || h.is(Role.WORKER)) {
                out.add(RenderedFile.secret(h.name(), JOIN_PATH, c.join(h)));
            }
        }
        return out;
    }

    /** kubeadm uploads the control-plane certificates for joining control planes only when it made them. */
    private boolean uploadsCerts() {
        return spec.pki().generatedBy() == PkiGeneratedBy.KUBEADM && spec.controlPlanes().size() > 1;
    }

    private String init(Host h) {
        Map<String, Object> init = map("apiVersion", apiVersion, "kind", "InitConfiguration");
        init.put("bootstrapTokens", new ArrayList<>(List.of(map(
                "token", secrets.bootstrapToken(),
                "ttl", "24h0m0s",
                "usages", new ArrayList<>(List.of("signing", "authentication")),
                "groups", new ArrayList<>(List.of("system:bootstrappers:kubeadm:default-node-token"))))));
        init.put("nodeRegistration", nodeRegistration(h));
        init.put("localAPIEndpoint", localApiEndpoint(h));
        if (uploadsCerts()) init.put("certificateKey", secrets.certificateKey());
        if (v1beta4) {
            init.put("timeouts", map(
                    "controlPlaneComponentHealthCheck", CONTROL_PLANE_HEALTH_TIMEOUT,
                    "kubeletHealthCheck", KUBELET_HEALTH_TIMEOUT,
                    "kubernetesAPICall", API_CALL_TIMEOUT,
                    "etcdAPICall", ETCD_API_CALL_TIMEOUT));
        }
        List<Object> docs = new ArrayList<>(List.of(init, cluster(), KubeadmComponentConfigs.kubelet(spec)));
        // v1beta3 has no proxy.disabled: there the plan runs init with --skip-phases=addon/kube-proxy.
        Map<String, Object> proxy = KubeadmComponentConfigs.kubeProxy(spec);
        if (proxy != null) docs.add(proxy);
        return Yaml.dumpAll(docs);
    }

    private Map<String, Object> cluster() {
        Map<String, Object> c = map("apiVersion", apiVersion, "kind", "ClusterConfiguration",
                "clusterName", spec.cluster().name(),
                "kubernetesVersion", "v" + spec.version());
        String endpoint = spec.cluster().controlPlaneEndpoint();
        if (!endpoint.isEmpty()) c.put("controlPlaneEndpoint", endpoint);
        c.put("imageRepository", Images.repository(spec));
        String dns = Images.dnsRepository(spec);
        if (dns != null) c.put("dns", map("imageRepository", dns));
        c.put("certificatesDir", PKI_DIR);
        if (v1beta4) {
            c.put("encryptionAlgorithm", spec.pki().keyAlgorithm().yaml());
            c.put("certificateValidityPeriod", spec.pki().certificateValidity());
            c.put("caCertificateValidityPeriod", spec.pki().caCertificateValidity());
        }
        c.put("networking", map(
                "podSubnet", spec.network().podSubnet(),
                "serviceSubnet", spec.network().serviceSubnet(),
                "dnsDomain", spec.network().dnsDomain()));
        c.put("etcd", etcd());
        c.put("apiServer", apiServer());
        putIfNotEmpty(c, "controllerManager", controlPlaneComponent(withFeatureGates(new KubeadmArgs()),
                List.of(), spec.components().controllerManager()));
        putIfNotEmpty(c, "scheduler", controlPlaneComponent(withFeatureGates(new KubeadmArgs()),
                List.of(), spec.components().scheduler()));
        if (v1beta4 && spec.network().kubeProxyMode() == KubeProxyMode.DISABLED) {
            c.put("proxy", map("disabled", true));
        }
        return c;
    }

    private Map<String, Object> etcd() {
        if (spec.cluster().topology() == Topology.EXTERNAL_ETCD) {
            List<String> endpoints = new ArrayList<>();
            for (Host e : spec.etcdHosts()) endpoints.add("https://" + HostPort.format(e.internalAddress(), 2379));
            return map("external", map(
                    "endpoints", endpoints,
                    "caFile", PKI_DIR + "/etcd/ca.crt",
                    "certFile", PKI_DIR + "/apiserver-etcd-client.crt",
                    "keyFile", PKI_DIR + "/apiserver-etcd-client.key"));
        }
        Map<String, Object> local = map("dataDir", "/var/lib/etcd");
        KubeadmArgs args = new KubeadmArgs().overriddenBy(spec.components().etcd().extraArgs());
        if (!args.isEmpty()) local.put("extraArgs", args.render(v1beta4));
        return map("local", local);
    }

    private Map<String, Object> apiServer() {
        KubeadmArgs args = new KubeadmArgs().put(PodSecurityConfig.API_SERVER_ARG, PodSecurityConfig.PATH);
        List<Volume> volumes = new ArrayList<>(List.of(PodSecurityConfig.volume()));
        if (!spec.security().apiServer().anonymousAuth()) {
            args.put(AnonymousAuthConfig.API_SERVER_ARG, AnonymousAuthConfig.PATH);
            volumes.add(AnonymousAuthConfig.volume());
        }
        if (spec.security().apiServer().auditLog()) {
            args.putAll(AuditPolicy.apiServerArgs());
            volumes.addAll(AuditPolicy.volumes());
        }
        withFeatureGates(args);
        Map<String, Object> a = controlPlaneComponent(args, volumes, spec.components().apiServer());
        List<String> sans = certSans();
        if (!sans.isEmpty()) a.put("certSANs", sans);
        if (!v1beta4) a.put("timeoutForControlPlane", CONTROL_PLANE_HEALTH_TIMEOUT);
        return a;
    }

    /** The endpoint's host, the VIP kubewizard runs, then the user's extras: every name a client may dial. */
    private List<String> certSans() {
        Set<String> sans = new LinkedHashSet<>();
        String endpoint = spec.cluster().controlPlaneEndpoint();
        if (!endpoint.isEmpty()) sans.add(HostPort.parse(endpoint).host());
        if (spec.cluster().loadBalancer().type().managed() && !spec.cluster().loadBalancer().vip().isEmpty()) {
            sans.add(spec.cluster().loadBalancer().vip());
        }
        sans.addAll(spec.pki().extraCertSANs());
        return new ArrayList<>(sans);
    }

    /** Feature gates of the answers are Kubernetes component gates, not kubeadm's own featureGates field. */
    private KubeadmArgs withFeatureGates(KubeadmArgs args) {
        if (!spec.cluster().featureGates().isEmpty()) {
            args.put("feature-gates", KubeadmComponentConfigs.featureGatesFlag(spec));
        }
        return args;
    }

    private Map<String, Object> controlPlaneComponent(KubeadmArgs ours, List<Volume> ourVolumes, Component user) {
        Map<String, Object> out = new LinkedHashMap<>();
        ours.overriddenBy(user.extraArgs());
        if (!ours.isEmpty()) out.put("extraArgs", ours.render(v1beta4));
        // As with flags, a user volume named like one of ours replaces it.
        Map<String, Volume> volumes = new LinkedHashMap<>();
        for (Volume v : ourVolumes) volumes.put(v.name(), v);
        for (Volume v : user.extraVolumes()) {
            volumes.remove(v.name());
            volumes.put(v.name(), v);
        }
        if (!volumes.isEmpty()) {
            List<Object> list = new ArrayList<>();
            for (Volume v : volumes.values()) {
                Map<String, Object> m = map("name", v.name(), "hostPath", v.hostPath(), "mountPath", v.mountPath(),
                        "readOnly", v.readOnly());
                if (!v.pathType().isEmpty()) m.put("pathType", v.pathType());
                list.add(m);
            }
            out.put("extraVolumes", list);
        }
        return out;
    }

    private static void putIfNotEmpty(Map<String, Object> m, String key, Map<String, Object> value) {
        if (!value.isEmpty()) m.put(key, value);
    }

    private String join(Host h) {
        Map<String, Object> join = map("apiVersion", apiVersion, "kind", "JoinConfiguration");
        join.put("nodeRegistration", nodeRegistration(h));
        Map<String, Object> discovery = map("bootstrapToken", map(
                "token", secrets.bootstrapToken(),
                "apiServerEndpoint", apiServerEndpoint(),
                "caCertHashes", new ArrayList<>(List.of(secrets.caCertHash()))));
        if (!v1beta4) discovery.put("timeout", DISCOVERY_TIMEOUT);
        join.put("discovery", discovery);
        boolean controlPlane = h.is(Role.CONTROL_PLANE);
        if (controlPlane) {
            Map<String, Object> cp = map("localAPIEndpoint", localApiEndpoint(h));
            if (uploadsCerts()) cp.put("certificateKey", secrets.certificateKey());
            join.put("controlPlane", cp);
        }
        if (v1beta4) {
            Map<String, Object> timeouts = new LinkedHashMap<>();
            if (controlPlane) timeouts.put("controlPlaneComponentHealthCheck", CONTROL_PLANE_HEALTH_TIMEOUT);
            timeouts.put("kubeletHealthCheck", KUBELET_HEALTH_TIMEOUT);
            timeouts.put("kubernetesAPICall", API_CALL_TIMEOUT);
            if (controlPlane) timeouts.put("etcdAPICall", ETCD_API_CALL_TIMEOUT);
            timeouts.put("tlsBootstrap", TLS_BOOTSTRAP_TIMEOUT);
            timeouts.put("discovery", DISCOVERY_TIMEOUT);
            join.put("timeouts", timeouts);
        }
        return Yaml.dump(join);
    }

    /** kubeadm's discovery needs host:port; an endpoint without a port is served on the apiserver's port. */
    private String apiServerEndpoint() {
        String endpoint = spec.cluster().controlPlaneEndpoint();
        if (endpoint.isEmpty()) return HostPort.format(spec.firstControlPlane().internalAddress(), Defaults.API_SERVER_PORT);
        HostPort hp = HostPort.parse(endpoint);
        return hp.port() > 0 ? endpoint : HostPort.format(hp.host(), Defaults.API_SERVER_PORT);
    }

    private static Map<String, Object> localApiEndpoint(Host h) {
        return map("advertiseAddress", h.internalAddress(), "bindPort", Defaults.API_SERVER_PORT);
    }

    private Map<String, Object> nodeRegistration(Host h) {
        Map<String, Object> nr = map(
                "name", h.name(),
                // Always given: with more than one CRI socket on a host kubeadm refuses to guess.
                "criSocket", spec.runtime().type().criSocket(),
                "imagePullPolicy", "IfNotPresent");
        // The node IP must be the internal address, not whichever interface holds the default route.
        KubeadmArgs kubelet = new KubeadmArgs().put("node-ip", h.internalAddress());
        String labels = nodeLabels(h);
        if (!labels.isEmpty()) kubelet.put("node-labels", labels);
        nr.put("kubeletExtraArgs", kubelet.render(v1beta4));
        List<Object> taints = taints(h);
        if (taints != null) nr.put("taints", taints);
        return nr;
    }

    /** Sorted, so the flag does not depend on how the labels map was built. */
    private static String nodeLabels(Host h) {
        Map<String, String> labels = new TreeMap<>(h.labels());
        if (!h.zone().isEmpty()) labels.put("topology.kubernetes.io/zone", h.zone());
        StringBuilder sb = new StringBuilder();
        labels.forEach((k, v) -> {
            if (sb.length() > 0) sb.append(',');
            sb.append(k).append('=').append(v);
        });
        return sb.toString();
    }

    /**
     * Null leaves the field out, which kubeadm reads as "the control-plane taint" on a control plane and
     * "no taints" on a worker; an empty list is "no taints" everywhere (docs/kubeadm.md, "Versions").
     */
    private static List<Object> taints(Host h) {
        List<Object> hostTaints = new ArrayList<>();
        for (String t : h.taints()) hostTaints.add(taint(t));
        boolean controlPlane = h.is(Role.CONTROL_PLANE);
        // A control plane that also runs workloads: even an empty list, to drop kubeadm's control-plane taint.
        if (controlPlane && h.is(Role.WORKER)) return hostTaints;
        if (hostTaints.isEmpty()) return null;
        if (!controlPlane) return hostTaints;
        // A list replaces kubeadm's default, so the control-plane taint must be listed with the user's.
        List<Object> out = new ArrayList<>();
        out.add(map("key", CONTROL_PLANE_TAINT, "effect", "NoSchedule"));
        out.addAll(hostTaints);
        return out;
    }

    /** "key[=value]:Effect", as the validator accepts it, into a corev1.Taint. */
    private static Map<String, Object> taint(String text) {
        int colon = text.lastIndexOf(':');
        String keyValue = text.substring(0, colon);
        int eq = keyValue.indexOf('=');
        Map<String, Object> t = map("key", eq < 0 ? keyValue : keyValue.substring(0, eq));
        if (eq >= 0 && eq < keyValue.length() - 1) t.put("value", keyValue.substring(eq + 1));
        t.put("effect", text.substring(colon + 1));
        return t;
    }
}
