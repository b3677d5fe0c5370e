package io.kubewizard.answers;

import io.kubewizard.answers.Spec.PackageSource;
import io.kubewizard.testsupport.MirrorAnswers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The mirrors section read strictly, written back as it was, and its jump-host files checked with their line. */
class MirrorsAnswersTest {

    @Test
    void aFullMirrorsSectionLoadsAndSurvivesARoundTrip(@TempDir Path dir) {
        String text = MirrorAnswers.preset("ha-stacked", "containerd", "calico", dir);
        AnswersLoader.Result r = Fixtures.parse(text);
        assertFalse(r.hasErrors(), () -> r.errors().toString());
        Spec.Mirrors m = r.spec().mirrors();
        assertEquals(List.of(PackageSource.KUBERNETES, PackageSource.CRI_O, PackageSource.DOCKER), List.copyOf(m.packages().keySet()));
        assertTrue(m.packages(PackageSource.DOCKER).keyIsFile());
        assertEquals(List.of("registry.k8s.io", "docker.io", "quay.io", "ghcr.io"), List.copyOf(m.registries().keySet()));
        assertEquals(List.of("https://hub-mirror.corp.example", "https://harbor.corp.example:8443"),
                m.registry("docker.io").endpoints());
        assertEquals(List.of("calico-v3.32.2-operator-crds.yaml", "calico-v3.32.2-tigera-operator.yaml"),
                List.copyOf(m.downloads().sha256().keySet()));
        AnswersLoader.Result again = Fixtures.parse(AnswersWriter.toYaml(r.spec()));
        assertFalse(again.hasErrors(), () -> again.errors().toString());
        assertEquals(r.spec(), again.spec());
    }

    @Test
    void withoutMirrorsTheSavedFileHasNoMirrorsSection() {
        AnswersLoader.Result r = Fixtures.parse(Fixtures.HA);
        assertTrue(r.spec().mirrors().isEmpty());
        assertFalse(AnswersWriter.toYaml(r.spec()).contains("mirrors"));
    }

    @Test
    void unknownKeysWrongValuesAndMissingFilesNameTheirLineAndColumn() {
        String text = Fixtures.HA + """
                mirrors:
                  packages:
                    kubernetes: {deb: https://nexus.example/k8s/, key: /nonexistent/k8s.key, keySha256: %s}
                    containerd: {}
                  registries:
                    quay.io: {endpoint: https://harbor.example/quay}
                """.formatted("ab".repeat(32));
        int line = (int) Fixtures.HA.lines().count() + 1;
        assertEquals(List.of(
                "warning answers.yaml:" + (line + 1) + ":3: mirrors.packages: no mirror for the docker packages (runtime.type containerd): the nodes fetch them from the public repository",
                "error answers.yaml:" + (line + 2) + ":56: mirrors.packages.kubernetes.key: /nonexistent/k8s.key does not exist on the jump host (or is no regular file)",
                "error answers.yaml:" + (line + 3) + ":5: mirrors.packages.containerd: unknown key 'containerd'; known keys: kubernetes, cri-o, docker",
                "error answers.yaml:" + (line + 5) + ":5: mirrors.registries.quay.io.endpoints: no endpoints: give the mirror URLs images of quay.io are pulled from, e.g. https://harbor.example.com/k8s",
                "error answers.yaml:" + (line + 5) + ":15: mirrors.registries.quay.io.endpoint: unknown key 'endpoint', did you mean 'endpoints'?"),
                Fixtures.parse(text).problems().stream().map(Fixtures::line).toList());
    }

    @Test
    void aMissingFileReadsInKorean() {
        Problem p = Fixtures.parse(Fixtures.HA + "mirrors:\n  registries:\n    quay.io: {endpoints: [https://m.example],"
                + " ca: /nonexistent/ca.crt, caSha256: " + "ab".repeat(32) + "}\n").errors().get(0);
        assertEquals("/nonexistent/ca.crt이(가) 점프 호스트에 없다(또는 일반 파일이 아니다)", ProblemTexts.text(p, Locale.KOREAN));
    }

    @Test
    void mirrorUrlsAreHostPortAndAPathPrefix() {
        MirrorUrl u = MirrorUrl.parse("https://harbor.example.com:8443/proxy/k8s/");
        assertEquals("harbor.example.com:8443/proxy/k8s", u.reference());
        assertEquals("https://harbor.example.com:8443", u.origin());
        assertEquals(null, MirrorUrl.parse("https://user@harbor.example.com/"));
        assertEquals(null, MirrorUrl.parse("https://harbor.example.com/?q=1"));
        assertEquals(null, MirrorUrl.parse("ftp://harbor.example.com/"));
    }
}
