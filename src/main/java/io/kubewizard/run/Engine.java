package io.kubewizard.run;

import io.kubewizard.answers.KubernetesVersion;
import io.kubewizard.answers.Spec.ClusterSpec;
import io.kubewizard.answers.Spec.Host;
import io.kubewizard.pki.ClusterPki;
import io.kubewizard.pki.PkiException;
import io.kubewizard.pki.PkiMaterial;
import io.kubewizard.pki.PkiStore;
import io.kubewizard.plan.Facts;
import io.kubewizard.plan.Observed;
import io.kubewizard.plan.Plan;
import io.kubewizard.plan.Step;
import io.kubewizard.plan.Workflow;
import io.kubewizard.render.Render;
import io.kubewizard.render.RenderedFile;
import io.kubewizard.render.Secrets;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * apply, preflight and reset as the front ends start them (docs/architecture.md, "Packages and their boundaries": the CLI and the TUI are
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
        ANSWERS_CHANGED,
        /** the change would break the cluster (quorum, the last control plane, a role changed in place) */
        UNSAFE,
        /** hosts would leave and nobody confirmed it */
        NOT_CONFIRMED,
        /** a jump-host file the plan sends (a bundle's) is missing or not the one the plan was made with */
        FILES_CHANGED
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
    public record Outcome(Executor.Result result, List<String> warnings, Plan plan) {
        /**
         * Whether {@code --resume} continues this run: a run that failed after the probe has its
         * journal; one the probe stopped changed nothing and kept no journal, so it is simply run again.
         */
        public boolean resumable() {
            return !result.ok() && !plan.workflow().equals(Workflow.PROBE.id());
        }
    }

    /** The cluster's generated PKI (made now if missing, reused otherwise); none when kubeadm makes it all. */
    public static PkiMaterial pki(ClusterSpec spec, RunDirectory dir) throws PkiException, IOException {
        if (!ClusterPki.needed(spec)) return PkiMaterial.NONE;
        return ClusterPki.ensure(spec, PkiStore.ofRun(dir.create().path()));
    }

    /**
     * What apply runs, as every preview shows it: the workflow planned from the files rendered with
     * masked secrets (and this PKI), the answers last applied and the observed cluster.
     */
    public static Plan plan(ClusterSpec spec, PkiMaterial pki, Plan.Inputs inputs) {
        return plan(null, spec, pki, inputs);
    }

    /**
     * The plan of a workflow (null: apply's, install or scale as the cluster is) from the files
     * rendered with masked secrets and this PKI; an upgrade also gets the files of each version it
     * passes through.
     */
    public static Plan plan(Workflow workflow, ClusterSpec spec, PkiMaterial pki, Plan.Inputs inputs) {
        Workflow w = workflow != null ? workflow : inputs.observed().clusterExists() ? Workflow.SCALE : Workflow.INSTALL;
        Plan.Inputs in = inputs;
        if (w == Workflow.UPGRADE) {
            Map<String, List<RenderedFile>> legs = new LinkedHashMap<>();
            for (KubernetesVersion v : Plan.legs(spec, inputs.observed())) {
                ClusterSpec at = spec.withVersion(v.toString());
                legs.put(v.toString(), renderer(at, pki).apply(Secrets.MASKED));
            }
            in = inputs.withLegFiles(legs);
        }
        return Plan.build(w, spec, renderer(spec, pki).apply(Secrets.MASKED), in);
    }

    /** The install plan of a cluster nothing is known about. */
    public static Plan plan(ClusterSpec spec, PkiMaterial pki) {
        return plan(spec, pki, Plan.Inputs.NONE);
    }

    /** The probe and then the install plan, as one plan: what a preview of a new cluster lists. */
    public static Plan whole(ClusterSpec spec, PkiMaterial pki) {
        return probe(spec, Plan.Inputs.NONE).then(plan(spec, pki));
    }

    /** The read-only probe every run of a workflow starts with: connect, facts, what each host is. */
    public static Plan probe(ClusterSpec spec, Plan.Inputs inputs) {
        Plan probe = Plan.build(Workflow.PROBE, spec, List.of(), new Plan.Inputs(Observed.NONE, inputs.applied(),
                inputs.forceRemove()));
        return probe.without(inputs.forceRemove());
    }

    /**
     * What {@code plan}, the Review page and {@code apply --dry-run} show: the probe, and the plan
     * apply would run, from what the run directory knows (the answers last applied, and so the
     * cluster as that apply left it) and placeholders for a PKI not made yet. Reads the run
     * directory, never writes it, and connects to nothing: apply probes the real cluster first and
     * plans from that, so a cluster changed by hand since may plan differently there.
     */
    public record Preview(Plan probe, Plan plan, boolean observed, List<RenderedFile> files, boolean probed) {
        /** The probe, then the plan: every step apply runs, in one plan, as each preview lists it. */
        public Plan whole() { return probe.then(plan); }
    }

    public static Preview preview(ClusterSpec spec, RunDirectory dir, Set<String> forceRemove) {
        return preview(spec, dir, forceRemove, null);
    }

    /** As {@link #preview(ClusterSpec, RunDirectory, Set)}, from a cluster just observed (plan --probe); null: none. */
    public static Preview preview(ClusterSpec spec, RunDirectory dir, Set<String> forceRemove, Observed probed) {
        return preview(null, spec, dir, forceRemove, probed);
    }

    /** The preview of a workflow (null: apply's): {@code plan --workflow upgrade}, {@code upgrade --dry-run}. */
    public static Preview preview(Workflow workflow, ClusterSpec spec, RunDirectory dir, Set<String> forceRemove,
                                  Observed probed) {
        List<Host> applied = RunRecord.applied(dir);
        ClusterSpec appliedSpec = RunRecord.appliedSpec(dir);
        Observed observed = probed != null ? probed : applied.isEmpty() ? null
                : RunRecord.assumed(spec, applied, appliedSpec.cluster().kubernetesVersion());
        Plan.Inputs inputs = new Plan.Inputs(observed == null ? Observed.NONE : observed, applied, forceRemove);
        PkiMaterial pki = ClusterPki.needed(spec) ? ClusterPki.preview(spec) : PkiMaterial.NONE;
        return new Preview(probe(spec, inputs), plan(workflow, spec, pki, inputs), observed != null,
                renderer(spec, pki).apply(Secrets.MASKED), probed != null);
    }

    private static Function<Secrets, List<RenderedFile>> renderer(ClusterSpec spec, PkiMaterial pki) {
        return secrets -> pki.isEmpty() ? Render.render(spec, secrets) : Render.render(spec, secrets, pki);
    }

    /**
     * Asks a person before hosts leave the cluster (removal drains and resets them); the front end
     * decides how: a terminal prompt, {@code --yes}, the wizard's Install after its Review.
     */
    public interface Confirmation {
        /** @return whether the removal may go ahead */
        boolean removal(List<String> leaving) throws IOException;

        Confirmation YES = leaving -> true;
    }

    /** What an apply is asked to do beyond the answers. */
    /** @param workflow what to run: null for apply's choice (install or scale, as the probe finds the cluster) */
    public record Request(boolean resume, boolean force, Set<String> forceRemove, Confirmation confirmation,
                          Workflow workflow, Plan.Restore restore, String nodeConformance) {
        public Request {
            forceRemove = Set.copyOf(forceRemove);
        }

        public Request(boolean resume, boolean force, Set<String> forceRemove, Confirmation confirmation,
                       Workflow workflow, Plan.Restore restore) {
            this(resume, force, forceRemove, confirmation, workflow, restore, null);
        }

        public Request(boolean resume, boolean force, Set<String> forceRemove, Confirmation confirmation, Workflow workflow) {
            this(resume, force, forceRemove, confirmation, workflow, null);
        }

        public Request(boolean resume, boolean force, Set<String> forceRemove, Confirmation confirmation) {
            this(resume, force, forceRemove, confirmation, null, null);
        }

        public static Request of(boolean resume, boolean force) {
            return new Request(resume, force, Set.of(), Confirmation.YES);
        }
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
        return apply(spec, answersSha256, dir, Request.of(resume, force), null);
    }

    public Outcome apply(ClusterSpec spec, String answersSha256, RunDirectory dir, boolean resume, boolean force,
                         Steering steering) throws RefusedException, IOException, PkiException, InterruptedException {
        return apply(spec, answersSha256, dir, Request.of(resume, force), steering);
    }

    /**
     * Brings the cluster to the answers: probe (read-only), plan (install for a new cluster, scale
     * for one that exists), refuse what is unsafe before anything changes, ask before hosts leave,
     * then run. With a person deciding about failed steps while it runs (the wizard); null for none.
     */
    public Outcome apply(ClusterSpec spec, String answersSha256, RunDirectory dir, Request request, Steering steering)
            throws RefusedException, IOException, PkiException, InterruptedException {
        dir.create();
        String cluster = spec.cluster().name();
        Connections connections = new Connections(spec, transports, options.concurrency(), options.connectSpacing(), clock,
                sleeper);
        try (RunLock lock = lock(dir, cluster)) {
            Journal.History earlier = null;
            boolean resume = request.resume();
            if (resume) {
                earlier = Journal.read(dir.path());
                if (earlier == null) {
                    throw new RefusedException(Refusal.NOTHING_TO_RESUME, "there is no run of cluster '" + cluster
                            + "' to resume (no " + dir.path().resolve(Journal.FILE) + "): run apply without --resume");
                }
                if (!earlier.answersSha256().equals(answersSha256) && !request.force()) {
                    throw new RefusedException(Refusal.ANSWERS_CHANGED, "the answers file changed since this run began "
                            + "(the journal has SHA-256 " + earlier.answersSha256().substring(0, 12) + "…, the file now "
                            + answersSha256.substring(0, 12) + "…): resuming would finish one plan with the steps "
                            + "of another. "
                            + "Run apply without --resume to start over (steps whose check finds them done are skipped), "
                            + "or add --force to resume with the file as it is now");
                }
            }
            if (!resume && request.workflow() != null && (request.workflow() == Workflow.BACKUP
                    || request.workflow() == Workflow.VERIFY || request.workflow().id().equals(Workflow.USER_ADD.id()))) {
                // each keeps a journal of its own: it must not take the place of a run that can still be resumed
                unfinishedRunKept(dir, cluster, request.workflow());
            }
            List<Host> applied = RunRecord.applied(dir);
            Journal.Start start;
            Probed probed = null;
            if (earlier != null && earlier.start() != null) {
                // The plan the run began with, from the cluster as it was then: not from a cluster it half changed.
                start = earlier.start();
            } else if (earlier != null) {
                start = new Journal.Start(Workflow.INSTALL.id(), Observed.NONE, Set.of());
            } else {
                Plan.Inputs asked = new Plan.Inputs(Observed.NONE, applied, request.forceRemove());
                probed = observe(spec, dir, asked, connections);
                if (probed.failure() != null) return probed.failure();
                Workflow chosen = request.workflow() != null ? request.workflow()
                        : probed.observed().clusterExists() ? Workflow.SCALE : Workflow.INSTALL;
                start = new Journal.Start(chosen.id(), probed.observed(), request.forceRemove());
            }
            Plan.Inputs inputs = new Plan.Inputs(start.observed(), applied, start.forceRemove());
            if (request.restore() != null) inputs = inputs.withRestore(request.restore());
            if (request.nodeConformance() != null) inputs = inputs.withNodeConformance(request.nodeConformance());
            RunSecrets secrets = RunSecrets.ensure(dir.path(), new SecureRandom());
            secrets.maskIn(masker);
            PkiMaterial pki = pki(spec, dir);
            // A workflow that carries what it was asked (user add's user) is the request's own, not the template byId finds.
            Workflow workflow = request.workflow() != null && request.workflow().id().equals(start.workflow())
                    ? request.workflow() : Workflow.byId(start.workflow());
            if (request.workflow() != null && resume && workflow != request.workflow()) {
                throw new RefusedException(Refusal.NOTHING_TO_RESUME, "the journal's run of cluster '" + cluster + "' is "
                        + "an " + workflow.id() + ", not an " + request.workflow().id() + ": resume it with the command "
                        + "that began it");
            }
            Plan plan = plan(workflow, spec, pki, inputs);
            if (!plan.refusals().isEmpty()) {
                throw new RefusedException(Refusal.UNSAFE, "refused, and nothing was changed: "
                        + String.join("; ", plan.refusals()));
            }
            List<String> changedFiles = LocalFiles.changed(plan);
            if (!changedFiles.isEmpty()) {
                throw new RefusedException(Refusal.FILES_CHANGED, "refused, and nothing was changed: "
                        + (changedFiles.size() == 1 ? "a file" : changedFiles.size() + " files")
                        + " of the jump host's the plan sends changed since it was made (a bundle's manifest.yaml pins each): "
                        + String.join("; ", changedFiles));
            }
            if (workflow == Workflow.UPGRADE && plan.change().legs().isEmpty() && earlier == null) {
                return new Outcome(new Executor.Result(true, List.of(), 0, false, Map.of(), Map.of(), Set.of(), Map.of(),
                        null, Map.of()), List.of("cluster '" + cluster + "' already runs Kubernetes "
                        + plan.change().current() + ": nothing to upgrade, nothing was changed"), plan);
            }
            List<String> leaving = plan.change().leaving().stream().map(Host::name).toList();
            if (!leaving.isEmpty() && earlier == null && !request.confirmation().removal(leaving)) {
                throw new RefusedException(Refusal.NOT_CONFIRMED, "this apply removes " + String.join(", ", leaving)
                        + " from cluster '" + cluster + "' (drain, kubeadm reset, delete the Node) and that was not "
                        + "confirmed: answer the question on a terminal, or add --yes. Nothing was changed");
            }
            SecretFiles uploads = new SecretFiles(renderer(spec, pki), secrets, pki.caCertHash(), plan.lead());
            List<String> warnings = new ArrayList<>(notes(plan));
            EventsFile events = EventsFile.open(dir.path().resolve("events.ndjson"), resume);
            List<Event.Listener> all = new ArrayList<>(listeners);
            all.add(events);
            Executor.Result result;
            try (Recorder recorder = new Recorder(masker, Journal.open(dir.path(), cluster, answersSha256, resume,
                    clock.instant(), start), dir.path().resolve("logs"), all)) {
                Executor executor = new Executor(spec, connections, uploads, new FetchedFiles(dir.path(), cluster), recorder,
                        clock, sleeper, options).know(facts(start.observed()));
                // One run as every view sees it: the probe's phases, then the plan's.
                List<String> phases = new ArrayList<>();
                if (probed != null) probed.probe().phases().forEach(p -> phases.add(p.id()));
                plan.phases().forEach(p -> phases.add(p.id()));
                recorder.publish(new Event.RunStarted(probed != null ? probed.at() : clock.instant(), cluster, phases,
                        hostNames(spec, plan), earlier != null));
                if (probed != null) probed.events().forEach(recorder::publish);
                result = executor.part().run(plan, earlier, steering);
                // The record first: whoever hears that the run ended may read the run directory at once.
                if (result.ok() && workflow.recordsAnswers()) RunRecord.saveApplied(dir, spec);
                if (result.ok()) ExpiryRecord.save(dir, result.learnt(), clock.instant());
                recorder.publish(new Event.RunFinished(clock.instant(), result.ok(), result.failures(), result.kubeconfig()));
            } finally {
                events.close();
            }
            if (events.failure() != null) warnings.add(events.failure());
            return new Outcome(result, warnings, plan);
        } finally {
            connections.closeAll();
        }
    }

    /**
     * A backup, a verify or a user add is a run of its own in the run directory, and a new run's journal replaces
     * the last one's: refused while that one did not finish, so --resume can still continue it (an
     * unfinished backup, verify or user add is no such run: it is only run again).
     */
    private static void unfinishedRunKept(RunDirectory dir, String cluster, Workflow mine) throws IOException, RefusedException {
        Journal.History last = Journal.read(dir.path());
        if (last == null || last.last().values().stream().allMatch(s -> s == Event.StepStatus.DONE || s == Event.StepStatus.SKIPPED)) return;
        String workflow = last.start() == null ? Workflow.INSTALL.id() : last.start().workflow();
        if (workflow.equals(Workflow.BACKUP.id()) || workflow.equals(Workflow.VERIFY.id())
                || workflow.equals(Workflow.USER_ADD.id())) return;
        String command = switch (workflow) {
            case "upgrade" -> "upgrade";
            case "reset" -> "reset";
            default -> "apply";
        };
        // what would replace the journal, and what to do once the unfinished run is continued
        String what, then;
        if (mine == Workflow.BACKUP) { what = "a backup"; then = "back up"; }
        else if (mine == Workflow.VERIFY) { what = "a verify"; then = "verify"; }
        else { what = "adding a user"; then = "add the user"; }
        throw new RefusedException(Refusal.UNSAFE, "the journal of cluster '" + cluster + "' holds a " + workflow + " that did "
                + "not finish, and " + what + " would replace it: continue it first (kubewizard " + command + " --resume), then "
                + then + "; nothing was changed");
    }

    /** What the plan leaves alone or could not do, said once the run is over. */
    private static List<String> notes(Plan plan) {
        List<String> out = new ArrayList<>();
        for (String node : plan.change().unmanaged()) {
            out.add("node " + node + " is in the cluster but in no answers file kubewizard applied: it is unmanaged and "
                    + "left alone");
        }
        for (String host : plan.change().forced()) {
            out.add(host + " was removed without being reached (--force-remove): it was not drained and kubeadm reset "
                    + "did not run there, so its kubelet, containers, /etc/kubernetes and /var/lib/etcd remain; reset it "
                    + "before it is used again");
        }
        return out;
    }

    private static Map<String, Facts> facts(Observed observed) {
        Map<String, Facts> out = new LinkedHashMap<>();
        observed.hosts().forEach((h, s) -> {
            if (s.facts() != null) out.put(h, s.facts());
        });
        return out;
    }

    /**
     * The probe's outcome: the observed cluster, or the run that failed because a host of the file
     * could not be read; and its events, held until the run they begin is announced.
     */
    private record Probed(Observed observed, Outcome failure, Plan probe, java.time.Instant at, List<Event> events) {}

    private static List<String> hostNames(ClusterSpec spec, Plan plan) {
        List<String> out = new ArrayList<>(spec.hosts().stream().map(Host::name).toList());
        if (plan.change() != null) plan.change().leaving().forEach(h -> out.add(h.name()));
        return out;
    }

    /**
     * Runs the probe without a journal and without events (its steps are reads; the run that follows
     * reports itself). A host of the file that cannot be read stops everything before it starts; a
     * leaving host that cannot be reached is recorded so, and the planner decides.
     */
    private Probed observe(ClusterSpec spec, RunDirectory dir, Plan.Inputs inputs, Connections connections)
            throws IOException, InterruptedException {
        Plan probe = probe(spec, inputs);
        java.time.Instant at = clock.instant();
        List<Event> held = java.util.Collections.synchronizedList(new ArrayList<>());
        Executor.Result r = runProbe(spec, dir, probe, connections, held::add);
        Observed observed = observed(spec, probe, r, inputs.forceRemove());
        Set<String> inFile = new LinkedHashSet<>();
        spec.hosts().forEach(h -> inFile.add(h.name()));
        List<String> fatal = new ArrayList<>();
        for (String failure : r.failures()) {
            String host = failure.substring(failure.indexOf(" on ") + 4, failure.indexOf(": ", failure.indexOf(" on ")));
            if (inFile.contains(host)) fatal.add(failure);
        }
        if (fatal.isEmpty()) return new Probed(observed, null, probe, at, List.copyOf(held));
        // Nothing ran but reads: say so the way every run ends, so each front end shows it as it shows a run.
        EventsFile events = EventsFile.open(dir.path().resolve("events.ndjson"), false);
        List<Event.Listener> all = new ArrayList<>(listeners);
        all.add(events);
        try (Recorder recorder = new Recorder(masker, Journal.none(), dir.path().resolve("logs"), all)) {
            recorder.publish(new Event.RunStarted(at, spec.cluster().name(),
                    probe.phases().stream().map(io.kubewizard.plan.Phase::id).toList(), hostNames(spec, probe), false));
            held.forEach(recorder::publish);
            recorder.publish(new Event.RunFinished(clock.instant(), false, fatal, null));
        } finally {
            events.close();
        }
        Executor.Result failed = new Executor.Result(false, fatal, r.blocked(), r.refused(), r.states(), r.facts(),
                r.members(), r.messages(), null, r.learnt());
        return new Probed(observed, new Outcome(failed, List.of("nothing was changed on any host: every host of the "
                + "answers file must answer the probe before a run starts"), probe), probe, at, List.copyOf(held));
    }

    /** Runs a probe plan: reads only, no journal, its events to {@code events} alone (logs still kept). */
    private Executor.Result runProbe(ClusterSpec spec, RunDirectory dir, Plan probe, Connections connections,
                                     Event.Listener events) throws IOException, InterruptedException {
        try (Recorder recorder = new Recorder(masker, Journal.none(), dir.path().resolve("logs"), List.of(events))) {
            return new Executor(spec, connections, Executor.Uploads.AS_PLANNED, Executor.Downloads.NONE, recorder, clock,
                    sleeper, options).part().run(probe, null);
        }
    }

    /** The observed cluster from a probe's run: per host, reached or not, its facts and what it is. */
    static Observed observed(ClusterSpec spec, Plan probe, Executor.Result r, Set<String> forced) {
        Map<String, Observed.HostState> hosts = new LinkedHashMap<>();
        Set<String> probed = new LinkedHashSet<>();
        probe.steps().forEach(s -> probed.add(s.host()));
        for (String f : forced) hosts.put(f, Observed.HostState.unreachable("not contacted: --force-remove"));
        for (String host : probed) {
            String problem = null;
            for (Step s : probe.steps()) {
                if (!s.host().equals(host)) continue;
                Event.StepStatus st = r.states().get(s.key());
                if (st == Event.StepStatus.FAILED || st == Event.StepStatus.BLOCKED) {
                    problem = s.id() + ": " + r.messages().get(s.key());
                    break;
                }
            }
            Map<String, Object> learnt = r.learnt().getOrDefault(host, Map.of());
            if (problem != null) {
                hosts.put(host, new Observed.HostState(false, problem, r.facts().get(host), null));
            } else {
                hosts.put(host, new Observed.HostState(true, null, r.facts().get(host),
                        (Observed.NodeReport) learnt.get("node")));
            }
        }
        return new Observed(hosts);
    }

    /**
     * The cluster as it is now, for a view of an installed cluster (the wizard's Hosts page): the
     * probe alone, read-only, with no journal and no events. Hosts that cannot be read are in the
     * result as unreachable, with the reason.
     */
    public Observed observe(ClusterSpec spec, RunDirectory dir) throws IOException, InterruptedException {
        dir.create();
        Connections connections = new Connections(spec, transports, options.concurrency(), options.connectSpacing(), clock,
                sleeper);
        try {
            List<Host> applied = RunRecord.applied(dir);
            Plan.Inputs inputs = new Plan.Inputs(Observed.NONE, applied, Set.of());
            Plan probe = probe(spec, inputs);
            return observed(spec, probe, runProbe(spec, dir, probe, connections, e -> { }), Set.of());
        } finally {
            connections.closeAll();
        }
    }

    /** What a read-only workflow learnt: per host, each reading's value by its id; and the hosts that could not be read, why. */
    public record Inspection(Map<String, Map<String, Object>> learnt, Map<String, String> unreadable) {}

    /**
     * A workflow of reads only ({@link Workflow#CERTS}) after the probe, with no journal and no
     * events: nothing is changed and nothing is recorded but the logs.
     */
    public Inspection inspect(Workflow workflow, ClusterSpec spec, RunDirectory dir) throws IOException, InterruptedException {
        dir.create();
        Connections connections = new Connections(spec, transports, options.concurrency(), options.connectSpacing(), clock,
                sleeper);
        try {
            Plan.Inputs inputs = new Plan.Inputs(Observed.NONE, RunRecord.applied(dir), Set.of());
            Plan plan = probe(spec, inputs).then(Plan.build(workflow, spec, List.of(), inputs));
            Executor.Result r = runProbe(spec, dir, plan, connections, e -> { });
            Map<String, String> unreadable = new LinkedHashMap<>();
            for (String failure : r.failures()) {
                int on = failure.indexOf(" on ");
                int colon = on < 0 ? -1 : failure.indexOf(": ", on);
                if (colon > 0) unreadable.putIfAbsent(failure.substring(on + 4, colon), failure.substring(colon + 2));
            }
            return new Inspection(r.learnt(), unreadable);
        } finally {
            connections.closeAll();
        }
    }

    /** The change apply would make to an observed cluster: joins, removals, unmanaged nodes, refusals. */
    public static io.kubewizard.plan.Change change(ClusterSpec spec, RunDirectory dir, Observed observed) {
        return Plan.build(Workflow.PROBE, spec, List.of(), new Plan.Inputs(observed, RunRecord.applied(dir), Set.of()))
                .change();
    }

    /** Connects, gathers facts and checks every host; changes nothing on them, and keeps no journal. */
    public Executor.Result preflight(ClusterSpec spec, RunDirectory dir) throws IOException, InterruptedException {
        dir.create();
        Plan.Inputs inputs = new Plan.Inputs(Observed.NONE, RunRecord.applied(dir), Set.of());
        Plan plan = probe(spec, inputs).then(Plan.build(Workflow.INSTALL, spec, Render.render(spec, Secrets.MASKED), inputs)
                .select(List.of("preflight")));
        try (Recorder recorder = new Recorder(masker, Journal.none(), dir.path().resolve("logs"), listeners)) {
            return new Executor(spec, transports, Executor.Uploads.AS_PLANNED, Executor.Downloads.NONE, recorder, clock,
                    sleeper, options).run(plan, null);
        }
    }

    /** Nodes a preflight's probe found that no answers file names. */
    public static List<String> unmanaged(ClusterSpec spec, RunDirectory dir, Executor.Result preflight) {
        Plan.Inputs none = new Plan.Inputs(Observed.NONE, RunRecord.applied(dir), Set.of());
        Observed observed = observed(spec, probe(spec, none), preflight, Set.of());
        return Plan.build(Workflow.PROBE, spec, List.of(), new Plan.Inputs(observed, none.applied(), Set.of()))
                .change().unmanaged();
    }

    /**
     * {@code kubeadm reset -f} and the removal of kubewizard's files on every host (the reset
     * workflow); when every host is reset, the run's journal, kubeconfig and records move to
     * {@code history/}, since they describe a cluster that no longer exists, and stay there to read.
     * Secrets and the generated PKI stay for the next apply.
     */
    public Executor.Result reset(ClusterSpec spec, RunDirectory dir)
            throws RefusedException, IOException, InterruptedException {
        dir.create();
        try (RunLock lock = lock(dir, spec.cluster().name())) {
            Plan plan = Plan.build(Workflow.RESET, spec, Render.render(spec, Secrets.MASKED), Plan.Inputs.NONE);
            Executor.Result result;
            try (Recorder recorder = new Recorder(masker, Journal.none(), dir.path().resolve("logs"), listeners)) {
                result = new Executor(spec, transports, Executor.Uploads.AS_PLANNED, Executor.Downloads.NONE, recorder,
                        clock, sleeper, options).run(plan, null);
            }
            if (result.ok()) RunRecord.archive(dir, clock.instant());
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
