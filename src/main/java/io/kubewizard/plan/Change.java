package io.kubewizard.plan;

import io.kubewizard.answers.KubernetesVersion;
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
 * @param current   the version the control plane runs (its API server's, else its oldest control-plane
 *                  kubelet's); null when no cluster was observed or none said
 * @param legs      the versions an upgrade to the answers' version passes through, one minor at a time
 *                  (empty when the cluster is at it, newer, or unknown)
 * @param target    the answers' kubernetesVersion
 * @param upgradeRefusals why an upgrade of this cluster must not start (a downgrade, a node NotReady or
 *                  cordoned, an unhealthy control plane or etcd, a kubelet too old to skip past)
 */
public record Change(Host lead, boolean exists, List<Host> joining, List<Host> leaving, Set<String> forced,
                     List<String> unmanaged, List<String> refusals, Set<String> nodes, KubernetesVersion current,
                     List<KubernetesVersion> legs, KubernetesVersion target, List<String> upgradeRefusals) {

    public Change {
        joining = List.copyOf(joining);
        leaving = List.copyOf(leaving);
        forced = java.util.Collections.unmodifiableSet(new LinkedHashSet<>(forced));
        unmanaged = List.copyOf(unmanaged);
        refusals = List.copyOf(refusals);
        nodes = nodes == null ? null : Set.copyOf(nodes);
        legs = List.copyOf(legs);
        upgradeRefusals = List.copyOf(upgradeRefusals);
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
        // In the order the hosts leave, names that are not leaving sorted: --force-remove is a set (its
        // iteration order differs from one JVM to the next), and the plan, its JSON and the run's
        // warnings must be the same on every run.
        Set<String> forced = new LinkedHashSet<>();
        for (Host h : leaving) if (forceRemove.contains(h.name())) forced.add(h.name());
        for (String name : new java.util.TreeSet<>(forceRemove)) {
            if (!forced.contains(name)) {
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
        KubernetesVersion current = current(observed, spec);
        List<KubernetesVersion> legs = current == null ? List.of() : current.legsTo(spec.version());
        return new Change(lead, exists, joining, leaving, forced, unmanaged, refusals,
                previewing ? null : nodes.keySet(), current, legs, spec.version(),
                upgradeRefusals(spec, observed, current, refusals));
    }

    /** What must be true before an upgrade changes anything (refused otherwise, naming what is wrong). */
    private static List<String> upgradeRefusals(ClusterSpec spec, Observed observed, KubernetesVersion current,
                                                List<String> changeRefusals) {
        List<String> out = new ArrayList<>(changeRefusals);
        KubernetesVersion target = spec.version();
        if (spec.offline().isSet()) {
            // an upgrade installs each minor's packages from its repository; a bundle holds one version's
            out.add("kubewizard upgrade installs from the package repositories, and the answers set offline.directory: "
                    + "upgrade from a mirror (mirrors.packages) without offline.directory");
            return out;
        }
        if (!observed.clusterExists()) {
            out.add("no cluster was found on the answers' hosts: install it with kubewizard apply first");
            return out;
        }
        if (current == null) {
            out.add("the control plane's version could not be read (no API server answered): bring the control plane "
                    + "back first");
            return out;
        }
        if (target.compareTo(current) < 0) {
            out.add("the cluster runs Kubernetes " + current + " and the answers file asks for " + target
                    + ": kubewizard does not downgrade");
        }
        if (target.minor() > KubernetesVersion.NEWEST_MINOR || KubernetesVersion.latest(target.minor()) == null) {
            out.add("Kubernetes " + target + " is newer than this kubewizard knows (up to "
                    + KubernetesVersion.latest(KubernetesVersion.NEWEST_MINOR) + ")");
        }
        for (NodeView n : observed.nodes().values()) {
            if (!n.ready()) {
                out.add("node " + n.name() + " is NotReady: an upgrade drains the nodes one after another and needs "
                        + "every node Ready; bring it back (or remove it) first");
            }
            if (n.unschedulable()) {
                out.add("node " + n.name() + " is cordoned: an upgrade uncordons the nodes it drained and cannot tell "
                        + "whose cordon this is; uncordon it (kubectl uncordon " + n.name() + ") or remove it first");
            }
            KubernetesVersion kubelet = KubernetesVersion.parse(n.kubeletVersion());
            // Each minor's control plane accepts kubelets up to three minors older: one that is already
            // that old would be left behind by the first control-plane upgrade.
            if (kubelet != null && current.minor() - kubelet.minor() >= 3 && target.minor() > current.minor()) {
                out.add("node " + n.name() + "'s kubelet is " + n.kubeletVersion() + ", three minors behind the control "
                        + "plane's v" + current + ": upgrading the control plane would break the version skew kubelets "
                        + "are allowed; upgrade that node's kubelet to " + current.minorString() + " first");
            }
            if (kubelet != null && kubelet.compareTo(current) > 0) {
                out.add("node " + n.name() + "'s kubelet " + n.kubeletVersion() + " is newer than the control plane's v"
                        + current + ": a kubelet must never be newer than the API server; fix that node first");
            }
        }
        for (Observed.PodView p : observed.systemPods()) {
            if (!p.ready()) {
                out.add("pod kube-system/" + p.name() + " on " + p.node() + " is not Ready: the control plane and etcd "
                        + "must be healthy before an upgrade");
            }
        }
        List<String> answering = observed.etcdAnswering();
        for (EtcdMember m : observed.etcdMembers()) {
            if (!m.started() || (!answering.isEmpty() && !answering.contains(m.name()))) {
                out.add("etcd member " + (m.name().isEmpty() ? m.id() : m.name()) + " is not healthy: every member must "
                        + "answer before an upgrade");
            }
        }
        return out;
    }

    /** The control plane's version: its API server's, else the oldest control-plane kubelet's. */
    static KubernetesVersion current(Observed observed, ClusterSpec spec) {
        KubernetesVersion server = KubernetesVersion.parse(observed.serverVersion());
        if (server != null) return server;
        KubernetesVersion oldest = null;
        for (NodeView n : observed.nodes().values()) {
            KubernetesVersion v = KubernetesVersion.parse(n.kubeletVersion());
            if (n.controlPlane() && v != null && (oldest == null || v.compareTo(oldest) < 0)) oldest = v;
        }
        return oldest;
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
