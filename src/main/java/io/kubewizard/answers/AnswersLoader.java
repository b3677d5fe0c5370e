package io.kubewizard.answers;

import io.kubewizard.answers.Problem.Location;
import io.kubewizard.answers.Spec.*;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.composer.Composer;
import org.yaml.snakeyaml.composer.ComposerException;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.CollectionEndEvent;
import org.yaml.snakeyaml.events.CollectionStartEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.events.ScalarEvent;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.StreamReader;
import org.yaml.snakeyaml.resolver.Resolver;

import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads an answers file strictly: every problem (syntax, unknown keys, wrong types, rule
 * violations) is collected with its file:line:col, none is thrown. The result carries a spec with
 * defaults applied even when there are errors, so the wizard can open a half-right file.
 */
public final class AnswersLoader {
    private AnswersLoader() {}

    /** What loading produced: the spec (null when the file is no readable YAML mapping) and every problem. */
    public record Result(ClusterSpec spec, List<Problem> problems) {
        public boolean hasErrors() { return problems.stream().anyMatch(Problem::isError); }
        public List<Problem> errors() { return problems.stream().filter(Problem::isError).toList(); }
        public List<Problem> warnings() { return problems.stream().filter(p -> !p.isError()).toList(); }
    }

    /**
     * SnakeYAML's own cap on aliases to lists and mappings. Composing never expands an alias; what the
     * aliases repeat when read is bounded separately by {@link YamlTree#aliasAbuse}.
     */
    private static final int MAX_COLLECTION_ALIASES = 20;
    private static final int NESTING_LIMIT = new LoaderOptions().getNestingDepthLimit();
    private static final String SECOND_DOCUMENT = "expected a single document in the stream";

    public static Result load(Path file) {
        String name = file.toString();
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return failed(name, "loader.read.missing");
        } catch (IOException e) {
            return failed(name, "loader.read.failed", e.getMessage());
        }
        return load(name, bytes);
    }

    /** Reads answers from their bytes (UTF-8); {@code name} names them in messages (a built-in preset). */
    public static Result load(String name, byte[] bytes) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) result = decoder.flush(out);
        if (result.isError()) {
            String before = out.flip().toString();
            return new Result(null, List.of(error("loader.notUtf8", String.format("%02X", bytes[in.position()] & 0xff))
                    .at(YamlTree.locationOf(name, before, before.length()))));
        }
        return parse(name, out.flip().toString());
    }

    private static Result failed(String file, String code, Object... args) {
        return new Result(null, List.of(error(code, args).at(new Location(file, 1, 1))));
    }

    /** A problem with the whole file (no field), its text from {@code code}'s template. */
    private static Problem error(String code, Object... args) {
        return Problem.coded(Problem.Severity.ERROR, "", code, args);
    }

    /** Parses answers text; {@code file} names it in messages. Validation rules run too. */
    public static Result parse(String file, String text) {
        YamlTree tree = new YamlTree(file);
        int bad = YamlTree.firstNonPrintable(text);
        if (bad >= 0) {
            return new Result(null, List.of(error("loader.yaml.character", String.format("%04X", text.codePointAt(bad)))
                    .at(YamlTree.locationOf(file, text, bad))));
        }
        Node root;
        try {
            root = compose(text);
        } catch (ComposerException e) {
            if (SECOND_DOCUMENT.equals(e.getContext())) {
                return new Result(null, List.of(error("loader.yaml.secondDocument").at(tree.loc(e.getProblemMark()))));
            }
            return new Result(null, List.of(malformed(tree, e)));
        } catch (MarkedYAMLException e) {
            return new Result(null, List.of(malformed(tree, e)));
        } catch (YAMLException e) {
            String message = e.getMessage() == null ? "" : e.getMessage();
            if (message.startsWith("Number of aliases for non-scalar nodes")) {
                return new Result(null, List.of(error("loader.yaml.aliases", MAX_COLLECTION_ALIASES).at(overLimit(file, text, true))));
            }
            if (message.startsWith("Nesting Depth exceeded")) {
                return new Result(null, List.of(error("loader.yaml.nesting", NESTING_LIMIT).at(overLimit(file, text, false))));
            }
            return failed(file, "loader.yaml.malformed", e.getMessage() == null ? e.toString() : e.getMessage());
        }
        if (root == null) {
            return failed(file, "loader.empty");
        }
        // Only an anchored node can be aliased, and an anchor needs a '&': without one the graph is a
        // tree and the walk (a third of a large file's load time) has nothing to find.
        Problem abuse = text.indexOf('&') < 0 ? null : tree.aliasAbuse(root);
        if (abuse != null) return new Result(null, List.of(abuse));
        tree.locations.put("", tree.loc(root));
        ClusterSpec spec = read(tree, root);
        List<Problem> all = new ArrayList<>(tree.problems);
        if (spec != null) {
            Set<String> refused = new HashSet<>();
            for (Problem p : tree.problems) if (!p.field().isEmpty()) refused.add(p.field());
            for (Problem p : Validator.validate(spec)) {
                String field = tree.fileField(p.field());
                // a field the reader already refused holds its default now: a rule about it would only confuse
                if (refusedOrUnder(field, refused)) continue;
                all.add(p.under(field).at(tree.locate(field)));
            }
            all.addAll(missingFiles(tree, spec.mirrors(), refused));
            if (spec.offline().isSet() && !refusedOrUnder(BundleManifest.FIELD, refused)
                    && all.stream().noneMatch(Problem::isError)) {
                Section<Offline> bundle = BundleManifest.read(spec, spec.offline().directory());
                bundle.problems().forEach(p -> all.add(p.at(tree.locate(BundleManifest.FIELD))));
                spec = spec.withOffline(bundle.value());
            }
        }
        all.sort(Comparator.comparing((Problem p) -> p.location().line()).thenComparing(p -> p.location().column()));
        return new Result(spec, List.copyOf(all));
    }

    /** A problem for each jump-host file the mirrors name that is not there, beside fields already refused. */
    private static List<Problem> missingFiles(YamlTree tree, Mirrors mirrors, Set<String> refused) {
        List<Problem> out = new ArrayList<>();
        for (var f : jumpHostFiles(mirrors).entrySet()) {
            if (refusedOrUnder(f.getKey(), refused) || isRegularFile(f.getValue())) continue;
            out.add(Problem.coded(Problem.Severity.ERROR, f.getKey(), "loader.mirrors.fileMissing", f.getValue())
                    .at(tree.locate(f.getKey())));
        }
        return out;
    }

    /**
     * The files on the jump host the mirrors name, by field: the only answers that name files the
     * rules cannot check without I/O. Paths the rules refuse (relative, empty) are left to them.
     */
    static Map<String, String> jumpHostFiles(Mirrors m) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        m.packages().forEach((source, pm) -> {
            if (pm.keyIsFile()) out.put("mirrors.packages." + source.yaml() + ".key", pm.key());
        });
        m.registries().forEach((name, rm) -> {
            if (!rm.ca().isEmpty()) out.put("mirrors.registries." + name + ".ca", rm.ca());
        });
        m.downloads().files().forEach((name, path) -> out.put("mirrors.downloads.files." + name, path));
        out.values().removeIf(path -> !path.startsWith("/") && !path.startsWith("~/"));
        return out;
    }

    /** A jump-host path of the answers ("~/" is the user's home) as a path of this machine. */
    public static Path jumpHostPath(String path) {
        return path.startsWith("~/") ? Path.of(System.getProperty("user.home"), path.substring(2)) : Path.of(path);
    }

    private static boolean isRegularFile(String path) {
        try {
            return Files.isRegularFile(jumpHostPath(path));
        } catch (java.nio.file.InvalidPathException e) {
            return false;
        }
    }

    /** Whether a field or one of its parents ("hosts[3]" for "hosts[3].roles") is among the refused fields. */
    private static boolean refusedOrUnder(String field, Set<String> refused) {
        String p = field;
        while (!p.isEmpty()) {
            if (refused.contains(p)) return true;
            p = p.substring(0, Math.max(0, Math.max(p.lastIndexOf('.'), p.lastIndexOf('['))));
        }
        return false;
    }

    /**
     * What {@code new Yaml(options()).compose(text)} does, without building a Yaml: its object
     * constructor, which composing never uses, starts the JDK's logging on first use (SnakeYAML's
     * TypeDescription has a logger), about 15 ms of every command that reads an answers file.
     */
    private static Node compose(String text) {
        LoaderOptions options = options();
        return new Composer(new ParserImpl(new StreamReader(new StringReader(text)), options), new Resolver(), options)
                .getSingleNode();
    }

    private static LoaderOptions options() {
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(MAX_COLLECTION_ALIASES);
        options.setCodePointLimit(16 * 1024 * 1024);
        return options;
    }

    /**
     * SnakeYAML's message and where it stands. A problem found at the end of the file ("found
     * unexpected end of stream") is shown where the unfinished construct began, e.g. the opening quote.
     */
    private static Problem malformed(YamlTree tree, MarkedYAMLException e) {
        String problem = e.getProblem() != null ? e.getProblem() : "malformed YAML";
        boolean atEnd = problem.contains("end of stream") && e.getContextMark() != null;
        Mark mark = atEnd || e.getProblemMark() == null ? e.getContextMark() : e.getProblemMark();
        String what = e.getContext() != null ? e.getContext() + ": " + problem : problem;
        Location at = mark != null ? tree.loc(mark) : new Location(tree.file, 1, 1);
        return error("loader.yaml.malformed", what.replace('\n', ' ')).at(at);
    }

    /** SnakeYAML's alias and nesting limits name no place; the events tell which alias or list went over. */
    private static Location overLimit(String file, String text, boolean aliases) {
        Set<String> collections = new HashSet<>();
        int count = 0;
        int depth = 0;
        try {
            for (Event event : new Yaml(options()).parse(new StringReader(text))) {
                Mark at = null;
                if (event instanceof CollectionStartEvent c) {
                    if (c.getAnchor() != null) collections.add(c.getAnchor());
                    // SnakeYAML does not count the document's own mapping
                    if (!aliases && ++depth > NESTING_LIMIT + 1) at = c.getStartMark();
                } else if (event instanceof CollectionEndEvent) {
                    depth--;
                } else if (event instanceof ScalarEvent s && s.getAnchor() != null) {
                    collections.remove(s.getAnchor());
                } else if (aliases && event instanceof AliasEvent a && collections.contains(a.getAnchor())
                        && ++count > MAX_COLLECTION_ALIASES) {
                    at = a.getStartMark();
                }
                if (at != null) return new Location(file, at.getLine() + 1, at.getColumn() + 1);
            }
        } catch (YAMLException e) {
            // composing already failed on the limit; a later syntax error only loses the position
        }
        return new Location(file, 1, 1);
    }

    /**
     * Reads the document; every key, type and default of the answers file is here and only here
     * (AnswersShape records this same reader to make the JSON Schema and the reference in docs/answers.md).
     */
    static ClusterSpec read(YamlTree tree, Node root) {
        if (!(root instanceof MappingNode)) {
            tree.expected("", root, "root");
            return null;
        }
        YamlTree.Obj doc = tree.new Obj("", root);
        doc.constant("apiVersion", Spec.API_VERSION, "loader.apiVersion");
        doc.constant("kind", Spec.KIND, "loader.kind");

        // read in docs/answers.md order: "unknown key" messages list the known keys in the order they were asked for
        YamlTree.Obj c = doc.obj("cluster");
        String name = c.str("name", Defaults.CLUSTER_NAME);
        String version = c.str("kubernetesVersion", KubernetesVersion.DEFAULT);
        Topology topology = c.enumOf("topology", Topology.class, Topology.STACKED);
        String endpoint = c.str("controlPlaneEndpoint", "");
        YamlTree.Obj lbo = c.obj("loadBalancer");
        LoadBalancer lb = new LoadBalancer(lbo.enumOf("type", LoadBalancerType.class, LoadBalancerType.NONE),
                lbo.str("vip", ""), lbo.str("interface", ""), lbo.integer("port", Defaults.API_SERVER_PORT, 1, 65535));
        lbo.done();
        Cluster cluster = new Cluster(name, version, topology, endpoint, lb,
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

        YamlTree.Obj uo = doc.obj("upgrade");
        Upgrade upgrade = new Upgrade(uo.integer("maxUnavailable", Upgrade.DEFAULT.maxUnavailable(), 1, 1000));
        uo.done();

        Mirrors mirrors = mirrors(doc.obj("mirrors"));

        YamlTree.Obj oo = doc.obj("offline");
        Offline offline = new Offline(oo.str("directory", ""), List.of());
        oo.done();

        YamlTree.Obj so = doc.obj("ssh");
        Ssh ssh = ssh(so, Defaults.SSH);

        // A host marked remove: true is kept aside: it is no part of the cluster's shape any more. Left
        // out of the list the way an unreadable one is, so the others' problems still name their lines.
        List<Host> removed = new ArrayList<>();
        List<Host> hosts = doc.list("hosts", item -> {
            Host h = host(tree, item);
            if (h != null && h.remove()) {
                removed.add(h);
                return null;
            }
            return h;
        });
        doc.done();
        return new ClusterSpec(cluster, network, runtime, pki, security, components, ssh, hosts, removed, upgrade, mirrors,
                offline);
    }

    /** One section of the answers read on its own: its value (never null) and its problems. */
    public record Section<T>(T value, List<Problem> problems) {
        public Section {
            problems = List.copyOf(problems);
        }
    }

    /**
     * The bundle of {@code directory} for {@code spec}, as a file's {@code offline.directory} is read
     * (the wizard's Sources page edits it): its files, or none and the problems, field
     * {@code offline.directory}. Blank is no bundle.
     */
    public static Section<Offline> readOffline(ClusterSpec spec, String directory) {
        if (directory.isBlank()) return new Section<>(Offline.NONE, List.of());
        return BundleManifest.read(spec, directory.trim());
    }

    /**
     * The {@code mirrors} mapping typed on its own (the wizard's Sources page): read as the loader
     * reads it in a file, its problems' fields under {@code mirrors.}, their lines and columns those of
     * {@code text}. Blank text is no mirrors; text that is not YAML is no mirrors and one problem.
     */
    public static Section<Mirrors> parseMirrors(String file, String text) {
        if (text.isBlank()) return new Section<>(Mirrors.NONE, List.of());
        YamlTree tree = new YamlTree(file);
        Node root;
        try {
            root = compose(text);
        } catch (MarkedYAMLException e) {
            return new Section<>(Mirrors.NONE, List.of(malformed(tree, e).under("mirrors")));
        } catch (YAMLException e) {
            return new Section<>(Mirrors.NONE, List.of(Problem.coded(Problem.Severity.ERROR, "mirrors", "loader.yaml.malformed",
                    e.getMessage() == null ? e.toString() : e.getMessage()).at(new Location(file, 1, 1))));
        }
        if (root == null) return new Section<>(Mirrors.NONE, List.of());
        Mirrors m = mirrors(tree.new Obj("mirrors", root));
        List<Problem> all = new ArrayList<>(tree.problems);
        Set<String> refused = new HashSet<>();
        for (Problem p : tree.problems) if (!p.field().isEmpty()) refused.add(p.field());
        all.addAll(missingFiles(tree, m, refused));
        return new Section<>(tree.problems.stream().anyMatch(Problem::isError) ? Mirrors.NONE : m, all);
    }

    private static Mirrors mirrors(YamlTree.Obj m) {
        YamlTree.Obj po = m.obj("packages");
        Map<PackageSource, PackageMirror> packages = new java.util.LinkedHashMap<>();
        for (PackageSource source : PackageSource.values()) {
            boolean given = po.has(source.yaml());
            YamlTree.Obj o = po.obj(source.yaml());
            PackageMirror pm = new PackageMirror(o.str("deb", ""), o.str("rpm", ""), o.str("key", ""), o.str("keySha256", ""));
            o.done();
            if (given) packages.put(source, pm);
        }
        po.done();
        Map<String, RegistryMirror> registries = m.objMap("registries", (registry, r) ->
                new RegistryMirror(r.strList("endpoints", List.of()), r.str("ca", ""), r.str("caSha256", "")));
        YamlTree.Obj d = m.obj("downloads");
        Downloads downloads = new Downloads(d.str("baseUrl", ""), d.strMap("files"), d.strMap("sha256"));
        d.done();
        m.done();
        return new Mirrors(packages, registries, downloads);
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

    /** {@code d}: the file-wide defaults, or {@link Ssh#none()} for a host's overrides (unset keys stay null). */
    private static Ssh ssh(YamlTree.Obj o, Ssh d) {
        Ssh out = new Ssh(o.str("user", d.user()), o.integer("port", d.port(), 1, 65535),
                o.str("identityFile", d.identityFile()), o.bool("useAgent", d.useAgent()),
                o.str("bastion", d.bastion()), o.str("knownHostsFile", d.knownHostsFile()),
                o.enumOf("become", Become.class, d.become()));
        o.done();
        return out;
    }

    private static Host host(YamlTree tree, YamlTree.Item item) {
        YamlTree.Obj h = tree.new Obj(item.path(), item.node());
        if (!(item.node() instanceof MappingNode)) return null;
        String name = h.str("name", "");
        String address = h.str("address", "");
        String internalAddress = h.str("internalAddress", "");
        List<Role> roles = h.distinct("roles", Role.class, "loader.role.twice");
        Host host = new Host(name, address, internalAddress.isEmpty() ? address : internalAddress, roles,
                h.str("zone", ""), h.strMap("labels"), h.strList("taints", List.of()), ssh(h.obj("ssh"), Ssh.none()),
                h.bool("remove", false));
        h.done();
        return host;
    }

}
