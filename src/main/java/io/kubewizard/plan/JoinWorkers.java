package io.kubewizard.plan;

import io.kubewizard.answers.Spec.Host;
import io.kubewizard.answers.Spec.Role;
import io.kubewizard.render.RenderedFile;

import java.util.ArrayList;
import java.util.List;

/** Workers join in parallel (the executor bounds how many at once), after every control plane. */
final class JoinWorkers implements PlanPhase {
    public String id() { return "workers/join"; }

    public String title() { return "Join the workers"; }

    static final StepId JOIN = new StepId("workers/join");

    public void addSteps(Draft d) {
        List<String> controlPlanes = new ArrayList<>(d.keys(JoinControlPlanes.BOOTSTRAP_TOKEN));
        controlPlanes.addAll(d.keys(JoinControlPlanes.JOIN));
        for (Host h : d.spec.workers()) {
            if (h.is(Role.CONTROL_PLANE)) continue;
            if (!d.change.joins(h)) {
                d.discard(h, Route.KUBEADM);
                continue;
            }
            List<RenderedFile> config = d.take(h, Route.KUBEADM);
            d.add(JOIN, h, "Run kubeadm join as a worker")
                    .upload(config)
                    .after(controlPlanes)
                    .check("test -f " + Paths.KUBELET_CONF)
                    .run("kubeadm join --config " + Paths.joinConfig(config))
                    .once();
        }
    }
}
