package io.kubewizard.plan;

import io.kubewizard.answers.Spec.Host;

import java.util.List;

/**
 * External etcd the kubeadm way: each etcd host runs a kubelet that only serves static pods (its
 * drop-in), and {@code kubeadm init phase etcd local} writes the etcd static pod from the host's
 * rendered config and certificates. {@code kubeadm init} on the first control plane waits for the
 * whole etcd cluster to answer.
 */
final class StartExternalEtcd implements PlanPhase {
    public String id() { return "etcd"; }

    public String title() { return "Start the external etcd cluster"; }

    public void addSteps(Draft d) {
        List<Host> members = d.spec.etcdHosts();
        for (Host h : members) {
            d.add("etcd/kubelet", h, "Run the kubelet as the etcd member's static pod supervisor")
                    .upload(d.take(h, Route.KUBELET))
                    .check("systemctl is-active --quiet kubelet")
                    .run("systemctl daemon-reload", "systemctl enable kubelet", "systemctl restart kubelet");
            d.add("etcd/config", h, "Write the etcd static pod from its kubeadm config")
                    .upload(d.take(h, Route.KUBEADM))
                    .check("test -f " + Paths.ETCD_MANIFEST)
                    .run("kubeadm init phase etcd local --config " + Paths.ETCD_CONFIG);
        }
        if (!members.isEmpty()) {
            d.add("etcd/health", members.get(0), "Wait until every etcd member is healthy")
                    .after(d.keys("etcd/config"))
                    .run(VerifyCluster.etcdHealth(d.spec.runtime().type()));
        }
    }
}
