package io.kubewizard.render;

import io.kubewizard.answers.Defaults;
import io.kubewizard.answers.Net;
import io.kubewizard.answers.Net.HostPort;
import io.kubewizard.answers.Spec.ClusterSpec;
import io.kubewizard.answers.Spec.Host;
import io.kubewizard.answers.Spec.LoadBalancer;
import io.kubewizard.answers.Spec.LoadBalancerType;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.kubewizard.render.Yaml.map;

/**
 * The control-plane load balancer kubewizard runs itself (cluster.loadBalancer.type kube-vip or
 * haproxy-keepalived), as static pods on the control-plane hosts (kubeadm ha-considerations).
 *
 * <p>haproxy + keepalived run as static pods ("Option 2"), not as OS services: kubelet starts them
 * during {@code kubeadm init} together with the API server, so the VIP answers as soon as the first
 * API server does, with no distro packages, no systemd units and the same image pipeline, logs and
 * lifecycle as the rest of the control plane.
 *
 * <p>Ordering the plan must respect: {@code kubeadm join} refuses a non-empty
 * {@code /etc/kubernetes/manifests} (preflight DirAvailable--etc-kubernetes-manifests; {@code init} only
 * checks its own four manifests). So the first control plane gets every file before init, while the
 * others get their configs before join and their manifests under {@link #MANIFESTS_DIR} after join;
 * the VIP is held by the first control plane meanwhile. With kube-vip the first control plane mounts
 * super-admin.conf during init, because admin.conf has no rights until kubeadm has created its RBAC
 * binding; after init the plan uploads {@link #kubeVipManifestAfterInit} over it.
 *
 * <p>The health checks (haproxy's backend check, keepalived's script) GET /healthz anonymously: with
 * security.apiServer.anonymousAuth false the API server must still let anonymous requests reach
 * /healthz, or every backend is marked down.
 */
public final class LoadBalancerConfig {
    private LoadBalancerConfig() {}

    /** Pinned, so every control plane runs the same bits; raise them deliberately, never float. */
    public static final String KUBE_VIP_IMAGE = "ghcr.io/kube-vip/kube-vip:v1.0.3";
    public static final String HAPROXY_IMAGE = "haproxy:3.2.25";
    /** The image the kubeadm guide uses; it reads its config from /usr/local/etc/keepalived. */
    public static final String KEEPALIVED_IMAGE = "osixia/keepalived:2.0.20";

    public static final String MANIFESTS_DIR = "/etc/kubernetes/manifests";
    public static final String KUBE_VIP_MANIFEST = MANIFESTS_DIR + "/kube-vip.yaml";
    public static final String HAPROXY_MANIFEST = MANIFESTS_DIR + "/haproxy.yaml";
    public static final String KEEPALIVED_MANIFEST = MANIFESTS_DIR + "/keepalived.yaml";
    public static final String HAPROXY_CFG = "/etc/haproxy/haproxy.cfg";
    public static final String KEEPALIVED_CONF = "/etc/keepalived/keepalived.conf";
    public static final String CHECK_SCRIPT = "/etc/keepalived/check_apiserver.sh";

    static final String ADMIN_CONF = "/etc/kubernetes/admin.conf";
    static final String SUPER_ADMIN_CONF = "/etc/kubernetes/super-admin.conf";

    static List<RenderedFile> files(ClusterSpec spec) {
        LoadBalancerType type = spec.cluster().loadBalancer().type();
        List<Host> cps = spec.controlPlanes();
        List<RenderedFile> out = new ArrayList<>();
        if (!type.managed() || cps.isEmpty()) return out;
        for (Host h : cps) {
            boolean first = h.name().equals(cps.get(0).name());
            if (type == LoadBalancerType.KUBE_VIP) {
                String kubeconfig = first && spec.version().hasSuperAdmin() ? SUPER_ADMIN_CONF : ADMIN_CONF;
                out.add(RenderedFile.of(h.name(), KUBE_VIP_MANIFEST, 0644, kubeVipManifest(spec, kubeconfig)));
            } else {
                String haproxy = haproxyCfg(spec);
                String keepalived = keepalivedConf(spec, h, first);
                String check = checkScript(spec);
                out.add(RenderedFile.of(h.name(), HAPROXY_CFG, 0644, haproxy));
                out.add(RenderedFile.of(h.name(), KEEPALIVED_CONF, 0644, keepalived));
                out.add(RenderedFile.of(h.name(), CHECK_SCRIPT, 0755, check));
                out.add(RenderedFile.of(h.name(), HAPROXY_MANIFEST, 0644, haproxyManifest(spec, haproxy)));
                out.add(RenderedFile.of(h.name(), KEEPALIVED_MANIFEST, 0644, keepalivedManifest(spec, keepalived + check)));
            }
        }
        return out;
    }

    /** The first control plane's kube-vip manifest once init is done: back to admin.conf, like the others. */
    public static String kubeVipManifestAfterInit(ClusterSpec spec) {
        return kubeVipManifest(spec, ADMIN_CONF);
    }

    static String kubeVipManifest(ClusterSpec spec, String kubeconfigOnHost) {
        LoadBalancer lb = spec.cluster().loadBalancer();
        List<Object> env = List.of(
                env("vip_arp", "true"),
                env("port", Integer.toString(lb.port())),
                env("vip_interface", lb.iface()),
                env("vip_cidr", isV6(lb.vip()) ? "128" : "32"),
                env("cp_enable", "true"),
                env("cp_namespace", "kube-system"),
                env("vip_leaderelection", "true"),
                env("vip_leaseduration", "5"),
                env("vip_renewdeadline", "3"),
                env("vip_retryperiod", "1"),
                env("address", lb.vip()));
        Map<String, Object> container = map(
                "name", "kube-vip",
                "image", Images.pulled(spec, KUBE_VIP_IMAGE),
                "imagePullPolicy", "IfNotPresent",
                "args", List.of("manager"),
                "env", env,
                "securityContext", map("capabilities", map("add", List.of("NET_ADMIN", "NET_RAW"))),
                "volumeMounts", List.of(map("name", "kubeconfig", "mountPath", ADMIN_CONF)));
        // kube-vip talks to the API server as https://kubernetes:<port>; on the host network that is
        // this node's own API server, which is up before the VIP is.
        Map<String, Object> podSpec = map(
                "containers", List.of(container),
                "hostAliases", List.of(map("ip", "127.0.0.1", "hostnames", List.of("kubernetes"))),
                "hostNetwork", true,
                "volumes", List.of(map("name", "kubeconfig",
                        "hostPath", map("path", kubeconfigOnHost, "type", "File"))));
        return Yaml.dump(pod("kube-vip", podSpec));
    }

    static String haproxyCfg(ClusterSpec spec) {
        LoadBalancer lb = spec.cluster().loadBalancer();
        StringBuilder sb = new StringBuilder();
        sb.append("# haproxy for cluster ").append(spec.cluster().name())
                .append(": spreads TCP connections to the VIP over every API server (TLS ends at the API servers).\n");
        sb.append("""
                global
                    # The container has no syslog socket: logs go to the pod's stdout.
                    log stdout format raw local0

                defaults
                    mode                    tcp
                    log                     global
                    option                  dontlognull
                    retries                 1
                    timeout connect         5s
                    # Watches, exec and logs -f hold connections open for long; don't cut them every few seconds.
                    timeout client          1h
                    timeout server          1h
                    timeout queue           20s
                    timeout check           10s

                frontend apiserver
                """);
        sb.append("    bind ").append(isV6(lb.vip()) ? ":::" + lb.port() + " v4v6" : "*:" + lb.port()).append('\n');
        sb.append("""
                    mode tcp
                    option tcplog
                    default_backend apiserverbackend

                backend apiserverbackend
                    option httpchk
                    http-check connect ssl
                    http-check send meth GET uri /healthz
                    http-check expect status 200
                    mode tcp
                    balance roundrobin
                """);
        for (Host cp : spec.controlPlanes()) {
            sb.append("    server ").append(cp.name()).append(' ')
                    .append(HostPort.format(cp.internalAddress(), Defaults.API_SERVER_PORT)).append(" check verify none\n");
        }
        return sb.toString();
    }

    static String keepalivedConf(ClusterSpec spec, Host self, boolean master) {
        LoadBalancer lb = spec.cluster().loadBalancer();
        String name = spec.cluster().name();
        StringBuilder sb = new StringBuilder();
        sb.append("! keepalived for cluster ").append(name)
                .append(": moves the VIP to a control plane whose API server answers.\n");
        sb.append("""
                global_defs {
                    router_id LVS_DEVEL
                    enable_script_security
                    script_user root
                }

                vrrp_script check_apiserver {
                    script "%s"
                    interval 3
                    weight -2
                    fall 10
                    rise 2
                }

                vrrp_instance VI_1 {
                """.formatted(CHECK_SCRIPT));
        sb.append("    state ").append(master ? "MASTER" : "BACKUP").append('\n');
        sb.append("    interface ").append(lb.iface()).append('\n');
        sb.append("    ! Derived from the cluster name, so two kubewizard clusters on one segment differ.\n");
        sb.append("    virtual_router_id ").append(virtualRouterId(name)).append('\n');
        sb.append("    priority ").append(master ? 101 : 100).append('\n');
        sb.append("    ! VRRP PASS authentication only keeps apart clusters that share a segment by mistake: the password\n");
        sb.append("    ! travels in clear text and follows from the cluster name, so it is no defence against anyone on the link.\n");
        sb.append("    authentication {\n");
        sb.append("        auth_type PASS\n");
        sb.append("        auth_pass ").append(vrrpAuthPass(name)).append('\n');
        sb.append("    }\n");
        sb.append("    ! Unicast, because many networks (clouds, some switches) drop VRRP multicast.\n");
        sb.append("    unicast_src_ip ").append(self.internalAddress()).append('\n');
        sb.append("    unicast_peer {\n");
        for (Host cp : spec.controlPlanes()) {
            if (!cp.equals(self)) sb.append("        ").append(cp.internalAddress()).append('\n');
        }
        sb.append("    }\n");
        sb.append("    virtual_ipaddress {\n");
        sb.append("        ").append(lb.vip()).append('\n');
        sb.append("    }\n");
        sb.append("    track_script {\n");
        sb.append("        check_apiserver\n");
        sb.append("    }\n");
        sb.append("}\n");
        return sb.toString();
    }

    static String checkScript(ClusterSpec spec) {
        LoadBalancer lb = spec.cluster().loadBalancer();
        String local = "https://" + HostPort.format("localhost", lb.port()) + "/healthz";
        String viaVip = "https://" + HostPort.format(lb.vip(), lb.port()) + "/healthz";
        return """
                #!/bin/sh
                # keepalived's health check: fails when haproxy (and the API servers behind it) cannot be
                # reached here, and on the VIP holder also when the VIP itself does not answer.

                errorExit() {
                    echo "*** $*" 1>&2
                    exit 1
                }

                curl -sfk --max-time 2 %1$s -o /dev/null || errorExit "Error GET %1$s"
                # A fixed-string match up to the slash, so that 10.0.0.10 never matches 10.0.0.100/32.
                if ip addr | grep -qF '%2$s/'; then
                    curl -sfk --max-time 2 %3$s -o /dev/null || errorExit "Error GET %3$s"
                fi
                """.formatted(local, lb.vip(), viaVip);
    }

    /**
     * The annotation that carries a hash of the files a static pod mounts: the kubelet restarts a
     * static pod only when its manifest changes, so a new configuration (a backend gone with a
     * control plane that left, a new peer) changes the manifest too and reaches the running pod.
     */
    static final String CONFIG_HASH = "kubewizard.io/config-sha256";

    static String haproxyManifest(ClusterSpec spec, String config) {
        // The kubeadm guide probes /healthz through haproxy, which restarts haproxy whenever the API
        // servers behind it are down (during init, for one) and cannot help them; probing that haproxy
        // still listens restarts it only when it is the one at fault.
        Map<String, Object> container = map(
                "name", "haproxy",
                "image", Images.pulled(spec, HAPROXY_IMAGE),
                "imagePullPolicy", "IfNotPresent",
                "livenessProbe", map(
                        "failureThreshold", 8,
                        "tcpSocket", map("host", "localhost", "port", spec.cluster().loadBalancer().port())),
                "volumeMounts", List.of(map("name", "haproxyconf",
                        "mountPath", "/usr/local/etc/haproxy/haproxy.cfg", "readOnly", true)));
        Map<String, Object> podSpec = map(
                "containers", List.of(container),
                "hostNetwork", true,
                "volumes", List.of(map("name", "haproxyconf",
                        "hostPath", map("path", HAPROXY_CFG, "type", "File"))));
        return Yaml.dump(pod("haproxy", podSpec, config));
    }

    static String keepalivedManifest(ClusterSpec spec, String config) {
        Map<String, Object> container = map(
                "name", "keepalived",
                "image", Images.pulled(spec, KEEPALIVED_IMAGE),
                "imagePullPolicy", "IfNotPresent",
                "securityContext", map("capabilities", map("add", List.of("NET_ADMIN", "NET_BROADCAST", "NET_RAW"))),
                "volumeMounts", List.of(
                        map("name", "config", "mountPath", "/usr/local/etc/keepalived/keepalived.conf", "readOnly", true),
                        map("name", "check", "mountPath", CHECK_SCRIPT, "readOnly", true)));
        Map<String, Object> podSpec = map(
                "containers", List.of(container),
                "hostNetwork", true,
                "volumes", List.of(
                        map("name", "config", "hostPath", map("path", KEEPALIVED_CONF, "type", "File")),
                        map("name", "check", "hostPath", map("path", CHECK_SCRIPT, "type", "File"))));
        return Yaml.dump(pod("keepalived", podSpec, config));
    }

    /**
     * VRRP's router id (1-255): SHA-256 of the cluster name, first two bytes, mod 255, plus 1. Every
     * control plane of a cluster agrees on it without talking; clusters sharing a segment collide only
     * by chance (1 in 255), and then unicast peers and the password still keep them apart.
     */
    static int virtualRouterId(String clusterName) {
        byte[] d = sha256("kubewizard/vrrp-id/" + clusterName);
        return (((d[0] & 0xff) << 8) | (d[1] & 0xff)) % 255 + 1;
    }

    /** 8 hex characters (VRRP PASS carries at most 8) from the cluster name. Not a secret: see keepalived.conf. */
    static String vrrpAuthPass(String clusterName) {
        byte[] d = sha256("kubewizard/vrrp-pass/" + clusterName);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 4; i++) sb.append(String.format("%02x", d[i] & 0xff));
        return sb.toString();
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private static Map<String, Object> pod(String name, Map<String, Object> podSpec) {
        return map("apiVersion", "v1", "kind", "Pod",
                "metadata", map("name", name, "namespace", "kube-system"),
                "spec", podSpec);
    }

    private static Map<String, Object> pod(String name, Map<String, Object> podSpec, String mounted) {
        return map("apiVersion", "v1", "kind", "Pod",
                "metadata", map("name", name, "namespace", "kube-system",
                        "annotations", map(CONFIG_HASH, java.util.HexFormat.of().formatHex(sha256(mounted)))),
                "spec", podSpec);
    }

    private static Map<String, Object> env(String name, String value) {
        return map("name", name, "value", value);
    }

    private static boolean isV6(String ip) {
        Net.Ip parsed = Net.parseIp(ip);
        return parsed != null && !parsed.v4();
    }
}
