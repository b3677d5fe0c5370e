package io.kubewizard.plan;

import io.kubewizard.answers.Spec.ClusterSpec;
import io.kubewizard.answers.Spec.Host;
import io.kubewizard.answers.Suggest;
import io.kubewizard.render.RenderedFile;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The ordered phases of a run and their steps per host (docs/architecture.md). A value: no I/O, no
 * clock, so the same answers, files and observed cluster always give the same plan, and
 * {@code kubewizard plan}, the Review page, {@code apply --dry-run} and {@code apply} all show and
 * run the same thing.
 *
 * @param workflow the id of the {@link Workflow} it was planned for
 * @param change   who joins, who leaves, the versions, as the planner found them
 * @param refusals why this plan must not run (the run is then refused before anything changes); empty when it may
 */
public record Plan(String cluster, String workflow, List<Phase> phases, Change change, List<String> refusals) {

    /** Takes the files no phase knows; they are uploaded first thing when preparing the host. */
    static final String UPLOAD_UNCLAIMED = "files/upload";

    public Plan {
        phases = List.copyOf(phases);
        refusals = List.copyOf(refusals);
    }

    public Plan(String cluster, List<Phase> phases) {
        this(cluster, "", phases, null, List.of());
    }

    public Plan(String cluster, String workflow, List<Phase> phases, Change change) {
        this(cluster, workflow, phases, change, change == null ? List.of() : change.refusals());
    }

    /** What to plan beyond the answers and the files: the cluster as observed, and the user's say. */
    /**
     * @param legFiles per version an upgrade passes through ("1.36.1"), the files rendered for it (its
     *                 package repositories); only an upgrade reads them
     * @param nodeConformance the host verify runs the node conformance test on ({@code --node-conformance}); null for none
     */
    public record Inputs(Observed observed, List<Host> applied, Set<String> forceRemove,
                         Map<String, List<RenderedFile>> legFiles, Restore restore, String nodeConformance) {
        public static final Inputs NONE = new Inputs(Observed.NONE, List.of(), Set.of());

        public Inputs {
            applied = List.copyOf(applied);
            forceRemove = Set.copyOf(forceRemove);
            legFiles = Map.copyOf(legFiles);
        }

        public Inputs(Observed observed, List<Host> applied, Set<String> forceRemove) {
            this(observed, applied, forceRemove, Map.of(), null, null);
        }

        public Inputs withLegFiles(Map<String, List<RenderedFile>> files) {
            return new Inputs(observed, applied, forceRemove, files, restore, nodeConformance);
        }

        public Inputs withRestore(Restore from) {
            return new Inputs(observed, applied, forceRemove, legFiles, from, nodeConformance);
        }

        public Inputs withNodeConformance(String host) {
            return new Inputs(observed, applied, forceRemove, legFiles, restore, host);
        }
    }

    /**
     * The backup a restore brings back, as the jump host has it (checked against its manifest before
     * it is planned).
     *
     * @param id       the backup's name (its UTC time): marks the data directories it restored
     * @param snapshot the etcd snapshot's path on the jump host and its sha256
     * @param pki      per path under /etc/kubernetes/pki ("ca.key"), the backed-up file and its sha256
     */
    public record Restore(String id, Local snapshot, Map<String, Local> pki) {
        public Restore {
            pki = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(pki));
        }
    }

    /** A file on the jump host: where, and its sha256. */
    public record Local(String path, String sha256) {}

    /** The install workflow of a cluster nothing is known about. */
    public static Plan build(ClusterSpec spec, List<RenderedFile> files) {
        return build(Workflow.INSTALL, spec, files, Inputs.NONE);
    }

    /**
     * The plan of a workflow. Every file is uploaded by exactly one step; a file for a host the spec
     * does not have is a programming error and throws.
     */
    public static Plan build(Workflow workflow, ClusterSpec spec, List<RenderedFile> files, Inputs inputs) {
        Change change = Change.of(spec, inputs.observed(), inputs.applied(), inputs.forceRemove());
        Draft draft = new Draft(spec, files, change, inputs.legFiles(), inputs.restore());
        if (inputs.nodeConformance() != null) {
            Observed.HostState seen = inputs.observed().hosts().get(inputs.nodeConformance());
            draft.nodeConformance = new NodeConformance.Target(inputs.nodeConformance(),
                    seen == null || seen.facts() == null ? null : seen.facts().arch());
        }
        Map<String, String> titles = new LinkedHashMap<>();
        for (PlanPhase phase : workflow.phases(change)) {
            titles.put(phase.id(), phase.title());
            draft.begin(phase.id());
            phase.addSteps(draft);
        }
        if (draft.has("prepare")) draft.uploadUnclaimed("prepare", UPLOAD_UNCLAIMED, "Upload files no other step writes");
        return new Plan(spec.cluster().name(), workflow.id(), draft.phases(titles), change, workflow.refusals(change));
    }

    /** The versions an upgrade of the observed cluster to the answers' version passes through. */
    public static List<io.kubewizard.answers.KubernetesVersion> legs(ClusterSpec spec, Observed observed) {
        io.kubewizard.answers.KubernetesVersion current = Change.current(observed, spec);
        return current == null ? List.of() : current.legsTo(spec.version());
    }

    /** The control plane the cluster-wide steps run on; null without control planes. */
    public String lead() {
        return change == null || change.lead() == null ? null : change.lead().name();
    }

    /** The plan without any step on these hosts (a host --force-remove says not to contact). */
    public Plan without(Set<String> hosts) {
        return filter(s -> !hosts.contains(s.host()));
    }

    /**
     * This plan, then {@code next}: each host's steps of {@code next} wait for that host's last step
     * here, and a step on the jump host waits for every host's. How a preview shows the probe before
     * the workflow, and how preflight runs its checks after the probe.
     */
    public Plan then(Plan next) {
        Map<String, String> last = new LinkedHashMap<>();
        for (Step s : steps()) last.put(s.host(), s.key());
        Set<String> keys = new LinkedHashSet<>();
        next.steps().forEach(s -> keys.add(s.key()));
        List<Phase> out = new ArrayList<>(phases);
        for (Phase p : next.phases()) {
            List<Step> steps = new ArrayList<>();
            for (Step s : p.steps()) {
                boolean waitsOnItsHost = s.dependsOn().stream().anyMatch(k -> keys.contains(k)
                        && (s.host().equals(Step.ACROSS_HOSTS) || k.endsWith("@" + s.host())));
                List<String> deps = new ArrayList<>(s.dependsOn());
                if (!waitsOnItsHost) {
                    if (s.host().equals(Step.ACROSS_HOSTS)) deps.addAll(0, last.values());
                    else if (last.containsKey(s.host())) deps.add(0, last.get(s.host()));
                }
                steps.add(s.withDependsOn(deps));
            }
            out.add(new Phase(p.id(), p.title(), steps));
        }
        return new Plan(cluster, workflow + "+" + next.workflow(), out, next.change(), next.refusals());
    }

    /** Every step in run order. */
    public List<Step> steps() {
        return phases.stream().flatMap(p -> p.steps().stream()).toList();
    }

    /**
     * Only the steps that an id names: a phase id, a step id, or a step id's leading segments
     * ("control-plane" names init and join). Dependencies on steps left out are dropped: the caller
     * asked for them to be treated as done.
     *
     * @throws IllegalArgumentException naming the first unknown id, with the closest known one
     */
    public Plan select(Collection<String> ids) {
        validate(ids);
        return filter(s -> matches(s, ids));
    }

    /** Every step except those an id names (see {@link #select}). */
    public Plan skip(Collection<String> ids) {
        validate(ids);
        return filter(s -> !matches(s, ids));
    }

    /** Every id {@link #select} and {@link #skip} accept for this plan, in run order. */
    public Set<String> knownIds() {
        Set<String> known = new LinkedHashSet<>();
        List<String> planned = List.of(workflow.split("\\+"));
        for (Workflow w : Workflow.ALL) if (planned.contains(w.id()) || workflow.isEmpty()) known.addAll(w.phaseIds(change));
        phases.forEach(p -> known.add(p.id()));
        for (Step s : steps()) {
            String id = s.id();
            for (int slash = id.indexOf('/'); slash > 0; slash = id.indexOf('/', slash + 1)) {
                known.add(id.substring(0, slash));
            }
            known.add(id);
        }
        return known;
    }

    private void validate(Collection<String> ids) {
        Set<String> known = knownIds();
        for (String id : ids) {
            if (known.contains(id)) continue;
            String closest = Suggest.closest(id, known);
            throw new IllegalArgumentException("unknown step or phase id '" + id + "'"
                    + (closest != null ? " (did you mean '" + closest + "'?)" : "")
                    + "; known ids: " + String.join(", ", known));
        }
    }

    private static boolean matches(Step s, Collection<String> ids) {
        return ids.stream().anyMatch(id -> s.phase().equals(id) || s.id().equals(id) || s.id().startsWith(id + "/"));
    }

    private Plan filter(Predicate<Step> keep) {
        Set<String> kept = new LinkedHashSet<>();
        steps().stream().filter(keep).forEach(s -> kept.add(s.key()));
        List<Phase> out = new ArrayList<>();
        for (Phase p : phases) {
            List<Step> steps = p.steps().stream().filter(s -> kept.contains(s.key()))
                    .map(s -> s.withDependsOn(s.dependsOn().stream().filter(kept::contains).toList()))
                    .toList();
            if (!steps.isEmpty()) out.add(new Phase(p.id(), p.title(), steps));
        }
        return new Plan(cluster, workflow, out, change, refusals);
    }
}
