package io.kubewizard.cli;

import io.kubewizard.answers.AnswersLoader;
import io.kubewizard.pki.CertsReport;
import io.kubewizard.pki.PkiException;
import io.kubewizard.pki.PkiStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.time.Instant;
import java.util.concurrent.Callable;

@Command(name = "certs", description = "List the certificates kubewizard generated for the cluster: subject, SANs, "
        + "issuer and expiry (days left), with a warning under " + CertsReport.WARN_DAYS + " days. Changes nothing.")
final class CertsCommand implements Callable<Integer> {
    @Mixin AnswersOption answers;
    @Mixin RunDirOption state;
    @Spec CommandSpec spec;

    @Override
    public Integer call() throws CliException {
        AnswersLoader.Result result = answers.loadValid(spec);
        if (result == null) return ExitCodes.INVALID_INPUT;
        PkiStore store = PkiStore.ofRun(state.of(result.spec()).path());
        try {
            spec.commandLine().getOut().print(CertsReport.text(result.spec(), store, Instant.now()));
        } catch (PkiException e) {
            throw new CliException(ExitCodes.INVALID_INPUT, e.userMessage(), e);
        }
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }
}
