package io.kubewizard.cli;

import io.kubewizard.answers.AnswersWriter;
import io.kubewizard.answers.Spec.ClusterSpec;
import io.kubewizard.answers.Spec.Host;
import io.kubewizard.pki.PkiException;
import io.kubewizard.plan.Observed;
import io.kubewizard.plan.Workflow;
import io.kubewizard.run.Engine;
import io.kubewizard.run.Event;
import io.kubewizard.run.Executor;
import io.kubewizard.run.HostCheck;
import io.kubewizard.run.Masker;
import io.kubewizard.run.RunDirectory;
import io.kubewizard.run.Steering;
import io.kubewizard.run.TransportFactory;
import io.kubewizard.tui.ConnectionTester;
import io.kubewizard.tui.Installer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * The wizard's way to the engine apply uses: Install runs {@link Engine#apply} in the cluster's run
 * directory ({@code <state>/<cluster>}, or the installed cluster's the wizard opened) over the same
 * transports ({@link Transports}), its events driving the Run and Finish pages, a person steering it
 * ({@link Steering}); the Hosts page reads an installed cluster with {@link Engine#observe} and
 * {@link Engine#change}; Test connection checks one host over them ({@link HostCheck}). The wizard's
 * dialogs answer the transport's questions.
 */
final class WizardEngine implements Installer, ConnectionTester {
    /** Each command of Test connection: reading a few files takes a second, a stuck host not a minute. */
    static final Duration TEST_COMMAND_TIMEOUT = Duration.ofSeconds(30);

    private final RunEnvironment env;
    private final Path stateBase;
    private final boolean acceptNewHostKeys;
    private final int concurrency;
    private final boolean verbose;

    /**
     * @param stateBase         where each cluster's run directory is made, as apply's {@code --state}
     * @param acceptNewHostKeys record unknown host keys without asking, as apply's flag
     */
    WizardEngine(RunEnvironment env, Path stateBase, boolean acceptNewHostKeys, int concurrency) {
        this(env, stateBase, acceptNewHostKeys, concurrency, false);
    }

    /** @param verbose the SSH library's debug log into each host's log, as apply's {@code --verbose} */
    WizardEngine(RunEnvironment env, Path stateBase, boolean acceptNewHostKeys, int concurrency, boolean verbose) {
        this.env = env;
        this.stateBase = stateBase;
        this.acceptNewHostKeys = acceptNewHostKeys;
        this.concurrency = concurrency;
        this.verbose = verbose;
    }

    /** The connections of one run, Test connection or probe: every one of them honours --verbose. */
    private TransportFactory open(ClusterSpec spec, TransportFactory.Prompter prompter) throws CliException {
        return env.transports().open(spec, acceptNewHostKeys, prompter, verbose);
    }

    /** The state directory the wizard lists installed clusters from and makes new run directories in. */
    Path stateBase() { return stateBase; }

    /** What Install would run in the cluster's run directory under the state directory. */
    Engine.Preview preview(ClusterSpec spec) {
        return preview(spec, RunDirectory.of(stateBase, spec));
    }

    @Override
    public RunControl start(ClusterSpec spec, RunDirectory dir, Event.Listener events,
                            TransportFactory.Prompter prompter) {
        return start(null, spec, dir, events, prompter);
    }

    /** Install, or the upgrade Welcome chose ({@code kubewizard upgrade}'s workflow): the same engine, the same events. */
    @Override
    public RunControl start(Workflow workflow, ClusterSpec spec, RunDirectory dir, Event.Listener events,
                            TransportFactory.Prompter prompter) {
        Steering steering = new Steering();
        Thread run = new Thread(() -> install(workflow, spec, dir, events, prompter, steering),
                workflow == Workflow.UPGRADE ? "kubewizard-upgrade" : "kubewizard-install");
        run.setDaemon(true);
        run.start();
        return new RunControl() {
            public void retry(String stepKey) { steering.retry(stepKey); }

            public boolean canSkip(String stepKey) { return steering.canSkip(stepKey); }

            public void skip(String stepKey) { steering.skip(stepKey); }

            public void abort() { steering.abort(); }
        };
    }

    /**
     * The run on its own thread. Whatever stops it before or outside the executor (the run directory
     * locked by another apply, PKI that cannot be made, a disk that cannot be written) still ends in a
     * RunFinished, its one line the reason, so the wizard always reaches Finish.
     */
    private void install(Workflow workflow, ClusterSpec spec, RunDirectory dir, Event.Listener events,
                         TransportFactory.Prompter prompter, Steering steering) {
        Masker masker = new Masker();
        TransportFactory transports = null;
        String failure;
        try {
            transports = open(spec, masker.watching(prompter));
            String answersSha256 = Engine.sha256(AnswersWriter.toYaml(spec).getBytes(StandardCharsets.UTF_8));
            // Review showed who leaves; pressing Install after it is the person's say-so for their removal.
            Engine.Request request = new Engine.Request(false, false, Set.of(), Engine.Confirmation.YES, workflow);
            engine(transports, masker, List.of(events)).apply(spec, answersSha256, dir, request, steering);
            return;
        } catch (Engine.RefusedException | CliException e) {
            failure = e.getMessage();
        } catch (PkiException e) {
            failure = e.userMessage();
        } catch (IOException e) {
            failure = "cannot keep the run's state in " + dir.path() + ": " + e.getMessage();
        } catch (InterruptedException e) {
            failure = "the run was interrupted";
        } catch (RuntimeException e) {
            failure = "internal error: " + e;
        } finally {
            if (transports instanceof AutoCloseable c) close(c);
        }
        events.on(new Event.RunFinished(env.clock().instant(), false, List.of(masker.mask(failure)), null));
    }

    private Engine engine(TransportFactory transports, Masker masker, List<Event.Listener> listeners) {
        return new Engine(transports, masker, listeners, env.clock(), env.sleeper(), Executor.Options.defaults(concurrency));
    }

    /**
     * The probe alone, over the transports Install uses, with no journal and no events: every host
     * of the answers and every one they drop since the last apply, each reached or not with the
     * reason; then the change the answers make to what it found.
     */
    @Override
    public Live observe(ClusterSpec spec, RunDirectory dir, TransportFactory.Prompter prompter)
            throws InterruptedException {
        Masker masker = new Masker();
        TransportFactory transports = null;
        try {
            transports = open(spec, masker.watching(prompter));
            Observed observed = engine(transports, masker, List.of()).observe(spec, dir);
            return Live.read(observed, Engine.change(spec, dir, observed));
        } catch (CliException e) {
            return Live.failed(masker.mask(e.getMessage()));
        } catch (IOException e) {
            return Live.failed(masker.mask("cannot read the run's state in " + dir.path() + ": " + e.getMessage()));
        } finally {
            if (transports instanceof AutoCloseable c) close(c);
        }
    }

    @Override
    public String certificates(ClusterSpec spec, RunDirectory dir, TransportFactory.Prompter prompter) throws InterruptedException {
        Masker masker = new Masker();
        TransportFactory transports = null;
        try {
            transports = open(spec, masker.watching(prompter));
            Engine.Inspection read = engine(transports, masker, List.of()).inspect(io.kubewizard.plan.Workflow.CERTS, spec, dir);
            java.time.Instant now = env.clock().instant();
            var rows = io.kubewizard.pki.LiveCerts.rows(io.kubewizard.run.ExpiryRecord.inputs(read.learnt(),
                    spec.hosts().stream().map(Host::name).toList()), now);
            return io.kubewizard.pki.LiveCerts.text(spec.cluster().name(), rows, read.unreadable(), now);
        } catch (CliException e) {
            return masker.mask(e.getMessage());
        } catch (IOException e) {
            return masker.mask("cannot read the run's state in " + dir.path() + ": " + e.getMessage());
        } finally {
            if (transports instanceof AutoCloseable c) close(c);
        }
    }

    /** The wizard's Add user: {@code user add}'s checks (UserAddCommand.UserOptions), then run/UserAdd around the engine's run. */
    @Override
    public String addUser(ClusterSpec spec, RunDirectory dir, UserForm form, TransportFactory.Prompter prompter)
            throws InterruptedException {
        Masker masker = new Masker();
        TransportFactory transports = null;
        try {
            int days;
            try {
                days = form.days().isBlank() ? 365 : Integer.parseInt(form.days().strip());
            } catch (NumberFormatException e) {
                throw new CliException(ExitCodes.INVALID_INPUT, "--days '" + form.days() + "' is not a number of days");
            }
            List<String> groups = java.util.Arrays.stream(form.groups().split(",")).map(String::strip)
                    .filter(g -> !g.isEmpty()).toList();
            String role = form.role().strip();
            String namespace = form.namespace().strip();
            io.kubewizard.plan.NewUser user = UserAddCommand.UserOptions.user(form.name().strip(), groups,
                    role.isEmpty() || !namespace.isEmpty() ? null : role, role.isEmpty() || namespace.isEmpty() ? null : role,
                    namespace.isEmpty() ? null : namespace, days, false);
            java.nio.file.Path output = java.nio.file.Path.of(form.output().strip());
            String problem = UserAddCommand.UserOptions.outputProblem(output);
            if (problem != null) throw new CliException(ExitCodes.INVALID_INPUT, "-o " + problem);
            io.kubewizard.run.UserAdd adding = io.kubewizard.run.UserAdd.prepare(spec, dir, user, env.clock());
            transports = open(spec, masker.watching(prompter));
            String answersSha256 = Engine.sha256(AnswersWriter.toYaml(spec).getBytes(StandardCharsets.UTF_8));
            Engine.Outcome outcome = engine(transports, masker, List.of()).apply(spec, answersSha256, dir,
                    new Engine.Request(false, false, Set.of(), Engine.Confirmation.YES, adding.workflow()), null);
            if (!outcome.result().ok()) {
                return masker.mask("user add failed, nothing was written: " + String.join("; ", outcome.result().failures()));
            }
            return UserAddCommand.UserOptions.wrote(output, adding.context(), adding.finish(outcome.plan(), output));
        } catch (Engine.RefusedException | CliException e) {
            return masker.mask(e.getMessage());
        } catch (PkiException e) {
            return masker.mask(e.userMessage());
        } catch (IOException e) {
            return masker.mask("cannot keep the run's state in " + dir.path() + ": " + e.getMessage());
        } finally {
            if (transports instanceof AutoCloseable c) close(c);
        }
    }

    @Override
    public HostCheck.Report test(ClusterSpec spec, Host host, TransportFactory.Prompter prompter)
            throws InterruptedException {
        TransportFactory transports;
        try {
            transports = open(spec, prompter);
        } catch (CliException e) {
            return new HostCheck.Report(host.name(), null, null, e.getMessage());
        }
        try {
            return HostCheck.run(transports, spec, host, TEST_COMMAND_TIMEOUT);
        } finally {
            if (transports instanceof AutoCloseable c) close(c);
        }
    }

    private static void close(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // connections that will not close cleanly are gone with the run either way
        }
    }
}
