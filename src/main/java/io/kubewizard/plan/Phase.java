package io.kubewizard.plan;

import java.util.List;

/** One stage of a run, in the order its workflow (docs/architecture.md) gives; its steps are in execution order. */
public record Phase(String id, String title, List<Step> steps) {
    public Phase {
        steps = List.copyOf(steps);
    }
}
