package io.kubewizard.plan;

import io.kubewizard.answers.Spec.Host;
import io.kubewizard.answers.Spec.LoadBalancerType;
import io.kubewizard.answers.Spec.Role;
import io.kubewizard.answers.Spec.Topology;

import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Fails early, with a message naming the host, where kubeadm would fail late: too few CPUs or too
 * little memory on a control plane (kubeadm's own limits), a port already taken. A host that is
 * already part of the cluster is skipped, so a rerun does not trip over its own API server.
 * The across-hosts step has no command: the jump host compares the facts every host reported
 * (hostnames, MAC addresses and product_uuids must be unique; kubeadm only documents this).
 * With mirrors in the answers, each host also checks that it reaches every one ({@link MirrorReach}).
 */
final class RunPreflight implements PlanPhase {
    static final int CONTROL_PLANE_CPUS = 2;
    static final int CONTROL_PLANE_MEMORY_MB = 1700;

    public String id() { return "preflight"; }

    public String title() { return "Check the hosts before changing anything"; }

    public void addSteps(Draft d) {
        for (Host h : d.spec.hosts()) {
            List<String> run = new ArrayList<>();
            if (h.is(Role.CONTROL_PLANE)) {
                run.add("test \"$(nproc)\" -ge " + CONTROL_PLANE_CPUS + " || { echo \"a control plane needs "
                        + CONTROL_PLANE_CPUS + " CPUs, this host has $(nproc)\" >&2; exit 1; }");
                run.add("awk '/^MemTotal:/ { if ($2 < " + CONTROL_PLANE_MEMORY_MB + " * 1024) { printf \"a control plane "
                        + "needs " + CONTROL_PLANE_MEMORY_MB + " MB of memory, this host has %d MB\\n\", $2 / 1024 > "
                        + "\"/dev/stderr\"; exit 1 } }' /proc/meminfo");
            }
            String ports = ports(d, h).stream().map(String::valueOf).collect(Collectors.joining(" "));
            run.add("for port in " + ports + "; do if ss -Htln \"sport = :$port\" | grep -q .; then "
                    + "echo \"port $port is already in use\" >&2; exit 1; fi; done");
            boolean etcd = h.is(Role.ETCD);
            d.add("preflight/host", h, etcd ? "Check that the etcd ports are free"
                            : h.is(Role.CONTROL_PLANE) ? "Check CPUs, memory and that the control-plane ports are free"
                            : "Check that the worker ports are free")
                    .check("test -f " + (etcd ? Paths.ETCD_MANIFEST : Paths.KUBELET_CONF))
                    .run(run)
                    .judge(Judge.HOST_PREFLIGHT);
        }
        MirrorReach reach = MirrorReach.of(d.spec);
        if (!reach.isEmpty()) {
            for (Host h : d.spec.hosts()) {
                d.add("preflight/mirrors", h, "Check that this host reaches every mirror the answers name")
                        .upload(reach.uploads(h.name()))
                        .reads(reach)
                        .judge(Judge.READ_PROBLEMS);
            }
        }
        d.add("preflight/across-hosts", Step.ACROSS_HOSTS,
                "Check that hostnames, MAC addresses and product_uuids are unique across hosts")
                .judge(Judge.ACROSS_HOSTS_PREFLIGHT);
    }

    /** docs/kubeadm.md "Ports", by role. */
    private static SortedSet<Integer> ports(Draft d, Host h) {
        SortedSet<Integer> ports = new TreeSet<>();
        if (h.is(Role.CONTROL_PLANE)) {
            ports.addAll(List.of(6443, 10250, 10257, 10259));
            if (d.spec.cluster().topology() == Topology.STACKED) ports.addAll(List.of(2379, 2380));
            // haproxy shares the host with the API server, on its own front-end port.
            if (d.spec.cluster().loadBalancer().type() == LoadBalancerType.HAPROXY_KEEPALIVED) {
                ports.add(d.spec.cluster().loadBalancer().port());
            }
        }
        if (h.is(Role.WORKER)) ports.addAll(List.of(10250, 10256));
        if (h.is(Role.ETCD)) ports.addAll(List.of(2379, 2380, 10250));
        return ports;
    }
}
