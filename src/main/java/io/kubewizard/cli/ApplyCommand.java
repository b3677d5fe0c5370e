package io.kubewizard.cli;

import io.kubewizard.answers.AnswersLoader;
import io.kubewizard.answers.Spec.ClusterSpec;
import io.kubewizard.console.Console;
import io.kubewizard.pki.PkiException;
import io.kubewizard.pki.ClusterPki;
import io.kubewizard.pki.PkiStore;
import io.kubewizard.plan.Plan;
import io.kubewizard.plan.Workflow;
import io.kubewizard.run.DryRun;
import io.kubewizard.run.Engine;
import io.kubewizard.run.Event;
import io.kubewizard.run.EventsFile;
import io.kubewizard.run.Masker;
import io.kubewizard.run.RunDirectory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

@Command(name = "apply", header = "Install the cluster, or change it to match the answers file", mixinStandardHelpOptions = true,
        description = "Install the cluster: connect to every host and run the plan, with live "
        + "progress. A failed or interrupted run continues with --resume. Exit 0 when every step succeeded, 1 when "
        + "one failed, 3 when refused for safety (a changed host key, another run holding the cluster).")
class ApplyCommand implements Callable<Integer> {
    @Mixin AnswersOption answers;
    @Mixin RunDirOption state;
    @Mixin ConnectionOptions connection;
    @Spec CommandSpec spec;

    @Option(names = "--resume", description = "Continue the run the journal records, without redoing what it finished.")
    boolean resume;

    @Option(names = "--force", description = "With --resume: resume even though the answers file changed since the run began.")
    boolean force;

    @Option(names = "--dry-run", description = "Print every file and command per host, connecting to nothing.")
    boolean dryRun;

    @Option(names = "--yes", description = "Do not ask for confirmation on a terminal. Without a terminal, hosts "
            + "leave the cluster only with --yes.")
    boolean yes;

    @Option(names = "--force-remove", paramLabel = "NAME", split = ",", description = "Remove this leaving host "
            + "without reaching it (it is dead): no drain, no kubeadm reset there; its etcd member and Node are removed "
            + "from the cluster's side.")
    List<String> forceRemove = new ArrayList<>();

    @Option(names = "--events", paramLabel = "FILE", description = "Also write every event to FILE as one JSON line each.")
    Path events;

    RunEnvironment env = RunEnvironment.system();

    /** What this command runs: null for apply's own choice (install, or scale an installed cluster). */
    Workflow workflow() { return null; }

    /** The command's name in messages: "apply", "upgrade". */
    String verb() { return "apply"; }

    /** Refuses options that do not fit together, before anything is read or connected to. */
    void checkOptions() throws CliException {}

    /** Refuses an answers file this command cannot serve (before anything is connected to). */
    void checkSpec(ClusterSpec cluster) throws CliException {}

    /** Whether the question must be answered: without a terminal only --yes lets the run start (exit 3 otherwise). */
    boolean confirmationRequired() { return false; }

    /** The backup a restore brings back; null for every other command. */
    io.kubewizard.plan.Plan.Restore restore() { return null; }

    /** The host verify runs the node conformance test on; null for every other command. */
    String nodeConformance() { return null; }

    /** What a terminal is asked before the run (--yes skips it); null to ask nothing. */
    String question(ClusterSpec cluster) {
        return "Apply cluster '" + cluster.cluster().name() + "' to " + hosts(cluster) + "?";
    }

    /** After a run that succeeded, before the exit code is given: what the command makes of the run directory. */
    void succeeded(Engine.Outcome outcome, ClusterSpec cluster, RunDirectory dir, PrintWriter out) throws IOException, CliException {}

    /**
     * After any run that got past the probe, before the hints and the exit code: what the command
     * reports of it (verify's results table). Nothing by default.
     */
    void ended(Engine.Outcome outcome, ClusterSpec cluster, RunDirectory dir) throws IOException {}

    /** Where the run's progress is shown: standard output, unless the command keeps it for a result of its own. */
    PrintWriter progress() { return spec.commandLine().getOut(); }

    @Override
    public Integer call() throws CliException, IOException, InterruptedException {
        checkOptions();
        AnswersLoader.Result result = answers.loadValid(spec);
        if (result == null) return ExitCodes.INVALID_INPUT;
        ClusterSpec cluster = result.spec();
        checkSpec(cluster);
        RunDirectory dir = state.of(cluster);
        if (dryRun) return dryRun(cluster, dir);
        String expiry = io.kubewizard.run.ExpiryRecord.warning(dir, env.clock().instant());
        if (expiry != null) spec.commandLine().getErr().println("warning: " + expiry);
        String answersSha256 = answers.resolve().sha256();
        try (Console console = env.consoles().open(connection.plain, progress())) {
            PrintWriter out = console.out();
            String question = question(cluster);
            if (question != null && !yes && console.interactive() && !console.prompter().confirm(question)) {
                throw new CliException(ExitCodes.REFUSED, verb() + " was not confirmed: nothing was changed");
            }
            if (confirmationRequired() && !yes && !console.interactive()) {
                throw new CliException(ExitCodes.REFUSED, verb() + " must be confirmed: answer the question on a terminal, or "
                        + "add --yes. Nothing was changed");
            }
            List<Event.Listener> more = new ArrayList<>();
            EventsFile eventsFile = events == null ? null : EventsFile.open(events, false);
            if (eventsFile != null) more.add(eventsFile);
            Engine.Confirmation removal = leaving -> {
                if (yes) return true;
                if (!console.interactive()) return false;
                return console.prompter().confirm("Remove " + String.join(", ", leaving) + " from cluster '"
                        + cluster.cluster().name() + "'? Each is drained, reset with kubeadm reset and deleted.");
            };
            Engine.Outcome outcome;
            try {
                outcome = connection.engine(spec, env, cluster, console, new Masker(), more)
                        .apply(cluster, answersSha256, dir, new Engine.Request(resume, force, Set.copyOf(forceRemove),
                                removal, workflow(), restore(), nodeConformance()), null);

            } catch (Engine.RefusedException e) {
                throw ConnectionOptions.refused(e);
            } catch (PkiException e) {
                throw new CliException(ExitCodes.INVALID_INPUT, e.userMessage(), e);
            } finally {
                if (eventsFile != null) eventsFile.close();
            }
            outcome.warnings().forEach(w -> spec.commandLine().getErr().println("warning: " + w));
            if (eventsFile != null && eventsFile.failure() != null) {
                spec.commandLine().getErr().println("warning: " + eventsFile.failure());
            }
            ended(outcome, cluster, dir);
            if (!outcome.result().ok() && !outcome.result().refused()) {
                // Stopped by the probe: nothing changed and no journal was kept, so there is nothing to resume.
                out.println(outcome.resumable()
                        ? "Fix the cause, then continue with: kubewizard " + verb() + " -f " + answers.file + " --resume"
                        : "Fix the cause, then run it again: kubewizard " + verb() + " -f " + answers.file);
            }
            if (outcome.result().ok()) succeeded(outcome, cluster, dir, out);
            out.flush();
            return ConnectionOptions.exitCode(outcome.result());
        }
    }

    private int dryRun(ClusterSpec cluster, RunDirectory dir) throws CliException, IOException {
        Engine.Preview preview = Engine.preview(workflow(), cluster, dir, Set.copyOf(forceRemove), null);
        Plan plan = preview.plan();
        PrintWriter out = spec.commandLine().getOut();
        out.println("Dry run of cluster '" + cluster.cluster().name() + "', Kubernetes " + cluster.version() + " on "
                + hosts(cluster) + ": nothing is connected to and nothing changes.");
        out.println("Each host's steps in the order they run. Secret files are listed, not shown: their real values "
                + "are filled in as they are written. A step whose check passes is skipped, unless a file it uploads "
                + "changed (sha256sum compares them first).");
        if (ClusterPki.needed(cluster)) {
            out.println("Certificates and keys come from " + PkiStore.ofRun(dir.path()).dir()
                    + " (made once, on the first apply, and reused on every run).");
        }
        out.println();
        PlanCommand.printChange(out, preview);
        out.print(DryRun.text(cluster, preview.whole()));
        out.println();
        out.println(preview.whole().steps().size() + " steps in " + preview.whole().phases().size() + " phases.");
        return plan.refusals().isEmpty() ? ExitCodes.OK : ExitCodes.REFUSED;
    }

    /** Up to this many hosts are named in a question; more are counted. */
    private static final int LISTED_HOSTS = 5;

    static String hosts(ClusterSpec cluster) {
        int n = cluster.hosts().size();
        String count = n + " host" + (n == 1 ? "" : "s");
        if (n > LISTED_HOSTS) return count;
        return count + " (" + cluster.hosts().stream().map(h -> h.name()).collect(Collectors.joining(", ")) + ")";
    }
}
