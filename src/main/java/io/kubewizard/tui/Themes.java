package io.kubewizard.tui;

import com.googlecode.lanterna.graphics.PropertyTheme;
import com.googlecode.lanterna.graphics.Theme;
import io.kubewizard.answers.BuiltIn;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The Lanterna themes, one {@code NAME.properties} each: those built into kubewizard (the repository's
 * themes/, copied into the jar) and those of the installation's {@code themes/} directory. A name in
 * both whose files differ is refused with both named, never silently shadowed.
 */
public final class Themes {
    private Themes() {}

    public static final String DEFAULT = "dark";
    /** What NO_COLOR (no-color.org) gets unless a theme is asked for by name. */
    public static final String NO_COLOR = "monochrome";
    private static final String DIR = "themes";
    private static final String SUFFIX = ".properties";

    /** The theme to use: the named one, else monochrome under NO_COLOR, else the default. */
    public static String choose(String requested, boolean noColor) {
        if (requested != null) return requested;
        return noColor ? NO_COLOR : DEFAULT;
    }

    /**
     * @param dir the installation's themes directory, or null
     * @throws IllegalArgumentException naming the themes there are, when {@code name} is not one, or
     *                                  naming both files when the built-in one and dir's differ
     */
    public static Theme load(Path dir, String name) throws IOException {
        boolean valid = name.matches("[a-z0-9][a-z0-9-]*");
        byte[] builtIn = valid ? BuiltIn.read(DIR, name + SUFFIX) : null;
        Path file = dir == null || !valid ? null : dir.resolve(name + SUFFIX);
        byte[] own = file != null && Files.isRegularFile(file) ? Files.readAllBytes(file) : null;
        if (builtIn == null && own == null) {
            throw new IllegalArgumentException("no theme '" + name + "' (themes: " + String.join(", ", names(dir)) + ")");
        }
        if (builtIn != null && own != null && !Arrays.equals(builtIn, own)) {
            throw new IllegalArgumentException("theme '" + name + "' is both " + BuiltIn.label(DIR, name + SUFFIX) + " and "
                    + file + ", and they differ: rename " + file);
        }
        Properties p = new Properties();
        try (Reader r = new InputStreamReader(new ByteArrayInputStream(own != null ? own : builtIn), StandardCharsets.UTF_8)) {
            p.load(r);
        }
        return new PropertyTheme(p);
    }

    /** The built-in themes and {@code dir}'s, sorted. */
    public static List<String> names(Path dir) throws IOException {
        TreeSet<String> all = new TreeSet<>(BuiltIn.names(DIR, SUFFIX));
        if (dir != null && Files.isDirectory(dir)) {
            try (Stream<Path> files = Files.list(dir)) {
                files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(SUFFIX))
                        .forEach(n -> all.add(n.substring(0, n.length() - SUFFIX.length())));
            }
        }
        return List.copyOf(all);
    }
}
