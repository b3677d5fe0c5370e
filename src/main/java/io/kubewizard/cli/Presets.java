package io.kubewizard.cli;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * {@code -f} takes a file, or the name of a ready answers file in the installation's
 * {@code presets/} directory. That directory is found from where kubewizard's own code lives (the
 * jar, or the classes directory), walking up at most {@link #LEVELS} directories: a checkout has
 * {@code target/kubewizard.jar} beside {@code presets/}'s parent, a package keeps {@code presets/}
 * next to its {@code lib/}. It never depends on the current directory, so {@code -f single-node}
 * means the same thing everywhere. An existing file always wins over a preset of the same name.
 */
final class Presets {
    private Presets() {}

    private static final int LEVELS = 3;
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]*");

    static Path resolve(String argument) throws CliException {
        Path file = Path.of(argument);
        if (Files.exists(file)) return file;
        Path dir = directory();
        if (dir != null && NAME.matcher(argument).matches()) {
            Path preset = dir.resolve(argument + ".yaml");
            if (Files.isRegularFile(preset)) return preset;
        }
        List<String> names = names(dir);
        throw new CliException(ExitCodes.INVALID_INPUT, "no such answers file or preset: '" + argument + "'"
                + (names.isEmpty() ? "" : " (presets: " + String.join(", ", names) + ")"));
    }

    /** The installation's presets directory, or null when this installation has none. */
    static Path directory() {
        CodeSource source = Presets.class.getProtectionDomain().getCodeSource();
        if (source == null || source.getLocation() == null) return null;
        Path start;
        try {
            start = Path.of(source.getLocation().toURI()).toAbsolutePath();
        } catch (URISyntaxException | IllegalArgumentException e) {
            return null;
        }
        Path dir = Files.isDirectory(start) ? start : start.getParent();
        for (int i = 0; i < LEVELS && dir != null; i++, dir = dir.getParent()) {
            Path presets = dir.resolve("presets");
            if (Files.isDirectory(presets)) return presets;
        }
        return null;
    }

    static List<String> names(Path dir) {
        if (dir == null) return List.of();
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml"))
                    .map(n -> n.substring(0, n.length() - ".yaml".length())).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }
}
