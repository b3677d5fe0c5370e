package io.kubewizard.cli;

import io.kubewizard.plan.Workflow;
import picocli.CommandLine.Command;

/**
 * {@code kubewizard upgrade}: the cluster moved to the answers' kubernetesVersion, one minor at a
 * time, planned from the probed cluster like apply (the same options, the same engine).
 */
@Command(name = "upgrade", header = "Upgrade Kubernetes one minor version at a time", mixinStandardHelpOptions = true,
        description = "Upgrade Kubernetes to the answers file's kubernetesVersion, one minor at a time: per minor an "
        + "etcd snapshot kept in the run directory, kubeadm from the new minor's repository, kubeadm upgrade apply on "
        + "the first control plane and upgrade node on the others, then every node drained, its kubelet upgraded and "
        + "uncordoned (workers upgrade.maxUnavailable at a time). Refused (exit 3) before anything changes for a "
        + "downgrade, a node NotReady or cordoned, an unhealthy control plane or etcd. --dry-run shows every step; "
        + "--resume continues a failed or interrupted upgrade.")
final class UpgradeCommand extends ApplyCommand {
    @Override
    Workflow workflow() { return Workflow.UPGRADE; }

    @Override
    String verb() { return "upgrade"; }

    @Override
    String question(io.kubewizard.answers.Spec.ClusterSpec cluster) {
        return "Upgrade cluster '" + cluster.cluster().name() + "' to Kubernetes " + cluster.version() + "? Every node "
                + "is drained in turn.";
    }
}
