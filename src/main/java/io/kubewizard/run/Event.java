package io.kubewizard.run;

import java.time.Instant;
import java.util.List;

/**
 * What the engine reports while it runs. The console, the TUI's Run page and --events NDJSON are
 * three views of this one stream (docs/architecture.md). Events carry no secrets: output lines pass through
 * the masker before they become events.
 */
public sealed interface Event {
    Instant at();

    enum StepStatus { RUNNING, DONE, SKIPPED, RETRYING, FAILED, BLOCKED }

    /** @param phases phase ids in order; hosts in file order */
    record RunStarted(Instant at, String cluster, List<String> phases, List<String> hosts, boolean resumed) implements Event {}

    record PhaseStarted(Instant at, String phase, String title) implements Event {}

    record PhaseFinished(Instant at, String phase, boolean ok) implements Event {}

    /** A step of one host changed state; {@code message} says why for RETRYING, FAILED and BLOCKED. */
    record StepChanged(Instant at, String stepKey, String stepId, String host, String title, StepStatus status,
                       String message) implements Event {}

    /** One line of a running step's output (masked). */
    record Output(Instant at, String host, String stepKey, String line, boolean stderr) implements Event {}

    /** @param failures one line per failed step: "control-plane/init on cp1: kubeadm exited 1: …" */
    record RunFinished(Instant at, boolean ok, List<String> failures, String kubeconfig) implements Event {}

    /** Subscribers must return quickly and never throw; the TUI hands events to its GUI thread. */
    interface Listener {
        void on(Event event);
    }
}
