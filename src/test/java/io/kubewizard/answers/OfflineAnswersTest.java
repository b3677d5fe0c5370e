package io.kubewizard.answers;

import io.kubewizard.answers.Spec.BundleFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** offline.directory: the loader reads the bundle's manifest and refuses what it can check cheaply. */
class OfflineAnswersTest {
    @TempDir Path dir;

    static final String SINGLE_NONE = Fixtures.SINGLE.replace("hosts:\n", "network:\n  cni: none\nhosts:\n");

    static String with(String answers, String directory) {
        return answers + "offline:\n  directory: " + directory + "\n";
    }

    static String manifest(String version, String cni, String files) {
        return "apiVersion: kubewizard.io/v1alpha1\nkind: Bundle\nkubernetesVersion: " + version + "\nruntime: containerd\ncni: "
                + cni + "\nfiles:" + (files.isEmpty() ? " []\n" : "\n" + files);
    }

    static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    /** A text per offline problem the loader reports, their bundles made under {@code root}. */
    static List<String> broken(Path root) throws Exception {
        List<String> out = new ArrayList<>();
        out.add(with(SINGLE_NONE, "relative/bundle"));
        out.add(with(SINGLE_NONE, root.resolve("absent").toString()));
        Path empty = Files.createDirectories(root.resolve("empty"));
        out.add(with(SINGLE_NONE, empty.toString()));
        out.add(with(SINGLE_NONE, bundle(root, "malformed", "a: [1\n").toString()));
        out.add(with(SINGLE_NONE, bundle(root, "other-kind", "kind: Answers\n").toString()));
        out.add(with(Fixtures.SINGLE, bundle(root, "other-version", manifest("1.34.1", "calico", "")).toString()));
        out.add(with(SINGLE_NONE, bundle(root, "bad-entry", manifest("1.35.2", "none", "  - {path: /etc/passwd, kind: image}\n")).toString()));
        out.add(with(SINGLE_NONE, bundle(root, "gone", manifest("1.35.2", "none", "  - {path: images/amd64/x.tar, kind: image, sha256: "
                + "ab".repeat(32) + ", size: 3}\n")).toString()));
        Path resized = bundle(root, "resized", manifest("1.35.2", "none", "  - {path: images/amd64/x.tar, kind: image, sha256: "
                + "ab".repeat(32) + ", size: 4}\n"));
        Files.createDirectories(resized.resolve("images/amd64"));
        Files.writeString(resized.resolve("images/amd64/x.tar"), "abc");
        out.add(with(SINGLE_NONE, resized.toString()));
        out.add(with(SINGLE_NONE, bundle(root, "no-packages", manifest("1.35.2", "none", "")).toString()));
        return out;
    }

    private static Path bundle(Path root, String name, String manifest) throws IOException {
        Path d = Files.createDirectories(root.resolve(name));
        Files.writeString(d.resolve("manifest.yaml"), manifest);
        return d;
    }

    private static List<String> lines(String text) {
        return AnswersLoader.parse("answers.yaml", text).problems().stream().filter(Problem::isError)
                .map(p -> p.location().line() + ":" + p.location().column() + " " + p.field() + ": " + p.message()).toList();
    }

    @Test
    void eachProblemNamesTheFieldWithItsLineAndWhatToDo() throws Exception {
        List<String> texts = broken(dir);
        String at = "11:14 offline.directory: ";
        assertEquals(List.of(at + "relative/bundle is not a jump-host directory: give an absolute path or one under ~/"),
                lines(texts.get(0)));
        assertEquals(List.of(at + dir.resolve("absent") + " is no directory on the jump host"), lines(texts.get(1)));
        assertEquals(List.of(at + dir.resolve("empty") + " holds no manifest.yaml, so it is no bundle: kubewizard bundle -f "
                + "answers.yaml -o DIR writes it last"), lines(texts.get(2)));
        assertTrue(lines(texts.get(3)).get(0).startsWith(at + dir.resolve("malformed/manifest.yaml") + " cannot be read: line 2"),
                lines(texts.get(3))::toString);
        assertEquals(List.of(at + dir.resolve("other-kind/manifest.yaml") + " is no bundle manifest (kind: Bundle with a files list)"),
                lines(texts.get(4)));
        List<String> other = lines(texts.get(5).replace("offline:", "offline:"));
        assertEquals("9:14 offline.directory: the bundle is for Kubernetes 1.34.1, the answers for 1.35.2: make it again with "
                + "kubewizard bundle -f answers.yaml -o DIR", other.get(0));
        assertTrue(other.contains("9:14 offline.directory: the bundle has no calico-v3.32.2-operator-crds.yaml, which the cluster "
                + "needs: make it again with kubewizard bundle -f answers.yaml -o DIR"), other::toString);
        assertEquals(List.of(at + dir.resolve("bad-entry/manifest.yaml") + ": file 1: path, kind (package, image or download), "
                + "sha256 and size are required"), lines(texts.get(6)));
        assertEquals(List.of(at + "images/amd64/x.tar, which manifest.yaml lists, is not in " + dir.resolve("gone")), lines(texts.get(7)));
        assertEquals(List.of(at + "images/amd64/x.tar has 3 bytes, manifest.yaml says 4: the file changed since the bundle was made"),
                lines(texts.get(8)));
        assertEquals(List.of(at + dir.resolve("no-packages") + " holds no packages: make it again with kubewizard bundle -f "
                + "answers.yaml -o DIR"), lines(texts.get(9)));
    }

    @Test
    void aGoodBundleBecomesTheSpecsFilesAndTheWriterKeepsOnlyTheDirectory() throws Exception {
        Path b = Files.createDirectories(dir.resolve("good/packages/deb/amd64/kubernetes"));
        byte[] deb = "!<arch>\n".getBytes();
        Files.write(b.resolve("kubeadm_1.35.2-1.1_amd64.deb"), deb);
        Path root = dir.resolve("good");
        Files.writeString(root.resolve("manifest.yaml"), manifest("1.35.2", "none",
                "  - path: packages/deb/amd64/kubernetes/kubeadm_1.35.2-1.1_amd64.deb\n    kind: package\n    family: deb\n"
                        + "    arch: amd64\n    source: kubernetes\n    name: kubeadm\n    version: 1.35.2-1.1\n    sha256: "
                        + sha256(deb) + "\n    size: " + deb.length + "\n"));
        AnswersLoader.Result r = AnswersLoader.parse("answers.yaml", with(SINGLE_NONE, root.toString()));
        assertEquals(List.of(), r.problems().stream().filter(Problem::isError).toList());
        assertEquals(List.of(new BundleFile("packages/deb/amd64/kubernetes/kubeadm_1.35.2-1.1_amd64.deb", "package", "deb", "amd64",
                "kubernetes", "kubeadm", "1.35.2-1.1", sha256(deb), deb.length,
                root.resolve("packages/deb/amd64/kubernetes/kubeadm_1.35.2-1.1_amd64.deb").toString())), r.spec().offline().files());
        String written = AnswersWriter.toYaml(r.spec());
        assertTrue(written.endsWith("offline:\n  directory: " + root + "\n") || written.contains("\noffline:\n  directory: " + root + "\n"),
                written);
        assertTrue(!written.contains("kubeadm_1.35.2"), written);
    }
}
