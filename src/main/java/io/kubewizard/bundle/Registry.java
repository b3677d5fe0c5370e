package io.kubewizard.bundle;

import io.kubewizard.bundle.Bundle.BundleException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fetches one platform of an image with the registry v2 API (manifest list or OCI index, then the
 * platform's manifest, config and layers, every digest checked), anonymous Bearer tokens as the
 * public registries hand them out, and writes it as an OCI image-layout tar.
 */
final class Registry {
    private static final String ACCEPT = String.join(",",
            "application/vnd.oci.image.index.v1+json", "application/vnd.docker.distribution.manifest.list.v2+json",
            "application/vnd.oci.image.manifest.v1+json", "application/vnd.docker.distribution.manifest.v2+json");
    private static final Pattern PARAM = Pattern.compile("(\\w+)=\"([^\"]*)\"");

    private final Http http;
    private final Map<String, String> tokens = new HashMap<>();

    /** Registry hosts ("host[:port]") spoken to over plain HTTP: the answers' http:// mirror endpoints. */
    private final java.util.Set<String> plainHttp;

    /**
     * A registry's mirror ("quay.io" to its first endpoint): an image that keeps its public name on
     * the nodes (the CNI's, which the runtime's mirror configuration redirects) is fetched from there,
     * the endpoint's path being a prefix of its repositories, as the nodes' runtime would ask.
     */
    private final Map<String, io.kubewizard.answers.MirrorUrl> mirrors;

    Registry(Http http, java.util.Set<String> plainHttp) {
        this(http, plainHttp, Map.of());
    }

    Registry(Http http, java.util.Set<String> plainHttp, Map<String, io.kubewizard.answers.MirrorUrl> mirrors) {
        this.http = http;
        this.plainHttp = java.util.Set.copyOf(plainHttp);
        this.mirrors = Map.copyOf(mirrors);
    }

    /** The repository's API: the registry's mirror when the answers give one, else the registry itself. */
    private URI base(Ref ref) {
        io.kubewizard.answers.MirrorUrl m = mirrors.get(ref.host());
        if (m == null) return ref.base(plainHttp);
        return URI.create(m.origin() + "/v2/" + (m.path().isEmpty() ? "" : m.path() + "/") + ref.repository() + "/");
    }

    /** A registry's JSON answer, read by the project's one JSON reader (plan.Json). */
    private static Object json(String text) throws BundleException {
        try {
            Object o = io.kubewizard.plan.Json.parse(text);
            if (!(o instanceof Map<?, ?>)) throw new BundleException("a registry answered something that is not a JSON object");
            return o;
        } catch (RuntimeException e) {
            throw new BundleException("a registry answered something that is not JSON: " + e.getMessage());
        }
    }

    /** A reference split: registry host, repository, tag (or digest). */
    record Ref(String host, String repository, String tag) {
        static Ref parse(String ref) {
            String rest = ref;
            String host = "docker.io";
            int slash = ref.indexOf('/');
            if (slash > 0) {
                String first = ref.substring(0, slash);
                if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
                    host = first;
                    rest = ref.substring(slash + 1);
                }
            }
            String tag = "latest";
            int at = rest.indexOf('@');
            if (at >= 0) { tag = rest.substring(at + 1); rest = rest.substring(0, at); }
            else {
                int colon = rest.lastIndexOf(':');
                if (colon > 0) { tag = rest.substring(colon + 1); rest = rest.substring(0, colon); }
            }
            if (host.equals("docker.io") && !rest.contains("/")) rest = "library/" + rest;
            return new Ref(host, rest, tag);
        }

        /** The repository's API; https unless the answers name this host with an http:// endpoint. */
        URI base(java.util.Set<String> plainHttp) {
            String h = host.equals("docker.io") ? "registry-1.docker.io" : host;
            return URI.create((plainHttp.contains(host) ? "http://" : "https://") + h + "/v2/" + repository + "/");
        }
    }

    void saveOciArchive(String reference, String arch, Path target) throws BundleException, IOException {
        Ref ref = Ref.parse(reference);
        Fetched top = get(ref, "manifests/" + ref.tag(), ACCEPT);
        Map<?, ?> doc = (Map<?, ?>) json(new String(top.body, StandardCharsets.UTF_8));
        Fetched manifest = top;
        String mediaType = String.valueOf(doc.get("mediaType") == null ? top.contentType : doc.get("mediaType"));
        if (doc.get("manifests") instanceof List<?> list) {
            Map<?, ?> pick = null;
            for (Object o : list) {
                Map<?, ?> m = (Map<?, ?>) o;
                if (m.get("platform") instanceof Map<?, ?> p && "linux".equals(p.get("os")) && arch.equals(p.get("architecture"))) {
                    pick = m;
                    break;
                }
            }
            if (pick == null) throw new BundleException("image " + reference + " has no linux/" + arch + " manifest");
            String digest = (String) pick.get("digest");
            manifest = get(ref, "manifests/" + digest, ACCEPT);
            verify(reference, digest, manifest.body);
            mediaType = (String) pick.get("mediaType");
            doc = (Map<?, ?>) json(new String(manifest.body, StandardCharsets.UTF_8));
        } else if (ref.tag().startsWith("sha256:")) {
            verify(reference, ref.tag(), top.body);
        }
        String manifestDigest = "sha256:" + Bundle.sha256(manifest.body);
        Set<String> blobs = new LinkedHashSet<>();
        blobs.add((String) ((Map<?, ?>) doc.get("config")).get("digest"));
        for (Object l : (List<?>) doc.get("layers")) blobs.add((String) ((Map<?, ?>) l).get("digest"));
        String tag = ref.tag().startsWith("sha256:") ? "" : ref.tag();
        String index = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":[{"
                + "\"mediaType\":\"" + mediaType + "\",\"digest\":\"" + manifestDigest + "\",\"size\":" + manifest.body.length
                + ",\"annotations\":{\"io.containerd.image.name\":\"" + reference + "\""
                + (tag.isEmpty() ? "" : ",\"org.opencontainers.image.ref.name\":\"" + tag + "\"")
                + "},\"platform\":{\"architecture\":\"" + arch + "\",\"os\":\"linux\"}}]}";
        Path tmp = target.resolveSibling(target.getFileName() + ".part");
        try (OutputStream out = Files.newOutputStream(tmp); Tar tar = new Tar(out)) {
            tar.dir("blobs/");
            tar.dir("blobs/sha256/");
            tar.file("oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8));
            tar.file("index.json", index.getBytes(StandardCharsets.UTF_8));
            tar.file("blobs/sha256/" + manifestDigest.substring(7), manifest.body);
            for (String b : blobs) {
                byte[] data = get(ref, "blobs/" + b, "*/*").body;
                verify(reference, b, data);
                tar.file("blobs/sha256/" + b.substring(7), data);
            }
        } catch (BundleException | IOException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        Files.move(tmp, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    private static void verify(String reference, String digest, byte[] data) throws BundleException {
        String got = "sha256:" + Bundle.sha256(data);
        if (!got.equals(digest)) throw new BundleException("image " + reference + ": blob " + digest + " has digest " + got);
    }

    private record Fetched(byte[] body, String contentType) {}

    private Fetched get(Ref ref, String path, String accept) throws BundleException, IOException {
        URI uri = base(ref).resolve(path);
        Map<String, String> headers = new HashMap<>();
        headers.put("Accept", accept);
        String key = ref.host() + "/" + ref.repository();
        if (tokens.containsKey(key)) headers.put("Authorization", "Bearer " + tokens.get(key));
        HttpResponse<InputStream> r = http.send(uri, headers);
        if (r.statusCode() == 401 && !tokens.containsKey(key)) {
            r.body().close();
            String challenge = r.headers().firstValue("WWW-Authenticate").orElse("");
            tokens.put(key, token(uri, challenge));
            return get(ref, path, accept);
        }
        Http.check(uri, r);
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (InputStream in = r.body()) { in.transferTo(buf); }
        return new Fetched(buf.toByteArray(), r.headers().firstValue("Content-Type").orElse(""));
    }

    private String token(URI uri, String challenge) throws BundleException, IOException {
        if (!challenge.startsWith("Bearer ")) throw new BundleException("cannot fetch " + uri + ": HTTP 401 without a Bearer challenge");
        Map<String, String> p = new HashMap<>();
        Matcher m = PARAM.matcher(challenge);
        while (m.find()) p.put(m.group(1), m.group(2));
        String realm = p.getOrDefault("realm", "");
        if (realm.isEmpty()) throw new BundleException("cannot fetch " + uri + ": Bearer challenge without a realm");
        StringBuilder q = new StringBuilder(realm).append(realm.contains("?") ? "&" : "?");
        if (p.containsKey("service")) q.append("service=").append(URLEncoder.encode(p.get("service"), StandardCharsets.UTF_8)).append('&');
        if (p.containsKey("scope")) q.append("scope=").append(URLEncoder.encode(p.get("scope"), StandardCharsets.UTF_8));
        URI tokenUri = URI.create(q.toString());
        HttpResponse<InputStream> r = http.send(tokenUri, Map.of());
        Http.check(tokenUri, r);
        String body;
        try (InputStream in = r.body()) { body = new String(in.readAllBytes(), StandardCharsets.UTF_8); }
        Map<?, ?> doc = (Map<?, ?>) json(body);
        Object t = doc.get("token") != null ? doc.get("token") : doc.get("access_token");
        if (t == null) throw new BundleException("cannot fetch " + uri + ": the token service gave no token");
        return t.toString();
    }
}
