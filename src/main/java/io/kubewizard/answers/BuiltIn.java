package io.kubewizard.answers;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Files that ship inside kubewizard itself: the build copies the repository's presets/ and themes/
 * into the jar under {@code io/kubewizard/presets/} and {@code io/kubewizard/themes/} (pom.xml), so a
 * jar run anywhere has them. A class loader cannot list a directory, so the build writes each one's
 * file names into its {@code INDEX} (pom.xml); without one (classes compiled by something else), the
 * names come from where kubewizard's classes are: the jar's entries, or the classes directory.
 */
public final class BuiltIn {
    private BuiltIn() {}

    /** The names (without {@code suffix}) of the built-in files {@code io/kubewizard/<dir>/NAME<suffix>}, sorted. */
    public static List<String> names(String dir, String suffix) {
        byte[] index = read(dir, INDEX);
        if (index == null) return scan(dir, suffix);
        List<String> out = new ArrayList<>();
        for (String file : new String(index, StandardCharsets.UTF_8).split("\n")) {
            if (file.endsWith(suffix) && file.length() > suffix.length()) {
                out.add(file.substring(0, file.length() - suffix.length()));
            }
        }
        out.sort(null);
        return out;
    }

    /** The index's file name in each built-in directory: one file name a line. */
    static final String INDEX = "INDEX";

    /** {@link #names} read off the jar's entries or the classes directory, for a build without indexes. */
    static List<String> scan(String dir, String suffix) {
        String prefix = "io/kubewizard/" + dir + "/";
        List<String> out = new ArrayList<>();
        Path where = codeSource();
        if (where == null) return out;
        if (Files.isDirectory(where)) {
            Path d = where.resolve(prefix);
            if (!Files.isDirectory(d)) return out;
            try (Stream<Path> files = Files.list(d)) {
                files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(suffix))
                        .forEach(n -> out.add(n.substring(0, n.length() - suffix.length())));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        } else {
            try (JarFile jar = new JarFile(where.toFile())) {
                for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
                    String n = e.nextElement().getName();
                    if (n.startsWith(prefix) && n.endsWith(suffix) && n.indexOf('/', prefix.length()) < 0) {
                        out.add(n.substring(prefix.length(), n.length() - suffix.length()));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        out.sort(null);
        return out;
    }

    /** The built-in file's bytes, or null when there is none of that name. */
    public static byte[] read(String dir, String file) {
        try (InputStream in = BuiltIn.class.getResourceAsStream("/io/kubewizard/" + dir + "/" + file)) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** How a built-in file is named in messages: {@code built-in presets/ha-stacked.yaml}. */
    public static String label(String dir, String file) { return "built-in " + dir + "/" + file; }

    private static Path codeSource() {
        CodeSource source = BuiltIn.class.getProtectionDomain().getCodeSource();
        if (source == null || source.getLocation() == null) return null;
        try {
            return Path.of(source.getLocation().toURI());
        } catch (URISyntaxException | IllegalArgumentException e) {
            return null;
        }
    }
}
