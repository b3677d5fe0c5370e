package io.kubewizard.plan;

import io.kubewizard.answers.Spec.Host;
import io.kubewizard.render.RenderedFile;

import java.util.ArrayList;
import java.util.List;

/**
 * The other control planes join one at a time, in file order: each adds an etcd member, and etcd
 * takes one membership change at a time. Before the first join, the first control plane refreshes
 * what joins need and what expires (uploaded certificates after 2 hours, bootstrap tokens after
 * 24), so a run resumed the next day still joins; when every host has joined, nothing is refreshed.
 */
final class JoinControlPlanes implements PlanPhase {
    public String id() { return "control-plane/join"; }

    public String title() { return "Join the other control planes, one at a time"; }

    static final StepId UPLOAD_CERTS = new StepId("control-plane/upload-certs");
    static final StepId BOOTSTRAP_TOKEN = new StepId("control-plane/bootstrap-token");
    static final StepId JOIN = new StepId("control-plane/join");
    static final StepId LEAD_CONFIG = new StepId("control-plane/lead-config");

    public void addSteps(Draft d) {
        Host first = d.lead();
        if (first == null) return;
        List<Host> all = d.spec.controlPlanes().stream().filter(h -> !h.equals(first)).toList();
        // Members keep their static pods current; only hosts that are not nodes yet join.
        for (Host h : all) {
            if (d.change.joins(h)) continue;
            d.discard(h, Route.KUBEADM);
            List<RenderedFile> staticPods = d.take(h, Route.STATIC_POD);
            if (!staticPods.isEmpty()) {
                d.add("control-plane/join/static-pods", h, "Write the load balancer static pods (the kubelet starts them)")
                        .upload(staticPods);
            }
        }
        List<Host> others = all.stream().filter(d.change::joins).toList();
        List<Host> workers = d.spec.workers().stream().filter(w -> !d.spec.controlPlanes().contains(w))
                .filter(d.change::joins).toList();
        if (others.isEmpty() && workers.isEmpty()) return;
        List<Host> joining = new ArrayList<>(others);
        joining.addAll(workers);
        // The refresh reads the lead's InitConfiguration. A lead where kubeadm init never ran (the first
        // control plane left the cluster) has none on disk: it is written first; where it is, unchanged,
        // nothing is written.
        if (d.change.exists()) {
            List<RenderedFile> init = d.peekAll(first).stream().filter(f -> f.path().equals(Paths.INIT_CONFIG)).toList();
            if (!init.isEmpty()) {
                // of the cluster's version: one an upgrade by an older kubewizard left behind is written again
                d.add(LEAD_CONFIG, first, "Write the InitConfiguration the refresh reads")
                        .upload(init)
                        .check("grep -qxF " + Shell.quote("kubernetesVersion: v" + d.spec.version()) + " " + Paths.INIT_CONFIG);
            }
        }
        // Nothing to refresh once every host they are for is a node of the cluster.
        if (InitControlPlane.uploadsCerts(d) && !others.isEmpty()) {
            d.add(UPLOAD_CERTS, first, "Upload the shared control-plane certificates again")
                    .check(nodesExist(others))
                    .run("kubeadm init phase upload-certs --upload-certs --config " + Paths.INIT_CONFIG);
        }
        d.add(BOOTSTRAP_TOKEN, first, "Create or renew the bootstrap token")
                .check(nodesExist(joining))
                .run("kubeadm init phase bootstrap-token --config " + Paths.INIT_CONFIG);
        List<String> previous = new ArrayList<>(d.keys(BOOTSTRAP_TOKEN));
        previous.addAll(d.keys(UPLOAD_CERTS));
        for (Host h : others) {
            List<RenderedFile> config = d.take(h, Route.KUBEADM);
            String key = d.add(JOIN, h, "Run kubeadm join as a control plane")
                    .upload(config)
                    .after(previous)
                    .check("test -f " + Paths.API_SERVER_MANIFEST)
                    .run("kubeadm join --config " + Paths.joinConfig(config))
                    .once()
                    .key();
            previous = List.of(key);
            List<RenderedFile> staticPods = d.take(h, Route.STATIC_POD);
            if (!staticPods.isEmpty()) {
                d.add("control-plane/join/static-pods", h, "Write the load balancer static pods (the kubelet starts them)")
                        .upload(staticPods);
            }
        }
    }

    /** Exit 0 when every one of the hosts is registered as a node (kubectl get fails on any that is not). */
    private static String nodesExist(List<Host> hosts) {
        StringBuilder names = new StringBuilder();
        hosts.forEach(h -> names.append(' ').append(Shell.quote(h.name())));
        return Paths.KUBECTL + " get node" + names + " >/dev/null 2>&1";
    }
}
