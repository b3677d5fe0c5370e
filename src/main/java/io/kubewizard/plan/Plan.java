package io.kubewizard.plan;

import io.kubewizard.answers.Spec.ClusterSpec;
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
 * The ordered phases of a run and their steps per host (DESIGN.md "A run"). A value: no I/O, no
 * clock, so the same spec and files always give the same plan, and {@code kubewizard plan}, the
 * Review page and {@code apply} all show and run the same thing.
 */
public record Plan(String cluster, List<Phase> phases) {

    private static final List<PlanPhase> PHASES = List.of(new Connect(), new GatherFacts(), new RunPreflight(),
            new PrepareNodes(), new InstallRuntime(), new InstallPackages(), new StartLoadBalancer(),
            new StartExternalEtcd(), new InitControlPlane(), new JoinControlPlanes(), new JoinWorkers(),
            new InstallCni(), new VerifyCluster(), new FetchKubeconfig());

    /** Every phase id in run order, whether or not a given cluster has steps in it. */
    public static final List<String> PHASE_IDS = PHASES.stream().map(PlanPhase::id).toList();

    /** Takes the files no phase knows; they are uploaded first thing when preparing the host. */
    static final String UPLOAD_UNCLAIMED = "files/upload";

    public Plan {
        phases = List.copyOf(phases);
    }

    /**
     * The plan for a spec and the files render made for it. Every file is uploaded by exactly one
     * step; a file for a host the spec does not have is a programming error and throws.
     */
    public static Plan build(ClusterSpec spec, List<RenderedFile> files) {
        Draft draft = new Draft(spec, files);
        Map<String, String> titles = new LinkedHashMap<>();
        for (PlanPhase phase : PHASES) {
            titles.put(phase.id(), phase.title());
            draft.begin(phase.id());
            phase.addSteps(draft);
        }
        draft.uploadUnclaimed("prepare", UPLOAD_UNCLAIMED, "Upload files no other step writes");
        return new Plan(spec.cluster().name(), draft.phases(titles));
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
        Set<String> known = new LinkedHashSet<>(PHASE_IDS);
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
                    .map(s -> new Step(s.id(), s.title(), s.host(), s.phase(), s.check(), s.run(), s.uploads(),
                            s.downloads(), s.idempotent(), s.dependsOn().stream().filter(kept::contains).toList()))
                    .toList();
            if (!steps.isEmpty()) out.add(new Phase(p.id(), p.title(), steps));
        }
        return new Plan(cluster, out);
    }
}
