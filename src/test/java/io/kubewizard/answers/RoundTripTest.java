package io.kubewizard.answers;

import io.kubewizard.answers.Spec.*;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.kubewizard.answers.Fixtures.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Load, save, load again: nothing is lost, nothing is invented, and the text is the text users keep in git. */
class RoundTripTest {

    static final List<String> PRESETS = Fixtures.PRESETS;

    @ParameterizedTest
    @FieldSource("PRESETS")
    void aPresetLoadsWithoutProblemsAndReparsesToAnEqualSpec(String preset) {
        var loaded = AnswersLoader.load(Fixtures.preset(preset));
        assertEquals(List.of(), loaded.problems());
        var reparsed = AnswersLoader.parse("saved.yaml", AnswersWriter.toYaml(loaded.spec()));
        assertEquals(List.of(), reparsed.problems());
        assertEquals(loaded.spec(), reparsed.spec());
    }

    @ParameterizedTest
    @FieldSource("PRESETS")
    void savingALoadedPresetWritesThePresetsTextBelowTheHeader(String preset, @TempDir Path dir) throws IOException {
        String original = Fixtures.read(Fixtures.preset(preset));
        Path saved = dir.resolve(preset);
        AnswersWriter.save(AnswersLoader.load(Fixtures.preset(preset)).spec(), saved);
        String text = Files.readString(saved);
        assertTrue(text.startsWith(AnswersWriter.header()), text);
        assertEquals(withoutHeader(original), withoutHeader(text));
        assertEquals(List.of(saved), listing(dir), "save leaves no temporary file behind");
    }

    @Test
    void saveReplacesAnExistingFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("answers.yaml");
        Files.writeString(file, "old content\n");
        ClusterSpec spec = parse(Fixtures.SINGLE).spec();
        AnswersWriter.save(spec, file);
        assertEquals(AnswersWriter.toYaml(spec), Files.readString(file));
        assertEquals(List.of(file), listing(dir));
    }

    @Test
    void theHeaderPointsEditorsAtTheSchemaNamesKubewizardAndPromisesNoSecrets() {
        assertEquals("# yaml-language-server: $schema=kubewizard-answers.schema.json\n"
                + "# Written by kubewizard " + Version.current() + ". Every effective value is listed, defaults "
                + "included.\n# Secrets (passwords, tokens, keys) never go here: they are asked for or kept in the run "
                + "directory.\n", AnswersWriter.header());
    }

    @Test
    void aMinimalFileGetsEveryDefaultOfAnswersMd() throws Exception {
        var result = AnswersLoader.load(Path.of(getClass().getResource("/answers/minimal.yaml").toURI()));
        assertEquals(List.of(), result.problems());
        ClusterSpec s = result.spec();

        Cluster c = s.cluster();
        assertEquals("minimal", c.name());
        assertEquals("1.35.2", c.kubernetesVersion());
        assertEquals(Topology.STACKED, c.topology());
        assertEquals("", c.controlPlaneEndpoint());
        assertEquals(new LoadBalancer(LoadBalancerType.NONE, "", "", 6443), c.loadBalancer());
        assertEquals("registry.k8s.io", c.imageRepository());
        assertEquals(Map.of(), c.featureGates());

        Network n = s.network();
        assertEquals(Cni.CALICO, n.cni());
        assertEquals("", n.cniVersion());
        assertEquals("192.168.0.0/16", n.podSubnet());
        assertEquals("10.96.0.0/12", n.serviceSubnet());
        assertEquals("cluster.local", n.dnsDomain());
        assertEquals(KubeProxyMode.IPTABLES, n.kubeProxyMode());

        assertEquals(new Spec.Runtime(RuntimeType.CONTAINERD, CgroupDriver.SYSTEMD, ""), s.runtime());
        assertEquals(new Pki(PkiGeneratedBy.KUBEADM, KeyAlgorithm.RSA_2048, "8760h", "87600h", List.of()), s.pki());
        assertEquals(new Security(new PodSecurity(PodSecurityLevel.BASELINE, PodSecurityLevel.RESTRICTED,
                PodSecurityLevel.RESTRICTED, List.of("kube-system")), new ApiServerSecurity(true, false)), s.security());

        Components co = s.components();
        for (Component component : List.of(co.apiServer(), co.controllerManager(), co.scheduler(), co.etcd())) {
            assertEquals(Component.empty(), component);
        }
        assertEquals(Map.of(), co.kubelet());
        assertEquals(Map.of(), co.kubeProxy());

        assertEquals(new Ssh("root", 22, "~/.ssh/id_ed25519", true, "", "~/.ssh/known_hosts", Become.SUDO), s.ssh());

        assertEquals(List.of(new Host("cp1", "10.0.0.11", "10.0.0.11", List.of(Role.CONTROL_PLANE, Role.WORKER), "",
                Map.of(), List.of(), Ssh.none())), s.hosts());
    }

    @Test
    void savingAMinimalFileWritesEveryEffectiveValue() {
        String hosts = "hosts:\n  - name: cp1\n    address: 10.0.0.11\n    roles: [control-plane, worker]\n";
        assertEquals(AnswersWriter.header() + """
                apiVersion: kubewizard.io/v1alpha1
                kind: Answers
                cluster:
                  name: kubernetes
                  kubernetesVersion: 1.35.2
                  topology: stacked
                  controlPlaneEndpoint: ''
                  loadBalancer:
                    type: none
                    vip: ''
                    interface: ''
                    port: 6443
                  imageRepository: registry.k8s.io
                  featureGates: {}
                network:
                  cni: calico
                  cniVersion: ''
                  podSubnet: 192.168.0.0/16
                  serviceSubnet: 10.96.0.0/12
                  dnsDomain: cluster.local
                  kubeProxyMode: iptables
                runtime:
                  type: containerd
                  cgroupDriver: systemd
                  sandboxImage: ''
                pki:
                  generatedBy: kubeadm
                  keyAlgorithm: RSA-2048
                  certificateValidity: 8760h
                  caCertificateValidity: 87600h
                  extraCertSANs: []
                security:
                  podSecurity:
                    enforce: baseline
                    audit: restricted
                    warn: restricted
                    exemptNamespaces: [kube-system]
                  apiServer:
                    anonymousAuth: true
                    auditLog: false
                components:
                  apiServer:
                    extraArgs: {}
                    extraVolumes: []
                  controllerManager:
                    extraArgs: {}
                    extraVolumes: []
                  scheduler:
                    extraArgs: {}
                    extraVolumes: []
                  etcd:
                    extraArgs: {}
                  kubelet: {}
                  kubeProxy: {}
                upgrade:
                  maxUnavailable: 1
                ssh:
                  user: root
                  port: 22
                  identityFile: ~/.ssh/id_ed25519
                  useAgent: true
                  bastion: ''
                  knownHostsFile: ~/.ssh/known_hosts
                  become: sudo
                hosts:
                  - name: cp1
                    address: 10.0.0.11
                    internalAddress: 10.0.0.11
                    roles: [control-plane, worker]
                    zone: ''
                    labels: {}
                    taints: []
                    ssh: {}
                """, AnswersWriter.toYaml(parse(hosts).spec()));
    }

    @Test
    void flannelWithoutAPodSubnetIsSavedWithFlannelsNetwork() {
        ClusterSpec spec = parse(Fixtures.SINGLE + "network: {cni: flannel}\n").spec();
        assertTrue(AnswersWriter.toYaml(spec).contains("  cni: flannel\n  cniVersion: ''\n  podSubnet: 10.244.0.0/16\n"));
    }

    @Test
    void homeRelativePathsAreKeptVerbatim() {
        String text = Fixtures.SINGLE + """
                ssh:
                  identityFile: ~/keys/prod_ed25519
                  knownHostsFile: ~/.config/kubewizard/known_hosts
                """;
        text = Fixtures.edit(text, "    roles: [control-plane, worker]\n",
                "    roles: [control-plane, worker]\n    ssh: {identityFile: ~/.ssh/node1, bastion: ops@jump}\n");
        ClusterSpec spec = parse(text).spec();
        assertEquals(List.of(), parse(text).problems());
        assertEquals("~/keys/prod_ed25519", spec.ssh().identityFile());
        assertEquals("~/.config/kubewizard/known_hosts", spec.ssh().knownHostsFile());
        assertEquals("~/.ssh/node1", spec.sshFor(spec.hosts().get(0)).identityFile());
        String saved = AnswersWriter.toYaml(spec);
        assertTrue(saved.contains("\n  identityFile: ~/keys/prod_ed25519\n"), saved);
        assertTrue(saved.contains("\n  knownHostsFile: ~/.config/kubewizard/known_hosts\n"), saved);
        assertTrue(saved.contains("\n    ssh:\n      identityFile: ~/.ssh/node1\n      bastion: ops@jump\n"), saved);
        assertEquals(spec, parse(saved).spec());
    }

    /** Every field away from its default, maps in a deliberate non-alphabetical order. */
    static final String EVERYTHING = """
            apiVersion: kubewizard.io/v1alpha1
            kind: Answers
            cluster:
              name: full
              kubernetesVersion: 1.36.1
              topology: external-etcd
              controlPlaneEndpoint: 10.1.0.100:8443
              loadBalancer: {type: haproxy-keepalived, vip: 10.1.0.100, interface: bond0, port: 8443}
              imageRepository: registry.example.com/k8s
              featureGates: {Zeta: true, Alpha: false, Mid: true}
            network:
              cni: cilium
              cniVersion: v1.17.2
              podSubnet: 10.200.0.0/16
              serviceSubnet: 10.97.0.0/16
              dnsDomain: k8s.example
              kubeProxyMode: disabled
            runtime: {type: cri-o, cgroupDriver: cgroupfs, sandboxImage: 'registry.example.com/pause:3.10.1'}
            pki:
              generatedBy: kubewizard
              keyAlgorithm: ECDSA-P256
              certificateValidity: 4380h
              caCertificateValidity: 43800h
              extraCertSANs: [api.full.example.com, 10.1.0.100, '*.full.example.com']
            security:
              podSecurity: {enforce: restricted, audit: privileged, warn: baseline, exemptNamespaces: [kube-system, monitoring]}
              apiServer: {anonymousAuth: false, auditLog: true}
            components:
              apiServer:
                extraArgs: {z-last: '1', audit-log-maxage: '30', a-first: 'true'}
                extraVolumes:
                  - {name: audit, hostPath: /var/log/kubernetes, mountPath: /var/log/kubernetes, readOnly: false, pathType: DirectoryOrCreate}
                  - {name: policy, hostPath: /etc/kubernetes/policy, mountPath: /etc/kubernetes/policy, readOnly: true}
              controllerManager: {extraArgs: {node-cidr-mask-size-ipv4: '24'}}
              scheduler: {extraArgs: {bind-address: 0.0.0.0}}
              etcd: {extraArgs: {quota-backend-bytes: '8589934592'}}
              kubelet: {maxPods: 100, serializeImagePulls: false, evictionHard: {memory.available: 200Mi}, clusterDNS: [10.97.0.10], cpuCFSQuotaPeriod: 100ms, ratio: 0.5, nothing: null}
              kubeProxy: {ipvs: {scheduler: rr}}
            ssh: {user: deploy, port: 2222, identityFile: ~/.ssh/deploy, useAgent: false, bastion: 'ops@jump.example.com:22', knownHostsFile: ~/.ssh/kw_known_hosts, become: sudo}
            hosts:
              - {name: cp1, address: cp1.full.example.com, internalAddress: 10.1.0.11, roles: [control-plane], zone: a, labels: {tier: control, disk: ssd, enabled: 'true'}, taints: ['dedicated=infra:NoSchedule']}
              - {name: cp2, address: 10.1.0.12, roles: [control-plane], zone: b}
              - {name: cp3, address: 10.1.0.13, roles: [control-plane], zone: c, ssh: {port: 22, user: root, become: none}}
              - {name: etcd1, address: 10.1.0.31, roles: [etcd]}
              - {name: etcd2, address: 10.1.0.32, roles: [etcd]}
              - {name: etcd3, address: 10.1.0.33, roles: [etcd]}
              - {name: gpu1, address: 10.1.0.41, roles: [worker], labels: {node.kubernetes.io/gpu: 'true'}, taints: ['gpu:NoExecute']}
            """;

    @Test
    void everyNonDefaultValueSurvivesTheRoundTripInOrder() {
        var first = parse(EVERYTHING);
        assertEquals(List.of(), first.problems());
        String saved = AnswersWriter.toYaml(first.spec());
        var second = AnswersLoader.parse("saved.yaml", saved);
        assertEquals(List.of(), second.problems());
        assertEquals(first.spec(), second.spec());
        assertEquals(saved, AnswersWriter.toYaml(second.spec()), "saving is idempotent");

        ClusterSpec s = second.spec();
        assertEquals(List.of("Zeta", "Alpha", "Mid"), List.copyOf(s.cluster().featureGates().keySet()));
        assertEquals(List.of("z-last", "audit-log-maxage", "a-first"),
                List.copyOf(s.components().apiServer().extraArgs().keySet()));
        assertEquals(List.of("tier", "disk", "enabled"), List.copyOf(s.hosts().get(0).labels().keySet()));
        assertEquals("true", s.hosts().get(0).labels().get("enabled"));
        Map<String, Object> kubelet = new LinkedHashMap<>();
        kubelet.put("maxPods", 100L);
        kubelet.put("serializeImagePulls", false);
        kubelet.put("evictionHard", Map.of("memory.available", "200Mi"));
        kubelet.put("clusterDNS", List.of("10.97.0.10"));
        kubelet.put("cpuCFSQuotaPeriod", "100ms");
        kubelet.put("ratio", 0.5);
        kubelet.put("nothing", null);
        assertEquals(kubelet, s.components().kubelet());
        assertEquals(List.copyOf(kubelet.keySet()), List.copyOf(s.components().kubelet().keySet()));
        assertEquals(new Volume("policy", "/etc/kubernetes/policy", "/etc/kubernetes/policy", true, ""),
                s.components().apiServer().extraVolumes().get(1));
        assertEquals(new Ssh("root", 22, null, null, null, null, Become.NONE), s.hosts().get(2).ssh());
        assertTrue(saved.contains("      enabled: 'true'\n"), saved);
        assertTrue(saved.contains("      - name: policy\n        hostPath: /etc/kubernetes/policy\n"
                + "        mountPath: /etc/kubernetes/policy\n        readOnly: true\n  controllerManager:"), saved);
    }

    private static String withoutHeader(String text) {
        return Stream.of(text.split("\n", -1)).dropWhile(l -> l.startsWith("#"))
                .reduce((a, b) -> a + "\n" + b).orElse("");
    }

    private static List<Path> listing(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.sorted().toList();
        }
    }
}
