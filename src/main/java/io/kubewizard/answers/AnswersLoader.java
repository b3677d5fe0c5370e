package io.kubewizard.answers;

import io.kubewizard.answers.Problem.Location;
import io.kubewizard.answers.Spec.*;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads an answers file strictly: every problem (syntax, unknown keys, wrong types, rule
 * violations) is collected with its file:line:col, none is thrown. The result carries a spec with
 * defaults applied even when there are errors, so the wizard can open a half-right file.
 */
public final class AnswersLoader {
    private AnswersLoader() {}

    /** What loading produced: the spec (null only when the YAML could not be parsed) and every problem. */
    public record Result(ClusterSpec spec, List<Problem> problems) {
        public boolean hasErrors() { return problems.stream().anyMatch(Problem::isError); }
        public List<Problem> errors() { return problems.stream().filter(Problem::isError).toList(); }
        public List<Problem> warnings() { return problems.stream().filter(p -> !p.isError()).toList(); }
    }

    public static Result load(Path file) {
        String name = file.toString();
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(file))).toString();
        } catch (NoSuchFileException e) {
            return new Result(null, List.of(Problem.error("", "cannot read " + name + ": no such file")));
        } catch (CharacterCodingException e) {
            return new Result(null, List.of(Problem.error("", "cannot read " + name + ": not UTF-8 text")));
        } catch (IOException e) {
            return new Result(null, List.of(Problem.error("", "cannot read " + name + ": " + e.getMessage())));
        }
        return parse(name, text);
    }

    /** Parses answers text; {@code file} names it in messages. Validation rules run too. */
    public static Result parse(String file, String text) {
        YamlTree tree = new YamlTree(file);
        Node root;
        try {
            LoaderOptions options = new LoaderOptions();
            options.setAllowDuplicateKeys(false);
            options.setMaxAliasesForCollections(20);
            options.setCodePointLimit(16 * 1024 * 1024);
            root = new Yaml(options).compose(new StringReader(text));
        } catch (MarkedYAMLException e) {
            Location at = tree.loc(e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark());
            String what = e.getProblem() != null ? e.getProblem() : "malformed YAML";
            if (e.getContext() != null) what = e.getContext() + ": " + what;
            return new Result(null, List.of(Problem.error("", "malformed YAML: " + what.replace('\n', ' ')).at(at)));
        } catch (YAMLException e) {
            return new Result(null, List.of(Problem.error("", "malformed YAML: " + e.getMessage().replace('\n', ' '))
                    .at(new Location(file, 1, 1))));
        }
        if (root == null) {
            return new Result(null, List.of(Problem.error("", "the file is empty; an answers file needs at least "
                    + "cluster.name, cluster.kubernetesVersion and hosts").at(new Location(file, 1, 1))));
        }
        tree.locations.put("", tree.loc(root));
        ClusterSpec spec = read(tree, root);
        List<Problem> all = new ArrayList<>(tree.problems);
        if (spec != null) {
            for (Problem p : Validator.validate(spec)) {
                all.add(p.location() != null ? p : p.at(tree.locate(p.field())));
            }
        }
        all.sort(java.util.Comparator.comparing((Problem p) -> p.location() == null ? 0 : p.location().line())
                .thenComparing(p -> p.location() == null ? 0 : p.location().column()));
        return new Result(spec, List.copyOf(all));
    }

    private static ClusterSpec read(YamlTree tree, Node root) {
        YamlTree.Obj doc = tree.new Obj("", root);
        if (!(root instanceof org.yaml.snakeyaml.nodes.MappingNode)) return null;
        String apiVersion = doc.str("apiVersion", Spec.API_VERSION);
        if (!apiVersion.equals(Spec.API_VERSION)) {
            tree.error("apiVersion", doc.get("apiVersion"), "expected " + Spec.API_VERSION + ", got '" + apiVersion + "'");
        }
        String kind = doc.str("kind", Spec.KIND);
        if (!kind.equals(Spec.KIND)) tree.error("kind", doc.get("kind"), "expected " + Spec.KIND + ", got '" + kind + "'");

        YamlTree.Obj c = doc.obj("cluster");
        YamlTree.Obj lbo = c.obj("loadBalancer");
        LoadBalancer lb = new LoadBalancer(lbo.enumOf("type", LoadBalancerType.class, LoadBalancerType.NONE),
                lbo.str("vip", ""), lbo.str("interface", ""), lbo.integer("port", Defaults.API_SERVER_PORT, 1, 65535));
        lbo.done();
        Cluster cluster = new Cluster(c.str("name", Defaults.CLUSTER_NAME),
                c.str("kubernetesVersion", KubernetesVersion.DEFAULT),
                c.enumOf("topology", Topology.class, Topology.STACKED), c.str("controlPlaneEndpoint", ""), lb,
                c.str("imageRepository", Defaults.IMAGE_REPOSITORY), c.boolMap("featureGates"));
        c.done();

        YamlTree.Obj n = doc.obj("network");
        Cni cni = n.enumOf("cni", Cni.class, Cni.CALICO);
        Network network = new Network(cni, n.str("cniVersion", ""), n.str("podSubnet", Defaults.podSubnetFor(cni)),
                n.str("serviceSubnet", Defaults.SERVICE_SUBNET), n.str("dnsDomain", Defaults.DNS_DOMAIN),
                n.enumOf("kubeProxyMode", KubeProxyMode.class, KubeProxyMode.IPTABLES));
        n.done();

        YamlTree.Obj r = doc.obj("runtime");
        Spec.Runtime runtime = new Spec.Runtime(r.enumOf("type", RuntimeType.class, RuntimeType.CONTAINERD),
                r.enumOf("cgroupDriver", CgroupDriver.class, CgroupDriver.SYSTEMD), r.str("sandboxImage", ""));
        r.done();

        YamlTree.Obj p = doc.obj("pki");
        Pki pki = new Pki(p.enumOf("generatedBy", PkiGeneratedBy.class, PkiGeneratedBy.KUBEADM),
                p.enumOf("keyAlgorithm", KeyAlgorithm.class, KeyAlgorithm.RSA_2048),
                p.str("certificateValidity", Defaults.CERTIFICATE_VALIDITY),
                p.str("caCertificateValidity", Defaults.CA_CERTIFICATE_VALIDITY), p.strList("extraCertSANs", List.of()));
        p.done();

        YamlTree.Obj s = doc.obj("security");
        YamlTree.Obj ps = s.obj("podSecurity");
        PodSecurity podSecurity = new PodSecurity(
                ps.enumOf("enforce", PodSecurityLevel.class, PodSecurityLevel.BASELINE),
                ps.enumOf("audit", PodSecurityLevel.class, PodSecurityLevel.RESTRICTED),
                ps.enumOf("warn", PodSecurityLevel.class, PodSecurityLevel.RESTRICTED),
                ps.strList("exemptNamespaces", Defaults.EXEMPT_NAMESPACES));
        ps.done();
        YamlTree.Obj as = s.obj("apiServer");
        ApiServerSecurity apiSec = new ApiServerSecurity(as.bool("anonymousAuth", true), as.bool("auditLog", false));
        as.done();
        s.done();
        Security security = new Security(podSecurity, apiSec);

        YamlTree.Obj co = doc.obj("components");
        Components components = new Components(component(co.obj("apiServer"), true),
                component(co.obj("controllerManager"), true), component(co.obj("scheduler"), true),
                component(co.obj("etcd"), false), co.anyMap("kubelet"), co.anyMap("kubeProxy"));
        co.done();

        YamlTree.Obj so = doc.obj("ssh");
        Ssh ssh = Defaults.SSH.overriddenBy(ssh(so));

        List<Host> hosts = doc.list("hosts", item -> host(tree, item));
        if (!doc.has("hosts")) {
            tree.problems.add(Problem.error("hosts", "required: list at least one host with a name, an address and roles")
                    .at(tree.loc(root)));
        }
        doc.done();
        return new ClusterSpec(cluster, network, runtime, pki, security, components, ssh, hosts);
    }

    private static Component component(YamlTree.Obj o, boolean volumes) {
        Map<String, String> args = o.strMap("extraArgs");
        List<Volume> vols = volumes ? o.list("extraVolumes", item -> {
            YamlTree.Obj v = o.tree().new Obj(item.path(), item.node());
            Volume vol = new Volume(v.str("name", ""), v.str("hostPath", ""), v.str("mountPath", ""),
                    v.bool("readOnly", false), v.str("pathType", ""));
            v.done();
            return vol;
        }) : List.of();
        o.done();
        return new Component(args, vols);
    }

    private static Ssh ssh(YamlTree.Obj o) {
        Ssh out = new Ssh(o.get("user") == null ? null : o.str("user", null), o.optInteger("port", 1, 65535),
                o.get("identityFile") == null ? null : o.str("identityFile", null), o.optBool("useAgent"),
                o.get("bastion") == null ? null : o.str("bastion", null),
                o.get("knownHostsFile") == null ? null : o.str("knownHostsFile", null),
                o.get("become") == null ? null : o.enumOf("become", Become.class, null));
        o.done();
        return out;
    }

    private static Host host(YamlTree tree, YamlTree.Item item) {
        YamlTree.Obj h = tree.new Obj(item.path(), item.node());
        if (!(item.node() instanceof org.yaml.snakeyaml.nodes.MappingNode)) return null;
        String address = h.str("address", "");
        List<Role> roles = new ArrayList<>();
        h.list("roles", ri -> {
            Role role = tree.enumValue(ri.path(), ri.node(), Role.class, null);
            if (role != null && roles.contains(role)) tree.error(ri.path(), ri.node(), "role '" + role.yaml() + "' listed twice");
            else if (role != null) roles.add(role);
            return null;
        });
        Host host = new Host(h.str("name", ""), address, h.str("internalAddress", address), roles, h.str("zone", ""),
                h.strMap("labels"), h.strList("taints", List.of()), ssh(h.obj("ssh")));
        h.done();
        return host;
    }

    static Map<String, Object> ordered() { return new LinkedHashMap<>(); }
}
