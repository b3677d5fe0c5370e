package io.kubewizard.console;

import io.kubewizard.run.Event;
import io.kubewizard.run.Event.StepStatus;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** The state the live view draws, folded from the events. Not thread-safe: its owner locks. */
final class ProgressModel {
    enum PhaseState { PENDING, RUNNING, OK, FAILED }

    static final class PhaseView {
        final String id;
        String title;
        PhaseState state = PhaseState.PENDING;

        PhaseView(String id) {
            this.id = id;
            this.title = id;
        }
    }

    /** A host's latest step. */
    record HostView(String stepId, StepStatus status, String message, Instant since) {}

    String cluster = "";
    Instant start;
    Event.RunFinished finished;
    final Map<String, PhaseView> phases = new LinkedHashMap<>();
    final Map<String, HostView> hosts = new LinkedHashMap<>();

    void apply(Event event) {
        if (event instanceof Event.RunStarted e) {
            cluster = e.cluster();
            start = e.at();
            e.phases().forEach(p -> phases.put(p, new PhaseView(p)));
            e.hosts().forEach(h -> hosts.put(h, null));
        } else if (event instanceof Event.PhaseStarted e) {
            PhaseView p = phases.computeIfAbsent(e.phase(), PhaseView::new);
            p.title = e.title();
            p.state = PhaseState.RUNNING;
        } else if (event instanceof Event.PhaseFinished e) {
            phases.computeIfAbsent(e.phase(), PhaseView::new).state = e.ok() ? PhaseState.OK : PhaseState.FAILED;
        } else if (event instanceof Event.StepChanged e) {
            if (!hosts.containsKey(e.host())) return;
            HostView before = hosts.get(e.host());
            // A failure stays on its host's line: what follows there is only blocked.
            if (before != null && before.status() == StepStatus.FAILED && e.status() == StepStatus.BLOCKED) return;
            hosts.put(e.host(), new HostView(e.stepId(), e.status(), e.message(), e.at()));
        } else if (event instanceof Event.RunFinished e) {
            finished = e;
        }
    }
}
