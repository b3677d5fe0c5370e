package io.kubewizard.plan;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The cluster as the probe found it, before anything was planned: per host whether it answered,
 * its facts and what {@link ObserveNode} read there. The planner is a function of the answers, the
 * rendered files and this value, so a recorded state plans the same way every time (and a resumed
 * run plans from the state its journal recorded, not from a cluster it has half changed).
 *
 * @param hosts per host name, in the order they were probed
 */
public record Observed(Map<String, HostState> hosts) {

    /** Nothing observed: a cluster about to be installed, or a preview that connects to nothing. */
    public static final Observed NONE = new Observed(Map.of());

    public Observed {
        hosts = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(hosts));
    }

    /**
     * @param reachable whether the probe reached the host and read it
     * @param problem   why not, when it did not
     * @param facts     null when not read
     * @param report    null when not read
     */
    public record HostState(boolean reachable, String problem, Facts facts, NodeReport report) {
        public static HostState unreachable(String problem) { return new HostState(false, problem, null, null); }
    }

    /**
     * What one host says about itself and, from a control plane, about the cluster.
     *
     * @param kubeletVersion "v1.35.2", empty when no kubelet is installed
     * @param kubeadmVersion "v1.35.2", empty when no kubeadm is installed
     * @param kubeletConf    /etc/kubernetes/kubelet.conf exists: the host joined (or initialised) a cluster
     * @param apiServer      the API server's static pod manifest exists
     * @param nodes          the cluster's Nodes as this control plane's API server lists them; null when not asked
     *                       or the API server did not answer
     * @param etcdMembers    the etcd members as this host's running etcd lists them; null when it runs none
     * @param serverVersion  the API server's version ("v1.35.2") as this control plane's answers; null when not asked
     *                       or it did not answer
     * @param systemPods     the kube-system pods of the control plane and etcd, as this control plane's API server
     *                       lists them; null when not asked or it did not answer
     */
    public record NodeReport(String kubeletVersion, String kubeadmVersion, boolean kubeletConf, boolean apiServer,
                             List<NodeView> nodes, List<EtcdMember> etcdMembers, String serverVersion,
                             List<PodView> systemPods) {
        public NodeReport {
            nodes = nodes == null ? null : List.copyOf(nodes);
            etcdMembers = etcdMembers == null ? null : List.copyOf(etcdMembers);
            systemPods = systemPods == null ? null : List.copyOf(systemPods);
        }

        public NodeReport(String kubeletVersion, String kubeadmVersion, boolean kubeletConf, boolean apiServer,
                          List<NodeView> nodes, List<EtcdMember> etcdMembers) {
            this(kubeletVersion, kubeadmVersion, kubeletConf, apiServer, nodes, etcdMembers, null, null);
        }
    }

    /** A control-plane or etcd pod in kube-system: {@code component} is its "component" label (etcd, kube-apiserver, ...). */
    public record PodView(String name, String node, String component, boolean ready) {}

    /** A Node object of the cluster. */
    public record NodeView(String name, boolean ready, boolean unschedulable, String kubeletVersion, boolean controlPlane) {}

    /** An etcd member; {@code started} is false for a member added and not yet started (its name is empty then). */
    public record EtcdMember(String id, String name, String peerUrl, boolean started) {}

    public HostState host(String name) { return hosts.get(name); }

    /** Whether the probe reached the host; a host it never tried (a preview) counts as reachable. */
    public boolean reachable(String name) {
        HostState s = hosts.get(name);
        return s == null || s.reachable();
    }

    /** The cluster's Nodes by name, from the first host whose API server answered; empty when none did. */
    public Map<String, NodeView> nodes() {
        Map<String, NodeView> out = new LinkedHashMap<>();
        for (HostState s : hosts.values()) {
            if (s.report() == null || s.report().nodes() == null) continue;
            s.report().nodes().forEach(n -> out.put(n.name(), n));
            break;
        }
        return out;
    }

    /** The API server's version, from the first control plane that said it; null when none did. */
    public String serverVersion() {
        for (HostState s : hosts.values()) {
            if (s.report() != null && s.report().serverVersion() != null) return s.report().serverVersion();
        }
        return null;
    }

    /** The control plane's and etcd's pods, from the first control plane that listed them; empty when none did. */
    public List<PodView> systemPods() {
        for (HostState s : hosts.values()) {
            if (s.report() != null && s.report().systemPods() != null) return s.report().systemPods();
        }
        return List.of();
    }

    /** The etcd members, from the first host whose etcd answered; empty when none did. */
    public List<EtcdMember> etcdMembers() {
        for (HostState s : hosts.values()) {
            if (s.report() != null && s.report().etcdMembers() != null) return s.report().etcdMembers();
        }
        return List.of();
    }

    /** The hosts whose own etcd answered: the members that are healthy. */
    public List<String> etcdAnswering() {
        return hosts.entrySet().stream().filter(e -> e.getValue().report() != null
                && e.getValue().report().etcdMembers() != null).map(Map.Entry::getKey).toList();
    }

    /** Whether a host has joined: it is a Node, or (before any API server answered) it holds a kubelet.conf. */
    public boolean joined(String name) {
        if (nodes().containsKey(name)) return true;
        HostState s = hosts.get(name);
        return s != null && s.report() != null && s.report().kubeletConf();
    }

    /** Whether a cluster exists already: some host joined, or an etcd cluster runs. */
    public boolean clusterExists() {
        if (!nodes().isEmpty() || !etcdMembers().isEmpty()) return true;
        return hosts.values().stream().anyMatch(s -> s.report() != null && (s.report().kubeletConf() || s.report().apiServer()));
    }
}
