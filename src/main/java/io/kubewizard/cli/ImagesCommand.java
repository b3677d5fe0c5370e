package io.kubewizard.cli;

import io.kubewizard.answers.AnswersLoader;
import io.kubewizard.render.Images;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "images", header = "List every image the cluster runs", description = "Every image the cluster runs, one a line, as the nodes pull it (through "
        + "mirrors.registries when set); --format skopeo prints a skopeo sync file of their sources.")
final class ImagesCommand implements Callable<Integer> {
    enum Format { text, skopeo }

    @Mixin AnswersOption answers;
    @Option(names = "--format", defaultValue = "text", paramLabel = "FORMAT",
            description = "text (one image a line) or skopeo (a skopeo sync --src yaml file). Default: ${DEFAULT-VALUE}.")
    Format format;
    @Spec CommandSpec spec;

    @Override
    public Integer call() throws CliException {
        AnswersLoader.Result result = answers.loadValid(spec);
        if (result == null) return ExitCodes.INVALID_INPUT;
        PrintWriter out = spec.commandLine().getOut();
        List<Images.Image> images = Images.of(result.spec());
        if (format == Format.skopeo) out.print(Images.skopeoSync(images));
        else images.forEach(i -> out.println(i.pulled()));
        out.flush();
        return ExitCodes.OK;
    }
}
