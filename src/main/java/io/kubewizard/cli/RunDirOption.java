package io.kubewizard.cli;

import io.kubewizard.answers.Spec.ClusterSpec;
import io.kubewizard.run.RunDirectory;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** {@code --state DIR}: where cluster state lives, {@code ./.kubewizard} unless told otherwise. */
final class RunDirOption {
    @Option(names = "--state", paramLabel = "DIR", defaultValue = RunDirectory.DEFAULT_BASE,
            description = "Directory of kubewizard's state per cluster (generated PKI, journal, logs); default: ${DEFAULT-VALUE}.")
    Path base;

    RunDirectory of(ClusterSpec spec) { return RunDirectory.of(base, spec); }
}
