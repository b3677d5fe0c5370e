package io.kubewizard.cli;

import io.kubewizard.answers.AnswersLoader;
import io.kubewizard.answers.PresetCatalog;
import io.kubewizard.run.Engine;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.List;

/**
 * {@code -f} takes a file, or the name of a preset: one built into kubewizard, or one of the
 * installation's {@code presets/} directory (or of {@code --presets DIR}), see {@link PresetCatalog}.
 * The installation's directory is found from where kubewizard's own code lives (the jar, or the
 * classes directory), walking up at most {@link #LEVELS} directories: a checkout has
 * {@code target/kubewizard.jar} beside {@code presets/}'s parent, a package may keep {@code presets/}
 * next to its {@code lib/}. It never depends on the current directory, so {@code -f single-node}
 * means the same thing everywhere. An existing file always wins over a preset of the same name.
 */
final class Presets {
    private Presets() {}

    private static final int LEVELS = 3;

    /** What {@code -f} named: a file, or a preset (then {@code preset} is set, and {@code file} when it is one). */
    record Resolved(Path file, PresetCatalog.Preset preset) {
        AnswersLoader.Result load() { return preset != null ? preset.load() : AnswersLoader.load(file); }

        String sha256() throws IOException { return preset != null ? Engine.sha256(preset.bytes()) : Engine.sha256(file); }

        /** The user's own file (not a preset): the wizard offers it as the save path. */
        boolean userFile() { return preset == null; }
    }

    static Resolved resolve(String argument, PresetCatalog catalog) throws CliException {
        Path file = Path.of(argument);
        if (Files.exists(file)) return new Resolved(file, null);
        PresetCatalog.Preset preset;
        try {
            preset = catalog.get(argument);
        } catch (IllegalArgumentException differ) {
            throw new CliException(ExitCodes.INVALID_INPUT, differ.getMessage());
        }
        if (preset != null) return new Resolved(preset.file(), preset);
        List<String> names = catalog.names();
        throw new CliException(ExitCodes.INVALID_INPUT, "no such answers file or preset: '" + argument + "'"
                + (names.isEmpty() ? "" : " (presets: " + String.join(", ", names) + ")"));
    }

    /** The installation's presets directory, or null when this installation has none. */
    static Path directory() { return beside("presets"); }

    /** The installation's themes directory, or null when this installation has none. */
    static Path themes() { return beside("themes"); }

    private static Path beside(String name) {
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
            Path found = dir.resolve(name);
            if (Files.isDirectory(found)) return found;
        }
        return null;
    }
}
