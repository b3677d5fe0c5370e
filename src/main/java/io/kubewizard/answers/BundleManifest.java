package io.kubewizard.answers;

import io.kubewizard.answers.Spec.BundleFile;
import io.kubewizard.answers.Spec.ClusterSpec;
import io.kubewizard.answers.Spec.Offline;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads the manifest.yaml of {@code offline.directory} (written by {@code kubewizard bundle}, layout
 * in docs/answers.md "Offline bundle") into the spec's {@link Offline}, so plan and render need no
 * I/O. What is cheap is checked here, for {@code validate} as for {@code apply}: the bundle is for
 * the answers' version, runtime and CNI, every listed file is there with its size, and every download
 * the cluster needs is in it. Each file's sha256 is checked by {@code apply} before anything is sent
 * (and again by the run as it sends it).
 */
public final class BundleManifest {
    private BundleManifest() {}

    public static final String FILE = "manifest.yaml";
    static final String FIELD = "offline.directory";

    /** The bundle of {@code directory} for {@code spec}: its files, or none and the problems (field {@link #FIELD}). */
    static AnswersLoader.Section<Offline> read(ClusterSpec spec, String directory) {
        List<Problem> problems = new ArrayList<>();
        if (!directory.startsWith("/") && !directory.startsWith("~/")) {
            return failed(directory, "loader.offline.directory.notAbsolute", directory);
        }
        Path dir;
        try {
            dir = AnswersLoader.jumpHostPath(directory);
        } catch (InvalidPathException e) {
            return failed(directory, "loader.offline.directory.notDirectory", directory);
        }
        if (!Files.isDirectory(dir)) return failed(directory, "loader.offline.directory.notDirectory", directory);
        Path manifest = dir.resolve(FILE);
        if (!Files.isRegularFile(manifest)) return failed(directory, "loader.offline.manifest.missing", directory);
        Object doc;
        try {
            doc = YamlText.load(Files.readString(manifest, StandardCharsets.UTF_8));
        } catch (YamlText.Malformed e) {
            return failed(directory, "loader.offline.manifest.malformed", manifest.toString(), e.getMessage());
        } catch (IOException | java.io.UncheckedIOException e) {
            return failed(directory, "loader.offline.manifest.malformed", manifest.toString(), String.valueOf(e.getMessage()));
        }
        if (!(doc instanceof Map<?, ?> top) || !"Bundle".equals(String.valueOf(top.get("kind")))
                || !(top.get("files") instanceof List<?> list)) {
            return failed(directory, "loader.offline.manifest.notBundle", manifest.toString());
        }
        String runtime = spec.runtime().type().name().toLowerCase(Locale.ROOT);
        String cni = spec.network().cni().name().toLowerCase(Locale.ROOT);
        check(problems, "Kubernetes", top.get("kubernetesVersion"), spec.cluster().kubernetesVersion());
        if (!spec.runtime().type().yaml().equals(text(top.get("runtime")))) check(problems, "runtime", top.get("runtime"), runtime);
        check(problems, "CNI", top.get("cni"), cni);
        List<BundleFile> files = new ArrayList<>();
        int n = 0;
        for (Object o : list) {
            n++;
            if (!(o instanceof Map<?, ?> e)) {
                problems.add(error("loader.offline.manifest.entry", manifest.toString(), n, "not a mapping"));
                continue;
            }
            String path = text(e.get("path"));
            String kind = text(e.get("kind"));
            String sha = text(e.get("sha256"));
            long size;
            try {
                size = Long.parseLong(text(e.get("size")));
            } catch (NumberFormatException x) {
                size = -1;
            }
            if (path.isEmpty() || path.startsWith("/") || path.contains("\\") || List.of(path.split("/")).contains("..")
                    || !List.of("package", "image", "download").contains(kind) || !sha.matches("[0-9a-f]{64}") || size < 0) {
                problems.add(error("loader.offline.manifest.entry", manifest.toString(), n,
                        "path, kind (package, image or download), sha256 and size are required"));
                continue;
            }
            Path local = dir.resolve(path);
            long actual;
            try {
                actual = Files.isRegularFile(local) ? Files.size(local) : -1;
            } catch (IOException x) {
                actual = -1;
            }
            if (actual < 0) {
                problems.add(error("loader.offline.file.missing", path, directory));
                continue;
            }
            if (actual != size) {
                problems.add(error("loader.offline.file.size", path, actual, size));
                continue;
            }
            files.add(new BundleFile(path, kind, text(e.get("family")), text(e.get("arch")), text(e.get("source")),
                    text(e.get("name")), text(e.get("version")), sha, size, local.toAbsolutePath().normalize().toString()));
        }
        Offline offline = new Offline(directory, files);
        for (Downloadables.Download d : Downloadables.of(spec)) {
            if (offline.download(d.name()) == null) problems.add(error("loader.offline.download.missing", d.name()));
        }
        if (offline.of("package").isEmpty() && problems.isEmpty()) problems.add(error("loader.offline.packages.none", directory));
        return new AnswersLoader.Section<>(problems.isEmpty() ? offline : new Offline(directory, List.of()), problems);
    }

    private static void check(List<Problem> problems, String what, Object bundle, String answers) {
        if (!answers.equals(text(bundle))) problems.add(error("loader.offline.manifest.other", what, text(bundle), answers));
    }

    private static String text(Object o) { return o == null ? "" : String.valueOf(o); }

    private static Problem error(String code, Object... args) {
        return Problem.coded(Problem.Severity.ERROR, FIELD, code, args);
    }

    private static AnswersLoader.Section<Offline> failed(String directory, String code, Object... args) {
        return new AnswersLoader.Section<>(new Offline(directory, List.of()), List.of(error(code, args)));
    }
}
