package io.kubewizard.answers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The ready answers files {@code -f NAME} and the wizard's Welcome page offer: the presets built into
 * kubewizard ({@link BuiltIn}), and those of a directory beside the installation or given with
 * {@code --presets DIR}. A name in both is one preset when the two files are byte for byte the same
 * (a checkout, or a package that keeps a copy beside the jar); when they differ, neither is taken:
 * using the name is an error that names both files, so a preset is never silently shadowed.
 */
public final class PresetCatalog {
    public static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]*");
    private static final String DIR = "presets";
    private static final String SUFFIX = ".yaml";

    private final Path directory;

    private PresetCatalog(Path directory) { this.directory = directory; }

    /** The built-in presets and those of {@code directory} (null, or missing: the built-in ones alone). */
    public static PresetCatalog of(Path directory) { return new PresetCatalog(directory); }

    public Path directory() { return directory; }

    /** One preset's text and where it came from: a file, or null for a built-in one. */
    public record Preset(String name, String label, Path file, byte[] bytes) {
        public AnswersLoader.Result load() { return AnswersLoader.load(label, bytes); }
    }

    /** Every preset name of both sources, sorted. */
    public List<String> names() {
        TreeSet<String> all = new TreeSet<>(BuiltIn.names(DIR, SUFFIX));
        all.addAll(directoryNames());
        return List.copyOf(all);
    }

    /**
     * The preset of that name, or null when neither source has it.
     *
     * @throws Differ both sources have it and the files differ; the message names both
     */
    public Preset get(String name) {
        if (!NAME.matcher(name).matches()) return null;
        String file = name + SUFFIX;
        byte[] builtIn = BuiltIn.read(DIR, file);
        Path local = directory == null ? null : directory.resolve(file);
        byte[] own = null;
        if (local != null && Files.isRegularFile(local)) {
            try {
                own = Files.readAllBytes(local);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        if (own != null && builtIn != null && !Arrays.equals(own, builtIn)) {
            throw new Differ(name, BuiltIn.label(DIR, file), local);
        }
        if (own != null) return new Preset(name, local.toString(), local, own);
        if (builtIn != null) return new Preset(name, BuiltIn.label(DIR, file), null, builtIn);
        return null;
    }

    /** A built-in preset and a directory's of the same name differ: neither is taken. */
    public static final class Differ extends IllegalArgumentException {
        public final String name;
        public final String builtIn;
        public final Path file;

        Differ(String name, String builtIn, Path file) {
            super("preset '" + name + "' is both " + builtIn + " and " + file
                    + ", and they differ: pass the file's path to -f, or rename it");
            this.name = name;
            this.builtIn = builtIn;
            this.file = file;
        }
    }

    private List<String> directoryNames() {
        if (directory == null || !Files.isDirectory(directory)) return List.of();
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(SUFFIX))
                    .map(n -> n.substring(0, n.length() - SUFFIX.length())).filter(n -> NAME.matcher(n).matches())
                    .toList();
        } catch (IOException e) {
            return List.of();
        }
    }
}
