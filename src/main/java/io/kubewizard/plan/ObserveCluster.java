package io.kubewizard.plan;

import io.kubewizard.answers.Spec.Host;
import io.kubewizard.answers.Spec.Role;
import io.kubewizard.answers.Spec.Topology;

/**
 * What each host is in the cluster ({@link ObserveNode}): versions, whether it joined, and from
 * the control planes the Nodes and the etcd members. Read-only; the planner decides from it.
 */
final class ObserveCluster implements PlanPhase {
    public String id() { return "observe"; }

    public String title() { return "Observe the cluster"; }

    public void addSteps(Draft d) {
        boolean stacked = d.spec.cluster().topology() == Topology.STACKED;
        for (Host h : d.probed()) {
            boolean cp = h.is(Role.CONTROL_PLANE);
            boolean etcd = h.is(Role.ETCD) || (stacked && cp);
            d.add("observe", h, cp ? "Read the kubelet's and kubeadm's versions, the Nodes and the etcd members"
                            : etcd ? "Read the kubelet's and kubeadm's versions and the etcd members"
                            : "Read the kubelet's and kubeadm's versions and whether the host joined")
                    .reads(new ObserveNode(cp, etcd, d.spec.runtime().type()));
        }
    }
}
