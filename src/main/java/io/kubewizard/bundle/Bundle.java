package io.kubewizard.bundle;

import io.kubewizard.answers.Downloadables;
import io.kubewizard.answers.Spec.ClusterSpec;
import io.kubewizard.answers.Spec.PackageSource;
import io.kubewizard.answers.Spec.RuntimeType;
import io.kubewizard.render.PackageRepos;
import io.kubewizard.render.RenderedFile.OsFamily;
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
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Assembles an offline bundle directory for an answers file (layout in docs/answers.md, "Offline
 * bundle"): the images the cluster runs as one-platform OCI archives, the downloads, and
 * manifest.yaml with every file's sha256, written last by an atomic rename so a directory without
 * it is not a bundle. The .deb and .rpm packages of the Kubernetes and runtime repositories come
 * with their dependencies inside those repositories ({@link Packages}); what they depend on beyond
 * them is left to the nodes' own OS repositories and listed in {@link #notes()}.
 */
public final class Bundle {
    /** A refusal the command reports as a failed run: an unreachable source, a wrong hash. */
    public static final class BundleException extends Exception {
        public BundleException(String message) { super(message); }
    }

    /**
     * One manifest entry; family, arch, source and version are "" where they do not apply. source is
     * the package repository of a package ("kubernetes", "cri-o", "docker").
     */
    public record Entry(String path, String kind, String family, String arch, String source, String name, String version,
                        String sha256, long size) {}

    /**
     * What the answers do not say and Docker's repositories are split by: the distributions of the
     * deb nodes ("debian:bookworm", from ID and VERSION_CODENAME in /etc/os-release) and the EL
     * releases of the rpm nodes ("9", yum's $releasever).
     */
    /** @param arches the machines the nodes are (OCI names, of {@link #ARCHES}); empty: both */
    public record Options(List<String> distributions, List<String> releasevers, List<String> arches) {
        public static final Options NONE = new Options(List.of(), List.of());

        public Options {
            distributions = List.copyOf(new java.util.LinkedHashSet<>(distributions));
            releasevers = List.copyOf(new java.util.LinkedHashSet<>(releasevers));
            arches = arches.isEmpty() ? ARCHES : List.copyOf(new java.util.LinkedHashSet<>(arches));
        }

        public Options(List<String> distributions, List<String> releasevers) {
            this(distributions, releasevers, List.of());
        }
    }

    static final Pattern DISTRIBUTION = Pattern.compile("[a-z][a-z0-9]*:[a-z]+");
    static final Pattern RELEASEVER = Pattern.compile("[1-9][0-9]*");

    /** The architectures a bundle carries images for (OCI names). */
    public static final List<String> ARCHES = List.of("amd64", "arm64");

    private final Http http;
    private final Map<String, TreeSet<String>> outside = new LinkedHashMap<>();

    public Bundle(Http http) { this.http = http; }

    /**
     * What keeps {@code options} from serving the answers, one message each, empty when nothing does:
     * a malformed value, or no --distribution / --releasever while the runtime's packages come from
     * Docker's repository for that family (a docker mirror without that family needs none).
     */
    public static List<String> problems(ClusterSpec spec, Options options) {
        List<String> out = new ArrayList<>();
        for (String d : options.distributions()) {
            if (!DISTRIBUTION.matcher(d).matches()) {
                out.add("--distribution " + d + " is not ID:CODENAME as /etc/os-release has them (debian:bookworm, ubuntu:noble)");
            }
        }
        for (String a : options.arches()) {
            if (!ARCHES.contains(a)) out.add("--arch " + a + " is not one of " + String.join(", ", ARCHES));
        }
        for (String r : options.releasevers()) {
            if (!RELEASEVER.matcher(r).matches()) out.add("--releasever " + r + " is not an EL release number such as 9");
        }
        RuntimeType runtime = spec.runtime().type();
        if (!PackageRepos.usesDockerRepository(runtime)) return out;
        String what = String.join(" and ", PackageRepos.runtimePackages(runtime, OsFamily.DEB));
        if (options.distributions().isEmpty() && !PackageRepos.repositoryUrl(spec, PackageSource.DOCKER, OsFamily.DEB).isEmpty()) {
            out.add(what + " come from Docker's deb repository, which is split by distribution: give --distribution ID:CODENAME"
                    + " (debian:bookworm, ubuntu:noble) for each one the nodes run");
        }
        if (options.releasevers().isEmpty() && !PackageRepos.repositoryUrl(spec, PackageSource.DOCKER, OsFamily.RPM).isEmpty()) {
            out.add(what + " come from Docker's rpm repository, which is split by EL release: give --releasever N (9 for"
                    + " RHEL, Rocky or Alma 9) for each one the nodes run");
        }
        return out;
    }

    /**
     * After {@link #assemble}: one line per package repository whose packages depend on names it does
     * not have, which the nodes' own OS repositories are expected to provide.
     */
    public List<String> notes() {
        List<String> out = new ArrayList<>();
        outside.forEach((repo, names) -> out.add("the " + repo + " packages depend on " + String.join(", ", names)
                + ", which that repository does not have: the nodes' own OS repositories provide them"));
        return out;
    }

    /** {@link #assemble(ClusterSpec, Path, Options)} without distributions and releases. */
    public List<Entry> assemble(ClusterSpec spec, Path dir) throws BundleException, IOException {
        return assemble(spec, dir, Options.NONE);
    }

    /** Fetches everything into {@code dir}, writes manifest.yaml last and returns the entries. */
    public List<Entry> assemble(ClusterSpec spec, Path dir, Options options) throws BundleException, IOException {
        List<String> problems = problems(spec, options);
        if (!problems.isEmpty()) throw new BundleException(String.join("; ", problems));
        outside.clear();
        Files.createDirectories(dir);
        Files.deleteIfExists(dir.resolve("manifest.yaml"));
        List<Entry> entries = new ArrayList<>();
        entries.addAll(downloads(spec, dir));
        java.util.Set<String> plainHttp = new java.util.HashSet<>();
        spec.mirrors().registries().values().forEach(m -> m.endpoints().stream().map(io.kubewizard.answers.MirrorUrl::parse)
                .filter(u -> u != null && u.plainHttp()).forEach(u -> plainHttp.add(u.hostPort())));
        Map<String, io.kubewizard.answers.MirrorUrl> mirrors = new java.util.HashMap<>();
        spec.mirrors().registries().forEach((name, m) -> m.endpoints().stream().map(io.kubewizard.answers.MirrorUrl::parse)
                .filter(java.util.Objects::nonNull).findFirst().ifPresent(u -> mirrors.put(name, u)));
        Registry registry = new Registry(http, plainHttp, mirrors);
        for (Images.Image image : Images.of(spec)) {
            for (String arch : options.arches()) {
                String rel = "images/" + arch + "/" + image.pulled().replace('/', '_').replace(':', '_') + ".tar";
                Path target = dir.resolve(rel);
                Files.createDirectories(target.getParent());
                registry.saveOciArchive(image.pulled(), arch, target);
                entries.add(new Entry(rel, "image", "", arch, "", image.pulled(), "", sha256(target), Files.size(target)));
            }
        }
        entries.addAll(packages(spec, dir, options));
        entries.sort(Comparator.comparing(Entry::path));
        String manifest = manifest(spec, options, entries);
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
            out.add(new Entry(rel, "download", "", "", "", d.name(), "", got, Files.size(target)));
        }
        return out;
    }

    /**
     * One package index to read. {@code index} is where Packages(.gz) or repodata/ sits, {@code files}
     * what the index's file names are relative to; {@code arch} is null when one index serves every
     * arch; {@code dir} is the directory below the source's for a split repository ("debian-bookworm",
     * "el9"), "" otherwise.
     */
    private record Repo(PackageSource source, String family, String dir, URI index, URI files, String arch) {
        String label() { return source.yaml() + " " + family + (dir.isEmpty() ? "" : " " + dir); }
    }

    private List<Entry> packages(ClusterSpec spec, Path dir, Options options) throws BundleException, IOException {
        List<Entry> out = new ArrayList<>();
        Map<URI, Path> fetched = new HashMap<>();
        RuntimeType runtime = spec.runtime().type();
        List<PackageSource> sources = List.of(PackageSource.KUBERNETES,
                PackageRepos.usesDockerRepository(runtime) ? PackageSource.DOCKER : PackageSource.CRI_O);
        for (PackageSource source : sources) {
            for (OsFamily family : List.of(OsFamily.DEB, OsFamily.RPM)) {
                String url = PackageRepos.repositoryUrl(spec, source, family);
                if (url.isEmpty()) continue;
                boolean kubernetes = source == PackageSource.KUBERNETES;
                List<String> roots = kubernetes ? PackageRepos.HELD_PACKAGES : PackageRepos.runtimePackages(runtime, family);
                String upstream = kubernetes ? spec.version().toString() : "";
                for (Repo repo : repos(source, family, url, options)) {
                    Packages.Index index = read(repo);
                    for (String arch : repo.arch() == null ? options.arches() : List.of(repo.arch())) {
                        Packages.Closure closure = Packages.close(index, arch, roots, upstream);
                        if (!closure.outside().isEmpty()) outside.computeIfAbsent(repo.label(), k -> new TreeSet<>()).addAll(closure.outside());
                        for (Packages.Pkg p : closure.packages()) out.add(fetch(dir, repo, arch, p, fetched));
                    }
                }
            }
        }
        return out;
    }

    /** The indexes of one source and family: one for a flat repository, one per distribution/release and arch for Docker's. */
    private static List<Repo> repos(PackageSource source, OsFamily family, String url, Options options) {
        List<Repo> out = new ArrayList<>();
        boolean docker = source == PackageSource.DOCKER;
        if (family == OsFamily.DEB) {
            if (!docker) {
                out.add(new Repo(source, Packages.DEB, "", URI.create(url), URI.create(url), null));
                return out;
            }
            for (String d : options.distributions()) {
                String id = d.substring(0, d.indexOf(':')), codename = d.substring(d.indexOf(':') + 1);
                String files = url + id + "/";
                for (String arch : options.arches()) {
                    out.add(new Repo(source, Packages.DEB, id + "-" + codename,
                            URI.create(files + "dists/" + codename + "/stable/binary-" + arch + "/"), URI.create(files), arch));
                }
            }
            return out;
        }
        for (String release : docker ? options.releasevers() : List.of("")) {
            String base = docker ? url.replace("$releasever", release) : url;
            String dir = docker ? "el" + release : "";
            if (base.contains("$basearch")) {
                for (String arch : options.arches()) {
                    URI u = URI.create(base.replace("$basearch", Packages.basearch(arch)));
                    out.add(new Repo(source, Packages.RPM, dir, u, u, arch));
                }
            } else {
                out.add(new Repo(source, Packages.RPM, dir, URI.create(base), URI.create(base), null));
            }
        }
        return out;
    }

    /** Reads an index: deb Packages.gz, else Packages; rpm repodata/repomd.xml and the primary data it names. */
    private Packages.Index read(Repo repo) throws BundleException, IOException {
        String url = repo.index().toString();
        if (repo.family().equals(Packages.DEB)) {
            byte[] data = get(repo.index().resolve("Packages.gz"), true);
            if (data == null) data = get(repo.index().resolve("Packages"), false);
            return new Packages.Index(url, Packages.parseDeb(Packages.text(Packages.gunzip(data)), repo.files()));
        }
        URI repomd = repo.index().resolve("repodata/repomd.xml");
        try {
            Packages.DataFile primary = Packages.primaryOf(get(repomd, false));
            if (primary == null) throw new BundleException(repomd + " names no primary data");
            URI at = repo.index().resolve(primary.href());
            String href = primary.href();
            if (!href.endsWith(".xml.gz") && !href.endsWith(".xml")) {
                throw new BundleException(at + ": the bundle reads gzip-compressed or plain primary data only");
            }
            byte[] data = get(at, false);
            if (primary.checksumType().equalsIgnoreCase("sha256") && !sha256(data).equals(primary.checksum())) {
                throw new BundleException(at + ": sha256 " + sha256(data) + ", " + repomd + " says " + primary.checksum());
            }
            return new Packages.Index(url, Packages.parseRpm(Packages.gunzip(data), repo.files()));
        } catch (javax.xml.stream.XMLStreamException e) {
            throw new BundleException("cannot read the repository index under " + url + ": " + e.getMessage());
        }
    }

    /** The body of a GET; null for a 404 when {@code orNull}. */
    private byte[] get(URI uri, boolean orNull) throws BundleException, IOException {
        java.net.http.HttpResponse<InputStream> r = http.send(uri, Map.of());
        if (orNull && r.statusCode() == 404) {
            r.body().close();
            return null;
        }
        Http.check(uri, r);
        try (InputStream in = r.body()) {
            return in.readAllBytes();
        }
    }

    /** Downloads one package (or copies it when another arch took the same file) and checks it against the index. */
    private Entry fetch(Path dir, Repo repo, String arch, Packages.Pkg p, Map<URI, Path> fetched) throws BundleException, IOException {
        String rel = "packages/" + repo.family() + "/" + arch + "/" + repo.source().yaml() + "/"
                + (repo.dir().isEmpty() ? "" : repo.dir() + "/") + p.file();
        Path target = dir.resolve(rel);
        Files.createDirectories(target.getParent());
        Path already = fetched.get(p.url());
        String got;
        if (already != null) {
            Files.copy(already, target, StandardCopyOption.REPLACE_EXISTING);
            got = sha256(target);
        } else {
            got = http.download(p.url(), target);
        }
        if (!got.equals(p.sha256())) {
            Files.deleteIfExists(target);
            throw new BundleException("package " + p.name() + " " + p.version() + " from " + p.url() + ": sha256 " + got
                    + ", the repository index says " + (p.sha256().isEmpty() ? "none" : p.sha256()));
        }
        fetched.putIfAbsent(p.url(), target);
        return new Entry(rel, "package", repo.family(), arch, repo.source().yaml(), p.name(), p.version(), got, Files.size(target));
    }

    /** The manifest text for the entries (sorted by path), without distributions or releases. */
    public static String manifest(ClusterSpec spec, List<Entry> entries) { return manifest(spec, Options.NONE, entries); }

    /** The manifest text for the entries (sorted by path), as docs/answers.md shows it. */
    public static String manifest(ClusterSpec spec, Options options, List<Entry> entries) {
        StringBuilder b = new StringBuilder();
        b.append("# kubewizard bundle manifest: every file with its sha256; apply checks it before uploading\n");
        b.append("apiVersion: kubewizard.io/v1alpha1\nkind: Bundle\n");
        b.append("kubernetesVersion: ").append(spec.cluster().kubernetesVersion()).append('\n');
        b.append("runtime: ").append(spec.runtime().type().name().toLowerCase(Locale.ROOT)).append('\n');
        b.append("cni: ").append(spec.network().cni().name().toLowerCase(Locale.ROOT)).append('\n');
        if (!options.distributions().isEmpty()) {
            b.append("distributions:\n");
            options.distributions().forEach(d -> b.append("  - ").append(d).append('\n'));
        }
        if (!options.releasevers().isEmpty()) {
            b.append("releasevers:\n");
            options.releasevers().forEach(r -> b.append("  - \"").append(r).append("\"\n"));
        }
        b.append("files:\n");
        for (Entry e : entries) {
            b.append("  - path: ").append(e.path()).append('\n');
            b.append("    kind: ").append(e.kind()).append('\n');
            if (!e.family().isEmpty()) b.append("    family: ").append(e.family()).append('\n');
            if (!e.arch().isEmpty()) b.append("    arch: ").append(e.arch()).append('\n');
            if (!e.source().isEmpty()) b.append("    source: ").append(e.source()).append('\n');
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
