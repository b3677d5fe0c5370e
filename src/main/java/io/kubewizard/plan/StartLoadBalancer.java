package io.kubewizard.plan;

import io.kubewizard.answers.Spec.Host;
import io.kubewizard.render.RenderedFile;

import java.util.ArrayList;
import java.util.List;

/**
 * The load balancer in front of the API servers, on the control planes themselves (kube-vip, or
 * haproxy + keepalived). As static pods, the kubelet starts them: on the first control plane they
 * are written before {@code kubeadm init}; the others get theirs after joining, because
 * {@code kubeadm join} refuses a non-empty /etc/kubernetes/manifests (kubernetes/kubeadm#2564).
 * As system services (configuration but no static pods rendered), they are installed and started here.
 */
final class StartLoadBalancer implements PlanPhase {
    public String id() { return "load-balancer"; }

    public String title() { return "Start the API server load balancer"; }

    public void addSteps(Draft d) {
        Host first = d.lead();
        for (Host h : d.spec.controlPlanes()) {
            List<RenderedFile> config = d.take(h, Route.LOAD_BALANCER);
            boolean staticPods = !d.peek(h, Route.STATIC_POD).isEmpty();
            if (!config.isEmpty() && !staticPods) services(d, h, config);
            else if (!config.isEmpty()) d.add("load-balancer/config", h, "Write the load balancer configuration").upload(config);
            if (h.equals(first) && staticPods) {
                List<RenderedFile> pods = d.take(h, Route.STATIC_POD);
                var step = d.add("load-balancer/static-pods", h, "Write the load balancer static pods (the kubelet starts them)")
                        .upload(pods);
                // A manifest that borrows super-admin.conf is for kubeadm init alone: once init has run,
                // control-plane/static-pods-admin-conf owns the file, and writing this one again would
                // restart the load balancer twice on every apply.
                if (pods.stream().anyMatch(InitControlPlane::borrowsSuperAdmin)) step.check("test -f " + Paths.API_SERVER_MANIFEST).once();
            }
        }
    }

    private static void services(Draft d, Host h, List<RenderedFile> config) {
        List<String> services = new ArrayList<>();
        if (config.stream().anyMatch(f -> f.path().startsWith("/etc/haproxy/"))) services.add("haproxy");
        if (config.stream().anyMatch(f -> f.path().startsWith("/etc/keepalived/"))) services.add("keepalived");
        String names = String.join(" ", services);
        d.add("load-balancer/install", h, "Install " + String.join(" and ", services))
                .check(Shell.all(services.stream().map(s -> "command -v " + s + " >/dev/null").toList()))
                .deb(List.of("apt-get update", "DEBIAN_FRONTEND=noninteractive apt-get install -y " + names))
                .rpm(List.of("dnf install -y " + names));
        List<String> run = new ArrayList<>();
        for (String s : services) {
            run.add("systemctl enable " + s);
            run.add("systemctl restart " + s);
        }
        d.add("load-balancer/config", h, "Configure and restart " + String.join(" and ", services))
                .upload(config)
                .check(Shell.all(services.stream().map(s -> "systemctl is-active --quiet " + s).toList()))
                .run(run);
    }
}
