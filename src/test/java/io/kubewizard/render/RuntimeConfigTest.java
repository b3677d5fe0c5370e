package io.kubewizard.render;

import io.kubewizard.answers.Spec.CgroupDriver;
import io.kubewizard.answers.Spec.ClusterSpec;
import io.kubewizard.answers.Spec.Host;
import io.kubewizard.render.RenderedFile.OsFamily;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RuntimeConfigTest {

    static final String CONTAINERD_SYSTEMD = """
            # Written by kubewizard. Config version 2: containerd 1.6/1.7 read only v2 and containerd 2.x
            # converts it, so this one file serves every containerd package.
            version = 2
            # The packages ship disabled_plugins = ["cri"]; kubelet needs the CRI plugin.
            disabled_plugins = []

            [plugins."io.containerd.grpc.v1.cri"]
              sandbox_image = "registry.k8s.io/pause:3.10.1"

            [plugins."io.containerd.grpc.v1.cri".containerd]
              default_runtime_name = "runc"

            [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
              runtime_type = "io.containerd.runc.v2"

            # Must match kubelet's cgroupDriver (systemd).
            [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
              SystemdCgroup = true

            # Registry mirrors and CAs, one directory per registry host, without editing this file.
            [plugins."io.containerd.grpc.v1.cri".registry]
              config_path = "/etc/containerd/certs.d"
            """;

    static final String CONTAINERD_CGROUPFS = CONTAINERD_SYSTEMD
            .replace("cgroupDriver (systemd)", "cgroupDriver (cgroupfs)")
            .replace("SystemdCgroup = true", "SystemdCgroup = false");

    static final String CRIO_SYSTEMD = """
            # Written by kubewizard: CRI-O's cgroup manager must match kubelet's cgroupDriver, and its pause
            # image the one kubeadm expects.
            [crio.runtime]
            cgroup_manager = "systemd"

            [crio.image]
            pause_image = "registry.k8s.io/pause:3.10.1"
            """;

    static final String CRIO_CGROUPFS = """
            # Written by kubewizard: CRI-O's cgroup manager must match kubelet's cgroupDriver, and its pause
            # image the one kubeadm expects.
            [crio.runtime]
            cgroup_manager = "cgroupfs"
            conmon_cgroup = "pod"

            [crio.image]
            pause_image = "registry.k8s.io/pause:3.10.1"
            """;

    static final String DOCKER_SYSTEMD = """
            {
              "exec-opts": ["native.cgroupdriver=systemd"],
              "log-driver": "json-file",
              "log-opts": {
                "max-size": "100m"
              },
              "storage-driver": "overlay2"
            }
            """;

    static final String DOCKER_CGROUPFS = DOCKER_SYSTEMD.replace("native.cgroupdriver=systemd", "native.cgroupdriver=cgroupfs");

    static final String CRI_DOCKERD_SERVICE = """
            # Written by kubewizard after cri-dockerd's packaging/systemd/cri-docker.service. The flags live
            # here: the pause image kubeadm expects, and CNI for pod networking (upstream's unit passes an
            # empty --network-plugin=, which leaves pod networking to Docker instead of the cluster's CNI).
            # No ExecReload=: cri-dockerd handles no SIGHUP, so upstream's kill -s HUP would just end it.
            [Unit]
            Description=CRI Interface for Docker Application Container Engine
            Documentation=https://github.com/Mirantis/cri-dockerd
            After=network-online.target firewalld.service docker.service
            Wants=network-online.target
            Requires=cri-docker.socket
            StartLimitIntervalSec=60s
            StartLimitBurst=3

            [Service]
            Type=notify
            ExecStart=/usr/local/bin/cri-dockerd --container-runtime-endpoint fd:// --pod-infra-container-image=registry.k8s.io/pause:3.10.1 --network-plugin=cni
            TimeoutSec=0
            RestartSec=2
            Restart=always
            # No resource limits on the daemon: the containers it starts are accounted in their own cgroups.
            LimitNOFILE=infinity
            LimitNPROC=infinity
            LimitCORE=infinity
            TasksMax=infinity
            Delegate=yes
            KillMode=process

            [Install]
            WantedBy=multi-user.target
            """;

    static final String CRI_DOCKERD_SOCKET_UNIT = """
            # Written by kubewizard after cri-dockerd's packaging/systemd/cri-docker.socket. systemd holds the
            # socket kubelet's criSocket names and hands it to cri-dockerd (--container-runtime-endpoint fd://).
            [Unit]
            Description=CRI Docker Socket for the API
            PartOf=cri-docker.service

            [Socket]
            ListenStream=/run/cri-dockerd.sock
            SocketMode=0660
            SocketUser=root
            SocketGroup=docker

            [Install]
            WantedBy=sockets.target
            """;

    static String crictl(String socket) {
        return """
                # Written by kubewizard: crictl talks to the CRI socket kubelet uses, so what it shows is what
                # kubelet sees.
                runtime-endpoint: %1$s
                image-endpoint: %1$s
                timeout: 10
                """.formatted(socket);
    }

    static final String CONTAINERD_SOCKET = "unix:///var/run/containerd/containerd.sock";
    static final String CRIO_SOCKET = "unix:///var/run/crio/crio.sock";
    static final String CRI_DOCKERD_SOCKET = "unix:///var/run/cri-dockerd.sock";

    static Stream<Arguments> everyRuntimeAndDriver() {
        String crio = "/etc/crio/crio.conf.d/10-kubewizard.conf";
        String service = "/etc/systemd/system/cri-docker.service";
        String socket = "/etc/systemd/system/cri-docker.socket";
        return Stream.of(
                Arguments.of("containerd", "systemd", List.of(file("/etc/containerd/config.toml", CONTAINERD_SYSTEMD),
                        file("/etc/crictl.yaml", crictl(CONTAINERD_SOCKET)))),
                Arguments.of("containerd", "cgroupfs", List.of(file("/etc/containerd/config.toml", CONTAINERD_CGROUPFS),
                        file("/etc/crictl.yaml", crictl(CONTAINERD_SOCKET)))),
                Arguments.of("cri-o", "systemd", List.of(file(crio, CRIO_SYSTEMD), file("/etc/crictl.yaml", crictl(CRIO_SOCKET)))),
                Arguments.of("cri-o", "cgroupfs", List.of(file(crio, CRIO_CGROUPFS), file("/etc/crictl.yaml", crictl(CRIO_SOCKET)))),
                Arguments.of("docker", "systemd", List.of(file("/etc/docker/daemon.json", DOCKER_SYSTEMD),
                        file(service, CRI_DOCKERD_SERVICE), file(socket, CRI_DOCKERD_SOCKET_UNIT),
                        file("/etc/crictl.yaml", crictl(CRI_DOCKERD_SOCKET)))),
                Arguments.of("docker", "cgroupfs", List.of(file("/etc/docker/daemon.json", DOCKER_CGROUPFS),
                        file(service, CRI_DOCKERD_SERVICE), file(socket, CRI_DOCKERD_SOCKET_UNIT),
                        file("/etc/crictl.yaml", crictl(CRI_DOCKERD_SOCKET)))));
    }

    @ParameterizedTest(name = "{0} with {1}")
    @MethodSource("everyRuntimeAndDriver")
    void everyHostGetsExactlyTheRuntimesFiles(String runtime, String driver, List<Expected> perHost) {
        ClusterSpec spec = NodeSpecs.externalEtcd(runtime, driver);
        List<RenderedFile> expected = new java.util.ArrayList<>();
        for (Host h : spec.hosts()) {
            for (Expected e : perHost) expected.add(new RenderedFile(h.name(), e.path(), 0644, e.content(), false, OsFamily.ANY));
        }
        assertEquals(9, spec.hosts().size());
        assertEquals(expected, RuntimeConfig.files(spec));
    }

    @Test
    void etcdHostsGetTheRuntimeThroughTheAggregateToo() {
        List<String> paths = Render.forHost(Render.render(NodeSpecs.externalEtcd("cri-o", "cgroupfs"), Secrets.MASKED), "etcd3")
                .stream().map(RenderedFile::path).toList();
        assertTrue(paths.contains("/etc/crio/crio.conf.d/10-kubewizard.conf"), paths::toString);
        assertTrue(paths.contains("/etc/crictl.yaml"), paths::toString);
    }

    /** Each runtime's own spelling of the cgroup driver, read back out of the file that carries it. */
    private static final Map<String, Pattern> CGROUP_SETTING = Map.of(
            "/etc/containerd/config.toml", Pattern.compile("(?m)^  SystemdCgroup = (true|false)$"),
            "/etc/crio/crio.conf.d/10-kubewizard.conf", Pattern.compile("(?m)^cgroup_manager = \"(systemd|cgroupfs)\"$"),
            "/etc/docker/daemon.json", Pattern.compile("\"native\\.cgroupdriver=(systemd|cgroupfs)\""));

    @Test
    void everyRuntimeOnEveryHostUsesTheSpecsCgroupDriver() {
        int checked = 0;
        for (String runtime : List.of("containerd", "cri-o", "docker")) {
            for (CgroupDriver driver : CgroupDriver.values()) {
                for (String version : List.of("1.30.14", "1.35.2", "1.37.0")) {
                    ClusterSpec spec = NodeSpecs.externalEtcd(runtime, driver.yaml(),
                            "kubernetesVersion: 1.35.2", "kubernetesVersion: " + version);
                    for (RenderedFile f : RuntimeConfig.files(spec)) {
                        Pattern p = CGROUP_SETTING.get(f.path());
                        if (p == null) continue;
                        Matcher m = p.matcher(f.content());
                        assertTrue(m.find(), () -> "no cgroup setting in " + f.path());
                        String found = m.group(1);
                        String asDriver = switch (found) {
                            case "true" -> "systemd";
                            case "false" -> "cgroupfs";
                            default -> found;
                        };
                        assertEquals(driver.yaml(), asDriver, runtime + " " + driver + " " + version + " " + f.host() + ":" + f.path());
                        assertTrue(!m.find(), () -> "second cgroup setting in " + f.path());
                        checked++;
                    }
                }
            }
        }
        assertEquals(3 * 2 * 3 * 9, checked);
    }

    @ParameterizedTest
    @CsvSource({"1.30.14, registry.k8s.io/pause:3.9", "1.31.0, registry.k8s.io/pause:3.10",
            "1.34.3, registry.k8s.io/pause:3.10", "1.35.2, registry.k8s.io/pause:3.10.1", "1.37.0, registry.k8s.io/pause:3.10.1"})
    void sandboxImageDefaultsToThePauseImageKubeadmPins(String version, String pause) {
        ClusterSpec spec = NodeSpecs.externalEtcd("containerd", "systemd", "kubernetesVersion: 1.35.2", "kubernetesVersion: " + version);
        assertEquals(pause, RuntimeConfig.sandboxImage(spec));
    }

    @Test
    void sandboxImageComesFromTheClustersImageRepository() {
        ClusterSpec spec = NodeSpecs.externalEtcd("cri-o", "systemd",
                "imageRepository: registry.k8s.io", "imageRepository: harbor.corp.example/k8s");
        assertEquals("harbor.corp.example/k8s/pause:3.10.1", RuntimeConfig.sandboxImage(spec));
        assertEquals(CRIO_SYSTEMD.replace("registry.k8s.io/pause", "harbor.corp.example/k8s/pause"),
                Render.forHost(RuntimeConfig.files(spec), "worker2").get(0).content());
    }

    @Test
    void anExplicitSandboxImageWinsInEveryRuntime() {
        String mine = "mirror.example:5000/pause:3.10.1";
        String[] pairs = {"sandboxImage: ''", "sandboxImage: '" + mine + "'",
                "imageRepository: registry.k8s.io", "imageRepository: harbor.corp.example/k8s"};
        assertEquals(mine, RuntimeConfig.sandboxImage(NodeSpecs.externalEtcd("containerd", "systemd", pairs)));
        assertEquals(CONTAINERD_SYSTEMD.replace("registry.k8s.io/pause:3.10.1", mine),
                contentOf(NodeSpecs.externalEtcd("containerd", "systemd", pairs), "/etc/containerd/config.toml"));
        assertEquals(CRIO_CGROUPFS.replace("registry.k8s.io/pause:3.10.1", mine),
                contentOf(NodeSpecs.externalEtcd("cri-o", "cgroupfs", pairs), "/etc/crio/crio.conf.d/10-kubewizard.conf"));
        assertEquals(CRI_DOCKERD_SERVICE.replace("registry.k8s.io/pause:3.10.1", mine),
                contentOf(NodeSpecs.externalEtcd("docker", "systemd", pairs), "/etc/systemd/system/cri-docker.service"));
    }

    @Test
    void crictlConfigIsYamlNamingTheCriSocket() {
        Object parsed = new org.yaml.snakeyaml.Yaml().load(contentOf(NodeSpecs.externalEtcd("docker", "systemd"), "/etc/crictl.yaml"));
        assertEquals(Map.of("runtime-endpoint", CRI_DOCKERD_SOCKET, "image-endpoint", CRI_DOCKERD_SOCKET, "timeout", 10), parsed);
    }

    private static String contentOf(ClusterSpec spec, String path) {
        return RuntimeConfig.files(spec).stream().filter(f -> f.host().equals("cp1") && f.path().equals(path))
                .findFirst().orElseThrow().content();
    }

    record Expected(String path, String content) {}

    private static Expected file(String path, String content) { return new Expected(path, content); }
}
