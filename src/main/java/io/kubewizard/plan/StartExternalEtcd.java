package io.kubewizard.plan;

import io.kubewizard.answers.Spec.Host;
import io.kubewizard.answers.Spec.Role;

import io.kubewizard.render.ExternalEtcd;
import io.kubewizard.render.RenderedFile;

import java.util.ArrayList;
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

    static final StepId HEALTH = new StepId("etcd/health");
    static final StepId MEMBER_ADD = new StepId("etcd/member-add");

    public void addSteps(Draft d) {
        List<Host> members = d.spec.etcdHosts();
        // A member joining a running etcd cluster is announced first (etcdctl member add through a
        // member that answers) and starts with initial-cluster-state existing; the members already
        // running keep their manifests: writing them again would restart every member at once.
        Host through = d.change.exists() ? members.stream().filter(h -> !d.change.joins(h)).findFirst().orElse(null) : null;
        String previousAdded = null;
        // The members etcd has when a joining one starts: the running ones (one leaving goes later in
        // this run), those announced before it, and itself. etcd refuses to start a member whose
        // initial-cluster counts otherwise ("member count is unequal"), so it is not the file's list.
        List<Host> present = new ArrayList<>();
        if (through != null) {
            members.stream().filter(h -> !d.change.joins(h)).forEach(present::add);
            d.change.leaving().stream().filter(h -> h.is(Role.ETCD)).forEach(present::add);
        }
        for (Host h : members) {
            boolean added = through != null && d.change.joins(h);
            boolean running = through != null && !added;
            d.add("etcd/kubelet", h, "Run the kubelet as the etcd member's static pod supervisor")
                    .upload(d.take(h, Route.KUBELET))
                    .check("systemctl is-active --quiet kubelet")
                    .run("systemctl daemon-reload", "systemctl enable kubelet", "systemctl restart kubelet");
            List<RenderedFile> config = d.take(h, Route.KUBEADM);
            if (added) {
                String peer = "https://" + h.internalAddress() + ":2380";
                present.add(h);
                String initialCluster = String.join(",", present.stream()
                        .map(m -> m.name() + "=https://" + m.internalAddress() + ":2380").toList());
                // One membership change at a time: the next member is announced once this one runs.
                String announced = "test -n \"$(" + Etcdctl.memberIdByPeer(d.spec.runtime().type(), peer) + ")\"";
                String add = d.add(MEMBER_ADD, h.name(), through, "Announce " + h.name() + " to the running etcd cluster")
                        .after(previousAdded == null ? List.of() : List.of(previousAdded))
                        .check(announced)
                        // etcd refuses a membership change for a few seconds after the last one (unhealthy
                        // cluster), as right after the member before this one started: tried again for up to
                        // a minute, never adding it twice, then the step fails with etcd's own message.
                        .run("for try in $(seq 1 20); do " + Etcdctl.run(d.spec.runtime().type(), "member add "
                                + Shell.quote(h.name()) + " --peer-urls=" + peer) + " && exit 0; " + announced
                                + " && exit 0; test \"$try\" = 20 && exit 1; sleep 3; done")
                        .once()
                        .key();
                config = config.stream().map(f -> !f.path().equals(Paths.ETCD_CONFIG) ? f : new RenderedFile(f.host(),
                        f.path(), f.mode(), ExternalEtcd.joiningExisting(f.content(), initialCluster), f.secret(), f.os())).toList();
                previousAdded = d.add("etcd/config", h, "Write the etcd static pod from its kubeadm config, joining the "
                                + "running cluster")
                        .upload(config)
                        .after(add)
                        .check("test -f " + Paths.ETCD_MANIFEST)
                        .run("kubeadm init phase etcd local --config " + Paths.ETCD_CONFIG,
                                // started and answering before the next membership change
                                "for try in $(seq 1 30); do " + Etcdctl.run(d.spec.runtime().type(), "endpoint health")
                                        + " >/dev/null 2>&1 && exit 0; sleep 2; done; exit 1")
                        .once()
                        .key();
            } else {
                var step = d.add("etcd/config", h, "Write the etcd static pod from its kubeadm config")
                        .upload(config)
                        .check("test -f " + Paths.ETCD_MANIFEST)
                        .run("kubeadm init phase etcd local --config " + Paths.ETCD_CONFIG);
                if (running) step.once();
            }
        }
        if (!members.isEmpty()) {
            d.add(HEALTH, through != null ? through : members.get(0), "Wait until every etcd member is healthy")
                    .after(d.keys(new StepId("etcd/config")))
                    .run(Etcdctl.health(d.spec.runtime().type()));
        }
    }
}
