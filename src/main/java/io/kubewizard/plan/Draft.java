package io.kubewizard.plan;

import io.kubewizard.answers.Spec.ClusterSpec;
import io.kubewizard.answers.Spec.Host;
import io.kubewizard.render.RenderedFile;
import io.kubewizard.render.RenderedFile.OsFamily;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The plan while its phases add steps: the spec, the rendered files not yet claimed by a step, and
 * the steps so far. Dependencies are settled at the end ({@link #phases}): every step follows the
 * previous step of its host, follows any across-hosts step before it, and adds what it declared.
 */
final class Draft {
    final ClusterSpec spec;
    /** What the probe found, what was applied before, and what changes: every phase reads it. */
    final Change change;
    private final Map<String, List<RenderedFile>> unclaimed = new LinkedHashMap<>();
    private final Map<String, List<RenderedFile>> all = new LinkedHashMap<>();
    private final Map<String, List<StepDraft>> byPhase = new LinkedHashMap<>();
    private String phase;

    private final Map<String, List<RenderedFile>> legFiles;
    /** The backup a restore brings back; null for every other workflow. */
    final Plan.Restore restore;
    /** The host verify runs the node conformance test on, and its architecture if the facts have it; null for none. */
    NodeConformance.Target nodeConformance;

    Draft(ClusterSpec spec, List<RenderedFile> files, Change change, Map<String, List<RenderedFile>> legFiles,
          Plan.Restore restore) {
        this.spec = spec;
        this.change = change;
        this.legFiles = legFiles;
        this.restore = restore;
        for (Host h : spec.hosts()) unclaimed.put(h.name(), new ArrayList<>());
        for (RenderedFile f : files) {
            List<RenderedFile> pool = unclaimed.get(f.host());
            if (pool == null) throw new IllegalArgumentException("rendered file " + f.path() + " is for '" + f.host()
                    + "', which is not a host of the answers file");
            pool.add(f);
            all.computeIfAbsent(f.host(), h -> new ArrayList<>()).add(f);
        }
    }

    void begin(String phaseId) {
        phase = phaseId;
        byPhase.put(phaseId, new ArrayList<>());
    }

    /** Claims the host's files of a route: the caller's step uploads them, nobody else's. */
    List<RenderedFile> take(Host host, Route route) {
        List<RenderedFile> taken = peek(host, route);
        unclaimed.get(host.name()).removeIf(on(route));
        return taken;
    }

    /**
     * Claims the host's files of a route that no step writes: a member's kubeadm configs were for its
     * one init or join, and written again they would only put a fresh token on its disk.
     */
    void discard(Host host, Route route) {
        take(host, route);
    }

    /** The host's unclaimed files of a route, left for a later phase to take. */
    List<RenderedFile> peek(Host host, Route route) {
        return unclaimed.get(host.name()).stream().filter(on(route)).toList();
    }

    /** A file of this route. */
    private static Predicate<RenderedFile> on(Route route) {
        return f -> Route.of(f.path()) == route;
    }

    /** A host's files of a route as rendered for a version an upgrade passes through (the target's own otherwise). */
    List<RenderedFile> legFiles(io.kubewizard.answers.KubernetesVersion version, Host host, Route route) {
        List<RenderedFile> files = legFiles.get(version.toString());
        if (files == null) return version.equals(spec.version()) ? peekAll(host).stream()
                .filter(on(route)).toList() : List.of();
        return files.stream().filter(f -> f.host().equals(host.name())).filter(on(route)).toList();
    }

    /** Every file rendered for the host, claimed or not (reset removes them all). */
    List<RenderedFile> peekAll(Host host) {
        return all.getOrDefault(host.name(), List.of());
    }

    /** The files of a route that steps added so far upload to the host. */
    List<RenderedFile> uploaded(Host host, Route route) {
        return byPhase.values().stream().flatMap(List::stream).filter(s -> s.host.equals(host.name()))
                .flatMap(s -> s.uploads.stream()).filter(on(route)).toList();
    }

    /** Every host the probe reads: the file's, and those leaving the cluster. */
    List<Host> probed() {
        List<Host> out = new ArrayList<>(spec.hosts());
        out.addAll(change.leaving());
        return out;
    }

    /** The host cluster-wide steps run on: the first control plane of the file that is (or becomes) a member. */
    Host lead() { return change.lead(); }

    StepDraft add(StepId id, Host host, String title) {
        return add(id.value(), host.name(), title);
    }

    StepDraft add(StepId id, String host, String title) {
        return add(id.value(), host, title);
    }

    /** A step of a family of ids, one per node it is about: {@code remove/drain/worker3}. */
    StepDraft add(StepId id, String about, Host host, String title) {
        return add(id.value() + "/" + about, host.name(), title);
    }

    StepDraft add(String id, Host host, String title) {
        return add(id, host.name(), title);
    }

    StepDraft add(String id, String host, String title) {
        StepDraft s = new StepDraft(id, title, host, phase);
        byPhase.get(phase).add(s);
        return s;
    }

    /** The keys of every step with this id added so far, in order. */
    List<String> keys(StepId id) {
        return byPhase.values().stream().flatMap(List::stream).filter(s -> s.id.equals(id.value())).map(StepDraft::key).toList();
    }

    /** The keys of every step of a family ({@code remove/delete/worker3} of {@code remove/delete}) so far. */
    List<String> family(StepId id) {
        return byPhase.values().stream().flatMap(List::stream).filter(s -> s.id.startsWith(id.value() + "/"))
                .map(StepDraft::key).toList();
    }

    /** Whether this run has a phase of that id (the leftover files go only where nodes are prepared). */
    boolean has(String phaseId) { return byPhase.containsKey(phaseId); }

    /** Files no phase claimed, uploaded first thing in {@code phaseId} so nothing is silently dropped. */
    void uploadUnclaimed(String phaseId, String stepId, String title) {
        List<StepDraft> leftovers = new ArrayList<>();
        for (Map.Entry<String, List<RenderedFile>> e : unclaimed.entrySet()) {
            if (e.getValue().isEmpty()) continue;
            StepDraft s = new StepDraft(stepId, title, e.getKey(), phaseId).upload(e.getValue());
            leftovers.add(s);
        }
        byPhase.get(phaseId).addAll(0, leftovers);
        unclaimed.values().forEach(List::clear);
    }

    /** The finished phases, with dependencies settled; phases without steps are left out. */
    List<Phase> phases(Map<String, String> titles) {
        Map<String, String> lastOnHost = new LinkedHashMap<>();
        for (Host h : spec.hosts()) lastOnHost.put(h.name(), null);
        for (Host h : change.leaving()) lastOnHost.put(h.name(), null);
        // steps that run on a host beside its sequence since its last ordered step: the next ordered one waits for them
        Map<String, List<String>> alongside = new LinkedHashMap<>();
        List<Phase> out = new ArrayList<>();
        Map<String, Step> built = new LinkedHashMap<>();
        for (Map.Entry<String, List<StepDraft>> e : byPhase.entrySet()) {
            List<Step> steps = new ArrayList<>();
            for (StepDraft s : e.getValue()) {
                Set<String> deps = new LinkedHashSet<>();
                // a clean-up's own steps first: the first is the one it cleans up after (Step#always)
                if (s.always) deps.addAll(s.after);
                if (s.host.equals(Step.ACROSS_HOSTS) || s.barrier) {
                    lastOnHost.values().stream().filter(k -> k != null).forEach(deps::add);
                    alongside.values().forEach(deps::addAll);
                } else {
                    if (lastOnHost.get(s.host) != null) deps.add(lastOnHost.get(s.host));
                    if (!s.alongside) deps.addAll(alongside.getOrDefault(s.host, List.of()));
                }
                deps.addAll(s.after);
                // A step after one that always runs also waits on what that one followed: otherwise a
                // failure before the clean-up would no longer stop the steps after it.
                for (String dep : List.copyOf(deps)) {
                    Step before = built.get(dep);
                    if (before != null && before.always()) deps.addAll(before.dependsOn());
                }
                deps.remove(s.key());
                Step step = s.build(List.copyOf(deps));
                built.put(step.key(), step);
                steps.add(step);
                if (s.host.equals(Step.ACROSS_HOSTS) || s.barrier) {
                    lastOnHost.replaceAll((host, key) -> s.key());
                    alongside.clear();
                } else if (s.alongside) {
                    alongside.computeIfAbsent(s.host, h -> new ArrayList<>()).add(s.key());
                } else {
                    lastOnHost.put(s.host, s.key());
                    alongside.remove(s.host);
                }
            }
            if (!steps.isEmpty()) out.add(new Phase(e.getKey(), titles.get(e.getKey()), steps));
        }
        return out;
    }

    /** A step being built; fluent so each phase reads as a list of what it does. */
    static final class StepDraft {
        final String id;
        final String title;
        final String host;
        final String phase;
        private String check;
        private final Map<OsFamily, List<String>> run = new EnumMap<>(OsFamily.class);
        private final List<RenderedFile> uploads = new ArrayList<>();
        private final List<String> downloads = new ArrayList<>();
        private boolean idempotent = true;
        private final Set<String> after = new LinkedHashSet<>();
        private Reading<?> reads;
        private Judge judge;
        private boolean barrier;
        private boolean always;
        private boolean alongside;

        private StepDraft(String id, String title, String host, String phase) {
            this.id = id;
            this.title = title;
            this.host = host;
            this.phase = phase;
        }

        String key() { return id + "@" + host; }

        StepDraft check(String command) {
            check = command;
            return this;
        }

        /** Commands every package family runs. */
        StepDraft run(String... commands) {
            return run(Arrays.asList(commands));
        }

        StepDraft run(List<String> commands) {
            return commands(OsFamily.ANY, commands);
        }

        StepDraft deb(List<String> commands) {
            return commands(OsFamily.DEB, commands);
        }

        StepDraft rpm(List<String> commands) {
            return commands(OsFamily.RPM, commands);
        }

        private StepDraft commands(OsFamily family, List<String> commands) {
            run.computeIfAbsent(family, f -> new ArrayList<>()).addAll(commands);
            return this;
        }

        StepDraft upload(List<RenderedFile> files) {
            uploads.addAll(files);
            return this;
        }

        StepDraft download(String path) {
            downloads.add(path);
            return this;
        }

        /** Runs exactly the reading's commands and keeps what their output says. */
        StepDraft reads(Reading<?> reading) {
            reads = reading;
            return commands(OsFamily.ANY, reading.commands());
        }

        StepDraft judge(Judge j) {
            judge = j;
            return this;
        }

        /**
         * Every host's later steps wait for this one, and it waits for every host's earlier steps: a
         * check that must pass before anything changes anywhere.
         */
        StepDraft barrier() {
            barrier = true;
            return this;
        }

        /**
         * Runs on its host beside the host's own sequence: it follows only the host's last ordered
         * step and what it declares, and the host's next ordered step waits for it. For the lead's
         * kubectl steps about other nodes (an upgrade batch's drains), which must not queue behind
         * one another in the plan.
         */
        StepDraft alongside() {
            alongside = true;
            return this;
        }

        /** Runs once what it follows has ended, however it ended (see {@link Step#always}). */
        StepDraft always() {
            always = true;
            return this;
        }

        /** Runs once: a failure is for a person to look at, and a retry would make it worse. */
        StepDraft once() {
            idempotent = false;
            return this;
        }

        StepDraft after(Collection<String> keys) {
            after.addAll(keys);
            return this;
        }

        StepDraft after(String key) {
            after.add(key);
            return this;
        }

        private Step build(List<String> dependsOn) {
            return new Step(id, title, host, phase, check, run, uploads, downloads, idempotent, dependsOn, reads, judge, always);
        }
    }
}
