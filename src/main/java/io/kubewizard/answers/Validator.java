package io.kubewizard.answers;

import io.kubewizard.answers.Net.Cidr;
import io.kubewizard.answers.Net.HostPort;
import io.kubewizard.answers.Net.Ip;
import io.kubewizard.answers.Spec.*;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;

/**
 * Every rule of docs/answers.md, as small functions from a spec to problems. The same code serves
 * {@code kubewizard validate} (with file locations added by the loader) and the wizard's inline
 * checks ({@link #validate(ClusterSpec)} filtered by field prefix).
 */
public final class Validator {
    private Validator() {}

    private static final Pattern FEATURE_GATE = Pattern.compile("[A-Z][A-Za-z0-9]*");
    private static final Pattern LABEL_NAME = Pattern.compile("([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)");
    private static final Pattern LABEL_VALUE = Pattern.compile("(([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?)");
    private static final Pattern TAINT = Pattern.compile("([^=:]+)(=([^:]*))?:(NoSchedule|PreferNoSchedule|NoExecute)");
    private static final Pattern IMAGE = Pattern.compile("[a-z0-9]([-a-z0-9._/:]*[a-z0-9])?(:[\\w][\\w.-]{0,127})?(@sha256:[0-9a-f]{64})?");
    private static final Pattern CNI_VERSION = Pattern.compile("v?\\d+\\.\\d+\\.\\d+");
    private static final Pattern INTERFACE = Pattern.compile("[A-Za-z0-9_.:@-]{1,15}");
    private static final Pattern FLAG = Pattern.compile("[a-z0-9][a-z0-9.-]*");
    private static final Pattern USER = Pattern.compile("[a-z_][a-z0-9_.-]*\\$?");
    /** kubeadm's PodSubnetNodeMaskMaxDiff: the controller-manager tracks node CIDRs in a bitmap of this many bits. */
    private static final int MAX_POD_SUBNET_NODE_MASK_DIFF = 16;
    private static final String ZONE_LABEL = "topology.kubernetes.io/zone";
    /**
     * Kubernetes' large-cluster limits (the shapes it is designed and tested for): at most 5,000 nodes,
     * 110 pods per node (kubelet's maxPods default), 150,000 pods and 300,000 containers in all.
     * The texts of the hosts.limits.* codes state the same numbers.
     */
    static final int MAX_NODES = 5_000;
    static final int MAX_PODS_PER_NODE = 110;
    static final long MAX_PODS = 150_000;
    /**
     * Past this many nodes the large-cluster guidance applies (control planes sized up, etcd on
     * hosts of its own, Events in an etcd of their own, add-ons' limits raised). The guidance names
     * no number; 500 is kubewizard's line, where "a few hundred" clearly has been passed.
     */
    static final int LARGE_CLUSTER_NODES = 500;
    /** The well-known labels kubelet may set on its own node although they lie in kubernetes.io namespaces. */
    private static final Set<String> KUBELET_LABELS = Set.of("kubernetes.io/hostname", "kubernetes.io/os",
            "kubernetes.io/arch", "beta.kubernetes.io/os", "beta.kubernetes.io/arch", "beta.kubernetes.io/instance-type",
            "node.kubernetes.io/instance-type", ZONE_LABEL, "topology.kubernetes.io/region",
            "failure-domain.beta.kubernetes.io/zone", "failure-domain.beta.kubernetes.io/region");
    private static final Set<String> PATH_TYPES = Set.of("", "DirectoryOrCreate", "Directory", "FileOrCreate", "File",
            "Socket", "CharDevice", "BlockDevice");

    /** All problems of a spec, errors and warnings, in rule order. */
    public static List<Problem> validate(ClusterSpec spec) {
        List<Problem> out = new ArrayList<>();
        cluster(spec, out);
        hosts(spec, out);
        topology(spec, out);
        limits(spec, out);
        endpoint(spec, out);
        network(spec, out);
        runtimeAndPki(spec, out);
        security(spec, out);
        components(spec, out);
        mirrors(spec, out);
        ssh("ssh", spec.ssh(), out);
        return out;
    }

    /** The problems of one field and its children ("network", "hosts[2]"), for inline checks. */
    public static List<Problem> validate(ClusterSpec spec, String fieldPrefix) {
        return validate(spec).stream()
                .filter(p -> p.field().equals(fieldPrefix) || p.field().startsWith(fieldPrefix + ".")
                        || p.field().startsWith(fieldPrefix + "["))
                .toList();
    }

    static void cluster(ClusterSpec spec, List<Problem> out) {
        Cluster c = spec.cluster();
        if (!Net.isDnsLabel(c.name())) {
            out.add(error("cluster.name", "cluster.name.invalid", Quote.of(c.name())));
        }
        KubernetesVersion v = KubernetesVersion.parse(c.kubernetesVersion());
        if (v == null) {
            out.add(error("cluster.kubernetesVersion", "cluster.version.format", Quote.of(c.kubernetesVersion()),
                    KubernetesVersion.DEFAULT));
        } else if (v.support() == KubernetesVersion.Support.UNKNOWN) {
            out.add(error("cluster.kubernetesVersion", "cluster.version.unknown", v.minorString(),
                    KubernetesVersion.OLDEST_MINOR, KubernetesVersion.NEWEST_MINOR,
                    KubernetesVersion.OLDEST_SUPPORTED_MINOR));
        } else if (v.support() == KubernetesVersion.Support.OUT_OF_SUPPORT) {
            out.add(warning("cluster.kubernetesVersion", "cluster.version.outOfSupport", v.minorString(),
                    KubernetesVersion.OLDEST_SUPPORTED_MINOR, KubernetesVersion.NEWEST_MINOR, v.kubeadmApiVersion()));
        }
        if (!IMAGE.matcher(c.imageRepository()).matches()) {
            out.add(error("cluster.imageRepository", "cluster.imageRepository.invalid", Quote.of(c.imageRepository())));
        }
        for (String gate : c.featureGates().keySet()) {
            if (!FEATURE_GATE.matcher(gate).matches()) {
                out.add(error("cluster.featureGates." + gate, "cluster.featureGate.invalid", Quote.of(gate)));
            }
        }
    }

    static void hosts(ClusterSpec spec, List<Problem> out) {
        if (spec.hosts().isEmpty()) {
            out.add(error("hosts", "hosts.none"));
            return;
        }
        Map<String, Integer> names = new HashMap<>();
        Map<String, Integer> addresses = new HashMap<>();
        Map<String, Integer> internals = new HashMap<>();
        for (int i = 0; i < spec.hosts().size(); i++) {
            Host h = spec.hosts().get(i);
            String f = "hosts[" + i + "]";
            if (h.name().isEmpty()) {
                out.add(error(f + ".name", "host.name.required"));
            } else if (!Net.isDnsSubdomain(h.name())) {
                out.add(error(f + ".name", "host.name.invalid", Quote.of(h.name())));
            } else {
                unique(names, h.name(), h.name(), i, f + ".name", "host.name.duplicate", out);
            }
            if (h.address().isEmpty()) {
                out.add(error(f + ".address", "host.address.required"));
            } else if (!Net.isIp(h.address()) && !Net.isHostName(h.address())) {
                out.add(error(f + ".address", "address.invalid", Quote.of(h.address())));
            } else {
                unique(addresses, addressKey(h.address()), h.address(), i, f + ".address", "host.address.duplicate", out);
            }
            // an internalAddress defaulted from a broken address would only repeat the address's problem
            boolean derivedFromBadAddress = h.internalAddress().equals(h.address())
                    && !Net.isIp(h.address()) && !Net.isHostName(h.address());
            if (!h.internalAddress().isEmpty() && !derivedFromBadAddress) {
                if (!Net.isIp(h.internalAddress())) {
                    out.add(error(f + ".internalAddress", "host.internalAddress.invalid", Quote.of(h.internalAddress())));
                } else {
                    unique(internals, addressKey(h.internalAddress()), h.internalAddress(), i, f + ".internalAddress",
                            "host.internalAddress.duplicate", out);
                }
            }
            if (h.roles().isEmpty()) {
                out.add(error(f + ".roles", "host.roles.none"));
            }
            if (h.is(Role.ETCD) && h.roles().size() > 1) {
                out.add(error(f + ".roles", "host.roles.etcdAlone"));
            }
            if (h.is(Role.ETCD) && spec.cluster().topology() != Topology.EXTERNAL_ETCD) {
                out.add(error(f + ".roles", "host.roles.etcdNeedsExternal"));
            }
            if (!h.zone().isEmpty() && !LABEL_VALUE.matcher(h.zone()).matches()) {
                out.add(error(f + ".zone", "label.value.invalid", Quote.of(h.zone())));
            }
            labels(h, f, out);
            for (int t = 0; t < h.taints().size(); t++) {
                var m = TAINT.matcher(h.taints().get(t));
                if (!m.matches() || !labelKey(m.group(1))
                        || (m.group(3) != null && !LABEL_VALUE.matcher(m.group(3)).matches())) {
                    out.add(error(f + ".taints[" + t + "]", "host.taint.invalid", Quote.of(h.taints().get(t))));
                }
            }
            if (!h.ssh().isEmpty()) {
                // only what the override adds: the file-wide ssh: problems are reported once, under ssh
                List<Problem> fileWide = new ArrayList<>();
                ssh("", spec.ssh(), fileWide);
                List<Problem> merged = new ArrayList<>();
                ssh("", spec.sshFor(h), merged);
                merged.removeAll(fileWide);
                for (Problem p : merged) out.add(p.under(f + ".ssh" + p.field()));
            }
        }
    }

    private static void labels(Host h, String f, List<Problem> out) {
        for (Map.Entry<String, String> l : h.labels().entrySet()) {
            String key = l.getKey();
            String field = f + ".labels." + key;
            if (!labelKey(key)) {
                out.add(error(field, "host.label.key.invalid", Quote.of(key)));
            } else if (!kubeletMaySet(key)) {
                out.add(error(field, "host.label.kubeletMayNotSet", key, h.name(), l.getValue()));
            } else if (key.equals(ZONE_LABEL) && !h.zone().isEmpty()) {
                out.add(error(field, "host.label.zoneTwice", ZONE_LABEL));
            }
            if (!LABEL_VALUE.matcher(l.getValue()).matches()) {
                out.add(error(field, "label.value.invalid", Quote.of(l.getValue())));
            }
        }
    }

    /**
     * kubelet's --node-labels rule (pkg/kubelet/apis IsKubeletLabel): in the kubernetes.io and k8s.io
     * namespaces a kubelet may set only the *.kubelet.kubernetes.io and *.node.kubernetes.io namespaces and
     * a fixed set of well-known labels; it refuses to start with any other, and NodeRestriction would
     * refuse the update anyway.
     */
    static boolean kubeletMaySet(String key) {
        int slash = key.indexOf('/');
        if (slash < 0) return true;
        String ns = key.substring(0, slash);
        boolean reserved = ns.equals("kubernetes.io") || ns.endsWith(".kubernetes.io")
                || ns.equals("k8s.io") || ns.endsWith(".k8s.io");
        if (!reserved || KUBELET_LABELS.contains(key)) return true;
        return ns.equals("kubelet.kubernetes.io") || ns.endsWith(".kubelet.kubernetes.io")
                || ns.equals("node.kubernetes.io") || ns.endsWith(".node.kubernetes.io");
    }

    private static boolean labelKey(String key) {
        int slash = key.indexOf('/');
        String name = slash < 0 ? key : key.substring(slash + 1);
        if (slash >= 0 && !Net.isDnsSubdomain(key.substring(0, slash))) return false;
        return !name.isEmpty() && LABEL_NAME.matcher(name).matches();
    }

    /** Addresses compare as the machine sees them: 10.0.0.1 and fd00::1 normalized, DNS names without case. */
    private static String addressKey(String address) {
        Ip ip = Net.parseIp(address);
        if (ip != null) return ip.toString();
        String name = address.toLowerCase(java.util.Locale.ROOT);
        return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    }

    private static void unique(Map<String, Integer> seen, String key, String shown, int index, String field,
                               String code, List<Problem> out) {
        Integer first = seen.putIfAbsent(key, index);
        if (first != null) out.add(error(field, code, Quote.of(shown), first));
    }

    static void topology(ClusterSpec spec, List<Problem> out) {
        if (spec.hosts().isEmpty()) return;
        int cps = spec.controlPlanes().size();
        int etcd = spec.etcdHosts().size();
        Topology topology = spec.cluster().topology();
        if (cps == 0) {
            out.add(error("hosts", "hosts.noControlPlane"));
            return;
        }
        if (topology == Topology.STACKED && cps == 2) {
            out.add(warning("hosts", "hosts.twoStacked"));
        } else if (cps > 2 && cps % 2 == 0 && topology == Topology.STACKED) {
            out.add(warning("hosts", "hosts.evenStacked", cps, cps - 1));
        }
        if (topology == Topology.EXTERNAL_ETCD) {
            if (etcd < 3 || etcd % 2 == 0) {
                out.add(error("hosts", "hosts.etcdCount", etcd));
            }
            if (cps == 1) {
                out.add(warning("hosts", "hosts.externalOneControlPlane"));
            } else if (cps == 2) {
                out.add(warning("hosts", "hosts.externalTwoControlPlanes"));
            }
        }
        boolean anyWorker = spec.hosts().stream().anyMatch(h -> h.is(Role.WORKER));
        if (!anyWorker) {
            out.add(warning("hosts", "hosts.noWorker"));
        }
        zones(spec, out);
    }

    /**
     * Kubernetes' large-cluster limits and guidance (docs/answers.md, the validation rules). Linear in
     * the hosts: one count. Only the node count is an error; the rest are warnings the user weighs.
     */
    static void limits(ClusterSpec spec, List<Problem> out) {
        // external etcd hosts run a kubelet only as etcd's service manager: they register no Node
        long nodes = spec.hosts().stream().filter(h -> h.is(Role.CONTROL_PLANE) || h.is(Role.WORKER)).count();
        if (nodes > MAX_NODES) out.add(error("hosts", "hosts.limits.nodes", nodes));
        Long maxPods = maxPods(spec, out);
        long perNode = maxPods == null ? MAX_PODS_PER_NODE : maxPods;
        if (nodes * perNode > MAX_PODS) {
            out.add(warning("hosts", "hosts.limits.podCapacity", nodes, perNode, nodes * perNode));
        }
        if (nodes <= LARGE_CLUSTER_NODES) return;
        out.add(warning("hosts", "hosts.limits.controlPlanes", nodes, spec.controlPlanes().size()));
        if (spec.cluster().topology() == Topology.STACKED) {
            out.add(warning("hosts", "hosts.limits.stackedEtcd", nodes));
        }
        if (!spec.components().apiServer().extraArgs().containsKey("etcd-servers-overrides")) {
            out.add(warning("hosts", "hosts.limits.eventsEtcd", nodes));
        }
        out.add(warning("hosts", "hosts.limits.addons", nodes));
    }

    /** components.kubelet.maxPods when it is set and a whole number; any other value is reported. */
    private static Long maxPods(ClusterSpec spec, List<Problem> out) {
        if (!spec.components().kubelet().containsKey("maxPods")) return null;
        Object value = spec.components().kubelet().get("maxPods");
        String field = "components.kubelet.maxPods";
        // kubelet's maxPods is an int32: a string, a fraction or a negative count does not load
        if (!(value instanceof Integer || value instanceof Long) || ((Number) value).longValue() < 0
                || ((Number) value).longValue() > Integer.MAX_VALUE) {
            out.add(error(field, "components.kubelet.maxPods.invalid", Quote.of(String.valueOf(value))));
            return null;
        }
        long n = ((Number) value).longValue();
        if (n > MAX_PODS_PER_NODE) out.add(warning(field, "hosts.limits.maxPods", n));
        return n;
    }

    /**
     * Multi-zone spread (docs/answers.md, the validation rules): a zone's loss must not take the etcd
     * quorum or every control plane or worker with it. Warnings: the layout may be all the user has,
     * and a single-zone lab is fine. A group (control planes, etcd members, workers) is judged only
     * when every host of it names its zone.
     */
    static void zones(ClusterSpec spec, List<Problem> out) {
        boolean external = spec.cluster().topology() == Topology.EXTERNAL_ETCD;
        List<Host> cps = spec.controlPlanes();
        spread(cps, "hosts.zones.controlPlanes", out);
        List<Host> members = external ? spec.etcdHosts() : cps;
        if (external) spread(members, "hosts.zones.etcd", out);
        Map<String, Long> etcdZones = byZone(members);
        if (etcdZones != null && members.size() >= 2) {
            etcdZones.forEach((zone, n) -> {
                if (n > members.size() / 2) {
                    out.add(warning("hosts", "hosts.zones.etcdMajority", zone, n, members.size()));
                }
            });
        }
        List<Host> workers = spec.workers().stream().filter(h -> !h.is(Role.CONTROL_PLANE)).toList();
        Map<String, Long> workerZones = byZone(workers);
        if (workerZones != null && workers.size() >= 2 && workerZones.size() == 1) {
            out.add(warning("hosts", "hosts.zones.workersOneZone", workers.size(), workerZones.keySet().iterator().next()));
        }
    }

    private static void spread(List<Host> hosts, String code, List<Problem> out) {
        Map<String, Long> byZone = byZone(hosts);
        if (byZone != null && hosts.size() >= 3 && byZone.size() < 3) {
            StringBuilder counts = new StringBuilder();
            byZone.forEach((z, n) -> counts.append(counts.length() == 0 ? "" : ", ").append(z).append(": ").append(n));
            out.add(warning("hosts", code, hosts.size(), byZone.size(), counts.toString()));
        }
    }

    /** Hosts per zone, in the order zones first appear; null when a host of the group names no zone. */
    private static Map<String, Long> byZone(List<Host> hosts) {
        Map<String, Long> out = new LinkedHashMap<>();
        for (Host h : hosts) {
            if (h.zone().isEmpty()) return null;
            out.merge(h.zone(), 1L, Long::sum);
        }
        return out;
    }

    static void endpoint(ClusterSpec spec, List<Problem> out) {
        Cluster c = spec.cluster();
        LoadBalancer lb = c.loadBalancer();
        int cps = spec.controlPlanes().size();
        String ep = c.controlPlaneEndpoint();
        HostPort hp = HostPort.parse(ep);
        if (ep.isEmpty()) {
            if (cps > 1) {
                out.add(error("cluster.controlPlaneEndpoint", "endpoint.requiredForHa", cps));
            } else if (lb.type() != LoadBalancerType.NONE) {
                out.add(error("cluster.controlPlaneEndpoint", "endpoint.requiredForLoadBalancer", lb.type().yaml()));
            }
        } else if (hp.port() == -2 || hp.host().isEmpty() || (!Net.isIp(hp.host()) && !Net.isHostName(hp.host()))) {
            out.add(error("cluster.controlPlaneEndpoint", "endpoint.invalid", Quote.of(ep)));
            hp = null;
        }
        if (lb.type().managed()) {
            managedLoadBalancer(spec, hp, out);
        } else if (!lb.vip().isEmpty() || !lb.iface().isEmpty()) {
            out.add(warning("cluster.loadBalancer", "loadBalancer.vipIgnored", lb.type().yaml()));
        }
        if (cps > 1 && lb.type() == LoadBalancerType.NONE) {
            out.add(warning("cluster.loadBalancer.type", "loadBalancer.noneWithControlPlanes", cps));
        }
    }

    private static void managedLoadBalancer(ClusterSpec spec, HostPort hp, List<Problem> out) {
        LoadBalancer lb = spec.cluster().loadBalancer();
        String type = lb.type().yaml();
        Ip vip = null;
        if (lb.vip().isEmpty()) {
            out.add(error("cluster.loadBalancer.vip", "loadBalancer.vip.required", type));
        } else if ((vip = Net.parseIp(lb.vip())) == null) {
            out.add(error("cluster.loadBalancer.vip", "loadBalancer.vip.invalid", Quote.of(lb.vip())));
        }
        if (lb.iface().isEmpty()) {
            out.add(error("cluster.loadBalancer.interface", "loadBalancer.interface.required", type));
        } else if (!INTERFACE.matcher(lb.iface()).matches()) {
            out.add(error("cluster.loadBalancer.interface", "loadBalancer.interface.invalid", Quote.of(lb.iface())));
        }
        if (lb.type() == LoadBalancerType.HAPROXY_KEEPALIVED && lb.port() == Defaults.API_SERVER_PORT) {
            out.add(error("cluster.loadBalancer.port", "loadBalancer.port.haproxy"));
        }
        if (lb.type() == LoadBalancerType.KUBE_VIP && lb.port() != Defaults.API_SERVER_PORT) {
            // kube-vip in ARP mode only moves the VIP to a healthy control plane; it forwards no port.
            out.add(error("cluster.loadBalancer.port", "loadBalancer.port.kubeVip"));
        }
        if (hp != null && !hp.host().isEmpty()) {
            if (Net.isIp(hp.host())) {
                if (vip != null && !Net.parseIp(hp.host()).equals(vip)) {
                    out.add(error("cluster.controlPlaneEndpoint", "endpoint.hostNotVip", hp.host(), lb.vip()));
                }
            } else {
                out.add(vip != null ? warning("cluster.controlPlaneEndpoint", "endpoint.mustResolveToVip", Quote.of(hp.host()), lb.vip())
                        : warning("cluster.controlPlaneEndpoint", "endpoint.mustResolve", Quote.of(hp.host())));
            }
            int port = hp.port() < 0 ? Defaults.API_SERVER_PORT : hp.port();
            if (port != lb.port()) {
                out.add(error("cluster.controlPlaneEndpoint", "endpoint.portNotLoadBalancer", port, lb.port()));
            }
        }
        if (vip == null) return;
        List<Ip> cpAddresses = new ArrayList<>();
        boolean familyReported = false;
        for (Host h : spec.hosts()) {
            Ip internal = Net.parseIp(h.internalAddress());
            if (vip.equals(internal) || vip.equals(Net.parseIp(h.address()))) {
                out.add(error("cluster.loadBalancer.vip", h.is(Role.CONTROL_PLANE) ? "loadBalancer.vip.isControlPlane"
                        : "loadBalancer.vip.isHost", lb.vip(), h.name()));
            }
            if (!h.is(Role.CONTROL_PLANE) || internal == null) continue;
            if (internal.bits() == vip.bits()) {
                cpAddresses.add(internal);
            } else if (!familyReported) {
                familyReported = true;
                out.add(error("cluster.loadBalancer.vip", "loadBalancer.vip.family", lb.vip(), vip.v4() ? 4 : 6, h.name(),
                        internal.v4() ? 4 : 6, h.internalAddress()));
            }
        }
        Cidr subnet = controlPlaneSubnet(cpAddresses);
        if (subnet != null && !subnet.contains(vip)) {
            out.add(error("cluster.loadBalancer.vip", "loadBalancer.vip.outsideSubnet", lb.vip(), subnet.normalized()));
        }
    }

    /**
     * The control planes' subnet as far as the answers tell: the smallest network holding every
     * control-plane address, but never narrower than /24 (IPv4) or /64 (IPv6), since host prefixes are
     * not part of the answers. A VIP outside it cannot be announced by ARP/VRRP on their segment.
     */
    static Cidr controlPlaneSubnet(List<Ip> addresses) {
        if (addresses.isEmpty()) return null;
        int bits = addresses.get(0).bits();
        int prefix = bits == 32 ? 24 : 64;
        for (Ip a : addresses) {
            while (prefix > 0 && !new Cidr(addresses.get(0), prefix).contains(a)) prefix--;
        }
        return new Cidr(addresses.get(0), prefix);
    }

    static void network(ClusterSpec spec, List<Problem> out) {
        Network n = spec.network();
        Cidr pod = cidr("network.podSubnet", n.podSubnet(), out);
        Cidr svc = cidr("network.serviceSubnet", n.serviceSubnet(), out);
        if (pod != null) {
            podSubnetNodeMask(spec, pod, out);
            if (n.cni() == Cni.FLANNEL && (!pod.base().v4() || pod.prefix() > 23)) {
                out.add(error("network.podSubnet", "network.podSubnet.flannel", n.podSubnet(),
                        Defaults.FLANNEL_POD_SUBNET));
            }
        }
        if (svc != null) {
            int minPrefix = svc.base().v4() ? 12 : 108;
            if (svc.prefix() < minPrefix) {
                out.add(error("network.serviceSubnet", "network.serviceSubnet.tooLarge", n.serviceSubnet(), minPrefix,
                        Defaults.SERVICE_SUBNET));
            }
        }
        if (pod != null && svc != null && pod.overlaps(svc)) {
            out.add(error("network.serviceSubnet", "network.serviceSubnet.overlapsPods", n.serviceSubnet(),
                    n.podSubnet()));
        }
        for (int i = 0; i < spec.hosts().size(); i++) {
            Host h = spec.hosts().get(i);
            Ip ip = Net.parseIp(h.internalAddress());
            if (ip == null) continue;
            String f = "hosts[" + i + "]." + (h.internalAddress().equals(h.address()) ? "address" : "internalAddress");
            if (pod != null && pod.contains(ip)) {
                out.add(error(f, "network.hostInPodSubnet", h.name(), h.internalAddress(), n.podSubnet()));
            }
            if (svc != null && svc.contains(ip)) {
                out.add(error(f, "network.hostInServiceSubnet", h.name(), h.internalAddress(), n.serviceSubnet()));
            }
        }
        Ip vip = Net.parseIp(spec.cluster().loadBalancer().vip());
        if (vip != null && spec.cluster().loadBalancer().type().managed()) {
            if ((pod != null && pod.contains(vip)) || (svc != null && svc.contains(vip))) {
                out.add(pod != null && pod.contains(vip)
                        ? error("cluster.loadBalancer.vip", "network.vipInPodSubnet", vip, n.podSubnet())
                        : error("cluster.loadBalancer.vip", "network.vipInServiceSubnet", vip, n.serviceSubnet()));
            }
        }
        if (!Net.isDnsSubdomain(n.dnsDomain())) {
            out.add(error("network.dnsDomain", "network.dnsDomain.invalid", Quote.of(n.dnsDomain())));
        }
        if (n.kubeProxyMode() == KubeProxyMode.DISABLED && n.cni() != Cni.CILIUM) {
            out.add(error("network.kubeProxyMode", "network.kubeProxyDisabled", n.cni().yaml()));
        }
        if (!n.cniVersion().isEmpty() && !CNI_VERSION.matcher(n.cniVersion()).matches()) {
            out.add(error("network.cniVersion", "network.cniVersion.invalid", Quote.of(n.cniVersion())));
        }
        if (n.cni() == Cni.NONE) {
            out.add(warning("network.cni", "network.noCni"));
        }
    }

    /**
     * kubeadm's own check (ValidatePodSubnetNodeMask): every node takes a /node-cidr-mask-size of the pod
     * subnet (24 for IPv4, 64 for IPv6, unless controllerManager.extraArgs sets it), so the pod subnet must
     * be at least that large and at most 16 bits larger (the controller-manager's allocation bitmap).
     */
    private static void podSubnetNodeMask(ClusterSpec spec, Cidr pod, List<Problem> out) {
        Map<String, String> args = spec.components().controllerManager().extraArgs();
        if ("false".equals(args.get("allocate-node-cidrs"))) return;
        int bits = pod.base().bits();
        String flag = bits == 32 ? "node-cidr-mask-size-ipv4" : "node-cidr-mask-size-ipv6";
        int nodeMask = bits == 32 ? 24 : 64;
        String set = args.get(flag);
        if (set != null) {
            nodeMask = set.matches("\\d{1,3}") ? Integer.parseInt(set) : -1;
            if (nodeMask < 1 || nodeMask > bits) {
                out.add(error("components.controllerManager.extraArgs." + flag, "network.nodeMask.invalid", Quote.of(set),
                        bits));
                return;
            }
        }
        String subnet = spec.network().podSubnet();
        if (pod.prefix() > nodeMask) {
            out.add(error("network.podSubnet", "network.podSubnet.tooSmall", subnet, nodeMask, flag));
        } else if (nodeMask - pod.prefix() > MAX_POD_SUBNET_NODE_MASK_DIFF) {
            out.add(error("network.podSubnet", "network.podSubnet.tooLarge", subnet, MAX_POD_SUBNET_NODE_MASK_DIFF, nodeMask,
                    flag, nodeMask - MAX_POD_SUBNET_NODE_MASK_DIFF));
        }
    }

    private static Cidr cidr(String field, String text, List<Problem> out) {
        Cidr c = Net.parseCidr(text);
        if (c == null) {
            out.add(error(field, "network.cidr.invalid", Quote.of(text)));
            return null;
        }
        if (!c.aligned()) {
            out.add(error(field, "network.cidr.hostBits", Quote.of(text), c.normalized()));
        }
        return c;
    }

    static void runtimeAndPki(ClusterSpec spec, List<Problem> out) {
        String sandbox = spec.runtime().sandboxImage();
        if (!sandbox.isEmpty() && !IMAGE.matcher(sandbox).matches()) {
            out.add(error("runtime.sandboxImage", "runtime.sandboxImage.invalid", Quote.of(sandbox)));
        }
        Pki p = spec.pki();
        var cert = GoDuration.parse(p.certificateValidity());
        var ca = GoDuration.parse(p.caCertificateValidity());
        if (cert == null) {
            out.add(error("pki.certificateValidity", "pki.certificateValidity.invalid", Quote.of(p.certificateValidity())));
        }
        if (ca == null) {
            out.add(error("pki.caCertificateValidity", "pki.caCertificateValidity.invalid",
                    Quote.of(p.caCertificateValidity())));
        }
        if (cert != null && ca != null && cert.compareTo(ca) > 0) {
            out.add(error("pki.certificateValidity", "pki.outlivesCa", p.certificateValidity(), p.caCertificateValidity()));
        }
        KubernetesVersion v = spec.version();
        if (v != null && !v.usesV1beta4() && (p.keyAlgorithm() != KeyAlgorithm.RSA_2048
                || !p.certificateValidity().equals(Defaults.CERTIFICATE_VALIDITY)
                || !p.caCertificateValidity().equals(Defaults.CA_CERTIFICATE_VALIDITY))
                && p.generatedBy() == PkiGeneratedBy.KUBEADM) {
            out.add(error("pki.generatedBy", "pki.kubeadmV1beta3", v.minorString()));
        }
        for (int i = 0; i < p.extraCertSANs().size(); i++) {
            String san = p.extraCertSANs().get(i);
            String name = san.startsWith("*.") ? san.substring(2) : san;
            if (!Net.isIp(san) && !Net.isHostName(name)) {
                out.add(error("pki.extraCertSANs[" + i + "]", "address.invalid", Quote.of(san)));
            }
        }
    }

    static void security(ClusterSpec spec, List<Problem> out) {
        KubernetesVersion v = spec.version();
        if (!spec.security().apiServer().anonymousAuth() && v != null && v.minor() < 32) {
            // --anonymous-auth=false alone breaks kubelet's apiserver probes and join discovery; limiting
            // anonymous access to those paths needs an AuthenticationConfiguration (beta in 1.32, KEP-4633).
            out.add(error("security.apiServer.anonymousAuth", "security.anonymousAuth", v.minorString()));
        }
        List<String> ns = spec.security().podSecurity().exemptNamespaces();
        for (int i = 0; i < ns.size(); i++) {
            if (!Net.isDnsLabel(ns.get(i))) {
                out.add(error("security.podSecurity.exemptNamespaces[" + i + "]", "security.exemptNamespace.invalid",
                        Quote.of(ns.get(i))));
            }
        }
    }

    static void components(ClusterSpec spec, List<Problem> out) {
        Components c = spec.components();
        BiConsumer<String, Component> check = (name, comp) -> {
            for (String arg : comp.extraArgs().keySet()) {
                if (arg.startsWith("-")) {
                    out.add(error("components." + name + ".extraArgs." + arg, "components.flag.dashes",
                            Quote.of(arg.replaceFirst("^-+", ""))));
                } else if (!FLAG.matcher(arg).matches()) {
                    out.add(error("components." + name + ".extraArgs." + arg, "components.flag.invalid", Quote.of(arg)));
                }
            }
            for (int i = 0; i < comp.extraVolumes().size(); i++) {
                Volume v = comp.extraVolumes().get(i);
                String f = "components." + name + ".extraVolumes[" + i + "]";
                if (v.name().isEmpty()) {
                    out.add(error(f + ".name", "components.volume.name.required"));
                } else if (!Net.isDnsLabel(v.name())) {
                    out.add(error(f + ".name", "components.volume.name.invalid", Quote.of(v.name())));
                }
                absolutePath(f, "hostPath", v.hostPath(), out);
                absolutePath(f, "mountPath", v.mountPath(), out);
                if (!PATH_TYPES.contains(v.pathType())) {
                    out.add(error(f + ".pathType", "components.volume.pathType.invalid", Quote.of(v.pathType())));
                }
            }
        };
        check.accept("apiServer", c.apiServer());
        check.accept("controllerManager", c.controllerManager());
        check.accept("scheduler", c.scheduler());
        check.accept("etcd", c.etcd());
        for (String reserved : List.of("apiVersion", "kind")) {
            if (c.kubelet().containsKey(reserved)) {
                out.add(error("components.kubelet." + reserved, "components.reserved"));
            }
            if (c.kubeProxy().containsKey(reserved)) {
                out.add(error("components.kubeProxy." + reserved, "components.reserved"));
            }
        }
        Object driver = c.kubelet().get("cgroupDriver");
        if (driver != null && !driver.equals(spec.runtime().cgroupDriver().yaml())) {
            out.add(error("components.kubelet.cgroupDriver", "components.kubelet.cgroupDriver", Quote.of(String.valueOf(driver)),
                    spec.runtime().cgroupDriver().yaml()));
        }
        Object mode = c.kubeProxy().get("mode");
        if (mode != null) {
            out.add(error("components.kubeProxy.mode", "components.kubeProxy.mode"));
        }
    }

    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^}]*)}");
    /** A registry as image names spell it: a host name, optionally with a port. */
    private static final Pattern REGISTRY = Pattern.compile("[a-z0-9]([-a-z0-9.]*[a-z0-9])?(:[0-9]{1,5})?");

    /** The {@code mirrors:} section (docs/answers.md "Mirrors"). */
    static void mirrors(ClusterSpec spec, List<Problem> out) {
        Mirrors m = spec.mirrors();
        RuntimeType runtime = spec.runtime().type();
        m.packages().forEach((source, pm) -> {
            String f = "mirrors.packages." + source.yaml();
            if (pm.deb().isEmpty() && pm.rpm().isEmpty()) out.add(error(f, "mirrors.packages.noUrl"));
            packageUrl(f + ".deb", pm.deb(), out);
            packageUrl(f + ".rpm", pm.rpm(), out);
            if (pm.key().isEmpty()) {
                out.add(error(f + ".key", "mirrors.packages.key.required"));
            } else if (Spec.isUrl(pm.key())) {
                packageUrl(f + ".key", pm.key(), out);
            } else {
                jumpHostFile(f + ".key", pm.key(), out);
            }
            sha256(f + ".keySha256", pm.keySha256(), pm.keyIsFile(), out);
            boolean used = switch (source) {
                case KUBERNETES -> true;
                case CRI_O -> runtime == RuntimeType.CRI_O;
                case DOCKER -> runtime != RuntimeType.CRI_O;
            };
            if (!used) out.add(warning(f, "mirrors.packages.unused", source.yaml(), runtime.yaml()));
        });
        if (!m.packages().isEmpty()) {
            List<PackageSource> needed = new ArrayList<>(List.of(PackageSource.KUBERNETES,
                    runtime == RuntimeType.CRI_O ? PackageSource.CRI_O : PackageSource.DOCKER));
            for (PackageSource source : needed) {
                if (m.packages(source) == null) {
                    out.add(warning("mirrors.packages", "mirrors.packages.public", source.yaml(), runtime.yaml()));
                }
            }
        }
        m.registries().forEach((registry, rm) -> {
            String f = "mirrors.registries." + registry;
            if (!REGISTRY.matcher(registry).matches()) out.add(error(f, "mirrors.registry.invalid", Quote.of(registry)));
            if (rm.endpoints().isEmpty()) out.add(error(f + ".endpoints", "mirrors.registry.endpoints.none", registry));
            for (int i = 0; i < rm.endpoints().size(); i++) {
                String e = rm.endpoints().get(i);
                String ef = f + ".endpoints[" + i + "]";
                if (!Spec.isUrl(e) || MirrorUrl.parse(e) == null) {
                    out.add(error(ef, "mirrors.registry.endpoint.invalid", Quote.of(e)));
                } else if (runtime == RuntimeType.DOCKER && registry.equals("docker.io") && !MirrorUrl.parse(e).path().isEmpty()) {
                    out.add(error(ef, "mirrors.registry.dockerPath", Quote.of(e)));
                }
            }
            if (!rm.ca().isEmpty()) jumpHostFile(f + ".ca", rm.ca(), out);
            else if (!rm.caSha256().isEmpty()) out.add(error(f + ".caSha256", "mirrors.sha256.withoutFile"));
            sha256(f + ".caSha256", rm.caSha256(), !rm.ca().isEmpty(), out);
        });
        Downloads d = m.downloads();
        if (!d.baseUrl().isEmpty()) packageUrl("mirrors.downloads.baseUrl", d.baseUrl(), out);
        List<Downloadables.Download> needed = Downloadables.of(spec);
        List<String> names = needed.stream().map(Downloadables.Download::name).toList();
        d.files().forEach((name, path) -> {
            String f = "mirrors.downloads.files." + name;
            if (!names.contains(name)) unknownDownload(f, name, names, out);
            else jumpHostFile(f, path, out);
        });
        d.sha256().forEach((name, hex) -> {
            String f = "mirrors.downloads.sha256." + name;
            if (!names.contains(name)) unknownDownload(f, name, names, out);
            else sha256(f, hex, true, out);
        });
        if (d.mirrored()) {
            // a download built for one machine may be left out when another machine's is given: the
            // nodes of the machine left out stop at that step with a message
            java.util.Set<Downloadables.Use> pinnedUses = new java.util.HashSet<>();
            for (Downloadables.Download dl : needed) if (d.sha256().containsKey(dl.name())) pinnedUses.add(dl.use());
            for (Downloadables.Download dl : needed) {
                boolean perMachine = !dl.machine().isEmpty();
                if (d.sha256().containsKey(dl.name()) || (perMachine && pinnedUses.contains(dl.use()))) continue;
                out.add(error("mirrors.downloads.sha256", "mirrors.downloads.sha256.missing", dl.name()));
            }
            if (d.baseUrl().isEmpty()) {
                for (Downloadables.Download dl : needed) {
                    if (d.sha256().containsKey(dl.name()) && !d.files().containsKey(dl.name())) {
                        out.add(error("mirrors.downloads.files", "mirrors.downloads.files.missing", dl.name()));
                    }
                }
            }
        }
    }

    private static void unknownDownload(String field, String name, List<String> names, List<Problem> out) {
        if (names.isEmpty()) out.add(error(field, "mirrors.downloads.unknownNone", Quote.of(name)));
        else out.add(error(field, "mirrors.downloads.unknown", Quote.of(name), String.join(", ", names)));
    }

    /** A package or download base URL: http(s), a host, no query; {@code {minor}} the only placeholder. */
    private static void packageUrl(String field, String url, List<Problem> out) {
        if (url.isEmpty()) return;
        java.util.regex.Matcher ph = PLACEHOLDER.matcher(url);
        while (ph.find()) {
            if (!ph.group(1).equals("minor")) {
                out.add(error(field, "mirrors.url.placeholder", Quote.of(url), Quote.of("{" + ph.group(1) + "}")));
                return;
            }
        }
        if (!Spec.isUrl(url) || MirrorUrl.parse(url.replace("{minor}", "v1.0")) == null) {
            out.add(error(field, "mirrors.url.invalid", Quote.of(url)));
        }
    }

    /** A file on the jump host: an absolute path or one under ~/ (whether it exists is the loader's check). */
    private static void jumpHostFile(String field, String path, List<Problem> out) {
        if (path.isBlank()) out.add(error(field, "mirrors.file.empty"));
        else if (!path.startsWith("/") && !path.startsWith("~/")) out.add(error(field, "mirrors.file.relative", Quote.of(path)));
    }

    private static void sha256(String field, String hex, boolean required, List<Problem> out) {
        if (hex.isEmpty()) {
            if (required) out.add(error(field, "mirrors.sha256.required"));
        } else if (!SHA256.matcher(hex).matches()) {
            out.add(error(field, "mirrors.sha256.invalid", Quote.of(hex)));
        }
    }

    /** {@code key} is hostPath (on the host) or mountPath (in the container). */
    private static void absolutePath(String volume, String key, String path, List<Problem> out) {
        String field = volume + "." + key;
        if (path.isEmpty()) {
            out.add(error(field, "components.volume." + key + ".required"));
        } else if (!path.startsWith("/")) {
            out.add(error(field, "components.volume." + key + ".relative", Quote.of(path)));
        }
    }

    private static Problem error(String field, String code, Object... args) {
        return Problem.coded(Problem.Severity.ERROR, field, code, args);
    }

    private static Problem warning(String field, String code, Object... args) {
        return Problem.coded(Problem.Severity.WARNING, field, code, args);
    }

    /** {@code f} is the field prefix: "ssh", or "" for a host's override (the caller prefixes it). */
    static void ssh(String f, Ssh ssh, List<Problem> out) {
        if (ssh.user() == null || !USER.matcher(ssh.user()).matches()) {
            out.add(error(f + ".user", "ssh.user.invalid", Quote.of(ssh.user())));
        }
        if (ssh.bastion() != null && !ssh.bastion().isEmpty()) {
            String b = ssh.bastion();
            int at = b.lastIndexOf('@');
            String user = at < 0 ? null : b.substring(0, at);
            HostPort hp = HostPort.parse(at < 0 ? b : b.substring(at + 1));
            if ((user != null && !USER.matcher(user).matches()) || hp.port() == -2
                    || (!Net.isIp(hp.host()) && !Net.isHostName(hp.host()))) {
                out.add(error(f + ".bastion", "ssh.bastion.invalid", Quote.of(b)));
            }
        }
        if (ssh.identityFile() != null && ssh.identityFile().isBlank()) {
            out.add(error(f + ".identityFile", "ssh.identityFile.empty"));
        }
        if (ssh.knownHostsFile() != null && ssh.knownHostsFile().isBlank()) {
            out.add(error(f + ".knownHostsFile", "ssh.knownHostsFile.empty", Defaults.SSH.knownHostsFile()));
        }
        if (ssh.become() == Become.NONE && ssh.user() != null && !ssh.user().equals("root")) {
            out.add(error(f + ".become", "ssh.become.sudo", Quote.of(ssh.user())));
        }
    }

}
