package io.kubewizard.plan;

import io.kubewizard.answers.Spec.Host;
import io.kubewizard.answers.Spec.RuntimeType;

import java.util.ArrayList;
import java.util.List;

/**
 * The container runtime: its package repository when it needs one (CRI-O, Docker), the packages,
 * then the rendered configuration and a restart so the runtime reads it (the cgroup driver must
 * match the kubelet's before kubeadm starts anything).
 */
final class InstallRuntime implements PlanPhase {

    /** Package names per family, the binary that proves the install, the services to restart. */
    record Packages(List<String> deb, List<String> rpm, List<String> binaries, List<String> services) {
        static Packages of(RuntimeType type) {
            return switch (type) {
                // Debian and Ubuntu ship containerd; RHEL-family hosts get containerd.io from Docker's repository.
                case CONTAINERD -> new Packages(List.of("containerd"), List.of("containerd.io"),
                        List.of("containerd"), List.of("containerd"));
                case CRI_O -> new Packages(List.of("cri-o"), List.of("cri-o"), List.of("crio"), List.of("crio"));
                // cri-dockerd has no distribution package: a repository that carries it must be configured.
                case DOCKER -> new Packages(List.of("docker.io", "cri-dockerd"), List.of("docker-ce", "cri-dockerd"),
                        List.of("dockerd", "cri-dockerd"), List.of("docker", "cri-docker"));
            };
        }
    }

    public String id() { return "runtime"; }

    public String title() { return "Install the container runtime"; }

    public void addSteps(Draft d) {
        RuntimeType type = d.spec.runtime().type();
        Packages packages = Packages.of(type);
        for (Host h : d.spec.hosts()) {
            AptKeys.addRepositoryStep(d, "runtime/repository", h, "Add the " + type.yaml() + " package repository",
                    d.take(h, Route.RUNTIME_REPOSITORY));
            d.add("runtime/install", h, "Install " + type.yaml())
                    .check(Shell.all(packages.binaries().stream().map(b -> "command -v " + b + " >/dev/null").toList()))
                    .deb(List.of("apt-get update", "DEBIAN_FRONTEND=noninteractive apt-get install -y "
                            + String.join(" ", packages.deb())))
                    .rpm(List.of("dnf install -y " + String.join(" ", packages.rpm())));
            List<String> run = new ArrayList<>();
            run.add("systemctl daemon-reload");
            for (String service : packages.services()) {
                run.add("systemctl enable " + service);
                run.add("systemctl restart " + service);
            }
            d.add("runtime/config", h, "Configure " + type.yaml() + " and restart it")
                    .upload(d.take(h, Route.RUNTIME_CONFIG))
                    .check(Shell.all(packages.services().stream()
                            .map(s -> "systemctl is-active --quiet " + s + " && systemctl is-enabled --quiet " + s)
                            .toList()))
                    .run(run);
        }
    }
}
