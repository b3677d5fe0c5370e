package io.kubewizard.cli;

import io.kubewizard.answers.AnswersLoader;
import io.kubewizard.bundle.Bundle;
import io.kubewizard.bundle.Http;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "bundle", header = "Assemble an offline bundle for an air-gapped install", description = "Assembles an offline bundle in DIR for the answers: the images (one OCI "
        + "archive per image and arch), the downloads, and the .deb and .rpm packages of the Kubernetes and runtime "
        + "repositories for amd64 and arm64 (kubelet, kubeadm and kubectl at the cluster's version, the runtime's newest, "
        + "with their dependencies inside those repositories; the others are noted, for the nodes' OS repositories), "
        + "from the mirrors when set, and manifest.yaml with every file's sha256. Docker's repositories (containerd and "
        + "docker runtimes) are split by distribution: name them with --distribution and --releasever.")
final class BundleCommand implements Callable<Integer> {
    @Mixin AnswersOption answers;
    @Option(names = {"-o", "--output"}, required = true, paramLabel = "DIR", description = "The bundle directory.")
    Path output;
    @Option(names = "--distribution", paramLabel = "ID:CODENAME", description = "A distribution the deb nodes run, as ID and "
            + "VERSION_CODENAME in /etc/os-release (debian:bookworm, ubuntu:noble), for Docker's deb repository; repeatable.")
    List<String> distributions = new ArrayList<>();
    @Option(names = "--releasever", paramLabel = "N", description = "An EL release the rpm nodes run (9), yum's $releasever, "
            + "for Docker's rpm repository; repeatable.")
    List<String> releasevers = new ArrayList<>();
    @Option(names = "--arch", paramLabel = "ARCH", description = "A machine the nodes are: amd64 or arm64; repeatable. "
            + "Default: both.")
    List<String> arches = new ArrayList<>();
    @Spec CommandSpec spec;

    @Override
    public Integer call() throws CliException {
        AnswersLoader.Result result = answers.loadValid(spec);
        if (result == null) return ExitCodes.INVALID_INPUT;
        PrintWriter out = spec.commandLine().getOut();
        Bundle.Options options = new Bundle.Options(distributions, releasevers, arches);
        List<String> problems = Bundle.problems(result.spec(), options);
        if (!problems.isEmpty()) throw new CliException(ExitCodes.INVALID_INPUT, "bundle: " + String.join("\nbundle: ", problems));
        try {
            Bundle bundle = new Bundle(new Http());
            List<Bundle.Entry> entries = bundle.assemble(result.spec(), output, options);
            entries.forEach(e -> out.println(e.sha256() + "  " + e.path()));
            bundle.notes().forEach(n -> out.println("note: " + n));
            out.println("manifest.yaml sha256 " + Bundle.sha256(output.resolve("manifest.yaml")));
        } catch (Bundle.BundleException e) {
            throw new CliException(ExitCodes.RUN_FAILED, "bundle: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new CliException(ExitCodes.RUN_FAILED, "cannot write the bundle into " + output + ": " + IoMessages.describe(e), e);
        }
        out.flush();
        return ExitCodes.OK;
    }
}
