package io.kubewizard.plan;

import io.kubewizard.answers.Spec.Host;
import io.kubewizard.answers.Spec.Role;

import java.util.List;
import java.util.function.Function;

/**
 * Before anything changes on any host, each Node about to be drained is drained as a dry run
 * ({@link DrainBudgets}): a PodDisruptionBudget that would block the drain stops the run here, with
 * nothing cordoned, rather than half way through a removal or an upgrade.
 */
final class CheckDrains implements PlanPhase {
    private final String id;
    private final String title;
    private final Function<Draft, List<Host>> nodes;

    private CheckDrains(String id, String title, Function<Draft, List<Host>> nodes) {
        this.id = id;
        this.title = title;
        this.nodes = nodes;
    }

    /** The Nodes that leave the cluster (a dead one, given to --force-remove, is not drained). */
    static CheckDrains leaving() {
        return new CheckDrains("remove/check", "Check that the leaving nodes can be drained",
                d -> d.change.leaving().stream().filter(h -> !d.change.forced().contains(h.name())).toList());
    }

    /** Every Node of the answers: an upgrade drains them all. */
    static CheckDrains all() {
        return new CheckDrains("upgrade/check", "Check that every node can be drained", d -> d.spec.hosts());
    }

    public String id() { return id; }

    public String title() { return title; }

    public void addSteps(Draft d) {
        Host lead = d.lead();
        if (lead == null) return;
        for (Host h : nodes.apply(d)) {
            if (h.is(Role.ETCD) || !d.change.isNode(h.name())) continue;
            d.add(new StepId(id), h.name(), lead, "Drain " + h.name() + " as a dry run: no budget may block it")
                    .reads(new DrainBudgets(h.name()))
                    .judge(Judge.READ_PROBLEMS)
                    .barrier();
        }
    }
}
