package io.kubewizard.plan;

import io.kubewizard.answers.AnswersLoader;
import io.kubewizard.answers.Downloadables;
import io.kubewizard.answers.Spec.BundleFile;
import io.kubewizard.answers.Spec.ClusterSpec;
import io.kubewizard.answers.Spec.Offline;
import io.kubewizard.render.Images;
import io.kubewizard.render.Render;
import io.kubewizard.render.RenderedFile;
import io.kubewizard.render.RenderedFile.OsFamily;
import io.kubewizard.render.Secrets;
import io.kubewizard.testsupport.MirrorAnswers;
import io.kubewizard.testsupport.Presets;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * offline.directory (docs/answers.md "Offline install"): no repository is written and no command
 * fetches; each host receives its family's and machine's packages and images from the bundle, and
 * imports the images before kubeadm runs.
 */
class OfflinePlanTest {
    static final String SHA = "ab".repeat(32);

    static ClusterSpec offline(String preset, String runtime, String cni) {
        String text = Presets.text(preset).replace("  type: containerd\n", "  type: " + runtime + "\n")
                .replace("  cni: calico\n", "  cni: " + cni + "\n");
        ClusterSpec spec = AnswersLoader.parse(preset + ".yaml", text).spec();
        String source = runtime.equals("cri-o") ? "cri-o" : "docker";
        List<BundleFile> files = new ArrayList<>();
        for (String arch : List.of("amd64", "arm64")) {
            files.add(pkg("deb", arch, "kubernetes", "", "kubeadm_1.35.2-1.1_" + arch + ".deb"));
            files.add(pkg("rpm", arch, "kubernetes", "", "kubeadm-1.35.2-150500.1.1." + (arch.equals("amd64") ? "x86_64" : "aarch64") + ".rpm"));
            files.add(pkg("deb", arch, source, source.equals("docker") ? "debian-bookworm" : "", "runtime_1_" + arch + ".deb"));
            for (Images.Image i : Images.of(spec)) {
                String rel = "images/" + arch + "/" + i.pulled().replace('/', '_').replace(':', '_') + ".tar";
                files.add(new BundleFile(rel, "image", "", arch, "", i.pulled(), "", sha(rel), 10, "/b/" + rel));
            }
        }
        for (Downloadables.Download d : Downloadables.of(spec)) {
            files.add(new BundleFile("downloads/" + d.name(), "download", "", "", "", d.name(), "", SHA, 10, "/b/downloads/" + d.name()));
        }
        return spec.withOffline(new Offline("/b", files));
    }

    private static BundleFile pkg(String family, String arch, String source, String dist, String file) {
        String rel = "packages/" + family + "/" + arch + "/" + source + "/" + (dist.isEmpty() ? "" : dist + "/") + file;
        return new BundleFile(rel, "package", family, arch, source, file, "1", sha(rel), 10, "/b/" + rel);
    }

    private static String sha(String s) { return MirrorAnswers.sha256(s); }

    @Test
    void noPresetRuntimeOrCniFetchesOrWritesARepository() {
        List<String> found = new ArrayList<>();
        int cases = 0;
        for (String preset : Presets.NAMES) {
            for (String runtime : List.of("containerd", "cri-o", "docker")) {
                for (String cni : List.of("calico", "flannel", "cilium")) {
                    ClusterSpec spec = offline(preset, runtime, cni);
                    List<RenderedFile> files = Render.render(spec, Secrets.MASKED);
                    String where = preset + "/" + runtime + "/" + cni;
                    for (RenderedFile f : files) {
                        if (f.path().startsWith("/etc/apt/sources.list.d/") || f.path().startsWith("/etc/yum.repos.d/")) {
                            found.add(where + " writes " + f.path());
                        }
                    }
                    Plan plan = Plan.build(spec, files);
                    for (Step s : plan.steps()) {
                        if (s.id().endsWith("/repository")) found.add(where + " has " + s.key());
                        for (String c : s.commands()) {
                            for (String h : MirrorAnswers.publicHosts(c)) found.add(where + " " + s.key() + " runs " + h + ": " + c);
                            if (c.contains("curl ") || c.contains("apt-get update")) found.add(where + " " + s.key() + " fetches: " + c);
                        }
                    }
                    cases++;
                }
            }
        }
        assertEquals(27, cases);
        assertEquals(List.of(), found);
    }

    @Test
    void eachHostGetsItsFamilysAndMachinesFilesAndImportsTheImagesBeforeInit() {
        ClusterSpec spec = offline("single-node", "containerd", "calico");
        Plan plan = Plan.build(spec, Render.render(spec, Secrets.MASKED));
        Step install = plan.steps().stream().filter(s -> s.id().equals("packages/install")).findFirst().orElseThrow();
        assertTrue(install.uploadsVaryByArch());
        assertEquals(List.of("/var/lib/kubewizard/offline/packages/kubernetes.list",
                        "/var/lib/kubewizard/offline/packages/kubernetes/kubeadm_1.35.2-1.1_amd64.deb"),
                install.uploads(OsFamily.DEB, "amd64").stream().map(RenderedFile::path).sorted().toList());
        assertEquals(List.of("/var/lib/kubewizard/offline/packages/kubernetes.list",
                        "/var/lib/kubewizard/offline/packages/kubernetes/kubeadm-1.35.2-150500.1.1.aarch64.rpm"),
                install.uploads(OsFamily.RPM, "arm64").stream().map(RenderedFile::path).sorted().toList());
        RenderedFile list = install.uploads(OsFamily.DEB, "arm64").stream()
                .filter(f -> f.path().endsWith(".list")).findFirst().orElseThrow();
        assertEquals("- /var/lib/kubewizard/offline/packages/kubernetes/kubeadm_1.35.2-1.1_arm64.deb\n", list.content());
        assertEquals(List.of(), install.uploads(OsFamily.DEB, null), "a host of no known machine gets none of them");
        RenderedFile kubeadm = install.uploads(OsFamily.DEB, "amd64").stream().filter(f -> f.path().endsWith(".deb"))
                .findFirst().orElseThrow();
        assertEquals("/b/packages/deb/amd64/kubernetes/kubeadm_1.35.2-1.1_amd64.deb", kubeadm.localPath());
        assertTrue(install.run(OsFamily.DEB).get(0).endsWith("apt-get install -y --allow-change-held-packages $f"),
                install.run(OsFamily.DEB)::toString);

        List<String> ids = plan.steps().stream().map(Step::id).toList();
        int images = ids.indexOf("runtime/images");
        assertTrue(images > ids.indexOf("runtime/config") && images < ids.indexOf("control-plane/init"), ids::toString);
        Step imports = plan.steps().get(images);
        RenderedFile imageList = imports.uploads(OsFamily.DEB, "amd64").stream()
                .filter(f -> f.path().equals("/var/lib/kubewizard/offline/images/images.list")).findFirst().orElseThrow();
        String first = Images.of(spec).get(0).pulled();
        assertTrue(imageList.content().startsWith(first + " /var/lib/kubewizard/offline/images/"), imageList.content());
        assertEquals(List.of("while read -r name f; do ctr -n k8s.io images import \"$f\" </dev/null || { echo \"cannot import "
                + "$name from $f\" >&2; exit 1; }; done < /var/lib/kubewizard/offline/images/images.list"), imports.run(OsFamily.DEB));
        assertFalse(plan.steps().stream().anyMatch(s -> s.key().startsWith("preflight/mirrors")), "nothing to reach");
    }
}
