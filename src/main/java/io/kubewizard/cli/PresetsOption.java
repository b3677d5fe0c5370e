package io.kubewizard.cli;

import io.kubewizard.answers.PresetCatalog;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;

/** {@code --presets DIR}: where presets beside the built-in ones come from, for -f and the wizard. */
final class PresetsOption {
    @Option(names = "--presets", paramLabel = "DIR",
            description = "Presets DIR/NAME.yaml besides the built-in ones (single-node, ha-stacked, ha-external-etcd), "
                    + "instead of the installation's presets/ directory. A name in both that differs is an error.")
    Path dir;

    /** The built-in presets and DIR's, or the installation's presets/ directory's when DIR is not given. */
    PresetCatalog catalog() throws CliException {
        if (dir != null && !Files.isDirectory(dir)) {
            throw new CliException(ExitCodes.INVALID_INPUT, "--presets " + dir + ": no such directory");
        }
        return PresetCatalog.of(dir != null ? dir : Presets.directory());
    }
}
