package io.kubewizard.bundle;

import com.sun.net.httpserver.HttpServer;
import io.kubewizard.answers.AnswersLoader;
import io.kubewizard.answers.Downloadables;
import io.kubewizard.answers.Spec.ClusterSpec;
import io.kubewizard.answers.Spec.Downloads;
import io.kubewizard.answers.Spec.Mirrors;
import io.kubewizard.answers.Spec.PackageMirror;
import io.kubewizard.answers.Spec.PackageSource;
import io.kubewizard.answers.Spec.RegistryMirror;
import io.kubewizard.render.Images;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The bundle against a loopback mirror serving a registry-v2 layout, downloads and package repositories. */
class BundleTest {
    @TempDir Path dir;
    HttpServer server;
    String base;
    final Map<String, byte[]> blobs = new HashMap<>();
    final Map<String, byte[]> downloads = new HashMap<>();
    final List<String> log = new ArrayList<>();
    byte[] index;
    boolean corruptLayer;
    /** The package repositories' files by request path. */
    final Map<String, byte[]> repoFiles = new HashMap<>();
    /** Paths served with other bytes than their index says. */
    final Set<String> tampered = new java.util.HashSet<>();
    static final Bundle.Options OPTIONS = new Bundle.Options(List.of("debian:bookworm"), List.of("9"));

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        base = "127.0.0.1:" + server.getAddress().getPort();
        byte[] config = "{\"architecture\":\"amd64\",\"os\":\"linux\"}".getBytes(StandardCharsets.UTF_8);
        byte[] layer = "layer bytes".getBytes(StandardCharsets.UTF_8);
        blobs.put(d(config), config);
        blobs.put(d(layer), layer);
        Map<String, String> perArch = new LinkedHashMap<>();
        for (String arch : List.of("amd64", "arm64")) {
            byte[] m = ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":{\"digest\":\""
                    + d(config) + "\"},\"layers\":[{\"digest\":\"" + d(layer) + "\"}],\"annotations\":{\"a\":\"" + arch + "\"}}")
                    .getBytes(StandardCharsets.UTF_8);
            blobs.put(d(m), m);
            perArch.put(arch, d(m));
        }
        StringBuilder idx = new StringBuilder("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":[");
        perArch.forEach((arch, dg) -> idx.append("{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"")
                .append(dg).append("\",\"platform\":{\"os\":\"linux\",\"architecture\":\"").append(arch).append("\"}},"));
        idx.setLength(idx.length() - 1);
        index = idx.append("]}").toString().getBytes(StandardCharsets.UTF_8);
        server.createContext("/", ex -> {
            String path = ex.getRequestURI().getPath();
            synchronized (log) { log.add(path); }
            byte[] body = null;
            if (path.startsWith("/v2/")) {
                String auth = ex.getRequestHeaders().getFirst("Authorization");
                if (!"Bearer t0k".equals(auth)) {
                    ex.getResponseHeaders().add("WWW-Authenticate", "Bearer realm=\"http://" + base + "/token\",service=\"mirror\",scope=\"repository:x:pull\"");
                    ex.sendResponseHeaders(401, -1);
                    ex.close();
                    return;
                }
                int m = path.indexOf("/manifests/");
                int b = path.indexOf("/blobs/");
                if (m > 0) {
                    String ref = path.substring(m + 11);
                    body = ref.startsWith("sha256:") ? blobs.get(ref) : index;
                } else if (b > 0) {
                    body = blobs.get(path.substring(b + 7));
                    if (body == layer && corruptLayer) body = "tampered".getBytes(StandardCharsets.UTF_8);
                }
            } else if (path.equals("/token")) {
                body = "{\"token\":\"t0k\"}".getBytes(StandardCharsets.UTF_8);
            } else if (path.startsWith("/files/")) {
                body = downloads.get(path.substring(7));
            } else {
                body = tampered.contains(path) ? "tampered".getBytes(StandardCharsets.UTF_8) : repoFiles.get(path);
            }
            if (body == null) { ex.sendResponseHeaders(404, -1); ex.close(); return; }
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.start();
        kubernetesRepos(true);
        dockerRepos();
    }

    /** A package of a test repository; depends and provides are comma-separated (deb syntax for deb). */
    record P(String name, String version, String arch, String depends, String provides) {
        P(String name, String version, String arch, String depends) { this(name, version, arch, depends, ""); }
    }

    static byte[] debBytes(P p) { return ("deb " + p.name() + " " + p.version() + " " + p.arch()).getBytes(StandardCharsets.UTF_8); }

    static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(b)) { z.write(data); }
        return b.toByteArray();
    }

    /**
     * A deb index at {@code indexDir} (Packages.gz, or Packages when not {@code gz}) whose Filename
     * fields are {@code pool + file}, relative to {@code filesDir}.
     */
    void debRepo(String filesDir, String indexDir, String pool, boolean gz, List<P> pkgs) throws IOException {
        StringBuilder idx = new StringBuilder();
        for (P p : pkgs) {
            String file = pool + p.name() + "_" + p.version() + "_" + p.arch() + ".deb";
            byte[] body = debBytes(p);
            repoFiles.put(filesDir + file, body);
            idx.append("Package: ").append(p.name()).append("\nVersion: ").append(p.version())
                    .append("\nArchitecture: ").append(p.arch()).append("\nMaintainer: Test <t@example.com>\n");
            if (!p.depends().isEmpty()) idx.append("Depends: ").append(p.depends()).append('\n');
            if (!p.provides().isEmpty()) idx.append("Provides: ").append(p.provides()).append('\n');
            idx.append("Filename: ").append(file).append("\nSize: ").append(body.length).append("\nSHA256: ")
                    .append(Bundle.sha256(body)).append("\nDescription: a test package\n continued here\n\n");
        }
        byte[] text = idx.toString().getBytes(StandardCharsets.UTF_8);
        if (gz) repoFiles.put(indexDir + "Packages.gz", gzip(text));
        else repoFiles.put(indexDir + "Packages", text);
    }

    /** An rpm repository at {@code dir}: repodata/repomd.xml naming a gzipped primary.xml; versions are ver-rel. */
    void rpmRepo(String dir, List<P> pkgs) throws IOException {
        StringBuilder x = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<metadata xmlns=\"http://linux.duke.edu/metadata/common\""
                + " xmlns:rpm=\"http://linux.duke.edu/metadata/rpm\" packages=\"" + pkgs.size() + "\">\n");
        for (P p : pkgs) {
            String ver = p.version().substring(0, p.version().lastIndexOf('-')), rel = p.version().substring(p.version().lastIndexOf('-') + 1);
            String file = p.arch() + "/" + p.name() + "-" + p.version() + "." + p.arch() + ".rpm";
            byte[] body = ("rpm " + p.name() + " " + p.version() + " " + p.arch()).getBytes(StandardCharsets.UTF_8);
            repoFiles.put(dir + file, body);
            x.append("<package type=\"rpm\"><name>").append(p.name()).append("</name><arch>").append(p.arch())
                    .append("</arch><version epoch=\"0\" ver=\"").append(ver).append("\" rel=\"").append(rel).append("\"/>")
                    .append("<checksum type=\"sha256\" pkgid=\"YES\">").append(Bundle.sha256(body)).append("</checksum>")
                    .append("<summary>test</summary><size package=\"").append(body.length).append("\"/>")
                    .append("<location href=\"").append(file).append("\"/><format><rpm:license>ASL 2.0</rpm:license><rpm:provides>")
                    .append("<rpm:entry name=\"").append(p.name()).append("\" flags=\"EQ\" epoch=\"0\" ver=\"").append(ver).append("\"/>");
            for (String prov : p.provides().isEmpty() ? new String[0] : p.provides().split(",\\s*")) {
                x.append("<rpm:entry name=\"").append(prov).append("\"/>");
            }
            x.append("</rpm:provides><rpm:requires><rpm:entry name=\"/bin/sh\" pre=\"1\"/><rpm:entry name=\"rpmlib(CompressedFileNames)\""
                    + " flags=\"LE\" epoch=\"0\" ver=\"3.0.4\" rel=\"1\"/>");
            for (String req : p.depends().isEmpty() ? new String[0] : p.depends().split(",\\s*")) {
                x.append("<rpm:entry name=\"").append(req).append("\" flags=\"GE\" epoch=\"0\" ver=\"1.0\"/>");
            }
            x.append("</rpm:requires><file>/usr/bin/").append(p.name()).append("</file></format></package>\n");
        }
        byte[] primary = gzip(x.append("</metadata>\n").toString().getBytes(StandardCharsets.UTF_8));
        String href = "repodata/" + Bundle.sha256(primary) + "-primary.xml.gz";
        repoFiles.put(dir + href, primary);
        repoFiles.put(dir + "repodata/repomd.xml", ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<repomd xmlns=\"http://linux.duke.edu/metadata/repo\""
                + " xmlns:rpm=\"http://linux.duke.edu/metadata/rpm\"><revision>1</revision>"
                + "<data type=\"filelists\"><checksum type=\"sha256\">00</checksum><location href=\"repodata/x-filelists.xml.gz\"/></data>"
                + "<data type=\"primary\"><checksum type=\"sha256\">" + Bundle.sha256(primary) + "</checksum><location href=\"" + href
                + "\"/><size>" + primary.length + "</size></data></repomd>\n").getBytes(StandardCharsets.UTF_8));
    }

    /**
     * pkgs.k8s.io's shape: a flat deb repository with two kubeadm versions of 1.35.2 (the newer revision
     * wins), 1.35.1 and 1.36.0 (never taken), dependencies inside (kubernetes-cni, cri-tools, an "all"
     * package) and outside (conntrack, iptables); and its rpm repository.
     */
    void kubernetesRepos(boolean withKubeadm) throws IOException {
        List<P> deb = new ArrayList<>();
        for (String arch : List.of("amd64", "arm64")) {
            String kubeadmDeps = "kubelet (>= 1.35.0), kubectl (>= 1.35.0), cri-tools (>= 1.35.0)";
            deb.add(new P("kubeadm", "1.35.1-1.1", arch, kubeadmDeps));
            if (withKubeadm) {
                deb.add(new P("kubeadm", "1.35.2-2.1", arch, kubeadmDeps));
                deb.add(new P("kubeadm", "1.35.2-1.1", arch, kubeadmDeps));
            }
            deb.add(new P("kubeadm", "1.36.0-1.1", arch, kubeadmDeps));
            deb.add(new P("kubelet", "1.35.2-1.1", arch,
                    "conntrack, iptables (>= 1.4), kubernetes-cni (>= 1.1) | containernetworking-plugins, cri-tools"));
            deb.add(new P("kubelet", "1.36.0-1.1", arch, "conntrack, kubernetes-cni, cri-tools"));
            deb.add(new P("kubectl", "1.35.2-1.1", arch, ""));
            deb.add(new P("kubernetes-cni", "1.7.1-1.1", arch, "", "containernetworking-plugins"));
            deb.add(new P("kubectl-convert", "1.35.2-1.1", arch, ""));
        }
        deb.add(new P("cri-tools", "1.35.0-1.1", "all", ""));
        repoFiles.keySet().removeIf(k -> k.startsWith("/k8s/"));
        debRepo("/k8s/v1.35/deb/", "/k8s/v1.35/deb/", "", true, deb);
        List<P> rpm = new ArrayList<>();
        for (String arch : List.of("x86_64", "aarch64")) {
            rpm.add(new P("kubeadm", "1.35.2-150500.1.1", arch, "kubelet, kubectl, cri-tools"));
            rpm.add(new P("kubeadm", "1.35.10-150500.1.1", arch, "kubelet, kubectl, cri-tools"));
            rpm.add(new P("kubelet", "1.35.2-150500.1.1", arch, "conntrack, libcni.so, cri-tools"));
            rpm.add(new P("kubectl", "1.35.2-150500.1.1", arch, ""));
            rpm.add(new P("kubernetes-cni", "1.7.1-150500.1.1", arch, "", "libcni.so"));
        }
        rpm.add(new P("cri-tools", "1.35.0-150500.1.1", "noarch", ""));
        rpm.add(new P("cri-tools", "1.34.0-150500.1.1", "noarch", ""));
        rpmRepo("/k8s/v1.35/rpm/", rpm);
    }

    /** Docker's shape: a deb repository per distribution (plain Packages, no .gz) and an rpm one per release and basearch. */
    void dockerRepos() throws IOException {
        for (String arch : List.of("amd64", "arm64")) {
            debRepo("/docker/debian/", "/docker/debian/dists/bookworm/stable/binary-" + arch + "/", "dists/bookworm/pool/stable/" + arch + "/", false, List.of(
                    new P("containerd.io", "1.7.28-1~debian.12~bookworm", arch, "libc6 (>= 2.34), libseccomp2 (>= 2.5.0)"),
                    new P("containerd.io", "2.1.5-1~debian.12~bookworm", arch, "libc6 (>= 2.34), libseccomp2 (>= 2.5.0)"),
                    new P("docker-ce", "5:28.5.1-1~debian.12~bookworm", arch, "containerd.io (>= 1.7.27), docker-ce-cli")));
        }
        for (String arch : List.of("x86_64", "aarch64")) {
            rpmRepo("/docker-rpm/9/" + arch + "/stable/", List.of(
                    new P("containerd.io", "2.1.5-1.el9", arch, "container-selinux, libseccomp"),
                    new P("containerd.io", "1.7.28-3.1.el9", arch, "container-selinux, libseccomp")));
        }
    }

    @AfterEach
    void stop() { server.stop(0); }

    static String d(byte[] b) { return "sha256:" + Bundle.sha256(b); }

    ClusterSpec spec(Map<String, String> pins) {
        AnswersLoader.Result r = AnswersLoader.load(Path.of("presets/single-node.yaml"));
        assertFalse(r.hasErrors(), r.problems().toString());
        ClusterSpec s = r.spec();
        Map<String, RegistryMirror> regs = new LinkedHashMap<>();
        for (String reg : List.of("registry.k8s.io", "docker.io", "quay.io", "ghcr.io")) {
            regs.put(reg, new RegistryMirror(List.of("http://" + base), "", ""));
        }
        return s.withMirrors(new Mirrors(packageMirrors("http://" + base + "/docker-rpm/$releasever/$basearch/stable"), regs,
                new Downloads("http://" + base + "/files/", Map.of(), pins)));
    }

    Map<PackageSource, PackageMirror> packageMirrors(String dockerRpm) {
        return Map.of(PackageSource.KUBERNETES, new PackageMirror("http://" + base + "/k8s/{minor}/deb", "http://" + base + "/k8s/{minor}/rpm/", "", ""),
                PackageSource.DOCKER, new PackageMirror("http://" + base + "/docker", dockerRpm, "", ""));
    }

    /** The answers with their downloads served, ready for a bundle that gets as far as the packages. */
    ClusterSpec served() {
        ClusterSpec probe = spec(Map.of());
        for (Downloadables.Download dl : Downloadables.of(probe)) downloads.put(dl.name(), ("file " + dl.name()).getBytes(StandardCharsets.UTF_8));
        return probe;
    }

    /** A refused connection: Java's HttpClient puts the reason on the cause, which the message must carry. */
    @Test
    void aConnectionRefusedSaysSo() throws Exception {
        assertEquals("Connection refused", Http.reason(new java.net.ConnectException(null) {
            { initCause(new java.net.ConnectException("Connection refused")); }
        }));
        assertEquals("IOException", Http.reason(new java.io.IOException()));
        assertEquals("connection refused", Http.reason(new java.io.IOException(null, new java.net.ConnectException())));
        int closed;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        Bundle.BundleException e = assertThrows(Bundle.BundleException.class,
                () -> new Http().send(java.net.URI.create("http://127.0.0.1:" + closed + "/v2/"), Map.of()));
        assertEquals("cannot fetch http://127.0.0.1:" + closed + "/v2/: connection refused", e.getMessage());
    }

    @Test
    void assemblesImagesAndDownloadsAndWritesTheManifestLast() throws Exception {
        ClusterSpec probe = spec(Map.of());
        for (Downloadables.Download dl : Downloadables.of(probe)) downloads.put(dl.name(), ("file " + dl.name()).getBytes(StandardCharsets.UTF_8));
        List<Bundle.Entry> entries = new Bundle(new Http()).assemble(probe, dir, OPTIONS);
        String manifest = Files.readString(dir.resolve("manifest.yaml"));
        assertEquals(Bundle.manifest(probe, OPTIONS, entries), manifest);
        assertTrue(manifest.startsWith("# kubewizard bundle manifest: every file with its sha256; apply checks it before uploading\n"
                + "apiVersion: kubewizard.io/v1alpha1\nkind: Bundle\nkubernetesVersion: " + probe.cluster().kubernetesVersion() + "\n"), manifest);
        int images = Images.of(probe).size();
        assertEquals(images * 2 + Downloadables.of(probe).size() + 24, entries.size());
        List<String> paths = entries.stream().map(Bundle.Entry::path).toList();
        assertEquals(paths.stream().sorted().toList(), paths);
        for (Bundle.Entry e : entries) {
            assertEquals(Bundle.sha256(dir.resolve(e.path())), e.sha256());
            assertEquals(Files.size(dir.resolve(e.path())), e.size());
        }
        Images.Image first = Images.of(probe).get(0);
        assertTrue(first.pulled().startsWith(base + "/"), first.pulled());
        Path tar = dir.resolve("images/arm64/" + first.pulled().replace('/', '_').replace(':', '_') + ".tar");
        Map<String, byte[]> content = untar(Files.readAllBytes(tar));
        String tag = first.pulled().substring(first.pulled().lastIndexOf(':') + 1);
        String armManifest = d(blobs.values().stream().filter(b -> new String(b, StandardCharsets.UTF_8).contains("\"arm64\"}}")).findFirst().orElseThrow());
        byte[] config = blobs.values().stream().filter(b -> new String(b, StandardCharsets.UTF_8).startsWith("{\"architecture")).findFirst().orElseThrow();
        assertEquals(List.of("blobs/", "blobs/sha256/", "oci-layout", "index.json", "blobs/sha256/" + armManifest.substring(7),
                "blobs/sha256/" + d(config).substring(7), "blobs/sha256/" + d("layer bytes".getBytes(StandardCharsets.UTF_8)).substring(7)),
                new ArrayList<>(content.keySet()));
        assertEquals("{\"imageLayoutVersion\":\"1.0.0\"}", new String(content.get("oci-layout"), StandardCharsets.UTF_8));
        assertEquals("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":[{"
                + "\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"" + armManifest + "\",\"size\":"
                + blobs.get(armManifest).length + ",\"annotations\":{\"io.containerd.image.name\":\"" + first.pulled()
                + "\",\"org.opencontainers.image.ref.name\":\"" + tag + "\"},\"platform\":{\"architecture\":\"arm64\",\"os\":\"linux\"}}]}",
                new String(content.get("index.json"), StandardCharsets.UTF_8));
        assertFalse(Files.exists(dir.resolve(".manifest.yaml.tmp")));
    }

    @Test
    void aLayerWithTheWrongDigestIsRefusedAndNoManifestIsWritten() throws Exception {
        ClusterSpec probe = spec(Map.of());
        for (Downloadables.Download dl : Downloadables.of(probe)) downloads.put(dl.name(), "x".getBytes(StandardCharsets.UTF_8));
        corruptLayer = true;
        Bundle.BundleException e = assertThrows(Bundle.BundleException.class, () -> new Bundle(new Http()).assemble(probe, dir, OPTIONS));
        String layer = d("layer bytes".getBytes(StandardCharsets.UTF_8));
        assertEquals("image " + Images.of(probe).get(0).pulled() + ": blob " + layer + " has digest "
                + d("tampered".getBytes(StandardCharsets.UTF_8)), e.getMessage());
        assertFalse(Files.exists(dir.resolve("manifest.yaml")));
    }

    @Test
    void aDownloadWhoseHashDiffersFromItsPinIsRefused() throws Exception {
        ClusterSpec probe = spec(Map.of());
        Downloadables.Download first = Downloadables.of(probe).get(0);
        for (Downloadables.Download dl : Downloadables.of(probe)) downloads.put(dl.name(), "x".getBytes(StandardCharsets.UTF_8));
        String pin = "0".repeat(64);
        ClusterSpec pinned = spec(Map.of(first.name(), pin));
        Bundle.BundleException e = assertThrows(Bundle.BundleException.class, () -> new Bundle(new Http()).assemble(pinned, dir, OPTIONS));
        assertEquals("download " + first.name() + " from http://" + base + "/files/" + first.name() + ": sha256 "
                + Bundle.sha256("x".getBytes(StandardCharsets.UTF_8)) + ", mirrors.downloads.sha256 pins " + pin, e.getMessage());
        assertFalse(Files.exists(dir.resolve("downloads/" + first.name())));
        assertFalse(Files.exists(dir.resolve("manifest.yaml")));
    }

    @Test
    void aMissingDownloadNamesTheUrlAndStatus() {
        ClusterSpec probe = spec(Map.of());
        Downloadables.Download first = Downloadables.of(probe).get(0);
        Bundle.BundleException e = assertThrows(Bundle.BundleException.class, () -> new Bundle(new Http()).assemble(probe, dir, OPTIONS));
        assertEquals("cannot fetch http://" + base + "/files/" + first.name() + ": HTTP 404", e.getMessage());
    }

    static final String K8S_DEB = "packages/deb/%s/kubernetes/";
    static final String K8S_RPM = "packages/rpm/%s/kubernetes/";

    @Test
    void fetchesThePackagesOfTheClusterVersionWithTheirDependenciesInsideTheirRepositories() throws Exception {
        ClusterSpec probe = served();
        Bundle bundle = new Bundle(new Http());
        List<Bundle.Entry> entries = bundle.assemble(probe, dir, OPTIONS);
        List<String> packages = entries.stream().filter(e -> e.kind().equals("package")).map(Bundle.Entry::path).toList();
        List<String> expected = new ArrayList<>();
        for (String[] a : new String[][] {{"amd64", "x86_64"}, {"arm64", "aarch64"}}) {
            String deb = K8S_DEB.formatted(a[0]), rpm = K8S_RPM.formatted(a[0]);
            expected.addAll(List.of("packages/deb/" + a[0] + "/docker/debian-bookworm/containerd.io_2.1.5-1~debian.12~bookworm_" + a[0] + ".deb",
                    deb + "cri-tools_1.35.0-1.1_all.deb", deb + "kubeadm_1.35.2-2.1_" + a[0] + ".deb", deb + "kubectl_1.35.2-1.1_" + a[0] + ".deb",
                    deb + "kubelet_1.35.2-1.1_" + a[0] + ".deb", deb + "kubernetes-cni_1.7.1-1.1_" + a[0] + ".deb",
                    "packages/rpm/" + a[0] + "/docker/el9/containerd.io-2.1.5-1.el9." + a[1] + ".rpm",
                    rpm + "cri-tools-1.35.0-150500.1.1.noarch.rpm", rpm + "kubeadm-1.35.2-150500.1.1." + a[1] + ".rpm",
                    rpm + "kubectl-1.35.2-150500.1.1." + a[1] + ".rpm", rpm + "kubelet-1.35.2-150500.1.1." + a[1] + ".rpm",
                    rpm + "kubernetes-cni-1.7.1-150500.1.1." + a[1] + ".rpm"));
        }
        assertEquals(expected.stream().sorted().toList(), packages);
        P kubeadm = new P("kubeadm", "1.35.2-2.1", "amd64", "");
        byte[] kubeadmBytes = debBytes(kubeadm);
        assertArrayEquals(kubeadmBytes, Files.readAllBytes(dir.resolve("packages/deb/amd64/kubernetes/kubeadm_1.35.2-2.1_amd64.deb")));
        byte[] all = debBytes(new P("cri-tools", "1.35.0-1.1", "all", ""));
        assertArrayEquals(all, Files.readAllBytes(dir.resolve("packages/deb/amd64/kubernetes/cri-tools_1.35.0-1.1_all.deb")));
        assertArrayEquals(all, Files.readAllBytes(dir.resolve("packages/deb/arm64/kubernetes/cri-tools_1.35.0-1.1_all.deb")));
        assertEquals("rpm containerd.io 2.1.5-1.el9 aarch64",
                Files.readString(dir.resolve("packages/rpm/arm64/docker/el9/containerd.io-2.1.5-1.el9.aarch64.rpm")));
        assertEquals(1, log.stream().filter(l -> l.equals("/k8s/v1.35/deb/cri-tools_1.35.0-1.1_all.deb")).count(),
                "an all package is fetched once for both arches");
        assertTrue(log.contains("/docker/debian/dists/bookworm/stable/binary-arm64/Packages.gz"), "Packages.gz is asked for first");
        String manifest = Files.readString(dir.resolve("manifest.yaml"));
        assertTrue(manifest.contains("cni: calico\ndistributions:\n  - debian:bookworm\nreleasevers:\n  - \"9\"\nfiles:\n"), manifest);
        assertTrue(manifest.contains("""
                  - path: packages/deb/amd64/kubernetes/kubeadm_1.35.2-2.1_amd64.deb
                    kind: package
                    family: deb
                    arch: amd64
                    source: kubernetes
                    name: kubeadm
                    version: 1.35.2-2.1
                    sha256: %s
                    size: %d
                """.formatted(Bundle.sha256(kubeadmBytes), kubeadmBytes.length)), manifest);
        byte[] containerd = ("rpm containerd.io 2.1.5-1.el9 x86_64").getBytes(StandardCharsets.UTF_8);
        assertTrue(manifest.contains("""
                  - path: packages/rpm/amd64/docker/el9/containerd.io-2.1.5-1.el9.x86_64.rpm
                    kind: package
                    family: rpm
                    arch: amd64
                    source: docker
                    name: containerd.io
                    version: 2.1.5-1.el9
                    sha256: %s
                    size: %d
                """.formatted(Bundle.sha256(containerd), containerd.length)), manifest);
        assertTrue(manifest.contains("    name: containerd.io\n    version: 2.1.5-1~debian.12~bookworm\n"), manifest);
        assertFalse(manifest.contains("source: \n"), manifest);
        assertEquals(List.of(
                "the kubernetes deb packages depend on conntrack, iptables, which that repository does not have: the nodes' own OS repositories provide them",
                "the kubernetes rpm packages depend on conntrack, which that repository does not have: the nodes' own OS repositories provide them",
                "the docker deb debian-bookworm packages depend on libc6, libseccomp2, which that repository does not have: the nodes' own OS repositories provide them",
                "the docker rpm el9 packages depend on container-selinux, libseccomp, which that repository does not have: the nodes' own OS repositories provide them"),
                bundle.notes());
        for (String outside : List.of("conntrack", "iptables", "libc6", "containernetworking-plugins")) {
            assertTrue(packages.stream().noneMatch(p -> p.contains("/" + outside)), outside);
        }
    }

    @Test
    void aPackageWhoseHashDiffersFromTheIndexIsRefusedAndNoManifestIsWritten() throws Exception {
        ClusterSpec probe = served();
        String path = "/k8s/v1.35/deb/kubelet_1.35.2-1.1_arm64.deb";
        assertTrue(repoFiles.containsKey(path), repoFiles.keySet().toString());
        tampered.add(path);
        Bundle.BundleException e = assertThrows(Bundle.BundleException.class, () -> new Bundle(new Http()).assemble(probe, dir, OPTIONS));
        assertEquals("package kubelet 1.35.2-1.1 from http://" + base + path + ": sha256 " + Bundle.sha256("tampered".getBytes(StandardCharsets.UTF_8))
                + ", the repository index says " + Bundle.sha256(repoFiles.get(path)), e.getMessage());
        assertFalse(Files.exists(dir.resolve("manifest.yaml")));
        assertFalse(Files.exists(dir.resolve("packages/deb/arm64/kubernetes/kubelet_1.35.2-1.1_arm64.deb")));
    }

    @Test
    void aVersionTheRepositoryLacksIsRefusedNamingTheRepositoryThePackageAndTheVersion() throws Exception {
        ClusterSpec probe = served();
        kubernetesRepos(false);
        Bundle.BundleException e = assertThrows(Bundle.BundleException.class, () -> new Bundle(new Http()).assemble(probe, dir, OPTIONS));
        assertEquals("http://" + base + "/k8s/v1.35/deb/ has no kubeadm 1.35.2 for amd64 (it has 1.35.1-1.1, 1.36.0-1.1)", e.getMessage());
        assertFalse(Files.exists(dir.resolve("manifest.yaml")));
    }

    @Test
    void dockersRepositoriesNeedTheDistributionAndTheReleaseUnlessTheMirrorLeavesTheFamilyOut() throws Exception {
        ClusterSpec probe = served();
        List<String> problems = Bundle.problems(probe, Bundle.Options.NONE);
        assertEquals(List.of("containerd.io come from Docker's deb repository, which is split by distribution: give --distribution"
                + " ID:CODENAME (debian:bookworm, ubuntu:noble) for each one the nodes run",
                "containerd.io come from Docker's rpm repository, which is split by EL release: give --releasever N (9 for RHEL,"
                + " Rocky or Alma 9) for each one the nodes run"), problems);
        Bundle.BundleException e = assertThrows(Bundle.BundleException.class, () -> new Bundle(new Http()).assemble(probe, dir));
        assertTrue(e.getMessage().startsWith(problems.get(0) + "; "), e.getMessage());
        assertEquals(List.of("--distribution debian is not ID:CODENAME as /etc/os-release has them (debian:bookworm, ubuntu:noble)",
                "--releasever el9 is not an EL release number such as 9"),
                Bundle.problems(probe, new Bundle.Options(List.of("debian"), List.of("el9"))));
        ClusterSpec debOnly = probe.withMirrors(new Mirrors(packageMirrors(""), probe.mirrors().registries(), probe.mirrors().downloads()));
        Bundle.Options bookworm = new Bundle.Options(List.of("debian:bookworm"), List.of());
        assertEquals(List.of(), Bundle.problems(debOnly, bookworm));
        List<Bundle.Entry> entries = new Bundle(new Http()).assemble(debOnly, dir, bookworm);
        assertTrue(entries.stream().noneMatch(x -> x.path().startsWith("packages/rpm/amd64/docker/")), entries.toString());
        assertTrue(entries.stream().anyMatch(x -> x.path().startsWith("packages/rpm/amd64/kubernetes/")), entries.toString());
        assertFalse(Files.readString(dir.resolve("manifest.yaml")).contains("releasevers:"));
    }

    @Test
    void versionsOrderAsTheirPackageManagersOrderThem() {
        assertTrue(Packages.debCompare("1.35.10", "1.35.2") > 0);
        assertTrue(Packages.debCompare("2.1", "1.1") > 0);
        assertTrue(Packages.debCompare("1.0~rc1", "1.0") < 0);
        assertTrue(Packages.debCompare("1~debian.12~bookworm", "1") < 0);
        assertEquals(0, Packages.debCompare("1.01", "1.1"));
        assertTrue(Packages.rpmCompare("1.35.10", "1.35.2") > 0);
        assertTrue(Packages.rpmCompare("150500.1.1", "150500.1") > 0);
        assertTrue(Packages.rpmCompare("1.0~rc1", "1.0") < 0);
        assertTrue(Packages.rpmCompare("3.1.el9", "1.el9") > 0);
        assertTrue(Packages.rpmCompare("1.0a", "1.0.1") < 0);
        assertEquals(List.of("kubelet", "kubernetes-cni", "cri-tools", "libc6"),
                Packages.debRelation("kubelet (>= 1.35.0), kubernetes-cni (>= 1.1) | containernetworking-plugins, cri-tools,\n libc6:any"));
    }

    /** Reads a ustar archive: entry names in order, with their contents. */
    static Map<String, byte[]> untar(byte[] tar) throws IOException {
        Map<String, byte[]> out = new LinkedHashMap<>();
        int off = 0;
        while (off + 512 <= tar.length) {
            String name = new String(tar, off, 100, StandardCharsets.UTF_8).replace("\0", "");
            if (name.isEmpty()) break;
            long size = Long.parseLong(new String(tar, off + 124, 11, StandardCharsets.US_ASCII).trim(), 8);
            long sum = 0;
            for (int i = 0; i < 512; i++) sum += (i >= 148 && i < 156) ? ' ' : tar[off + i] & 0xff;
            assertEquals(sum, Long.parseLong(new String(tar, off + 148, 6, StandardCharsets.US_ASCII), 8), "checksum of " + name);
            assertEquals("ustar", new String(tar, off + 257, 5, StandardCharsets.US_ASCII));
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            b.write(tar, off + 512, (int) size);
            out.put(name, b.toByteArray());
            off += 512 + (int) ((size + 511) / 512 * 512);
        }
        return out;
    }
}
