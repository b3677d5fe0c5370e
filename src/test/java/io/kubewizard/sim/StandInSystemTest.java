package io.kubewizard.sim;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The stand-ins fail where the real tools fail and leave what the real tools leave, driven by
 * hand (no plan): package repositories and holds, kubeadm's preflight and join checks, files and
 * modes, kubectl's authentication, and a real etcd behind crictl.
 */
@Tag("system")
class StandInSystemTest {

    static final String TOKEN = "abcdef.0123456789abcdef";
    static final String KEY_URL = "https://pkgs.k8s.io/core:/stable:/v1.35/deb/Release.key";

    static Cmd.Result run(SimNode node, String script) {
        return node.ssh(script);
    }

    static String ok(SimNode node, String script) {
        Cmd.Result r = node.ssh(script);
        assertEquals(0, r.exitCode(), r::toString);
        return r.stdout();
    }

    static void assertFails(int exit, String stderr, Cmd.Result r) {
        assertEquals(exit, r.exitCode(), r::toString);
        assertEquals(stderr, r.stderr(), r::toString);
    }

    @Test
    void packageManagersNeedASignedIndexedRepositoryAndKeepHolds() {
        try (SimCluster cluster = SimCluster.start(List.of(SimNode.Spec.debian("deb"), SimNode.Spec.rocky("rpm")))) {
            SimNode deb = cluster.node("deb");
            assertFails(100, "E: Unable to locate package kubeadm\n", run(deb, "apt-get install -y kubeadm"));
            ok(deb, "echo 'deb [signed-by=/etc/apt/keyrings/k.gpg] https://pkgs.k8s.io/core:/stable:/v1.35/deb/ /'"
                    + " > /etc/apt/sources.list.d/kubernetes.list; mkdir -p /etc/apt/keyrings");
            Cmd.Result unsigned = run(deb, "apt-get update");
            assertEquals(100, unsigned.exitCode());
            assertTrue(unsigned.stderr().endsWith("E: The repository 'https://pkgs.k8s.io/core:/stable:/v1.35/deb/ / "
                    + "InRelease' is not signed.\n"), unsigned::toString);
            // An armored key where apt wants a binary keyring is ignored.
            ok(deb, "curl -fsSL " + KEY_URL + " -o /etc/apt/keyrings/k.gpg");
            Cmd.Result armored = run(deb, "apt-get update");
            assertEquals(100, armored.exitCode());
            assertTrue(armored.stderr().startsWith("W: The key(s) in the keyring /etc/apt/keyrings/k.gpg are ignored as"
                    + " the file has an unsupported filetype.\n"), armored::toString);
            ok(deb, "curl -fsSL " + KEY_URL + " | gpg --batch --yes --dearmor -o /etc/apt/keyrings/k.gpg && apt-get update");
            assertFails(100, "E: Version '1.35.9-1.1' for 'kubeadm' was not found\n", run(deb, "apt-get install -y kubeadm=1.35.9-1.1"));
            // A version is a glob, as kubeadm's upgrade guide pins it.
            assertFails(100, "E: Version '1.34.*' for 'kubeadm' was not found\n", run(deb, "apt-get install -y 'kubeadm=1.34.*'"));
            assertFails(1, "dpkg-query: package 'kubeadm' is not installed and no information is available\n"
                    + "Use dpkg --contents (= dpkg-deb --contents) to list archive files contents.\n", run(deb, "dpkg -s kubeadm"));
            ok(deb, "apt-get install -y 'kubeadm=1.35.2-*' && apt-mark hold kubeadm");
            assertEquals("Package: kubeadm\nStatus: install ok installed\nArchitecture: amd64\nVersion: 1.35.2-1.1\n",
                    ok(deb, "dpkg -s kubeadm"));
            ok(deb, "sed -i s/v1.35/v1.34/ /etc/apt/sources.list.d/kubernetes.list && apt-get update");
            assertFails(100, "E: Held packages were changed and -y was used without --allow-change-held-packages.\n",
                    run(deb, "apt-get install -y kubeadm=1.34.0-1.1"));
            ok(deb, "apt-get install -y --allow-change-held-packages --allow-downgrades kubeadm=1.34.0-1.1");
            assertEquals("v1.34.0\n", ok(deb, "kubeadm version -o short"));

            SimNode rpm = cluster.node("rpm");
            assertEquals(127, run(rpm, "apt-get update").exitCode());
            ok(rpm, "printf '[kubernetes]\\nname=Kubernetes\\nbaseurl=https://pkgs.k8s.io/core:/stable:/v1.35/rpm/\\n"
                    + "enabled=1\\ngpgcheck=1\\ngpgkey=https://pkgs.k8s.io/core:/stable:/v1.35/rpm/repodata/repomd.xml.key\\n"
                    + "exclude=kubelet kubeadm kubectl cri-tools kubernetes-cni\\n' > /etc/yum.repos.d/kubernetes.repo");
            Cmd.Result excluded = run(rpm, "dnf install -y kubeadm-1.35.2");
            assertEquals(1, excluded.exitCode());
            assertEquals("Error: Unable to find a match: kubeadm-1.35.2\n", excluded.stderr());
            ok(rpm, "dnf install -y --disableexcludes=kubernetes kubeadm-1.35.2 kubelet-1.35.2");
            assertEquals("kubeadm-1.35.2-150500.1.1.x86_64\n", ok(rpm, "rpm -q kubeadm"));
            Cmd.Result absent = run(rpm, "rpm -q kubectl");
            assertEquals(1, absent.exitCode(), absent::toString);
            assertEquals("package kubectl is not installed\n", absent.stdout());
            assertEquals(127, run(rpm, "dpkg -s kubeadm").exitCode(), "no dpkg on a Rocky host");
            assertEquals("v1.35.2\nKubernetes v1.35.2\ninactive\n",
                    ok(rpm, "kubeadm version -o short; kubelet --version; systemctl is-active kubelet || true"));
        }
    }

    /** A node ready for kubeadm, as the plan's prepare, runtime and packages phases leave it. */
    static String prepared(boolean ipForward) {
        return String.join("\n",
                "set -e",
                "modprobe overlay; modprobe br_netfilter; swapoff -a",
                ipForward ? "sysctl -w net.ipv4.ip_forward=1 >/dev/null" : "true",
                "mkdir -p /etc/apt/keyrings /etc/containerd",
                "curl -fsSL " + KEY_URL + " | gpg --batch --yes --dearmor -o /etc/apt/keyrings/k.gpg",
                "echo 'deb [signed-by=/etc/apt/keyrings/k.gpg] https://pkgs.k8s.io/core:/stable:/v1.35/deb/ /'"
                        + " > /etc/apt/sources.list.d/kubernetes.list",
                "apt-get update >/dev/null",
                "apt-get install -y containerd kubelet=1.35.2-1.1 kubeadm=1.35.2-1.1 kubectl=1.35.2-1.1 >/dev/null",
                "printf 'version = 2\\n[plugins.\"io.containerd.grpc.v1.cri\".containerd.runtimes.runc.options]\\n"
                        + "SystemdCgroup = true\\n' > /etc/containerd/config.toml",
                "systemctl restart containerd",
                "printf 'runtime-endpoint: unix:///var/run/containerd/containerd.sock\\n' > /etc/crictl.yaml");
    }

    static String initConfig(SimNode cp) {
        return """
                apiVersion: kubeadm.k8s.io/v1beta4
                kind: InitConfiguration
                bootstrapTokens:
                - token: %s
                nodeRegistration:
                  name: cp
                  criSocket: unix:///var/run/containerd/containerd.sock
                localAPIEndpoint:
                  advertiseAddress: %s
                ---
                apiVersion: kubeadm.k8s.io/v1beta4
                kind: ClusterConfiguration
                clusterName: sim
                kubernetesVersion: v1.35.2
                controlPlaneEndpoint: %s:6443
                apiServer:
                  extraArgs:
                  - name: audit-log-maxage
                    value: "30"
                """.formatted(TOKEN, cp.address(), cp.address());
    }

    static String joinConfig(SimNode cp, String token, String hash) {
        return joinConfig(cp, token, hash, "");
    }

    /** {@code nodeRegistration} gets {@code kubeletExtraArgs} with this {@code node-labels} unless it is empty. */
    static String joinConfig(SimNode cp, String token, String hash, String nodeLabels) {
        String extra = nodeLabels.isEmpty() ? "" : "  kubeletExtraArgs:\n  - name: node-labels\n    value: " + nodeLabels + "\n";
        return """
                apiVersion: kubeadm.k8s.io/v1beta4
                kind: JoinConfiguration
                nodeRegistration:
                  name: w
                %sdiscovery:
                  bootstrapToken:
                    token: %s
                    apiServerEndpoint: %s:6443
                    caCertHashes: [%s]
                """.formatted(extra, token, cp.address(), hash);
    }

    static String mode(SimNode node, String path) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(node.path(path)));
    }

    @Test
    void kubeadmChecksWhatTheRealOneChecksAndEtcdIsReal() throws Exception {
        try (SimCluster cluster = SimCluster.start(List.of(SimNode.Spec.debian("cp"), SimNode.Spec.debian("w")))) {
            SimNode cp = cluster.node("cp");
            SimNode w = cluster.node("w");
            ok(cp, prepared(false));
            ok(w, prepared(true));
            ok(cp, "mkdir -p /etc/kubernetes/kubeadm && cat > /etc/kubernetes/kubeadm/init.yaml <<'EOF'\n" + initConfig(cp) + "EOF");

            Cmd.Result preflight = run(cp, "kubeadm init --config /etc/kubernetes/kubeadm/init.yaml");
            assertEquals(1, preflight.exitCode());
            assertEquals("error execution phase preflight: [preflight] Some fatal errors occurred:\n"
                    + "\t[ERROR FileContent--proc-sys-net-ipv4-ip_forward]: /proc/sys/net/ipv4/ip_forward contents are not set to 1\n"
                    + "[preflight] If you know what you are doing, you can make a check non-fatal with `--ignore-preflight-errors=...`\n"
                    + "To see the stack trace of this error execute with --v=5 or higher\n", preflight.stderr());

            String init = ok(cp, "sysctl -w net.ipv4.ip_forward=1 >/dev/null && kubeadm init --config /etc/kubernetes/kubeadm/init.yaml");
            assertTrue(init.contains("Your Kubernetes control-plane has initialized successfully!"), init);
            assertEquals("rw-------", mode(cp, "/etc/kubernetes/admin.conf"));
            assertEquals("rw-------", mode(cp, "/etc/kubernetes/manifests/kube-apiserver.yaml"));
            assertEquals("rw-------", mode(cp, "/etc/kubernetes/pki/ca.key"));
            assertEquals("rw-r--r--", mode(cp, "/etc/kubernetes/pki/ca.crt"));
            assertTrue(Files.readString(cp.path("/etc/kubernetes/manifests/kube-apiserver.yaml"))
                    .contains("- --audit-log-maxage=30\n"));
            assertEquals(Files.readString(cluster.caCertificate()), Files.readString(cp.path("/etc/kubernetes/pki/ca.crt")));
            String api = Files.readString(cluster.sharedState().resolve("api.json"));
            assertFalse(api.contains("0123456789abcdef"), "the token's secret half is kept only as a hash");

            // The real etcd, started from the manifest kubeadm wrote, answers with the certificates it made.
            String health = ok(cp, "crictl exec \"$(crictl ps -q --name '^etcd$')\" etcdctl --endpoints=https://127.0.0.1:2379"
                    + " --cacert=/etc/kubernetes/pki/etcd/ca.crt --cert=/etc/kubernetes/pki/etcd/healthcheck-client.crt"
                    + " --key=/etc/kubernetes/pki/etcd/healthcheck-client.key endpoint health 2>&1");
            assertTrue(health.startsWith("https://127.0.0.1:2379 is healthy: successfully committed proposal"), health);

            String hash = ok(cp, "openssl x509 -pubkey -noout -in /etc/kubernetes/pki/ca.crt | openssl pkey -pubin -outform DER"
                    + " | sha256sum | cut -d' ' -f1").trim();
            ok(w, "mkdir -p /etc/kubernetes/kubeadm");
            Map<String, String> wrong = Map.of(
                    "abcdef.ffffffffffffffff", "sha256:" + hash,
                    TOKEN, "sha256:" + "1".repeat(64));
            for (Map.Entry<String, String> e : wrong.entrySet()) {
                ok(w, "cat > /etc/kubernetes/kubeadm/join.yaml <<'EOF'\n" + joinConfig(cp, e.getKey(), e.getValue()) + "EOF");
                Cmd.Result refused = run(w, "kubeadm join --config /etc/kubernetes/kubeadm/join.yaml");
                assertEquals(1, refused.exitCode(), refused::toString);
                assertTrue(refused.stderr().startsWith("error execution phase preflight: couldn't validate the identity of the"
                        + " API Server: "), refused::toString);
            }
            // kubelet refuses --node-labels in kubernetes.io it may not set: it exits, and kubeadm's join fails
            ok(w, "cat > /etc/kubernetes/kubeadm/join.yaml <<'EOF'\n" + joinConfig(cp, TOKEN, "sha256:" + hash,
                    "node-role.kubernetes.io/worker=,topology.kubernetes.io/zone=z1,example.com/tier=web") + "EOF");
            assertFails(1, "error execution phase kubelet-start: The kubelet is not running or is unhealthy: failed to "
                    + "validate kubelet flags: unknown 'kubernetes.io' or 'k8s.io' labels specified with --node-labels: "
                    + "[node-role.kubernetes.io/worker]\n--node-labels in the 'kubernetes.io' namespace must begin with an "
                    + "allowed prefix (kubelet.kubernetes.io, node.kubernetes.io) or be in the specifically allowed set "
                    + "(beta.kubernetes.io/arch, beta.kubernetes.io/instance-type, beta.kubernetes.io/os, "
                    + "failure-domain.beta.kubernetes.io/region, failure-domain.beta.kubernetes.io/zone, kubernetes.io/arch, "
                    + "kubernetes.io/hostname, kubernetes.io/os, node.kubernetes.io/instance-type, "
                    + "topology.kubernetes.io/region, topology.kubernetes.io/zone)\n"
                    + "To see the stack trace of this error execute with --v=5 or higher\n",
                    run(w, "kubeadm join --config /etc/kubernetes/kubeadm/join.yaml"));
            assertFalse(((Map<?, ?>) cluster.apiState().get("nodes")).containsKey("w"), "the kubelet registered no Node");
            ok(w, "kubeadm reset -f >/dev/null 2>&1");
            ok(w, "cat > /etc/kubernetes/kubeadm/join.yaml <<'EOF'\n" + joinConfig(cp, TOKEN, "sha256:" + hash,
                    "topology.kubernetes.io/zone=z1,example.com/tier=web") + "EOF");
            ok(w, "kubeadm join --config /etc/kubernetes/kubeadm/join.yaml");
            assertEquals("rw-------", mode(w, "/etc/kubernetes/kubelet.conf"));
            @SuppressWarnings("unchecked")
            Map<String, Object> wNode = (Map<String, Object>) ((Map<String, Object>) cluster.apiState().get("nodes")).get("w");
            assertEquals(Map.of("topology.kubernetes.io/zone", "z1", "example.com/tier", "web"), wNode.get("labels"));

            assertEquals("cp NotReady\nw NotReady\n",
                    ok(cp, "kubectl --kubeconfig /etc/kubernetes/admin.conf get nodes | awk 'NR > 1 {print $1, $2}'"));
            Cmd.Result unauthorized = run(w, "kubectl --kubeconfig /etc/kubernetes/kubelet.conf version; "
                    + "sed -i 's/client-certificate-data: .*/client-certificate-data: " + "Zm9v" + "/' /etc/kubernetes/kubelet.conf;"
                    + " kubectl --kubeconfig /etc/kubernetes/kubelet.conf get nodes");
            assertEquals("error: You must be logged in to the server (Unauthorized)\n", unauthorized.stderr());
            String installation = "printf 'apiVersion: operator.tigera.io/v1\\nkind: Installation\\nmetadata:\\n  name: default\\n'"
                    + " > /root/installation.yaml; kubectl --kubeconfig /etc/kubernetes/admin.conf get -f /root/installation.yaml";
            assertFails(1, "error: resource mapping not found for name: \"default\" namespace: \"\" from \"/root/installation.yaml\": "
                    + "no matches for kind \"Installation\" in version \"operator.tigera.io/v1\"\nensure CRDs are installed first\n",
                    run(cp, installation));
            ok(cp, "kubectl --kubeconfig /etc/kubernetes/admin.conf apply --server-side -f "
                    + "https://raw.githubusercontent.com/projectcalico/calico/v3.32.2/manifests/operator-crds.yaml");
            assertFails(1, "Error from server (NotFound): installations.operator.tigera.io \"default\" not found\n", run(cp, installation));
            ok(cp, "kubectl --kubeconfig /etc/kubernetes/admin.conf apply -f "
                    + "https://github.com/flannel-io/flannel/releases/latest/download/kube-flannel.yml");
            assertEquals("node/cp condition met\nnode/w condition met\n",
                    ok(cp, "kubectl --kubeconfig /etc/kubernetes/admin.conf wait --for=condition=Ready --timeout=10s node/cp node/w"));
            ok(cp, "kubectl --kubeconfig /etc/kubernetes/admin.conf apply -f /root/installation.yaml");
            assertEquals("NAME\ninstallation.operator.tigera.io/default\n", ok(cp, installation));
        }
    }

    @Test
    void systemctlKnowsOnlyInstalledUnitsAndChecksHaproxysConfig() {
        try (SimCluster cluster = SimCluster.start(List.of(SimNode.Spec.rocky("lb")))) {
            SimNode lb = cluster.node("lb");
            assertFails(5, "Failed to restart haproxy.service: Unit haproxy.service not found.\n", run(lb, "systemctl restart haproxy"));
            ok(lb, "dnf install -y haproxy >/dev/null");
            assertEquals("disabled\ninactive\n", run(lb, "systemctl is-enabled haproxy; systemctl is-active haproxy").stdout());
            ok(lb, "mkdir -p /etc/haproxy && printf 'frontend f\\n  bind *:8443\\n  mode tcp\\n  default_backend nowhere\\n'"
                    + " > /etc/haproxy/haproxy.cfg");
            Cmd.Result bad = run(lb, "systemctl restart haproxy");
            assertEquals(1, bad.exitCode());
            assertTrue(bad.stderr().startsWith("Job for haproxy.service failed because the control process exited with error code."),
                    bad::toString);
            assertEquals("failed\n", run(lb, "systemctl is-active haproxy").stdout());
            ok(lb, "printf 'frontend f\\n  bind *:8443\\n  mode tcp\\n  default_backend b\\nbackend b\\n  mode tcp\\n"
                    + "  server s1 127.0.0.1:6443\\n' > /etc/haproxy/haproxy.cfg && systemctl enable --now haproxy 2>/dev/null");
            assertEquals("active\nenabled\n", ok(lb, "systemctl is-active haproxy; systemctl is-enabled haproxy"));
            assertTrue(Files.exists(Path.of("/usr/sbin/haproxy")), "the machine's haproxy did the checking");
        }
    }
}
