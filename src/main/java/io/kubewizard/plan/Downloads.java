package io.kubewizard.plan;

import io.kubewizard.answers.Downloadables;
import io.kubewizard.answers.Downloadables.Download;
import io.kubewizard.answers.Downloadables.Use;
import io.kubewizard.answers.Spec.ClusterSpec;
import io.kubewizard.answers.Spec.Host;
import io.kubewizard.render.RenderedFile;

import java.util.ArrayList;
import java.util.List;

/**
 * How a node gets each file of {@link Downloadables}: from {@code mirrors.downloads.baseUrl} by its
 * name, uploaded from the jump host ({@code mirrors.downloads.files}), or from its public URL. Every
 * one the answers pin is checked against its sha256 on the node, and a mismatch stops the step with
 * both hashes; an uploaded one is also refused on the jump host when it changed since the plan.
 */
final class Downloads {
    private Downloads() {}

    /** Where uploaded and fetched downloads are kept on a node. */
    static final String DIR = "/var/lib/kubewizard/downloads";

    static List<Download> of(ClusterSpec spec, Use use) {
        return Downloadables.of(spec).stream().filter(d -> d.use() == use).toList();
    }

    /** Whether the nodes get the downloads by name (a mirror, the jump host, a bundle), not from their public URLs. */
    static boolean fromFiles(ClusterSpec spec) {
        return spec.offline().isSet() || spec.mirrors().downloads().mirrored();
    }

    /** The file on the node once {@link #fetch} ran. */
    static String path(Download d) { return DIR + "/" + d.name(); }

    /** Whether the node gets the file at all: not a per-machine one the mirrored answers left out. */
    static boolean available(ClusterSpec spec, Download d) {
        if (spec.offline().isSet()) return spec.offline().download(d.name()) != null;
        var m = spec.mirrors().downloads();
        if (!m.mirrored()) return true;
        return m.sha256().containsKey(d.name()) && (m.files().containsKey(d.name()) || !m.baseUrl().isEmpty());
    }

    /** The jump-host files a step uploads for these downloads (mirrors.downloads.files). */
    static List<RenderedFile> uploads(ClusterSpec spec, Host h, List<Download> downloads) {
        List<RenderedFile> out = new ArrayList<>();
        var m = spec.mirrors().downloads();
        for (Download d : downloads) {
            var bundled = spec.offline().download(d.name());
            if (spec.offline().isSet()) {
                if (bundled != null) out.add(RenderedFile.ofLocal(h.name(), path(d), 0644, bundled.local(), bundled.sha256()));
                continue;
            }
            String local = m.files().get(d.name());
            if (local != null && m.sha256().containsKey(d.name())) {
                out.add(RenderedFile.ofLocal(h.name(), path(d), 0644, local, m.sha256().get(d.name())));
            }
        }
        return out;
    }

    /** Puts the download at {@link #path}: fetched (or already uploaded), then checked when pinned. */
    static String fetch(ClusterSpec spec, Download d) {
        var m = spec.mirrors().downloads();
        String dest = Shell.quote(path(d));
        if (spec.offline().isSet()) {
            var bundled = spec.offline().download(d.name());
            if (bundled == null) return "echo 'the bundle holds no " + d.name() + "' >&2; exit 1";
            return "test -s " + dest + " && " + Shell.sha256Check(dest, bundled.sha256(), d.name());
        }
        String sha = m.sha256().get(d.name());
        String get;
        if (m.files().containsKey(d.name())) {
            get = "test -s " + dest;
        } else if (m.mirrored() && m.baseUrl().isEmpty()) {
            // downloads from the jump host only: one it does not have is not fetched from anywhere else
            return "echo '" + d.name() + " is in neither mirrors.downloads.files nor under a baseUrl' >&2; exit 1";
        } else {
            String url = m.baseUrl().isEmpty() ? d.publicUrl()
                    : (m.baseUrl().endsWith("/") ? m.baseUrl() : m.baseUrl() + "/") + d.name();
            get = "install -d -m 0755 " + DIR + " && curl -fsSL -o " + dest + " " + Shell.quote(url);
        }
        return sha == null ? get : get + " && " + Shell.sha256Check(dest, sha, d.name());
    }

    /**
     * A shell {@code case} over {@code uname -m} that fetches the download built for the machine, for
     * per-machine files (cri-dockerd, Helm); a machine without one stops with a message.
     */
    static String fetchForMachine(ClusterSpec spec, List<Download> perMachine, String what) {
        StringBuilder cases = new StringBuilder("case \"$(uname -m)\" in ");
        List<String> machines = new ArrayList<>();
        for (Download d : perMachine) {
            if (!available(spec, d)) continue;
            machines.add(d.machine());
            cases.append(d.machine()).append(") f=").append(Shell.quote(path(d))).append(" && ")
                    .append(fetch(spec, d)).append(" ;; ");
        }
        return cases + "*) echo \"" + what + " has no build for $(uname -m) here, only for " + String.join(", ", machines)
                + "\" >&2; exit 1 ;; esac";
    }
}
