package io.kubewizard.plan;

import io.kubewizard.answers.Spec.Host;
import io.kubewizard.answers.Spec.Role;

/**
 * Before anything changes on any host, each Node that leaves is drained as a dry run
 * ({@link DrainBudgets}): a PodDisruptionBudget that would block the drain stops the run here,
 * with nothing cordoned, rather than half way through.
 */
final class CheckRemovals implements PlanPhase {
    static final StepId DRAIN_CHECK = new StepId("remove/check");

    public String id() { return "remove/check"; }

    public String title() { return "Check that the leaving nodes can be drained"; }

    public void addSteps(Draft d) {
        Host lead = d.lead();
        if (lead == null) return;
        for (Host h : d.change.leaving()) {
            if (h.is(Role.ETCD) || d.change.forced().contains(h.name()) || !d.change.isNode(h.name())) continue;
            d.add(DRAIN_CHECK, h.name(), lead, "Drain " + h.name() + " as a dry run: no budget may block it")
                    .reads(new DrainBudgets(h.name()))
                    .judge(Judge.READ_PROBLEMS)
                    .barrier();
        }
    }
}
