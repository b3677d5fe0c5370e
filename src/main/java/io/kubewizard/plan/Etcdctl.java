package io.kubewizard.plan;

import io.kubewizard.answers.Spec.RuntimeType;

/**
 * etcdctl inside the host's running etcd container, so it works for stacked and external members
 * alike and the jump host needs no etcd client or certificates. The healthcheck client's
 * certificate is what kubeadm gives every member for exactly this.
 */
final class Etcdctl {
    private Etcdctl() {}

    static String crictl(RuntimeType runtime) {
        return "crictl --runtime-endpoint " + runtime.criSocket();
    }

    /** The running etcd container's id, or nothing. */
    static String container(RuntimeType runtime) {
        return crictl(runtime) + " ps --quiet --state running --name '^etcd$' | head -n 1";
    }

    /** {@code etcdctl <args>} against the local member. */
    static String run(RuntimeType runtime, String args) {
        return crictl(runtime) + " exec \"$(" + container(runtime) + ")\"" + " etcdctl --endpoints=https://127.0.0.1:2379"
                + " --cacert=/etc/kubernetes/pki/etcd/ca.crt --cert=/etc/kubernetes/pki/etcd/healthcheck-client.crt"
                + " --key=/etc/kubernetes/pki/etcd/healthcheck-client.key " + args;
    }

    /** A snapshot of the local member into {@code file} on the node (the data directory is the container's hostPath). */
    static String snapshotSave(RuntimeType runtime, String file) {
        return run(runtime, "snapshot save " + file);
    }

    /**
     * The snapshot's hash, revision, keys and size, read back on the node: a snapshot that does not
     * read fails the step. etcdutl reads snapshots from etcd 3.5 on; older images only have etcdctl's
     * status, so the first one the image has answers.
     */
    static String snapshotStatus(RuntimeType runtime, String file) {
        String exec = crictl(runtime) + " exec \"$(" + container(runtime) + ")\" ";
        return exec + "etcdutl snapshot status " + file + " -w table || " + exec + "etcdctl snapshot status " + file + " -w table";
    }

    static String health(RuntimeType runtime) {
        return run(runtime, "endpoint health --cluster");
    }

    /**
     * Prints the id of the member with this peer URL, or nothing. By URL, not name: a member added
     * and not yet started has no name.
     */
    static String memberIdByPeer(RuntimeType runtime, String peerUrl) {
        return run(runtime, "member list -w simple") + " | awk -F ', ' '$4 == \"" + peerUrl + "\" { print $1 }'";
    }
}
