package io.kubewizard.plan;

import io.kubewizard.answers.Spec.Host;
import io.kubewizard.answers.Spec.PkiGeneratedBy;
import io.kubewizard.answers.Spec.RuntimeType;
import io.kubewizard.answers.Spec.Topology;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code kubewizard backup}: an etcd snapshot taken through the running etcd container (the lead's
 * with stacked etcd, the first external member's otherwise), read back with {@code snapshot status}
 * on the node, fetched over SFTP and removed from the node again (it holds every Secret of the
 * cluster); and each control plane's certificate authorities and service-account keys, which a
 * restore needs to bring back a control plane that lost its disk. The fetched files land in the run
 * directory; the command gathers them into a backup with its manifest (run/Backups). Only reads and
 * a file of its own change anything on a node, so a backup may run at any time.
 */
final class BackupEtcd implements PlanPhase {
    static final StepId SNAPSHOT = new StepId("backup/snapshot");
    static final StepId REMOVE = new StepId("backup/remove");
    static final StepId PKI = new StepId("backup/pki");
    /** On the node, inside etcd's data directory (the container's hostPath), so it can be fetched. */
    public static final String FILE = "/var/lib/etcd/kubewizard-backup.db";
    static final String PKI_DIR = "/etc/kubernetes/pki/";
    /** What kubeadm keeps on every control plane that a restored control plane needs again: the CAs and the service-account key pair. */
    static final List<String> SHARED = List.of("ca.crt", "ca.key", "sa.key", "sa.pub", "front-proxy-ca.crt", "front-proxy-ca.key");
    static final List<String> ETCD_CA = List.of("etcd/ca.crt", "etcd/ca.key");

    public String id() { return "backup"; }

    public String title() { return "Back up etcd and the control planes' certificate authorities"; }

    public void addSteps(Draft d) {
        Host lead = d.lead();
        if (lead == null) return;
        RuntimeType runtime = d.spec.runtime().type();
        boolean stacked = d.spec.cluster().topology() == Topology.STACKED;
        Host etcd = stacked ? lead : d.spec.etcdHosts().get(0);
        String snapshot = d.add(SNAPSHOT, etcd, "Take an etcd snapshot, check it and fetch it")
                .run(Etcdctl.snapshotSave(runtime, FILE), Etcdctl.snapshotStatus(runtime, FILE))
                .download(FILE)
                .key();
        d.add(REMOVE, etcd, "Remove the snapshot from the node (also after a failure)")
                .after(snapshot)
                .run("rm -f " + FILE)
                .always();
        for (Host h : d.spec.controlPlanes()) {
            if (!d.change.isNode(h.name())) continue;
            var step = d.add(PKI, h, "Fetch the certificate authorities and the service-account keys");
            for (String f : pki(d, h, stacked)) step.download(PKI_DIR + f);
        }
    }

    /**
     * What a restored control plane needs again: {@link #SHARED}, and with stacked etcd its CA. With
     * kubewizard's PKI the etcd CA's key never leaves the jump host (its store has every CA), so only
     * the certificate is on the nodes.
     */
    static List<String> pki(Draft d, Host h, boolean stacked) {
        List<String> wanted = new ArrayList<>(SHARED);
        if (stacked) wanted.addAll(d.spec.pki().generatedBy() == PkiGeneratedBy.KUBEADM ? ETCD_CA : List.of("etcd/ca.crt"));
        return wanted;
    }
}
