package io.kubewizard.cli;

import io.kubewizard.plan.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Pins every {@code --format json} document's keys, in order, as docs/json-output.md describes them:
 * a script written against the doc must keep working.
 */
class JsonOutputTest {
    @TempDir Path tmp;

    private static final String BROKEN = """
            apiVersion: kubewizard.io/v1alpha1
            kind: Answers
            cluster:
              name: lab
              kubernetesVersion: 1.35.2
            network:
              podSubnett: 10.244.0.0/16
              serviceSubnet: 10.96.0.0/33
            hosts:
              - name: node1
                address: 10.0.0.11
                roles: [control-plane, worker]
            """;

    private Path broken() throws IOException {
        Path file = tmp.resolve("broken.yaml");
        Files.writeString(file, BROKEN);
        return file;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> doc(String json) {
        return (Map<String, Object>) Json.parse(json);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Object value) {
        return (List<Map<String, Object>>) value;
    }

    private static List<String> keys(Map<String, Object> map) {
        return List.copyOf(map.keySet());
    }

    @Test
    void validateListsEveryProblemWithFileLineColumnCodeAndMessage() throws IOException {
        Path file = broken();
        Run r = Run.of("validate", "-f", file.toString(), "--format", "json");
        assertEquals(2, r.code(), "exit codes as in text");
        assertEquals("", r.err());
        Map<String, Object> doc = doc(r.out());
        assertEquals(List.of("file", "valid", "errors", "warnings", "problems"), keys(doc));
        assertEquals(file.toString(), doc.get("file"));
        assertEquals(false, doc.get("valid"));
        assertEquals(2L, doc.get("errors"));
        assertEquals(0L, doc.get("warnings"));
        List<Map<String, Object>> problems = list(doc.get("problems"));
        Map<String, Object> first = new LinkedHashMap<>();
        first.put("severity", "error");
        first.put("file", file.toString());
        first.put("line", 7L);
        first.put("column", 3L);
        first.put("field", "network.podSubnett");
        first.put("code", "loader.key.unknown");
        first.put("message", "unknown key 'podSubnett', did you mean 'podSubnet'?");
        assertEquals(first, problems.get(0));
        assertEquals(List.of("severity", "file", "line", "column", "field", "code", "message"), keys(problems.get(0)));
        assertEquals(List.of("error", 8L, 18L, "network.serviceSubnet", "'10.96.0.0/33' is not a CIDR such as 10.96.0.0/12"),
                List.of(problems.get(1).get("severity"), problems.get(1).get("line"), problems.get(1).get("column"),
                        problems.get(1).get("field"), problems.get(1).get("message")));
        assertTrue(r.out().startsWith("{\n  \"file\": "), "indented like plan's JSON: " + r.out());
    }

    @Test
    void aValidFileIsAnEmptyListAndExitZero() {
        Run r = Run.of("validate", "-f", "ha-stacked", "--format", "json");
        assertEquals(0, r.code(), r.err());
        Map<String, Object> doc = doc(r.out());
        assertEquals(List.of(true, 0L, 0L, List.of()), List.of(doc.get("valid"), doc.get("errors"), doc.get("warnings"),
                doc.get("problems")));
        assertTrue(((String) doc.get("file")).endsWith("presets/ha-stacked.yaml"), doc::toString);
    }

    @Test
    void everyCommandAnswersAnInvalidFileWithValidatesDocument() throws IOException {
        Path file = broken();
        String expected = Run.of("validate", "-f", file.toString(), "--format", "json").out();
        for (String command : List.of("plan", "certs", "preflight")) {
            Run r = Run.of(command, "-f", file.toString(), "--format", "json", "--state", tmp.resolve("s").toString());
            assertEquals(new Run(2, expected, ""), r, command);
        }
    }

    @Test
    void aFailureBeforeAnyWorkIsStillADocumentOnStdoutAndALineOnStderr() {
        Run r = Run.of("validate", "-f", tmp.resolve("nope.yaml").toString(), "--format", "json");
        assertEquals(2, r.code());
        assertTrue(r.err().startsWith("error: no such answers file or preset: '" + tmp.resolve("nope.yaml") + "'"), r.err());
        assertTrue(!r.err().contains("\tat "), "no stack trace: " + r.err());
        Map<String, Object> doc = doc(r.out());
        assertEquals(List.of("error", "exitCode"), keys(doc));
        assertEquals(r.err().substring("error: ".length()).strip(), doc.get("error"));
        assertEquals(2L, doc.get("exitCode"));
        // text stays text
        assertEquals("", Run.of("validate", "-f", tmp.resolve("nope.yaml").toString()).out());
    }

    @Test
    void certsOfTheStoredPkiHasTheLiveReportsKeys() {
        Path state = tmp.resolve("state");
        Run none = Run.of("certs", "-f", "single-node", "--state", state.toString(), "--format", "json");
        assertEquals(0, none.code(), none.err());
        Map<String, Object> empty = doc(none.out());
        assertEquals(List.of("cluster", "source", "store", "checkedAt", "warnDays", "certificates", "note"), keys(empty));
        assertEquals(List.of("single", "store", List.of(), 30L), List.of(empty.get("cluster"), empty.get("source"),
                empty.get("certificates"), empty.get("warnDays")));
        assertTrue(((String) empty.get("note")).startsWith("Cluster single: pki.generatedBy is kubeadm"), empty::toString);

        assertEquals(0, Run.of("render", "-f", "ha-external-etcd", "-o", tmp.resolve("out").toString(),
                "--state", state.toString()).code());
        Run listed = Run.of("certs", "-f", "ha-external-etcd", "--state", state.toString(), "--format", "json");
        assertEquals(0, listed.code(), listed.err());
        Map<String, Object> doc = doc(listed.out());
        assertEquals(null, doc.get("note"));
        List<Map<String, Object>> certs = list(doc.get("certificates"));
        Map<String, Object> ca = certs.stream().filter(c -> c.get("host") == null
                && "/etc/kubernetes/pki/ca.crt".equals(c.get("path"))).findFirst().orElseThrow();
        assertEquals(List.of("host", "path", "kind", "subject", "sans", "issuer", "notAfter", "daysLeft", "status"), keys(ca));
        assertEquals(Arrays.asList(null, "/etc/kubernetes/pki/ca.crt", "certificate", "CN=kubernetes-ca", "ok"),
                Arrays.asList(ca.get("host"), ca.get("path"), ca.get("kind"), ca.get("subject"), ca.get("status")));
        Map<String, Object> server = certs.stream().filter(c -> "etcd2".equals(c.get("host"))
                && "/etc/kubernetes/pki/etcd/server.crt".equals(c.get("path"))).findFirst().orElseThrow();
        assertEquals("DNS:etcd2, DNS:localhost, IP:10.0.0.32, IP:127.0.0.1, IP:::1", server.get("sans"));
        assertTrue(certs.stream().anyMatch(c -> "kubeconfig".equals(c.get("kind"))), certs::toString);
    }

    @Test
    void preflightIsOneDocumentOnStdoutWithTheProgressOnStderr() {
        CommandHarness h = new CommandHarness("single-node");
        CommandHarness.Result r = h.run("preflight", "-f", "single-node", "--state", tmp.resolve("s").toString(),
                "--format", "json");
        Map<String, Object> doc = doc(r.out());
        assertEquals(List.of("cluster", "passed", "hosts", "acrossHosts", "unmanaged"), keys(doc), r.out());
        List<Map<String, Object>> hosts = list(doc.get("hosts"));
        assertEquals(List.of("name", "roles", "checks"), keys(hosts.get(0)));
        assertEquals("node1", hosts.get(0).get("name"));
        Map<String, Object> check = list(hosts.get(0).get("checks")).get(0);
        assertEquals(List.of("name", "verdict", "detail"), keys(check));
        assertEquals("os", check.get("name"));
        assertEquals(r.code() == 0, doc.get("passed"), r.out());
        List<Map<String, Object>> across = list(doc.get("acrossHosts"));
        assertEquals(List.of("hostnames", "macs", "product_uuid"), across.stream().map(c -> c.get("name")).toList());
    }
}
