package io.kubewizard.plan;

import io.kubewizard.answers.Spec.Host;
import io.kubewizard.render.RenderedFile;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * After an upgrade's last leg, the files kubewizard wrote at install time are brought to the new
 * version: what {@code apply} would write for it, so the next apply or scale-out starts from files of
 * the cluster's version.
 * <ul>
 *   <li>the kubeadm configuration files (the lead's InitConfiguration, which a later scale-out reads
 *       for {@code kubeadm init phase bootstrap-token}; the members' join files): crossing 1.30 → 1.31
 *       moves them from kubeadm.k8s.io/v1beta3 to v1beta4. Done when the file names the new API
 *       version and, where it has one, the new kubernetesVersion;</li>
 *   <li>the load balancer's files (kube-vip static pods, haproxy and keepalived configuration) rendered
 *       for the new version: done when every file on the node already has that content (sha256), so a
 *       load balancer that does not change with the version is not touched; a changed service
 *       configuration restarts the service, a changed static pod the kubelet restarts itself.</li>
 * </ul>
 */
final class UpgradeFiles implements PlanPhase {
    static final StepId KUBEADM = new StepId("upgrade/files/kubeadm");
    static final StepId LOAD_BALANCER = new StepId("upgrade/files/load-balancer");

    public String id() { return "upgrade/files"; }

    public String title() { return "Bring kubewizard's files on the nodes to the new version"; }

    public void addSteps(Draft d) {
        Host lead = d.lead();
        if (lead == null) return;
        String version = "v" + d.spec.version();
        String api = d.spec.version().kubeadmApiVersion();
        for (Host h : d.spec.hosts()) {
            if (!d.change.isNode(h.name()) && !h.is(io.kubewizard.answers.Spec.Role.ETCD)) continue;
            List<RenderedFile> kubeadm = d.take(h, Route.KUBEADM).stream()
                    .filter(f -> f.content().startsWith("apiVersion: kubeadm.k8s.io/")).toList();
            if (!kubeadm.isEmpty()) {
                List<String> checks = new ArrayList<>();
                for (RenderedFile f : kubeadm) {
                    checks.add("grep -qxF " + Shell.quote("apiVersion: " + api) + " " + Shell.quote(f.path()));
                    if (f.content().contains("\nkubernetesVersion: " + version + "\n")) {
                        checks.add("grep -qxF " + Shell.quote("kubernetesVersion: " + version) + " " + Shell.quote(f.path()));
                    }
                }
                d.add(KUBEADM, h, "Write the kubeadm configuration for " + d.spec.version() + " (" + api + ")")
                        .check(Shell.all(checks))
                        .upload(kubeadm);
            }
            loadBalancer(d, h, lead);
        }
    }

    private static void loadBalancer(Draft d, Host h, Host lead) {
        List<RenderedFile> files = new ArrayList<>(d.take(h, Route.LOAD_BALANCER));
        List<RenderedFile> pods = d.take(h, Route.STATIC_POD);
        // The lead's manifests borrow super-admin.conf only for kubeadm init; since then they use admin.conf.
        for (RenderedFile f : pods) {
            files.add(h.equals(lead) && InitControlPlane.borrowsSuperAdmin(f) ? new RenderedFile(f.host(), f.path(), f.mode(),
                    f.content().replace(Paths.SUPER_ADMIN_CONF, Paths.ADMIN_CONF), f.secret(), f.os()) : f);
        }
        if (files.isEmpty() || !h.is(io.kubewizard.answers.Spec.Role.CONTROL_PLANE)) return;
        List<String> same = files.stream().map(f -> "echo " + sha256(f.content()) + "  " + Shell.quote(f.path())).toList();
        List<String> restart = new ArrayList<>();
        if (pods.isEmpty()) {
            if (files.stream().anyMatch(f -> f.path().startsWith("/etc/haproxy/"))) restart.add("systemctl restart haproxy");
            if (files.stream().anyMatch(f -> f.path().startsWith("/etc/keepalived/"))) restart.add("systemctl restart keepalived");
        }
        d.add(LOAD_BALANCER, h, "Check the load balancer's files against " + d.spec.version() + ", write what differs")
                .check("{ " + String.join("; ", same) + "; } | sha256sum --check --status")
                .upload(files)
                .run(restart);
    }

    static String sha256(String content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
