package io.kubewizard.plan;

import io.kubewizard.answers.Spec.Host;
import io.kubewizard.answers.Spec.KubeProxyMode;
import io.kubewizard.answers.Spec.PkiGeneratedBy;
import io.kubewizard.render.RenderedFile;

import java.util.List;

/**
 * {@code kubeadm init} on the first control plane, from the rendered config (0600: it carries the
 * bootstrap token and certificate key, so neither is ever on a command line).
 */
final class InitControlPlane implements PlanPhase {
    public String id() { return "control-plane/init"; }

    public String title() { return "Initialise the first control plane"; }

    static final StepId INIT = new StepId("control-plane/init");

    public void addSteps(Draft d) {
        Host first = d.lead();
        if (first == null) return;
        // A cluster that exists is never initialised again; its lead still gets the manifests below.
        if (!d.change.exists()) init(d, first);
        else d.discard(first, Route.KUBEADM);

        // kube-vip needs super-admin.conf while init creates the RBAC that admin.conf relies on
        // (1.29+); afterwards it must not keep the break-glass credential. The manifests are written
        // again pointing at admin.conf, so a changed answers file reaches them on a later apply too.
        List<RenderedFile> borrowing = d.uploaded(first, Route.STATIC_POD).stream()
                .filter(InitControlPlane::borrowsSuperAdmin).toList();
        if (!borrowing.isEmpty()) {
            d.add("control-plane/static-pods-admin-conf", first, "Point the load balancer static pods back at admin.conf")
                    .upload(borrowing.stream().map(f -> new RenderedFile(f.host(), f.path(), f.mode(),
                            f.content().replace(Paths.SUPER_ADMIN_CONF, Paths.ADMIN_CONF), f.secret(), f.os())).toList());
        }
    }

    private static void init(Draft d, Host first) {
        StringBuilder init = new StringBuilder("kubeadm init --config " + Paths.INIT_CONFIG);
        if (uploadsCerts(d)) init.append(" --upload-certs");
        // v1beta4 says proxy.disabled in the config; v1beta3 has no such field.
        if (d.spec.network().kubeProxyMode() == KubeProxyMode.DISABLED
                && !d.spec.version().usesV1beta4()) {
            init.append(" --skip-phases=addon/kube-proxy");
        }
        d.add(INIT, first, "Run kubeadm init")
                .upload(d.take(first, Route.KUBEADM))
                .after(d.keys(StartExternalEtcd.HEALTH))
                .check("test -f " + Paths.API_SERVER_MANIFEST)
                .run(init.toString())
                .once();
    }

    static boolean borrowsSuperAdmin(RenderedFile f) {
        return f.content().contains(Paths.SUPER_ADMIN_CONF);
    }

    /**
     * With kubeadm-made PKI the other control planes fetch the shared certificates from the
     * cluster; with kubewizard-made PKI every control plane already got them as files.
     */
    static boolean uploadsCerts(Draft d) {
        return d.spec.controlPlanes().size() > 1 && d.spec.pki().generatedBy() == PkiGeneratedBy.KUBEADM;
    }
}
