package io.kubewizard.plan;

import io.kubewizard.answers.Spec.Host;
import io.kubewizard.answers.Spec.Topology;

import java.util.ArrayList;
import java.util.List;

/**
 * With external etcd, every control plane's API server names the etcd members it talks to. When a
 * member joins or leaves, each control plane that is already running gets the new list, one at a
 * time (the kubelet restarts its API server on the changed manifest), before a leaving member is
 * removed. A joining control plane's API server is written by kubeadm join from the cluster's
 * ClusterConfiguration (the kubeadm-config ConfigMap), which names the members of the day the cluster
 * was initialised: it gets the list too, after its join.
 */
final class UpdateEtcdEndpoints implements PlanPhase {
    static final String FLAG = "--etcd-servers=";
    static final StepId ENDPOINTS = new StepId("etcd/endpoints");

    public String id() { return "etcd/endpoints"; }

    public String title() { return "Point the API servers at the etcd members"; }

    public void addSteps(Draft d) {
        if (d.spec.cluster().topology() != Topology.EXTERNAL_ETCD || !d.change.exists()) return;
        boolean changes = d.spec.etcdHosts().stream().anyMatch(d.change::joins)
                || d.change.leaving().stream().anyMatch(h -> h.is(io.kubewizard.answers.Spec.Role.ETCD));
        if (!changes && d.spec.controlPlanes().stream().noneMatch(d.change::joins)) return;
        List<String> urls = new ArrayList<>();
        for (Host h : d.spec.etcdHosts()) urls.add("https://" + h.internalAddress() + ":2379");
        String servers = FLAG + String.join(",", urls);
        List<String> previous = new ArrayList<>(d.keys(StartExternalEtcd.HEALTH));
        for (Host cp : d.spec.controlPlanes()) {
            // a running one when the members change; a joining one always (after its join: same host)
            if (!changes && !d.change.joins(cp)) continue;
            previous = List.of(d.add(ENDPOINTS, cp, "Point the API server at the etcd members")
                    .after(previous)
                    .check("grep -q -- " + Shell.quote(servers + "$") + " " + Paths.API_SERVER_MANIFEST)
                    .run("sed -i " + Shell.quote("s#" + FLAG + ".*#" + servers + "#") + " " + Paths.API_SERVER_MANIFEST)
                    .key());
        }
    }
}
