package io.kubewizard.cli;

import io.kubewizard.answers.Spec.ClusterSpec;
import io.kubewizard.answers.Spec.PkiGeneratedBy;
import io.kubewizard.plan.Workflow;
import picocli.CommandLine.Command;

/**
 * {@code kubewizard certs renew}: the certificates kubeadm manages renewed on each control plane in
 * turn, its static pods restarted and healthy before the next, then the admin kubeconfig fetched
 * again. Runs as apply does (probe, plan, journal, --resume, --dry-run) and records no answers.
 */
@Command(name = "renew", mixinStandardHelpOptions = true,
        description = "Renew every leaf certificate kubeadm manages and the kubeconfigs' client certificates: on each "
        + "control plane in turn kubeadm certs renew all, its static pods (etcd, API server, controller manager, "
        + "scheduler) restarted so they load them, and a wait until it is healthy before the next; then the admin "
        + "kubeconfig on the jump host. CAs are not renewed. A failure stops at that node with its control plane "
        + "running; --resume continues. With pki.generatedBy: kubewizard this is not available yet.")
final class CertsRenewCommand extends ApplyCommand {
    @Override
    Workflow workflow() { return Workflow.CERTS_RENEW; }

    @Override
    String verb() { return "certs renew"; }

    @Override
    void checkSpec(ClusterSpec cluster) throws CliException {
        if (cluster.pki().generatedBy() == PkiGeneratedBy.KUBEWIZARD) {
            throw new CliException(ExitCodes.REFUSED, "certs renew: with pki.generatedBy: kubewizard the leaves are reissued "
                    + "from the CAs on the jump host, which this kubewizard does not do yet; nothing was changed. "
                    + "'kubewizard certs' lists their expiry");
        }
    }

    @Override
    String question(ClusterSpec cluster) {
        return "Renew the certificates of cluster '" + cluster.cluster().name() + "'? Each control plane's static pods "
                + "restart in turn.";
    }
}
