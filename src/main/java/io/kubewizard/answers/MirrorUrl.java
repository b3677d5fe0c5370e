package io.kubewizard.answers;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A mirror's URL as the answers give it: {@code http(s)://host[:port][/path]}, nothing else (no user,
 * query or fragment). For a registry mirror the path is a prefix of the repositories, as a Harbor
 * proxy project or an Artifactory virtual registry serves them ({@code harbor.example.com/k8s}).
 *
 * @param path without the slashes around it; "" when the URL has none
 */
public record MirrorUrl(String scheme, String host, int port, String path) {
    private static final Pattern FORM = Pattern.compile("(https?)://([A-Za-z0-9.-]+)(?::(\\d{1,5}))?(/[-A-Za-z0-9._~:@%+/$]*)?");

    /** Null when {@code url} is not of that form, or its host is neither a DNS name nor an IPv4 address. */
    public static MirrorUrl parse(String url) {
        Matcher m = FORM.matcher(url);
        if (!m.matches()) return null;
        String host = m.group(2).toLowerCase(java.util.Locale.ROOT);
        if (!Net.isHostName(host) && !Net.isIp(host)) return null;
        int port = -1;
        if (m.group(3) != null) {
            port = Integer.parseInt(m.group(3));
            if (port < 1 || port > 65535) return null;
        }
        String path = m.group(4) == null ? "" : m.group(4).replaceAll("^/+|/+$", "");
        if (path.contains("//")) return null;
        return new MirrorUrl(m.group(1), host, port, path);
    }

    /** "harbor.example.com:5000", "harbor.example.com": how image names and certs.d directories name the host. */
    public String hostPort() { return port < 0 ? host : host + ":" + port; }

    /** The image-name prefix the mirror's repositories have: "harbor.example.com/k8s". */
    public String reference() { return path.isEmpty() ? hostPort() : hostPort() + "/" + path; }

    /** "https://harbor.example.com" */
    public String origin() { return scheme + "://" + hostPort(); }

    public boolean plainHttp() { return scheme.equals("http"); }
}
