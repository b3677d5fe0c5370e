package io.kubewizard.tui;

import io.kubewizard.answers.Spec.ClusterSpec;
import io.kubewizard.run.Engine;
import io.kubewizard.run.Event;
import io.kubewizard.run.TransportFactory;

/**
 * The engine as the wizard sees it: start an install that reports on {@code events}, and steer it
 * when a step fails. The Run page is only a view over the events; every decision is the engine's.
 */
public interface Installer {
    /**
     * Starts the install in the background and returns at once; events may arrive on any thread.
     * Passwords, passphrases and unknown host keys are asked through {@code prompter} (the wizard's
     * dialogs), from the engine's threads.
     */
    RunControl start(ClusterSpec spec, Event.Listener events, TransportFactory.Prompter prompter);

    /** What Install would run, from the one preview builder every view uses; touches nothing. */
    default Engine.Preview preview(ClusterSpec spec) {
        return Engine.preview(spec, io.kubewizard.run.RunDirectory.of(java.nio.file.Path.of(
                io.kubewizard.run.RunDirectory.DEFAULT_BASE), spec), java.util.Set.of());
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
