package io.kubewizard.tui;

import io.kubewizard.answers.Spec.ClusterSpec;
import io.kubewizard.plan.Change;
import io.kubewizard.plan.Observed;
import io.kubewizard.plan.Workflow;
import io.kubewizard.run.Engine;
import io.kubewizard.run.Event;
import io.kubewizard.run.RunDirectory;
import io.kubewizard.run.TransportFactory;

/**
 * The engine as the wizard sees it: start an install that reports on {@code events}, and steer it
 * when a step fails; read an installed cluster as it is now. The Run page is only a view over the
 * events, the Hosts page's state column only a view over what the probe read; every decision is the
 * engine's. Each cluster's state is kept in its run directory ({@code <state>/<cluster>}, or the one
 * the user opened on the Welcome page), which the wizard names in every call.
 */
public interface Installer {
    /**
     * Starts the install in the background and returns at once; events may arrive on any thread.
     * Passwords, passphrases and unknown host keys are asked through {@code prompter} (the wizard's
     * dialogs), from the engine's threads. Hosts leaving the cluster were shown on Review: Install
     * itself is the person's confirmation of their removal.
     */
    RunControl start(ClusterSpec spec, RunDirectory dir, Event.Listener events, TransportFactory.Prompter prompter);

    /**
     * As {@link #start(ClusterSpec, RunDirectory, Event.Listener, TransportFactory.Prompter)}, running
     * {@code workflow} (null: apply's choice of install or scale; {@link Workflow#UPGRADE}: Welcome's
     * upgrade of an installed cluster), with the same events.
     */
    default RunControl start(Workflow workflow, ClusterSpec spec, RunDirectory dir, Event.Listener events,
                             TransportFactory.Prompter prompter) {
        if (workflow == null) return start(spec, dir, events, prompter);
        throw new UnsupportedOperationException("this installer runs no " + workflow + " workflow");
    }

    /** What Install would run, from the one preview builder every view uses; touches nothing. */
    default Engine.Preview preview(ClusterSpec spec, RunDirectory dir) {
        return Engine.preview(spec, dir, java.util.Set.of());
    }

    /** What Install would run for {@code workflow} (null: apply's choice), e.g. the upgrade's legs and steps. */
    default Engine.Preview preview(Workflow workflow, ClusterSpec spec, RunDirectory dir) {
        return workflow == null ? preview(spec, dir) : Engine.preview(workflow, spec, dir, java.util.Set.of(), null);
    }

    /**
     * The installed cluster as the read-only probe finds it now, and the change these answers would
     * make to it. Connects to every host, so it blocks: the wizard calls it off its GUI thread, and
     * interrupts it when the answer is no longer wanted. Questions come through {@code prompter}.
     */
    Live observe(ClusterSpec spec, RunDirectory dir, TransportFactory.Prompter prompter) throws InterruptedException;

    /**
     * Every certificate on the installed cluster's nodes, as {@code kubewizard certs --live} prints it
     * (subject, expiry, days left, a warning under 120 days, an error under 30). Connects, so it blocks:
     * called off the GUI thread. Nothing is changed.
     */
    default String certificates(ClusterSpec spec, RunDirectory dir, TransportFactory.Prompter prompter) throws InterruptedException {
        return "The certificates cannot be read from here.";
    }

    /**
     * Adds a user to the installed cluster as {@code kubewizard user add} does, the same checks and the same
     * engine: the dialog's fields as typed. Connects, so it blocks: called off the GUI thread.
     *
     * @return what happened, for a person: the file written, or why nothing was
     */
    default String addUser(ClusterSpec spec, RunDirectory dir, UserForm form, TransportFactory.Prompter prompter)
            throws InterruptedException {
        return "Users cannot be added from here.";
    }

    /**
     * The Add user dialog's fields as typed.
     *
     * @param groups    comma-separated
     * @param role      a ClusterRole, or with {@code namespace} a Role; empty for no binding
     * @param namespace empty for a ClusterRole
     */
    record UserForm(String name, String groups, String role, String namespace, String days, String output) {}

    /**
     * What {@link #observe} read.
     *
     * @param observed per host, reached or not (with the reason) and what it is; null when nothing could be read
     * @param change   joins, removals and unmanaged nodes for the answers as they were when it was read; null
     *                 when nothing could be read
     * @param failure  why nothing could be read (no transport, a run directory that cannot be made); null when read
     */
    record Live(Observed observed, Change change, String failure) {
        public static Live read(Observed observed, Change change) { return new Live(observed, change, null); }

        public static Live failed(String failure) { return new Live(null, null, failure); }
    }

    /** What the user may do while a run is going or after a step failed. Calls return quickly. */
    interface RunControl {
        /** Runs a failed step ({@code stepKey}, e.g. "control-plane/init@cp1") again. */
        void retry(String stepKey);

        /** Whether skipping this failed step is safe; only the engine knows which steps others need. */
        boolean canSkip(String stepKey);

        /** Marks a failed step as skipped and lets the steps after it run. */
        void skip(String stepKey);

        /** Stops the run; it ends with a RunFinished event. */
        void abort();
    }
}
