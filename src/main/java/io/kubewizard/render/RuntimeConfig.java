package io.kubewizard.render;

import io.kubewizard.answers.Spec.CgroupDriver;
import io.kubewizard.answers.Spec.ClusterSpec;
import io.kubewizard.answers.Spec.Host;
import io.kubewizard.answers.Spec.RuntimeType;

import java.util.ArrayList;
import java.util.List;

/**
 * The container runtime's configuration on every host (docs/kubeadm.md "Container runtimes"): the
 * cgroup driver kubelet uses, the pause image kubeadm expects, and crictl pointed at the CRI socket.
 *
 * <p>containerd gets a config of format version 2, chosen on purpose: containerd 1.6 and 1.7 read
 * only version 2, and containerd 2.x reads it and converts it to version 3 in memory, so one file
 * serves whichever containerd a host's package brings. Every key that matters is written out rather
 * than patched into {@code containerd config default}: containerd 2.0.x/2.1.x omit SystemdCgroup
 * from that output (a sed flipping it changes nothing), and the packages ship a config with
 * {@code disabled_plugins = ["cri"]}, which this file replaces with an empty list.
 *
 * <p>cri-dockerd comes as a bare binary from its release tarball, without the systemd units its
 * packages carry, so both units are rendered here, modelled on upstream's packaging/systemd. The
 * service itself carries the flags kubeadm needs, so there is one place for them and no drop-in.
 */
public final class RuntimeConfig {
    private RuntimeConfig() {}

    static final String CONTAINERD_CONFIG = "/etc/containerd/config.toml";
    static final String CRICTL_CONFIG = "/etc/crictl.yaml";
    /** Sorts after the packages' 10-crio.conf, so CRI-O applies ours last. */
    static final String CRIO_DROP_IN = "/etc/crio/crio.conf.d/10-kubewizard.conf";
    static final String DOCKER_DAEMON_JSON = "/etc/docker/daemon.json";
    /** Where the plan installs the cri-dockerd binary: not /usr/bin, which belongs to packages. */
    public static final String CRI_DOCKERD = "/usr/local/bin/cri-dockerd";
    static final String CRI_DOCKERD_SERVICE = "/etc/systemd/system/cri-docker.service";
    static final String CRI_DOCKERD_SOCKET = "/etc/systemd/system/cri-docker.socket";

    static List<RenderedFile> files(ClusterSpec spec) {
        RuntimeType type = spec.runtime().type();
        CgroupDriver driver = spec.runtime().cgroupDriver();
        String sandbox = sandboxImage(spec);
        List<RenderedFile> out = new ArrayList<>();
        for (Host h : spec.hosts()) {
            switch (type) {
                case CONTAINERD -> out.add(RenderedFile.of(h.name(), CONTAINERD_CONFIG, 0644, containerd(driver, sandbox)));
                case CRI_O -> out.add(RenderedFile.of(h.name(), CRIO_DROP_IN, 0644, crio(driver, sandbox)));
                case DOCKER -> {
                    out.add(RenderedFile.of(h.name(), DOCKER_DAEMON_JSON, 0644, dockerDaemon(driver,
                            MirrorConfig.dockerRegistryMirrors(spec), MirrorConfig.dockerInsecureRegistries(spec))));
                    out.add(RenderedFile.of(h.name(), CRI_DOCKERD_SERVICE, 0644, criDockerdService(sandbox, spec.mirrors().isEmpty())));
                    out.add(RenderedFile.of(h.name(), CRI_DOCKERD_SOCKET, 0644, criDockerdSocket()));
                }
            }
            out.add(RenderedFile.of(h.name(), CRICTL_CONFIG, 0644, crictl(type)));
        }
        return out;
    }

    /**
     * The pod sandbox ("pause") image: the answers' runtime.sandboxImage, or else the pause image the
     * kubeadm of the cluster's minor pins, from the cluster's image repository. kubeadm warns when the
     * runtime's differs, and a runtime falling back to its own built-in default would pull from a
     * registry an air-gapped cluster cannot reach.
     */
    public static String sandboxImage(ClusterSpec spec) {
        String configured = spec.runtime().sandboxImage();
        if (!configured.isEmpty()) return configured;
        return Images.repository(spec) + "/pause:" + spec.version().pauseTag();
    }

    private static String containerd(CgroupDriver driver, String sandbox) {
        return """
                # Written by kubewizard. Config version 2: containerd 1.6/1.7 read only v2 and containerd 2.x
                # converts it, so this one file serves every containerd package.
                version = 2
                # The packages ship disabled_plugins = ["cri"]; kubelet needs the CRI plugin.
                disabled_plugins = []

                [plugins."io.containerd.grpc.v1.cri"]
                  sandbox_image = %s

                [plugins."io.containerd.grpc.v1.cri".containerd]
                  default_runtime_name = "runc"

                [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
                  runtime_type = "io.containerd.runc.v2"

                # Must match kubelet's cgroupDriver (%s).
                [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
                  SystemdCgroup = %s

                # Registry mirrors and CAs, one directory per registry host, without editing this file.
                [plugins."io.containerd.grpc.v1.cri".registry]
                  config_path = "/etc/containerd/certs.d"
                """.formatted(quoted(sandbox), driver.yaml(), driver == CgroupDriver.SYSTEMD);
    }

    private static String crio(CgroupDriver driver, String sandbox) {
        StringBuilder sb = new StringBuilder("""
                # Written by kubewizard: CRI-O's cgroup manager must match kubelet's cgroupDriver, and its pause
                # image the one kubeadm expects.
                [crio.runtime]
                """);
        sb.append("cgroup_manager = ").append(quoted(driver.yaml())).append('\n');
        if (driver == CgroupDriver.CGROUPFS) {
            // With systemd CRI-O places conmon correctly by default; with cgroupfs it must be told.
            sb.append("conmon_cgroup = \"pod\"\n");
        }
        sb.append("\n[crio.image]\n");
        sb.append("pause_image = ").append(quoted(sandbox)).append('\n');
        return sb.toString();
    }

    private static String dockerDaemon(CgroupDriver driver, List<String> mirrors, List<String> insecure) {
        // JSON has no comments; cri-dockerd learns the cgroup driver from Docker, so this is the one place to set it.
        // registry-mirrors and insecure-registries come from mirrors.registries (MirrorConfig).
        String extra = "";
        if (!mirrors.isEmpty()) extra += "  \"registry-mirrors\": " + jsonList(mirrors) + ",\n";
        if (!insecure.isEmpty()) extra += "  \"insecure-registries\": " + jsonList(insecure) + ",\n";
        return """
                {
                %s  "exec-opts": ["native.cgroupdriver=%s"],
                  "log-driver": "json-file",
                  "log-opts": {
                    "max-size": "100m"
                  },
                  "storage-driver": "overlay2"
                }
                """.formatted(extra, driver.yaml());
    }

    private static String jsonList(List<String> items) {
        return "[" + String.join(", ", items.stream().map(i -> "\"" + i.replace("\\", "\\\\").replace("\"", "\\\"") + "\"").toList()) + "]";
    }

    /** {@code documented}: the unit names upstream's documentation URL (not with mirrors: it names a public host). */
    private static String criDockerdService(String sandbox, boolean documented) {
        return """
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
                ExecStart=%s --container-runtime-endpoint fd:// --pod-infra-container-image=%s --network-plugin=cni
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
                """.formatted(CRI_DOCKERD, sandbox).replace(documented ? "\u0000" : "Documentation=https://github.com/Mirantis/cri-dockerd\n", "");
    }

    private static String criDockerdSocket() {
        return """
                # Written by kubewizard after cri-dockerd's packaging/systemd/cri-docker.socket. systemd holds the
                # socket kubelet's criSocket names and hands it to cri-dockerd (--container-runtime-endpoint fd://).
                [Unit]
                Description=CRI Docker Socket for the API
                PartOf=cri-docker.service

                [Socket]
                ListenStream=%s
                SocketMode=0660
                SocketUser=root
                SocketGroup=docker

                [Install]
                WantedBy=sockets.target
                """.formatted(criDockerdSocketPath());
    }

    /**
     * The file behind kubelet's criSocket (unix:///var/run/cri-dockerd.sock), named under /run, where
     * /var/run points and where systemd keeps runtime files (upstream's unit says %t, which is /run).
     */
    private static String criDockerdSocketPath() {
        String path = RuntimeType.DOCKER.criSocket().substring("unix://".length());
        return path.startsWith("/var/run/") ? path.substring("/var".length()) : path;
    }

    private static String crictl(RuntimeType type) {
        return """
                # Written by kubewizard: crictl talks to the CRI socket kubelet uses, so what it shows is what
                # kubelet sees.
                runtime-endpoint: %1$s
                image-endpoint: %1$s
                timeout: 10
                """.formatted(type.criSocket());
    }

    /** A TOML basic string. */
    private static String quoted(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
