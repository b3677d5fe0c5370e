package io.kubewizard.run;

import io.kubewizard.answers.Spec.ClusterSpec;
import io.kubewizard.answers.Spec.Host;
import io.kubewizard.pki.ClusterPki;
import io.kubewizard.pki.PkiException;
import io.kubewizard.pki.PkiMaterial;
import io.kubewizard.pki.PkiStore;
import io.kubewizard.plan.Plan;
import io.kubewizard.render.Render;
import io.kubewizard.render.RenderedFile;
import io.kubewizard.render.Secrets;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * apply, preflight and reset as the front ends start them (STYLE.md 6: the CLI and the TUI are
 * thin views of this one engine and its events). Each run sets up what it needs in the run
 * directory, runs a plan through the {@link Executor}, and reports through the listeners.
 */
public final class Engine {
    private final TransportFactory transports;
    private final Masker masker;
    private final List<Event.Listener> listeners;
    private final Clock clock;
    private final Executor.Sleeper sleeper;
    private final Executor.Options options;

    /** @param masker already holding any password typed so far; the run's secrets are added to it */
    public Engine(TransportFactory transports, Masker masker, List<Event.Listener> listeners, Clock clock,
                  Executor.Sleeper sleeper, Executor.Options options) {
        this.transports = transports;
        this.masker = masker;
        this.listeners = List.copyOf(listeners);
        this.clock = clock;
        this.sleeper = sleeper;
        this.options = options;
    }

    /** Why a run was refused before it touched anything. */
    public enum Refusal {
        /** another process holds the run directory's lock: refused for safety */
        LOCKED,
        /** --resume without a journal */
        NOTHING_TO_RESUME,
        /** --resume, but the answers file is not the one the journal began with */
        ANSWERS_CHANGED
    }

    public static final class RefusedException extends Exception {
        private final Refusal refusal;

        RefusedException(Refusal refusal, String message) {
            super(message);
            this.refusal = refusal;
        }

        public Refusal refusal() { return refusal; }
    }

    /** How a run ended, and anything worth saying that did not stop it. */
    public record Outcome(Executor.Result result, List<String> warnings) {}

    /** The cluster's generated PKI (made now if missing, reused otherwise); none when kubeadm makes it all. */
    public static PkiMaterial pki(ClusterSpec spec, RunDirectory dir) throws PkiException, IOException {
        if (!ClusterPki.needed(spec)) return PkiMaterial.NONE;
        return ClusterPki.ensure(spec, PkiStore.ofRun(dir.create().path()));
    }

    /** What apply runs: the plan of the files rendered with masked secrets, as every view shows it. */
    public static Plan plan(ClusterSpec spec, PkiMaterial pki) {
        return FactsCommands.complete(Plan.build(spec, renderer(spec, pki).apply(Secrets.MASKED)));
    }

    private static Function<Secrets, List<RenderedFile>> renderer(ClusterSpec spec, PkiMaterial pki) {
        return secrets -> pki.isEmpty() ? Render.render(spec, secrets) : Render.render(spec, secrets, pki);
    }

    /**
     * Installs the cluster: a new run, or with {@code resume} the continuation of the journal's,
     * without redoing what it finished.
     *
     * @param answersSha256 of the answers file as read now, recorded in (and compared with) the journal
     * @param force         resume even though the answers file changed since the journal began
     */
    public Outcome apply(ClusterSpec spec, String answersSha256, RunDirectory dir, boolean resume, boolean force)
            throws RefusedException, IOException, PkiException, InterruptedException {
        return apply(spec, answersSha256, dir, resume, force, null);
    }

    /**
     * As {@link #apply(ClusterSpec, String, RunDirectory, boolean, boolean)}, with a person deciding
     * about failed steps while it runs (the wizard); null for none.
     */
    public Outcome apply(ClusterSpec spec, String answersSha256, RunDirectory dir, boolean resume, boolean force,
                         Steering steering) throws RefusedException, IOException, PkiException, InterruptedException {
        dir.create();
        String cluster = spec.cluster().name();
        try (RunLock lock = lock(dir, cluster)) {
            Journal.History earlier = null;
            if (resume) {
                earlier = Journal.read(dir.path());
                if (earlier == null) {
                    throw new RefusedException(Refusal.NOTHING_TO_RESUME, "there is no run of cluster '" + cluster
                            + "' to resume (no " + dir.path().resolve(Journal.FILE) + "): run apply without --resume");
                }
                if (!earlier.answersSha256().equals(answersSha256) && !force) {
                    throw new RefusedException(Refusal.ANSWERS_CHANGED, "the answers file changed since this run began "
                            + "(the journal has SHA-256 " + earlier.answersSha256().substring(0, 12) + "…, the file now "
                            + answersSha256.substring(0, 12) + "…): resuming would finish one plan with the steps "
                            + "of another. "
                            + "Run apply without --resume to start over (steps whose check finds them done are skipped), "
                            + "or add --force to resume with the file as it is now");
                }
            }
            RunSecrets secrets = RunSecrets.ensure(dir.path(), new SecureRandom());
            secrets.maskIn(masker);
            PkiMaterial pki = pki(spec, dir);
            Plan plan = plan(spec, pki);
            Host first = spec.firstControlPlane();
            SecretFiles uploads = new SecretFiles(renderer(spec, pki), secrets, pki.caCertHash(),
                    first == null ? null : first.name());
            List<String> warnings = new ArrayList<>();
            EventsFile events = EventsFile.open(dir.path().resolve("events.ndjson"), resume);
            List<Event.Listener> all = new ArrayList<>(listeners);
            all.add(events);
            Executor.Result result;
            try (Recorder recorder = new Recorder(masker, Journal.open(dir.path(), cluster, answersSha256, resume,
                    clock.instant()), dir.path().resolve("logs"), all)) {
                result = new Executor(spec, transports, uploads, new FetchedFiles(dir.path(), cluster), recorder, clock,
                        sleeper, options).run(plan, earlier, steering);
            } finally {
                events.close();
            }
            if (events.failure() != null) warnings.add(events.failure());
            return new Outcome(result, warnings);
        }
    }

    /** Connects, gathers facts and checks every host; changes nothing on them, and keeps no journal. */
    public Executor.Result preflight(ClusterSpec spec, RunDirectory dir) throws IOException, InterruptedException {
        dir.create();
        Plan plan = FactsCommands.complete(Plan.build(spec, Render.render(spec, Secrets.MASKED)))
                .select(List.of("connect", "facts", "preflight"));
        try (Recorder recorder = new Recorder(masker, Journal.none(), dir.path().resolve("logs"), listeners)) {
            return new Executor(spec, transports, Executor.Uploads.AS_PLANNED, Executor.Downloads.NONE, recorder, clock,
                    sleeper, options).run(plan, null);
        }
    }

    /**
     * {@code kubeadm reset -f} and the removal of kubewizard's files on every host ({@link ResetPlan});
     * when every host is reset, the run's journal and kubeconfig go too, since they describe a
     * cluster that no longer exists. Secrets and the generated PKI stay for the next apply.
     */
    public Executor.Result reset(ClusterSpec spec, RunDirectory dir)
            throws RefusedException, IOException, InterruptedException {
        dir.create();
        try (RunLock lock = lock(dir, spec.cluster().name())) {
            Plan plan = ResetPlan.build(spec, Render.render(spec, Secrets.MASKED));
            Executor.Result result;
            try (Recorder recorder = new Recorder(masker, Journal.none(), dir.path().resolve("logs"), listeners)) {
                result = new Executor(spec, transports, Executor.Uploads.AS_PLANNED, Executor.Downloads.NONE, recorder,
                        clock, sleeper, options).run(plan, null);
            }
            if (result.ok()) {
                for (String stale : List.of(Journal.FILE, FetchedFiles.KUBECONFIG)) {
                    Files.deleteIfExists(dir.path().resolve(stale));
                }
            }
            return result;
        }
    }

    private static RunLock lock(RunDirectory dir, String cluster) throws IOException, RefusedException {
        try {
            return RunLock.acquire(dir.path(), cluster);
        } catch (RunLock.HeldException e) {
            throw new RefusedException(Refusal.LOCKED, e.getMessage());
        }
    }

    /** The SHA-256 (hex) of a file's bytes: what the journal records of the answers file. */
    public static String sha256(Path file) throws IOException {
        return Executor.sha256(Files.readAllBytes(file));
    }

    /** The SHA-256 (hex) of answers not read from a file (the wizard's, as it would save them). */
    public static String sha256(byte[] answers) {
        return Executor.sha256(answers);
    }
}
