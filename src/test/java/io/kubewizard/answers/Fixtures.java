package io.kubewizard.answers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Answers texts the answers tests start from, and a one-line rendering of problems to compare exactly. */
final class Fixtures {
    private Fixtures() {}

    static final String FILE = "answers.yaml";

    /**
     * A valid HA file with no warnings: 3 stacked control planes behind kube-vip, one worker. Line
     * numbers matter to the tests: cluster.name is line 4, network line 11, hosts line 13, cp1 line 14.
     */
    static final String HA = """
            apiVersion: kubewizard.io/v1alpha1
            kind: Answers
            cluster:
              name: prod
              kubernetesVersion: 1.35.2
              controlPlaneEndpoint: 10.0.0.100:6443
              loadBalancer:
                type: kube-vip
                vip: 10.0.0.100
                interface: eth0
            network:
              podSubnet: 192.168.0.0/16
            hosts:
              - {name: cp1, address: 10.0.0.11, roles: [control-plane]}
              - {name: cp2, address: 10.0.0.12, roles: [control-plane]}
              - {name: cp3, address: 10.0.0.13, roles: [control-plane]}
              - {name: w1, address: 10.0.0.21, roles: [worker]}
            """;

    /** A valid single-node file: one host that is control plane and worker. */
    static final String SINGLE = """
            cluster:
              name: single
              kubernetesVersion: 1.35.2
            hosts:
              - name: node1
                address: 10.0.0.11
                roles: [control-plane, worker]
            """;

    /** {@code text} with each {@code from} (which must occur exactly once) replaced by the {@code to} after it. */
    static String edit(String text, String... fromTo) {
        String out = text;
        for (int i = 0; i < fromTo.length; i += 2) {
            String from = fromTo[i];
            int at = out.indexOf(from);
            if (at < 0 || out.indexOf(from, at + 1) >= 0) {
                throw new IllegalArgumentException("'" + from + "' must occur exactly once in:\n" + out);
            }
            out = out.substring(0, at) + fromTo[i + 1] + out.substring(at + from.length());
        }
        return out;
    }

    static AnswersLoader.Result parse(String text) { return AnswersLoader.parse(FILE, text); }

    /** "error answers.yaml:4:9: cluster.name: message" — severity, location, field and message in one string. */
    static String line(Problem p) { return (p.isError() ? "error " : "warning ") + p; }

    static List<String> problems(String text) {
        return parse(text).problems().stream().map(Fixtures::line).toList();
    }

    static void assertProblems(String text, String... expected) {
        assertEquals(List.of(expected), problems(text), () -> "for the answers:\n" + text);
    }

    static Path root() { return Path.of(System.getProperty("kubewizard.root", ".")); }

    static Path preset(String name) { return root().resolve("presets").resolve(name); }

    static final List<String> PRESETS = List.of("single-node.yaml", "ha-stacked.yaml", "ha-external-etcd.yaml");

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
