package io.kubewizard.tui;

import com.googlecode.lanterna.graphics.PropertyTheme;
import com.googlecode.lanterna.graphics.Theme;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

/** The Lanterna themes of the installation's {@code themes/} directory, one {@code NAME.properties} each. */
public final class Themes {
    private Themes() {}

    public static final String DEFAULT = "dark";
    /** What NO_COLOR (no-color.org) gets unless a theme is asked for by name. */
    public static final String NO_COLOR = "monochrome";

    /** The theme to use: the named one, else monochrome under NO_COLOR, else the default. */
    public static String choose(String requested, boolean noColor) {
        if (requested != null) return requested;
        return noColor ? NO_COLOR : DEFAULT;
    }

    /** @throws IllegalArgumentException naming the themes there are, when {@code name} is not one */
    public static Theme load(Path dir, String name) throws IOException {
        Path file = dir == null ? null : dir.resolve(name + ".properties");
        if (file == null || !name.matches("[a-z0-9][a-z0-9-]*") || !Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no theme '" + name + "'" + (dir == null ? ": this installation has no "
                    + "themes directory" : " (themes: " + String.join(", ", names(dir)) + ")"));
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        }
        return new PropertyTheme(p);
    }

    public static List<String> names(Path dir) throws IOException {
        if (dir == null || !Files.isDirectory(dir)) return List.of();
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".properties"))
                    .map(n -> n.substring(0, n.length() - ".properties".length())).sorted().toList();
        }
    }
}
