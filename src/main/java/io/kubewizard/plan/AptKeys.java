package io.kubewizard.plan;

import io.kubewizard.answers.Spec.ClusterSpec;
import io.kubewizard.answers.Spec.Host;
import io.kubewizard.answers.Spec.PackageSource;
import io.kubewizard.render.PackageRepos;
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
 * so the plan does it on the host. Docker's apt source names the host's distribution and codename,
 * which render cannot know, so the host writes that source itself from /etc/os-release.
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

    /**
     * @param url      where the key is fetched; "" for one uploaded from the jump host to {@code uploaded}
     * @param sha256   what a fetched key must hash to; "" when the answers do not pin it
     */
    record Key(String url, String keyring, String uploaded, String sha256) {
        Key(String url, String keyring) { this(url, keyring, "", ""); }

        String fetch() {
            String k = Shell.quote(keyring);
            if (!uploaded.isEmpty()) {
                // the jump host's file may be armored or a binary keyring already
                String u = Shell.quote(uploaded);
                return "if grep -q 'BEGIN PGP PUBLIC KEY BLOCK' " + u + "; then gpg --batch --yes --dearmor -o " + k + " < " + u
                        + "; else install -m 0644 " + u + " " + k + "; fi && test -s " + k;
            }
            if (!sha256.isEmpty()) {
                return "f=\"$(mktemp)\" && trap 'rm -f \"$f\"' EXIT && curl -fsSL -o \"$f\" " + Shell.quote(url) + " && "
                        + Shell.sha256Check("\"$f\"", sha256, url) + " && gpg --batch --yes --dearmor -o " + k
                        + " < \"$f\" && test -s " + k;
            }
            return "curl -fsSL " + Shell.quote(url) + " | gpg --batch --yes --dearmor -o " + k + " && test -s " + k;
        }
    }

    static List<Key> of(ClusterSpec spec, List<RenderedFile> files) {
        List<Key> keys = new ArrayList<>();
        for (Key k : of(files)) {
            Key mirrored = null;
            for (PackageSource source : PackageSource.values()) {
                PackageRepos.MirrorKey m = PackageRepos.mirrorKey(spec, source);
                if (m != null && PackageRepos.aptKeyring(source).equals(k.keyring())) {
                    mirrored = new Key(m.url(), k.keyring(), m.uploaded(), m.sha256());
                }
            }
            keys.add(mirrored != null ? mirrored : k);
        }
        return keys;
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

    /** pkgs.k8s.io and the openSUSE build service (CRI-O) publish Release.key beside the repository. */
    static String keyUrl(String repository) {
        String base = repository.endsWith("/") ? repository : repository + "/";
        return base + "Release.key";
    }

    /** A step that uploads repository definitions and, on deb hosts, fetches the keys they name. */
    static void addRepositoryStep(Draft d, String id, Host host, String title, List<RenderedFile> repository) {
        addRepositoryStep(d, id, host, title, repository, false);
    }

    /**
     * A step that uploads repository definitions and, on deb hosts, fetches the keys they name and,
     * with {@code dockerSource}, writes Docker's apt source ({@link #writeDockerSource}). The check
     * holds once every keyring (and Docker's source) is there and not empty. rpm hosts only get the
     * uploads: dnf imports the keys that gpgkey= names itself.
     */
    static void addRepositoryStep(Draft d, String id, Host host, String title, List<RenderedFile> repository,
                                  boolean dockerSource) {
        if (repository.isEmpty() && !dockerSource) return;
        List<Key> keys = of(d.spec, repository);
        List<String> keyrings = new ArrayList<>(keys.stream().map(Key::keyring).toList());
        List<String> written = new ArrayList<>(keyrings);
        if (dockerSource) {
            keyrings.add(PackageRepos.DOCKER_APT_KEYRING);
            written.addAll(List.of(PackageRepos.DOCKER_APT_KEYRING, PackageRepos.DOCKER_APT_LIST));
        }
        List<String> deb = new ArrayList<>();
        // curl and gpg come from prepare/tools, before any source is uploaded.
        keyrings.stream().map(AptKeys::parent).distinct().forEach(dir -> deb.add("install -d -m 0755 " + Shell.quote(dir)));
        keys.forEach(k -> deb.add(k.fetch()));
        if (dockerSource) deb.add(writeDockerSource(d.spec));
        d.add(id, host, title).upload(repository)
                .check(debOnly(Shell.all(written.stream().map(f -> "test -s " + Shell.quote(f)).toList())))
                .deb(deb);
    }

    /**
     * A check about apt files holds trivially where there is no apt: RPM hosts run nothing in a
     * repository step (their .repo file is uploaded as for any step), so an apt keyring test there
     * could never pass.
     */
    static String debOnly(String check) {
        return check == null ? null : "! command -v apt-get >/dev/null 2>&1 || { " + check + "; }";
    }

    /**
     * Writes Docker's apt source and keyring for the distribution and codename in /etc/os-release.
     * Docker publishes apt repositories for Debian and Ubuntu only, so any other ID stops the step
     * with a message; the codename must be a plain lowercase word, as it becomes part of a URL and
     * of the source line.
     */
    static String writeDockerSource() { return writeDockerSource(null); }

    /**
     * With a docker mirror ({@code mirrors.packages.docker}) its deb URL stands for the directory that
     * holds the distributions, as {@code https://download.docker.com/linux/} does, and its key is the
     * answers' (fetched, pinned or uploaded).
     */
    static String writeDockerSource(ClusterSpec spec) {
        String keyring = Shell.quote(PackageRepos.DOCKER_APT_KEYRING);
        PackageRepos.MirrorKey mirror = spec == null ? null : PackageRepos.mirrorKey(spec, PackageSource.DOCKER);
        String base = mirror == null ? PackageRepos.DOCKER_LINUX
                : withSlash(spec.mirrors().packages(PackageSource.DOCKER).deb().replace("{minor}", spec.version().minorTag()));
        String key = mirror == null ? "curl -fsSL \"" + base + "$ID/gpg\" | gpg --batch --yes --dearmor -o " + keyring
                + " && test -s " + keyring
                : new Key(mirror.url(), PackageRepos.DOCKER_APT_KEYRING, mirror.uploaded(), mirror.sha256()).fetch();
        return ". /etc/os-release"
                + " && case \"$ID\" in debian|ubuntu) ;; *) echo \"Docker publishes apt repositories for debian and"
                + " ubuntu, not '$ID' (ID in /etc/os-release)\" >&2; exit 1 ;; esac"
                + " && case \"$VERSION_CODENAME\" in ''|*[!a-z]*) echo \"'$VERSION_CODENAME' is not a distribution"
                + " codename such as bookworm or noble (VERSION_CODENAME in /etc/os-release)\" >&2; exit 1 ;; esac"
                + " && " + key
                + " && printf '%s\\n' "
                + Shell.quote("# Written by kubewizard: containerd.io (and docker-ce) come from the Docker repository, because")
                + " " + Shell.quote("# distributions ship containerd 1.x, which Kubernetes after 1.35 no longer supports.")
                + " \"deb [signed-by=" + PackageRepos.DOCKER_APT_KEYRING + "] " + base + "$ID $VERSION_CODENAME stable\""
                + " >" + Shell.quote(PackageRepos.DOCKER_APT_LIST);
    }

    private static String withSlash(String url) { return url.endsWith("/") ? url : url + "/"; }

    private static String parent(String path) {
        int slash = path.lastIndexOf('/');
        return slash <= 0 ? "/" : path.substring(0, slash);
    }
}
