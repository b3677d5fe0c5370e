package io.kubewizard.run;

import io.kubewizard.plan.Plan;
import io.kubewizard.plan.Step;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A person's say in a run while it goes (the wizard's Retry, Skip and Abort). A run given one does
 * not give up on a failed step: the steps that need it wait, the others go on, and the run ends only
 * when every failure has been retried or skipped, or the run is aborted. Without one (apply in a
 * script) a failure blocks what depends on it at once, as before.
 *
 * <p>Every method returns at once and may be called from any thread: the decisions are queued for
 * the executor, which alone changes the run's state.
 */
public final class Steering {
    /** What the person decided about a failed step, or that the run must stop. */
    sealed interface Decision {}

    record Retry(String stepKey) implements Decision {}

    record Skip(String stepKey) implements Decision {}

    record Abort() implements Decision {}

    /** The step a decision is about; null for an abort. */
    static String stepKey(Decision d) {
        if (d instanceof Retry r) return r.stepKey();
        if (d instanceof Skip s) return s.stepKey();
        return null;
    }

    /** Failed steps whose decision is still open: added before their FAILED event is published. */
    private final Set<String> awaiting = ConcurrentHashMap.newKeySet();
    private volatile Set<String> skippable = Set.of();
    private volatile BlockingQueue<Object> signals;
    private volatile boolean aborted;

    /** Runs the failed step again, from its check (automatic retries included). */
    public void retry(String stepKey) {
        if (awaiting.contains(stepKey)) send(new Retry(stepKey));
    }

    /**
     * Whether a failed step may be skipped: only when no step of the plan depends on it, since
     * anything that does would run without what it needs.
     */
    public boolean canSkip(String stepKey) {
        return awaiting.contains(stepKey) && skippable.contains(stepKey);
    }

    /** Leaves a failed step undone and lets the run finish without it; ignored unless {@link #canSkip}. */
    public void skip(String stepKey) {
        if (canSkip(stepKey)) send(new Skip(stepKey));
    }

    /**
     * Stops the run: no step starts any more, running ones are interrupted (they stay RUNNING in the
     * journal, for a resume to judge), and the run ends with its RunFinished event.
     */
    public void abort() {
        aborted = true;
        send(new Abort());
    }

    boolean aborted() { return aborted; }

    private void send(Decision d) {
        BlockingQueue<Object> q = signals;
        if (q != null) q.add(d);
    }

    /** The executor starts listening; decisions made before (an abort) are read from {@link #aborted}. */
    void attach(Plan plan, BlockingQueue<Object> queue) {
        Set<String> needed = new HashSet<>();
        for (Step s : plan.steps()) needed.addAll(s.dependsOn());
        Set<String> leaves = new HashSet<>();
        for (Step s : plan.steps()) if (!needed.contains(s.key())) leaves.add(s.key());
        skippable = Set.copyOf(leaves);
        signals = queue;
    }

    void detach() {
        signals = null;
        awaiting.clear();
    }

    /** A step failed and now waits for a decision; called before its FAILED event goes out. */
    void await(String stepKey) { awaiting.add(stepKey); }

    /** Takes the step's open decision; false when it was already taken (a second click). */
    boolean decide(String stepKey) { return awaiting.remove(stepKey); }
}
