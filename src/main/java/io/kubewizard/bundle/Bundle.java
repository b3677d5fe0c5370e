package io.kubewizard.bundle;

import io.kubewizard.answers.Downloadables;
import io.kubewizard.answers.Spec.ClusterSpec;
import io.kubewizard.render.Images;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * Assembles an offline bundle directory for an answers file (layout in docs/answers.md, "Offline
 * bundle"): the images the cluster runs as one-platform OCI archives, the downloads, and
 * manifest.yaml with every file's sha256, written last by an atomic rename so a directory without
 * it is not a bundle. Packages are not fetched yet (see docs/answers.md).
 */
public final class Bundle {
    /** A refusal the command reports as a failed run: an unreachable source, a wrong hash. */
    public static final class BundleException extends Exception {
        public BundleException(String message) { super(message); }
    }

    /** One manifest entry; family, arch and version are "" where they do not apply. */
    public record Entry(String path, String kind, String family, String arch, String name, String version,
                        String sha256, long size) {}

    /** The architectures a bundle carries images for (OCI names). */
    public static final List<String> ARCHES = List.of("amd64", "arm64");

    private final Http http;

    public Bundle(Http http) { this.http = http; }

    /** Fetches everything into {@code dir}, writes manifest.yaml last and returns the entries. */
    public List<Entry> assemble(ClusterSpec spec, Path dir) throws BundleException, IOException {
        Files.createDirectories(dir);
        Files.deleteIfExists(dir.resolve("manifest.yaml"));
        List<Entry> entries = new ArrayList<>();
        entries.addAll(downloads(spec, dir));
        java.util.Set<String> plainHttp = new java.util.HashSet<>();
        spec.mirrors().registries().values().forEach(m -> m.endpoints().stream().map(io.kubewizard.answers.MirrorUrl::parse)
                .filter(u -> u != null && u.plainHttp()).forEach(u -> plainHttp.add(u.hostPort())));
        Registry registry = new Registry(http, plainHttp);
        for (Images.Image image : Images.of(spec)) {
            for (String arch : ARCHES) {
                String rel = "images/" + arch + "/" + image.pulled().replace('/', '_').replace(':', '_') + ".tar";
                Path target = dir.resolve(rel);
                Files.createDirectories(target.getParent());
                registry.saveOciArchive(image.pulled(), arch, target);
                entries.add(new Entry(rel, "image", "", arch, image.pulled(), "", sha256(target), Files.size(target)));
            }
        }
        entries.sort(Comparator.comparing(Entry::path));
        String manifest = manifest(spec, entries);
        Path tmp = dir.resolve(".manifest.yaml.tmp");
        Files.writeString(tmp, manifest, StandardCharsets.UTF_8);
        Files.move(tmp, dir.resolve("manifest.yaml"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return entries;
    }

    private List<Entry> downloads(ClusterSpec spec, Path dir) throws BundleException, IOException {
        List<Entry> out = new ArrayList<>();
        String base = spec.mirrors().downloads().baseUrl();
        for (Downloadables.Download d : Downloadables.of(spec)) {
            String url = base.isEmpty() ? d.publicUrl() : (base.endsWith("/") ? base : base + "/") + d.name();
            String rel = "downloads/" + d.name();
            Path target = dir.resolve(rel);
            Files.createDirectories(target.getParent());
            String got = http.download(URI.create(url), target);
            String pinned = spec.mirrors().downloads().sha256().getOrDefault(d.name(), "");
            if (!pinned.isEmpty() && !pinned.equalsIgnoreCase(got)) {
                Files.deleteIfExists(target);
                throw new BundleException("download " + d.name() + " from " + url + ": sha256 " + got
                        + ", mirrors.downloads.sha256 pins " + pinned.toLowerCase(Locale.ROOT));
            }
            out.add(new Entry(rel, "download", "", "", d.name(), "", got, Files.size(target)));
        }
        return out;
    }

    /** The manifest text for the entries (sorted by path), as docs/answers.md shows it. */
    public static String manifest(ClusterSpec spec, List<Entry> entries) {
        StringBuilder b = new StringBuilder();
        b.append("# kubewizard bundle manifest: every file with its sha256; apply checks it before uploading\n");
        b.append("apiVersion: kubewizard.io/v1alpha1\nkind: Bundle\n");
        b.append("kubernetesVersion: ").append(spec.cluster().kubernetesVersion()).append('\n');
        b.append("runtime: ").append(spec.runtime().type().name().toLowerCase(Locale.ROOT)).append('\n');
        b.append("cni: ").append(spec.network().cni().name().toLowerCase(Locale.ROOT)).append('\n');
        b.append("files:\n");
        for (Entry e : entries) {
            b.append("  - path: ").append(e.path()).append('\n');
            b.append("    kind: ").append(e.kind()).append('\n');
            if (!e.family().isEmpty()) b.append("    family: ").append(e.family()).append('\n');
            if (!e.arch().isEmpty()) b.append("    arch: ").append(e.arch()).append('\n');
            b.append("    name: ").append(e.name()).append('\n');
            if (!e.version().isEmpty()) b.append("    version: ").append(e.version()).append('\n');
            b.append("    sha256: ").append(e.sha256()).append('\n');
            b.append("    size: ").append(e.size()).append('\n');
        }
        return b.toString();
    }

    public static String sha256(Path p) throws IOException {
        MessageDigest md = digest();
        try (InputStream in = Files.newInputStream(p)) {
            byte[] buf = new byte[65536];
            for (int n; (n = in.read(buf)) > 0; ) md.update(buf, 0, n);
        }
        return HexFormat.of().formatHex(md.digest());
    }

    public static String sha256(byte[] data) { return HexFormat.of().formatHex(digest().digest(data)); }

    static MessageDigest digest() {
        try { return MessageDigest.getInstance("SHA-256"); }
        catch (NoSuchAlgorithmException e) { throw new IllegalStateException(e); }
    }


}
