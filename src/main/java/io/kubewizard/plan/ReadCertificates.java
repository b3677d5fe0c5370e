package io.kubewizard.plan;

import io.kubewizard.answers.Spec.Host;
import io.kubewizard.answers.Spec.Role;

/** {@code certs --live}: every host's certificates read ({@link NodeCertificates}); nothing changes. */
final class ReadCertificates implements PlanPhase {
    static final StepId READ = new StepId("certs/read");

    public String id() { return "certs"; }

    public String title() { return "Read the certificates on every node"; }

    public void addSteps(Draft d) {
        for (Host h : d.spec.hosts()) {
            if (!h.is(Role.ETCD) && !d.change.isNode(h.name())) continue;
            d.add(READ, h, "Read the certificates, the kubeconfigs' and the kubelet's").reads(new NodeCertificates());
        }
    }
}
