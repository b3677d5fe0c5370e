package io.kubewizard.render;

import io.kubewizard.answers.Spec.BundleFile;
import io.kubewizard.answers.Spec.ClusterSpec;
import io.kubewizard.answers.Spec.Host;
import io.kubewizard.answers.Spec.PackageSource;
import io.kubewizard.render.RenderedFile.OsFamily;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * With {@code offline.directory}: the bundle's packages and images as files of every host, each sent
 * from the jump host as it is ({@link RenderedFile#ofLocal}, pinned by the manifest's sha256) to the
 * hosts of its package family and machine only. Beside them, a list per source (and one of the
 * images) names what this bundle brought, so the install takes exactly those files and never a
 * leftover of an earlier bundle: a line is {@code <distribution> <path>} for packages ("-" for any
 * distribution; Docker's debs are per {@code ID-codename}, its rpms per {@code el<major>}) and
 * {@code <image> <path>} for images (the archives named by their sha256, so no command names a
 * registry). Downloads travel with the step that needs them (see the plan's
 * Downloads).
 */
public final class OfflineFiles {
    private OfflineFiles() {}

    public static final String DIR = "/var/lib/kubewizard/offline";
    public static final String PACKAGES = DIR + "/packages/";
    public static final String IMAGES = DIR + "/images/";
    /** The list of the images this host imports, one {@code <image> <path>} a line. */
    public static final String IMAGE_LIST = IMAGES + "images.list";

    /** A file name the lists and the shell can carry as a word. */
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._+~:%-]+");

    /** The list of a source's packages ({@code kubernetes}, {@code docker}, {@code cri-o}). */
    public static String packageList(PackageSource source) { return PACKAGES + source.yaml() + ".list"; }

    static List<RenderedFile> files(ClusterSpec spec) {
        if (!spec.offline().isSet()) return List.of();
        List<RenderedFile> out = new ArrayList<>();
        for (Host h : spec.hosts()) {
            // list path -> (family, arch) -> lines
            Map<String, Map<String, StringBuilder>> lists = new LinkedHashMap<>();
            for (BundleFile f : spec.offline().files()) {
                String base = f.path().substring(f.path().lastIndexOf('/') + 1);
                if (!SAFE.matcher(base).matches() || f.arch().isEmpty()) continue;
                switch (f.kind()) {
                    case "package" -> {
                        OsFamily family = f.family().equals("rpm") ? OsFamily.RPM : OsFamily.DEB;
                        PackageSource source = source(f.source());
                        if (source == null) continue;
                        // packages/<family>/<arch>/<source>/[<distribution>/]<file>
                        String[] parts = f.path().split("/");
                        String distribution = parts.length > 5 && SAFE.matcher(parts[4]).matches() ? parts[4] : "-";
                        String node = PACKAGES + source.yaml() + "/" + (distribution.equals("-") ? "" : distribution + "/") + base;
                        out.add(RenderedFile.ofLocal(h.name(), node, 0644, f.local(), f.sha256()).onlyFor(family).onlyForArch(f.arch()));
                        lists.computeIfAbsent(packageList(source), k -> new LinkedHashMap<>())
                                .computeIfAbsent(family.name() + " " + f.arch(), k -> new StringBuilder())
                                .append(distribution).append(' ').append(node).append('\n');
                    }
                    case "image" -> {
                        // named by content: a command that names the file names no registry
                        String node = IMAGES + f.sha256().substring(0, 24) + ".tar";
                        out.add(RenderedFile.ofLocal(h.name(), node, 0644, f.local(), f.sha256()).onlyForArch(f.arch()));
                        lists.computeIfAbsent(IMAGE_LIST, k -> new LinkedHashMap<>())
                                .computeIfAbsent("ANY " + f.arch(), k -> new StringBuilder())
                                .append(f.name()).append(' ').append(node).append('\n');
                    }
                    default -> { }
                }
            }
            lists.forEach((path, byPlatform) -> byPlatform.forEach((platform, lines) -> {
                String[] p = platform.split(" ");
                out.add(RenderedFile.of(h.name(), path, 0644, lines.toString())
                        .onlyFor(OsFamily.valueOf(p[0])).onlyForArch(p[1]));
            }));
        }
        return out;
    }

    private static PackageSource source(String yaml) {
        for (PackageSource s : PackageSource.values()) if (s.yaml().equals(yaml.toLowerCase(Locale.ROOT))) return s;
        return null;
    }
}
