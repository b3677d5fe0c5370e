package io.kubewizard.testsupport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A preset with every kind of mirror set (docs/answers.md "Mirrors"): packages of every source,
 * the four public registries behind one Harbor (one endpoint with a path, a CA from the jump host),
 * and every download from a base URL, pinned. The jump-host files are written into a directory the
 * test owns. And the public hosts no file or command of such a cluster may name.
 */
public final class MirrorAnswers {
    private MirrorAnswers() {}

    /** The hosts the nodes must never be sent to once mirrors are set (the list). */
    public static final List<String> PUBLIC_HOSTS = List.of("pkgs.k8s.io", "download.docker.com", "registry.k8s.io",
            "docker.io", "registry-1.docker.io", "quay.io", "ghcr.io", "github.com", "raw.githubusercontent.com",
            "objects.githubusercontent.com", "download.opensuse.org", "get.helm.sh", "helm.cilium.io", "dl.k8s.io",
            "packages.cloud.google.com", "apt.kubernetes.io", "k8s.gcr.io", "gcr.io");

    private static final Pattern ANY_PUBLIC = Pattern.compile("(?<![A-Za-z0-9.-])("
            + String.join("|", PUBLIC_HOSTS.stream().map(Pattern::quote).toList()) + ")(?![A-Za-z0-9-])");
    /**
     * CRI-O's mirror file names what it redirects, the one mention of a public registry a mirror
     * setup needs: {@code prefix = "docker.io"} is matched against image names, never contacted.
     */
    private static final Pattern CRIO_PREFIX = Pattern.compile("(?m)^prefix = \"[^\"]*\"$");

    /** containerd's directory per registry is named after it: a path on the node, never contacted. */
    private static final Pattern CERTS_D = Pattern.compile("/etc/containerd/certs\\.d/[^/\"\\s]+/");

    /** The public hosts a text names, CRI-O's prefix lines and containerd's certs.d paths aside; empty when none. */
    public static List<String> publicHosts(String text) {
        String kept = CERTS_D.matcher(CRIO_PREFIX.matcher(text).replaceAll("")).replaceAll("/etc/containerd/certs.d/REGISTRY/");
        Matcher m = ANY_PUBLIC.matcher(kept);
        List<String> out = new java.util.ArrayList<>();
        while (m.find()) out.add(m.group(1));
        return out;
    }

    public static final String CA = """
            -----BEGIN CERTIFICATE-----
            MIIBdzCCAR2gAwIBAgIUQ2FtaXJyb3JzLXRlc3QtY2EtMDEwCgYIKoZIzj0EAwIw
            -----END CERTIFICATE-----
            """;
    public static final String KEY = "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nmQINBGTest\n-----END PGP PUBLIC KEY BLOCK-----\n";

    public static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    /** A preset's text with {@code runtime.type} set and a full mirrors section, its files written into {@code dir}. */
    public static String preset(String preset, String runtime, String cni, Path dir) {
        String text = Presets.text(preset).replace("  type: containerd\n", "  type: " + runtime + "\n")
                .replace("  cni: calico\n", "  cni: " + cni + "\n");
        String first = text.replace("\nssh:\n", "\n" + mirrors(dir) + "ssh:\n");
        var spec = io.kubewizard.answers.AnswersLoader.parse(preset + ".yaml", first.replace("{SHA}", "{}")).spec();
        StringBuilder pins = new StringBuilder("\n");
        for (var d : io.kubewizard.answers.Downloadables.of(spec)) {
            pins.append("      ").append(d.name()).append(": ").append(sha256(d.name())).append('\n');
        }
        String sha = pins.length() == 1 ? "{}" : pins.toString().stripTrailing();
        return first.replace("{SHA}", sha);
    }

    /** The mirrors section, every download of every runtime and CNI pinned (the rules drop none the cluster needs). */
    public static String mirrors(Path dir) {
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("harbor-ca.crt"), CA);
            Files.writeString(dir.resolve("docker.asc"), KEY);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        String hex = "0123456789abcdef".repeat(4);
        return """
                mirrors:
                  packages:
                    kubernetes:
                      deb: https://nexus.corp.example/k8s/core:/stable:/{minor}/deb/
                      rpm: https://nexus.corp.example/k8s/core:/stable:/{minor}/rpm/
                      key: https://nexus.corp.example/k8s/core:/stable:/{minor}/deb/Release.key
                    cri-o:
                      deb: https://nexus.corp.example/cri-o/stable:/{minor}/deb/
                      rpm: https://nexus.corp.example/cri-o/stable:/{minor}/rpm/
                      key: https://nexus.corp.example/cri-o/stable:/{minor}/deb/Release.key
                      keySha256: %2$s
                    docker:
                      deb: https://nexus.corp.example/docker/linux/
                      rpm: https://nexus.corp.example/docker/linux/centos/$releasever/$basearch/stable
                      key: %1$s/docker.asc
                      keySha256: %3$s
                  registries:
                    registry.k8s.io:
                      endpoints: [https://harbor.corp.example/k8s]
                      ca: %1$s/harbor-ca.crt
                      caSha256: %4$s
                    docker.io:
                      endpoints: [https://hub-mirror.corp.example, https://harbor.corp.example:8443]
                      ca: %1$s/harbor-ca.crt
                      caSha256: %4$s
                    quay.io:
                      endpoints: [https://harbor.corp.example/quay]
                      ca: %1$s/harbor-ca.crt
                      caSha256: %4$s
                    ghcr.io:
                      endpoints: [http://registry.lab.example:5000/ghcr]
                  downloads:
                    baseUrl: https://nexus.corp.example/files/
                    sha256: {SHA}
                """.formatted(dir, hex, sha256(KEY), sha256(CA));
    }
}
