package io.kubewizard.run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Where downloads land in the run directory, 0600 (they hold credentials): the admin kubeconfig
 * as {@code <run dir>/kubeconfig} with its context named after the cluster, anything else under
 * {@code <run dir>/fetched/<host>/<absolute path>}, but for the node conformance results, which go to
 * {@code <run dir>/node-conformance/<host>/<file>} (plan/NodeConformance).
 */
public final class FetchedFiles implements Executor.Downloads {
    public static final String KUBECONFIG = "kubeconfig";
    static final String ADMIN_CONF = "/etc/kubernetes/admin.conf";
    public static final String NODE_CONFORMANCE = "node-conformance";

    private final Path runDir;
    private final String cluster;
    private volatile String kubeconfig;

    public FetchedFiles(Path runDir, String cluster) {
        this.runDir = runDir;
        this.cluster = cluster;
    }

    @Override
    public String save(String host, String path, byte[] content) throws IOException {
        if (path.equals(ADMIN_CONF)) {
            String renamed = Kubeconfigs.renameContext(new String(content, StandardCharsets.UTF_8), cluster);
            Path target = runDir.resolve(KUBECONFIG);
            RunSecrets.writePrivate(target, renamed);
            kubeconfig = target.toString();
            return kubeconfig;
        }
        String results = io.kubewizard.plan.NodeConformance.RESULTS_DIR + "/";
        boolean conformance = path.startsWith(results);
        Path hostDir = conformance ? nodeConformance(runDir, host) : runDir.resolve("fetched").resolve(host);
        Path target = hostDir.resolve(conformance ? path.substring(results.length()) : path.substring(1)).normalize();
        if (!target.startsWith(hostDir)) throw new IllegalArgumentException(path + " leaves " + hostDir);
        privateDirectories(target.getParent());
        RunSecrets.writePrivate(target, content);
        return target.toString();
    }

    /** The node conformance results of an earlier run go before this run's are fetched. */
    @Override
    public void forgetDirectory(String host, String directory) throws IOException {
        if (!directory.equals(io.kubewizard.plan.NodeConformance.RESULTS_DIR + "/")) return;
        Path dir = nodeConformance(runDir, host);
        if (!java.nio.file.Files.isDirectory(dir)) return;
        try (var files = java.nio.file.Files.list(dir)) {
            for (Path f : files.toList()) {
                if (java.nio.file.Files.isRegularFile(f, java.nio.file.LinkOption.NOFOLLOW_LINKS)) java.nio.file.Files.delete(f);
            }
        }
    }

    /** Where a node's conformance results are kept. */
    public static Path nodeConformance(Path runDir, String host) {
        return runDir.resolve(NODE_CONFORMANCE).resolve(host);
    }

    private void privateDirectories(Path dir) throws IOException {
        if (dir.equals(runDir) || java.nio.file.Files.isDirectory(dir)) return;
        privateDirectories(dir.getParent());
        RunSecrets.privateDirectory(dir);
    }

    @Override
    public String kubeconfig() { return kubeconfig; }
}
