package io.kubewizard.plan;

import io.kubewizard.answers.Downloadables;
import io.kubewizard.answers.Spec.Host;
import io.kubewizard.answers.Spec.RuntimeType;
import io.kubewizard.render.PackageRepos;
import io.kubewizard.render.RenderedFile.OsFamily;
import io.kubewizard.render.RuntimeConfig;

import java.util.ArrayList;
import java.util.List;

/**
 * The container runtime: its package repository (Docker's for containerd.io and docker-ce, CRI-O's
 * own), the packages render names for it, cri-dockerd for Docker, then the rendered configuration
 * and a restart so the runtime reads it (the cgroup driver must match the kubelet's before kubeadm
 * starts anything).
 */
final class InstallRuntime implements PlanPhase {

    /**
     * What proves the runtime is installed beyond its packages, the units to enable, and the
     * services to restart in that order.
     */
    record Units(List<String> binaries, List<String> enabled, List<String> restarted) {
        static Units of(RuntimeType type) {
            return switch (type) {
                case CONTAINERD -> new Units(List.of("containerd"), List.of("containerd"), List.of("containerd"));
                case CRI_O -> new Units(List.of("crio"), List.of("crio"), List.of("crio"));
                // The socket is what kubelet connects to; restarting the service starts it first (Requires=).
                case DOCKER -> new Units(List.of("dockerd", RuntimeConfig.CRI_DOCKERD),
                        List.of("docker", "cri-docker.socket", "cri-docker"), List.of("docker", "cri-docker"));
            };
        }
    }

    public String id() { return "runtime"; }

    public String title() { return "Install the container runtime"; }

    public void addSteps(Draft d) {
        RuntimeType type = d.spec.runtime().type();
        Units units = Units.of(type);
        List<String> deb = PackageRepos.runtimePackages(type, OsFamily.DEB);
        List<String> rpm = PackageRepos.runtimePackages(type, OsFamily.RPM);
        List<String> checks = new ArrayList<>();
        units.binaries().forEach(b -> checks.add("command -v " + Shell.quote(b) + " >/dev/null"));
        // A distribution's containerd or docker.io also has the binaries; only these packages are right.
        checks.add("{ dpkg -s " + Shell.join(deb) + " >/dev/null 2>&1 || rpm -q " + Shell.join(rpm) + " >/dev/null 2>&1; }");
        List<String> extra = new ArrayList<>();
        if (type == RuntimeType.DOCKER) {
            checks.add(Shell.quote(RuntimeConfig.CRI_DOCKERD) + " --version 2>/dev/null | grep -qF "
                    + Shell.quote("cri-dockerd " + PackageRepos.CRI_DOCKERD_VERSION + " ("));
            extra.add(Downloads.fromFiles(d.spec) || !d.spec.mirrors().isEmpty() ? installCriDockerd(d.spec) : installCriDockerd());
        }
        List<String> debRun = new ArrayList<>(List.of("apt-get update",
                "DEBIAN_FRONTEND=noninteractive apt-get install -y " + Shell.join(deb)));
        debRun.addAll(extra);
        List<String> rpmRun = new ArrayList<>(List.of("dnf install -y " + Shell.join(rpm)));
        rpmRun.addAll(extra);

        boolean offline = d.spec.offline().isSet();
        if (offline) {
            debRun = new ArrayList<>(List.of(Offline.deb(Offline.runtimeSource(type), "")));
            debRun.addAll(extra);
            rpmRun = new ArrayList<>(List.of(Offline.rpm(Offline.runtimeSource(type))));
            rpmRun.addAll(extra);
        }
        for (Host h : d.spec.hosts()) {
            List<io.kubewizard.render.RenderedFile> uploads = new ArrayList<>(
                    Downloads.uploads(d.spec, h, Downloads.of(d.spec, Downloadables.Use.CRI_DOCKERD)));
            if (offline) {
                uploads.addAll(d.take(h, Route.RUNTIME_PACKAGES));
            } else {
                AptKeys.addRepositoryStep(d, "runtime/repository", h, "Add the " + type.yaml() + " package repository",
                        d.take(h, Route.RUNTIME_REPOSITORY), PackageRepos.usesDockerRepository(type));
            }
            d.add("runtime/install", h, "Install " + type.yaml() + (offline ? " from the bundle" : ""))
                    .upload(uploads)
                    .check(Shell.all(checks))
                    .deb(debRun)
                    .rpm(rpmRun);
            List<String> run = new ArrayList<>();
            run.add("systemctl daemon-reload");
            run.add("systemctl enable " + String.join(" ", units.enabled()));
            units.restarted().forEach(s -> run.add("systemctl restart " + s));
            d.add("runtime/config", h, "Configure " + type.yaml() + " and restart it")
                    .upload(d.take(h, Route.RUNTIME_CONFIG))
                    .check(Shell.all(units.enabled().stream()
                            .map(u -> "systemctl is-active --quiet " + u + " && systemctl is-enabled --quiet " + u)
                            .toList()))
                    .run(run);
            if (offline) {
                List<String> importRun = new ArrayList<>();
                if (type == RuntimeType.CRI_O) {
                    // skopeo copies an OCI archive into CRI-O's storage; it comes from the host's OS repositories
                    importRun.add("command -v skopeo >/dev/null || { if command -v apt-get >/dev/null; then"
                            + " DEBIAN_FRONTEND=noninteractive apt-get install -y skopeo; else dnf install -y skopeo; fi; }");
                }
                importRun.addAll(Offline.importImages(type));
                d.add("runtime/images", h, "Import the bundle's images into " + type.yaml() + " before kubeadm looks for them")
                        .upload(d.take(h, Route.IMAGES))
                        .check(Offline.imagesPresent(type))
                        .run(importRun);
            }
        }
    }

    /**
     * Downloads the cri-dockerd release for the host's machine and installs its binary. The temporary
     * directory goes whatever happens; an unknown machine stops the step with a message.
     */
    /**
     * With mirrors: cri-dockerd from mirrors.downloads (fetched by name or uploaded), checked against
     * its sha256 before it is unpacked.
     */
    static String installCriDockerd(io.kubewizard.answers.Spec.ClusterSpec spec) {
        return Downloads.fetchForMachine(spec, Downloads.of(spec, Downloadables.Use.CRI_DOCKERD),
                "cri-dockerd " + PackageRepos.CRI_DOCKERD_VERSION)
                + " && tmp=\"$(mktemp -d)\" && trap 'rm -rf \"$tmp\"' EXIT"
                + " && tar -xzf \"$f\" -C \"$tmp\" cri-dockerd/cri-dockerd"
                + " && install -m 0755 \"$tmp/cri-dockerd/cri-dockerd\" " + Shell.quote(RuntimeConfig.CRI_DOCKERD);
    }

    static String installCriDockerd() {
        StringBuilder cases = new StringBuilder();
        PackageRepos.criDockerdTarballs().forEach((machine, url) ->
                cases.append(machine).append(") url=").append(Shell.quote(url)).append(" ;; "));
        String machines = String.join(", ", PackageRepos.criDockerdTarballs().keySet());
        return "case \"$(uname -m)\" in " + cases
                + "*) echo \"cri-dockerd " + PackageRepos.CRI_DOCKERD_VERSION + " has no build for $(uname -m), only for "
                + machines + "\" >&2; exit 1 ;; esac"
                + " && tmp=\"$(mktemp -d)\" && trap 'rm -rf \"$tmp\"' EXIT"
                + " && curl -fsSL -o \"$tmp/cri-dockerd.tgz\" \"$url\""
                + " && tar -xzf \"$tmp/cri-dockerd.tgz\" -C \"$tmp\" cri-dockerd/cri-dockerd"
                + " && install -m 0755 \"$tmp/cri-dockerd/cri-dockerd\" " + Shell.quote(RuntimeConfig.CRI_DOCKERD);
    }
}
