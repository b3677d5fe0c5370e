package io.kubewizard.run;

import io.kubewizard.answers.AnswersLoader;
import io.kubewizard.answers.AnswersWriter;
import io.kubewizard.answers.Spec.ClusterSpec;
import io.kubewizard.answers.Spec.Host;
import io.kubewizard.answers.Spec.Role;
import io.kubewizard.answers.Spec.Topology;
import io.kubewizard.plan.Observed;
import io.kubewizard.plan.Observed.EtcdMember;
import io.kubewizard.plan.Observed.HostState;
import io.kubewizard.plan.Observed.NodeReport;
import io.kubewizard.plan.Observed.NodeView;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the run directory remembers of the cluster between runs: the answers last applied
 * ({@code applied.yaml}, written only by a run that succeeded). The hosts no longer in the file
 * are the ones that leave, and previews plan from the cluster that apply left. Reading never writes.
 */
public final class RunRecord {
    private RunRecord() {}

    public static final String APPLIED = "applied.yaml";
    public static final String HISTORY = "history";

    /** The hosts of the answers last applied (those marked remove: true included); empty before the first apply. */
    public static List<Host> applied(RunDirectory dir) {
        ClusterSpec spec = appliedSpec(dir);
        if (spec == null) return List.of();
        List<Host> out = new ArrayList<>(spec.hosts());
        out.addAll(spec.removed());
        return out;
    }

    /** The answers last applied; null before the first apply (or when the record cannot be read). */
    public static ClusterSpec appliedSpec(RunDirectory dir) {
        Path file = dir.path().resolve(APPLIED);
        if (!Files.isRegularFile(file)) return null;
        return AnswersLoader.load(file).spec();
    }

    /**
     * The cluster as an apply of these hosts left it, for previews that connect to nothing: every
     * host a Ready node (or, on external etcd hosts, a started member), nothing else in it.
     */
    public static Observed assumed(ClusterSpec spec, List<Host> applied) {
        return assumed(spec, applied, spec.version().toString());
    }

    /** As {@link #assumed(ClusterSpec, List)}, the cluster running {@code version} (the one last applied). */
    public static Observed assumed(ClusterSpec spec, List<Host> applied, String version) {
        boolean stacked = spec.cluster().topology() == Topology.STACKED;
        List<NodeView> nodes = new ArrayList<>();
        List<EtcdMember> members = new ArrayList<>();
        for (Host h : applied) {
            if (!h.is(Role.ETCD)) nodes.add(new NodeView(h.name(), true, false, "v" + version, h.is(Role.CONTROL_PLANE)));
            if (h.is(Role.ETCD) || (stacked && h.is(Role.CONTROL_PLANE))) {
                members.add(new EtcdMember(h.name(), h.name(), "https://" + h.internalAddress() + ":2380", true));
            }
        }
        Map<String, HostState> hosts = new LinkedHashMap<>();
        for (Host h : applied) {
            boolean cp = h.is(Role.CONTROL_PLANE);
            boolean etcd = h.is(Role.ETCD) || (stacked && cp);
            hosts.put(h.name(), new HostState(true, null, null, new NodeReport("v" + version, "v" + version,
                    !h.is(Role.ETCD), cp, cp ? nodes : null, etcd ? members : null, cp ? "v" + version : null,
                    cp ? List.of() : null)));
        }
        return new Observed(hosts);
    }

    /** The answers as applied, hosts that left dropped: they are not the cluster's any more. */
    static void saveApplied(RunDirectory dir, ClusterSpec spec) throws IOException {
        ClusterSpec kept = new ClusterSpec(spec.cluster(), spec.network(), spec.runtime(), spec.pki(), spec.security(),
                spec.components(), spec.ssh(), spec.hosts());
        write(dir.path().resolve(APPLIED), AnswersWriter.toYaml(kept));
    }

    /**
     * After a reset: the journal, kubeconfig and records describe a cluster that no longer exists, so
     * they move to {@code history/<instant>/}, where they stay to be read; the next apply starts afresh.
     */
    static void archive(RunDirectory dir, Instant at) throws IOException {
        Path to = dir.path().resolve(HISTORY).resolve(at.toString().replace(':', '-'));
        for (String name : List.of(Journal.FILE, FetchedFiles.KUBECONFIG, APPLIED)) {
            Path from = dir.path().resolve(name);
            if (!Files.exists(from)) continue;
            Files.createDirectories(to);
            Files.move(from, to.resolve(name), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void write(Path file, String text) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
