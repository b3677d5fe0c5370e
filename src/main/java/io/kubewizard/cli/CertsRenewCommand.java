package io.kubewizard.cli;

import io.kubewizard.answers.Spec.ClusterSpec;
import io.kubewizard.pki.ClusterPki;
import io.kubewizard.pki.PkiException;
import io.kubewizard.pki.PkiStore;
import io.kubewizard.plan.Workflow;
import picocli.CommandLine.Command;

/**
 * {@code kubewizard certs renew}: the certificates kubeadm manages renewed on each control plane in
 * turn, its static pods restarted and healthy before the next, then the admin kubeconfig fetched
 * again. Runs as apply does (probe, plan, journal, --resume, --dry-run) and records no answers.
 */
@Command(name = "renew", header = "Renew the cluster's certificates, one node at a time", mixinStandardHelpOptions = true,
        description = "Renew every leaf certificate kubeadm manages and the kubeconfigs' client certificates: on each "
        + "control plane in turn kubeadm certs renew all, its static pods (etcd, API server, controller manager, "
        + "scheduler) restarted so they load them, and a wait until it is healthy before the next; then the admin "
        + "kubeconfig on the jump host. CAs are not renewed. A failure stops at that node with its control plane "
        + "running; --resume continues. With pki.generatedBy: kubewizard the leaves are issued again by the stored CAs "
        + "(with the SANs the answers need now) and written, and external etcd members follow one at a time.")
final class CertsRenewCommand extends ApplyCommand {
    @Override
    Workflow workflow() { return Workflow.CERTS_RENEW; }

    @Override
    String verb() { return "certs renew"; }

    /**
     * The leaves kubewizard issued (all of them with its PKI; external etcd's with kubeadm's) are issued
     * again on the jump host first (not for --dry-run, and
     * not again for --resume, which writes what the first run issued); the run then writes them.
     */
    @Override
    void checkSpec(ClusterSpec cluster) throws CliException {
        // kubewizard issues what kubeadm does not: everything with its own PKI, external etcd's certificates with kubeadm's
        if (!ClusterPki.needed(cluster) || dryRun || resume) return;
        try {
            int n = ClusterPki.reissueLeaves(cluster, PkiStore.ofRun(state.of(cluster).path()), env.clock());
            spec.commandLine().getOut().println("Issued again by the stored CAs: " + n + " certificates and kubeconfigs "
                    + "(the old ones kept in the store's renewed-* directory).");
        } catch (PkiException e) {
            throw new CliException(ExitCodes.INVALID_INPUT, e.userMessage(), e);
        }
    }

    @Override
    String question(ClusterSpec cluster) {
        return "Renew the certificates of cluster '" + cluster.cluster().name() + "'? Each control plane's static pods "
                + "restart in turn.";
    }
}
