package io.kubewizard.plan;

import io.kubewizard.answers.AnswersLoader;
import io.kubewizard.answers.Spec.ClusterSpec;
import io.kubewizard.render.Render;
import io.kubewizard.render.RenderedFile;
import io.kubewizard.render.Secrets;
import io.kubewizard.testsupport.MirrorAnswers;
import io.kubewizard.testsupport.Presets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Preflight's check that every host reaches the mirrors the answers name (MirrorReach). */
class MirrorReachTest {
    @TempDir Path dir;

    private ClusterSpec spec(String preset, String runtime) {
        AnswersLoader.Result r = AnswersLoader.parse(preset + ".yaml", MirrorAnswers.preset(preset, runtime, "calico", dir));
        assertTrue(!r.hasErrors(), r.errors()::toString);
        return r.spec();
    }

    @Test
    void theTargetsAreTheUrlsTheHostsWillFetchFromEachOnce() {
        MirrorReach reach = MirrorReach.of(spec("single-node", "containerd"));
        String ca = dir.resolve("harbor-ca.crt").toString();
        String caSha = MirrorAnswers.sha256(MirrorAnswers.CA);
        assertEquals(List.of(
                new MirrorReach.Target("mirrors.packages.kubernetes.deb", "https://nexus.corp.example/k8s/core:/stable:/v1.35/deb/", "deb", "", ""),
                new MirrorReach.Target("mirrors.packages.kubernetes.rpm", "https://nexus.corp.example/k8s/core:/stable:/v1.35/rpm/", "rpm", "", ""),
                new MirrorReach.Target("mirrors.packages.kubernetes.key", "https://nexus.corp.example/k8s/core:/stable:/v1.35/deb/Release.key", "", "", ""),
                new MirrorReach.Target("mirrors.packages.docker.deb", "https://nexus.corp.example/docker/linux/", "deb", "", ""),
                new MirrorReach.Target("mirrors.packages.docker.rpm", "https://nexus.corp.example/docker/linux/centos/$releasever/$basearch/stable", "rpm", "", ""),
                new MirrorReach.Target("mirrors.registries.registry.k8s.io", "https://harbor.corp.example/v2/", "", ca, caSha),
                new MirrorReach.Target("mirrors.registries.docker.io", "https://hub-mirror.corp.example/v2/", "", ca, caSha),
                new MirrorReach.Target("mirrors.registries.docker.io", "https://harbor.corp.example:8443/v2/", "", ca, caSha),
                new MirrorReach.Target("mirrors.registries.ghcr.io", "http://registry.lab.example:5000/v2/", "", "", ""),
                new MirrorReach.Target("mirrors.downloads.baseUrl", "https://nexus.corp.example/files/", "", "", "")),
                reach.targets());
        // the CA the https registries need, uploaded once under the name of its hash
        assertEquals(List.of("/run/kubewizard/preflight/" + caSha + ".crt"),
                reach.uploads("node1").stream().map(RenderedFile::path).toList());
        assertEquals(ca, reach.uploads("node1").get(0).localPath());
    }

    @Test
    void eachCommandPrintsOneLineAndPackageUrlsAreCheckedOnTheirFamilyOnly() {
        MirrorReach reach = MirrorReach.of(spec("single-node", "containerd"));
        List<String> commands = reach.commands();
        assertEquals(reach.targets().size(), commands.size());
        assertEquals("if (. /etc/os-release; for n in $ID $ID_LIKE; do case \"$n\" in debian|ubuntu) exit 0;; esac; done; exit 1); "
                + "then if ! command -v curl >/dev/null 2>&1; then echo 'skip curl is not installed yet'; elif out=$(curl -sS -I "
                + "-o /dev/null -w '%{http_code}' --max-time 10 https://nexus.corp.example/k8s/core:/stable:/v1.35/deb/ 2>&1); "
                + "then echo \"ok $out\"; else echo \"fail $? $out\"; fi; else echo 'skip not a deb host'; fi", commands.get(0));
        String caSha = MirrorAnswers.sha256(MirrorAnswers.CA);
        assertTrue(commands.get(5).contains(" --cacert /run/kubewizard/preflight/" + caSha + ".crt https://harbor.corp.example/v2/ 2>&1"),
                commands.get(5));
        assertTrue(commands.get(commands.size() - 1).endsWith("; rm -rf /run/kubewizard/preflight"), "the last one cleans up");
        assertTrue(commands.stream().limit(commands.size() - 1).noneMatch(c -> c.contains("rm -rf")));
    }

    @Test
    void theResultNamesEachUrlThatFailedWithItsFieldAndCurlsReason() {
        MirrorReach reach = MirrorReach.of(spec("single-node", "containerd"));
        List<String> outputs = new java.util.ArrayList<>(java.util.Collections.nCopies(reach.targets().size(), "ok 200\n"));
        outputs.set(1, "skip not a rpm host\n");
        outputs.set(5, "fail 60 000curl: (60) SSL certificate problem: unable to get local issuer certificate\n");
        outputs.set(8, "ok 401\n");
        outputs.set(9, "fail 7 000curl: (7) Failed to connect to nexus.corp.example port 443 after 3 ms: Couldn't connect to server\n");
        MirrorReach.Result r = reach.parse(outputs);
        assertEquals(List.of("cannot reach https://harbor.corp.example/v2/ (mirrors.registries.registry.k8s.io): curl: (60) SSL "
                        + "certificate problem: unable to get local issuer certificate",
                "cannot reach https://nexus.corp.example/files/ (mirrors.downloads.baseUrl): curl: (7) Failed to connect to "
                        + "nexus.corp.example port 443 after 3 ms: Couldn't connect to server"), r.problems());
        assertEquals("https://nexus.corp.example/k8s/core:/stable:/v1.35/rpm/ not checked: not a rpm host", r.notes().get(1));
        assertEquals("http://registry.lab.example:5000/v2/ answered 401", r.notes().get(r.notes().size() - 1));
        assertThrows(IllegalArgumentException.class, () -> reach.parse(outputs.subList(0, 3)));
        outputs.set(0, "garbage");
        assertThrows(IllegalArgumentException.class, () -> reach.parse(outputs));
    }

    @Test
    void withMirrorsEveryHostChecksThemInPreflightAndWithoutThereIsNoSuchStep() {
        ClusterSpec mirrored = spec("ha-stacked", "containerd");
        Plan plan = Plan.build(mirrored, Render.render(mirrored, Secrets.MASKED));
        List<Step> checks = plan.steps().stream().filter(s -> s.id().equals("preflight/mirrors")).toList();
        assertEquals(mirrored.hosts().stream().map(h -> "preflight/mirrors@" + h.name()).toList(),
                checks.stream().map(Step::key).toList());
        for (Step s : checks) {
            assertEquals("preflight", s.phase());
            assertEquals(Judge.READ_PROBLEMS, s.judge());
            assertEquals(MirrorReach.of(mirrored), s.reads());
        }
        var plain = AnswersLoader.parse("ha-stacked.yaml", Presets.text("ha-stacked")).spec();
        assertEquals(List.of(), Plan.build(plain, Render.render(plain, Secrets.MASKED)).steps().stream()
                .filter(s -> s.id().equals("preflight/mirrors")).toList());
    }
}
