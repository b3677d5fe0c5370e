package io.kubewizard.render;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fields the Go types accept, for every document kind kubewizard writes to a kube-apiserver or
 * kubeadm config, so a test can fail on a field kubeadm's strict decoder would reject. Transcribed
 * (field names from the json tags) from these files of kubernetes/kubernetes:
 * <ul>
 *   <li>cmd/kubeadm/app/apis/kubeadm/v1beta4/types.go at 1329935739c3aa007d23cb9a4dadfee9d59ff79b
 *       (InitConfiguration, ClusterConfiguration, JoinConfiguration, Timeouts, Arg, HostPathMount, Proxy)</li>
 *   <li>cmd/kubeadm/app/apis/kubeadm/v1beta3/types.go at 008b3652959ca58af8be3fb5b6ecfe9ae7638282
 *       (extraArgs are maps; APIServer.timeoutForControlPlane; Discovery.timeout; no timeouts, no
 *       encryptionAlgorithm/validity periods, no proxy)</li>
 *   <li>cmd/kubeadm/app/apis/bootstraptoken/v1/types.go at 2d350a359e7b251ffa047415af6bf64350f41888 (BootstrapToken)</li>
 *   <li>staging/src/k8s.io/kubelet/config/v1beta1/types.go (cgroupDriver, containerRuntimeEndpoint, featureGates)</li>
 *   <li>staging/src/k8s.io/kube-proxy/config/v1alpha1/types.go at 052d2d84f95e90aa94868b51a48b1ae7a1c91152
 *       (mode, clusterCIDR, featureGates)</li>
 *   <li>staging/src/k8s.io/pod-security-admission/admission/api/v1/types.go at
 *       4966917a139d6a29f8ef316ceb405b171bb362c2 (PodSecurityConfiguration)</li>
 *   <li>staging/src/k8s.io/apiserver/pkg/apis/apiserver/v1/types.go at 304df40441a07c1b616c601f45a48861161957a4
 *       (AdmissionConfiguration) and staging/src/k8s.io/apiserver/pkg/apis/audit/v1/types.go at
 *       0a40c4e8a5678c0e8f4d01291875b754b0fc76fa (Policy, PolicyRule, GroupResources)</li>
 * </ul>
 * Only the subset of KubeletConfiguration/KubeProxyConfiguration fields kubewizard itself sets is listed:
 * the user's pass-through fields are theirs to get right.
 */
final class KubeadmSchema {
    private KubeadmSchema() {}

    /** A free-form string-keyed map (featureGates, v1beta3 extraArgs). */
    private static final Object ANY_MAP = new Object();
    /** A scalar, or a list of scalars. */
    private static final Object LEAF = new Object();

    private record ListOf(Object element) {}

    private static Map<String, Object> struct(Object... keysAndSchemas) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndSchemas.length; i += 2) m.put((String) keysAndSchemas[i], keysAndSchemas[i + 1]);
        return m;
    }

    private static Map<String, Object> leaves(String... keys) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (String k : keys) m.put(k, LEAF);
        return m;
    }

    private static Map<String, Object> with(Map<String, Object> base, Object... more) {
        Map<String, Object> m = new LinkedHashMap<>(base);
        m.putAll(struct(more));
        return m;
    }

    private static final Map<String, Object> TYPE_META = leaves("apiVersion", "kind");
    private static final Map<String, Object> TAINT = leaves("key", "value", "effect", "timeAdded");
    private static final Map<String, Object> API_ENDPOINT = leaves("advertiseAddress", "bindPort");
    private static final Map<String, Object> BOOTSTRAP_TOKEN =
            leaves("token", "description", "ttl", "expires", "usages", "groups");
    private static final Map<String, Object> HOST_PATH_MOUNT =
            leaves("name", "hostPath", "mountPath", "readOnly", "pathType");
    private static final Map<String, Object> PATCHES = leaves("directory");
    private static final Map<String, Object> EXTERNAL_ETCD = leaves("endpoints", "caFile", "certFile", "keyFile");
    private static final Map<String, Object> NETWORKING = leaves("serviceSubnet", "podSubnet", "dnsDomain");
    private static final Map<String, Object> ARG = leaves("name", "value");
    private static final Map<String, Object> ENV_VAR = leaves("name", "value", "valueFrom");
    private static final Map<String, Object> TIMEOUTS = leaves("controlPlaneComponentHealthCheck",
            "kubeletHealthCheck", "kubernetesAPICall", "etcdAPICall", "tlsBootstrap", "discovery", "upgradeManifests");
    private static final Map<String, Object> TOKEN_DISCOVERY =
            leaves("token", "apiServerEndpoint", "caCertHashes", "unsafeSkipCAVerification");

    private static Map<String, Object> nodeRegistration(boolean v1beta4) {
        Map<String, Object> m = struct("name", LEAF, "criSocket", LEAF, "taints", new ListOf(TAINT),
                "kubeletExtraArgs", v1beta4 ? new ListOf(ARG) : ANY_MAP, "ignorePreflightErrors", LEAF,
                "imagePullPolicy", LEAF);
        if (v1beta4) m.put("imagePullSerial", LEAF);
        return m;
    }

    private static Map<String, Object> component(boolean v1beta4) {
        Map<String, Object> m = struct("extraArgs", v1beta4 ? new ListOf(ARG) : ANY_MAP,
                "extraVolumes", new ListOf(HOST_PATH_MOUNT));
        if (v1beta4) m.put("extraEnvs", new ListOf(ENV_VAR));
        return m;
    }

    private static Map<String, Object> init(boolean v1beta4) {
        Map<String, Object> m = with(TYPE_META, "bootstrapTokens", new ListOf(BOOTSTRAP_TOKEN),
                "nodeRegistration", nodeRegistration(v1beta4), "localAPIEndpoint", API_ENDPOINT,
                "certificateKey", LEAF, "skipPhases", LEAF, "patches", PATCHES);
        if (v1beta4) {
            m.put("dryRun", LEAF);
            m.put("timeouts", TIMEOUTS);
        }
        return m;
    }

    private static Map<String, Object> cluster(boolean v1beta4) {
        Map<String, Object> local = struct("imageRepository", LEAF, "imageTag", LEAF, "dataDir", LEAF,
                "extraArgs", v1beta4 ? new ListOf(ARG) : ANY_MAP, "serverCertSANs", LEAF, "peerCertSANs", LEAF);
        if (v1beta4) local.put("extraEnvs", new ListOf(ENV_VAR));
        Map<String, Object> apiServer = with(component(v1beta4), "certSANs", LEAF);
        if (!v1beta4) apiServer.put("timeoutForControlPlane", LEAF);
        Map<String, Object> dns = leaves("imageRepository", "imageTag");
        if (v1beta4) dns.put("disabled", LEAF);
        Map<String, Object> m = with(TYPE_META, "etcd", struct("local", local, "external", EXTERNAL_ETCD),
                "networking", NETWORKING, "kubernetesVersion", LEAF, "controlPlaneEndpoint", LEAF,
                "apiServer", apiServer, "controllerManager", component(v1beta4), "scheduler", component(v1beta4),
                "dns", dns, "certificatesDir", LEAF, "imageRepository", LEAF, "featureGates", ANY_MAP,
                "clusterName", LEAF);
        if (v1beta4) {
            m.put("proxy", leaves("disabled"));
            m.put("encryptionAlgorithm", LEAF);
            m.put("certificateValidityPeriod", LEAF);
            m.put("caCertificateValidityPeriod", LEAF);
        }
        return m;
    }

    private static Map<String, Object> join(boolean v1beta4) {
        Map<String, Object> discovery = struct("bootstrapToken", TOKEN_DISCOVERY,
                "file", leaves("kubeConfigPath"), "tlsBootstrapToken", LEAF);
        if (!v1beta4) discovery.put("timeout", LEAF);
        Map<String, Object> m = with(TYPE_META, "nodeRegistration", nodeRegistration(v1beta4),
                "caCertPath", LEAF, "discovery", discovery,
                "controlPlane", struct("localAPIEndpoint", API_ENDPOINT, "certificateKey", LEAF),
                "skipPhases", LEAF, "patches", PATCHES);
        if (v1beta4) {
            m.put("dryRun", LEAF);
            m.put("timeouts", TIMEOUTS);
        }
        return m;
    }

    private static final Map<String, Object> GROUP_RESOURCES = leaves("group", "resources", "resourceNames");

    private static final Map<String, Map<String, Object>> BY_TYPE = Map.ofEntries(
            Map.entry("kubeadm.k8s.io/v1beta4 InitConfiguration", init(true)),
            Map.entry("kubeadm.k8s.io/v1beta3 InitConfiguration", init(false)),
            Map.entry("kubeadm.k8s.io/v1beta4 ClusterConfiguration", cluster(true)),
            Map.entry("kubeadm.k8s.io/v1beta3 ClusterConfiguration", cluster(false)),
            Map.entry("kubeadm.k8s.io/v1beta4 JoinConfiguration", join(true)),
            Map.entry("kubeadm.k8s.io/v1beta3 JoinConfiguration", join(false)),
            Map.entry("kubelet.config.k8s.io/v1beta1 KubeletConfiguration",
                    with(TYPE_META, "cgroupDriver", LEAF, "containerRuntimeEndpoint", LEAF, "featureGates", ANY_MAP)),
            Map.entry("kubeproxy.config.k8s.io/v1alpha1 KubeProxyConfiguration",
                    with(TYPE_META, "mode", LEAF, "clusterCIDR", LEAF, "featureGates", ANY_MAP)),
            Map.entry("apiserver.config.k8s.io/v1 AdmissionConfiguration", with(TYPE_META,
                    "plugins", new ListOf(struct("name", LEAF, "path", LEAF, "configuration", with(TYPE_META,
                            "defaults", leaves("enforce", "enforce-version", "audit", "audit-version", "warn",
                                    "warn-version"),
                            "exemptions", leaves("usernames", "namespaces", "runtimeClasses")))))),
            Map.entry("audit.k8s.io/v1 Policy", with(TYPE_META, "metadata", ANY_MAP, "omitStages", LEAF,
                    "omitManagedFields", LEAF, "rules", new ListOf(struct("level", LEAF, "users", LEAF,
                            "userGroups", LEAF, "verbs", LEAF, "resources", new ListOf(GROUP_RESOURCES),
                            "namespaces", LEAF, "nonResourceURLs", LEAF, "omitStages", LEAF,
                            "omitManagedFields", LEAF)))));

    /** Every path in {@code doc} that its type does not have, as "spec.path: reason"; empty when it decodes. */
    static List<String> violations(Map<String, Object> doc) {
        List<String> out = new ArrayList<>();
        String type = doc.get("apiVersion") + " " + doc.get("kind");
        Map<String, Object> schema = BY_TYPE.get(type);
        if (schema == null) {
            out.add("unknown type " + type);
            return out;
        }
        check(type, schema, doc, out);
        return out;
    }

    private static void check(String path, Object schema, Object value, List<String> out) {
        if (schema == LEAF) {
            boolean ok = !(value instanceof Map) && (!(value instanceof List<?> l) || l.stream().noneMatch(
                    e -> e instanceof Map || e instanceof List));
            if (!ok) out.add(path + ": expected a scalar or a list of scalars");
        } else if (schema == ANY_MAP) {
            if (!(value instanceof Map)) out.add(path + ": expected a mapping");
        } else if (schema instanceof ListOf lo) {
            if (!(value instanceof List<?> list)) {
                out.add(path + ": expected a list");
                return;
            }
            for (int i = 0; i < list.size(); i++) check(path + "[" + i + "]", lo.element(), list.get(i), out);
        } else {
            @SuppressWarnings("unchecked")
            Map<String, Object> fields = (Map<String, Object>) schema;
            if (!(value instanceof Map<?, ?> map)) {
                out.add(path + ": expected a mapping");
                return;
            }
            for (Map.Entry<?, ?> e : map.entrySet()) {
                Object sub = fields.get(String.valueOf(e.getKey()));
                if (sub == null) out.add(path + "." + e.getKey() + ": unknown field");
                else check(path + "." + e.getKey(), sub, e.getValue(), out);
            }
        }
    }
}
