package io.kubewizard.plan;

import io.kubewizard.answers.Spec.ClusterSpec;
import io.kubewizard.answers.Spec.Host;
import io.kubewizard.answers.Spec.Role;
import io.kubewizard.answers.Spec.Topology;
import io.kubewizard.plan.Observed.EtcdMember;
import io.kubewizard.plan.Observed.NodeView;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The difference between the answers (the desired cluster) and the cluster as observed and as last
 * applied: who joins, who leaves, which node nobody manages, who leads, and why the change must be
 * refused. Pure: every phase of a plan reads the same value.
 *
 * @param lead      the control plane that runs cluster-wide steps: the first one of the file that is
 *                  already a node, or (for a new cluster) simply the first one; null without control planes
 * @param exists    a cluster was observed, so nothing is initialised again
 * @param joining   hosts of the file that are not nodes (or etcd members) yet, in file order
 * @param leaving   hosts that leave: gone from the file since it was last applied, or {@code remove: true}
 * @param forced    of {@code leaving}, those removed without being reached (--force-remove)
 * @param unmanaged Nodes of the cluster that no answers file ever named, left alone
 * @param refusals  why the change must not start, each naming what is wrong; empty when it may
 * @param nodes     the names of the cluster's Nodes; null when nothing was observed (a preview assumes every
 *                  host it is asked about is one)
 */
public record Change(Host lead, boolean exists, List<Host> joining, List<Host> leaving, Set<String> forced,
                     List<String> unmanaged, List<String> refusals, Set<String> nodes) {

    public Change {
        joining = List.copyOf(joining);
        leaving = List.copyOf(leaving);
        forced = java.util.Collections.unmodifiableSet(new LinkedHashSet<>(forced));
        unmanaged = List.copyOf(unmanaged);
        refusals = List.copyOf(refusals);
        nodes = nodes == null ? null : Set.copyOf(nodes);
    }

    /** Whether the cluster has a Node of this name. */
    public boolean isNode(String name) { return nodes == null || nodes.contains(name); }

    public boolean joins(Host h) { return joining.contains(h); }

    public boolean leaves(String name) { return leaving.stream().anyMatch(h -> h.name().equals(name)); }

    /**
     * @param applied     the hosts of the answers last applied (empty before the first apply)
     * @param forceRemove names given to --force-remove
     */
    static Change of(ClusterSpec spec, Observed observed, List<Host> applied, Set<String> forceRemove) {
        boolean exists = observed.clusterExists();
        Map<String, NodeView> nodes = observed.nodes();
        List<EtcdMember> members = observed.etcdMembers();
        boolean previewing = observed.hosts().isEmpty();
        List<String> refusals = new ArrayList<>();

        Set<String> named = new LinkedHashSet<>();
        spec.hosts().forEach(h -> named.add(h.name()));
        spec.removed().forEach(h -> named.add(h.name()));

        // Who leaves: a host marked remove: true, or one the last apply had that the file no longer names;
        // only when the cluster has it (a preview, which observed nothing, assumes it does).
        List<Host> candidates = new ArrayList<>(spec.removed());
        for (Host h : applied) if (!named.contains(h.name())) candidates.add(h);
        List<Host> leaving = new ArrayList<>();
        for (Host h : candidates) {
            boolean present = previewing || observed.joined(h.name()) || member(members, h) != null
                    || !observed.reachable(h.name());
            if (present) leaving.add(h);
        }
        Set<String> forced = new LinkedHashSet<>();
        for (String name : forceRemove) {
            if (leaving.stream().anyMatch(h -> h.name().equals(name))) {
                forced.add(name);
            } else {
                refusals.add("--force-remove " + name + ": " + name + " is not leaving the cluster (mark it remove: true "
                        + "in the answers file, or delete it from the file, to remove it)");
            }
        }
        for (Host h : leaving) {
            if (!observed.reachable(h.name()) && !forced.contains(h.name())) {
                refusals.add(h.name() + " is leaving but cannot be reached (" + observed.host(h.name()).problem()
                        + "): to remove it without draining or resetting it, add --force-remove " + h.name());
            }
        }

        List<Host> joining = new ArrayList<>();
        for (Host h : spec.hosts()) {
            boolean in = h.is(Role.ETCD) ? member(members, h) != null || observed.joined(h.name()) : observed.joined(h.name());
            if (!exists || !in) joining.add(h);
        }

        Host lead = null;
        for (Host h : spec.controlPlanes()) {
            if (!exists || (observed.joined(h.name()) && observed.reachable(h.name()))) {
                lead = h;
                break;
            }
        }
        if (exists && lead == null && !spec.controlPlanes().isEmpty()) {
            refusals.add("no control plane of the answers file is a reachable node of the cluster"
                    + (leaving.stream().anyMatch(h -> h.is(Role.CONTROL_PLANE))
                    ? ": removing " + names(leaving.stream().filter(h -> h.is(Role.CONTROL_PLANE)).toList())
                    + " would remove the last control plane" : "")
                    + "; keep at least one control plane that is already a node");
        }

        // Roles cannot change in place: kubeadm made the node what it is.
        for (Host h : spec.hosts()) {
            for (Host before : applied) {
                if (before.name().equals(h.name()) && !Set.copyOf(before.roles()).equals(Set.copyOf(h.roles()))) {
                    refusals.add(roleChange(h, roles(before.roles()), roles(h.roles())));
                }
            }
            NodeView n = nodes.get(h.name());
            if (n != null && n.controlPlane() != h.is(Role.CONTROL_PLANE)
                    && applied.stream().noneMatch(b -> b.name().equals(h.name()))) {
                refusals.add(roleChange(h, n.controlPlane() ? "a control plane" : "a worker",
                        h.is(Role.CONTROL_PLANE) ? "a control plane" : "a worker"));
            }
        }

        etcdRefusals(spec, observed, members, leaving, joining, refusals);

        List<String> unmanaged = new ArrayList<>();
        Set<String> known = new LinkedHashSet<>(named);
        applied.forEach(h -> known.add(h.name()));
        for (String node : nodes.keySet()) if (!known.contains(node)) unmanaged.add(node);
        return new Change(lead, exists, joining, leaving, forced, unmanaged, refusals,
                previewing ? null : nodes.keySet());
    }

    /** etcd takes one membership change at a time and must keep its quorum through it. */
    private static void etcdRefusals(ClusterSpec spec, Observed observed, List<EtcdMember> members, List<Host> leaving,
                                     List<Host> joining, List<String> refusals) {
        boolean stacked = spec.cluster().topology() == Topology.STACKED;
        List<Host> leavingMembers = leaving.stream().filter(h -> stacked ? h.is(Role.CONTROL_PLANE) : h.is(Role.ETCD))
                .filter(h -> members.isEmpty() || member(members, h) != null).toList();
        if (leavingMembers.size() > 1) {
            refusals.add("this change removes " + leavingMembers.size() + " etcd members (" + names(leavingMembers)
                    + ") in one run: etcd takes one membership change at a time; remove one, apply, then the next");
        }
        for (EtcdMember m : members) {
            if (!m.started()) {
                refusals.add("etcd member " + m.id() + " (" + m.peerUrl() + ") was added and never started: another "
                        + "membership change is still pending; start that member or remove it (etcdctl member remove "
                        + m.id() + ") first");
            }
        }
        if (leavingMembers.size() == 1 && !members.isEmpty()) {
            Host h = leavingMembers.get(0);
            List<String> answering = observed.etcdAnswering();
            int after = members.size() - 1;
            int healthyAfter = 0;
            for (EtcdMember m : members) {
                if (!m.name().equals(h.name()) && answering.contains(m.name())) healthyAfter++;
            }
            int quorum = after / 2 + 1;
            if (after == 0) {
                refusals.add("removing " + h.name() + " would remove etcd's last member");
            } else if (healthyAfter < quorum) {
                refusals.add("removing " + h.name() + " leaves etcd " + healthyAfter + " healthy of " + after
                        + " members, below its quorum of " + quorum + ": bring the unhealthy members back first");
            }
        }
    }

    /** The observed etcd member of a host, matched by its peer URL (a member added and not started has no name yet). */
    static EtcdMember member(List<EtcdMember> members, Host h) {
        String peer = "https://" + h.internalAddress() + ":2380";
        for (EtcdMember m : members) if (m.peerUrl().equals(peer) || m.name().equals(h.name())) return m;
        return null;
    }

    private static String roleChange(Host h, String before, String now) {
        return h.name() + " is " + before + " and the answers file makes it " + now + ": a role cannot change in "
                + "place. Remove the host (remove: true), apply, then add it back with its new role";
    }

    private static String roles(List<Role> roles) {
        return "[" + String.join(", ", roles.stream().map(Role::yaml).toList()) + "]";
    }

    private static String names(List<Host> hosts) {
        return String.join(", ", hosts.stream().map(Host::name).toList());
    }

}
