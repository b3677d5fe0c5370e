package io.kubewizard.plan;

import io.kubewizard.answers.Spec.Host;
import io.kubewizard.answers.Spec.RuntimeType;

import java.util.List;

/**
 * {@code verify --node-conformance NODE}: the node conformance test container ("Validate node setup"
 * in the Kubernetes documentation) run on one node with its documented mounts: the node's root
 * read-only at /rootfs, the kubelet's pod manifest directory ({@value Paths#MANIFESTS_DIR} under
 * kubeadm) at the same path, and a fresh 0700 results directory at /var/result. The runtime's own CLI
 * runs it: {@code ctr} (namespace k8s.io, the kubelet's) for containerd, {@code docker run} for Docker;
 * CRI-O has no container CLI on the node, so the command refuses it before anything runs
 * (cli/VerifyCommand). The image is {@code node-test} (per architecture {@code node-test-amd64},
 * {@code -arm}, {@code -arm64} when the facts have the node's) from the cluster's imageRepository, as
 * the test pods' agnhost image is. A second step, run however the test went, fetches the results
 * directory's files into the run directory (run/FetchedFiles: {@code node-conformance/<node>/}).
 */
public final class NodeConformance {
    private NodeConformance() {}

    static final StepId RUN = new StepId("verify/node-conformance");
    static final StepId RESULTS = new StepId("verify/node-conformance-results");
    /** The results directory on the node; its files land under the run directory's node-conformance/NODE/. */
    public static final String RESULTS_DIR = "/var/lib/kubewizard/node-conformance";
    public static final String IMAGE = "node-test";
    public static final String TAG = "0.2";
    /** The name of the container ctr runs (ctr needs one). */
    static final String CONTAINER = "node-conformance";

    /** @param arch the node's {@code uname -m} as the facts have it; null when they have none */
    record Target(String host, String arch) {}

    /** The image for a node of this architecture: the arch's own when it is known. */
    static String image(String repository, String arch) {
        String suffix = arch == null ? "" : switch (arch) {
            case "x86_64", "amd64" -> "-amd64";
            case "aarch64", "arm64" -> "-arm64";
            case "armv7l", "armv6l", "arm" -> "-arm";
            default -> "";
        };
        return repository + "/" + IMAGE + suffix + ":" + TAG;
    }

    /** The commands, in order, that run the test on a node of this runtime; CRI-O has none (refused before). */
    static List<String> commands(RuntimeType runtime, String image) {
        String manifests = Paths.MANIFESTS_DIR;
        // ctr binds only what exists (docker -v would make it): a worker may have no manifest directory.
        String fresh = "mkdir -p " + manifests + " " + RESULTS_DIR.substring(0, RESULTS_DIR.lastIndexOf('/')) + " && rm -rf "
                + RESULTS_DIR + " && mkdir -m 0700 " + RESULTS_DIR;
        return switch (runtime) {
            case CONTAINERD -> List.of(fresh,
                    "ctr -n k8s.io images pull " + image,
                    "ctr -n k8s.io run --rm --privileged --net-host"
                            + " --mount type=bind,src=/,dst=/rootfs,options=rbind:ro"
                            + " --mount type=bind,src=" + manifests + ",dst=" + manifests + ",options=rbind:rw"
                            + " --mount type=bind,src=" + RESULTS_DIR + ",dst=/var/result,options=rbind:rw"
                            + " " + image + " " + CONTAINER);
            case DOCKER -> List.of(fresh,
                    "docker run --rm --privileged --net=host -v /:/rootfs:ro -v " + manifests + ":" + manifests
                            + " -v " + RESULTS_DIR + ":/var/result " + image);
            case CRI_O -> throw new IllegalArgumentException("CRI-O has no container CLI to run the node conformance test with");
        };
    }

    /** The test on the asked node, after {@code after}, and the fetch of its results, which always runs. */
    static void addSteps(Draft d, String after) {
        Target t = d.nodeConformance;
        if (t == null) return;
        Host h = d.spec.hosts().stream().filter(x -> x.name().equals(t.host())).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("--node-conformance " + t.host() + " is not a host of the answers"));
        String image = image(io.kubewizard.render.Images.repository(d.spec), t.arch());
        var run = d.add(RUN, h.name(), h, "Run the node conformance test (" + image + ") on " + h.name())
                .run(commands(d.spec.runtime().type(), image));
        if (after != null) run.after(after);
        String ran = run.key();
        d.add(RESULTS, h.name(), h, "Fetch the node conformance results of " + h.name())
                .always().after(ran)
                .download(RESULTS_DIR + "/");
    }
}
