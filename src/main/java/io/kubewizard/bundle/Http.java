package io.kubewizard.bundle;

import io.kubewizard.bundle.Bundle.BundleException;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;

/** The bundle's HTTP: GETs with redirects followed, a clear refusal on anything but 200. */
public class Http {
    private final HttpClient client = HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NORMAL).connectTimeout(Duration.ofSeconds(30)).build();

    /** Downloads to {@code target}, returning the sha256 of what was written. */
    public String download(URI uri, Path target) throws BundleException, IOException {
        HttpResponse<InputStream> r = send(uri, Map.of());
        check(uri, r);
        MessageDigest md = Bundle.digest();
        try (InputStream in = r.body(); OutputStream out = new DigestOutputStream(Files.newOutputStream(target), md)) {
            in.transferTo(out);
        }
        return HexFormat.of().formatHex(md.digest());
    }

    public HttpResponse<InputStream> send(URI uri, Map<String, String> headers) throws BundleException, IOException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(10)).GET();
        headers.forEach(b::header);
        try {
            return client.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BundleException("interrupted while fetching " + uri);
        } catch (IOException e) {
            throw new BundleException("cannot fetch " + uri + ": " + reason(e));
        }
    }

    /**
     * The first message in the cause chain; Java's HttpClient gives a refused connection and an
     * unresolvable name none at all, so those are named by their kind; else the exception's name.
     */
    static String reason(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) return t.getMessage();
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.net.ConnectException) return "connection refused";
            if (t instanceof java.nio.channels.UnresolvedAddressException) return "cannot resolve the host";
        }
        return e.getClass().getSimpleName();
    }

    static void check(URI uri, HttpResponse<InputStream> r) throws BundleException, IOException {
        if (r.statusCode() != 200) {
            r.body().close();
            throw new BundleException("cannot fetch " + uri + ": HTTP " + r.statusCode());
        }
    }
}
