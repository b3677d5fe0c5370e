package io.kubewizard.bundle;

import com.sun.net.httpserver.HttpServer;
import io.kubewizard.answers.AnswersLoader;
import io.kubewizard.answers.Downloadables;
import io.kubewizard.answers.Spec.ClusterSpec;
import io.kubewizard.answers.Spec.Downloads;
import io.kubewizard.answers.Spec.Mirrors;
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

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The bundle against a loopback mirror serving a registry-v2 layout and downloads. */
class BundleTest {
    @TempDir Path dir;
    HttpServer server;
    String base;
    final Map<String, byte[]> blobs = new HashMap<>();
    final Map<String, byte[]> downloads = new HashMap<>();
    final List<String> log = new ArrayList<>();
    byte[] index;
    boolean corruptLayer;

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
            }
            if (body == null) { ex.sendResponseHeaders(404, -1); ex.close(); return; }
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.start();
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
        return s.withMirrors(new Mirrors(Map.of(), regs, new Downloads("http://" + base + "/files/", Map.of(), pins)));
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
        List<Bundle.Entry> entries = new Bundle(new Http()).assemble(probe, dir);
        String manifest = Files.readString(dir.resolve("manifest.yaml"));
        assertEquals(Bundle.manifest(probe, entries), manifest);
        assertTrue(manifest.startsWith("# kubewizard bundle manifest: every file with its sha256; apply checks it before uploading\n"
                + "apiVersion: kubewizard.io/v1alpha1\nkind: Bundle\nkubernetesVersion: " + probe.cluster().kubernetesVersion() + "\n"), manifest);
        int images = Images.of(probe).size();
        assertEquals(images * 2 + Downloadables.of(probe).size(), entries.size());
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
        Bundle.BundleException e = assertThrows(Bundle.BundleException.class, () -> new Bundle(new Http()).assemble(probe, dir));
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
        Bundle.BundleException e = assertThrows(Bundle.BundleException.class, () -> new Bundle(new Http()).assemble(pinned, dir));
        assertEquals("download " + first.name() + " from http://" + base + "/files/" + first.name() + ": sha256 "
                + Bundle.sha256("x".getBytes(StandardCharsets.UTF_8)) + ", mirrors.downloads.sha256 pins " + pin, e.getMessage());
        assertFalse(Files.exists(dir.resolve("downloads/" + first.name())));
        assertFalse(Files.exists(dir.resolve("manifest.yaml")));
    }

    @Test
    void aMissingDownloadNamesTheUrlAndStatus() {
        ClusterSpec probe = spec(Map.of());
        Downloadables.Download first = Downloadables.of(probe).get(0);
        Bundle.BundleException e = assertThrows(Bundle.BundleException.class, () -> new Bundle(new Http()).assemble(probe, dir));
        assertEquals("cannot fetch http://" + base + "/files/" + first.name() + ": HTTP 404", e.getMessage());
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
