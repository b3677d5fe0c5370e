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
    private static final Pattern USER = Pattern.compile("[a-z_][a-z0-9_.-]*\\$?");
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
            out.add(Problem.error("cluster.name", "'" + c.name() + "' is not a valid cluster name: use a DNS-1123 label "
                    + "(lowercase letters, digits and '-', starting and ending with a letter or digit, at most 63 characters)"));
        }
        KubernetesVersion v = KubernetesVersion.parse(c.kubernetesVersion());
        if (v == null) {
            out.add(Problem.error("cluster.kubernetesVersion", "'" + c.kubernetesVersion()
                    + "' is not a version of the form x.y.z, e.g. " + KubernetesVersion.DEFAULT + " (quote it in YAML)"));
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
            out.add(Problem.error("cluster.imageRepository", "'" + c.imageRepository()
                    + "' is not an image repository such as registry.k8s.io or registry.example.com/k8s"));
        }
        for (String gate : c.featureGates().keySet()) {
            if (!FEATURE_GATE.matcher(gate).matches()) {
                out.add(Problem.error("cluster.featureGates." + gate, "'" + gate
                        + "' is not a feature gate name (they are CamelCase, e.g. NodeSwap)"));
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
                out.add(Problem.error(f + ".name", "'" + h.name() + "' is not a valid node name: use lowercase "
                        + "letters, digits, '-' and '.' (a DNS-1123 subdomain)"));
            } else {
                unique(names, h.name(), i, f + ".name", "name", out);
            }
            if (h.address().isEmpty()) {
                out.add(Problem.error(f + ".address", "required: the IP address or DNS name SSH connects to"));
            } else if (!Net.isIp(h.address()) && !Net.isHostName(h.address())) {
                out.add(Problem.error(f + ".address", "'" + h.address() + "' is neither an IP address nor a DNS name"));
            } else {
                unique(addresses, h.address(), i, f + ".address", "address", out);
            }
            if (!h.internalAddress().isEmpty()) {
                if (!Net.isIp(h.internalAddress())) {
                    out.add(Problem.error(f + ".internalAddress", "'" + h.internalAddress()
                            + "' is not an IP address; the node IP must be one (set internalAddress when address is a DNS name)"));
                } else {
                    unique(internals, Net.parseIp(h.internalAddress()).toString(), i, f + ".internalAddress",
                            "internal address", out);
                }
            }
            if (h.roles().isEmpty()) {
                out.add(Problem.error(f + ".roles", "no roles: give one or more of control-plane, worker, etcd"));
            }
            if (h.is(Role.ETCD) && h.roles().size() > 1) {
                out.add(Problem.error(f + ".roles", "an etcd host carries no other role (external etcd members are dedicated hosts)"));
            }
            if (h.is(Role.ETCD) && spec.cluster().topology() != Topology.EXTERNAL_ETCD) {
                out.add(Problem.error(f + ".roles", "the etcd role needs cluster.topology: external-etcd "
                        + "(with stacked etcd every control plane runs its own member)"));
            }
            if (!h.zone().isEmpty() && !LABEL_VALUE.matcher(h.zone()).matches()) {
                out.add(Problem.error(f + ".zone", "'" + h.zone() + "' is not a valid label value"));
            }
            for (Map.Entry<String, String> l : h.labels().entrySet()) {
                if (!labelKey(l.getKey())) {
                    out.add(Problem.error(f + ".labels." + l.getKey(), "'" + l.getKey()
                            + "' is not a valid label key ([prefix/]name, name at most 63 characters)"));
                }
                if (!LABEL_VALUE.matcher(l.getValue()).matches()) {
                    out.add(Problem.error(f + ".labels." + l.getKey(), "'" + l.getValue() + "' is not a valid label value"));
                }
            }
            for (int t = 0; t < h.taints().size(); t++) {
                var m = TAINT.matcher(h.taints().get(t));
                if (!m.matches() || !labelKey(m.group(1)) || (m.group(3) != null && !LABEL_VALUE.matcher(m.group(3)).matches())) {
                    out.add(Problem.error(f + ".taints[" + t + "]", "'" + h.taints().get(t)
                            + "' is not a taint: write key[=value]:Effect, Effect one of NoSchedule, PreferNoSchedule, NoExecute"));
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

    private static boolean labelKey(String key) {
        int slash = key.indexOf('/');
        String name = slash < 0 ? key : key.substring(slash + 1);
        if (slash >= 0 && !Net.isDnsSubdomain(key.substring(0, slash))) return false;
        return !name.isEmpty() && LABEL_NAME.matcher(name).matches();
    }

    private static void unique(Map<String, Integer> seen, String value, int index, String field, String what, List<Problem> out) {
        Integer first = seen.putIfAbsent(value, index);
        if (first != null) {
            out.add(Problem.error(field, what + " '" + value + "' is already used by hosts[" + first + "]"));
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
                out.add(Problem.error("hosts", "external-etcd needs an odd number of etcd hosts (3, 5 or 7), found " + etcd));
            }
            if (cps < 3) {
                out.add(Problem.warning("hosts", "external-etcd with " + cps + " control plane" + (cps == 1 ? "" : "s")
                        + " keeps the API server a single point of failure: HA means 3 or more"));
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
            out.add(Problem.error("cluster.controlPlaneEndpoint", "'" + ep + "' is not host[:port] "
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
            out.add(Problem.error("cluster.loadBalancer.vip", "required with " + type + ": the virtual IP the control planes share"));
        } else if ((vip = Net.parseIp(lb.vip())) == null) {
            out.add(Problem.error("cluster.loadBalancer.vip", "'" + lb.vip() + "' is not an IP address"));
        }
        if (lb.iface().isEmpty()) {
            out.add(Problem.error("cluster.loadBalancer.interface", "required with " + type
                    + ": the network interface that carries the VIP, e.g. eth0"));
        } else if (!lb.iface().matches("[A-Za-z0-9_.:@-]{1,15}")) {
            out.add(Problem.error("cluster.loadBalancer.interface", "'" + lb.iface() + "' is not a network interface name"));
        }
        if (lb.type() == LoadBalancerType.HAPROXY_KEEPALIVED && lb.port() == Defaults.API_SERVER_PORT) {
            out.add(Problem.error("cluster.loadBalancer.port", "haproxy runs beside the API server on every control "
                    + "plane, which already listens on 6443: choose another port, e.g. 8443"));
        }
        if (hp != null && !hp.host().isEmpty()) {
            if (Net.isIp(hp.host())) {
                if (vip != null && !Net.parseIp(hp.host()).equals(vip)) {
                    out.add(Problem.error("cluster.controlPlaneEndpoint", "the endpoint host " + hp.host()
                            + " must be the load balancer's vip " + lb.vip()));
                }
            } else {
                out.add(Problem.warning("cluster.controlPlaneEndpoint", "'" + hp.host() + "' must resolve to the vip "
                        + lb.vip() + " on every node; kubewizard did not check it"));
            }
            int port = hp.port() < 0 ? Defaults.API_SERVER_PORT : hp.port();
            if (port != lb.port()) {
                out.add(Problem.error("cluster.controlPlaneEndpoint", "the endpoint port " + port
                        + " must be the load balancer's port " + lb.port()));
            }
        }
        if (vip == null) return;
        List<Ip> cpAddresses = new ArrayList<>();
        for (Host h : spec.controlPlanes()) {
            Ip ip = Net.parseIp(h.internalAddress());
            if (ip == null) continue;
            if (ip.equals(vip)) {
                out.add(Problem.error("cluster.loadBalancer.vip", "the vip " + lb.vip() + " is the address of control plane "
                        + h.name() + ": it must be a free address in their subnet"));
            }
            if (ip.bits() == vip.bits()) cpAddresses.add(ip);
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
            int max = pod.base().v4() ? 24 : 112;
            if (pod.prefix() > max) {
                out.add(Problem.error("network.podSubnet", n.podSubnet() + " is too small: every node takes a /" + max
                        + " from it (kube-controller-manager's node-cidr-mask-size), so use a prefix of /" + max + " or shorter"));
            }
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
            out.add(Problem.error("network.dnsDomain", "'" + n.dnsDomain() + "' is not a DNS domain such as cluster.local"));
        }
        if (n.kubeProxyMode() == KubeProxyMode.DISABLED && n.cni() != Cni.CILIUM) {
            out.add(Problem.error("network.kubeProxyMode", "disabled needs cni: cilium, which replaces kube-proxy; "
                    + n.cni().yaml() + " relies on kube-proxy for Services"));
        }
        if (!n.cniVersion().isEmpty() && !CNI_VERSION.matcher(n.cniVersion()).matches()) {
            out.add(Problem.error("network.cniVersion", "'" + n.cniVersion()
                    + "' is not a version like v3.29.1; leave it empty for the version kubewizard was tested with"));
        }
        if (n.cni() == Cni.NONE) {
            out.add(Problem.warning("network.cni", "no CNI: nodes stay NotReady until you install a network plugin yourself"));
        }
    }

    private static Cidr cidr(String field, String text, List<Problem> out) {
        Cidr c = Net.parseCidr(text);
        if (c == null) {
            out.add(Problem.error(field, "'" + text + "' is not a CIDR such as 10.96.0.0/12"));
            return null;
        }
        if (!c.aligned()) {
            out.add(Problem.error(field, "'" + text + "' has host bits set: did you mean " + c.normalized() + "?"));
        }
        return c;
    }

    static void runtimeAndPki(ClusterSpec spec, List<Problem> out) {
        String sandbox = spec.runtime().sandboxImage();
        if (!sandbox.isEmpty() && !IMAGE.matcher(sandbox).matches()) {
            out.add(Problem.error("runtime.sandboxImage", "'" + sandbox + "' is not an image reference such as "
                    + "registry.k8s.io/pause:3.10.1"));
        }
        Pki p = spec.pki();
        var cert = GoDuration.parse(p.certificateValidity());
        var ca = GoDuration.parse(p.caCertificateValidity());
        if (cert == null) {
            out.add(Problem.error("pki.certificateValidity", "'" + p.certificateValidity()
                    + "' is not a duration such as 8760h (hours, minutes, seconds: 1h30m)"));
        }
        if (ca == null) {
            out.add(Problem.error("pki.caCertificateValidity", "'" + p.caCertificateValidity()
                    + "' is not a duration such as 87600h (hours, minutes, seconds: 1h30m)"));
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
            out.add(Problem.error("pki.generatedBy", "kubeadm " + v.minorString() + " (config API v1beta3) cannot set the key "
                    + "algorithm or validity periods: use Kubernetes 1.31 or newer, or pki.generatedBy: kubewizard"));
        }
        for (int i = 0; i < p.extraCertSANs().size(); i++) {
            String san = p.extraCertSANs().get(i);
            String name = san.startsWith("*.") ? san.substring(2) : san;
            if (!Net.isIp(san) && !Net.isHostName(name)) {
                out.add(Problem.error("pki.extraCertSANs[" + i + "]", "'" + san + "' is neither an IP address nor a DNS name"));
            }
        }
    }

    static void security(ClusterSpec spec, List<Problem> out) {
        List<String> ns = spec.security().podSecurity().exemptNamespaces();
        for (int i = 0; i < ns.size(); i++) {
            if (!Net.isDnsLabel(ns.get(i))) {
                out.add(Problem.error("security.podSecurity.exemptNamespaces[" + i + "]", "'" + ns.get(i)
                        + "' is not a namespace name (a DNS-1123 label)"));
            }
        }
    }

    static void components(ClusterSpec spec, List<Problem> out) {
        Components c = spec.components();
        BiConsumer<String, Component> check = (name, comp) -> {
            for (String arg : comp.extraArgs().keySet()) {
                if (arg.startsWith("-")) {
                    out.add(Problem.error("components." + name + ".extraArgs." + arg, "write the flag name without dashes: '"
                            + arg.replaceFirst("^-+", "") + "'"));
                } else if (!arg.matches("[a-z0-9][a-z0-9.-]*")) {
                    out.add(Problem.error("components." + name + ".extraArgs." + arg, "'" + arg + "' is not a flag name"));
                }
            }
            for (int i = 0; i < comp.extraVolumes().size(); i++) {
                Volume v = comp.extraVolumes().get(i);
                String f = "components." + name + ".extraVolumes[" + i + "]";
                if (!Net.isDnsLabel(v.name())) out.add(Problem.error(f + ".name", "required: a volume name (a DNS-1123 label)"));
                if (!v.hostPath().startsWith("/")) out.add(Problem.error(f + ".hostPath", "required: an absolute path on the host"));
                if (!v.mountPath().startsWith("/")) out.add(Problem.error(f + ".mountPath", "required: an absolute path in the container"));
                if (!PATH_TYPES.contains(v.pathType())) {
                    out.add(Problem.error(f + ".pathType", "'" + v.pathType() + "' is not a hostPath type: use one of "
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
            out.add(Problem.error("components.kubelet.cgroupDriver", "'" + driver + "' differs from runtime.cgroupDriver "
                    + spec.runtime().cgroupDriver().yaml() + ": kubelet and the runtime must use the same driver; set runtime.cgroupDriver instead"));
        }
        Object mode = c.kubeProxy().get("mode");
        if (mode != null) {
            out.add(Problem.error("components.kubeProxy.mode", "set network.kubeProxyMode instead"));
        }
    }

    /** {@code f} is the field prefix: "ssh", or "" for a host's override (the caller prefixes it). */
    static void ssh(String f, Ssh ssh, List<Problem> out) {
        if (ssh.user() == null || !USER.matcher(ssh.user()).matches()) {
            out.add(Problem.error(f + ".user", "'" + ssh.user() + "' is not a user name"));
        }
        if (ssh.bastion() != null && !ssh.bastion().isEmpty()) {
            String b = ssh.bastion();
            int at = b.lastIndexOf('@');
            String user = at < 0 ? null : b.substring(0, at);
            HostPort hp = HostPort.parse(at < 0 ? b : b.substring(at + 1));
            if ((user != null && !USER.matcher(user).matches()) || hp.port() == -2
                    || (!Net.isIp(hp.host()) && !Net.isHostName(hp.host()))) {
                out.add(Problem.error(f + ".bastion", "'" + b + "' is not [user@]host[:port]"));
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
            out.add(Problem.error(f + ".become", "user '" + ssh.user() + "' is not root, so become must be sudo: "
                    + "kubeadm and package installs need root"));
        }
    }

}
