package io.kubewizard.render;

import io.kubewizard.answers.AnswersLoader;
import io.kubewizard.testsupport.Presets;
import io.kubewizard.testsupport.SystemDeps;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Golden files for everything render writes: every file of every host of every preset, once with
 * the preset's version (kubeadm.k8s.io/v1beta4) and once with 1.30 (v1beta3), as one listing per
 * case in src/test/resources/golden/render/. A change to any generated file shows up here as a diff.
 * After an intended change: {@code mvn -B -o test -Dtest=GoldenRenderTest -Dgolden.update=true}, then
 * read the diff before committing it.
 */
class GoldenRenderTest {

    static Stream<String> cases() {
        List<String> out = new ArrayList<>();
        for (String preset : Presets.NAMES) {
            out.add(preset + "|v1beta4");
            out.add(preset + "|v1beta3");
        }
        return out.stream();
    }

    static String listing(List<RenderedFile> files) {
        StringBuilder sb = new StringBuilder();
        for (RenderedFile f : files) {
            sb.append("=== ").append(f.host()).append(' ').append(f.path()).append(' ').append(f.modeString());
            if (f.secret()) sb.append(" secret");
            if (f.os() != RenderedFile.OsFamily.ANY) sb.append(" os=").append(f.os().name().toLowerCase());
            sb.append('\n').append(f.content());
            if (!f.content().endsWith("\n")) sb.append("\\ no newline at end of file\n");
        }
        return sb.toString();
    }

    @ParameterizedTest
    @MethodSource("cases")
    void renderMatchesGolden(String c) throws IOException {
        String preset = c.split("\\|")[0];
        String api = c.split("\\|")[1];
        String text = Presets.text(preset);
        if (api.equals("v1beta3")) text = text.replace("kubernetesVersion: 1.35.2", "kubernetesVersion: 1.30.14");
        AnswersLoader.Result r = AnswersLoader.parse(preset + ".yaml", text);
        assertFalse(r.hasErrors(), () -> r.errors().toString());
        assertEquals(api.equals("v1beta4"), r.spec().version().usesV1beta4());
        String actual = listing(Render.render(r.spec(), Secrets.MASKED));
        Path golden = SystemDeps.root().resolve("src/test/resources/golden/render/" + preset + "-" + api + ".txt");
        if (Boolean.getBoolean("golden.update")) {
            Files.createDirectories(golden.getParent());
            Files.writeString(golden, actual);
        }
        assertTrue(Files.exists(golden), "missing golden file " + golden + " (run with -Dgolden.update=true)");
        assertEquals(Files.readString(golden), actual, "render output differs from " + golden);
    }

    static Stream<String> mirrorCases() {
        List<String> out = new ArrayList<>();
        for (String runtime : List.of("containerd", "cri-o", "docker")) {
            out.add(runtime + "|calico");
            out.add(runtime + "|cilium");
        }
        return out.stream();
    }

    /**
     * The single-node preset with every mirror set (testsupport.MirrorAnswers), per runtime and with a
     * manifest CNI and a chart CNI. The jump-host files are named at a fixed path, so the golden file
     * does not depend on where the test ran; that they do not exist there is the only problem.
     */
    @ParameterizedTest
    @MethodSource("mirrorCases")
    void mirroredRenderMatchesGolden(String c, @org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        String runtime = c.split("\\|")[0];
        String cni = c.split("\\|")[1];
        String text = io.kubewizard.testsupport.MirrorAnswers.preset("single-node", runtime, cni, dir)
                .replace(dir.toString(), "/home/op/jump");
        AnswersLoader.Result r = AnswersLoader.parse("single-node.yaml", text);
        assertEquals(List.of("loader.mirrors.fileMissing"), r.errors().stream().map(p -> p.code()).distinct().toList());
        String actual = listing(Render.render(r.spec(), Secrets.MASKED));
        Path golden = SystemDeps.root().resolve("src/test/resources/golden/render/mirrors-" + runtime + "-" + cni + ".txt");
        if (Boolean.getBoolean("golden.update")) Files.writeString(golden, actual);
        assertTrue(Files.exists(golden), "missing golden file " + golden + " (run with -Dgolden.update=true)");
        assertEquals(Files.readString(golden), actual, "render output differs from " + golden);
    }
}
