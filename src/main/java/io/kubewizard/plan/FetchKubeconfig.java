package io.kubewizard.plan;

import io.kubewizard.answers.Spec.Host;

/** admin.conf comes back to the jump host's run directory (0600), never through a log or an event. */
final class FetchKubeconfig implements PlanPhase {
    public String id() { return "kubeconfig"; }

    public String title() { return "Fetch the admin kubeconfig"; }

    public void addSteps(Draft d) {
        Host first = d.lead();
        if (first == null) return;
        d.add("kubeconfig/fetch", first, "Fetch " + Paths.ADMIN_CONF).download(Paths.ADMIN_CONF);
    }
}
