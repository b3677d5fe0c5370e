package io.kubewizard.sim;

import io.kubewizard.answers.AnswersLoader;
import io.kubewizard.answers.Downloadables;
import io.kubewizard.answers.Spec.ClusterSpec;
import io.kubewizard.render.Images;
import io.kubewizard.testsupport.MirrorAnswers;
import io.kubewizard.testsupport.SystemDeps;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An air-gapped install from a bundle directory (offline.directory): the node resolves no public
 * host (the stand-ins' no-internet switch: curl, apt and kubeadm's image pull fail as offline), the
 * bundle holds real .deb files made by dpkg-deb, OCI image-layout archives and the CNI's manifest.
 * A file changed after the bundle was made is refused by its hash before anything is sent; the
 * restored bundle installs: the packages from the uploaded files, the images imported before
 * kubeadm init, and no command on the node and no file written names a public host.
 */
@Tag("system")
class OfflineBundleSystemTest {
    static final Duration RUN_TIMEOUT = Duration.ofMinutes(3);

    @TempDir Path tmp;

    @Test
    void bundlesFromTheMirrorThenInstallsFromTheBundleAloneAndRefusesATamperedFileBeforeSendingAnything() throws Exception {
        SystemDeps.require("dpkg-deb", "dpkg");
        SystemDeps.require("python3", "python3");
        try (SimCluster cluster = SimCluster.start(ApplySystemTest.OPTIONS, List.of(SimNode.Spec.debian("node1").withHost(11)))) {
            Kubewizard kw = new Kubewizard(cluster, tmp);
            String m = cluster.address(1) + ":8081";
            Path answers = kw.answers("single-node", cluster.knownHosts());
            ClusterSpec plain = AnswersLoader.parse("single-node.yaml", Files.readString(answers)).spec();
            Path served = tmp.resolve("served");
            String mirrors = makeMirror(plain, served, m);
            String text = Files.readString(answers).replace("\nssh:\n", "\n" + mirrors + "ssh:\n");
            Files.writeString(answers, text);
            ClusterSpec spec = AnswersLoader.parse("single-node.yaml", text).spec();
            List<String> images = Images.of(spec).stream().map(Images.Image::pulled).sorted().toList();
            Path bundle = tmp.resolve("bundle");
            SimNode node = cluster.node("node1");

            // ---- kubewizard bundle on the jump host, from the mirror only
            String jump = cluster.address(1);
            try (MirrorReachSystemTest.HttpMirror http = MirrorReachSystemTest.HttpMirror.start(cluster, served, cluster.address(1), 8081)) {
                Cmd.Result made = kw.run(RUN_TIMEOUT, "bundle", "bundle", "-f", answers.toString(), "-o", bundle.toString(),
                        "--distribution", "debian:bookworm", "--arch", "amd64");
                assertEquals(0, made.exitCode(), made::toString);
                List<String> log = http.awaitRequests(List.of(
                        jump + " GET /k8s/core:/stable:/v1.35/deb/Packages.gz 200",
                        jump + " GET /k8s/core:/stable:/v1.35/deb/pool/kubeadm_" + plain.cluster().kubernetesVersion() + "-1.1_amd64.deb 200",
                        jump + " GET /docker/debian/dists/bookworm/stable/binary-amd64/Packages.gz 200",
                        jump + " GET /docker/debian/pool/containerd.io_2.2.1-1_amd64.deb 200"), Duration.ofSeconds(30));
                assertTrue(log.stream().allMatch(l -> l.startsWith(jump + " ")), "only the jump host asked: " + log);
                assertTrue(made.stdout().contains("note: ") && made.stdout().contains("conntrack"), made::toString);
            }
            String manifest = Files.readString(bundle.resolve("manifest.yaml"));
            for (String image : images) assertTrue(manifest.contains("    name: " + image + "\n"), image + " in " + manifest);
            assertTrue(manifest.contains("  - path: packages/deb/amd64/docker/debian-bookworm/containerd.io_2.2.1-1_amd64.deb\n"
                    + "    kind: package\n    family: deb\n    arch: amd64\n    source: docker\n    name: containerd.io\n"
                    + "    version: 2.2.1-1\n"), manifest);

            // ---- the mirror is gone and no public host resolves: apply has the bundle alone
            text = text + "offline:\n  directory: " + bundle + "\n";
            Files.writeString(answers, text);
            Files.writeString(cluster.sharedState().resolve("no-internet"), "");
            Cmd.Result valid = kw.run(RUN_TIMEOUT, "validate", "validate", "-f", answers.toString());
            assertEquals(0, valid.exitCode(), valid::toString);

            // ---- one image changed after the bundle was made (same size): refused before anything is sent
            Path image = Files.list(bundle.resolve("images/amd64")).sorted().findFirst().orElseThrow();
            byte[] original = Files.readAllBytes(image);
            byte[] tampered = original.clone();
            tampered[tampered.length - 1] ^= 1;
            Files.write(image, tampered);
            Cmd.Result refused = kw.run(RUN_TIMEOUT, "apply-tampered", "apply", "-f", answers.toString(), "--plain",
                    "--accept-new-host-keys", "--yes");
            assertEquals(2, refused.exitCode(), refused::toString);
            assertTrue(refused.stderr().contains("refused, and nothing was changed: a file of the jump host's the plan sends "
                    + "changed since it was made (a bundle's manifest.yaml pins each): " + image + ": sha256 " + sha256(tampered)
                    + ", the plan's " + sha256(original)), refused::toString);
            assertTrue(node.calls().stream().noneMatch(c -> List.of("apt-get", "dpkg", "ctr", "kubeadm", "systemctl")
                    .contains(c.tool())), "nothing ran but the probe: " + node.calls());
            assertFalse(Files.exists(node.path("/var/lib/kubewizard/offline")), "nothing was sent");
            Files.write(image, original);

            // ---- the bundle as it was made: the install fetches nothing
            Cmd.Result apply = kw.run(RUN_TIMEOUT, "apply", "apply", "-f", answers.toString(), "--plain",
                    "--accept-new-host-keys", "--yes");
            assertEquals(0, apply.exitCode(), apply::toString);
            List<Call> calls = node.calls();
            @SuppressWarnings("unchecked")
            Map<String, Object> state = (Map<String, Object>) Json.parse(Files.readString(node.path("/var/lib/kw-sim/machine.json")));
            @SuppressWarnings("unchecked")
            List<String> fromFiles = (List<String>) state.get("installedFromFiles");
            assertEquals(List.of("containerd.io", "cri-tools", "kubeadm", "kubectl", "kubelet", "kubernetes-cni"),
                    fromFiles.stream().sorted().distinct().toList());
            @SuppressWarnings("unchecked")
            Map<String, String> packages = (Map<String, String>) state.get("packages");
            assertEquals(spec.cluster().kubernetesVersion() + "-1.1", packages.get("kubeadm"));
            @SuppressWarnings("unchecked")
            List<String> imported = (List<String>) state.get("importedImages");
            assertEquals(images, imported.stream().sorted().distinct().toList());
            int firstImport = indexOf(calls, c -> c.tool().equals("ctr") && c.argv().contains("import"));
            int init = indexOf(calls, c -> c.tool().equals("kubeadm") && c.argv().contains("init"));
            assertTrue(firstImport >= 0 && init > firstImport, "images imported before kubeadm init: " + calls);
            List<Call> installs = calls.stream().filter(c -> c.tool().equals("apt-get") && c.argv().contains("install")
                    && c.argv().stream().anyMatch(a -> a.endsWith(".deb"))).toList();
            assertEquals(2, installs.size(), calls::toString);
            assertTrue(installs.get(0).argv().contains("/var/lib/kubewizard/offline/packages/docker/debian-bookworm/"
                    + "containerd.io_2.2.1-1_amd64.deb"), installs::toString);
            for (Call c : calls) {
                assertEquals(List.of(), MirrorAnswers.publicHosts(String.join(" ", c.argv())), c::toString);
                assertFalse(String.join(" ", c.argv()).contains(m), "no command names the mirror: " + c);
            }
            assertFalse(Files.exists(node.path("/etc/apt/sources.list.d/kubernetes.list")));
            assertFalse(Files.exists(node.path("/etc/apt/sources.list.d/docker.list")));
            assertTrue(calls.stream().noneMatch(c -> c.tool().equals("curl")), "nothing fetched: " + calls);
        }
    }

    @Test
    void rhelFamilyNodesInstallTheBundlesRpmFilesWithDnfAndFetchNothing() throws Exception {
        SystemDeps.require("rpmbuild", "rpm");
        SystemDeps.require("python3", "python3");
        try (SimCluster cluster = SimCluster.start(ApplySystemTest.OPTIONS, List.of(SimNode.Spec.rocky("node1").withHost(11)))) {
            Kubewizard kw = new Kubewizard(cluster, tmp);
            String m = cluster.address(1) + ":8081";
            Path answers = kw.answers("single-node", cluster.knownHosts());
            ClusterSpec plain = AnswersLoader.parse("single-node.yaml", Files.readString(answers)).spec();
            Path served = tmp.resolve("served");
            String mirrors = serveImagesAndDownloads(plain, served, m, rpmPackages(plain, served, m));
            String text = Files.readString(answers).replace("\nssh:\n", "\n" + mirrors + "ssh:\n");
            Files.writeString(answers, text);
            Path bundle = tmp.resolve("bundle");
            SimNode node = cluster.node("node1");
            String jump = cluster.address(1);
            try (MirrorReachSystemTest.HttpMirror http = MirrorReachSystemTest.HttpMirror.start(cluster, served, jump, 8081)) {
                Cmd.Result made = kw.run(RUN_TIMEOUT, "bundle", "bundle", "-f", answers.toString(), "-o", bundle.toString(),
                        "--releasever", "9", "--arch", "amd64");
                assertEquals(0, made.exitCode(), made::toString);
                http.awaitRequests(List.of(
                        jump + " GET /k8s/core:/stable:/v1.35/rpm/repodata/repomd.xml 200",
                        jump + " GET /k8s/core:/stable:/v1.35/rpm/repodata/primary.xml.gz 200",
                        jump + " GET /k8s/core:/stable:/v1.35/rpm/x86_64/kubeadm-" + plain.cluster().kubernetesVersion()
                                + "-150500.1.1.x86_64.rpm 200",
                        jump + " GET /docker/centos/9/x86_64/stable/Packages/containerd.io-2.2.1-1.el9.x86_64.rpm 200"), Duration.ofSeconds(30));
                assertTrue(made.stdout().contains("note: ") && made.stdout().contains("conntrack-tools"), made::toString);
            }
            String manifest = Files.readString(bundle.resolve("manifest.yaml"));
            assertTrue(manifest.contains("  - path: packages/rpm/amd64/docker/el9/containerd.io-2.2.1-1.el9.x86_64.rpm\n"
                    + "    kind: package\n    family: rpm\n    arch: amd64\n    source: docker\n    name: containerd.io\n"
                    + "    version: 2.2.1-1.el9\n"), manifest);
            assertFalse(manifest.contains("kubeadm-1.35.1"), "only the answers' patch: " + manifest);

            Files.writeString(answers, text + "offline:\n  directory: " + bundle + "\n");
            Files.writeString(cluster.sharedState().resolve("no-internet"), "");
            Cmd.Result apply = kw.run(RUN_TIMEOUT, "apply", "apply", "-f", answers.toString(), "--plain",
                    "--accept-new-host-keys", "--yes");
            assertEquals(0, apply.exitCode(), apply::toString);
            List<Call> calls = node.calls();
            @SuppressWarnings("unchecked")
            Map<String, Object> state = (Map<String, Object>) Json.parse(Files.readString(node.path("/var/lib/kw-sim/machine.json")));
            @SuppressWarnings("unchecked")
            List<String> fromFiles = (List<String>) state.get("installedFromFiles");
            assertEquals(List.of("containerd.io", "cri-tools", "kubeadm", "kubectl", "kubelet", "kubernetes-cni"),
                    fromFiles.stream().sorted().distinct().toList());
            @SuppressWarnings("unchecked")
            Map<String, String> packages = (Map<String, String>) state.get("packages");
            assertEquals(plain.cluster().kubernetesVersion() + "-150500.1.1", packages.get("kubeadm"));
            assertEquals("kw-sim-1", packages.get("conntrack-tools"), "an outside dependency from the OS's own repositories");
            List<Call> installs = calls.stream().filter(c -> c.tool().equals("dnf") && c.argv().contains("install")
                    && c.argv().stream().anyMatch(a -> a.endsWith(".rpm"))).toList();
            assertEquals(2, installs.size(), calls::toString);
            assertTrue(installs.get(0).argv().contains("/var/lib/kubewizard/offline/packages/docker/el9/"
                    + "containerd.io-2.2.1-1.el9.x86_64.rpm"), installs::toString);
            int firstImport = indexOf(calls, c -> c.tool().equals("ctr") && c.argv().contains("import"));
            int init = indexOf(calls, c -> c.tool().equals("kubeadm") && c.argv().contains("init"));
            assertTrue(firstImport >= 0 && init > firstImport, "images imported before kubeadm init: " + calls);
            for (Call c : calls) assertEquals(List.of(), MirrorAnswers.publicHosts(String.join(" ", c.argv())), c::toString);
            assertFalse(Files.exists(node.path("/etc/yum.repos.d/kubernetes.repo")));
            assertFalse(Files.exists(node.path("/etc/yum.repos.d/docker-ce.repo")));
            assertTrue(calls.stream().noneMatch(c -> c.tool().equals("curl")), "nothing fetched: " + calls);
        }
    }

    private static int indexOf(List<Call> calls, java.util.function.Predicate<Call> p) {
        for (int i = 0; i < calls.size(); i++) if (p.test(calls.get(i))) return i;
        return -1;
    }

    /**
     * What an operator's mirror serves, laid out under {@code root}: pkgs.k8s.io's flat deb repository and
     * Docker's per-distribution one (real .deb files from dpkg-deb, Packages.gz indexes), a registry v2
     * tree of every image (an index of amd64 and arm64 manifests, their config and layer blobs) under
     * /v2/&lt;registry's prefix&gt;/, and the downloads. Returns the answers' mirrors section for it.
     */
    private String makeMirror(ClusterSpec spec, Path root, String m) throws Exception {
        return serveImagesAndDownloads(spec, root, m, debPackages(spec, root, m));
    }

    /** pkgs.k8s.io's flat deb repository and Docker's per-distribution one; the answers' mirrors.packages for them. */
    private String debPackages(ClusterSpec spec, Path root, String m) throws Exception {
        String v = spec.cluster().kubernetesVersion();
        record Pkg(String dir, String name, String version, String depends) {}
        String k8s = "k8s/core:/stable:/v1.35/deb";
        String docker = "docker/debian";
        List<Pkg> pkgs = List.of(
                new Pkg(k8s, "kubeadm", v + "-1.1", "cri-tools (>= 1.30.0), kubernetes-cni"),
                new Pkg(k8s, "kubeadm", "1.35.1-1.1", "cri-tools (>= 1.30.0), kubernetes-cni"),
                new Pkg(k8s, "kubelet", v + "-1.1", "iptables (>= 1.4.21), kubernetes-cni (>= 1.2.0), conntrack | conntrack-tools"),
                new Pkg(k8s, "kubectl", v + "-1.1", ""),
                new Pkg(k8s, "cri-tools", "1.35.0-1.1", ""),
                new Pkg(k8s, "kubernetes-cni", "1.7.1-1.1", ""),
                new Pkg(docker, "containerd.io", "2.2.1-1", ""));
        Map<String, StringBuilder> indexes = new TreeMap<>();
        indexes.put(k8s + "/Packages", new StringBuilder());
        indexes.put(docker + "/dists/bookworm/stable/binary-amd64/Packages", new StringBuilder());
        indexes.put(docker + "/dists/bookworm/stable/binary-arm64/Packages", new StringBuilder());
        for (Pkg p : pkgs) {
            Path build = Files.createDirectories(tmp.resolve("debs/" + p.name() + "-" + p.version() + "/DEBIAN"));
            Files.writeString(build.resolve("control"), "Package: " + p.name() + "\nVersion: " + p.version()
                    + "\nArchitecture: amd64\nMaintainer: test <t@example.invalid>\n"
                    + (p.depends().isEmpty() ? "" : "Depends: " + p.depends() + "\n") + "Description: " + p.name() + "\n");
            String file = "pool/" + p.name() + "_" + p.version() + "_amd64.deb";
            Path deb = Files.createDirectories(root.resolve(p.dir()).resolve("pool")).resolve(file.substring(5));
            Cmd.Result built = Cmd.run(Duration.ofSeconds(30), "dpkg-deb", "-Zgzip", "--build", build.getParent().toString(), deb.toString());
            assertEquals(0, built.exitCode(), built::toString);
            byte[] bytes = Files.readAllBytes(deb);
            String stanza = "Package: " + p.name() + "\nVersion: " + p.version() + "\nArchitecture: amd64\n"
                    + (p.depends().isEmpty() ? "" : "Depends: " + p.depends() + "\n") + "Filename: " + file + "\nSize: "
                    + bytes.length + "\nSHA256: " + sha256(bytes) + "\n\n";
            indexes.get(p.dir().equals(k8s) ? k8s + "/Packages" : docker + "/dists/bookworm/stable/binary-amd64/Packages").append(stanza);
        }
        for (var e : indexes.entrySet()) {
            Path gz = Files.createDirectories(root.resolve(e.getKey()).getParent()).resolve("Packages.gz");
            try (var out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(gz))) {
                out.write(e.getValue().toString().getBytes(StandardCharsets.UTF_8));
            }
        }
        Files.writeString(root.resolve(k8s + "/Release.key"), MirrorAnswers.KEY);
        Files.writeString(Files.createDirectories(root.resolve(docker)).resolve("gpg"), MirrorAnswers.KEY);
        return "mirrors:\n  packages:\n    kubernetes: {deb: 'http://" + m + "/k8s/core:/stable:/{minor}/deb/', rpm: '', key: 'http://"
                + m + "/k8s/core:/stable:/{minor}/deb/Release.key'}\n    docker: {deb: 'http://" + m + "/docker/', rpm: '', key: 'http://"
                + m + "/docker/debian/gpg'}\n";
    }

    /**
     * pkgs.k8s.io's rpm repository (one for every arch) and Docker's EL one, split by release and
     * arch: real .rpm files from rpmbuild, and repodata (repomd.xml naming a gzip primary.xml with
     * each package's sha256, size, location and requires). The answers' mirrors.packages for them.
     */
    private String rpmPackages(ClusterSpec spec, Path root, String m) throws Exception {
        String v = spec.cluster().kubernetesVersion();
        record Pkg(String dir, String name, String version, String release, List<String> requires) {}
        String k8s = "k8s/core:/stable:/v1.35/rpm";
        String docker = "docker/centos/9/x86_64/stable";
        List<Pkg> pkgs = List.of(
                new Pkg(k8s, "kubeadm", v, "150500.1.1", List.of("cri-tools >= 1.30.0", "kubernetes-cni")),
                new Pkg(k8s, "kubeadm", "1.35.1", "150500.1.1", List.of("cri-tools >= 1.30.0", "kubernetes-cni")),
                new Pkg(k8s, "kubelet", v, "150500.1.1", List.of("iptables-nft", "kubernetes-cni >= 1.2.0", "conntrack-tools")),
                new Pkg(k8s, "kubectl", v, "150500.1.1", List.of()),
                new Pkg(k8s, "cri-tools", "1.35.0", "150500.1.1", List.of()),
                new Pkg(k8s, "kubernetes-cni", "1.7.1", "150500.1.1", List.of()),
                new Pkg(docker, "containerd.io", "2.2.1", "1.el9", List.of("container-selinux")));
        Map<String, StringBuilder> primaries = new TreeMap<>();
        Path top = Files.createDirectories(tmp.resolve("rpmbuild"));
        for (Pkg p : pkgs) {
            Path spec_ = top.resolve(p.name() + "-" + p.version() + ".spec");
            Files.writeString(spec_, "Name: " + p.name() + "\nVersion: " + p.version() + "\nRelease: " + p.release()
                    + "\nSummary: " + p.name() + "\nLicense: none\n"
                    + p.requires().stream().map(r -> "Requires: " + r + "\n").collect(java.util.stream.Collectors.joining())
                    + "%description\n" + p.name() + "\n%files\n");
            Cmd.Result built = Cmd.run(Duration.ofSeconds(60), "rpmbuild", "-bb", "--nodeps", "--quiet", "--target", "x86_64",
                    "--define", "_topdir " + top, "--define", "debug_package %{nil}", spec_.toString());
            assertEquals(0, built.exitCode(), built::toString);
            String file = p.name() + "-" + p.version() + "-" + p.release() + ".x86_64.rpm";
            String href = (p.dir().equals(k8s) ? "x86_64/" : "Packages/") + file;
            Path rpm = Files.createDirectories(root.resolve(p.dir()).resolve(href).getParent()).resolve(file);
            Files.copy(top.resolve("RPMS/x86_64/" + file), rpm, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            byte[] bytes = Files.readAllBytes(rpm);
            StringBuilder requires = new StringBuilder();
            for (String r : p.requires()) requires.append("<rpm:entry name=\"").append(r.split(" ")[0]).append("\"/>");
            primaries.computeIfAbsent(p.dir(), k -> new StringBuilder()).append("<package type=\"rpm\"><name>").append(p.name())
                    .append("</name><arch>x86_64</arch><version epoch=\"0\" ver=\"").append(p.version()).append("\" rel=\"")
                    .append(p.release()).append("\"/><checksum type=\"sha256\" pkgid=\"YES\">").append(sha256(bytes))
                    .append("</checksum><size package=\"").append(bytes.length).append("\"/><location href=\"").append(href)
                    .append("\"/><format><rpm:provides><rpm:entry name=\"").append(p.name()).append("\"/></rpm:provides><rpm:requires>")
                    .append(requires).append("</rpm:requires></format></package>\n");
        }
        for (var e : primaries.entrySet()) {
            Path repodata = Files.createDirectories(root.resolve(e.getKey()).resolve("repodata"));
            var gz = new java.io.ByteArrayOutputStream();
            try (var out = new java.util.zip.GZIPOutputStream(gz)) {
                out.write(("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<metadata xmlns=\"http://linux.duke.edu/metadata/common\" "
                        + "xmlns:rpm=\"http://linux.duke.edu/metadata/rpm\">\n" + e.getValue() + "</metadata>\n").getBytes(StandardCharsets.UTF_8));
            }
            byte[] primary = gz.toByteArray();
            Files.write(repodata.resolve("primary.xml.gz"), primary);
            Files.writeString(repodata.resolve("repomd.xml"), "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<repomd xmlns=\"http://linux.duke.edu/metadata/repo\">"
                    + "<data type=\"primary\"><checksum type=\"sha256\">" + sha256(primary) + "</checksum>"
                    + "<location href=\"repodata/primary.xml.gz\"/></data></repomd>\n");
        }
        Files.writeString(root.resolve(k8s + "/repodata/repomd.xml.key"), MirrorAnswers.KEY);
        Files.writeString(Files.createDirectories(root.resolve("docker/centos")).resolve("gpg"), MirrorAnswers.KEY);
        return "mirrors:\n  packages:\n    kubernetes: {deb: '', rpm: 'http://" + m + "/k8s/core:/stable:/{minor}/rpm/', key: 'http://"
                + m + "/k8s/core:/stable:/{minor}/rpm/repodata/repomd.xml.key'}\n    docker: {deb: '', rpm: 'http://" + m
                + "/docker/centos/$releasever/$basearch/stable/', key: 'http://" + m + "/docker/centos/gpg'}\n";
    }

    /** A registry v2 tree of every image and the downloads, beside the packages; the whole mirrors section. */
    private String serveImagesAndDownloads(ClusterSpec spec, Path root, String m, String packages) throws Exception {
        StringBuilder registries = new StringBuilder();
        java.util.Set<String> named = new java.util.TreeSet<>();
        for (Images.Image image : Images.of(spec)) named.add(registryOf(image.pulled()));
        for (String r : named) {
            registries.append("    ").append(r).append(": {endpoints: ['http://").append(m).append('/')
                    .append(r.equals("registry.k8s.io") ? "k8s" : r).append("']}\n");
        }
        String mirrors = packages + "  registries:\n" + registries;
        // the images as the nodes will pull them, once the mirrors are in the answers
        ClusterSpec mirrored = AnswersLoader.parse("m.yaml", io.kubewizard.answers.AnswersWriter.toYaml(spec)
                .replace("\nssh:\n", "\n" + mirrors + "ssh:\n")).spec();
        for (Images.Image image : Images.of(mirrored)) {
            String ref = image.pulled();
            String reg = registryOf(ref);
            String rest = ref.substring(ref.indexOf('/') + 1);
            String tag = rest.substring(rest.lastIndexOf(':') + 1);
            String repo = rest.substring(0, rest.lastIndexOf(':'));
            if (reg.equals("docker.io") && !repo.contains("/")) repo = "library/" + repo;
            Path v2 = Files.createDirectories(root.resolve("v2/" + (reg.equals(m) ? "" : reg + "/") + repo));
            Files.createDirectories(v2.resolve("manifests"));
            Files.createDirectories(v2.resolve("blobs"));
            StringBuilder list = new StringBuilder("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":[");
            for (String arch : List.of("amd64", "arm64")) {
                byte[] config = ("{\"architecture\":\"" + arch + "\",\"os\":\"linux\",\"image\":\"" + ref + "\"}").getBytes(StandardCharsets.UTF_8);
                byte[] layer = ("layer of " + ref + " for " + arch).getBytes(StandardCharsets.UTF_8);
                byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":{\"digest\":\"sha256:"
                        + sha256(config) + "\",\"size\":" + config.length + "},\"layers\":[{\"digest\":\"sha256:" + sha256(layer)
                        + "\",\"size\":" + layer.length + "}]}").getBytes(StandardCharsets.UTF_8);
                for (byte[] b : List.of(config, layer)) Files.write(v2.resolve("blobs/sha256:" + sha256(b)), b);
                Files.write(v2.resolve("manifests/sha256:" + sha256(manifest)), manifest);
                list.append("{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"sha256:").append(sha256(manifest))
                        .append("\",\"size\":").append(manifest.length).append(",\"platform\":{\"os\":\"linux\",\"architecture\":\"")
                        .append(arch).append("\"}},");
            }
            list.setLength(list.length() - 1);
            Files.writeString(v2.resolve("manifests/" + tag), list.append("]}"));
        }
        StringBuilder pins = new StringBuilder();
        for (Downloadables.Download d : Downloadables.of(spec)) {
            Cmd.Result got = Cmd.run(Duration.ofSeconds(30), "python3", "-c", "import sys; sys.path.insert(0, sys.argv[1]);"
                    + " from kwsim import kubectl; sys.stdout.write(kubectl.known_manifest(sys.argv[2]))",
                    SystemDeps.root().resolve("src/test/resources/sim").toString(), d.publicUrl());
            assertEquals(0, got.exitCode(), got::toString);
            Files.writeString(Files.createDirectories(root.resolve("files")).resolve(d.name()), got.stdout());
            pins.append("      ").append(d.name()).append(": ").append(sha256(got.stdout().getBytes(StandardCharsets.UTF_8))).append('\n');
        }
        return mirrors + "  downloads:\n    baseUrl: 'http://" + m + "/files/'\n    sha256:\n" + pins;
    }

    private static String registryOf(String ref) {
        int slash = ref.indexOf('/');
        String first = slash > 0 ? ref.substring(0, slash) : "";
        return first.contains(".") || first.contains(":") ? first : "docker.io";
    }

    static String sha256(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }

}
