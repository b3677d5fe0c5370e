package io.kubewizard.cli;

import io.kubewizard.answers.Spec.ClusterSpec;
import io.kubewizard.plan.Workflow;
import io.kubewizard.run.Backups;
import io.kubewizard.run.Engine;
import io.kubewizard.run.RunDirectory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;

/**
 * {@code kubewizard backup}: an etcd snapshot and the control planes' CAs and service-account keys,
 * fetched into {@code <run dir>/backups/<UTC timestamp>/} with a manifest (run/Backups). It runs as
 * apply does (probe, plan, run, journal) but changes nothing on the cluster and records no answers.
 */
@Command(name = "backup", header = "Take an etcd snapshot and keep it with the cluster's CAs", mixinStandardHelpOptions = true,
        description = "Back up etcd: a snapshot through the running etcd (the first control plane's, or the first "
        + "external member's), checked with snapshot status on the node and against its own hash here, fetched over SFTP "
        + "with every control plane's CAs and service-account keys into <run dir>/backups/<UTC time>/ (0700) with a "
        + "manifest of each file's sha256 and the cluster's version. Nothing secret is printed or logged.")
final class BackupCommand extends ApplyCommand {
    @Option(names = "--keep", paramLabel = "N", description = "Keep only the newest N backups, this one included (default: all).")
    int keep;

    @Override
    Workflow workflow() { return Workflow.BACKUP; }

    @Override
    String verb() { return "backup"; }

    @Override
    String question(ClusterSpec cluster) { return null; }

    @Override
    void checkOptions() throws CliException {
        if (keep < 0) throw new CliException(ExitCodes.INVALID_INPUT, "--keep must be 0 (keep all) or more, not " + keep);
    }

    @Override
    void succeeded(Engine.Outcome outcome, ClusterSpec cluster, RunDirectory dir, PrintWriter out) throws IOException, CliException {
        var current = outcome.plan().change().current();
        Backups.Made made;
        try {
            made = Backups.collect(dir, outcome.plan(), Workflow.BACKUP_SNAPSHOT,
                    current == null ? cluster.version().toString() : current.toString(), env.clock().instant(), keep);
        } catch (IOException e) {
            throw new CliException(ExitCodes.RUN_FAILED, "the backup is not usable: " + e.getMessage());
        }
        out.println("Backup: " + made.directory() + " (etcd snapshot of " + made.snapshotHost() + ", " + made.snapshotBytes()
                + " bytes, sha256 " + made.snapshotSha256() + "; " + made.files() + " files listed in " + Backups.MANIFEST + ")");
        for (Path p : made.pruned()) out.println("Pruned " + p + " (--keep " + keep + ")");
    }
}
