package io.kubewizard.plan;

import io.kubewizard.answers.Spec.Host;
import io.kubewizard.render.RenderedFile;
import io.kubewizard.render.RenderedFile.OsFamily;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The signing keys an apt source needs, read from the rendered source file itself, so the keyring
 * fetched is always the one its {@code signed-by} names. Render cannot fetch keys (it does no I/O),
 * so the plan does it on the host.
 */
final class AptKeys {
    private AptKeys() {}

    /** One-line form: deb [arch=amd64 signed-by=/etc/apt/keyrings/x.gpg] https://repo/path/ suite */
    private static final Pattern ONE_LINE =
            Pattern.compile("(?m)^\\s*deb\\s+\\[([^\\]]*)]\\s+(\\S+)");
    private static final Pattern SIGNED_BY = Pattern.compile("(?:^|\\s)signed-by=(\\S+)");
    /** deb822 form (.sources): URIs: and Signed-By: fields. */
    private static final Pattern URIS = Pattern.compile("(?mi)^URIs:\\s*(\\S+)");
    private static final Pattern SIGNED_BY_FIELD = Pattern.compile("(?mi)^Signed-By:\\s*(/\\S+)");

    record Key(String url, String keyring) {
        /** Dearmored unless apt is told to read an armored .asc file. */
        String fetch() {
            if (keyring.endsWith(".asc")) return "curl -fsSL " + Shell.quote(url) + " -o " + Shell.quote(keyring);
            return "curl -fsSL " + Shell.quote(url) + " | gpg --batch --yes --dearmor -o " + Shell.quote(keyring)
                    + " && test -s " + Shell.quote(keyring);
        }
    }

    static List<Key> of(List<RenderedFile> files) {
        Map<String, Key> byKeyring = new LinkedHashMap<>();
        for (RenderedFile f : files) {
            if (f.os() == OsFamily.RPM || !f.path().startsWith("/etc/apt/sources.list.d/")) continue;
            Matcher line = ONE_LINE.matcher(f.content());
            while (line.find()) {
                Matcher signedBy = SIGNED_BY.matcher(line.group(1));
                if (signedBy.find()) add(byKeyring, line.group(2), signedBy.group(1));
            }
            Matcher uris = URIS.matcher(f.content());
            Matcher field = SIGNED_BY_FIELD.matcher(f.content());
            if (uris.find() && field.find()) add(byKeyring, uris.group(1), field.group(1));
        }
        return new ArrayList<>(byKeyring.values());
    }

    private static void add(Map<String, Key> byKeyring, String repository, String keyring) {
        byKeyring.putIfAbsent(keyring, new Key(keyUrl(repository), keyring));
    }

    /**
     * pkgs.k8s.io and the openSUSE build service (CRI-O) publish Release.key beside the repository;
     * Docker publishes its key as "gpg" at the distribution root.
     */
    static String keyUrl(String repository) {
        String base = repository.endsWith("/") ? repository : repository + "/";
        if (base.contains("://download.docker.com/")) return base + "gpg";
        return base + "Release.key";
    }

    /** The commands that install every key, preceded by the tools they need. */
    static List<String> fetchCommands(List<Key> keys) {
        if (keys.isEmpty()) return List.of();
        List<String> out = new ArrayList<>();
        out.add("apt-get update");
        out.add("DEBIAN_FRONTEND=noninteractive apt-get install -y ca-certificates curl gpg");
        keys.stream().map(k -> parent(k.keyring())).distinct()
                .forEach(dir -> out.add("install -d -m 0755 " + Shell.quote(dir)));
        keys.forEach(k -> out.add(k.fetch()));
        return out;
    }

    /** Every keyring present and not empty: the fetch already happened. */
    static String check(List<Key> keys) {
        return Shell.all(keys.stream().map(k -> "test -s " + Shell.quote(k.keyring())).toList());
    }

    /** A step that uploads repository definitions and, on deb hosts, fetches the keys they name. */
    static void addRepositoryStep(Draft d, String id, Host host, String title, List<RenderedFile> repository) {
        if (repository.isEmpty()) return;
        List<Key> keys = of(repository);
        d.add(id, host, title).upload(repository).check(check(keys)).deb(fetchCommands(keys));
    }

    private static String parent(String path) {
        int slash = path.lastIndexOf('/');
        return slash <= 0 ? "/" : path.substring(0, slash);
    }
}
