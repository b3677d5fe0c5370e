package io.kubewizard.answers;

import io.kubewizard.answers.Spec.*;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Represent;
import org.yaml.snakeyaml.representer.Representer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a spec as an answers file: every effective value, defaults included, in the order of
 * docs/answers.md, under a header pointing editors at the schema and naming the kubewizard that wrote it. Lists of plain strings are written
 * in flow style ({@code roles: [control-plane]}) so the file reads like the documentation.
 */
public final class AnswersWriter {
    private AnswersWriter() {}

    public static final String HEADER_PREFIX = "# Written by kubewizard";

    /**
     * The schema modeline ({@link AnswersSchema#MODELINE}), then who wrote the file. yaml-language-server
     * reads the modeline only as a comment of its own, so it comes first.
     */
    public static String header() {
        return AnswersSchema.MODELINE + "\n" + HEADER_PREFIX + " " + Version.current() + ". Every effective value is listed, defaults included.\n"
                + "# Secrets (passwords, tokens, keys) never go here: they are asked for or kept in the run directory.\n";
    }

    /** A list written in flow style. */
    static final class FlowList extends ArrayList<Object> {
        FlowList(List<?> items) { super(items); }
    }

    public static String toYaml(ClusterSpec spec) {
        return header() + yaml().dump(toMap(spec));
    }

    /**
     * The {@code mirrors} mapping alone, as the answers file writes it under its key (for the wizard's
     * Sources page, which edits it as text); "" when there are none.
     */
    public static String mirrorsYaml(Mirrors mirrors) {
        return mirrors.isEmpty() ? "" : yaml().dump(mirrors(mirrors));
    }

    private static Yaml yaml() {
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        // A string with a control character is written escaped in double quotes, never as !!binary,
        // which reads back as its base64 text.
        options.setNonPrintableStyle(DumperOptions.NonPrintableStyle.ESCAPE);
        options.setIndent(2);
        options.setIndicatorIndent(2);
        options.setIndentWithIndicator(true);
        options.setWidth(120);
        options.setSplitLines(false);
        Representer representer = new Representer(options) {
            {
                this.representers.put(FlowList.class, new Represent() {
                    @Override
                    public Node representData(Object data) {
                        return representSequence(Tag.SEQ, (FlowList) data, DumperOptions.FlowStyle.FLOW);
                    }
                });
            }
        };
        return new Yaml(representer, options);
    }

    /** Saves atomically: a temporary file beside the target, then a rename. */
    public static void save(ClusterSpec spec, Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
        try {
            Files.writeString(tmp, toYaml(spec), StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    static Map<String, Object> toMap(ClusterSpec s) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("apiVersion", Spec.API_VERSION);
        doc.put("kind", Spec.KIND);

        Cluster c = s.cluster();
        Map<String, Object> cluster = map(doc, "cluster");
        cluster.put("name", c.name());
        cluster.put("kubernetesVersion", c.kubernetesVersion());
        cluster.put("topology", c.topology().yaml());
        cluster.put("controlPlaneEndpoint", c.controlPlaneEndpoint());
        Map<String, Object> lb = map(cluster, "loadBalancer");
        lb.put("type", c.loadBalancer().type().yaml());
        lb.put("vip", c.loadBalancer().vip());
        lb.put("interface", c.loadBalancer().iface());
        lb.put("port", c.loadBalancer().port());
        cluster.put("imageRepository", c.imageRepository());
        cluster.put("featureGates", new LinkedHashMap<>(c.featureGates()));

        Network n = s.network();
        Map<String, Object> net = map(doc, "network");
        net.put("cni", n.cni().yaml());
        net.put("cniVersion", n.cniVersion());
        net.put("podSubnet", n.podSubnet());
        net.put("serviceSubnet", n.serviceSubnet());
        net.put("dnsDomain", n.dnsDomain());
        net.put("kubeProxyMode", n.kubeProxyMode().yaml());

        Map<String, Object> rt = map(doc, "runtime");
        rt.put("type", s.runtime().type().yaml());
        rt.put("cgroupDriver", s.runtime().cgroupDriver().yaml());
        rt.put("sandboxImage", s.runtime().sandboxImage());

        Pki p = s.pki();
        Map<String, Object> pki = map(doc, "pki");
        pki.put("generatedBy", p.generatedBy().yaml());
        pki.put("keyAlgorithm", p.keyAlgorithm().yaml());
        pki.put("certificateValidity", p.certificateValidity());
        pki.put("caCertificateValidity", p.caCertificateValidity());
        pki.put("extraCertSANs", new FlowList(p.extraCertSANs()));

        Map<String, Object> sec = map(doc, "security");
        PodSecurity ps = s.security().podSecurity();
        Map<String, Object> psa = map(sec, "podSecurity");
        psa.put("enforce", ps.enforce().yaml());
        psa.put("audit", ps.audit().yaml());
        psa.put("warn", ps.warn().yaml());
        psa.put("exemptNamespaces", new FlowList(ps.exemptNamespaces()));
        Map<String, Object> api = map(sec, "apiServer");
        api.put("anonymousAuth", s.security().apiServer().anonymousAuth());
        api.put("auditLog", s.security().apiServer().auditLog());

        Components co = s.components();
        Map<String, Object> comps = map(doc, "components");
        comps.put("apiServer", component(co.apiServer(), true));
        comps.put("controllerManager", component(co.controllerManager(), true));
        comps.put("scheduler", component(co.scheduler(), true));
        comps.put("etcd", component(co.etcd(), false));
        comps.put("kubelet", new LinkedHashMap<>(co.kubelet()));
        comps.put("kubeProxy", new LinkedHashMap<>(co.kubeProxy()));

        Map<String, Object> upgrade = new LinkedHashMap<>();
        upgrade.put("maxUnavailable", s.upgrade().maxUnavailable());
        doc.put("upgrade", upgrade);
        // Optional, and without defaults of its own: written only when the answers have it.
        if (!s.mirrors().isEmpty()) doc.put("mirrors", mirrors(s.mirrors()));
        if (s.offline().isSet()) doc.put("offline", new LinkedHashMap<>(Map.of("directory", s.offline().directory())));

        doc.put("ssh", ssh(s.ssh()));

        List<Object> hosts = new ArrayList<>();
        List<Host> all = new ArrayList<>(s.hosts());
        all.addAll(s.removed());
        for (Host h : all) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", h.name());
            m.put("address", h.address());
            m.put("internalAddress", h.internalAddress());
            m.put("roles", new FlowList(h.roles().stream().map(Role::yaml).toList()));
            m.put("zone", h.zone());
            m.put("labels", new LinkedHashMap<>(h.labels()));
            m.put("taints", new FlowList(h.taints()));
            m.put("ssh", ssh(h.ssh()));
            if (h.remove()) m.put("remove", true);
            hosts.add(m);
        }
        doc.put("hosts", hosts);
        return doc;
    }

    private static Map<String, Object> component(Component c, boolean volumes) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("extraArgs", new LinkedHashMap<>(c.extraArgs()));
        if (volumes) {
            List<Object> vols = new ArrayList<>();
            for (Volume v : c.extraVolumes()) {
                Map<String, Object> vm = new LinkedHashMap<>();
                vm.put("name", v.name());
                vm.put("hostPath", v.hostPath());
                vm.put("mountPath", v.mountPath());
                vm.put("readOnly", v.readOnly());
                if (!v.pathType().isEmpty()) vm.put("pathType", v.pathType());
                vols.add(vm);
            }
            m.put("extraVolumes", vols);
        }
        return m;
    }

    private static Map<String, Object> mirrors(Mirrors mirrors) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (!mirrors.packages().isEmpty()) {
            Map<String, Object> packages = map(m, "packages");
            mirrors.packages().forEach((source, pm) -> {
                Map<String, Object> p = map(packages, source.yaml());
                if (!pm.deb().isEmpty()) p.put("deb", pm.deb());
                if (!pm.rpm().isEmpty()) p.put("rpm", pm.rpm());
                if (!pm.key().isEmpty()) p.put("key", pm.key());
                if (!pm.keySha256().isEmpty()) p.put("keySha256", pm.keySha256());
            });
        }
        if (!mirrors.registries().isEmpty()) {
            Map<String, Object> registries = map(m, "registries");
            mirrors.registries().forEach((name, rm) -> {
                Map<String, Object> r = map(registries, name);
                r.put("endpoints", new ArrayList<>(rm.endpoints()));
                if (!rm.ca().isEmpty()) r.put("ca", rm.ca());
                if (!rm.caSha256().isEmpty()) r.put("caSha256", rm.caSha256());
            });
        }
        Downloads d = mirrors.downloads();
        if (!d.isEmpty()) {
            Map<String, Object> dm = map(m, "downloads");
            if (!d.baseUrl().isEmpty()) dm.put("baseUrl", d.baseUrl());
            if (!d.files().isEmpty()) dm.put("files", new LinkedHashMap<>(d.files()));
            if (!d.sha256().isEmpty()) dm.put("sha256", new LinkedHashMap<>(d.sha256()));
        }
        return m;
    }

    /** Writes only the fields that are set (a host's override), all of them for the file-wide block. */
    private static Map<String, Object> ssh(Ssh s) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (s.user() != null) m.put("user", s.user());
        if (s.port() != null) m.put("port", s.port());
        if (s.identityFile() != null) m.put("identityFile", s.identityFile());
        if (s.useAgent() != null) m.put("useAgent", s.useAgent());
        if (s.bastion() != null) m.put("bastion", s.bastion());
        if (s.knownHostsFile() != null) m.put("knownHostsFile", s.knownHostsFile());
        if (s.become() != null) m.put("become", s.become().yaml());
        return m;
    }

    private static Map<String, Object> map(Map<String, Object> parent, String key) {
        Map<String, Object> m = new LinkedHashMap<>();
        parent.put(key, m);
        return m;
    }
}
