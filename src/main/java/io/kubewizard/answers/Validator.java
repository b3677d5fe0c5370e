package io.kubewizard.answers;

import io.kubewizard.answers.Net.Cidr;
import io.kubewizard.answers.Net.HostPort;
import io.kubewizard.answers.Net.Ip;
import io.kubewizard.answers.Spec.*;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;

/**
 * Every rule of ANSWERS.md, as small functions from a spec to problems. The same code serves
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
        endpoint(spec, out);
        network(spec, out);
        runtimeAndPki(spec, out);
        security(spec, out);
        components(spec, out);
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
            out.add(Problem.error("cluster.name", Quote.of(c.name()) + " is not a valid cluster name: use a DNS-1123 "
                    + "label (lowercase letters, digits and '-', starting and ending with a letter or digit, at most 63 "
                    + "characters)"));
        }
        KubernetesVersion v = KubernetesVersion.parse(c.kubernetesVersion());
        if (v == null) {
            out.add(Problem.error("cluster.kubernetesVersion", Quote.of(c.kubernetesVersion())
                    + " is not a version of the form x.y.z, e.g. " + KubernetesVersion.DEFAULT + " (quote it in YAML)"));
        } else if (v.support() == KubernetesVersion.Support.UNKNOWN) {
            out.add(Problem.error("cluster.kubernetesVersion", "kubewizard does not know Kubernetes " + v.minorString()
                    + ": it installs 1." + KubernetesVersion.OLDEST_MINOR + " to 1." + KubernetesVersion.NEWEST_MINOR
                    + " (maintained: 1." + KubernetesVersion.OLDEST_SUPPORTED_MINOR + " and newer)"));
        } else if (v.support() == KubernetesVersion.Support.OUT_OF_SUPPORT) {
            out.add(Problem.warning("cluster.kubernetesVersion", "Kubernetes " + v.minorString()
                    + " is out of support (maintained: 1." + KubernetesVersion.OLDEST_SUPPORTED_MINOR + " to 1."
                    + KubernetesVersion.NEWEST_MINOR + "); it is installed with the " + v.kubeadmApiVersion()
                    + " config API"));
        }
        if (!IMAGE.matcher(c.imageRepository()).matches()) {
            out.add(Problem.error("cluster.imageRepository", Quote.of(c.imageRepository())
                    + " is not an image repository such as registry.k8s.io or registry.example.com/k8s"));
        }
        for (String gate : c.featureGates().keySet()) {
            if (!FEATURE_GATE.matcher(gate).matches()) {
                out.add(Problem.error("cluster.featureGates." + gate, Quote.of(gate)
                        + " is not a feature gate name (they are CamelCase, e.g. NodeSwap)"));
            }
        }
    }

    static void hosts(ClusterSpec spec, List<Problem> out) {
        if (spec.hosts().isEmpty()) {
            out.add(Problem.error("hosts", "no hosts: list at least one control-plane host"));
            return;
        }
        Map<String, Integer> names = new HashMap<>();
        Map<String, Integer> addresses = new HashMap<>();
        Map<String, Integer> internals = new HashMap<>();
        for (int i = 0; i < spec.hosts().size(); i++) {
            Host h = spec.hosts().get(i);
            String f = "hosts[" + i + "]";
            if (h.name().isEmpty()) {
                out.add(Problem.error(f + ".name", "required: the node name"));
            } else if (!Net.isDnsSubdomain(h.name())) {
                out.add(Problem.error(f + ".name", Quote.of(h.name()) + " is not a valid node name: use lowercase "
                        + "letters, digits, '-' and '.' (a DNS-1123 subdomain)"));
            } else {
                unique(names, h.name(), h.name(), i, f + ".name", "name", out);
            }
            if (h.address().isEmpty()) {
                out.add(Problem.error(f + ".address", "required: the IP address or DNS name SSH connects to"));
            } else if (!Net.isIp(h.address()) && !Net.isHostName(h.address())) {
                out.add(Problem.error(f + ".address", Quote.of(h.address()) + " is neither an IP address nor a DNS name"));
            } else {
                unique(addresses, addressKey(h.address()), h.address(), i, f + ".address", "address", out);
            }
            // an internalAddress defaulted from a broken address would only repeat the address's problem
            boolean derivedFromBadAddress = h.internalAddress().equals(h.address())
                    && !Net.isIp(h.address()) && !Net.isHostName(h.address());
            if (!h.internalAddress().isEmpty() && !derivedFromBadAddress) {
                if (!Net.isIp(h.internalAddress())) {
                    out.add(Problem.error(f + ".internalAddress", Quote.of(h.internalAddress()) + " is not an IP "
                            + "address; the node IP must be one (set internalAddress when address is a DNS name)"));
                } else {
                    unique(internals, addressKey(h.internalAddress()), h.internalAddress(), i, f + ".internalAddress",
                            "internal address", out);
                }
            }
            if (h.roles().isEmpty()) {
                out.add(Problem.error(f + ".roles", "no roles: give one or more of control-plane, worker, etcd"));
            }
            if (h.is(Role.ETCD) && h.roles().size() > 1) {
                out.add(Problem.error(f + ".roles", "an etcd host carries no other role (external etcd members are "
                        + "dedicated hosts)"));
            }
            if (h.is(Role.ETCD) && spec.cluster().topology() != Topology.EXTERNAL_ETCD) {
                out.add(Problem.error(f + ".roles", "the etcd role needs cluster.topology: external-etcd "
                        + "(with stacked etcd every control plane runs its own member)"));
            }
            if (!h.zone().isEmpty() && !LABEL_VALUE.matcher(h.zone()).matches()) {
                out.add(Problem.error(f + ".zone", Quote.of(h.zone()) + " is not a valid label value"));
            }
            labels(h, f, out);
            for (int t = 0; t < h.taints().size(); t++) {
                var m = TAINT.matcher(h.taints().get(t));
                if (!m.matches() || !labelKey(m.group(1))
                        || (m.group(3) != null && !LABEL_VALUE.matcher(m.group(3)).matches())) {
                    out.add(Problem.error(f + ".taints[" + t + "]", Quote.of(h.taints().get(t)) + " is not a taint: "
                            + "write key[=value]:Effect, Effect one of NoSchedule, PreferNoSchedule, NoExecute"));
                }
            }
            if (!h.ssh().isEmpty()) {
                // only what the override adds: the file-wide ssh: problems are reported once, under ssh
                List<Problem> fileWide = new ArrayList<>();
                ssh("", spec.ssh(), fileWide);
                List<Problem> merged = new ArrayList<>();
                ssh("", spec.sshFor(h), merged);
                merged.removeAll(fileWide);
                for (Problem p : merged) out.add(Problem.error(f + ".ssh" + p.field(), p.message()));
            }
        }
    }

    private static void labels(Host h, String f, List<Problem> out) {
        for (Map.Entry<String, String> l : h.labels().entrySet()) {
            String key = l.getKey();
            String field = f + ".labels." + key;
            if (!labelKey(key)) {
                out.add(Problem.error(field, Quote.of(key) + " is not a valid label key ([prefix/]name, name at most "
                        + "63 characters)"));
            } else if (!kubeletMaySet(key)) {
                out.add(Problem.error(field, "kubelet may not set " + key + " on its own node (NodeRestriction allows "
                        + "it only kubelet.kubernetes.io/, node.kubernetes.io/ and a few well-known labels in the "
                        + "kubernetes.io and k8s.io namespaces): apply it with kubectl after the install instead, "
                        + "e.g. kubectl label node " + h.name() + " " + key + "=" + l.getValue()));
            } else if (key.equals(ZONE_LABEL) && !h.zone().isEmpty()) {
                out.add(Problem.error(field, "zone already sets " + ZONE_LABEL + ": keep one of the two"));
            }
            if (!LABEL_VALUE.matcher(l.getValue()).matches()) {
                out.add(Problem.error(field, Quote.of(l.getValue()) + " is not a valid label value"));
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
                               String what, List<Problem> out) {
        Integer first = seen.putIfAbsent(key, index);
        if (first != null) {
            out.add(Problem.error(field, what + " " + Quote.of(shown) + " is already used by hosts[" + first + "]"));
        }
    }

    static void topology(ClusterSpec spec, List<Problem> out) {
        if (spec.hosts().isEmpty()) return;
        int cps = spec.controlPlanes().size();
        int etcd = spec.etcdHosts().size();
        Topology topology = spec.cluster().topology();
        if (cps == 0) {
            out.add(Problem.error("hosts", "no control-plane host: give at least one host the control-plane role"));
            return;
        }
        if (topology == Topology.STACKED && cps == 2) {
            out.add(Problem.warning("hosts", "2 stacked control planes run 2 etcd members, which tolerate no failure: "
                    + "use 3 (or 1) for high availability"));
        } else if (cps > 2 && cps % 2 == 0 && topology == Topology.STACKED) {
            out.add(Problem.warning("hosts", cps + " stacked control planes run an even number of etcd members, which "
                    + "tolerate no more failures than " + (cps - 1) + ": an odd number is recommended"));
        }
        if (topology == Topology.EXTERNAL_ETCD) {
            if (etcd < 3 || etcd % 2 == 0) {
                out.add(Problem.error("hosts", "external-etcd needs an odd number of etcd hosts (3, 5 or 7), found "
                        + etcd));
            }
            if (cps == 1) {
                out.add(Problem.warning("hosts", "external-etcd with 1 control plane keeps the API server a single "
                        + "point of failure: HA means 3 or more control planes"));
            } else if (cps == 2) {
                out.add(Problem.warning("hosts", "external-etcd with 2 control planes falls short of HA, which means 3 "
                        + "or more control planes"));
            }
        }
        boolean anyWorker = spec.hosts().stream().anyMatch(h -> h.is(Role.WORKER));
        if (!anyWorker) {
            out.add(Problem.warning("hosts", "no host has the worker role, so the control planes keep their taint and "
                    + "ordinary pods will not schedule: add 'worker' to a control plane's roles to run workloads there"));
        }
    }

    static void endpoint(ClusterSpec spec, List<Problem> out) {
        Cluster c = spec.cluster();
        LoadBalancer lb = c.loadBalancer();
        int cps = spec.controlPlanes().size();
        String ep = c.controlPlaneEndpoint();
        HostPort hp = HostPort.parse(ep);
        if (ep.isEmpty()) {
            if (cps > 1) {
                out.add(Problem.error("cluster.controlPlaneEndpoint", "required with " + cps + " control planes: the "
                        + "load-balanced address all nodes use to reach the API server, e.g. api.example.com:6443"));
            } else if (lb.type() != LoadBalancerType.NONE) {
                out.add(Problem.error("cluster.controlPlaneEndpoint", "required with loadBalancer.type "
                        + lb.type().yaml() + ": the load balancer's address and port"));
            }
        } else if (hp.port() == -2 || hp.host().isEmpty() || (!Net.isIp(hp.host()) && !Net.isHostName(hp.host()))) {
            out.add(Problem.error("cluster.controlPlaneEndpoint", Quote.of(ep) + " is not host[:port] "
                    + "(an IP address or DNS name, then an optional port from 1 to 65535)"));
            hp = null;
        }
        if (lb.type().managed()) {
            managedLoadBalancer(spec, hp, out);
        } else if (!lb.vip().isEmpty() || !lb.iface().isEmpty()) {
            out.add(Problem.warning("cluster.loadBalancer", "vip and interface are used only by kube-vip and "
                    + "haproxy-keepalived; with type " + lb.type().yaml() + " they are ignored"));
        }
        if (cps > 1 && lb.type() == LoadBalancerType.NONE) {
            out.add(Problem.warning("cluster.loadBalancer.type", "type none with " + cps + " control planes: "
                    + "controlPlaneEndpoint must already be load balanced (use external, or let kubewizard run "
                    + "kube-vip or haproxy-keepalived)"));
        }
    }

    private static void managedLoadBalancer(ClusterSpec spec, HostPort hp, List<Problem> out) {
        LoadBalancer lb = spec.cluster().loadBalancer();
        String type = lb.type().yaml();
        Ip vip = null;
        if (lb.vip().isEmpty()) {
            out.add(Problem.error("cluster.loadBalancer.vip", "required with " + type
                    + ": the virtual IP the control planes share"));
        } else if ((vip = Net.parseIp(lb.vip())) == null) {
            out.add(Problem.error("cluster.loadBalancer.vip", Quote.of(lb.vip()) + " is not an IP address"));
        }
        if (lb.iface().isEmpty()) {
            out.add(Problem.error("cluster.loadBalancer.interface", "required with " + type
                    + ": the network interface that carries the VIP, e.g. eth0"));
        } else if (!INTERFACE.matcher(lb.iface()).matches()) {
            out.add(Problem.error("cluster.loadBalancer.interface", Quote.of(lb.iface())
                    + " is not a network interface name"));
        }
        if (lb.type() == LoadBalancerType.HAPROXY_KEEPALIVED && lb.port() == Defaults.API_SERVER_PORT) {
            out.add(Problem.error("cluster.loadBalancer.port", "haproxy runs beside the API server on every control "
                    + "plane, which already listens on 6443: choose another port, e.g. 8443"));
        }
        if (lb.type() == LoadBalancerType.KUBE_VIP && lb.port() != Defaults.API_SERVER_PORT) {
            // kube-vip in ARP mode only moves the VIP to a healthy control plane; it forwards no port.
            out.add(Problem.error("cluster.loadBalancer.port", "kube-vip moves the VIP to a control plane, where the API "
                    + "server listens on 6443: use port 6443 (haproxy-keepalived can serve another port)"));
        }
        if (hp != null && !hp.host().isEmpty()) {
            if (Net.isIp(hp.host())) {
                if (vip != null && !Net.parseIp(hp.host()).equals(vip)) {
                    out.add(Problem.error("cluster.controlPlaneEndpoint", "the endpoint host " + hp.host()
                            + " must be the load balancer's vip " + lb.vip()));
                }
            } else {
                out.add(Problem.warning("cluster.controlPlaneEndpoint", Quote.of(hp.host()) + " must resolve to the vip"
                        + (vip != null ? " " + lb.vip() : "") + " on every node; kubewizard did not check it"));
            }
            int port = hp.port() < 0 ? Defaults.API_SERVER_PORT : hp.port();
            if (port != lb.port()) {
                out.add(Problem.error("cluster.controlPlaneEndpoint", "the endpoint port " + port
                        + " must be the load balancer's port " + lb.port()));
            }
        }
        if (vip == null) return;
        List<Ip> cpAddresses = new ArrayList<>();
        boolean familyReported = false;
        for (Host h : spec.hosts()) {
            Ip internal = Net.parseIp(h.internalAddress());
            if (vip.equals(internal) || vip.equals(Net.parseIp(h.address()))) {
                out.add(Problem.error("cluster.loadBalancer.vip", "the vip " + lb.vip() + " is the address of "
                        + (h.is(Role.CONTROL_PLANE) ? "control plane " : "host ") + h.name()
                        + ": it must be a free address in the control planes' subnet"));
            }
            if (!h.is(Role.CONTROL_PLANE) || internal == null) continue;
            if (internal.bits() == vip.bits()) {
                cpAddresses.add(internal);
            } else if (!familyReported) {
                familyReported = true;
                out.add(Problem.error("cluster.loadBalancer.vip", "the vip " + lb.vip() + " is an IPv" + (vip.v4() ? 4 : 6)
                        + " address but control plane " + h.name() + " has IPv" + (internal.v4() ? 4 : 6) + " address "
                        + h.internalAddress() + ": the vip must lie in the control planes' subnet"));
            }
        }
        Cidr subnet = controlPlaneSubnet(cpAddresses);
        if (subnet != null && !subnet.contains(vip)) {
            out.add(Problem.error("cluster.loadBalancer.vip", "the vip " + lb.vip()
                    + " is not in the control planes' subnet " + subnet.normalized()));
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
                out.add(Problem.error("network.podSubnet", "flannel gives each node a /24 from an IPv4 network; "
                        + n.podSubnet() + " cannot carry that: use its default " + Defaults.FLANNEL_POD_SUBNET
                        + " or another IPv4 /23 or larger"));
            }
        }
        if (svc != null) {
            int minPrefix = svc.base().v4() ? 12 : 108;
            if (svc.prefix() < minPrefix) {
                out.add(Problem.error("network.serviceSubnet", n.serviceSubnet() + " is larger than kubeadm accepts: use a /"
                        + minPrefix + " or smaller (e.g. " + Defaults.SERVICE_SUBNET + ")"));
            }
        }
        if (pod != null && svc != null && pod.overlaps(svc)) {
            out.add(Problem.error("network.serviceSubnet", "service subnet " + n.serviceSubnet()
                    + " overlaps the pod subnet " + n.podSubnet()));
        }
        for (int i = 0; i < spec.hosts().size(); i++) {
            Host h = spec.hosts().get(i);
            Ip ip = Net.parseIp(h.internalAddress());
            if (ip == null) continue;
            String f = "hosts[" + i + "]." + (h.internalAddress().equals(h.address()) ? "address" : "internalAddress");
            if (pod != null && pod.contains(ip)) {
                out.add(Problem.error(f, h.name() + "'s address " + h.internalAddress() + " lies inside the pod subnet "
                        + n.podSubnet() + ": choose a pod subnet that no node uses"));
            }
            if (svc != null && svc.contains(ip)) {
                out.add(Problem.error(f, h.name() + "'s address " + h.internalAddress() + " lies inside the service subnet "
                        + n.serviceSubnet() + ": choose a service subnet that no node uses"));
            }
        }
        Ip vip = Net.parseIp(spec.cluster().loadBalancer().vip());
        if (vip != null && spec.cluster().loadBalancer().type().managed()) {
            if ((pod != null && pod.contains(vip)) || (svc != null && svc.contains(vip))) {
                out.add(Problem.error("cluster.loadBalancer.vip", "the vip " + vip + " lies inside the "
                        + (pod != null && pod.contains(vip) ? "pod subnet " + n.podSubnet() : "service subnet " + n.serviceSubnet())));
            }
        }
        if (!Net.isDnsSubdomain(n.dnsDomain())) {
            out.add(Problem.error("network.dnsDomain", Quote.of(n.dnsDomain()) + " is not a DNS domain such as cluster.local"));
        }
        if (n.kubeProxyMode() == KubeProxyMode.DISABLED && n.cni() != Cni.CILIUM) {
            out.add(Problem.error("network.kubeProxyMode", "disabled needs cni: cilium, which replaces kube-proxy; "
                    + n.cni().yaml() + " relies on kube-proxy for Services"));
        }
        if (!n.cniVersion().isEmpty() && !CNI_VERSION.matcher(n.cniVersion()).matches()) {
            out.add(Problem.error("network.cniVersion", Quote.of(n.cniVersion()) + " is not a version like v3.29.1; leave it empty for the version kubewizard was tested with"));
        }
        if (n.cni() == Cni.NONE) {
            out.add(Problem.warning("network.cni", "no CNI: nodes stay NotReady until you install a network plugin yourself"));
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
                out.add(Problem.error("components.controllerManager.extraArgs." + flag, Quote.of(set)
                        + " is not a prefix length from 1 to " + bits));
                return;
            }
        }
        String subnet = spec.network().podSubnet();
        if (pod.prefix() > nodeMask) {
            out.add(Problem.error("network.podSubnet", subnet + " is too small: every node takes a /" + nodeMask
                    + " from it (kube-controller-manager's " + flag + "), so use a prefix of /" + nodeMask
                    + " or shorter"));
        } else if (nodeMask - pod.prefix() > MAX_POD_SUBNET_NODE_MASK_DIFF) {
            out.add(Problem.error("network.podSubnet", subnet + " is too large: kubeadm allows at most "
                    + MAX_POD_SUBNET_NODE_MASK_DIFF + " bits between it and each node's /" + nodeMask + " (" + flag
                    + "), so use a prefix of /" + (nodeMask - MAX_POD_SUBNET_NODE_MASK_DIFF) + " or longer"));
        }
    }

    private static Cidr cidr(String field, String text, List<Problem> out) {
        Cidr c = Net.parseCidr(text);
        if (c == null) {
            out.add(Problem.error(field, Quote.of(text) + " is not a CIDR such as 10.96.0.0/12"));
            return null;
        }
        if (!c.aligned()) {
            out.add(Problem.error(field, Quote.of(text) + " has host bits set: did you mean " + c.normalized() + "?"));
        }
        return c;
    }

    static void runtimeAndPki(ClusterSpec spec, List<Problem> out) {
        String sandbox = spec.runtime().sandboxImage();
        if (!sandbox.isEmpty() && !IMAGE.matcher(sandbox).matches()) {
            out.add(Problem.error("runtime.sandboxImage", Quote.of(sandbox) + " is not an image reference such as "
                    + "registry.k8s.io/pause:3.10.1"));
        }
        Pki p = spec.pki();
        var cert = GoDuration.parse(p.certificateValidity());
        var ca = GoDuration.parse(p.caCertificateValidity());
        if (cert == null) {
            out.add(Problem.error("pki.certificateValidity", Quote.of(p.certificateValidity())
                    + " is not a duration such as 8760h (hours, minutes, seconds: 1h30m)"));
        }
        if (ca == null) {
            out.add(Problem.error("pki.caCertificateValidity", Quote.of(p.caCertificateValidity())
                    + " is not a duration such as 87600h (hours, minutes, seconds: 1h30m)"));
        }
        if (cert != null && ca != null && cert.compareTo(ca) > 0) {
            out.add(Problem.error("pki.certificateValidity", p.certificateValidity()
                    + " outlives the CA (" + p.caCertificateValidity() + "): a certificate cannot be valid after its CA"));
        }
        KubernetesVersion v = spec.version();
        if (v != null && !v.usesV1beta4() && (p.keyAlgorithm() != KeyAlgorithm.RSA_2048
                || !p.certificateValidity().equals(Defaults.CERTIFICATE_VALIDITY)
                || !p.caCertificateValidity().equals(Defaults.CA_CERTIFICATE_VALIDITY))
                && p.generatedBy() == PkiGeneratedBy.KUBEADM) {
            out.add(Problem.error("pki.generatedBy", "kubeadm " + v.minorString() + " (config API v1beta3) cannot set "
                    + "the key algorithm or validity periods: use Kubernetes 1.31 or newer, or pki.generatedBy: kubewizard"));
        }
        for (int i = 0; i < p.extraCertSANs().size(); i++) {
            String san = p.extraCertSANs().get(i);
            String name = san.startsWith("*.") ? san.substring(2) : san;
            if (!Net.isIp(san) && !Net.isHostName(name)) {
                out.add(Problem.error("pki.extraCertSANs[" + i + "]", Quote.of(san)
                        + " is neither an IP address nor a DNS name"));
            }
        }
    }

    static void security(ClusterSpec spec, List<Problem> out) {
        KubernetesVersion v = spec.version();
        if (!spec.security().apiServer().anonymousAuth() && v != null && v.minor() < 32) {
            // --anonymous-auth=false alone breaks kubelet's apiserver probes and join discovery; limiting
            // anonymous access to those paths needs an AuthenticationConfiguration (beta in 1.32, KEP-4633).
            out.add(Problem.error("security.apiServer.anonymousAuth", "false needs Kubernetes 1.32 or newer, which can "
                    + "keep anonymous access to the health checks and join discovery only; " + v.minorString()
                    + " would lose them"));
        }
        List<String> ns = spec.security().podSecurity().exemptNamespaces();
        for (int i = 0; i < ns.size(); i++) {
            if (!Net.isDnsLabel(ns.get(i))) {
                out.add(Problem.error("security.podSecurity.exemptNamespaces[" + i + "]", Quote.of(ns.get(i))
                        + " is not a namespace name (a DNS-1123 label)"));
            }
        }
    }

    static void components(ClusterSpec spec, List<Problem> out) {
        Components c = spec.components();
        BiConsumer<String, Component> check = (name, comp) -> {
            for (String arg : comp.extraArgs().keySet()) {
                if (arg.startsWith("-")) {
                    out.add(Problem.error("components." + name + ".extraArgs." + arg, "write the flag name without "
                            + "dashes: " + Quote.of(arg.replaceFirst("^-+", ""))));
                } else if (!FLAG.matcher(arg).matches()) {
                    out.add(Problem.error("components." + name + ".extraArgs." + arg, Quote.of(arg)
                            + " is not a flag name"));
                }
            }
            for (int i = 0; i < comp.extraVolumes().size(); i++) {
                Volume v = comp.extraVolumes().get(i);
                String f = "components." + name + ".extraVolumes[" + i + "]";
                if (v.name().isEmpty()) {
                    out.add(Problem.error(f + ".name", "required: a volume name (a DNS-1123 label)"));
                } else if (!Net.isDnsLabel(v.name())) {
                    out.add(Problem.error(f + ".name", Quote.of(v.name()) + " is not a volume name (a DNS-1123 label)"));
                }
                absolutePath(f + ".hostPath", v.hostPath(), "on the host", out);
                absolutePath(f + ".mountPath", v.mountPath(), "in the container", out);
                if (!PATH_TYPES.contains(v.pathType())) {
                    out.add(Problem.error(f + ".pathType", Quote.of(v.pathType()) + " is not a hostPath type: use one of "
                            + "DirectoryOrCreate, Directory, FileOrCreate, File, Socket, CharDevice, BlockDevice"));
                }
            }
        };
        check.accept("apiServer", c.apiServer());
        check.accept("controllerManager", c.controllerManager());
        check.accept("scheduler", c.scheduler());
        check.accept("etcd", c.etcd());
        for (String reserved : List.of("apiVersion", "kind")) {
            if (c.kubelet().containsKey(reserved)) {
                out.add(Problem.error("components.kubelet." + reserved, "set by kubewizard; leave it out"));
            }
            if (c.kubeProxy().containsKey(reserved)) {
                out.add(Problem.error("components.kubeProxy." + reserved, "set by kubewizard; leave it out"));
            }
        }
        Object driver = c.kubelet().get("cgroupDriver");
        if (driver != null && !driver.equals(spec.runtime().cgroupDriver().yaml())) {
            out.add(Problem.error("components.kubelet.cgroupDriver", Quote.of(String.valueOf(driver)) + " differs from runtime.cgroupDriver "
                    + spec.runtime().cgroupDriver().yaml() + ": kubelet and the runtime must use the same driver; set runtime.cgroupDriver instead"));
        }
        Object mode = c.kubeProxy().get("mode");
        if (mode != null) {
            out.add(Problem.error("components.kubeProxy.mode", "set network.kubeProxyMode instead"));
        }
    }

    private static void absolutePath(String field, String path, String where, List<Problem> out) {
        if (path.isEmpty()) {
            out.add(Problem.error(field, "required: an absolute path " + where));
        } else if (!path.startsWith("/")) {
            out.add(Problem.error(field, Quote.of(path) + " is not an absolute path " + where));
        }
    }

    /** {@code f} is the field prefix: "ssh", or "" for a host's override (the caller prefixes it). */
    static void ssh(String f, Ssh ssh, List<Problem> out) {
        if (ssh.user() == null || !USER.matcher(ssh.user()).matches()) {
            out.add(Problem.error(f + ".user", Quote.of(ssh.user()) + " is not a user name"));
        }
        if (ssh.bastion() != null && !ssh.bastion().isEmpty()) {
            String b = ssh.bastion();
            int at = b.lastIndexOf('@');
            String user = at < 0 ? null : b.substring(0, at);
            HostPort hp = HostPort.parse(at < 0 ? b : b.substring(at + 1));
            if ((user != null && !USER.matcher(user).matches()) || hp.port() == -2
                    || (!Net.isIp(hp.host()) && !Net.isHostName(hp.host()))) {
                out.add(Problem.error(f + ".bastion", Quote.of(b) + " is not [user@]host[:port]"));
            }
        }
        if (ssh.identityFile() != null && ssh.identityFile().isBlank()) {
            out.add(Problem.error(f + ".identityFile", "empty: give a key file, or remove the key to use the default"));
        }
        if (ssh.knownHostsFile() != null && ssh.knownHostsFile().isBlank()) {
            out.add(Problem.error(f + ".knownHostsFile", "empty: give a known_hosts file, or remove the key to use "
                    + Defaults.SSH.knownHostsFile()));
        }
        if (ssh.become() == Become.NONE && ssh.user() != null && !ssh.user().equals("root")) {
            out.add(Problem.error(f + ".become", "user " + Quote.of(ssh.user()) + " is not root, so become must be sudo: "
                    + "kubeadm and package installs need root"));
        }
    }

}
