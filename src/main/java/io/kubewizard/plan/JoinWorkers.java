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

    public void addSteps(Draft d) {
        List<String> controlPlanes = new ArrayList<>(d.keys("control-plane/bootstrap-token"));
        controlPlanes.addAll(d.keys("control-plane/join"));
        for (Host h : d.spec.workers()) {
            if (h.is(Role.CONTROL_PLANE)) continue;
            List<RenderedFile> config = d.take(h, Route.KUBEADM);
            d.add("workers/join", h, "Run kubeadm join as a worker")
                    .upload(config)
                    .after(controlPlanes)
                    .check("test -f " + Paths.KUBELET_CONF)
                    .run("kubeadm join --config " + Paths.joinConfig(config))
                    .once();
        }
    }
}
