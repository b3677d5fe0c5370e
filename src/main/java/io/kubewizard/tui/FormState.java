package io.kubewizard.tui;

import io.kubewizard.answers.Defaults;
import io.kubewizard.answers.KubernetesVersion;
import io.kubewizard.answers.Problem;
import io.kubewizard.answers.Spec.*;
import io.kubewizard.answers.Validator;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Everything the wizard's pages edit, as the user typed it. Pages read and write these fields; the
 * spec is built from them on demand ({@link #build}) and checked by {@link Validator}, so the wizard
 * has no validation rules of its own. The only checks here are the ones a spec cannot even hold: text
 * where a number belongs, lines that are not {@code name=value}, YAML that does not parse.
 * Not thread-safe: the GUI thread owns it.
 */
final class FormState {
    String clusterName;
    /** "1.35": the picker's minor; {@link #k8sPatch} completes it. */
    String k8sMinor;
    String k8sPatch;
    String endpoint;
    String imageRepository;
    /** One "Name=true|false" per line. */
    String featureGates;
    Topology topology;

    final List<Host> hosts = new ArrayList<>();
    /**
     * Hosts marked {@code remove: true}, each with that flag: they leave the cluster on the next
     * Install, and are written back so. Not part of the cluster's shape, so the validator never
     * counts them; "hosts[i]" always means {@link #hosts}' i-th.
     */
    final List<Host> removed = new ArrayList<>();
    Ssh ssh;

    RuntimeType runtime;
    CgroupDriver cgroupDriver;
    String sandboxImage;

    Cni cni;
    String cniVersion;
    String podSubnet;
    String serviceSubnet;
    String dnsDomain;
    KubeProxyMode kubeProxyMode;

    LoadBalancerType lbType;
    String vip;
    String iface;
    String lbPort;

    PkiGeneratedBy pkiGeneratedBy;
    KeyAlgorithm keyAlgorithm;
    String certificateValidity;
    String caCertificateValidity;
    /** Comma separated. */
    String extraCertSANs;
    PodSecurityLevel enforce;
    PodSecurityLevel audit;
    PodSecurityLevel warn;
    String exemptNamespaces;
    boolean anonymousAuth;
    boolean auditLog;

    /** "name=value" lines per control-plane component, in {@link #COMPONENTS} order. */
    final Map<String, String> extraArgs = new LinkedHashMap<>();
    /** The wizard has no editor for extraVolumes: a loaded file keeps its own. */
    final Map<String, List<Volume>> extraVolumes = new LinkedHashMap<>();
    String kubeletYaml;
    String kubeProxyYaml;

    static final List<String> COMPONENTS = List.of("apiServer", "controllerManager", "scheduler", "etcd");

    /** A spec built from the form, and what could not be put into it. */
    record Built(ClusterSpec spec, List<Problem> formProblems) {
        /** Form problems first (they explain why a value fell back), then the validator's. */
        List<Problem> problems(String... prefixes) {
            List<Problem> all = new ArrayList<>();
            for (Problem p : formProblems) if (matches(p, prefixes)) all.add(p);
            for (Problem p : Validator.validate(spec)) if (matches(p, prefixes)) all.add(p);
            return all;
        }

        private static boolean matches(Problem p, String... prefixes) {
            if (prefixes.length == 0) return true;
            for (String f : prefixes) {
                if (p.field().equals(f) || p.field().startsWith(f + ".") || p.field().startsWith(f + "[")) return true;
            }
            return false;
        }
    }

    /** The {@code mirrors} mapping as YAML text, as the Sources page edits it; "" for none. */
    String mirrorsYaml = "";
    /** {@code offline.directory}, the bundle on the jump host, as the Sources page edits it; "" for none. */
    String offlineDirectory = "";

    /** A new cluster: the defaults docs/answers.md gives and no hosts yet. */
    static FormState defaults() {
        FormState s = new FormState();
        s.load(new ClusterSpec(
                new Cluster(Defaults.CLUSTER_NAME, KubernetesVersion.DEFAULT, Topology.STACKED, "",
                        new LoadBalancer(LoadBalancerType.NONE, "", "", Defaults.API_SERVER_PORT),
                        Defaults.IMAGE_REPOSITORY, Map.of()),
                new Network(Cni.CALICO, "", Defaults.POD_SUBNET, Defaults.SERVICE_SUBNET, Defaults.DNS_DOMAIN,
                        KubeProxyMode.IPTABLES),
                new io.kubewizard.answers.Spec.Runtime(RuntimeType.CONTAINERD, CgroupDriver.SYSTEMD, ""),
                new Pki(PkiGeneratedBy.KUBEADM, KeyAlgorithm.RSA_2048, Defaults.CERTIFICATE_VALIDITY,
                        Defaults.CA_CERTIFICATE_VALIDITY, List.of()),
                new Security(new PodSecurity(PodSecurityLevel.BASELINE, PodSecurityLevel.RESTRICTED,
                        PodSecurityLevel.RESTRICTED, Defaults.EXEMPT_NAMESPACES), new ApiServerSecurity(true, false)),
                new Components(Component.empty(), Component.empty(), Component.empty(), Component.empty(),
                        Map.of(), Map.of()),
                Defaults.SSH, List.of()));
        return s;
    }

    static FormState of(ClusterSpec spec) {
        FormState s = new FormState();
        s.load(spec);
        return s;
    }

    /** Replaces every field with the spec's values. */
    void load(ClusterSpec spec) {
        mirrorsYaml = io.kubewizard.answers.AnswersWriter.mirrorsYaml(spec.mirrors());
        offlineDirectory = spec.offline().directory();
        Cluster c = spec.cluster();
        clusterName = c.name();
        KubernetesVersion v = KubernetesVersion.parse(c.kubernetesVersion());
        k8sMinor = v != null ? v.minorString() : KubernetesVersion.knownMinors().get(0);
        k8sPatch = v != null ? Integer.toString(v.patch()) : "0";
        endpoint = c.controlPlaneEndpoint();
        imageRepository = c.imageRepository();
        featureGates = lines(c.featureGates());
        topology = c.topology();
        hosts.clear();
        hosts.addAll(spec.hosts());
        removed.clear();
        removed.addAll(spec.removed());
        ssh = spec.ssh();
        runtime = spec.runtime().type();
        cgroupDriver = spec.runtime().cgroupDriver();
        sandboxImage = spec.runtime().sandboxImage();
        Network n = spec.network();
        cni = n.cni();
        cniVersion = n.cniVersion();
        podSubnet = n.podSubnet();
        serviceSubnet = n.serviceSubnet();
        dnsDomain = n.dnsDomain();
        kubeProxyMode = n.kubeProxyMode();
        LoadBalancer lb = c.loadBalancer();
        lbType = lb.type();
        vip = lb.vip();
        iface = lb.iface();
        lbPort = Integer.toString(lb.port());
        Pki p = spec.pki();
        pkiGeneratedBy = p.generatedBy();
        keyAlgorithm = p.keyAlgorithm();
        certificateValidity = p.certificateValidity();
        caCertificateValidity = p.caCertificateValidity();
        extraCertSANs = String.join(", ", p.extraCertSANs());
        PodSecurity ps = spec.security().podSecurity();
        enforce = ps.enforce();
        audit = ps.audit();
        warn = ps.warn();
        exemptNamespaces = String.join(", ", ps.exemptNamespaces());
        anonymousAuth = spec.security().apiServer().anonymousAuth();
        auditLog = spec.security().apiServer().auditLog();
        Components co = spec.components();
        List<Component> comps = List.of(co.apiServer(), co.controllerManager(), co.scheduler(), co.etcd());
        extraArgs.clear();
        extraVolumes.clear();
        for (int i = 0; i < COMPONENTS.size(); i++) {
            extraArgs.put(COMPONENTS.get(i), lines(comps.get(i).extraArgs()));
            extraVolumes.put(COMPONENTS.get(i), comps.get(i).extraVolumes());
        }
        kubeletYaml = yaml(co.kubelet());
        kubeProxyYaml = yaml(co.kubeProxy());
    }

    /** The same host with {@code remove: true} set or cleared. */
    static Host marked(Host h, boolean remove) {
        return new Host(h.name(), h.address(), h.internalAddress(), h.roles(), h.zone(), h.labels(), h.taints(), h.ssh(),
                remove);
    }

    String kubernetesVersion() { return k8sMinor + "." + k8sPatch.trim(); }

    /** The spec the form describes now, with the problems of fields that could not be read. */
    Built build() { return build(hosts, ssh); }

    /** As {@link #build()} with other hosts or SSH defaults: a dialog's answers, checked before they are kept. */
    Built build(List<Host> hostList, Ssh sshDefaults) {
        List<Problem> problems = new ArrayList<>();
        int port = number("cluster.loadBalancer.port", lbPort, Defaults.API_SERVER_PORT, problems);
        Map<String, Boolean> gates = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : pairs("cluster.featureGates", featureGates, problems).entrySet()) {
            String value = e.getValue().trim();
            if (value.equals("true") || value.equals("false")) {
                gates.put(e.getKey(), Boolean.parseBoolean(value));
            } else {
                problems.add(error("cluster.featureGates." + e.getKey(), "form.notBoolean", value));
            }
        }
        Cluster cluster = new Cluster(clusterName.trim(), kubernetesVersion(), topology, endpoint.trim(),
                new LoadBalancer(lbType, vip.trim(), iface.trim(), port), imageRepository.trim(), gates);
        Network network = new Network(cni, cniVersion.trim(), podSubnet.trim(), serviceSubnet.trim(),
                dnsDomain.trim(), kubeProxyMode);
        Pki pki = new Pki(pkiGeneratedBy, keyAlgorithm, certificateValidity.trim(), caCertificateValidity.trim(),
                list(extraCertSANs));
        Security security = new Security(new PodSecurity(enforce, audit, warn, list(exemptNamespaces)),
                new ApiServerSecurity(anonymousAuth, auditLog));
        List<Component> comps = new ArrayList<>();
        for (String name : COMPONENTS) {
            Map<String, String> args = pairs("components." + name + ".extraArgs", extraArgs.get(name), problems);
            comps.add(new Component(args, extraVolumes.getOrDefault(name, List.of())));
        }
        Components components = new Components(comps.get(0), comps.get(1), comps.get(2), comps.get(3),
                mapping("components.kubelet", kubeletYaml, problems),
                mapping("components.kubeProxy", kubeProxyYaml, problems));
        var mirrors = io.kubewizard.answers.AnswersLoader.parseMirrors("mirrors", mirrorsYaml);
        problems.addAll(mirrors.problems());
        ClusterSpec spec = new ClusterSpec(cluster, network, new io.kubewizard.answers.Spec.Runtime(runtime, cgroupDriver, sandboxImage.trim()),
                pki, security, components, sshDefaults, hostList, removed).withMirrors(mirrors.value());
        // the bundle is read as the loader reads a file's offline.directory: checked against this spec's version, runtime and CNI
        var offline = io.kubewizard.answers.AnswersLoader.readOffline(spec, offlineDirectory);
        problems.addAll(offline.problems());
        return new Built(spec.withOffline(offline.value()), problems);
    }

    private static final Messages ENGLISH = Messages.of(Locale.ENGLISH);

    /**
     * A problem of the form itself (text where a number belongs, a line that is not name=value): its
     * code is a key of the wizard's bundle, its message that key's English text, so the wizard shows
     * it in its own language as it does the validator's ({@link Messages#problems}).
     */
    static Problem error(String field, String code, String... args) {
        return new Problem(Problem.Severity.ERROR, field, ENGLISH.get(code, (Object[]) args), null, code, List.of(args));
    }

    /** A port, or the fallback with a problem when the text is none. */
    static int number(String field, String text, int fallback, List<Problem> problems) {
        String t = text.trim();
        if (t.matches("\\d{1,5}")) {
            int n = Integer.parseInt(t);
            if (n >= 1 && n <= 65535) return n;
        }
        problems.add(error(field, "form.notPort", t));
        return fallback;
    }

    /** "a, b c" → [a, b, c] */
    static List<String> list(String text) {
        List<String> out = new ArrayList<>();
        for (String part : text.split("[,\\s]+")) if (!part.isEmpty()) out.add(part);
        return out;
    }

    /** "name=value" lines in order; blank lines and lines starting with # are skipped. */
    static Map<String, String> pairs(String field, String text, List<Problem> problems) {
        Map<String, String> out = new LinkedHashMap<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].trim();
            if (line.isEmpty() || line.startsWith("#")) continue;
            int eq = line.indexOf('=');
            if (eq <= 0) {
                problems.add(error(field, "form.notPair", Integer.toString(i + 1), line));
                continue;
            }
            String name = line.substring(0, eq).trim();
            if (out.containsKey(name)) {
                problems.add(error(field + "." + name, "form.setTwice", Integer.toString(i + 1), name));
            }
            out.put(name, line.substring(eq + 1).trim());
        }
        return out;
    }

    /** A YAML mapping typed into a text box; empty text is an empty mapping. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> mapping(String field, String text, List<Problem> problems) {
        if (text.isBlank()) return Map.of();
        try {
            Object o = io.kubewizard.answers.YamlText.load(text);
            if (o == null) return Map.of();
            if (o instanceof Map<?, ?> m && m.keySet().stream().allMatch(k -> k instanceof String)) {
                return new LinkedHashMap<>((Map<String, Object>) m);
            }
            problems.add(error(field, "form.notMapping"));
        } catch (io.kubewizard.answers.YamlText.Malformed e) {
            if (e.line() > 0) {
                problems.add(error(field, "form.yamlAt", Integer.toString(e.line()), Integer.toString(e.column()), e.problem()));
            } else {
                problems.add(error(field, "form.notYaml", e.problem()));
            }
        }
        return Map.of();
    }

    private static String lines(Map<String, ?> map) {
        StringBuilder sb = new StringBuilder();
        map.forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
        return sb.toString();
    }

    private static String yaml(Map<String, Object> map) {
        return map.isEmpty() ? "" : io.kubewizard.render.Yaml.dump(map);
    }
}
