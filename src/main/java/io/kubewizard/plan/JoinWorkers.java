package io.kubewizard.plan;

import io.kubewizard.answers.Spec.Host;
import io.kubewizard.answers.Spec.Role;
import io.kubewizard.render.RenderedFile;

import java.util.List;

/**
 * Workers join in parallel (the executor bounds how many at once) as soon as the bootstrap token is
 * there, beside the other control planes' joins: a worker needs an API server behind the endpoint, and
 * the first control plane's answers from init on (the load balancers' health checks leave out the
 * control planes not up yet; a joining control plane's etcd member starts as a learner, so the
 * quorum the first one serves is never at stake). docs/kubeadm.md, "HA".
 */
final class JoinWorkers implements PlanPhase {
    public String id() { return "workers/join"; }

    public String title() { return "Join the workers"; }

    static final StepId JOIN = new StepId("workers/join");

    public void addSteps(Draft d) {
        List<String> token = d.keys(JoinControlPlanes.BOOTSTRAP_TOKEN);
        for (Host h : d.spec.workers()) {
            if (h.is(Role.CONTROL_PLANE)) continue;
            if (!d.change.joins(h)) {
                d.discard(h, Route.KUBEADM);
                continue;
            }
            List<RenderedFile> config = d.take(h, Route.KUBEADM);
            d.add(JOIN, h, "Run kubeadm join as a worker")
                    .upload(config)
                    .after(token)
                    .check("test -f " + Paths.KUBELET_CONF)
                    .run("kubeadm join --config " + Paths.joinConfig(config))
                    .once();
        }
    }
}
