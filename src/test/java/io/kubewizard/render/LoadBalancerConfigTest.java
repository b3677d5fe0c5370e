package io.kubewizard.render;

import io.kubewizard.answers.Spec.ClusterSpec;
import io.kubewizard.answers.Spec.Host;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.kubewizard.render.Fixtures.at;
import static io.kubewizard.render.Fixtures.file;
import static io.kubewizard.render.Fixtures.layout;
import static io.kubewizard.render.Fixtures.preset;
import static io.kubewizard.render.Fixtures.yaml;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LoadBalancerConfigTest {

    private static final ClusterSpec HAPROXY = preset("ha-external-etcd");
    private static final ClusterSpec KUBE_VIP = preset("ha-stacked");

    @Test
    void haproxyKeepalivedGoesToEveryControlPlaneAndNowhereElse() {
        List<String> expected = new ArrayList<>();
        for (String cp : List.of("cp1", "cp2", "cp3")) {
            expected.addAll(List.of(
                    cp + " /etc/haproxy/haproxy.cfg 0644",
                    cp + " /etc/keepalived/keepalived.conf 0644",
                    cp + " /etc/keepalived/check_apiserver.sh 0755",
                    cp + " /etc/kubernetes/manifests/haproxy.yaml 0644",
                    cp + " /etc/kubernetes/manifests/keepalived.yaml 0644"));
        }
        assertEquals(expected, layout(LoadBalancerConfig.files(HAPROXY)));
    }

    @Test
    void haproxyBackendsAreTheControlPlanesInFileOrder() {
        Pattern server = Pattern.compile("(?m)^    server (\\S+) (\\S+) check verify none$");
        for (Host cp : HAPROXY.controlPlanes()) {
            String cfg = file(LoadBalancerConfig.files(HAPROXY), cp.name(), "/etc/haproxy/haproxy.cfg").content();
            List<String> backends = new ArrayList<>();
            Matcher m = server.matcher(cfg);
            while (m.find()) backends.add(m.group(1) + " " + m.group(2));
            assertEquals(List.of("cp1 10.0.0.11:6443", "cp2 10.0.0.12:6443", "cp3 10.0.0.13:6443"), backends, cp.name());
        }
    }

    @Test
    void haproxyCfgIsExactlyTheKubeadmShapeOnThePort() {
        String cfg = file(LoadBalancerConfig.files(HAPROXY), "cp2", "/etc/haproxy/haproxy.cfg").content();
        assertEquals("""
                # haproxy for cluster ha-external: spreads TCP connections to the VIP over every API server (TLS ends at the API servers).
                global
                    # The container has no syslog socket: logs go to the pod's stdout.
                    log stdout format raw local0

                defaults
                    mode                    tcp
                    log                     global
                    option                  dontlognull
                    retries                 1
                    timeout connect         5s
                    # Watches, exec and logs -f hold connections open for long; don't cut them every few seconds.
                    timeout client          1h
                    timeout server          1h
                    timeout queue           20s
                    timeout check           10s

                frontend apiserver
                    bind *:8443
                    mode tcp
                    option tcplog
                    default_backend apiserverbackend

                backend apiserverbackend
                    option httpchk
                    http-check connect ssl
                    http-check send meth GET uri /healthz
                    http-check expect status 200
                    mode tcp
                    balance roundrobin
                    server cp1 10.0.0.11:6443 check verify none
                    server cp2 10.0.0.12:6443 check verify none
                    server cp3 10.0.0.13:6443 check verify none
                """, cfg);
    }

    @Test
    void keepalivedOnABackupIsExact() {
        String conf = file(LoadBalancerConfig.files(HAPROXY), "cp2", "/etc/keepalived/keepalived.conf").content();
        assertEquals("""
                ! keepalived for cluster ha-external: moves the VIP to a control plane whose API server answers.
                global_defs {
                    router_id LVS_DEVEL
                    enable_script_security
                    script_user root
                }

                vrrp_script check_apiserver {
                    script "/etc/keepalived/check_apiserver.sh"
                    interval 3
                    weight -2
                    fall 10
                    rise 2
                }

                vrrp_instance VI_1 {
                    state BACKUP
                    interface eth0
                    ! Derived from the cluster name, so two kubewizard clusters on one segment differ.
                    virtual_router_id 87
                    priority 100
                    ! VRRP PASS authentication only keeps apart clusters that share a segment by mistake: the password
                    ! travels in clear text and follows from the cluster name, so it is no defence against anyone on the link.
                    authentication {
                        auth_type PASS
                        auth_pass e587d97b
                    }
                    ! Unicast, because many networks (clouds, some switches) drop VRRP multicast.
                    unicast_src_ip 10.0.0.12
                    unicast_peer {
                        10.0.0.11
                        10.0.0.13
                    }
                    virtual_ipaddress {
                        10.0.0.100
                    }
                    track_script {
                        check_apiserver
                    }
                }
                """, conf);
    }

    @Test
    void exactlyOneMasterTheFirstControlPlaneAndEveryoneAgreesOnIdPasswordAndVip() {
        List<String> roles = new ArrayList<>();
        Set<String> routerIds = new HashSet<>();
        Set<String> passwords = new HashSet<>();
        for (Host cp : HAPROXY.controlPlanes()) {
            String conf = file(LoadBalancerConfig.files(HAPROXY), cp.name(), "/etc/keepalived/keepalived.conf").content();
            roles.add(cp.name() + " " + line(conf, "state") + " " + line(conf, "priority"));
            routerIds.add(line(conf, "virtual_router_id"));
            passwords.add(line(conf, "auth_pass"));
            assertEquals("10.0.0.100", block(conf, "virtual_ipaddress"), cp.name());
            assertEquals(cp.internalAddress(), line(conf, "unicast_src_ip"), cp.name());
            List<String> peers = HAPROXY.controlPlanes().stream().filter(h -> !h.equals(cp)).map(Host::internalAddress).toList();
            assertEquals(String.join("\n", peers), block(conf, "unicast_peer"), cp.name());
        }
        assertEquals(List.of("cp1 MASTER 101", "cp2 BACKUP 100", "cp3 BACKUP 100"), roles);
        assertEquals(Set.of(Integer.toString(LoadBalancerConfig.virtualRouterId("ha-external"))), routerIds);
        assertEquals(Set.of(LoadBalancerConfig.vrrpAuthPass("ha-external")), passwords);
    }

    @Test
    void routerIdAndPasswordFollowTheClusterNameWithinVrrpLimits() {
        assertEquals(87, LoadBalancerConfig.virtualRouterId("ha-external"));
        assertEquals("e587d97b", LoadBalancerConfig.vrrpAuthPass("ha-external"));
        assertNotEquals(LoadBalancerConfig.virtualRouterId("ha-external"), LoadBalancerConfig.virtualRouterId("prod"));
        assertNotEquals(LoadBalancerConfig.vrrpAuthPass("ha-external"), LoadBalancerConfig.vrrpAuthPass("prod"));
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 2000; i++) {
            int id = LoadBalancerConfig.virtualRouterId("cluster-" + i);
            assertTrue(id >= 1 && id <= 255, "router id " + id);
            seen.add(id);
            assertTrue(LoadBalancerConfig.vrrpAuthPass("cluster-" + i).matches("[0-9a-f]{8}"));
        }
        assertEquals(255, seen.size(), "every router id is reachable, so clusters spread over all of them");
    }

    @Test
    void checkScriptProbesThePortAndTheVip() {
        RenderedFile script = file(LoadBalancerConfig.files(HAPROXY), "cp3", "/etc/keepalived/check_apiserver.sh");
        assertEquals(0755, script.mode());
        assertTrue(script.content().startsWith("#!/bin/sh\n"));
        assertTrue(script.content().contains(
                "curl -sfk --max-time 2 https://localhost:8443/healthz -o /dev/null || errorExit \"Error GET https://localhost:8443/healthz\"\n"
                        + "# A fixed-string match up to the slash, so that 10.0.0.10 never matches 10.0.0.100/32.\n"
                        + "if ip addr | grep -qF '10.0.0.100/'; then\n"
                        + "    curl -sfk --max-time 2 https://10.0.0.100:8443/healthz -o /dev/null || errorExit \"Error GET https://10.0.0.100:8443/healthz\"\n"
                        + "fi\n"), script.content());
    }

    static String sha256(String text) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aControlPlaneThatLeavesChangesTheStaticPodsSoTheKubeletRestartsThemOnTheNewConfig() {
        List<RenderedFile> before = LoadBalancerConfig.files(HAPROXY);
        io.kubewizard.answers.Spec.ClusterSpec fewer = new io.kubewizard.answers.Spec.ClusterSpec(HAPROXY.cluster(),
                HAPROXY.network(), HAPROXY.runtime(), HAPROXY.pki(), HAPROXY.security(), HAPROXY.components(), HAPROXY.ssh(),
                HAPROXY.hosts().stream().filter(h -> !h.name().equals("cp3")).toList());
        List<RenderedFile> after = LoadBalancerConfig.files(fewer);
        String cfg = file(after, "cp1", "/etc/haproxy/haproxy.cfg").content();
        assertFalse(cfg.contains("cp3"), cfg);
        assertTrue(file(before, "cp1", "/etc/haproxy/haproxy.cfg").content().contains("server cp3 "));
        for (String manifest : List.of("/etc/kubernetes/manifests/haproxy.yaml", "/etc/kubernetes/manifests/keepalived.yaml")) {
            assertNotEquals(file(before, "cp1", manifest).content(), file(after, "cp1", manifest).content(), manifest);
        }
    }

    @Test
    void haproxyAndKeepalivedStaticPodsMountTheirConfigs() {
        List<RenderedFile> files = LoadBalancerConfig.files(HAPROXY);
        Map<String, Object> haproxy = yaml(file(files, "cp1", "/etc/kubernetes/manifests/haproxy.yaml").content());
        assertEquals("Pod", haproxy.get("kind"));
        String cfg = file(files, "cp1", "/etc/haproxy/haproxy.cfg").content();
        assertEquals(Map.of("name", "haproxy", "namespace", "kube-system", "annotations",
                Map.of("kubewizard.io/config-sha256", sha256(cfg))), haproxy.get("metadata"));
        assertEquals(true, at(haproxy, "spec", "hostNetwork"));
        assertEquals("haproxy:3.2.25", at(haproxy, "spec", "containers", 0, "image"));
        assertEquals(Map.of("failureThreshold", 8, "tcpSocket", Map.of("host", "localhost", "port", 8443)),
                at(haproxy, "spec", "containers", 0, "livenessProbe"));
        assertEquals(Map.of("name", "haproxyconf", "mountPath", "/usr/local/etc/haproxy/haproxy.cfg", "readOnly", true),
                at(haproxy, "spec", "containers", 0, "volumeMounts", 0));
        assertEquals(Map.of("name", "haproxyconf", "hostPath", Map.of("path", "/etc/haproxy/haproxy.cfg", "type", "File")),
                at(haproxy, "spec", "volumes", 0));

        Map<String, Object> keepalived = yaml(file(files, "cp1", "/etc/kubernetes/manifests/keepalived.yaml").content());
        assertEquals("osixia/keepalived:2.0.20", at(keepalived, "spec", "containers", 0, "image"));
        assertEquals(List.of("NET_ADMIN", "NET_BROADCAST", "NET_RAW"),
                at(keepalived, "spec", "containers", 0, "securityContext", "capabilities", "add"));
        assertEquals(true, at(keepalived, "spec", "hostNetwork"));
        List<Map<String, Object>> mounts = at(keepalived, "spec", "containers", 0, "volumeMounts");
        List<Map<String, Object>> volumes = at(keepalived, "spec", "volumes");
        assertEquals(List.of("/usr/local/etc/keepalived/keepalived.conf=/etc/keepalived/keepalived.conf",
                        "/etc/keepalived/check_apiserver.sh=/etc/keepalived/check_apiserver.sh"),
                mounts.stream().map(m -> m.get("mountPath") + "=" + hostPathOf(volumes, (String) m.get("name"))).toList());
    }

    @Test
    void kubeVipRunsOnEveryControlPlaneWithSuperAdminOnlyOnTheFirst() {
        List<RenderedFile> files = LoadBalancerConfig.files(KUBE_VIP);
        assertEquals(List.of("cp1 /etc/kubernetes/manifests/kube-vip.yaml 0644",
                "cp2 /etc/kubernetes/manifests/kube-vip.yaml 0644",
                "cp3 /etc/kubernetes/manifests/kube-vip.yaml 0644"), layout(files));
        List<String> kubeconfigs = new ArrayList<>();
        for (RenderedFile f : files) {
            Map<String, Object> pod = yaml(f.content());
            kubeconfigs.add(f.host() + " " + at(pod, "spec", "volumes", 0, "hostPath", "path"));
            assertEquals("/etc/kubernetes/admin.conf", at(pod, "spec", "containers", 0, "volumeMounts", 0, "mountPath"));
            assertEquals("10.0.0.100", env(pod).get("address"), f.host());
        }
        assertEquals(List.of("cp1 /etc/kubernetes/super-admin.conf", "cp2 /etc/kubernetes/admin.conf",
                "cp3 /etc/kubernetes/admin.conf"), kubeconfigs);
    }

    @Test
    void kubeVipManifestIsExact() {
        Map<String, Object> pod = yaml(file(LoadBalancerConfig.files(KUBE_VIP), "cp1", "/etc/kubernetes/manifests/kube-vip.yaml").content());
        Map<String, Object> expected = Map.of(
                "apiVersion", "v1",
                "kind", "Pod",
                "metadata", Map.of("name", "kube-vip", "namespace", "kube-system"),
                "spec", Map.of(
                        "containers", List.of(Map.of(
                                "name", "kube-vip",
                                "image", "ghcr.io/kube-vip/kube-vip:v1.0.3",
                                "imagePullPolicy", "IfNotPresent",
                                "args", List.of("manager"),
                                "env", List.of(
                                        Map.of("name", "vip_arp", "value", "true"),
                                        Map.of("name", "port", "value", "6443"),
                                        Map.of("name", "vip_interface", "value", "eth0"),
                                        Map.of("name", "vip_cidr", "value", "32"),
                                        Map.of("name", "cp_enable", "value", "true"),
                                        Map.of("name", "cp_namespace", "value", "kube-system"),
                                        Map.of("name", "vip_leaderelection", "value", "true"),
                                        Map.of("name", "vip_leaseduration", "value", "5"),
                                        Map.of("name", "vip_renewdeadline", "value", "3"),
                                        Map.of("name", "vip_retryperiod", "value", "1"),
                                        Map.of("name", "address", "value", "10.0.0.100")),
                                "securityContext", Map.of("capabilities", Map.of("add", List.of("NET_ADMIN", "NET_RAW"))),
                                "volumeMounts", List.of(Map.of("name", "kubeconfig", "mountPath", "/etc/kubernetes/admin.conf")))),
                        "hostAliases", List.of(Map.of("ip", "127.0.0.1", "hostnames", List.of("kubernetes"))),
                        "hostNetwork", true,
                        "volumes", List.of(Map.of("name", "kubeconfig",
                                "hostPath", Map.of("path", "/etc/kubernetes/super-admin.conf", "type", "File")))));
        assertEquals(expected, pod);
    }

    @Test
    void afterInitTheFirstControlPlaneGetsTheJoinersManifest() {
        String after = LoadBalancerConfig.kubeVipManifestAfterInit(KUBE_VIP);
        assertEquals(file(LoadBalancerConfig.files(KUBE_VIP), "cp2", "/etc/kubernetes/manifests/kube-vip.yaml").content(), after);
        assertEquals("/etc/kubernetes/admin.conf", at(yaml(after), "spec", "volumes", 0, "hostPath", "path"));
        String before = file(LoadBalancerConfig.files(KUBE_VIP), "cp1", "/etc/kubernetes/manifests/kube-vip.yaml").content();
        assertEquals(after, before.replace("/etc/kubernetes/super-admin.conf", "/etc/kubernetes/admin.conf"),
                "only the kubeconfig differs");
    }

    @Test
    void ipv6VipUsesAHostPrefixOf128AndBracketedUrls() {
        ClusterSpec v6 = preset("ha-external-etcd",
                "10.0.0.100:8443", "'[fd00::100]:8443'", "vip: 10.0.0.100", "vip: fd00::100",
                "10.0.0.1", "fd00::1", "10.0.0.2", "fd00::2", "10.0.0.3", "fd00::3",
                "192.168.0.0/16", "fd10::/56", "10.96.0.0/12", "fd20::/108");
        List<RenderedFile> files = LoadBalancerConfig.files(v6);
        String cfg = file(files, "cp1", "/etc/haproxy/haproxy.cfg").content();
        assertTrue(cfg.contains("\n    bind :::8443 v4v6\n"), cfg);
        assertTrue(cfg.contains("\n    server cp1 [fd00::11]:6443 check verify none\n"), cfg);
        String conf = file(files, "cp1", "/etc/keepalived/keepalived.conf").content();
        assertEquals("fd00::100", block(conf, "virtual_ipaddress"));
        assertTrue(file(files, "cp1", "/etc/keepalived/check_apiserver.sh").content()
                .contains("curl -sfk --max-time 2 https://[fd00::100]:8443/healthz"));

        ClusterSpec kubeVip6 = preset("ha-stacked",
                "10.0.0.100:6443", "'[fd00::100]:6443'", "vip: 10.0.0.100", "vip: fd00::100",
                "10.0.0.1", "fd00::1", "10.0.0.2", "fd00::2",
                "192.168.0.0/16", "fd10::/56", "10.96.0.0/12", "fd20::/108");
        Map<String, Object> pod = yaml(LoadBalancerConfig.kubeVipManifestAfterInit(kubeVip6));
        assertEquals("128", env(pod).get("vip_cidr"));
        assertEquals("fd00::100", env(pod).get("address"));
    }

    @Test
    void nothingWithoutAManagedLoadBalancer() {
        assertEquals(List.of(), LoadBalancerConfig.files(preset("single-node")));
        assertEquals(List.of(), LoadBalancerConfig.files(preset("ha-stacked",
                "type: kube-vip", "type: external", "    vip: 10.0.0.100\n    interface: eth0\n", "    vip: ''\n    interface: ''\n")));
    }

    private static String line(String conf, String key) {
        Matcher m = Pattern.compile("(?m)^\\s*" + key + " (\\S+)$").matcher(conf);
        assertTrue(m.find(), key + " in\n" + conf);
        String value = m.group(1);
        assertTrue(!m.find(), "one " + key);
        return value;
    }

    private static String block(String conf, String name) {
        Matcher m = Pattern.compile("(?s)\\n\\s*" + name + " \\{\\n(.*?)\\n\\s*}").matcher(conf);
        assertTrue(m.find(), name + " in\n" + conf);
        return m.group(1).lines().map(String::strip).reduce((a, b) -> a + "\n" + b).orElse("");
    }

    private static Map<String, String> env(Map<String, Object> pod) {
        List<Map<String, String>> env = at(pod, "spec", "containers", 0, "env");
        Map<String, String> out = new java.util.LinkedHashMap<>();
        for (Map<String, String> e : env) out.put(e.get("name"), e.get("value"));
        return out;
    }

    private static String hostPathOf(List<Map<String, Object>> volumes, String name) {
        return volumes.stream().filter(v -> name.equals(v.get("name"))).findFirst()
                .map(v -> (String) at(v, "hostPath", "path")).orElseThrow();
    }
}
