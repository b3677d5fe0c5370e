package io.kubewizard.tui;

import com.googlecode.lanterna.input.KeyType;
import io.kubewizard.answers.AnswersLoader;
import io.kubewizard.answers.Spec.ClusterSpec;
import io.kubewizard.answers.Spec.Topology;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.kubewizard.testsupport.Presets;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every wizard page at 80×24 on a virtual terminal: what it shows, typing into it, its inline messages. */
class PagesTest {
    @TempDir Path tmp;

    private static ClusterSpec preset(String name) {
        return AnswersLoader.load(Harness.presets().resolve(name + ".yaml")).spec();
    }

    private Harness at(String preset, int page) {
        Harness h = new Harness(80, 24, Harness.options(Locale.ENGLISH, tmp, tmp).withInitial(preset(preset), null));
        h.wizard.go(page);
        h.pump();
        return h;
    }

    @Test
    void welcomeOffersTheFourStartsAndLoadsAPreset() {
        Harness h = new Harness(80, 24, Harness.options(Locale.ENGLISH, tmp, tmp));
        assertEquals(" kubewizard · 1/13 Welcome", h.row(0));
        assertEquals(" ▶1 ·2 ·3 ·4 ·5 ·6 ·7 ·8 ·9 ·10 ·11 ·12 ·13", h.row(1));
        assertEquals(" Start from   (*) A new cluster (defaults)", h.rowWith("Start from"));
        assertTrue(h.shows("( ) An answers file"));
        assertTrue(h.shows("( ) A preset"));
        assertTrue(h.shows("( ) An installed cluster"));
        assertEquals(" Preset       ha-external-etcd │▼ ✓", h.rowWith("Preset "));
        // the third choice, then the preset list: ↓ to ha-stacked, then single-node
        h.key(KeyType.ArrowDown, 2).key(KeyType.Enter).key(KeyType.Tab, 2).key(KeyType.Enter)
                .key(KeyType.ArrowDown, 2).key(KeyType.Enter);
        assertEquals(" Preset       single-node      │▼ ✓", h.rowWith("Preset "));
        // past the installed cluster's two fields to Next
        h.key(KeyType.Tab, 3).key(KeyType.Enter);
        assertEquals(" kubewizard · 2/13 Cluster", h.row(0));
        assertEquals(" Cluster name           single                         ✓", h.rowWith("Cluster name"));
        assertEquals(" ✓ Loaded preset single-node.", h.rowWith("Loaded"));
    }

    @Test
    void withoutAnyDirectoryBesideItWelcomeOffersTheBuiltInPresetsInTheBuiltInTheme() {
        WizardOptions bare = WizardOptions.of(Locale.ENGLISH, null, null, tmp, tmp)
                .withClock(java.time.Clock.fixed(Harness.T0, java.time.ZoneOffset.UTC));
        Harness h = new Harness(80, 24, bare);
        assertEquals(" Preset       ha-external-etcd │▼ ✓", h.rowWith("Preset "));
        h.key(KeyType.ArrowDown, 2).key(KeyType.Enter).key(KeyType.Tab, 2).key(KeyType.Enter)
                .key(KeyType.ArrowDown, 1).key(KeyType.Enter);
        assertEquals(" Preset       ha-stacked       │▼ ✓", h.rowWith("Preset "));
        h.wizard.next();
        h.pump();
        assertEquals(" kubewizard · 2/13 Cluster", h.row(0));
        assertEquals(" ✓ Loaded preset ha-stacked.", h.rowWith("Loaded"));
    }

    @Test
    void welcomeRefusesAPresetThatDiffersFromTheBuiltInOneNamingBoth() throws IOException {
        Path mine = Files.createDirectories(tmp.resolve("mine"));
        Files.writeString(mine.resolve("ha-stacked.yaml"), Presets.text("single-node"));
        Harness h = new Harness(100, 30, WizardOptions.of(Locale.ENGLISH, Harness.themes(), mine, tmp, tmp)
                .withClock(java.time.Clock.fixed(Harness.T0, java.time.ZoneOffset.UTC)));
        h.key(KeyType.ArrowDown, 2).key(KeyType.Enter).key(KeyType.Tab, 2).key(KeyType.Enter)
                .key(KeyType.ArrowDown, 1).key(KeyType.Enter);
        h.wizard.next();
        h.pump();
        assertEquals(" kubewizard · 1/13 Welcome", h.row(0));
        assertTrue(h.text().replaceAll("\\s+", " ").contains("Preset 'ha-stacked' is both built-in presets/ha-stacked.yaml and "
                + mine.resolve("ha-stacked.yaml") + ", and they differ"), h.text());
    }

    @Test
    void welcomeRefusesAFileThatCannotBeRead() {
        Harness h = new Harness(80, 24, Harness.options(Locale.ENGLISH, tmp, tmp));
        h.key(KeyType.ArrowDown).key(KeyType.Enter).key(KeyType.Tab).type("missing.yaml");
        h.wizard.next();
        h.pump();
        assertEquals(" kubewizard · 1/13 Welcome", h.row(0));
        h.assertShows("✗ " + tmp.resolve("missing.yaml") + ":1:1: cannot read the file: no such file");
        h.assertShows("✗ Could not load " + tmp.resolve("missing.yaml") + ": see the messages above.");
    }

    @Test
    void welcomeKeepsAFileWithAnUnknownKeyInsteadOfDroppingWhatWasWritten() throws Exception {
        java.nio.file.Files.writeString(tmp.resolve("typo.yaml"), "cluster:\n  nmae: lab\n");
        Harness h = new Harness(80, 24, Harness.options(Locale.ENGLISH, tmp, tmp));
        h.key(KeyType.ArrowDown).key(KeyType.Enter).key(KeyType.Tab).type("typo.yaml");
        h.wizard.next();
        h.pump();
        assertEquals(" kubewizard · 1/13 Welcome", h.row(0));
        h.assertShows("✗ " + tmp.resolve("typo.yaml") + ":2:3: cluster.nmae: unknown key 'nmae', did you mean 'name'?");
        h.assertShows("✗ Could not load " + tmp.resolve("typo.yaml") + ": see the messages above.");
        // an answer that breaks a rule is not the file's fault: that file opens, marked on its page
        java.nio.file.Files.writeString(tmp.resolve("typo.yaml"), "cluster:\n  name: Lab\n");
        h.wizard.next();
        h.pump();
        assertEquals(" kubewizard · 2/13 Cluster", h.row(0));
    }

    @Test
    void welcomeSaysWhyAFileIsNotYamlInKorean() throws Exception {
        java.nio.file.Files.writeString(tmp.resolve("two.yaml"), "cluster: {name: a}\n---\nhosts: []\n");
        Harness h = new Harness(80, 24, Harness.options(Locale.KOREAN, tmp, tmp));
        h.key(KeyType.ArrowDown).key(KeyType.Enter).key(KeyType.Tab).type("two.yaml");
        h.wizard.next();
        h.pump();
        h.assertShows("✗ " + tmp.resolve("two.yaml") + ":2:1: 문서는 하나여야 한다: 여기서 두 번째 YAML 문서가 시작된다. "
                + "응답 파일은 문서 하나다");
        assertFalse(h.shows("document"), h.text());
    }

    @Test
    void clusterNameIsCheckedAsYouTypeAndNextSaysWhyItRefuses() {
        Harness h = at("single-node", 1);
        assertEquals(" kubewizard · 2/13 Cluster", h.row(0));
        assertEquals(" Kubernetes             1.35  ✓ supported      │▼  patch  2     ✓", h.rowWith("Kubernetes  "));
        h.clear(6).type("Prod");
        assertEquals(" Cluster name           Prod                           ✗", h.rowWith("Cluster name"));
        h.assertShows("✗ 'Prod' is not a valid cluster name: use a DNS-1123 label (lowercase letters, digits and "
                + "'-', starting and ending with a letter or digit, at most 63 characters)");
        h.wizard.next();
        h.pump();
        assertEquals(" kubewizard · 2/13 Cluster", h.row(0));
        // the status line keeps to two lines; the whole message stands under the field
        assertEquals(" ✗ Next is refused: this page has 1 error (marked ✗). 'Prod' is not a valid", h.row(21));
        assertEquals("   cluster name: use a DNS-1123 label (lowercase letters, digits and '-', …", h.row(22));
        h.key(KeyType.Backspace, 4).type("prod");
        assertEquals(" Cluster name           prod                           ✓", h.rowWith("Cluster name"));
        assertFalse(h.shows("Next is refused"), "the refusal goes when the error does");
        h.wizard.next();
        h.pump();
        assertEquals(" kubewizard · 3/13 Topology", h.row(0));
    }

    @Test
    void versionPickerShowsSupportAndTheValidatorJudgesThePatch() {
        Harness h = at("single-node", 1);
        h.key(KeyType.Tab).key(KeyType.Enter);
        // the drop-down lists every known minor with its status
        for (String line : List.of("1.37  ✓ supported", "1.35  ✓ supported", "1.34  ! out of support",
                "1.30  ! out of support")) {
            assertTrue(h.shows(line), line + "\n" + h.text());
        }
        h.key(KeyType.ArrowDown, 3).key(KeyType.Enter);
        assertEquals(" Kubernetes             1.32  ! out of support │▼  patch  2     !", h.rowWith("Kubernetes  "));
        h.assertShows("! Kubernetes 1.32 is out of support (maintained: 1.35 to 1.37); it is installed with the "
                + "kubeadm.k8s.io/v1beta4 config API");
        h.key(KeyType.Tab).clear(1).type("x");
        h.assertShows("✗ '1.32.x' is not a version of the form x.y.z, e.g. 1.35.2 (quote it in YAML)");
        assertEquals("1.32.x", h.wizard.state.kubernetesVersion());
    }

    @Test
    void topologyExplainsBothChoicesAndTheNodeCounts() {
        Harness h = at("single-node", 2);
        assertEquals(" kubewizard · 3/13 Topology", h.row(0));
        assertEquals(" etcd (*) stacked: an etcd member on every control plane  ✓", h.rowWith("etcd (*)"));
        h.assertShows("− coupled failure: losing a node loses a control plane and an etcd member together.");
        h.assertShows("− twice the hosts to run, and one more certificate set to manage.");
        h.assertShows("Your hosts now: 1 control plane, 0 etcd hosts.");
        h.key(KeyType.ArrowDown).key(KeyType.Enter);
        assertEquals(Topology.EXTERNAL_ETCD, h.wizard.state.topology);
        assertEquals("      (*) external-etcd: etcd on hosts of its own", h.rowWith("external-etcd:"));
    }

    @Test
    void topologyShowsHowTheHostsSpreadOverZonesAsTheAnswersChange() {
        Harness h = new Harness(80, 40, Harness.options(Locale.ENGLISH, tmp, tmp).withInitial(preset("ha-stacked"), null));
        h.wizard.go(2);
        h.pump();
        assertEquals(" Zones (hosts per zone):", h.rowWith("Zones"));
        assertEquals("   control planes: zone-a 1 · zone-b 1 · zone-c 1", h.rowWith("control planes:"));
        assertEquals("   workers: zone-a 1 · zone-b 1", h.rowWith("workers:"));
        assertFalse(h.shows("etcd members:"), "stacked: the control planes are the etcd members");
        // cp3 moves to zone-a and worker2 loses its zone, as the Hosts page would change them
        List<io.kubewizard.answers.Spec.Host> hosts = h.wizard.state.hosts;
        for (int i = 0; i < hosts.size(); i++) {
            var x = hosts.get(i);
            String zone = x.name().equals("cp3") ? "zone-a" : x.name().equals("worker2") ? "" : x.zone();
            hosts.set(i, new io.kubewizard.answers.Spec.Host(x.name(), x.address(), x.internalAddress(), x.roles(), zone,
                    x.labels(), x.taints(), x.ssh(), x.remove()));
        }
        h.wizard.changed();
        h.pump();
        assertEquals("   control planes: zone-a 2 · zone-b 1", h.rowWith("control planes:"));
        assertEquals("   workers: zone-a 1 · no zone 1", h.rowWith("workers:"));
        // no host names a zone: no spread at all
        hosts.replaceAll(x -> new io.kubewizard.answers.Spec.Host(x.name(), x.address(), x.internalAddress(), x.roles(), "",
                x.labels(), x.taints(), x.ssh(), x.remove()));
        h.wizard.changed();
        h.pump();
        assertFalse(h.shows("Zones"), h.text());
    }

    @Test
    void topologyShowsTheSpreadOfExternalEtcdMembersInKorean() {
        ClusterSpec spec = preset("ha-external-etcd");
        List<io.kubewizard.answers.Spec.Host> zoned = new java.util.ArrayList<>();
        String[] zones = {"a", "b", "c"};
        int i = 0;
        for (var x : spec.hosts()) {
            zoned.add(new io.kubewizard.answers.Spec.Host(x.name(), x.address(), x.internalAddress(), x.roles(),
                    x.is(io.kubewizard.answers.Spec.Role.ETCD) ? "b" : zones[i++ % 3], x.labels(), x.taints(), x.ssh(),
                    x.remove()));
        }
        Harness h = new Harness(80, 40, Harness.options(Locale.KOREAN, tmp, tmp).withInitial(
                new ClusterSpec(spec.cluster(), spec.network(), spec.runtime(), spec.pki(), spec.security(),
                        spec.components(), spec.ssh(), zoned), null));
        h.wizard.go(2);
        h.pump();
        assertEquals(" 영역(영역별 호스트 수):", h.rowWith("영역("));
        assertEquals("   컨트롤 플레인: a 1 · b 1 · c 1", h.rowWith("컨트롤 플레인:"));
        assertEquals("   etcd 멤버: b 3", h.rowWith("etcd 멤버:"));
        assertEquals("   워커: a 1 · b 1 · c 1", h.rowWith("워커:"));
    }

    @Test
    void runtimeChoosesAndChecksTheSandboxImage() {
        Harness h = at("single-node", 4);
        assertEquals(" kubewizard · 5/13 Runtime", h.row(0));
        assertEquals(" Container runtime (*) containerd: the common choice               ✓",
                h.rowWith("Container runtime"));
        h.assertShows("Empty: registry.k8s.io/pause:3.10.1.");
        h.key(KeyType.ArrowDown).key(KeyType.Enter);
        assertEquals("cri-o", h.wizard.state.runtime.yaml());
        h.key(KeyType.Tab, 2).type("Pause:3");
        h.assertShows("✗ 'Pause:3' is not an image reference such as registry.k8s.io/pause:3.10.1");
    }

    @Test
    void networkShowsOverlapsLiveAndFlannelMovesAnUntouchedPodSubnet() {
        Harness h = at("single-node", 5);
        assertEquals(" kubewizard · 6/13 Network", h.row(0));
        assertEquals(" Pod subnet      192.168.0.0/16           ✓", h.rowWith("Pod subnet"));
        h.key(KeyType.ArrowDown).key(KeyType.Enter);
        assertEquals(" Pod subnet      10.244.0.0/16            ✓", h.rowWith("Pod subnet"));
        h.key(KeyType.Tab, 2).clear(13).type("10.96.0.0/16");
        assertEquals(" Service subnet  10.96.0.0/12             ✗", h.rowWith("Service subnet"));
        h.assertShows("✗ service subnet 10.96.0.0/12 overlaps the pod subnet 10.96.0.0/16");
        h.key(KeyType.Backspace, 10).type(".200.0.0/16");
        assertEquals(" Service subnet  10.96.0.0/12             ✓", h.rowWith("Service subnet"));
        assertEquals(" Pod subnet      10.200.0.0/16            ✓", h.rowWith("Pod subnet"));
    }

    @Test
    void loadBalancerAsksForTheVipOfAManagedBalancer() {
        Harness h = at("single-node", 6);
        assertEquals(" kubewizard · 7/13 Load balancer", h.row(0));
        h.key(KeyType.ArrowDown, 2).key(KeyType.Enter);
        h.assertShows("✗ required with kube-vip: the virtual IP the control planes share");
        h.assertShows("✗ required with kube-vip: the network interface that carries the VIP, e.g. eth0");
        h.assertShows("✗ required with loadBalancer.type kube-vip: the load balancer's address and port");
        h.key(KeyType.Tab).type("10.0.0.50").key(KeyType.Tab).type("eth0").key(KeyType.Tab, 2).type("10.0.0.50:6443");
        assertEquals(" Virtual IP             10.0.0.50            ✓", h.rowWith("Virtual IP"));
        assertEquals(" Control-plane endpoint 10.0.0.50:6443                           ✓",
                h.rowWith("Control-plane endpoint"));
        assertFalse(h.shows("✗"), h.text());
    }

    @Test
    void securityChecksDurationsAndKeepsChoices() {
        Harness h = at("single-node", 7);
        assertEquals(" kubewizard · 8/13 Security", h.row(0));
        h.key(KeyType.Tab, 2).clear(5).type("1y");
        h.assertShows("✗ '1y' is not a duration such as 8760h (hours, minutes, seconds: 1h30m)");
        h.key(KeyType.Backspace, 2).type("100000h");
        h.assertShows("✗ 100000h outlives the CA (87600h): a certificate cannot be valid after its CA");
    }

    @Test
    void advancedEditsEachSectionAndNamesTheSettingInItsMessages() {
        Harness h = at("single-node", 8);
        assertEquals(" kubewizard · 9/13 Advanced", h.row(0));
        h.key(KeyType.Tab).type("--v=4");
        h.assertShows("✗ components.apiServer.extraArgs.--v: write the flag name without dashes: 'v'");
        assertEquals("--v=4", h.wizard.state.extraArgs.get("apiServer"));
        h.key(KeyType.ReverseTab).key(KeyType.Enter).key(KeyType.ArrowDown, 4).key(KeyType.Enter);
        assertTrue(h.shows("kubelet configuration (YAML)"), h.text());
        h.key(KeyType.Tab).type("maxPods: [");
        assertTrue(h.flat().contains("✗ components.kubelet: line 1, column 11:"), h.text());
        h.key(KeyType.Backspace).type("200");
        assertEquals("maxPods: 200", h.wizard.state.kubeletYaml);
        assertEquals(200, h.wizard.state.build().spec().components().kubelet().get("maxPods"));
    }

    @Test
    void sourcesEditsTheMirrorsAsYamlAndReviewShowsTheFilesTheyMake() {
        Harness h = at("single-node", 9);
        assertEquals(" kubewizard · 10/13 Sources", h.row(0));
        assertEquals("", h.wizard.state.mirrorsYaml, "no mirrors: the public sources");
        h.type("registries: [");
        assertTrue(h.flat().contains("✗ line 1, column 14: mirrors: malformed YAML: "), h.text());
        h.key(KeyType.Backspace, 2).type("\n  docker.io:\n    endpoint: [https://harbor.example]");
        assertTrue(h.flat().contains("✗ line 3, column 5: mirrors.registries.docker.io.endpoint: unknown key 'endpoint'"), h.text());
        h.key(KeyType.ArrowLeft, "[https://harbor.example]".length() + 2).type("s");
        assertEquals("registries:\n  docker.io:\n    endpoints: [https://harbor.example]", h.wizard.state.mirrorsYaml);
        var built = h.wizard.state.build();
        assertEquals(List.of(), built.problems());
        assertEquals(List.of("https://harbor.example"), built.spec().mirrors().registry("docker.io").endpoints());
        // the mirror's file among node1's, and the answers file keeps the section
        h.wizard.go(h.wizard.reviewIndex());
        h.pump();
        // one file more (the mirror's hosts.toml) and one step more (preflight/mirrors)
        assertEquals(" ✓ Ready: 1 host, 11 files, 31 steps.", h.row(3));
        h.key(KeyType.Enter).key(KeyType.ArrowDown).key(KeyType.Enter);
        assertEquals(" Show  node1: 11 files             │▼", h.rowWith("Show"));
        h.key(KeyType.Tab);
        for (int i = 0; i < 40 && !h.shows("── /etc/containerd/certs.d/docker.io/hosts.toml"); i++) h.key(KeyType.PageDown);
        assertTrue(h.shows("── /etc/containerd/certs.d/docker.io/hosts.toml  (0644)"), h.text());
        assertTrue(io.kubewizard.answers.AnswersWriter.toYaml(built.spec()).contains("\nmirrors:\n  registries:\n    docker.io:\n"
                + "      endpoints:\n        - https://harbor.example\nssh:\n"), io.kubewizard.answers.AnswersWriter.toYaml(built.spec()));
    }

    /** A bundle for {@code spec} in {@code dir}: kubeadm's package and every download the cluster needs, each file a few bytes. */
    private static Path bundle(Path dir, io.kubewizard.answers.Spec.ClusterSpec spec) throws Exception {
        StringBuilder files = new StringBuilder();
        java.util.function.BiConsumer<String, String> add = (path, fields) -> {
            try {
                byte[] b = ("file " + path + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
                Files.createDirectories(dir.resolve(path).getParent());
                Files.write(dir.resolve(path), b);
                String sha = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(b));
                files.append("  - {path: ").append(path).append(", ").append(fields).append(", sha256: ").append(sha)
                        .append(", size: ").append(b.length).append("}\n");
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        };
        add.accept("packages/deb/amd64/kubernetes/kubeadm_1.35.2-1.1_amd64.deb",
                "kind: package, family: deb, arch: amd64, source: kubernetes, name: kubeadm, version: 1.35.2-1.1");
        for (var d : io.kubewizard.answers.Downloadables.of(spec)) add.accept("downloads/" + d.name(), "kind: download, name: " + d.name());
        Files.writeString(dir.resolve("manifest.yaml"), "apiVersion: kubewizard.io/v1alpha1\nkind: Bundle\nkubernetesVersion: "
                + spec.cluster().kubernetesVersion() + "\nruntime: " + spec.runtime().type().yaml() + "\ncni: "
                + spec.network().cni().name().toLowerCase(Locale.ROOT) + "\nfiles:\n" + files);
        return dir;
    }

    @Test
    void sourcesTakesTheOfflineBundleCheckedAsTheLoaderChecksItAndReviewShowsItsLists() throws Exception {
        Path good = bundle(Files.createDirectories(tmp.resolve("bundle")), preset("single-node"));
        Harness h = at("single-node", 9);
        assertEquals(" kubewizard · 10/13 Sources", h.row(0));
        assertEquals("", h.wizard.state.offlineDirectory, "no bundle");
        h.key(KeyType.Tab).type("bundle");
        h.assertShows("✗ offline.directory: bundle is not a jump-host directory: give an absolute path or one under ~/");
        h.clear(6).type(tmp.toString());
        h.assertShows("✗ offline.directory: " + tmp + " holds no manifest.yaml, so it is no bundle: kubewizard bundle -f "
                + "answers.yaml -o DIR writes it last");
        h.type("/bundle");
        assertEquals(good.toString(), h.wizard.state.offlineDirectory);
        var built = h.wizard.state.build();
        assertEquals(List.of(), built.problems());
        assertEquals(1, built.spec().offline().of("package").size(), String.valueOf(built.spec().offline()));
        assertFalse(h.shows("✗"), h.text());
        // Review sends the bundle's files: the node's list of packages among its files
        h.wizard.go(h.wizard.reviewIndex());
        h.pump();
        assertTrue(h.row(3).startsWith(" ✓ Ready: 1 host, "), h.text());
        h.key(KeyType.Enter).key(KeyType.ArrowDown).key(KeyType.Enter);
        h.key(KeyType.Tab);
        for (int i = 0; i < 40 && !h.shows("── /var/lib/kubewizard/offline/packages/kubernetes.list"); i++) h.key(KeyType.PageDown);
        assertTrue(h.shows("── /var/lib/kubewizard/offline/packages/kubernetes.list"), h.text());
        String yaml = io.kubewizard.answers.AnswersWriter.toYaml(built.spec());
        assertTrue(yaml.contains("\noffline:\n  directory: " + good + "\nssh:\n"), yaml);
        assertFalse(yaml.contains("kubeadm_1.35.2"), "the answers keep the directory, not the manifest");
    }

    @Test
    void reviewShowsThePlanAndEveryFileOfEachHostWithSecretsMasked() {
        Harness h = at("single-node", 10);
        assertEquals(" kubewizard · 11/13 Review", h.row(0));
        assertEquals(" ✓ Ready: 1 host, 10 files, 30 steps.", h.row(3));
        assertEquals(" Show  Plan: 30 steps in 11 phases │▼", h.rowWith("Show"));
        assertEquals(" connect: Connect to every host", h.rowWith("connect:"));
        h.key(KeyType.Enter).key(KeyType.ArrowDown).key(KeyType.Enter);
        assertEquals(" Show  node1: 10 files             │▼", h.rowWith("Show"));
        assertTrue(h.row(7).startsWith(" ── /etc/"), h.text());
        assertEquals(" ── /etc/apt/sources.list.d/kubernetes.list  (0644, deb)", h.row(7));
        h.key(KeyType.Tab);
        for (int i = 0; i < 30 && !h.shows("── /etc/kubernetes/kubeadm/init.yaml"); i++) h.key(KeyType.PageDown);
        assertTrue(h.shows("── /etc/kubernetes/kubeadm/init.yaml  (0600, secret, masked)"), h.text());
        h.key(KeyType.ArrowDown, 6);
        assertEquals(" - token: '******.****************'", h.rowWith("- token:"));
        assertFalse(h.shows("↓ 0 "), "the hint counts the lines below");
    }

    @Test
    void reviewListsTheErrorsOfOtherPagesAndRefusesToGoOn() {
        Harness h = at("single-node", 1);
        h.clear(6).type("X");
        h.wizard.go(h.wizard.reviewIndex());
        h.pump();
        assertEquals(" ✗ 1 error stands in the way: fix it on its page.", h.row(3));
        h.assertShows("✗ Cluster (cluster.name): 'X' is not a valid cluster name: use a DNS-1123 label (lowercase "
                + "letters, digits and '-', starting and ending with a letter or digit, at most 63 characters)");
        assertEquals(" kubewizard · 11/13 Review", h.row(0));
        assertEquals(" ·1 ✗2 ·3 ·4 ·5 ·6 ·7 ·8 ·9 ·10 ▶11 ·12 ·13", h.row(1), "Welcome was never shown: answers were given");
    }

    @Test
    void backNeverLosesInput() {
        Harness h = at("single-node", 5);
        h.key(KeyType.Tab, 2).clear(14).type("10.200.0.0/16");
        h.wizard.back();
        h.pump();
        h.wizard.back();
        h.pump();
        assertEquals(" kubewizard · 4/13 Hosts", h.row(0));
        h.wizard.next();
        h.pump();
        h.wizard.next();
        h.pump();
        assertEquals(" Pod subnet      10.200.0.0/16            ✓", h.rowWith("Pod subnet"));
    }

    @Test
    void everyPageFitsAt80x24() {
        Harness h = at("ha-external-etcd", 0);
        String[] titles = {"Welcome", "Cluster", "Topology", "Hosts", "Runtime", "Network", "Load balancer", "Security",
                "Advanced", "Sources", "Review", "Run", "Finish"};
        for (int i = 0; i < titles.length; i++) {
            h.wizard.go(i);
            h.pump();
            assertEquals(" kubewizard · " + (i + 1) + "/13 " + titles[i], h.row(0));
            assertTrue(h.row(23).endsWith("F1 help · Ctrl-S save · Esc quit")
                    || h.row(23).endsWith("F1 help · ↑↓ host · Tab log · Ctrl-C abort"), h.text());
        }
    }

    @Test
    void aTallPageScrollsToKeepTheFocusedFieldInView() {
        Harness h = at("single-node", 7);
        h.key(KeyType.Tab, 2).clear(5).type("x").key(KeyType.Tab).clear(6).type("y").key(KeyType.Tab).type("a! b! c!");
        h.key(KeyType.Tab, 4).clear(11).type("A_ B_ C_");
        assertTrue(h.row(20).endsWith("▼"), "more below:\n" + h.text());
        h.key(KeyType.Tab, 2);
        assertEquals(" Audit log             [ ] ✓", h.rowWith("Audit log"));
        assertTrue(h.row(3).endsWith("▲"), "more above:\n" + h.text());
        assertFalse(h.shows("PKI made by"), "the first rows scrolled away");
        h.key(KeyType.Tab, 3);
        assertEquals(" PKI made by           kubeadm    │▼ ✓", h.rowWith("PKI made by"),
                "Tab wrapped round to the first field, and the page scrolled back");
    }

    @Test
    void welcomeOpensTheUsersFileAndOffersItAsTheSavePath() throws Exception {
        Path file = tmp.resolve("mine.yaml");
        java.nio.file.Files.writeString(file, java.nio.file.Files.readString(Harness.presets()
                .resolve("ha-stacked.yaml")));
        Harness h = new Harness(80, 24, Harness.options(Locale.ENGLISH, tmp, tmp));
        h.key(KeyType.ArrowDown).key(KeyType.Enter).key(KeyType.Tab).type("mine.yaml\n");
        h.wizard.next();
        h.pump();
        assertEquals(" kubewizard · 2/13 Cluster", h.row(0));
        assertEquals(" ✓ Loaded " + file + ".", h.row(22));
        assertEquals(" Cluster name           ha-stacked                     ✓", h.rowWith("Cluster name"));
        h.ctrl('s');
        assertTrue(h.shows("│ " + file + " "), h.text());
        h.key(KeyType.Escape);
        h.wizard.back();
        h.pump();
        h.wizard.next();
        h.pump();
        assertEquals(" Cluster name           ha-stacked                     ✓", h.rowWith("Cluster name"),
                "Back to Welcome and Next again does not load anything anew");
    }

    @Test
    void reflowsWhenTheTerminalIsResized() {
        Harness h = at("single-node", 1);
        h.clear(6).type("Prod");
        h.resize(120, 30);
        assertEquals(" Cluster name           Prod                           ✗", h.rowWith("Cluster name"));
        h.assertShows("✗ 'Prod' is not a valid cluster name: use a DNS-1123 label (lowercase letters, digits and "
                + "'-', starting and ending with a letter or digit, at most 63 characters)");
        assertEquals(2, h.lines().stream().filter(l -> l.contains("not a valid cluster name")
                || l.contains("characters)")).count(), "two lines at 120 columns:\n" + h.text());
        assertTrue(h.row(29).contains("F1 help · Ctrl-S save · Esc quit"), h.text());
        h.resize(80, 24);
        assertTrue(h.row(23).contains("F1 help · Ctrl-S save · Esc quit"), h.text());
    }
}
