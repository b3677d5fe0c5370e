package io.kubewizard.render;

import io.kubewizard.answers.MirrorUrl;
import io.kubewizard.answers.Spec.ClusterSpec;
import io.kubewizard.answers.Spec.Host;
import io.kubewizard.answers.Spec.RegistryMirror;
import io.kubewizard.answers.Spec.RuntimeType;
import io.kubewizard.render.RenderedFile.OsFamily;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The runtime's registry mirrors ({@code mirrors.registries}, docs/kubeadm.md "Mirrors and offline
 * installs") and the mirrors' CA files, on every host:
 * <ul>
 *   <li>containerd: {@code /etc/containerd/certs.d/<registry>/hosts.toml}, read through the
 *   {@code config_path} {@link RuntimeConfig} sets. The endpoints are tried in the answers' order; the
 *   last one is the {@code server}, so a pull never falls back to the public registry;</li>
 *   <li>CRI-O: one {@code /etc/containers/registries.conf.d/} file, a {@code [[registry]]} per registry
 *   whose {@code location} is the last endpoint and whose {@code [[registry.mirror]]}s are the others;</li>
 *   <li>Docker Engine: {@code registry-mirrors} (docker.io only) in daemon.json ({@link RuntimeConfig});
 *   the other registries' images are named by their mirror in every file kubewizard writes ({@link Images}).</li>
 * </ul>
 * A CA goes into the OS trust store (what curl, apt and dnf use towards a mirror), and where the
 * runtime looks for a registry host's CA: containerd's {@code ca =}, {@code /etc/containers/certs.d} for
 * CRI-O, {@code /etc/docker/certs.d} for Docker.
 */
public final class MirrorConfig {
    private MirrorConfig() {}

    public static final String CONTAINERD_CERTS_D = "/etc/containerd/certs.d";
    public static final String CRIO_REGISTRIES = "/etc/containers/registries.conf.d/50-kubewizard-mirrors.conf";
    static final String DEB_TRUST = "/usr/local/share/ca-certificates/";
    static final String RPM_TRUST = "/etc/pki/ca-trust/source/anchors/";

    static List<RenderedFile> files(ClusterSpec spec) {
        Map<String, RegistryMirror> registries = spec.mirrors().registries();
        List<RenderedFile> out = new ArrayList<>();
        if (registries.isEmpty()) return out;
        RuntimeType type = spec.runtime().type();
        for (Host h : spec.hosts()) {
            registries.forEach((registry, m) -> {
                List<MirrorUrl> endpoints = endpoints(m);
                if (endpoints.isEmpty()) return;
                if (!m.ca().isEmpty()) {
                    String name = "kubewizard-" + registry.replace(':', '_') + ".crt";
                    out.add(RenderedFile.ofLocal(h.name(), DEB_TRUST + name, 0644, m.ca(), m.caSha256()).onlyFor(OsFamily.DEB));
                    out.add(RenderedFile.ofLocal(h.name(), RPM_TRUST + name, 0644, m.ca(), m.caSha256()).onlyFor(OsFamily.RPM));
                }
                switch (type) {
                    case CONTAINERD -> {
                        String dir = CONTAINERD_CERTS_D + "/" + registry;
                        String ca = m.ca().isEmpty() ? null : dir + "/ca.crt";
                        if (ca != null) out.add(RenderedFile.ofLocal(h.name(), ca, 0644, m.ca(), m.caSha256()));
                        out.add(RenderedFile.of(h.name(), dir + "/hosts.toml", 0644, hostsToml(endpoints, ca)));
                    }
                    case CRI_O, DOCKER -> {
                        if (m.ca().isEmpty()) break;
                        String base = type == RuntimeType.CRI_O ? "/etc/containers/certs.d/" : "/etc/docker/certs.d/";
                        for (String hostPort : endpoints.stream().map(MirrorUrl::hostPort).distinct().toList()) {
                            out.add(RenderedFile.ofLocal(h.name(), base + hostPort + "/ca.crt", 0644, m.ca(), m.caSha256()));
                        }
                    }
                }
            });
            if (type == RuntimeType.CRI_O) out.add(RenderedFile.of(h.name(), CRIO_REGISTRIES, 0644, crioRegistries(registries)));
        }
        return dedupe(out);
    }

    /** Two registries behind one mirror host share its certs.d file: it is written once. */
    private static List<RenderedFile> dedupe(List<RenderedFile> files) {
        Map<String, RenderedFile> byKey = new java.util.LinkedHashMap<>();
        for (RenderedFile f : files) byKey.putIfAbsent(f.host() + "\u0000" + f.os() + "\u0000" + f.path(), f);
        return new ArrayList<>(byKey.values());
    }

    static List<MirrorUrl> endpoints(RegistryMirror m) {
        return m.endpoints().stream().map(MirrorUrl::parse).filter(java.util.Objects::nonNull).toList();
    }

    /** The URL containerd talks to: with a path, {@code /v2/<path>} and {@code override_path}. */
    private static String containerdUrl(MirrorUrl u) {
        return u.path().isEmpty() ? u.origin() : u.origin() + "/v2/" + u.path();
    }

    static String hostsToml(List<MirrorUrl> endpoints, String ca) {
        StringBuilder sb = new StringBuilder("""
                # Written by kubewizard (mirrors.registries): this registry's images come from its mirrors, in
                # order. The last one is the server, so a pull never falls back to the registry itself.
                """);
        MirrorUrl server = endpoints.get(endpoints.size() - 1);
        sb.append("server = ").append(quoted(containerdUrl(server))).append('\n');
        hostSettings(sb, server, ca, "");
        for (MirrorUrl u : endpoints.subList(0, endpoints.size() - 1)) {
            sb.append("\n[host.").append(quoted(containerdUrl(u))).append("]\n");
            sb.append("  capabilities = [\"pull\", \"resolve\"]\n");
            hostSettings(sb, u, ca, "  ");
        }
        return sb.toString();
    }

    private static void hostSettings(StringBuilder sb, MirrorUrl u, String ca, String indent) {
        if (!u.path().isEmpty()) sb.append(indent).append("override_path = true\n");
        if (ca != null && !u.plainHttp()) sb.append(indent).append("ca = ").append(quoted(ca)).append('\n');
    }

    static String crioRegistries(Map<String, RegistryMirror> registries) {
        StringBuilder sb = new StringBuilder("""
                # Written by kubewizard (mirrors.registries): each prefix's images come from its mirrors, in order.
                # location is the last mirror, so a pull never falls back to the registry the prefix names.
                """);
        registries.forEach((registry, m) -> {
            List<MirrorUrl> endpoints = endpoints(m);
            if (endpoints.isEmpty()) return;
            MirrorUrl location = endpoints.get(endpoints.size() - 1);
            sb.append("\n[[registry]]\n");
            sb.append("prefix = ").append(quoted(registry)).append('\n');
            sb.append("location = ").append(quoted(location.reference())).append('\n');
            if (location.plainHttp()) sb.append("insecure = true\n");
            for (MirrorUrl u : endpoints.subList(0, endpoints.size() - 1)) {
                sb.append("\n[[registry.mirror]]\n");
                sb.append("location = ").append(quoted(u.reference())).append('\n');
                if (u.plainHttp()) sb.append("insecure = true\n");
            }
        });
        return sb.toString();
    }

    /** Docker's {@code registry-mirrors}: the docker.io endpoints (Docker mirrors no other registry). */
    static List<String> dockerRegistryMirrors(ClusterSpec spec) {
        RegistryMirror m = spec.mirrors().registry("docker.io");
        return m == null ? List.of() : endpoints(m).stream().map(MirrorUrl::origin).toList();
    }

    /** Docker's {@code insecure-registries}: every mirror host reached over plain http. */
    static List<String> dockerInsecureRegistries(ClusterSpec spec) {
        List<String> out = new ArrayList<>();
        for (RegistryMirror m : spec.mirrors().registries().values()) {
            for (MirrorUrl u : endpoints(m)) if (u.plainHttp() && !out.contains(u.hostPort())) out.add(u.hostPort());
        }
        return out;
    }

    private static String quoted(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
