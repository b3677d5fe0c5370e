package io.kubewizard.plan;

import io.kubewizard.render.RenderedFile;
import io.kubewizard.render.RenderedFile.OsFamily;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * One unit of work on one host. The executor's contract:
 * <ul>
 *   <li>{@code check} first: exit 0 means "already done", and the step is skipped without writing
 *       anything. An idempotent step still runs when one of its uploads would change a file, so a
 *       new config reaches a running service; a non-idempotent one ({@code kubeadm init}/{@code join})
 *       runs only on its check, and is never retried;</li>
 *   <li>{@code uploads} of the host's package family are written before {@code run} (each with its
 *       mode; secret files are the only place secrets travel);</li>
 *   <li>{@code run} then executes, command by command, each one a POSIX {@code sh -c} line;</li>
 *   <li>{@code downloads} are fetched back into the run directory last;</li>
 *   <li>{@code reads}: the standard output of the commands is handed to the {@link Reading}, and what
 *       it learns is kept for the run (the host's facts, what the host is in the cluster);</li>
 *   <li>{@code judge}: after the commands, the jump host judges what was learnt ({@link Judge}); a
 *       verdict of failure fails the step.</li>
 * </ul>
 * Nothing else about a step is known to the executor: it never looks at a step's id to decide
 * what to do with it.
 * {@code id} is stable and hierarchical ({@code control-plane/init}): it drives resume and
 * {@code --skip}/{@code --only}; {@code title} is only for people. The same id appears once per
 * host; {@link #key()} names one step of one host.
 *
 * @param host      a host name from the answers file, or {@link #ACROSS_HOSTS} for a check the jump
 *                  host makes over every host's gathered facts
 * @param check     a command whose exit 0 means the step is already done; null when the step always runs
 * @param run       the commands by package family: either only {@link OsFamily#ANY}, or DEB and RPM
 * @param dependsOn {@link #key()}s of steps that must have succeeded first
 * @param reads     what the commands' output is parsed into; null for none
 * @param judge     what the jump host checks once the commands ran; null for nothing
 * @param always    runs once every step it depends on has ended, whether they succeeded or not: the
 *                  step that puts back what earlier ones changed (a node cordoned for an upgrade is
 *                  uncordoned even when its upgrade failed). The first of {@code dependsOn} is the step
 *                  it cleans up after: when that one could not run (blocked, or not started before an
 *                  abort), there is nothing to put back and the clean-up does not run either. A resume
 *                  takes it as finished only when every step it follows is finished too, so a step
 *                  that runs again is cleaned up after again.
 */
public record Step(String id, String title, String host, String phase, String check,
                   Map<OsFamily, List<String>> run, List<RenderedFile> uploads, List<String> downloads,
                   boolean idempotent, List<String> dependsOn, Reading<?> reads, Judge judge, boolean always) {

    /** Not a valid node name, so it cannot collide with a host. */
    public static final String ACROSS_HOSTS = "*";

    public Step {
        Map<OsFamily, List<String>> copy = new EnumMap<>(OsFamily.class);
        run.forEach((family, commands) -> copy.put(family, List.copyOf(commands)));
        if (copy.containsKey(OsFamily.ANY) && copy.size() > 1) {
            throw new IllegalArgumentException(id + ": commands are either for any family or per family, not both");
        }
        run = java.util.Collections.unmodifiableMap(copy);
        uploads = List.copyOf(uploads);
        downloads = List.copyOf(downloads);
        dependsOn = List.copyOf(dependsOn);
        if (reads != null && !run.equals(Map.of(OsFamily.ANY, reads.commands()))) {
            throw new IllegalArgumentException(id + ": a step that reads " + reads.id() + " runs exactly its commands");
        }
    }

    public Step(String id, String title, String host, String phase, String check, Map<OsFamily, List<String>> run,
                List<RenderedFile> uploads, List<String> downloads, boolean idempotent, List<String> dependsOn) {
        this(id, title, host, phase, check, run, uploads, downloads, idempotent, dependsOn, null, null, false);
    }

    /** The same step depending on other steps (a plan narrowed by {@code --only} drops the rest). */
    public Step withDependsOn(List<String> keys) {
        return new Step(id, title, host, phase, check, run, uploads, downloads, idempotent, keys, reads, judge, always);
    }

    /** "control-plane/join@cp2": unique within a plan. */
    public String key() { return id + "@" + host; }

    /** The commands a host of this family runs. */
    public List<String> run(OsFamily family) {
        List<String> any = run.get(OsFamily.ANY);
        if (any != null) return any;
        return run.getOrDefault(family, List.of());
    }

    /** Whether DEB and RPM hosts run different commands. */
    public boolean runVariesByFamily() { return !run.containsKey(OsFamily.ANY) && !run.isEmpty(); }

    /** The files a host of this family receives. */
    public List<RenderedFile> uploads(OsFamily family) {
        return uploads(family, null);
    }

    /**
     * The files a host of this family and machine ({@link RenderedFile#ARCHES} name) receives; a null
     * machine takes only the files for every machine.
     */
    public List<RenderedFile> uploads(OsFamily family, String arch) {
        return uploads.stream().filter(f -> f.os() == OsFamily.ANY || f.os() == family)
                .filter(f -> f.arch().isEmpty() || f.arch().equals(arch)).toList();
    }

    /** Whether some upload is for one machine only, so the host's machine must be known first. */
    public boolean uploadsVaryByArch() { return uploads.stream().anyMatch(f -> !f.arch().isEmpty()); }

    /** Every command line the step may execute on any family, check included. */
    public List<String> commands() {
        List<String> all = new ArrayList<>();
        if (check != null) all.add(check);
        run.values().forEach(all::addAll);
        return all;
    }
}
