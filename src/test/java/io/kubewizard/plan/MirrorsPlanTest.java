package io.kubewizard.plan;

import io.kubewizard.answers.AnswersLoader;
import io.kubewizard.render.Render;
import io.kubewizard.render.RenderedFile;
import io.kubewizard.render.Secrets;
import io.kubewizard.testsupport.MirrorAnswers;
import io.kubewizard.testsupport.Presets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The guarantee of mirrors (docs/answers.md "Mirrors"): with every source mirrored, no file render
 * writes and no command the install plan runs, on any preset, runtime or CNI, names a public host.
 */
class MirrorsPlanTest {

    @Test
    void withEveryMirrorSetNoFileAndNoCommandNamesAPublicHost(@TempDir Path dir) {
        List<String> found = new ArrayList<>();
        int cases = 0;
        for (String preset : Presets.NAMES) {
            for (String runtime : List.of("containerd", "cri-o", "docker")) {
                for (String cni : List.of("calico", "flannel", "cilium")) {
                    String text = MirrorAnswers.preset(preset, runtime, cni, dir);
                    AnswersLoader.Result r = AnswersLoader.parse(preset + ".yaml", text);
                    assertFalse(r.hasErrors(), () -> preset + " " + runtime + " " + cni + ": " + r.errors());
                    // the fixture mirrors all three package sources: one of them is unused by each runtime
                    assertEquals(List.of("mirrors.packages.unused"), r.warnings().stream().map(p -> p.code()).toList(),
                            preset + " " + runtime + " " + cni);
                    List<RenderedFile> files = Render.render(r.spec(), Secrets.MASKED);
                    String where = preset + "/" + runtime + "/" + cni;
                    for (RenderedFile f : files) {
                        for (String h : MirrorAnswers.publicHosts(f.content())) found.add(where + " " + f.host() + ":" + f.path() + " names " + h);
                    }
                    Plan plan = Plan.build(r.spec(), files);
                    for (Step s : plan.steps()) {
                        for (String c : s.commands()) {
                            for (String h : MirrorAnswers.publicHosts(c)) found.add(where + " " + s.key() + " runs " + h + ": " + c);
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
    void withoutMirrorsThePublicHostsAreThereSoTheCheckSeesThem() {
        var r = AnswersLoader.parse("single-node.yaml", Presets.text("single-node"));
        List<RenderedFile> files = Render.render(r.spec(), Secrets.MASKED);
        List<String> hosts = new ArrayList<>();
        for (RenderedFile f : files) hosts.addAll(MirrorAnswers.publicHosts(f.content()));
        for (Step s : Plan.build(r.spec(), files).steps()) for (String c : s.commands()) hosts.addAll(MirrorAnswers.publicHosts(c));
        assertTrue(hosts.containsAll(List.of("pkgs.k8s.io", "registry.k8s.io", "download.docker.com",
                "raw.githubusercontent.com")), hosts::toString);
    }

    /** cri-dockerd, the download that had no checksum: from the mirror by name, or uploaded, and checked either way. */
    @Test
    void criDockerdComesFromTheMirrorOrTheJumpHostCheckedByItsSha256(@TempDir Path dir) throws Exception {
        String text = MirrorAnswers.preset("single-node", "docker", "calico", dir);
        var r = AnswersLoader.parse("single-node.yaml", text);
        List<RenderedFile> files = Render.render(r.spec(), Secrets.MASKED);
        Step install = Plan.build(r.spec(), files).steps().stream().filter(s -> s.key().equals("runtime/install@node1"))
                .findFirst().orElseThrow();
        String amd64 = MirrorAnswers.sha256("cri-dockerd-0.4.10.amd64.tgz");
        String deb = String.join("\n", install.run(RenderedFile.OsFamily.DEB));
        assertTrue(deb.contains("x86_64) f=/var/lib/kubewizard/downloads/cri-dockerd-0.4.10.amd64.tgz && install -d -m 0755 "
                + "/var/lib/kubewizard/downloads && curl -fsSL -o /var/lib/kubewizard/downloads/cri-dockerd-0.4.10.amd64.tgz "
                + "https://nexus.corp.example/files/cri-dockerd-0.4.10.amd64.tgz && got="), deb);
        assertTrue(deb.contains("sha256 mismatch for cri-dockerd-0.4.10.amd64.tgz: expected " + amd64 + ", got $got"), deb);
        assertEquals(List.of(), install.uploads());

        Path tgz = dir.resolve("cri-dockerd.tgz");
        java.nio.file.Files.writeString(tgz, "tarball");
        // every download from the jump host, no arm64 build (those nodes would stop with a message)
        String uploaded = text.replace("    baseUrl: https://nexus.corp.example/files/\n",
                "    files: {cri-dockerd-0.4.10.amd64.tgz: " + tgz + ", calico-v3.32.2-operator-crds.yaml: " + tgz
                        + ", calico-v3.32.2-tigera-operator.yaml: " + tgz + "}\n")
                .replace("      cri-dockerd-0.4.10.arm64.tgz: " + MirrorAnswers.sha256("cri-dockerd-0.4.10.arm64.tgz") + "\n", "");
        var u = AnswersLoader.parse("single-node.yaml", uploaded);
        assertFalse(u.hasErrors(), () -> u.errors().toString());
        List<RenderedFile> ufiles = Render.render(u.spec(), Secrets.MASKED);
        Step step = Plan.build(u.spec(), ufiles).steps().stream().filter(s -> s.key().equals("runtime/install@node1"))
                .findFirst().orElseThrow();
        assertEquals(List.of("/var/lib/kubewizard/downloads/cri-dockerd-0.4.10.amd64.tgz"), step.uploads().stream().map(RenderedFile::path).toList());
        assertEquals(tgz.toString(), step.uploads().get(0).localPath());
        assertEquals(amd64, step.uploads().get(0).localSha256());
        String udeb = String.join("\n", step.run(RenderedFile.OsFamily.DEB));
        assertTrue(udeb.contains("x86_64) f=/var/lib/kubewizard/downloads/cri-dockerd-0.4.10.amd64.tgz && test -s "
                + "/var/lib/kubewizard/downloads/cri-dockerd-0.4.10.amd64.tgz && got="), udeb);
    }
}
