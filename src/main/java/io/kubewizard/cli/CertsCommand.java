package io.kubewizard.cli;

import io.kubewizard.answers.AnswersLoader;
import io.kubewizard.answers.Spec.ClusterSpec;
import io.kubewizard.answers.Spec.Host;
import io.kubewizard.console.Console;
import io.kubewizard.pki.CertsReport;
import io.kubewizard.pki.LiveCerts;
import io.kubewizard.pki.PkiException;
import io.kubewizard.pki.PkiStore;
import io.kubewizard.plan.Workflow;
import io.kubewizard.run.Engine;
import io.kubewizard.run.Masker;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "certs", header = "List the cluster's certificates and their expiry", mixinStandardHelpOptions = true, subcommands = CertsRenewCommand.class, description = "List the certificates kubewizard generated for "
        + "the cluster: subject, SANs, issuer and expiry (days left), with a warning under " + CertsReport.WARN_DAYS + " days. "
        + "With --live, connect and list every certificate on every node instead (kubeadm's set and the CAs, the "
        + "kubeconfigs' client certificates, the kubelet's client and serving certificates, external etcd's): a warning "
        + "under " + LiveCerts.WARN_DAYS + " days, an error under " + LiveCerts.ERROR_DAYS + ". Changes nothing.")
final class CertsCommand implements Callable<Integer> {
    // Not the shared mixin: its -f is required, and picocli would then ask for it before 'certs renew' too.
    @Option(names = {"-f", "--file"}, paramLabel = "FILE|PRESET", description = "The answers file, or a preset: built in "
            + "(single-node, ha-stacked, ha-external-etcd), or of --presets DIR or the installation's presets/ directory. "
            + "Required.")
    String file;
    @picocli.CommandLine.Mixin PresetsOption presets;
    @Mixin RunDirOption state;
    @Mixin ConnectionOptions connection;
    @Spec CommandSpec spec;

    @Option(names = "--live", description = "Read the certificates on the nodes over SSH.")
    boolean live;

    @Mixin FormatOption output;

    RunEnvironment env = RunEnvironment.system();

    @Override
    public Integer call() throws CliException, IOException, InterruptedException {
        if (file == null) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "Missing required option: '--file=FILE|PRESET'");
        }
        AnswersOption answers = new AnswersOption();
        answers.file = file;
        answers.presets = presets;
        AnswersLoader.Result result = answers.loadValid(spec, output);
        if (result == null) return ExitCodes.INVALID_INPUT;
        ClusterSpec cluster = result.spec();
        if (live) return live(cluster);
        PkiStore store = PkiStore.ofRun(state.of(cluster).path());
        try {
            Instant now = env.clock().instant();
            spec.commandLine().getOut().print(output.json() ? io.kubewizard.plan.PlanJson.pretty(CertsReport.json(cluster, store, now))
                    : CertsReport.text(cluster, store, now));
        } catch (PkiException e) {
            throw new CliException(ExitCodes.INVALID_INPUT, e.userMessage(), e);
        }
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }

    private int live(ClusterSpec cluster) throws CliException, IOException, InterruptedException {
        try (Console console = env.consoles().open(true, spec.commandLine().getOut())) {
            Engine.Inspection read = connection.engine(spec, env, cluster, console, new Masker(), List.of())
                    .inspect(Workflow.CERTS, cluster, state.of(cluster));
            List<LiveCerts.Input> inputs = io.kubewizard.run.ExpiryRecord.inputs(read.learnt(),
                    cluster.hosts().stream().map(Host::name).toList());
            Instant now = env.clock().instant();
            List<LiveCerts.Row> rows = LiveCerts.rows(inputs, now);
            PrintWriter out = console.out();
            if (output.json()) {
                out.print(io.kubewizard.plan.PlanJson.pretty(LiveCerts.json(cluster.cluster().name(), rows, read.unreadable(), now)));
            } else {
                out.print(LiveCerts.text(cluster.cluster().name(), rows, read.unreadable(), now));
            }
            out.flush();
            return read.unreadable().isEmpty() ? ExitCodes.OK : ExitCodes.RUN_FAILED;
        }
    }
}
