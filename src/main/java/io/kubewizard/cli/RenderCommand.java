package io.kubewizard.cli;

import io.kubewizard.answers.AnswersLoader;
import io.kubewizard.answers.Spec.ClusterSpec;
import io.kubewizard.pki.ClusterPki;
import io.kubewizard.pki.PkiException;
import io.kubewizard.pki.PkiStore;
import io.kubewizard.render.Render;
import io.kubewizard.render.RenderedFile;
import io.kubewizard.render.RenderedFile.OsFamily;
import io.kubewizard.render.Secrets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "render", header = "Write every file each host would get, secrets masked", description = "Write every file each host would get to DIR/<host>/<path>, secrets masked. "
        + "Nothing is written when the answers file has errors.")
final class RenderCommand implements Callable<Integer> {
    @Mixin AnswersOption answers;
    @Mixin RunDirOption state;
    @Option(names = {"-o", "--output"}, required = true, paramLabel = "DIR", description = "Directory to write into.")
    Path output;
    @Spec CommandSpec spec;

    @Override
    public Integer call() throws CliException {
        AnswersLoader.Result result = answers.loadValid(spec);
        if (result == null) return ExitCodes.INVALID_INPUT;
        PrintWriter out = spec.commandLine().getOut();
        // A person reads these files: real tokens exist only for apply. Generated certificates are
        // not masked: they are the files kubeadm will find, made once and kept in the run directory.
        ClusterSpec cluster = result.spec();
        List<RenderedFile> files;
        PkiStore store = null;
        if (ClusterPki.needed(cluster)) {
            try {
                store = PkiStore.ofRun(state.of(cluster).create().path());
                files = Render.render(cluster, Secrets.MASKED, ClusterPki.ensure(cluster, store));
            } catch (PkiException e) {
                throw new CliException(ExitCodes.INVALID_INPUT, e.userMessage(), e);
            } catch (IOException e) {
                throw new CliException(ExitCodes.RUN_FAILED, "cannot create the run directory: " + IoMessages.describe(e), e);
            }
        } else {
            files = Render.render(cluster, Secrets.MASKED);
        }
        List<TreeWriter.Written> written;
        try {
            written = TreeWriter.write(output, files);
        } catch (IOException e) {
            throw new CliException(ExitCodes.RUN_FAILED, "cannot render into " + output + ": " + IoMessages.describe(e), e);
        }
        report(output, written, out);
        if (store != null) out.println("Certificates and keys come from " + store.dir() + " (made once, reused on every run).");
        return ExitCodes.OK;
    }

    /** Per host what was written, path and mode, then the count. */
    static void report(Path output, List<TreeWriter.Written> written, PrintWriter out) {
        out.println("Secrets are masked (" + Secrets.MASKED.bootstrapToken() + "); apply fills in the real values.");
        Map<String, List<TreeWriter.Written>> byHost = new LinkedHashMap<>();
        for (TreeWriter.Written w : written) byHost.computeIfAbsent(w.file().host(), h -> new ArrayList<>()).add(w);
        byHost.forEach((host, list) -> {
            out.println(host + ":");
            for (TreeWriter.Written w : list) {
                RenderedFile f = w.file();
                out.println("  " + String.format("%04o", w.mode()) + " " + w.path()
                        + (f.secret() ? " (secret)" : "")
                        + (f.os() != OsFamily.ANY ? " (" + f.os().name().toLowerCase(Locale.ROOT) + " hosts only)" : ""));
            }
        });
        out.println("Wrote " + written.size() + " file" + (written.size() == 1 ? "" : "s") + " for " + byHost.size()
                + " host" + (byHost.size() == 1 ? "" : "s") + " to " + output);
    }
}
