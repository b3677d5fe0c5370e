package io.kubewizard.render;

import io.kubewizard.answers.AnswersLoader;
import io.kubewizard.answers.Spec.ClusterSpec;
import io.kubewizard.answers.Spec.RuntimeType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import static io.kubewizard.render.Yaml.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * kubeadm config rendering. Field names were checked against kubeadm's Go types (v1beta4 and v1beta3
 * types.go, bootstraptoken/v1, kubelet v1beta1, kube-proxy v1alpha1, PSA and audit types): the files
 * and commits are listed in {@link KubeadmSchema}, and {@link #everyDocumentDecodesStrictly} holds every
 * rendered document to them.
 *
 * <p>Golden files: src/test/resources/golden/kubeadm/&lt;preset&gt;-&lt;api&gt;.txt hold every file of the
 * three presets for v1beta4 (the presets' 1.35) and v1beta3 (the same preset at 1.30.14). After an
 * intended change, regenerate them and review the diff:
 * {@code mvn -q -B -o test -Dtest=KubeadmConfigTest -Dgolden.update=true}.
 */
class KubeadmConfigTest {

    static final Secrets SECRETS = new Secrets("abcdef.0123456789abcdef",
            "f0e1d2c3b4a5968778695a4b3c2d1e0f00112233445566778899aabbccddeeff",
            "sha256:9a8b7c6d5e4f30211203f4e5d6c7b8a99a8b7c6d5e4f30211203f4e5d6c7b8a9");

    static final String V130 = "1.30.14";
    static final String POD_SECURITY = "/etc/kubernetes/admission/pod-security.yaml";
    static final String AUDIT = "/etc/kubernetes/audit/policy.yaml";
    static final String INIT = "/etc/kubernetes/kubeadm/init.yaml";
    static final String JOIN = "/etc/kubernetes/kubeadm/join.yaml";

    // ---------------------------------------------------------------- helpers

    static ClusterSpec preset(String name) {
        AnswersLoader.Result r = AnswersLoader.load(Path.of("presets/" + name + ".yaml"));
        assertEquals(List.of(), r.errors(), name);
        return r.spec();
    }

    /** A preset with its text edited, loaded through the same validation as a user's file. */
    static ClusterSpec preset(String name, UnaryOperator<String> edit) {
        try {
            String text = edit.apply(Files.readString(Path.of("presets/" + name + ".yaml")));
            AnswersLoader.Result r = AnswersLoader.parse(name + ".yaml", text);
            assertEquals(List.of(), r.errors(), name);
            return r.spec();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    static UnaryOperator<String> version(String v) {
        return replace("kubernetesVersion: 1.35.2", "kubernetesVersion: " + v);
    }

    static UnaryOperator<String> replace(String from, String to) {
        return text -> {
            assertTrue(text.contains(from), "preset text has '" + from + "'");
            return text.replace(from, to);
        };
    }

    static UnaryOperator<String> all(List<UnaryOperator<String>> edits) {
        return text -> {
            for (UnaryOperator<String> e : edits) text = e.apply(text);
            return text;
        };
    }

    static List<RenderedFile> render(ClusterSpec spec) {
        return KubeadmConfig.files(spec, SECRETS);
    }

    static RenderedFile file(List<RenderedFile> files, String host, String path) {
        return files.stream().filter(f -> f.host().equals(host) && f.path().equals(path)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + path + " on " + host));
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> docs(RenderedFile f) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object o : new org.yaml.snakeyaml.Yaml().loadAll(f.content())) out.add((Map<String, Object>) o);
        return out;
    }

    static Map<String, Object> doc(List<RenderedFile> files, String host, String path, String kind) {
        return docs(file(files, host, path)).stream().filter(d -> kind.equals(d.get("kind"))).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " in " + path + " of " + host));
    }

    /** Follows a dotted path through nested maps: get(doc, "apiServer.extraArgs"). */
    @SuppressWarnings("unchecked")
    static Object get(Map<String, Object> doc, String dotted) {
        Object at = doc;
        for (String k : dotted.split("\\.")) {
            if (!(at instanceof Map)) return null;
            at = ((Map<String, Object>) at).get(k);
        }
        return at;
    }

    static List<String> kinds(RenderedFile f) {
        return docs(f).stream().map(d -> (String) d.get("kind")).toList();
    }

    /** host path mode [secret], one line per file: the shape of the output without its text. */
    static List<String> layout(List<RenderedFile> files) {
        return files.stream().map(f -> f.host() + " " + f.path() + " " + f.modeString() + (f.secret() ? " secret" : ""))
                .toList();
    }

    static Map<String, Object> arg(String name, String value) { return map("name", name, "value", value); }

    // ---------------------------------------------------------------- which files, where

    @Test
    void singleNodeGetsPodSecurityAndInit() {
        assertEquals(List.of(
                "node1 " + POD_SECURITY + " 0644",
                "node1 " + INIT + " 0600 secret"), layout(render(preset("single-node"))));
    }

    @Test
    void haStackedInitsTheFirstControlPlaneAndJoinsTheRest() {
        assertEquals(List.of(
                "cp1 " + POD_SECURITY + " 0644",
                "cp1 " + INIT + " 0600 secret",
                "cp2 " + POD_SECURITY + " 0644",
                "cp2 " + JOIN + " 0600 secret",
                "cp3 " + POD_SECURITY + " 0644",
                "cp3 " + JOIN + " 0600 secret",
                "worker1 " + JOIN + " 0600 secret",
                "worker2 " + JOIN + " 0600 secret"), layout(render(preset("ha-stacked"))));
    }

    @Test
    void haExternalEtcdGivesEtcdHostsNothingAndControlPlanesTheAuditPolicy() {
        assertEquals(List.of(
                "cp1 " + POD_SECURITY + " 0644",
                "cp1 " + AUDIT + " 0644",
                "cp1 " + INIT + " 0600 secret",
                "cp2 " + POD_SECURITY + " 0644",
                "cp2 " + AUDIT + " 0644",
                "cp2 " + JOIN + " 0600 secret",
                "cp3 " + POD_SECURITY + " 0644",
                "cp3 " + AUDIT + " 0644",
                "cp3 " + JOIN + " 0600 secret",
                "worker1 " + JOIN + " 0600 secret",
                "worker2 " + JOIN + " 0600 secret",
                "worker3 " + JOIN + " 0600 secret"), layout(render(preset("ha-external-etcd"))));
    }

    @Test
    void initHoldsFourDocumentsInOrderAndJoinOne() {
        List<RenderedFile> files = render(preset("ha-stacked"));
        assertEquals(List.of("InitConfiguration", "ClusterConfiguration", "KubeletConfiguration", "KubeProxyConfiguration"),
                kinds(file(files, "cp1", INIT)));
        assertEquals(List.of("JoinConfiguration"), kinds(file(files, "cp2", JOIN)));
        assertEquals(List.of("JoinConfiguration"), kinds(file(files, "worker1", JOIN)));
    }

    // ---------------------------------------------------------------- API versions

    @Test
    void v1beta4WritesArgsAsListsTimeoutsAndPkiSettings() {
        List<RenderedFile> files = render(preset("ha-stacked"));
        Map<String, Object> init = doc(files, "cp1", INIT, "InitConfiguration");
        Map<String, Object> cluster = doc(files, "cp1", INIT, "ClusterConfiguration");
        Map<String, Object> join = doc(files, "cp2", JOIN, "JoinConfiguration");
        Map<String, Object> workerJoin = doc(files, "worker1", JOIN, "JoinConfiguration");

        for (Map<String, Object> d : List.of(init, cluster, join)) assertEquals("kubeadm.k8s.io/v1beta4", d.get("apiVersion"));
        assertEquals(List.of(arg("admission-control-config-file", POD_SECURITY)), get(cluster, "apiServer.extraArgs"));
        assertEquals(List.of(arg("node-ip", "10.0.0.11"), arg("node-labels", "topology.kubernetes.io/zone=zone-a")),
                get(init, "nodeRegistration.kubeletExtraArgs"));
        assertEquals(map("controlPlaneComponentHealthCheck", "4m0s", "kubeletHealthCheck", "4m0s",
                "kubernetesAPICall", "1m0s", "etcdAPICall", "2m0s"), init.get("timeouts"));
        assertEquals(map("controlPlaneComponentHealthCheck", "4m0s", "kubeletHealthCheck", "4m0s",
                "kubernetesAPICall", "1m0s", "etcdAPICall", "2m0s", "tlsBootstrap", "5m0s", "discovery", "5m0s"),
                join.get("timeouts"));
        assertEquals(map("kubeletHealthCheck", "4m0s", "kubernetesAPICall", "1m0s", "tlsBootstrap", "5m0s",
                "discovery", "5m0s"), workerJoin.get("timeouts"));
        assertNull(get(cluster, "apiServer.timeoutForControlPlane"));
        assertNull(get(join, "discovery.timeout"));
        assertEquals("RSA-2048", cluster.get("encryptionAlgorithm"));
        assertEquals("8760h", cluster.get("certificateValidityPeriod"));
        assertEquals("87600h", cluster.get("caCertificateValidityPeriod"));
    }

    @Test
    void v1beta3WritesArgsAsMapsOldTimeoutsAndNoV1beta4Fields() {
        List<RenderedFile> files = render(preset("ha-stacked", version(V130)));
        Map<String, Object> init = doc(files, "cp1", INIT, "InitConfiguration");
        Map<String, Object> cluster = doc(files, "cp1", INIT, "ClusterConfiguration");
        Map<String, Object> join = doc(files, "cp2", JOIN, "JoinConfiguration");

        for (Map<String, Object> d : List.of(init, cluster, join)) assertEquals("kubeadm.k8s.io/v1beta3", d.get("apiVersion"));
        assertEquals("v1.30.14", cluster.get("kubernetesVersion"));
        assertEquals(map("admission-control-config-file", POD_SECURITY), get(cluster, "apiServer.extraArgs"));
        assertEquals(map("node-ip", "10.0.0.11", "node-labels", "topology.kubernetes.io/zone=zone-a"),
                get(init, "nodeRegistration.kubeletExtraArgs"));
        assertEquals(map("node-ip", "10.0.0.12", "node-labels", "topology.kubernetes.io/zone=zone-b"),
                get(join, "nodeRegistration.kubeletExtraArgs"));
        assertEquals("4m0s", get(cluster, "apiServer.timeoutForControlPlane"));
        assertEquals("5m0s", get(join, "discovery.timeout"));
        for (String absent : List.of("encryptionAlgorithm", "certificateValidityPeriod", "caCertificateValidityPeriod", "proxy")) {
            assertFalse(cluster.containsKey(absent), absent);
        }
        assertFalse(init.containsKey("timeouts"));
        assertFalse(join.containsKey("timeouts"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"single-node", "ha-stacked", "ha-external-etcd"})
    void everyDocumentDecodesStrictly(String name) {
        for (String v : List.of("1.35.2", V130)) {
            for (RenderedFile f : render(preset(name, version(v)))) {
                for (Map<String, Object> d : docs(f)) {
                    assertEquals(List.of(), KubeadmSchema.violations(d), name + " " + v + " " + f.host() + " " + f.path());
                }
            }
        }
    }

    @Test
    void theSchemaCatchesMisplacedFields() {
        Map<String, Object> cluster = map("apiVersion", "kubeadm.k8s.io/v1beta3", "kind", "ClusterConfiguration",
                "encryptionAlgorithm", "RSA-2048",
                "apiServer", map("extraArgs", List.of(arg("a", "b"))));
        assertEquals(List.of("kubeadm.k8s.io/v1beta3 ClusterConfiguration.encryptionAlgorithm: unknown field",
                "kubeadm.k8s.io/v1beta3 ClusterConfiguration.apiServer.extraArgs: expected a mapping"),
                KubeadmSchema.violations(cluster));
    }

    // ---------------------------------------------------------------- nodeRegistration

    @Test
    void singleNodeThatRunsWorkloadsHasAnEmptyTaintList() {
        RenderedFile init = file(render(preset("single-node")), "node1", INIT);
        assertEquals(List.of(), get(docs(init).get(0), "nodeRegistration.taints"));
        assertTrue(init.content().contains("\n  taints: []\n"), init.content());
    }

    @Test
    void controlPlanesWithoutWorkerRoleAndWorkersWithoutTaintsLeaveTaintsToKubeadm() {
        List<RenderedFile> files = render(preset("ha-stacked"));
        assertFalse(((Map<?, ?>) get(doc(files, "cp1", INIT, "InitConfiguration"), "nodeRegistration")).containsKey("taints"));
        assertFalse(((Map<?, ?>) get(doc(files, "cp2", JOIN, "JoinConfiguration"), "nodeRegistration")).containsKey("taints"));
        assertFalse(((Map<?, ?>) get(doc(files, "worker1", JOIN, "JoinConfiguration"), "nodeRegistration")).containsKey("taints"));
    }

    @Test
    void hostTaintsKeepTheControlPlaneTaintOnDedicatedControlPlanes() {
        ClusterSpec spec = preset("ha-stacked", all(List.of(
                replace("    roles: [control-plane]\n    zone: zone-a\n    labels: {}\n    taints: []",
                        "    roles: [control-plane]\n    zone: zone-a\n    labels: {}\n    taints: [dedicated=infra:NoSchedule]"),
                replace("    roles: [worker]\n    zone: zone-a\n    labels: {}\n    taints: []",
                        "    roles: [worker]\n    zone: zone-a\n    labels: {}\n    taints: ['gpu:NoExecute', 'pool=:PreferNoSchedule']"))));
        List<RenderedFile> files = render(spec);
        assertEquals(List.of(
                        map("key", "node-role.kubernetes.io/control-plane", "effect", "NoSchedule"),
                        map("key", "dedicated", "value", "infra", "effect", "NoSchedule")),
                get(doc(files, "cp1", INIT, "InitConfiguration"), "nodeRegistration.taints"));
        assertEquals(List.of(map("key", "gpu", "effect", "NoExecute"), map("key", "pool", "effect", "PreferNoSchedule")),
                get(doc(files, "worker1", JOIN, "JoinConfiguration"), "nodeRegistration.taints"));
    }

    @Test
    void aControlPlaneThatIsAlsoAWorkerGetsOnlyItsOwnTaints() {
        ClusterSpec spec = preset("single-node", replace("taints: []", "taints: ['maintenance=true:PreferNoSchedule']"));
        assertEquals(List.of(map("key", "maintenance", "value", "true", "effect", "PreferNoSchedule")),
                get(doc(render(spec), "node1", INIT, "InitConfiguration"), "nodeRegistration.taints"));
    }

    @Test
    void nodeLabelsAreSortedWithTheZone() {
        ClusterSpec spec = preset("ha-stacked", replace(
                "  - name: worker2\n    address: 10.0.0.22\n    internalAddress: 10.0.0.22\n    roles: [worker]\n    zone: zone-b\n    labels: {}",
                "  - name: worker2\n    address: 10.0.0.22\n    internalAddress: 10.0.0.22\n    roles: [worker]\n    zone: zone-b\n    labels: {tier: web, disk: ssd}"));
        assertEquals(List.of(arg("node-ip", "10.0.0.22"),
                        arg("node-labels", "disk=ssd,tier=web,topology.kubernetes.io/zone=zone-b")),
                get(doc(render(spec), "worker2", JOIN, "JoinConfiguration"), "nodeRegistration.kubeletExtraArgs"));
    }

    @ParameterizedTest
    @EnumSource(RuntimeType.class)
    void criSocketAndKubeletRuntimeEndpointFollowTheRuntime(RuntimeType runtime) {
        ClusterSpec spec = preset("ha-stacked", replace("type: containerd", "type: " + runtime.yaml()));
        List<RenderedFile> files = render(spec);
        assertEquals(runtime.criSocket(), get(doc(files, "cp1", INIT, "InitConfiguration"), "nodeRegistration.criSocket"));
        assertEquals(runtime.criSocket(), get(doc(files, "cp2", JOIN, "JoinConfiguration"), "nodeRegistration.criSocket"));
        assertEquals(runtime.criSocket(), get(doc(files, "worker1", JOIN, "JoinConfiguration"), "nodeRegistration.criSocket"));
        assertEquals(runtime.criSocket(), doc(files, "cp1", INIT, "KubeletConfiguration").get("containerRuntimeEndpoint"));
    }

    // ---------------------------------------------------------------- ClusterConfiguration

    @Test
    void externalEtcdEndpointsAreTheEtcdHostsInFileOrder() {
        ClusterSpec spec = preset("ha-external-etcd");
        Map<String, Object> cluster = doc(render(spec), "cp1", INIT, "ClusterConfiguration");
        List<String> expected = spec.etcdHosts().stream().map(h -> "https://" + h.internalAddress() + ":2379").toList();
        assertEquals(List.of("https://10.0.0.31:2379", "https://10.0.0.32:2379", "https://10.0.0.33:2379"), expected);
        assertEquals(map("external", map("endpoints", expected,
                "caFile", "/etc/kubernetes/pki/etcd/ca.crt",
                "certFile", "/etc/kubernetes/pki/apiserver-etcd-client.crt",
                "keyFile", "/etc/kubernetes/pki/apiserver-etcd-client.key")), cluster.get("etcd"));
    }

    @Test
    void stackedEtcdIsLocalWithTheUsersArgs() {
        ClusterSpec spec = preset("ha-stacked", replace("  etcd:\n    extraArgs: {}",
                "  etcd:\n    extraArgs: {quota-backend-bytes: '8589934592'}"));
        assertEquals(map("local", map("dataDir", "/var/lib/etcd",
                        "extraArgs", List.of(arg("quota-backend-bytes", "8589934592")))),
                doc(render(spec), "cp1", INIT, "ClusterConfiguration").get("etcd"));
    }

    @Test
    void podSubnetIsKubeProxysClusterCidr() {
        ClusterSpec spec = preset("ha-stacked", replace("podSubnet: 192.168.0.0/16", "podSubnet: 10.244.0.0/16"));
        List<RenderedFile> files = render(spec);
        assertEquals("10.244.0.0/16", get(doc(files, "cp1", INIT, "ClusterConfiguration"), "networking.podSubnet"));
        assertEquals("10.244.0.0/16", doc(files, "cp1", INIT, "KubeProxyConfiguration").get("clusterCIDR"));
    }

    @Test
    void networkingAndIdentity() {
        Map<String, Object> cluster = doc(render(preset("ha-stacked")), "cp1", INIT, "ClusterConfiguration");
        assertEquals("ha-stacked", cluster.get("clusterName"));
        assertEquals("v1.35.2", cluster.get("kubernetesVersion"));
        assertEquals("10.0.0.100:6443", cluster.get("controlPlaneEndpoint"));
        assertEquals("registry.k8s.io", cluster.get("imageRepository"));
        assertEquals("/etc/kubernetes/pki", cluster.get("certificatesDir"));
        assertEquals(map("podSubnet", "192.168.0.0/16", "serviceSubnet", "10.96.0.0/12", "dnsDomain", "cluster.local"),
                cluster.get("networking"));
        assertFalse(doc(render(preset("single-node")), "node1", INIT, "ClusterConfiguration").containsKey("controlPlaneEndpoint"));
    }

    @Test
    void certSansAreEndpointHostVipAndExtrasWithoutRepeats() {
        assertEquals(List.of("10.0.0.100", "api.ha-stacked.example.com"),
                get(doc(render(preset("ha-stacked")), "cp1", INIT, "ClusterConfiguration"), "apiServer.certSANs"));
        ClusterSpec byName = preset("ha-stacked", all(List.of(
                replace("controlPlaneEndpoint: 10.0.0.100:6443", "controlPlaneEndpoint: api.ha-stacked.example.com:6443"),
                replace("extraCertSANs: [api.ha-stacked.example.com]", "extraCertSANs: [10.0.0.100, k8s.example.com]"))));
        assertEquals(List.of("api.ha-stacked.example.com", "10.0.0.100", "k8s.example.com"),
                get(doc(render(byName), "cp1", INIT, "ClusterConfiguration"), "apiServer.certSANs"));
        assertNull(get(doc(render(preset("single-node")), "node1", INIT, "ClusterConfiguration"), "apiServer.certSANs"));
    }

    @Test
    void featureGatesReachEveryComponentSorted() {
        ClusterSpec spec = preset("ha-stacked", replace("featureGates: {}", "featureGates: {ZetaGate: false, AlphaGate: true}"));
        List<RenderedFile> files = render(spec);
        Map<String, Object> cluster = doc(files, "cp1", INIT, "ClusterConfiguration");
        assertEquals(List.of(arg("admission-control-config-file", POD_SECURITY),
                arg("feature-gates", "AlphaGate=true,ZetaGate=false")), get(cluster, "apiServer.extraArgs"));
        assertEquals(map("extraArgs", List.of(arg("feature-gates", "AlphaGate=true,ZetaGate=false"))),
                cluster.get("controllerManager"));
        assertEquals(map("extraArgs", List.of(arg("feature-gates", "AlphaGate=true,ZetaGate=false"))),
                cluster.get("scheduler"));
        // kubeadm's own featureGates field is for kubeadm's gates, not the components'.
        assertFalse(cluster.containsKey("featureGates"));
        assertEquals(map("AlphaGate", true, "ZetaGate", false), doc(files, "cp1", INIT, "KubeletConfiguration").get("featureGates"));
        assertEquals(map("AlphaGate", true, "ZetaGate", false), doc(files, "cp1", INIT, "KubeProxyConfiguration").get("featureGates"));
        assertFalse(doc(render(preset("ha-stacked")), "cp1", INIT, "ClusterConfiguration").containsKey("controllerManager"));
    }

    @Test
    void anonymousAuthOffAndUserArgsComeAfterOursReplacingSameNames() {
        ClusterSpec spec = preset("ha-stacked", all(List.of(
                replace("anonymousAuth: true", "anonymousAuth: false"),
                replace("featureGates: {}", "featureGates: {AlphaGate: true}"),
                replace("  apiServer:\n    extraArgs: {}", "  apiServer:\n    extraArgs: {feature-gates: 'BetaGate=true', v: '2'}"),
                replace("  scheduler:\n    extraArgs: {}", "  scheduler:\n    extraArgs: {v: '4'}"))));
        List<RenderedFile> files = render(spec);
        Map<String, Object> cluster = doc(files, "cp1", INIT, "ClusterConfiguration");
        // not --anonymous-auth=false: it would cut kubelet's health probes and join discovery (AnonymousAuthConfig)
        assertEquals(List.of(arg("admission-control-config-file", POD_SECURITY),
                arg("authentication-config", "/etc/kubernetes/authentication/authentication-config.yaml"),
                arg("feature-gates", "BetaGate=true"), arg("v", "2")), get(cluster, "apiServer.extraArgs"));
        assertEquals(map("name", "authentication-config", "hostPath", "/etc/kubernetes/authentication",
                "mountPath", "/etc/kubernetes/authentication", "readOnly", true, "pathType", "DirectoryOrCreate"),
                ((List<?>) get(cluster, "apiServer.extraVolumes")).get(1));
        assertEquals(List.of(arg("feature-gates", "AlphaGate=true"), arg("v", "4")), get(cluster, "scheduler.extraArgs"));
        for (String cp : List.of("cp1", "cp2", "cp3")) {
            RenderedFile authn = files.stream().filter(f -> f.host().equals(cp)
                    && f.path().equals("/etc/kubernetes/authentication/authentication-config.yaml")).findFirst().orElseThrow();
            assertEquals(0644, authn.mode());
            assertEquals("""
                    apiVersion: apiserver.config.k8s.io/v1
                    kind: AuthenticationConfiguration
                    anonymous:
                      enabled: true
                      conditions:
                      - path: /livez
                      - path: /readyz
                      - path: /healthz
                      - path: /api/v1/namespaces/kube-public/configmaps/cluster-info
                    """, authn.content());
        }
        assertFalse(files.stream().anyMatch(f -> f.host().startsWith("worker") && f.path().contains("authentication")));
    }

    @Test
    void anonymousAuthConfigUsesTheBetaApiBefore134() {
        ClusterSpec spec = preset("ha-stacked", all(List.of(
                replace("anonymousAuth: true", "anonymousAuth: false"),
                replace("kubernetesVersion: 1.35.2", "kubernetesVersion: 1.33.5"))));
        RenderedFile authn = render(spec).stream()
                .filter(f -> f.path().equals("/etc/kubernetes/authentication/authentication-config.yaml")).findFirst().orElseThrow();
        assertTrue(authn.content().startsWith("apiVersion: apiserver.config.k8s.io/v1beta1\nkind: AuthenticationConfiguration\n"));
    }

    @Test
    void userVolumesFollowOursAndAVolumeWithOurNameReplacesIt() {
        ClusterSpec spec = preset("ha-stacked", all(List.of(
                replace("  apiServer:\n    extraArgs: {}\n    extraVolumes: []", "  apiServer:\n    extraArgs: {}\n"
                        + "    extraVolumes:\n"
                        + "      - {name: oidc, hostPath: /etc/oidc, mountPath: /etc/oidc, readOnly: true}\n"
                        + "      - {name: admission-config, hostPath: /srv/admission, mountPath: /etc/kubernetes/admission,"
                        + " readOnly: true, pathType: Directory}"),
                replace("  controllerManager:\n    extraArgs: {}\n    extraVolumes: []", "  controllerManager:\n"
                        + "    extraArgs: {}\n    extraVolumes:\n"
                        + "      - {name: flex, hostPath: /usr/libexec/flex, mountPath: /usr/libexec/flex,"
                        + " pathType: DirectoryOrCreate}"))));
        Map<String, Object> cluster = doc(render(spec), "cp1", INIT, "ClusterConfiguration");
        assertEquals(List.of(
                map("name", "oidc", "hostPath", "/etc/oidc", "mountPath", "/etc/oidc", "readOnly", true),
                map("name", "admission-config", "hostPath", "/srv/admission", "mountPath", "/etc/kubernetes/admission",
                        "readOnly", true, "pathType", "Directory")), get(cluster, "apiServer.extraVolumes"));
        assertEquals(map("extraVolumes", List.of(map("name", "flex", "hostPath", "/usr/libexec/flex",
                "mountPath", "/usr/libexec/flex", "readOnly", false, "pathType", "DirectoryOrCreate"))),
                cluster.get("controllerManager"));
    }

    // ---------------------------------------------------------------- kubelet and kube-proxy

    @Test
    void kubeletConfigMergesTheUsersSettingsButKeepsTheCgroupDriver() {
        ClusterSpec spec = preset("ha-stacked", all(List.of(
                replace("featureGates: {}", "featureGates: {AlphaGate: true}"),
                replace("cgroupDriver: systemd", "cgroupDriver: cgroupfs"),
                replace("  kubelet: {}", "  kubelet: {maxPods: 200, featureGates: {BetaGate: false}, "
                        + "evictionHard: {memory.available: 200Mi}}"))));
        assertEquals(map("apiVersion", "kubelet.config.k8s.io/v1beta1", "kind", "KubeletConfiguration",
                        "cgroupDriver", "cgroupfs",
                        "containerRuntimeEndpoint", "unix:///var/run/containerd/containerd.sock",
                        "featureGates", map("AlphaGate", true, "BetaGate", false),
                        "maxPods", 200,
                        "evictionHard", map("memory.available", "200Mi")),
                doc(render(spec), "cp1", INIT, "KubeletConfiguration"));
    }

    @Test
    void theKubeletCgroupDriverStaysTheRuntimesEvenInAnUnvalidatedSpec() {
        ClusterSpec valid = preset("ha-stacked");
        ClusterSpec forced = new ClusterSpec(valid.cluster(), valid.network(), valid.runtime(), valid.pki(),
                valid.security(), new io.kubewizard.answers.Spec.Components(valid.components().apiServer(),
                valid.components().controllerManager(), valid.components().scheduler(), valid.components().etcd(),
                Map.of("cgroupDriver", "cgroupfs"), Map.of()), valid.ssh(), valid.hosts());
        assertEquals("systemd", KubeadmComponentConfigs.kubelet(forced).get("cgroupDriver"));
    }

    @Test
    void kubeProxyConfigTakesTheModeAndMergesTheUsersSettings() {
        ClusterSpec spec = preset("ha-stacked", all(List.of(
                replace("kubeProxyMode: iptables", "kubeProxyMode: ipvs"),
                replace("  kubeProxy: {}", "  kubeProxy: {ipvs: {scheduler: lc}}"))));
        assertEquals(map("apiVersion", "kubeproxy.config.k8s.io/v1alpha1", "kind", "KubeProxyConfiguration",
                        "mode", "ipvs", "clusterCIDR", "192.168.0.0/16", "ipvs", map("scheduler", "lc")),
                doc(render(spec), "cp1", INIT, "KubeProxyConfiguration"));
    }

    @Test
    void ciliumWithoutKubeProxyDisablesTheAddonInV1beta4AndDropsItsConfig() {
        UnaryOperator<String> cilium = all(List.of(replace("cni: calico", "cni: cilium"),
                replace("kubeProxyMode: iptables", "kubeProxyMode: disabled")));
        List<RenderedFile> files = render(preset("ha-stacked", cilium));
        RenderedFile init = file(files, "cp1", INIT);
        assertEquals(List.of("InitConfiguration", "ClusterConfiguration", "KubeletConfiguration"), kinds(init));
        assertEquals(map("disabled", true), doc(files, "cp1", INIT, "ClusterConfiguration").get("proxy"));

        List<RenderedFile> old = render(preset("ha-stacked", all(List.of(cilium, version(V130)))));
        assertEquals(List.of("InitConfiguration", "ClusterConfiguration", "KubeletConfiguration"),
                kinds(file(old, "cp1", INIT)));
        assertFalse(doc(old, "cp1", INIT, "ClusterConfiguration").containsKey("proxy"));
    }

    @Test
    void proxyIsNotMentionedWhenKubeProxyRuns() {
        assertFalse(doc(render(preset("ha-stacked")), "cp1", INIT, "ClusterConfiguration").containsKey("proxy"));
    }

    // ---------------------------------------------------------------- Pod Security and audit

    @Test
    void podSecurityFileIsExactAndOnEveryControlPlane() {
        ClusterSpec spec = preset("ha-stacked", all(List.of(
                replace("enforce: baseline", "enforce: restricted"),
                replace("exemptNamespaces: [kube-system]", "exemptNamespaces: [kube-system, tigera-operator]"))));
        List<RenderedFile> files = render(spec);
        String expected = """
                apiVersion: apiserver.config.k8s.io/v1
                kind: AdmissionConfiguration
                plugins:
                - name: PodSecurity
                  configuration:
                    apiVersion: pod-security.admission.config.k8s.io/v1
                    kind: PodSecurityConfiguration
                    defaults:
                      enforce: restricted
                      enforce-version: latest
                      audit: restricted
                      audit-version: latest
                      warn: restricted
                      warn-version: latest
                    exemptions:
                      usernames: []
                      runtimeClasses: []
                      namespaces:
                      - kube-system
                      - tigera-operator
                """;
        for (String cp : List.of("cp1", "cp2", "cp3")) assertEquals(expected, file(files, cp, POD_SECURITY).content());
        assertTrue(files.stream().noneMatch(f -> f.host().startsWith("worker") && f.path().equals(POD_SECURITY)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.35.2", V130})
    @SuppressWarnings("unchecked")
    void podSecurityAndAuditFilesAreInsideTheVolumesThatMountThem(String v) {
        ClusterSpec spec = preset("ha-external-etcd", version(v));
        List<RenderedFile> files = render(spec);
        Map<String, Object> apiServer = (Map<String, Object>) get(doc(files, "cp1", INIT, "ClusterConfiguration"), "apiServer");
        Map<String, String> args = argsOf(apiServer.get("extraArgs"));
        List<Map<String, Object>> volumes = (List<Map<String, Object>>) apiServer.get("extraVolumes");

        assertEquals(POD_SECURITY, args.get("admission-control-config-file"));
        assertEquals(AUDIT, args.get("audit-policy-file"));
        assertEquals("/var/log/kubernetes/audit/audit.log", args.get("audit-log-path"));
        assertEquals("30", args.get("audit-log-maxage"));
        assertEquals("10", args.get("audit-log-maxbackup"));
        assertEquals("100", args.get("audit-log-maxsize"));
        assertEquals(List.of(
                map("name", "admission-config", "hostPath", "/etc/kubernetes/admission",
                        "mountPath", "/etc/kubernetes/admission", "readOnly", true, "pathType", "DirectoryOrCreate"),
                map("name", "audit-policy", "hostPath", "/etc/kubernetes/audit",
                        "mountPath", "/etc/kubernetes/audit", "readOnly", true, "pathType", "DirectoryOrCreate"),
                map("name", "audit-log", "hostPath", "/var/log/kubernetes/audit",
                        "mountPath", "/var/log/kubernetes/audit", "readOnly", false, "pathType", "DirectoryOrCreate")),
                volumes);
        // The path the apiserver is told must be inside a mount whose host side holds the rendered file.
        for (String flag : List.of("admission-control-config-file", "audit-policy-file", "audit-log-path")) {
            String path = args.get(flag);
            Map<String, Object> mount = volumes.stream()
                    .filter(m -> path.startsWith(m.get("mountPath") + "/")).findFirst()
                    .orElseThrow(() -> new AssertionError(flag + " " + path + " is in no mounted volume"));
            String onHost = mount.get("hostPath") + path.substring(((String) mount.get("mountPath")).length());
            if (!flag.equals("audit-log-path")) {
                assertEquals(true, mount.get("readOnly"), flag);
                for (String cp : List.of("cp1", "cp2", "cp3")) assertNotNull(file(files, cp, onHost));
            } else {
                assertEquals(false, mount.get("readOnly"), "the apiserver writes its audit log");
            }
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, String> argsOf(Object extraArgs) {
        if (extraArgs instanceof Map<?, ?> m) return (Map<String, String>) m;
        Map<String, String> out = new java.util.LinkedHashMap<>();
        for (Map<String, String> a : (List<Map<String, String>>) extraArgs) out.put(a.get("name"), a.get("value"));
        return out;
    }

    @Test
    void auditPolicyOmitsRequestReceivedAndEndsWithMetadata() {
        RenderedFile policy = file(render(preset("ha-external-etcd")), "cp1", AUDIT);
        assertEquals(AuditPolicy.CONTENT, policy.content());
        Map<String, Object> d = docs(policy).get(0);
        assertEquals(List.of("RequestReceived"), d.get("omitStages"));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> rules = (List<Map<String, Object>>) d.get("rules");
        assertEquals(List.of("None", "None", "None", "None", "None", "Metadata", "RequestResponse", "Metadata"),
                rules.stream().map(r -> r.get("level")).toList());
        assertEquals(map("level", "Metadata", "resources", List.of(
                        map("group", "", "resources", List.of("secrets", "configmaps", "serviceaccounts/token")),
                        map("group", "authentication.k8s.io", "resources", List.of("tokenreviews")))),
                rules.get(5));
        assertEquals(map("level", "RequestResponse", "verbs", List.of("create", "update", "patch", "delete", "deletecollection")),
                rules.get(6));
        assertEquals(map("level", "Metadata"), rules.get(7));
    }

    @Test
    void noAuditWiringWithoutAuditLog() {
        List<RenderedFile> files = render(preset("ha-stacked"));
        assertTrue(files.stream().noneMatch(f -> f.path().equals(AUDIT)));
        String cluster = file(files, "cp1", INIT).content();
        assertFalse(cluster.contains("audit"), cluster);
    }

    // ---------------------------------------------------------------- discovery and secrets

    @Test
    void workerJoinIsExact() {
        assertEquals("""
                apiVersion: kubeadm.k8s.io/v1beta4
                kind: JoinConfiguration
                nodeRegistration:
                  name: worker1
                  criSocket: unix:///var/run/containerd/containerd.sock
                  imagePullPolicy: IfNotPresent
                  kubeletExtraArgs:
                  - name: node-ip
                    value: 10.0.0.21
                discovery:
                  bootstrapToken:
                    token: abcdef.0123456789abcdef
                    apiServerEndpoint: 10.0.0.100:8443
                    caCertHashes:
                    - sha256:9a8b7c6d5e4f30211203f4e5d6c7b8a99a8b7c6d5e4f30211203f4e5d6c7b8a9
                timeouts:
                  kubeletHealthCheck: 4m0s
                  kubernetesAPICall: 1m0s
                  tlsBootstrap: 5m0s
                  discovery: 5m0s
                """, file(render(preset("ha-external-etcd")), "worker1", JOIN).content());
    }

    @Test
    void initBootstrapTokenAndLocalEndpoint() {
        Map<String, Object> init = doc(render(preset("ha-stacked")), "cp1", INIT, "InitConfiguration");
        assertEquals(List.of(map("token", "abcdef.0123456789abcdef", "ttl", "24h0m0s",
                "usages", List.of("signing", "authentication"),
                "groups", List.of("system:bootstrappers:kubeadm:default-node-token"))), init.get("bootstrapTokens"));
        assertEquals(map("advertiseAddress", "10.0.0.11", "bindPort", 6443), init.get("localAPIEndpoint"));
        assertEquals("IfNotPresent", get(init, "nodeRegistration.imagePullPolicy"));
        assertEquals("cp1", get(init, "nodeRegistration.name"));
    }

    @Test
    void controlPlaneJoinAdvertisesItsInternalAddress() {
        Map<String, Object> join = doc(render(preset("ha-stacked")), "cp3", JOIN, "JoinConfiguration");
        assertEquals(map("localAPIEndpoint", map("advertiseAddress", "10.0.0.13", "bindPort", 6443),
                "certificateKey", SECRETS.certificateKey()), join.get("controlPlane"));
        assertEquals(map("bootstrapToken", map("token", SECRETS.bootstrapToken(), "apiServerEndpoint", "10.0.0.100:6443",
                "caCertHashes", List.of(SECRETS.caCertHash()))), join.get("discovery"));
    }

    @Test
    void certificateKeyOnlyWhenKubeadmMakesThePkiForSeveralControlPlanes() {
        assertNull(doc(render(preset("single-node")), "node1", INIT, "InitConfiguration").get("certificateKey"));
        List<RenderedFile> external = render(preset("ha-external-etcd"));
        assertNull(doc(external, "cp1", INIT, "InitConfiguration").get("certificateKey"));
        assertEquals(map("localAPIEndpoint", map("advertiseAddress", "10.0.0.12", "bindPort", 6443)),
                doc(external, "cp2", JOIN, "JoinConfiguration").get("controlPlane"));
        assertEquals(SECRETS.certificateKey(), doc(render(preset("ha-stacked")), "cp1", INIT, "InitConfiguration").get("certificateKey"));
    }

    @Test
    void discoveryUsesTheFirstControlPlaneWithoutAnEndpointAndAddsTheDefaultPort() {
        String worker = "\n  - name: worker1\n    address: 10.0.0.21\n    roles: [worker]\n";
        ClusterSpec noEndpoint = preset("single-node", text -> text + worker);
        assertEquals("10.0.0.11:6443", get(doc(render(noEndpoint), "worker1", JOIN, "JoinConfiguration"),
                "discovery.bootstrapToken.apiServerEndpoint"));
        ClusterSpec noPort = preset("single-node", all(List.of(
                replace("controlPlaneEndpoint: ''", "controlPlaneEndpoint: api.single.example.com"),
                text -> text + worker)));
        assertEquals("api.single.example.com:6443", get(doc(render(noPort), "worker1", JOIN, "JoinConfiguration"),
                "discovery.bootstrapToken.apiServerEndpoint"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"single-node", "ha-stacked", "ha-external-etcd"})
    void secretsAppearOnlyInTheKubeadmFilesAndWhereExpected(String name) {
        for (RenderedFile f : render(preset(name))) {
            String c = f.content();
            boolean kubeadmFile = f.path().equals(INIT) || f.path().equals(JOIN);
            assertEquals(kubeadmFile, f.secret(), f.path());
            assertEquals(kubeadmFile ? 0600 : 0644, f.mode(), f.path());
            assertEquals(kubeadmFile ? 1 : 0, count(c, SECRETS.bootstrapToken()), f.host() + " " + f.path());
            assertEquals(f.path().equals(JOIN) ? 1 : 0, count(c, SECRETS.caCertHash()), f.host() + " " + f.path());
            boolean expectsKey = name.equals("ha-stacked") && kubeadmFile && !f.host().startsWith("worker");
            assertEquals(expectsKey ? 1 : 0, count(c, SECRETS.certificateKey()), f.host() + " " + f.path());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"single-node", "ha-stacked", "ha-external-etcd"})
    void maskedOutputCarriesTheMasksAndNoRealSecret(String name) {
        List<RenderedFile> real = render(preset(name));
        List<RenderedFile> masked = KubeadmConfig.files(preset(name), Secrets.MASKED);
        assertEquals(layout(real), layout(masked));
        for (int i = 0; i < real.size(); i++) {
            String c = masked.get(i).content();
            for (String secret : List.of(SECRETS.bootstrapToken(), SECRETS.certificateKey(), SECRETS.caCertHash())) {
                assertFalse(c.contains(secret), masked.get(i).path());
            }
            // Masks stand exactly where the secrets stand, and nothing else changes. A mask that starts
            // with '*' is quoted, because a bare '*' would start a YAML alias.
            String unmasked = c;
            // The hash goes first: the certificate key's mask is a part of the hash's.
            for (String[] pair : List.of(new String[] {Secrets.MASKED.caCertHash(), SECRETS.caCertHash()},
                    new String[] {Secrets.MASKED.bootstrapToken(), SECRETS.bootstrapToken()},
                    new String[] {Secrets.MASKED.certificateKey(), SECRETS.certificateKey()})) {
                unmasked = unmasked.replace("'" + pair[0] + "'", pair[1]).replace(pair[0], pair[1]);
            }
            assertEquals(real.get(i).content(), unmasked, masked.get(i).path());
        }
        assertTrue(file(masked, real.get(0).host(), INIT).content().contains("token: '******.****************'"));
    }

    static int count(String text, String needle) {
        int n = 0;
        for (int at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) n++;
        return n;
    }

    // ---------------------------------------------------------------- determinism and YAML

    @ParameterizedTest
    @ValueSource(strings = {"single-node", "ha-stacked", "ha-external-etcd"})
    void outputRoundTripsThroughSnakeYamlWithoutAnchors(String name) {
        ClusterSpec spec = preset(name, all(List.of(
                replace("featureGates: {}", "featureGates: {AlphaGate: true}"),
                replace("  kubelet: {}", "  kubelet: {featureGates: {BetaGate: true}}"))));
        for (RenderedFile f : render(spec)) {
            assertFalse(f.content().contains("&id") || f.content().contains("*id"), f.path());
            if (f.path().equals(AUDIT)) continue; // hand-written, with comments a dump would drop
            assertEquals(f.content(), Yaml.dumpAll(docs(f)), f.host() + " " + f.path());
        }
    }

    @Test
    void renderingTwiceGivesTheSameFiles() {
        ClusterSpec spec = preset("ha-external-etcd");
        assertEquals(render(spec), render(spec));
    }

    @ParameterizedTest
    @ValueSource(strings = {"single-node", "ha-stacked", "ha-external-etcd"})
    void matchesGoldenFiles(String name) throws IOException {
        Path dir = Path.of(System.getProperty("kubewizard.root", "."), "src/test/resources/golden/kubeadm");
        for (String api : List.of("v1beta4", "v1beta3")) {
            ClusterSpec spec = api.equals("v1beta4") ? preset(name) : preset(name, version(V130));
            StringBuilder sb = new StringBuilder();
            for (RenderedFile f : render(spec)) {
                sb.append("=== ").append(f.host()).append(' ').append(f.path()).append(' ').append(f.modeString())
                        .append(f.secret() ? " secret" : "").append('\n').append(f.content());
            }
            Path golden = dir.resolve(name + "-" + api + ".txt");
            if (Boolean.getBoolean("golden.update")) {
                Files.createDirectories(dir);
                Files.writeString(golden, sb.toString(), StandardCharsets.UTF_8);
            }
            assertEquals(Files.readString(golden, StandardCharsets.UTF_8), sb.toString(), golden.toString());
        }
    }
}
