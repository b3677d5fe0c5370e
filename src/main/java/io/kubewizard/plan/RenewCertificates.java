package io.kubewizard.plan;

import io.kubewizard.answers.Spec.Host;
import io.kubewizard.answers.Spec.PkiGeneratedBy;
import io.kubewizard.answers.Spec.RuntimeType;
import io.kubewizard.answers.Spec.Topology;

import io.kubewizard.render.RenderedFile;

import java.util.List;

/**
 * {@code kubewizard certs renew} with kubeadm's PKI: on each control plane in turn, the lead first,
 * {@code kubeadm certs renew all} (every leaf kubeadm manages there and the kubeconfigs' client
 * certificates, a year from now, same keys, subjects and SANs), then its static pods restarted so
 * they load the new certificates (each manifest moved out of the kubelet's directory, the container
 * gone, the manifest back, the container running again: etcd first, then the API server, controller
 * manager and scheduler), then a wait until that control plane is healthy again
 * ({@link ControlPlaneHealth}) before the next node starts. A clean-up puts back any manifest a
 * failure or an abort left out, so a node that stops here still runs its control plane. CAs are
 * not renewed. The kubelet's client certificate rotates itself; workers have nothing to renew.
 *
 * <p>With kubewizard's PKI the jump host has issued the leaves again from its CAs before the run
 * (pki.ClusterPki#reissueLeaves: the SANs the answers need now, extraCertSANs included); each control
 * plane gets its files written instead of {@code kubeadm certs renew}, then the same restart and
 * wait. External etcd's certificates are always kubewizard's (with kubeadm's PKI too, whose
 * {@code certs renew} leaves external etcd alone): after the control planes each member in turn gets
 * them, etcd restarted, healthy; and the control planes their etcd client certificate.
 */
final class RenewCertificates implements PlanPhase {
    static final StepId RENEW = new StepId("certs/renew");
    static final StepId WRITE = new StepId("certs/write");
    static final StepId RESTART = new StepId("certs/restart");
    static final StepId MANIFESTS_BACK = new StepId("certs/manifests-back");
    static final StepId HEALTHY = new StepId("certs/healthy");
    static final String ASIDE = "/etc/kubernetes/kubewizard-restart";
    static final List<String> STATIC_PODS = List.of("etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler");

    public String id() { return "certs/renew"; }

    public String title() { return "Renew the certificates, one control plane at a time"; }

    public void addSteps(Draft d) {
        RuntimeType runtime = d.spec.runtime().type();
        boolean stacked = d.spec.cluster().topology() == Topology.STACKED;
        Host lead = d.lead();
        if (lead == null) return;
        List<Host> order = new java.util.ArrayList<>(List.of(lead));
        d.spec.controlPlanes().stream().filter(h -> !h.equals(lead) && d.change.isNode(h.name())).forEach(order::add);
        boolean ours = d.spec.pki().generatedBy() == PkiGeneratedBy.KUBEWIZARD;
        String previous = null;
        for (Host h : order) {
            // kubeadm's PKI is renewed by kubeadm on the node; kubewizard's was issued again on the jump host
            // (pki.ClusterPki#reissueLeaves) and its files are written here
            var renew = ours
                    ? d.add(WRITE, h, "Write the certificates and kubeconfigs issued again by the jump host's CAs")
                            .upload(leaves(d, h))
                            // the kubelet reads its kubeconfig's client certificate when it starts
                            .run("systemctl restart kubelet")
                    : d.add(RENEW, h, "Renew the certificates kubeadm manages here (kubeadm certs renew all)")
                            // with external etcd, its client certificate is kubewizard's, issued again on the jump host
                            .upload(leaves(d, h))
                            .run("kubeadm certs renew all");
            if (previous != null) renew.after(previous);
            String restart = restart(d, h, renew.key(), "Restart the static pods so they load the new certificates",
                    "Put back any static pod manifest left aside (also after a failure)", STATIC_PODS);
            previous = d.add(HEALTHY, h, "Wait until this control plane is healthy again")
                    .after(restart)
                    .reads(new ControlPlaneHealth(h.name(), stacked, runtime))
                    .judge(Judge.READ_PROBLEMS)
                    .key();
        }
        // External etcd members, one at a time once the control planes are done, each healthy before the next.
        for (Host h : stacked ? List.<Host>of() : d.spec.etcdHosts()) {
            var write = d.add(WRITE, h, "Write the etcd member's certificates issued again by the jump host's etcd CA")
                    .upload(d.take(h, Route.KUBEADM).stream().filter(f -> f.path().startsWith(BackupEtcd.PKI_DIR)).toList());
            if (previous != null) write.after(previous);
            String restart = restart(d, h, write.key(), "Restart etcd so it loads its new certificates",
                    "Put back etcd's manifest if it was left aside (also after a failure)", List.of("etcd"));
            previous = d.add(HEALTHY, h, "Wait until this etcd member is healthy again")
                    .after(restart)
                    .run("for try in $(seq 1 60); do " + Etcdctl.run(runtime, "endpoint health") + " && exit 0; sleep 1; done; "
                            + Etcdctl.run(runtime, "endpoint health"))
                    .key();
        }
    }

    /**
     * The host's static pods restarted one at a time after {@code after}, and the clean-up that puts
     * back any manifest a failure left aside; the key of the restart.
     */
    private static String restart(Draft d, Host h, String after, String title, String cleanUp, List<String> pods) {
        String restart = d.add(RESTART, h, title)
                .after(after)
                .run(StaticPods.restart(d.spec.runtime().type(), ASIDE, pods))
                .key();
        d.add(MANIFESTS_BACK, h, cleanUp)
                .after(restart)
                .run(StaticPods.putBack(ASIDE))
                .always();
        return restart;
    }

    /** The host's certificates, keys and kubeconfigs under /etc/kubernetes (not its kubeadm configs or manifests). */
    private static List<RenderedFile> leaves(Draft d, Host h) {
        return d.take(h, Route.KUBEADM).stream().filter(f -> f.path().startsWith(BackupEtcd.PKI_DIR)
                || f.path().matches("/etc/kubernetes/[a-z-]+\\.conf")).toList();
    }
}
