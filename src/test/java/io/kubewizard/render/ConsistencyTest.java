package io.kubewizard.render;

import io.kubewizard.answers.AnswersLoader;
import io.kubewizard.answers.Spec.ClusterSpec;
import io.kubewizard.answers.Spec.Host;
import io.kubewizard.testsupport.Presets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The files are consistent by construction: the facts that several files repeat (cgroup driver,
 * CRI socket, etcd members, load-balancer backends, pod subnet) agree across every file of every
 * host, for every preset and for variants of runtime, cgroup driver, CNI and kubeadm API version.
 */
class ConsistencyTest {

    static Stream<String> variants() {
        List<String> out = new ArrayList<>();
        for (String preset : Presets.NAMES) {
            for (String version : List.of("1.30.14", "1.35.2")) {
                for (String runtime : List.of("containerd", "cri-o", "docker")) {
                    for (String driver : List.of("systemd", "cgroupfs")) {
                        for (String cni : List.of("calico", "flannel", "cilium")) {
                            out.add(preset + "|" + version + "|" + runtime + "|" + driver + "|" + cni);
                        }
                    }
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest
    @MethodSource("variants")
    void everyFileAgrees(String variant) {
        String[] v = variant.split("\\|");
        String text = Presets.text(v[0])
                .replace("kubernetesVersion: 1.35.2", "kubernetesVersion: " + v[1])
                .replace("  type: containerd", "  type: " + v[2])
                .replace("cgroupDriver: systemd", "cgroupDriver: " + v[3])
                .replace("cni: calico", "cni: " + v[4])
                .replace("podSubnet: 192.168.0.0/16", "podSubnet: 10.244.0.0/16");
        AnswersLoader.Result loaded = AnswersLoader.parse(v[0] + ".yaml", text);
        assertFalse(loaded.hasErrors(), () -> variant + ": " + loaded.errors());
        ClusterSpec spec = loaded.spec();
        List<RenderedFile> files = Render.render(spec, Secrets.MASKED);
        String driver = v[3];
        String socket = spec.runtime().type().criSocket();

        for (Host host : spec.hosts()) {
            List<RenderedFile> mine = Render.forHost(files, host.name());
            // the runtime's cgroup driver
            String runtimeDriver = switch (v[2]) {
                case "containerd" -> match(mine, "/etc/containerd/config.toml", "SystemdCgroup = (\\w+)").equals("true") ? "systemd" : "cgroupfs";
                case "cri-o" -> match(mine, "/etc/crio/crio.conf.d/10-kubewizard.conf", "cgroup_manager = \"(\\w+)\"");
                default -> match(mine, "/etc/docker/daemon.json", "native.cgroupdriver=(\\w+)");
            };
            assertEquals(driver, runtimeDriver, variant + " runtime cgroup driver on " + host.name());
            assertEquals(socket, match(mine, "/etc/crictl.yaml", "runtime-endpoint: (\\S+)"), "crictl on " + host.name());

            for (RenderedFile f : mine) {
                if (!f.path().startsWith("/etc/kubernetes/kubeadm/") || f.path().endsWith("etcd.yaml")) continue;
                for (Map<String, Object> doc : KubeadmDocs.parse(f.content())) {
                    String kind = (String) doc.get("kind");
                    if (kind.equals("InitConfiguration") || kind.equals("JoinConfiguration")) {
                        Map<?, ?> reg = (Map<?, ?>) doc.get("nodeRegistration");
                        assertEquals(socket, reg.get("criSocket"), variant + " criSocket in " + f.path() + " on " + host.name());
                        assertEquals(host.name(), reg.get("name"));
                    }
                    if (kind.equals("KubeletConfiguration")) {
                        assertEquals(driver, doc.get("cgroupDriver"), variant + " kubelet cgroupDriver");
                        assertEquals(socket, doc.get("containerRuntimeEndpoint"));
                    }
                    if (kind.equals("ClusterConfiguration")) {
                        Map<?, ?> net = (Map<?, ?>) doc.get("networking");
                        assertEquals(spec.network().podSubnet(), net.get("podSubnet"));
                        Map<?, ?> etcd = (Map<?, ?>) doc.get("etcd");
                        if (!spec.etcdHosts().isEmpty()) {
                            List<String> expected = spec.etcdHosts().stream()
                                    .map(h -> "https://" + h.internalAddress() + ":2379").toList();
                            assertEquals(expected, ((Map<?, ?>) etcd.get("external")).get("endpoints"), "etcd endpoints");
                        } else {
                            assertTrue(etcd.containsKey("local"), "stacked etcd is local");
                        }
                    }
                    if (kind.equals("KubeProxyConfiguration")) {
                        assertEquals(spec.network().podSubnet(), doc.get("clusterCIDR"));
                    }
                }
            }
            // load-balancer backends are exactly the control planes
            mine.stream().filter(f -> f.path().equals("/etc/haproxy/haproxy.cfg")).forEach(f -> {
                List<String> servers = new ArrayList<>();
                Matcher m = Pattern.compile("(?m)^\\s*server (\\S+) (\\S+):6443 ").matcher(f.content());
                while (m.find()) servers.add(m.group(1) + "=" + m.group(2));
                assertEquals(spec.controlPlanes().stream().map(h -> h.name() + "=" + h.internalAddress()).toList(),
                        servers, "haproxy backends on " + host.name());
            });
            // etcd members are exactly the etcd hosts
            mine.stream().filter(f -> f.path().equals("/etc/kubernetes/kubeadm/etcd.yaml")).forEach(f -> {
                String expected = String.join(",", spec.etcdHosts().stream()
                        .map(h -> h.name() + "=https://" + h.internalAddress() + ":2380").toList());
                assertTrue(f.content().contains(expected), "initial-cluster on " + host.name() + ": " + expected);
            });
        }
        // one pod subnet everywhere the CNI needs it
        RenderedFile cni = files.stream().filter(f -> f.path().startsWith("/etc/kubernetes/cni/")).findFirst().orElseThrow();
        assertEquals(spec.firstControlPlane().name(), cni.host());
        switch (v[4]) {
            case "calico" -> assertEquals(spec.network().podSubnet(), match(List.of(cni), cni.path(), "cidr: (\\S+)"));
            case "flannel" -> assertEquals(spec.network().podSubnet(), match(List.of(cni), cni.path(), "\"Network\": \"([^\"]+)\""));
            default -> assertEquals("kubernetes", match(List.of(cni), cni.path(), "mode: (\\S+)"));
        }
    }

    private static String match(List<RenderedFile> files, String path, String regex) {
        RenderedFile f = files.stream().filter(x -> x.path().equals(path)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + path + " among " + files.stream().map(RenderedFile::path).toList()));
        Matcher m = Pattern.compile(regex).matcher(f.content());
        assertTrue(m.find(), () -> "'" + regex + "' not in " + path + ":\n" + f.content());
        return m.group(1);
    }
}
