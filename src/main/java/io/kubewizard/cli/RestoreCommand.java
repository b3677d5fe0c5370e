package io.kubewizard.cli;

import io.kubewizard.answers.Spec.ClusterSpec;
import io.kubewizard.plan.Plan;
import io.kubewizard.plan.Workflow;
import io.kubewizard.run.Backups;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;

/**
 * {@code kubewizard restore --from DIR}: disaster recovery of etcd (stacked or external) from a backup that
 * {@code kubewizard backup} made (plan/RestoreEtcd). The backup is checked against its manifest
 * before anything is planned; the run asks first (--yes without a terminal).
 */
@Command(name = "restore", header = "Restore etcd from a backup", mixinStandardHelpOptions = true,
        description = "Restore etcd from a backup: every API server and etcd member stopped, the snapshot restored on "
        + "every member (control planes, or external etcd hosts) with its name and peer URL from the answers into a fresh data directory, the "
        + "CAs put back where a node lost them, etcd started and healthy, then the API servers, then the nodes verified. "
        + "Refused (exit 3, nothing stopped) for a backup whose files do not match its manifest or that is of another "
        + "cluster. Asks first; without a terminal --yes is needed. Stacked etcd, or external etcd hosts.")
final class RestoreCommand extends ApplyCommand {
    @Option(names = "--from", required = true, paramLabel = "DIR", description = "The backup: a directory kubewizard backup made.")
    Path from;

    private Plan.Restore restore;

    @Override
    Workflow workflow() { return Workflow.RESTORE; }

    @Override
    String verb() { return "restore"; }

    @Override
    boolean confirmationRequired() { return true; }

    @Override
    Plan.Restore restore() { return restore; }

    @Override
    void checkSpec(ClusterSpec cluster) throws CliException {
        try {
            restore = Backups.load(from.toAbsolutePath().normalize(), cluster.cluster().name());
        } catch (IOException e) {
            throw new CliException(ExitCodes.REFUSED, "the backup is refused, and nothing was stopped: " + e.getMessage());
        }
    }

    @Override
    String question(ClusterSpec cluster) {
        return "Restore cluster '" + cluster.cluster().name() + "' from " + from + "? Every API server and etcd member stops, "
                + "and the cluster goes back to the backup's state.";
    }
}
