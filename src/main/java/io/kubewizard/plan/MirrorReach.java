package io.kubewizard.plan;

import io.kubewizard.answers.Downloadables;
import io.kubewizard.answers.MirrorUrl;
import io.kubewizard.answers.Spec.ClusterSpec;
import io.kubewizard.answers.Spec.PackageMirror;
import io.kubewizard.answers.Spec.PackageSource;
import io.kubewizard.answers.Spec.RegistryMirror;
import io.kubewizard.answers.Spec.RuntimeType;
import io.kubewizard.render.PackageRepos;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Whether a host reaches every mirror the answers file sends it to ({@code mirrors}), before anything
 * is installed: one HTTP HEAD per URL with curl, as the host's package manager, runtime and downloads
 * will reach it later, trusting the mirror's CA when the answers give one (uploaded beside the check
 * to {@link #CA_DIR}, which the check removes again). Any HTTP answer counts, a 401 or 404 too: a
 * registry answers /v2/ with 401 until one logs in, and a repository's base URL need not be a page.
 * What fails is what would fail the install: no route, a refused connection, a timeout, a name that
 * does not resolve, a certificate the CA does not vouch for.
 *
 * <p>The package repositories' URLs are their family's (deb or rpm), checked only on hosts of that
 * family (read from /etc/os-release, as {@link Facts#family} does). A host without curl is not
 * checked: a note says so, since the prepare phase installs it.
 *
 * @param targets every URL, in the answers' order, each once per family
 */
public record MirrorReach(List<Target> targets) implements Reading<MirrorReach.Result> {
    /** Where a mirror's CA waits for the check; removed by the last command. */
    static final String CA_DIR = "/run/kubewizard/preflight";
    static final int TIMEOUT_SECONDS = 10;

    /**
     * @param field  the answers field the URL comes from, as a message names it
     * @param family "deb" or "rpm" for a package repository's URL, "" for every host
     * @param ca     the jump-host CA file the host must trust for it, "" for the system's trust store
     */
    public record Target(String field, String url, String family, String ca, String caSha256) {}

    public MirrorReach {
        targets = List.copyOf(targets);
    }

    /**
     * What the checks found: the URLs that failed, each naming its field and why (the step fails on
     * them, {@link Judge#READ_PROBLEMS}), and notes on the others ("answered 401", "not checked").
     */
    public record Result(List<String> problems, List<String> notes) implements Reading.Findings {
        public Result {
            problems = List.copyOf(problems);
            notes = List.copyOf(notes);
        }
    }

    /**
     * The URLs this cluster's hosts fetch from instead of the public sources; none without mirrors,
     * and none with an offline bundle, which brings the packages, images and downloads itself (a mirror
     * then only serves what a workload pulls later, which the install does not need).
     */
    public static MirrorReach of(ClusterSpec spec) {
        Map<String, Target> out = new LinkedHashMap<>();
        if (spec.offline().isSet()) return new MirrorReach(List.of());
        RuntimeType runtime = spec.runtime().type();
        for (PackageSource source : PackageSource.values()) {
            PackageMirror m = spec.mirrors().packages(source);
            boolean used = source == PackageSource.KUBERNETES || (source == PackageSource.CRI_O && runtime == RuntimeType.CRI_O)
                    || (source == PackageSource.DOCKER && PackageRepos.usesDockerRepository(runtime));
            if (m == null || !used) continue;
            String field = "mirrors.packages." + source.yaml();
            add(out, new Target(field + ".deb", minor(spec, m.deb()), "deb", "", ""));
            add(out, new Target(field + ".rpm", minor(spec, m.rpm()), "rpm", "", ""));
            if (!m.key().isEmpty() && !m.keyIsFile()) add(out, new Target(field + ".key", minor(spec, m.key()), "", "", ""));
        }
        spec.mirrors().registries().forEach((registry, m) -> {
            for (String endpoint : m.endpoints()) {
                MirrorUrl u = MirrorUrl.parse(endpoint);
                if (u == null) continue;
                // a registry's API root: what a pull asks first
                add(out, new Target("mirrors.registries." + registry, u.origin() + "/v2/", "", u.plainHttp() ? "" : m.ca(),
                        u.plainHttp() ? "" : m.caSha256()));
            }
        });
        var downloads = spec.mirrors().downloads();
        boolean fetched = Downloadables.of(spec).stream().anyMatch(d -> !downloads.files().containsKey(d.name())
                && downloads.sha256().containsKey(d.name()));
        if (!downloads.baseUrl().isEmpty() && fetched) {
            add(out, new Target("mirrors.downloads.baseUrl", downloads.baseUrl(), "", "", ""));
        }
        return new MirrorReach(new ArrayList<>(out.values()));
    }

    private static void add(Map<String, Target> out, Target t) {
        if (t.url().isEmpty()) return;
        out.putIfAbsent(t.family() + " " + t.url() + " " + t.ca(), t);
    }

    private static String minor(ClusterSpec spec, String url) {
        return PackageRepos.minor(url, spec.version());
    }

    public boolean isEmpty() { return targets.isEmpty(); }

    /** Where a target's CA is uploaded for the check, or "" when it has none. */
    static String caPath(Target t) {
        return t.ca().isEmpty() ? "" : CA_DIR + "/" + t.caSha256() + ".crt";
    }

    public String id() { return "mirrors"; }

    /**
     * One command per target, each printing one line and never failing: "ok CODE", "skip REASON" or
     * "fail CURL-EXIT MESSAGE". The last one also removes {@link #CA_DIR}.
     */
    public List<String> commands() {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < targets.size(); i++) {
            Target t = targets.get(i);
            String ca = caPath(t);
            String curl = "curl -sS -I -o /dev/null -w '%{http_code}' --max-time " + TIMEOUT_SECONDS
                    + (ca.isEmpty() ? "" : " --cacert " + Shell.quote(ca)) + " " + Shell.quote(t.url());
            String check = "if ! command -v curl >/dev/null 2>&1; then echo 'skip curl is not installed yet'; "
                    + "elif out=$(" + curl + " 2>&1); then echo \"ok $out\"; else echo \"fail $? $out\"; fi";
            if (!t.family().isEmpty()) {
                check = "if " + familyTest(t.family()) + "; then " + check + "; else echo 'skip not a " + t.family()
                        + " host'; fi";
            }
            if (i == targets.size() - 1 && targets.stream().anyMatch(x -> !x.ca().isEmpty())) check += "; rm -rf " + CA_DIR;
            out.add(check);
        }
        return out;
    }

    /** The host is of this package family, by /etc/os-release's ID and ID_LIKE as {@link Facts#family} reads them. */
    private static String familyTest(String family) {
        String names = family.equals("deb") ? "debian|ubuntu" : "rhel|fedora|centos|rocky|almalinux";
        return "(. /etc/os-release; for n in $ID $ID_LIKE; do case \"$n\" in " + names + ") exit 0;; esac; done; exit 1)";
    }

    public Result parse(List<String> outputs) {
        if (outputs.size() != targets.size()) {
            throw new IllegalArgumentException("the mirror checks printed " + outputs.size() + " results for "
                    + targets.size() + " URLs");
        }
        List<String> problems = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        for (int i = 0; i < targets.size(); i++) {
            Target t = targets.get(i);
            String line = outputs.get(i).strip();
            if (line.startsWith("ok ")) {
                notes.add(t.url() + " answered " + line.substring(3).strip());
            } else if (line.startsWith("skip ")) {
                notes.add(t.url() + " not checked: " + line.substring(5).strip());
            } else if (line.startsWith("fail ")) {
                // "fail EXIT CODEcurl: (7) ...": curl's -w code (000 without an answer) runs into its message
                String why = line.substring(5).replaceFirst("^\\d+ ?", "").replaceFirst("^\\d{3}", "").strip();
                problems.add("cannot reach " + t.url() + " (" + t.field() + "): " + (why.isEmpty() ? "curl failed" : why));
            } else {
                throw new IllegalArgumentException("the check of " + t.url() + " printed '" + line + "'");
            }
        }
        return new Result(problems, notes);
    }

    /** The CA files the checks need, uploaded before them. */
    List<io.kubewizard.render.RenderedFile> uploads(String host) {
        Map<String, io.kubewizard.render.RenderedFile> out = new LinkedHashMap<>();
        for (Target t : targets) {
            if (t.ca().isEmpty()) continue;
            out.putIfAbsent(caPath(t), io.kubewizard.render.RenderedFile.ofLocal(host, caPath(t), 0644, t.ca(), t.caSha256()));
        }
        return new ArrayList<>(out.values());
    }
}
