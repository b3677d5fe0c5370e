package io.kubewizard.cli;

import io.kubewizard.answers.AnswersLoader;
import io.kubewizard.answers.PresetCatalog;
import io.kubewizard.answers.Spec.ClusterSpec;
import io.kubewizard.plan.Phase;
import io.kubewizard.plan.Plan;
import io.kubewizard.render.Render;
import io.kubewizard.run.Engine;
import io.kubewizard.render.RenderedFile;
import io.kubewizard.render.Secrets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MainTest {
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

    private Path write(String name, String text) throws IOException {
        return Files.writeString(tmp.resolve(name), text);
    }

    private static Path root() {
        return Path.of(System.getProperty("kubewizard.root", ".")).toAbsolutePath().normalize();
    }

    @Test
    void withoutArgumentsItPrintsTheUsageAndSucceeds() {
        Run r = Run.of();
        assertEquals(0, r.code());
        assertTrue(r.out().startsWith("Usage: kubewizard [-hV] [--verbose] [--lang=LANG] [--presets=DIR]\n"
                + "                  [--theme=NAME] [COMMAND]\n"
                + "Installs production Kubernetes clusters with kubeadm over SSH.\n"), r.out());
        assertTrue(r.out().contains("\n  validate  "), r.out());
        assertTrue(r.out().endsWith("Exit codes: 0 ok, 1 run failed, 2 invalid input, 3 refused for safety, 130\n"
                + "interrupted.\n"), r.out());
        assertEquals("", r.err());
    }

    @Test
    void versionNamesTheProgram() {
        assertEquals(new Run(0, "kubewizard 0.1.0\n", ""), Run.of("--version"));
    }

    @Test
    void everyPresetValidatesByNameAndByPath() {
        for (String preset : List.of("single-node", "ha-stacked", "ha-external-etcd")) {
            assertEquals(new Run(0, "0 errors, 0 warnings\n", ""), Run.of("validate", "-f", preset), preset);
            assertEquals(new Run(0, "0 errors, 0 warnings\n", ""),
                    Run.of("validate", "--file", root().resolve("presets/" + preset + ".yaml").toString()), preset);
        }
    }

    @Test
    void aBrokenFileListsEveryProblemWithItsPlaceAndExits2() throws IOException {
        Path file = write("broken.yaml", BROKEN);
        assertEquals(new Run(2, "error: " + file + ":7:3: network.podSubnett: unknown key 'podSubnett', did you mean 'podSubnet'?\n"
                + "error: " + file + ":8:18: network.serviceSubnet: '10.96.0.0/33' is not a CIDR such as 10.96.0.0/12\n"
                + "2 errors, 0 warnings\n", ""), Run.of("validate", "-f", file.toString()));
    }

    @Test
    void theWizardRefusesAFileWithAnUnknownKeyBeforeOpening() throws IOException {
        Path file = write("broken.yaml", BROKEN);
        // the bad subnet would be marked on the Network page; the unknown key has no page to be shown on
        CliException refused = org.junit.jupiter.api.Assertions.assertThrows(CliException.class,
                () -> WizardCommand.open(new WizardCommand.Look(), new PresetsOption(), file.toString(), null));
        assertEquals(ExitCodes.INVALID_INPUT, refused.exitCode());
        assertEquals(file + ":7:3: network.podSubnett: unknown key 'podSubnett', did you mean 'podSubnet'?",
                refused.getMessage());
    }

    @Test
    void malformedYamlIsOneErrorAtItsPlace() throws IOException {
        Path file = write("malformed.yaml", "cluster:\n  name: [lab\n");
        assertEquals(new Run(2, "error: " + file + ":3:1: malformed YAML: while parsing a flow sequence: expected ',' or ']', "
                + "but got <stream end>\n1 error, 0 warnings\n", ""), Run.of("validate", "-f", file.toString()));
    }

    @Test
    void errorsAreListedApartFromWarningsErrorsFirst() throws IOException {
        Path file = write("mixed.yaml", """
                cluster:
                  name: lab
                  kubernetesVersion: 1.33.1
                  controlPlaneEndpoint: 10.0.0.10:6443
                hosts:
                  - {name: cp1, address: 10.0.0.11, roles: [control-plane, worker]}
                  - {name: cp2, address: 10.0.0.12, roles: [control-plane, worker]}
                network:
                  dnsDomain: Cluster_Local
                """);
        assertEquals(new Run(2, "error: " + file + ":9:14: network.dnsDomain: 'Cluster_Local' is not a DNS domain such as cluster.local\n"
                + "warning: " + file + ":1:1: cluster.loadBalancer.type: type none with 2 control planes: controlPlaneEndpoint must "
                + "already be load balanced (use external, or let kubewizard run kube-vip or haproxy-keepalived)\n"
                + "warning: " + file + ":3:22: cluster.kubernetesVersion: Kubernetes 1.33 is out of support (maintained: 1.35 to 1.37); "
                + "it is installed with the kubeadm.k8s.io/v1beta4 config API\n"
                + "warning: " + file + ":5:1: hosts: 2 stacked control planes run 2 etcd members, which tolerate no failure: "
                + "use 3 (or 1) for high availability\n"
                + "1 error, 3 warnings\n", ""), Run.of("validate", "-f", file.toString()));
    }

    @Test
    void warningsAloneDoNotFail() throws IOException {
        Path file = write("old.yaml", "cluster:\n  name: lab\n  kubernetesVersion: 1.31.4\nhosts:\n  - name: node1\n"
                + "    address: 10.0.0.11\n    roles: [control-plane, worker]\n");
        assertEquals(new Run(0, "warning: " + file + ":3:22: cluster.kubernetesVersion: Kubernetes 1.31 is out of support "
                + "(maintained: 1.35 to 1.37); it is installed with the kubeadm.k8s.io/v1beta4 config API\n"
                + "0 errors, 1 warning\n", ""), Run.of("validate", "-f", file.toString()));
    }

    @Test
    void aMissingFileThatIsNoPresetEither() {
        assertEquals(new Run(2, "", "error: no such answers file or preset: 'singel-node' "
                + "(presets: ha-external-etcd, ha-stacked, single-node)\n"), Run.of("validate", "-f", "singel-node"));
    }

    @Test
    void presetsComeFromTheInstallationNotTheCurrentDirectory() throws Exception {
        assertEquals(root().resolve("presets"), Presets.directory());
        Path local = write("single-node", BROKEN);
        PresetCatalog installation = PresetCatalog.of(Presets.directory());
        assertEquals(new Presets.Resolved(local, null), Presets.resolve(local.toString(), installation),
                "an existing file wins over a preset");
        assertEquals(root().resolve("presets/ha-stacked.yaml"), Presets.resolve("ha-stacked", installation).file(),
                "the checkout's copy, the same bytes as the built-in one");
        assertEquals(root().resolve("themes"), Presets.themes());
    }

    @Test
    void presetsDirAddsPresetsAndAPresetThatDiffersFromTheBuiltInOneIsRefusedNamingBoth() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("mine"));
        Files.writeString(dir.resolve("lab.yaml"), Files.readString(root().resolve("presets/single-node.yaml")));
        assertEquals(new Run(0, "0 errors, 0 warnings\n", ""), Run.of("validate", "-f", "lab", "--presets", dir.toString()));
        assertEquals(new Run(0, "0 errors, 0 warnings\n", ""),
                Run.of("validate", "-f", "ha-stacked", "--presets", dir.toString()), "the built-in ones stay");
        // every command that reads answers reads a built-in preset from the jar, not from a file
        for (String command : List.of("plan", "images")) {
            Run builtIn = Run.of(command, "-f", "ha-stacked", "--presets", dir.toString());
            assertEquals(0, builtIn.code(), command + ": " + builtIn);
            assertEquals("", builtIn.err(), command);
        }
        Files.writeString(dir.resolve("ha-stacked.yaml"), Files.readString(root().resolve("presets/single-node.yaml")));
        assertEquals(new Run(2, "", "error: preset 'ha-stacked' is both built-in presets/ha-stacked.yaml and "
                + dir.resolve("ha-stacked.yaml") + ", and they differ: pass the file's path to -f, or rename it\n"),
                Run.of("validate", "-f", "ha-stacked", "--presets", dir.toString()));
        assertEquals(new Run(2, "", "error: no such answers file or preset: 'nope' "
                + "(presets: ha-external-etcd, ha-stacked, lab, single-node)\n"),
                Run.of("validate", "-f", "nope", "--presets", dir.toString()));
        assertEquals(new Run(2, "", "error: --presets " + tmp.resolve("none") + ": no such directory\n"),
                Run.of("validate", "-f", "lab", "--presets", tmp.resolve("none").toString()));
    }

    @Test
    void renderWritesEveryFileOfEveryHostWithItsMode() throws IOException {
        Path out = tmp.resolve("out");
        Run r = Run.of("render", "-f", "ha-stacked", "-o", out.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals("", r.err());
        ClusterSpec spec = AnswersLoader.load(root().resolve("presets/ha-stacked.yaml")).spec();
        List<RenderedFile> files = Render.render(spec, Secrets.MASKED);
        List<String> lines = r.out().lines().toList();
        assertEquals("Secrets are masked (******.****************); apply fills in the real values.", lines.get(0));
        long hosts = files.stream().map(RenderedFile::host).distinct().count();
        assertEquals("Wrote " + files.size() + " file" + (files.size() == 1 ? "" : "s") + " for " + hosts + " host"
                + (hosts == 1 ? "" : "s") + " to " + out, lines.get(lines.size() - 1));
        assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(out)));
        for (RenderedFile f : files) {
            Path written = out.resolve(f.host()).resolve(f.path().substring(1));
            assertEquals(f.content(), Files.readString(written), written::toString);
            assertEquals(TreeWriter.permissions(f.secret() ? 0600 : f.mode()), Files.getPosixFilePermissions(written));
        }
    }

    @Test
    void renderPlacesTheGeneratedPkiAndReusesItOnTheNextRun() throws IOException {
        Path state = tmp.resolve("state");
        Path out = tmp.resolve("out");
        Run first = Run.of("render", "-f", "ha-external-etcd", "-o", out.toString(), "--state", state.toString());
        assertEquals(0, first.code(), first.err());
        Path pki = state.resolve("ha-external/secrets/pki");
        assertEquals("Certificates and keys come from " + pki + " (made once, reused on every run).",
                first.out().lines().reduce((a, b) -> b).orElseThrow());
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(state.resolve("ha-external"))));
        Path ca = out.resolve("cp1/etc/kubernetes/pki/ca.crt");
        Path caKey = out.resolve("cp1/etc/kubernetes/pki/ca.key");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(caKey)));
        assertTrue(Files.readString(ca).startsWith("-----BEGIN CERTIFICATE-----\n"));
        // etcd hosts get etcd material only; workers no PKI at all
        assertTrue(Files.exists(out.resolve("etcd1/etc/kubernetes/pki/etcd/server.crt")));
        assertFalse(Files.exists(out.resolve("etcd1/etc/kubernetes/pki/ca.crt")));
        assertFalse(Files.exists(out.resolve("worker1/etc/kubernetes/pki")));
        String caBefore = Files.readString(ca);
        Path again = tmp.resolve("again");
        assertEquals(0, Run.of("render", "-f", "ha-external-etcd", "-o", again.toString(), "--state", state.toString()).code());
        assertEquals(caBefore, Files.readString(again.resolve("cp1/etc/kubernetes/pki/ca.crt")), "a rerun keeps the CA");
    }

    @Test
    void certsListsTheStoredCertificatesAndNamesACorruptFile() throws IOException {
        Path state = tmp.resolve("state");
        Run none = Run.of("certs", "-f", "ha-external-etcd", "--state", state.toString());
        assertEquals(new Run(0, "No certificates stored yet for cluster ha-external in " + state.resolve("ha-external/secrets/pki")
                + ": apply generates them.\n", ""), none);
        assertEquals(0, Run.of("render", "-f", "ha-external-etcd", "-o", tmp.resolve("out").toString(),
                "--state", state.toString()).code());
        Run listed = Run.of("certs", "-f", "ha-external-etcd", "--state", state.toString());
        assertEquals(0, listed.code(), listed.err());
        assertTrue(listed.out().contains("cluster  /etc/kubernetes/pki/ca.crt\n  subject  CN=kubernetes-ca\n"), listed.out());
        assertTrue(listed.out().contains("etcd2  /etc/kubernetes/pki/etcd/server.crt\n  subject  CN=kube-etcd\n"
                + "  SANs     DNS:etcd2, DNS:localhost, IP:10.0.0.32, IP:127.0.0.1, IP:::1\n  issuer   CN=etcd-ca\n"), listed.out());
        Path caCrt = state.resolve("ha-external/secrets/pki/cluster/pki/ca.crt");
        Files.writeString(caCrt, "garbage\n");
        Run corrupt = Run.of("render", "-f", "ha-external-etcd", "-o", tmp.resolve("out2").toString(), "--state", state.toString());
        assertEquals(2, corrupt.code());
        assertTrue(corrupt.err().startsWith("error: " + caCrt), corrupt.err());
        assertFalse(Files.exists(tmp.resolve("out2")), "nothing written when the stored PKI is corrupt");
    }

    @Test
    void certsOfAKubeadmMadePkiSaysWhereToLook() {
        assertEquals(new Run(0, "Cluster single: pki.generatedBy is kubeadm, so its certificates are made and kept on the "
                + "control planes;\nrun 'kubeadm certs check-expiration' there to list them.\n", ""),
                Run.of("certs", "-f", "single-node", "--state", tmp.resolve("s").toString()));
    }

    @Test
    void renderOfAnInvalidFileWritesNothingNotEvenTheDirectory() throws IOException {
        Path file = write("broken.yaml", BROKEN);
        Path out = tmp.resolve("never");
        assertEquals(new Run(2, "error: " + file + ":7:3: network.podSubnett: unknown key 'podSubnett', did you mean 'podSubnet'?\n"
                + "error: " + file + ":8:18: network.serviceSubnet: '10.96.0.0/33' is not a CIDR such as 10.96.0.0/12\n"
                + "2 errors, 0 warnings\n", ""), Run.of("render", "-f", file.toString(), "-o", out.toString()));
        assertFalse(Files.exists(out));
        try (var entries = Files.list(tmp)) {
            assertEquals(List.of(file), entries.toList());
        }
    }

    @Test
    void renderIntoAFileFailsWithOneLineAndTheTraceOnlyWhenVerbose() throws IOException {
        Path blocker = write("blocker", "");
        Path out = blocker.resolve("out");
        assertEquals(new Run(1, "", "error: cannot render into " + out + ": " + blocker + " is not a directory\n"),
                Run.of("render", "-f", "single-node", "-o", out.toString()));
        Run verbose = Run.of("render", "--verbose", "-f", "single-node", "-o", out.toString());
        assertEquals(1, verbose.code());
        List<String> lines = verbose.err().lines().toList();
        assertEquals("error: cannot render into " + out + ": " + blocker + " is not a directory", lines.get(0));
        assertEquals("io.kubewizard.cli.CliException: cannot render into " + out + ": " + blocker + " is not a directory",
                lines.get(1));
        assertTrue(lines.get(2).startsWith("\tat io.kubewizard.cli.RenderCommand.call("), lines.get(2));
        assertTrue(lines.contains("Caused by: java.nio.file.NotDirectoryException: " + blocker), verbose.err());
    }

    @Test
    void planOfTheSingleNodePresetStartsWithTheseLines() {
        Run r = Run.of("plan", "-f", "single-node");
        assertEquals(0, r.code(), r.err());
        assertEquals("", r.err());
        List<String> expected = List.of(
                "Plan for cluster 'single' (install): Kubernetes 1.35.2 on 1 host. Nothing has been touched.",
                "",
                "No apply has run for this cluster here: planned as a new cluster.",
                "",
                "connect: Connect to every host",
                "  connect on node1: Open the SSH connection and run a command",
                "    run: true",
                "",
                "facts: Gather facts",
                "  facts on node1: Read OS release, architecture, CPUs, memory, swap, hostname, MAC addresses, "
                        + "product_uuid, listening ports, IP forwarding and the programs present",
                "    run: cat /etc/os-release",
                "    run: uname -m",
                "    run: nproc",
                "    run: cat /proc/meminfo",
                "    run: cat /proc/swaps",
                "    run: hostname",
                "    run: cat /sys/class/net/*/address",
                "    run: cat /sys/class/dmi/id/product_uuid 2>/dev/null || true",
                "    run: ss -Htlnu",
                "    run: cat /proc/sys/net/ipv4/ip_forward",
                "    run: for b in awk grep sed sha256sum ss sysctl modprobe swapoff systemctl ip mount nsenter apt-get dnf; "
                        + "do command -v \"$b\" >/dev/null 2>&1 && echo \"$b\"; done; true",
                "",
                "observe: Observe the cluster",
                "  observe on node1: Read the kubelet's and kubeadm's versions, the Nodes and the etcd members",
                "    run: kubelet --version 2>/dev/null || true",
                "    run: kubeadm version -o short 2>/dev/null || true",
                "    run: for f in /etc/kubernetes/kubelet.conf /etc/kubernetes/manifests/kube-apiserver.yaml; do test -f "
                        + "\"$f\" && echo \"$f\"; done; true",
                "    run: if test -f /etc/kubernetes/admin.conf; then kubectl --kubeconfig /etc/kubernetes/admin.conf get "
                        + "nodes -o json 2>/dev/null || echo unavailable; fi",
                "    run: if test -f /etc/kubernetes/admin.conf; then kubectl --kubeconfig /etc/kubernetes/admin.conf version "
                        + "-o json 2>/dev/null || echo unavailable; fi",
                "    run: if test -f /etc/kubernetes/admin.conf; then kubectl --kubeconfig /etc/kubernetes/admin.conf get "
                        + "pods -n kube-system -l tier=control-plane -o json 2>/dev/null || echo unavailable; fi",
                "    run: if command -v crictl >/dev/null 2>&1 && test -n \"$( (crictl --runtime-endpoint "
                        + "unix:///var/run/containerd/containerd.sock ps --quiet --state running --name '^etcd$' | head -n 1) "
                        + "2>/dev/null)\"; then crictl --runtime-endpoint unix:///var/run/containerd/containerd.sock exec "
                        + "\"$(crictl --runtime-endpoint unix:///var/run/containerd/containerd.sock ps --quiet --state running "
                        + "--name '^etcd$' | head -n 1)\" etcdctl --endpoints=https://127.0.0.1:2379 "
                        + "--cacert=/etc/kubernetes/pki/etcd/ca.crt --cert=/etc/kubernetes/pki/etcd/healthcheck-client.crt "
                        + "--key=/etc/kubernetes/pki/etcd/healthcheck-client.key member list -w simple 2>/dev/null || echo "
                        + "unavailable; fi",
                "",
                "preflight: Check the hosts before changing anything",
                "  preflight/host on node1: Check CPUs, memory and that the control-plane ports are free",
                "    skip if: test -f /etc/kubernetes/kubelet.conf",
                "    run: test \"$(nproc)\" -ge 2 || { echo \"a control plane needs 2 CPUs, this host has $(nproc)\" >&2; exit 1; }",
                "    run: awk '/^MemTotal:/ { if ($2 < 1700 * 1024) { printf \"a control plane needs 1700 MB of memory, "
                        + "this host has %d MB\\n\", $2 / 1024 > \"/dev/stderr\"; exit 1 } }' /proc/meminfo",
                "    run: for port in 2379 2380 6443 10250 10256 10257 10259; do if ss -Htln \"sport = :$port\" | grep -q .; "
                        + "then echo \"port $port is already in use\" >&2; exit 1; fi; done",
                "  preflight/across-hosts on all hosts: Check that hostnames, MAC addresses and product_uuids are unique "
                        + "across hosts",
                "",
                "prepare: Prepare the nodes");
        List<String> lines = r.out().lines().toList();
        assertEquals(expected, lines.subList(0, expected.size()));
        Plan plan = plan("single-node");
        assertEquals(plan.steps().size() + " steps in " + plan.phases().size() + " phases.", lines.get(lines.size() - 1));
    }

    private static Plan plan(String preset) {
        ClusterSpec spec = AnswersLoader.load(root().resolve("presets/" + preset + ".yaml")).spec();
        return Engine.whole(spec, io.kubewizard.pki.PkiMaterial.NONE);
    }

    @Test
    @SuppressWarnings("unchecked")
    void planAsJsonCarriesEveryStep() {
        Run r = Run.of("plan", "-f", "ha-stacked", "--format", "json");
        assertEquals(0, r.code(), r.err());
        // YAML 1.1 reads JSON: no JSON library needed to check the document parses and says the same.
        Map<String, Object> doc = new org.yaml.snakeyaml.Yaml().load(r.out());
        Plan plan = plan("ha-stacked");
        assertEquals("ha-stacked", doc.get("cluster"));
        List<Map<String, Object>> phases = (List<Map<String, Object>>) doc.get("phases");
        assertEquals(plan.phases().stream().map(Phase::id).toList(), phases.stream().map(p -> p.get("id")).toList());
        List<Map<String, Object>> steps = phases.stream()
                .flatMap(p -> ((List<Map<String, Object>>) p.get("steps")).stream()).toList();
        assertEquals(plan.steps().stream().map(s -> s.key()).toList(), steps.stream().map(s -> s.get("key")).toList());
        Map<String, Object> preflight = steps.stream().filter(s -> s.get("key").equals("preflight/host@cp1")).findFirst()
                .orElseThrow();
        assertEquals("preflight/host", preflight.get("id"));
        assertEquals("cp1", preflight.get("host"));
        assertEquals(true, preflight.get("idempotent"));
        assertEquals("test -f /etc/kubernetes/kubelet.conf", preflight.get("check"));
        assertEquals(List.of("observe@cp1"), preflight.get("dependsOn"));
        assertEquals("install", doc.get("workflow"));
        Map<String, Object> change = (Map<String, Object>) doc.get("change");
        assertEquals("cp1", change.get("lead"));
        assertEquals(List.of("cp1", "cp2", "cp3", "worker1", "worker2"), change.get("joining"));
        assertEquals(List.of(), change.get("leaving"));
        assertEquals(List.of(), change.get("refusals"));
        Map<String, Object> facts = steps.stream().filter(s -> s.get("key").equals("facts@cp1")).findFirst().orElseThrow();
        assertEquals("facts", facts.get("reads"));
        assertEquals("host_preflight", preflight.get("judge"));
        Map<String, List<String>> run = (Map<String, List<String>>) preflight.get("run");
        assertEquals(List.of("any"), List.copyOf(run.keySet()));
        assertTrue(run.get("any").get(2).startsWith("for port in 2379 2380 6443 10250 10257 10259; do if ss -Htln \"sport"),
                run.toString());
        Map<String, Object> install = steps.stream().filter(s -> s.get("key").equals("packages/install@worker1"))
                .findFirst().orElseThrow();
        assertEquals(List.of("deb", "rpm"), List.copyOf(((Map<String, Object>) install.get("run")).keySet()));
    }

    @Test
    void planOfAnInvalidFileListsTheProblemsAndExits2() throws IOException {
        Path file = write("broken.yaml", BROKEN);
        assertEquals(new Run(2, "error: " + file + ":7:3: network.podSubnett: unknown key 'podSubnett', did you mean 'podSubnet'?\n"
                + "error: " + file + ":8:18: network.serviceSubnet: '10.96.0.0/33' is not a CIDR such as 10.96.0.0/12\n"
                + "2 errors, 0 warnings\n", ""), Run.of("plan", "-f", file.toString()));
        // under --format json, validate's document (JsonOutputTest pins its shape)
        assertEquals(new Run(2, Run.of("validate", "-f", file.toString(), "--format", "json").out(), ""),
                Run.of("plan", "-f", file.toString(), "--format", "json"));
    }

    @Test
    void warningsOfAnAcceptedFileGoToStderrSoThePlanStaysClean() throws IOException {
        Path file = write("old.yaml", "cluster:\n  name: lab\n  kubernetesVersion: 1.31.4\nhosts:\n  - name: node1\n"
                + "    address: 10.0.0.11\n    roles: [control-plane, worker]\n");
        Run r = Run.of("plan", "-f", file.toString(), "--format", "json");
        assertEquals(0, r.code());
        assertEquals("warning: " + file + ":3:22: cluster.kubernetesVersion: Kubernetes 1.31 is out of support "
                + "(maintained: 1.35 to 1.37); it is installed with the kubeadm.k8s.io/v1beta4 config API\n", r.err());
        assertTrue(r.out().startsWith("{\n  \"cluster\": \"lab\",\n  \"workflow\": \"install\",\n  \"change\": {\n"), r.out());
    }

    @Test
    void schemaPrintsTheAnswersSchemaAndNothingElse() {
        assertEquals(new Run(0, io.kubewizard.answers.AnswersSchema.json(), ""), Run.of("schema"));
        assertTrue(Run.of("schema").out().startsWith("{\n  \"$schema\": \"https://json-schema.org/draft/2020-12/schema\""));
    }

    @Test
    void unknownCommandsAndOptionsAreInvalidInput() {
        assertEquals(new Run(2, "", "error: unknown command 'frobnicate' (commands: validate, render, plan, certs, apply, "
                + "upgrade, backup, restore, verify, preflight, reset, kubeconfig, user, images, bundle, wizard, schema, completion, help)\n"
                + "Try 'kubewizard --help' for more information.\n"), Run.of("frobnicate"));
        assertEquals(new Run(2, "", "error: unknown command 'valdiate', did you mean 'validate'?\n"
                + "Try 'kubewizard --help' for more information.\n"), Run.of("valdiate", "-f", "single-node"));
        assertEquals(new Run(2, "", "error: Missing required option: '--file=FILE|PRESET'\n"
                + "Try 'kubewizard validate --help' for more information.\n"), Run.of("validate"));
        assertEquals(new Run(2, "", "error: Invalid value for option '--format': expected one of [TEXT, JSON] "
                + "(case-insensitive) but was 'xml'\nTry 'kubewizard plan --help' for more information.\n"),
                Run.of("plan", "-f", "single-node", "--format", "xml"));
        assertEquals(new Run(2, "", "error: Unknown option: '--yes'\nTry 'kubewizard render --help' for more information.\n"),
                Run.of("render", "-f", "single-node", "-o", "x", "--yes"));
    }

    @Test
    void verifyNodeConformanceRefusesAnUnknownHostAndCriOBeforeAnythingRuns() throws IOException {
        Run unknown = Run.of("verify", "-f", "single-node", "--node-conformance", "worker9");
        assertEquals(2, unknown.code(), unknown::toString);
        assertEquals("", unknown.out(), unknown::toString);
        assertEquals("error: --node-conformance: 'worker9' is not a host of the answers file (its hosts: node1)\n", unknown.err());
        String text = Files.readString(Path.of("presets/single-node.yaml")).replace("type: containerd", "type: cri-o");
        Path file = write("crio.yaml", text);
        Run crio = Run.of("verify", "-f", file.toString(), "--node-conformance", "node1");
        assertEquals(2, crio.code(), crio::toString);
        assertEquals("error: --node-conformance needs a container CLI on the node (ctr for containerd, docker for Docker); "
                + "the runtime cri-o has none. Nothing was run\n", crio.err());
    }

    @Command(name = "boom")
    static final class Boom implements Callable<Integer> {
        final Exception failure;

        Boom(Exception failure) { this.failure = failure; }

        @Override
        public Integer call() throws Exception { throw failure; }
    }

    private static Run boom(Exception failure, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        PrintWriter o = new PrintWriter(out, true);
        PrintWriter e = new PrintWriter(err, true);
        CommandLine cl = Main.commandLine(o, e);
        cl.addSubcommand("boom", new Boom(failure));
        // picocli hands writers and handlers down to the subcommands present when they are set.
        cl.setOut(o).setErr(e).setExecutionExceptionHandler(cl.getExecutionExceptionHandler());
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void anInternalErrorIsOneLineUnlessVerbose() {
        Run quiet = boom(new IllegalStateException("no plan for you"), "boom");
        assertEquals(new Run(1, "", "error: internal error: java.lang.IllegalStateException: no plan for you "
                + "(--verbose shows where)\n"), quiet);
        Run verbose = boom(new IllegalStateException("no plan for you"), "--verbose", "boom");
        assertEquals(1, verbose.code());
        List<String> lines = verbose.err().lines().toList();
        assertEquals("error: internal error: java.lang.IllegalStateException: no plan for you", lines.get(0));
        assertEquals("java.lang.IllegalStateException: no plan for you", lines.get(1));
        assertTrue(lines.get(2).startsWith("\tat io.kubewizard.cli.MainTest.anInternalErrorIsOneLineUnlessVerbose("),
                lines.get(2));
    }

    @Test
    void failuresMapToTheirExitCodes() {
        assertEquals(new Run(3, "", "error: host key of cp1 changed\n"),
                boom(new CliException(ExitCodes.REFUSED, "host key of cp1 changed"), "boom"));
        assertEquals(new Run(130, "", "error: interrupted\n"), boom(new InterruptedException(), "boom"));
        assertEquals(new Run(1, "", "error: /srv/x does not exist\n"),
                boom(new java.nio.file.NoSuchFileException("/srv/x"), "boom"));
    }

    /** One argument list through the root with only its command (what main does) and through the whole tree. */
    private static List<Run> bothWays(String... args) {
        List<Run> runs = new java.util.ArrayList<>();
        for (boolean whole : new boolean[] {false, true}) {
            StringWriter out = new StringWriter(), err = new StringWriter();
            PrintWriter o = new PrintWriter(out, true), e = new PrintWriter(err, true);
            CommandLine cl = whole ? Main.commandLine(o, e) : Main.forArguments(o, e, false, args);
            runs.add(new Run(cl.execute(args), out.toString(), err.toString()));
        }
        return runs;
    }

    @Test
    void aCommandStartsWithOnlyItselfUnderTheRootAndBehavesAsInTheWholeTree() {
        String[] names = java.util.Arrays.stream(Main.Tree.class.getAnnotation(Command.class).subcommands())
                .map(c -> c.getAnnotation(Command.class).name()).toArray(String[]::new);
        assertEquals(List.of("validate", "render", "plan", "certs", "apply", "upgrade", "backup", "restore", "verify",
                "preflight", "reset", "kubeconfig", "user", "images", "bundle", "wizard", "schema", "completion", "help"),
                List.of(names));
        assertEquals(List.of("validate"), Main.forArguments(new PrintWriter(new StringWriter()),
                new PrintWriter(new StringWriter()), false, new String[] {"validate", "-f", "x"}).getSubcommands().keySet()
                .stream().toList());
        assertEquals(List.of(), Main.forArguments(new PrintWriter(new StringWriter()),
                new PrintWriter(new StringWriter()), false, new String[] {"--version"}).getSubcommands().keySet()
                .stream().toList());
        assertEquals(19, Main.forArguments(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()),
                false, new String[] {"help", "validate"}).getSubcommands().size());
        String[][] cases = {{"--version"}, {"validate", "--help"}, {"validate"}, {"validate", "-f", "single-node"},
                {"validate", "--verbose", "-f", "nosuch.yaml"}, {"validate", "--bogus"}, {"certs", "renew", "--help"},
                {"user", "add", "--help"}, {"user"}, {"plan", "--help"}, {"apply", "--help"}, {"schema"},
                {"render", "--help"}, {"bundle", "--help"}, {"wizard", "--help"}, {"images", "-f", "ha-stacked"}};
        for (String[] args : cases) {
            List<Run> runs = bothWays(args);
            assertEquals(runs.get(1), runs.get(0), String.join(" ", args));
        }
        Run valid = bothWays("validate", "-f", "single-node").get(0);
        assertEquals(new Run(0, "0 errors, 0 warnings\n", ""), valid);
        Run unknown = bothWays("validate", "-f", "single-node", "--bogus").get(0);
        assertEquals(2, unknown.code());
        assertTrue(unknown.err().startsWith("error: Unknown option: '--bogus'"), unknown.err());
    }
}
