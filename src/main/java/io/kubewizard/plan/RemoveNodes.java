package io.kubewizard.plan;

import io.kubewizard.answers.Spec.Host;
import io.kubewizard.answers.Spec.Role;
import io.kubewizard.answers.Spec.RuntimeType;
import io.kubewizard.answers.Spec.Topology;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The hosts that leave, one at a time, in file order. A Node: cordoned and drained from the lead
 * control plane (uncordoned again if the drain fails, so it is never left unschedulable by a failed
 * run), then {@code kubeadm reset} on the host (a stacked control plane's reset removes its etcd
 * member), then any etcd member it still has is removed through the lead, then the Node is deleted.
 * An external etcd host: its member is removed through a member that stays, then it is reset. A
 * host given to --force-remove is not reached at all: its member and Node are removed from the
 * cluster's side, and what is left on the host is reported by the run's summary. Each step's check
 * finds it done already, so a resumed removal goes on where it stopped.
 */
final class RemoveNodes implements PlanPhase {
    static final StepId DRAIN = new StepId("remove/drain");
    static final StepId RESET = new StepId("remove/reset");
    static final StepId ETCD_MEMBER = new StepId("remove/etcd-member");
    static final StepId DELETE = new StepId("remove/delete");

    static final String DRAIN_FLAGS = "--ignore-daemonsets --delete-emptydir-data";
    static final String DRAIN_TIMEOUT = "--timeout=300s";

    public String id() { return "remove"; }

    public String title() { return "Remove the leaving hosts, one at a time"; }

    public void addSteps(Draft d) {
        Host lead = d.lead();
        if (lead == null || d.change.leaving().isEmpty()) return;
        RuntimeType runtime = d.spec.runtime().type();
        boolean stacked = d.spec.cluster().topology() == Topology.STACKED;
        Host etcdThrough = stacked ? lead : d.spec.etcdHosts().stream().filter(h -> !d.change.joins(h)).findFirst().orElse(null);
        List<String> previous = new ArrayList<>();
        for (Host h : d.change.leaving()) {
            boolean forced = d.change.forced().contains(h.name());
            String name = Shell.quote(h.name());
            String gone = "! " + Paths.KUBECTL + " get node " + name + " >/dev/null 2>&1";
            boolean node = !h.is(Role.ETCD) && d.change.isNode(h.name());
            boolean member = h.is(Role.ETCD) || (stacked && h.is(Role.CONTROL_PLANE));
            if (node && !forced) {
                previous = List.of(d.add(DRAIN, h.name(), lead, "Cordon and drain " + h.name())
                        .after(previous)
                        .check(gone)
                        .run(Paths.KUBECTL + " cordon " + name,
                                Paths.KUBECTL + " drain " + name + " " + DRAIN_FLAGS + " " + DRAIN_TIMEOUT
                                        + " || { " + Paths.KUBECTL + " uncordon " + name + "; exit 1; }")
                        .key());
            }
            if (h.is(Role.ETCD) && etcdThrough != null) {
                // Only once no API server names the member any more.
                List<String> after = new ArrayList<>(previous);
                after.addAll(d.keys(UpdateEtcdEndpoints.ENDPOINTS));
                previous = List.of(etcdMember(d, h, etcdThrough, runtime, after));
            }
            if (!forced) {
                previous = List.of(d.add(RESET, h, "Run kubeadm reset and remove kubewizard's files")
                        .after(previous)
                        .check("test ! -e " + Paths.KUBELET_CONF + " && test ! -e " + Paths.API_SERVER_MANIFEST
                                + " && test ! -e " + Paths.ETCD_MANIFEST + " && test ! -e " + Paths.INIT_CONFIG
                                + " && test ! -e " + Paths.JOIN_CONFIG + " && test ! -e " + Paths.ETCD_CONFIG)
                        .run(ResetNodes.commands(runtime, files(d, h)))
                        .key());
            }
            if (member && !h.is(Role.ETCD)) previous = List.of(etcdMember(d, h, lead, runtime, previous));
            if (node) {
                previous = List.of(d.add(DELETE, h.name(), lead, "Delete the Node " + h.name())
                        .after(previous)
                        .check(gone)
                        .run(Paths.KUBECTL + " delete node " + name)
                        .key());
            }
        }
    }

    /**
     * kubewizard's files on a leaving host, which is rendered no more: the paths render writes on the
     * hosts of the file with the same roles, and always the kubeadm configs, which hold the bootstrap
     * token and (on a control plane) the key to the certificates kubeadm uploads for joins.
     */
    static List<String> files(Draft d, Host h) {
        TreeSet<String> paths = new TreeSet<>(List.of(Paths.INIT_CONFIG, Paths.JOIN_CONFIG, Paths.ETCD_CONFIG,
                io.kubewizard.render.UpgradeConfig.PATH));
        for (Host twin : d.spec.hosts()) {
            if (Set.copyOf(twin.roles()).equals(Set.copyOf(h.roles()))) d.peekAll(twin).forEach(f -> paths.add(f.path()));
        }
        return List.copyOf(paths);
    }

    /** Removes the host's etcd member through another member, unless it is gone already (a reset removes it). */
    private static String etcdMember(Draft d, Host h, Host through, RuntimeType runtime, List<String> previous) {
        String id = "\"$(" + Etcdctl.memberIdByPeer(runtime, "https://" + h.internalAddress() + ":2380") + ")\"";
        return d.add(ETCD_MEMBER, h.name(), through, "Remove " + h.name() + "'s etcd member")
                .after(previous)
                .check("test -z " + id)
                // etcd refuses a membership change for a few seconds after the last one (unhealthy cluster):
                // tried again for up to a minute, then the step fails with etcd's own message.
                .run("id=" + id + "; test -z \"$id\" || for try in $(seq 1 20); do "
                        + Etcdctl.run(runtime, "member remove \"$id\"") + " && break; test \"$try\" = 20 && exit 1; "
                        + "sleep 3; done")
                .key();
    }
}
