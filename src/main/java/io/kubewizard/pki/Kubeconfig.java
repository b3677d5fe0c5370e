package io.kubewizard.pki;


import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * A kubeconfig with embedded credentials, laid out as client-go's clientcmd.Write does for kubeadm
 * (keys sorted, context "{user}@{cluster}", preferences {}).
 */
final class Kubeconfig {
    private Kubeconfig() {}

    /** What kubewizard checks in a stored kubeconfig; PEM texts decoded from the *-data fields. */
    record Parsed(String cluster, String server, String user, String caPem, String certPem, String keyPem) {}

    static String text(String cluster, String server, String user, String caPem, String certPem, String keyPem) {
        String context = user + "@" + cluster;
        return "apiVersion: v1\n"
                + "clusters:\n"
                + "- cluster:\n"
                + "    certificate-authority-data: " + b64(caPem) + "\n"
                + "    server: " + server + "\n"
                + "  name: " + cluster + "\n"
                + "contexts:\n"
                + "- context:\n"
                + "    cluster: " + cluster + "\n"
                + "    user: " + user + "\n"
                + "  name: " + context + "\n"
                + "current-context: " + context + "\n"
                + "kind: Config\n"
                + "preferences: {}\n"
                + "users:\n"
                + "- name: " + user + "\n"
                + "  user:\n"
                + "    client-certificate-data: " + b64(certPem) + "\n"
                + "    client-key-data: " + b64(keyPem) + "\n";
    }

    private static String b64(String pem) {
        return Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.US_ASCII));
    }

    /** Follows current-context to its cluster and user; IllegalArgumentException says what is missing. */
    static Parsed parse(String text) {
        Object doc;
        try {
            doc = io.kubewizard.answers.YamlText.load(text);
        } catch (io.kubewizard.answers.YamlText.Malformed e) {
            throw new IllegalArgumentException("not YAML: " + e.getMessage().lines().findFirst().orElse(""), e);
        }
        if (!(doc instanceof Map<?, ?> root) || !"Config".equals(root.get("kind"))) {
            throw new IllegalArgumentException("not a kubeconfig (kind: Config)");
        }
        String contextName = string(root, "current-context");
        Map<?, ?> context = named(root, "contexts", contextName, "context");
        String cluster = string(context, "cluster");
        String user = string(context, "user");
        Map<?, ?> c = named(root, "clusters", cluster, "cluster");
        Map<?, ?> u = named(root, "users", user, "user");
        return new Parsed(cluster, string(c, "server"), user, data(c, "certificate-authority-data"),
                data(u, "client-certificate-data"), data(u, "client-key-data"));
    }

    private static Map<?, ?> named(Map<?, ?> root, String list, String name, String field) {
        if (root.get(list) instanceof List<?> entries) {
            for (Object e : entries) {
                if (e instanceof Map<?, ?> m && name.equals(m.get("name")) && m.get(field) instanceof Map<?, ?> inner) return inner;
            }
        }
        throw new IllegalArgumentException("no " + field + " named '" + name + "' in " + list);
    }

    private static String string(Map<?, ?> m, String key) {
        if (m.get(key) instanceof String s && !s.isEmpty()) return s;
        throw new IllegalArgumentException("no " + key);
    }

    private static String data(Map<?, ?> m, String key) {
        try {
            return new String(Base64.getDecoder().decode(string(m, key)), StandardCharsets.US_ASCII);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + " is missing or not base64");
        }
    }
}
