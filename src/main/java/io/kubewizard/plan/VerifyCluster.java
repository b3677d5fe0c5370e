package io.kubewizard.plan;

import io.kubewizard.answers.Spec.Cni;
import io.kubewizard.answers.Spec.Host;
import io.kubewizard.answers.Spec.Role;
import io.kubewizard.answers.Spec.RuntimeType;

import java.util.ArrayList;
import java.util.List;

/**
 * Every node registered and Ready, every etcd member healthy: the run's definition of done; and the
 * control planes' and etcd hosts' certificates read, so the run can record the earliest expiry.
 */
final class VerifyCluster implements PlanPhase {
    public String id() { return "verify"; }

    public String title() { return "Verify the cluster"; }

    public void addSteps(Draft d) {
        Host first = d.lead();
        if (first == null) return;
        List<String> nodes = d.spec.hosts().stream().filter(h -> !h.is(Role.ETCD)).map(h -> "node/" + h.name()).toList();
        List<String> joins = new ArrayList<>(d.keys(JoinControlPlanes.JOIN));
        joins.addAll(d.keys(JoinWorkers.JOIN));
        List<String> removals = new ArrayList<>(d.family(RemoveNodes.DELETE));
        removals.addAll(d.family(RemoveNodes.ETCD_MEMBER));
        joins.addAll(removals);
        if (d.spec.network().cni() == Cni.NONE) {
            // Without a pod network nodes stay NotReady until the user installs one.
            d.add("verify/nodes", first, "Check that every node registered (no CNI: they stay NotReady)")
                    .after(joins).run(Paths.KUBECTL + " get " + String.join(" ", nodes));
        } else {
            d.add("verify/nodes", first, "Wait until every node is Ready")
                    .after(joins)
                    .run(Paths.KUBECTL + " wait --for=condition=Ready --timeout=600s " + String.join(" ", nodes));
        }
        List<Host> etcd = d.spec.etcdHosts();
        d.add("verify/etcd", etcd.isEmpty() ? first : etcd.get(0), "Check that every etcd member is healthy")
                .after(removals)
                .run(Etcdctl.health(d.spec.runtime().type()));
        // The certificates of the control planes and etcd hosts, for the run directory's record of the
        // earliest expiry (run/ExpiryRecord), which later runs warn about.
        for (Host h : d.spec.hosts()) {
            if (!h.is(Role.CONTROL_PLANE) && !h.is(Role.ETCD)) continue;
            d.add(CERTIFICATES, h, "Read the certificates: the run records the earliest expiry").reads(new NodeCertificates());
        }
    }

    static final StepId CERTIFICATES = new StepId("verify/certificates");
}
