package io.kubewizard.render;

import io.kubewizard.answers.Spec.ClusterSpec;
import io.kubewizard.answers.Spec.Host;
import io.kubewizard.pki.PkiMaterial;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Spec (+ secrets) to every file every host needs. Pure: no I/O, no clock, no randomness, so
 * the output is a golden-testable value. The parts are independent renderers, one per concern.
 */
public final class Render {
    private Render() {}

    /** Every file of the cluster, ordered by host (file order), then path. */
    public static List<RenderedFile> render(ClusterSpec spec, Secrets secrets) {
        List<RenderedFile> out = new ArrayList<>();
        out.addAll(NodePrep.files(spec));
        out.addAll(spec.offline().isSet() ? OfflineFiles.files(spec) : PackageRepos.files(spec));
        out.addAll(RuntimeConfig.files(spec));
        out.addAll(MirrorConfig.files(spec));
        out.addAll(LoadBalancerConfig.files(spec));
        out.addAll(ExternalEtcd.files(spec));
        out.addAll(KubeadmConfig.files(spec, secrets));
        out.addAll(CniConfig.files(spec));
        out.sort(byHostThenPath(spec));
        return List.copyOf(out);
    }

    /** As {@link #render(ClusterSpec, Secrets)}, plus the PKI files kubewizard generated (pki.generatedBy: kubewizard, external etcd). */
    public static List<RenderedFile> render(ClusterSpec spec, Secrets secrets, PkiMaterial pki) {
        List<RenderedFile> out = new ArrayList<>(render(spec, secrets));
        out.addAll(PkiFiles.files(spec, pki));
        out.sort(byHostThenPath(spec));
        return List.copyOf(out);
    }

    private static Comparator<RenderedFile> byHostThenPath(ClusterSpec spec) {
        Map<String, Integer> order = new HashMap<>();
        for (Host h : spec.hosts()) order.put(h.name(), order.size());
        return Comparator.comparing((RenderedFile f) -> order.getOrDefault(f.host(), Integer.MAX_VALUE))
                .thenComparing(RenderedFile::path);
    }

    /** The files of one host. */
    public static List<RenderedFile> forHost(List<RenderedFile> files, String host) {
        return files.stream().filter(f -> f.host().equals(host)).toList();
    }
}
