package io.kubewizard.answers;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static io.kubewizard.answers.Fixtures.HA;
import static io.kubewizard.answers.Fixtures.SINGLE;
import static io.kubewizard.answers.Fixtures.assertProblems;
import static io.kubewizard.answers.Fixtures.edit;
import static io.kubewizard.answers.Fixtures.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** The loader refuses everything that is not exactly an answers file, and says where, file:line:col. */
class LoaderStrictnessTest {

    /** A key added right under {@code after} (a unique line of SINGLE), and the message it must get. */
    static Stream<Arguments> unknownKeysAtEveryLevel() {
        return Stream.of(
                Arguments.of("top level", "cluster:\n", "clustr: {}\ncluster:\n",
                        "error answers.yaml:1:1: clustr: unknown key 'clustr', did you mean 'cluster'?"),
                Arguments.of("cluster", "  name: single\n", "  name: single\n  kubernetesVersoin: 1.35.2\n",
                        "error answers.yaml:3:3: cluster.kubernetesVersoin: unknown key 'kubernetesVersoin', did you "
                                + "mean 'kubernetesVersion'?"),
                Arguments.of("cluster.loadBalancer", "  name: single\n", "  name: single\n  loadBalancer: {typ: none}\n",
                        "error answers.yaml:3:18: cluster.loadBalancer.typ: unknown key 'typ', did you mean 'type'?"),
                Arguments.of("network", "hosts:\n", "network:\n  podSubnett: 10.244.0.0/16\nhosts:\n",
                        "error answers.yaml:5:3: network.podSubnett: unknown key 'podSubnett', did you mean "
                                + "'podSubnet'?"),
                Arguments.of("runtime", "hosts:\n", "runtime: {cgroupDriver: systemd, sandbox: ''}\nhosts:\n",
                        "error answers.yaml:4:34: runtime.sandbox: unknown key 'sandbox', did you mean 'sandboxImage'?"),
                Arguments.of("pki", "hosts:\n", "pki:\n  keyAlgoritm: RSA-2048\nhosts:\n",
                        "error answers.yaml:5:3: pki.keyAlgoritm: unknown key 'keyAlgoritm', did you mean "
                                + "'keyAlgorithm'?"),
                Arguments.of("security", "hosts:\n", "security:\n  podSecurty: {}\nhosts:\n",
                        "error answers.yaml:5:3: security.podSecurty: unknown key 'podSecurty', did you mean "
                                + "'podSecurity'?"),
                Arguments.of("security.podSecurity", "hosts:\n", "security:\n  podSecurity: {enforced: baseline}\nhosts:\n",
                        "error answers.yaml:5:17: security.podSecurity.enforced: unknown key 'enforced', did you mean "
                                + "'enforce'?"),
                Arguments.of("security.apiServer", "hosts:\n", "security:\n  apiServer: {auditlog: true}\nhosts:\n",
                        "error answers.yaml:5:15: security.apiServer.auditlog: unknown key 'auditlog', did you mean "
                                + "'auditLog'?"),
                Arguments.of("components", "hosts:\n", "components:\n  kubeproxy: {}\nhosts:\n",
                        "error answers.yaml:5:3: components.kubeproxy: unknown key 'kubeproxy', did you mean "
                                + "'kubeProxy'?"),
                Arguments.of("components.apiServer", "hosts:\n", "components:\n  apiServer: {extraArg: {}}\nhosts:\n",
                        "error answers.yaml:5:15: components.apiServer.extraArg: unknown key 'extraArg', did you mean "
                                + "'extraArgs'?"),
                Arguments.of("components.etcd (no volumes in kubeadm's local etcd)", "hosts:\n",
                        "components:\n  etcd: {extraVolumes: []}\nhosts:\n",
                        "error answers.yaml:5:10: components.etcd.extraVolumes: unknown key 'extraVolumes'; known "
                                + "keys: extraArgs"),
                Arguments.of("components.*.extraVolumes[]", "hosts:\n",
                        "components:\n  scheduler:\n    extraVolumes:\n      - {name: k, hostPath: /k, mountPath: /k, "
                                + "readonly: true}\nhosts:\n",
                        "error answers.yaml:7:48: components.scheduler.extraVolumes[0].readonly: unknown key "
                                + "'readonly', did you mean 'readOnly'?"),
                Arguments.of("ssh", "hosts:\n", "ssh:\n  identity_file: ~/.ssh/id_rsa\nhosts:\n",
                        "error answers.yaml:5:3: ssh.identity_file: unknown key 'identity_file', did you mean "
                                + "'identityFile'?"),
                Arguments.of("hosts[]", "    address: 10.0.0.11\n", "    address: 10.0.0.11\n    adress: 10.0.0.12\n",
                        "error answers.yaml:7:5: hosts[0].adress: unknown key 'adress', did you mean 'address'?"),
                Arguments.of("hosts[].ssh", "    address: 10.0.0.11\n",
                        "    address: 10.0.0.11\n    ssh: {usr: admin}\n",
                        "error answers.yaml:7:11: hosts[0].ssh.usr: unknown key 'usr', did you mean 'user'?"),
                Arguments.of("no close key", "  name: single\n", "  name: single\n  colour: blue\n",
                        "error answers.yaml:3:3: cluster.colour: unknown key 'colour'; known keys: name, "
                                + "kubernetesVersion, topology, controlPlaneEndpoint, loadBalancer, imageRepository, "
                                + "featureGates"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unknownKeysAtEveryLevel")
    void unknownKeysNameTheClosestKnownKeyAndWhereTheKeyStands(String level, String after, String with, String expected) {
        assertProblems(edit(SINGLE, after, with), expected);
    }

    static Stream<Arguments> wrongTypes() {
        return Stream.of(
                Arguments.of("quoted string for an integer", "    interface: eth0\n", "    interface: eth0\n    port: '6443'\n",
                        "error answers.yaml:11:11: cluster.loadBalancer.port: expected an integer from 1 to 65535, got "
                                + "the string '6443'"),
                Arguments.of("word for an integer", "    interface: eth0\n", "    interface: eth0\n    port: https\n",
                        "error answers.yaml:11:11: cluster.loadBalancer.port: expected an integer from 1 to 65535, got "
                                + "'https'"),
                Arguments.of("integer out of range", "    interface: eth0\n", "    interface: eth0\n    port: 65536\n",
                        "error answers.yaml:11:11: cluster.loadBalancer.port: expected an integer from 1 to 65535, got "
                                + "'65536'"),
                Arguments.of("huge integer", "    interface: eth0\n",
                        "    interface: eth0\n    port: 99999999999999999999999\n",
                        "error answers.yaml:11:11: cluster.loadBalancer.port: expected an integer from 1 to 65535, got "
                                + "'99999999999999999999999'"),
                Arguments.of("list for a mapping", "network:\n  podSubnet: 192.168.0.0/16\n",
                        "network: [calico]\n", "error answers.yaml:11:10: network: expected a mapping, got a list"),
                Arguments.of("mapping for a string", "name: prod", "name: {first: prod}",
                        "error answers.yaml:4:9: cluster.name: expected a string, got a mapping"),
                Arguments.of("nothing for a string", "name: prod", "name:",
                        "error answers.yaml:4:8: cluster.name: expected a string, got nothing"),
                Arguments.of("nothing for a mapping", "network:\n  podSubnet: 192.168.0.0/16\n", "network:\n",
                        "error answers.yaml:11:9: network: expected a mapping, got nothing"),
                Arguments.of("nothing in a list", "roles: [worker]", "roles: [worker, ~]",
                        "error answers.yaml:17:52: hosts[3].roles[1]: expected one of control-plane, worker, etcd, got "
                                + "nothing"),
                Arguments.of("mapping in a list of strings", "roles: [worker]", "roles: [worker], taints: [{a: b}]",
                        "error answers.yaml:17:62: hosts[3].taints[0]: expected a string, got a mapping"),
                Arguments.of("yes for a boolean", "network:\n", "ssh: {useAgent: yes}\nnetwork:\n",
                        "error answers.yaml:11:17: ssh.useAgent: expected true or false, got 'yes'"),
                Arguments.of("quoted true for a boolean", "network:\n", "ssh: {useAgent: 'true'}\nnetwork:\n",
                        "error answers.yaml:11:17: ssh.useAgent: expected true or false, got the string 'true'"),
                Arguments.of("non-boolean feature gate", "  name: prod\n", "  name: prod\n  featureGates: {NodeSwap: on1}\n",
                        "error answers.yaml:5:28: cluster.featureGates.NodeSwap: expected true or false, got 'on1'"),
                Arguments.of("unknown enum value", "network:\n  podSubnet", "network:\n  cni: weave\n  podSubnet",
                        "error answers.yaml:12:8: network.cni: expected one of calico, flannel, cilium, none, got "
                                + "'weave'"),
                Arguments.of("a host that is not a mapping", "  - {name: w1, address: 10.0.0.21, roles: [worker]}\n",
                        "  - {name: w1, address: 10.0.0.21, roles: [worker]}\n  - w2\n",
                        "error answers.yaml:18:5: hosts[4]: expected a mapping, got 'w2'"),
                Arguments.of("a label that is not a string", "roles: [worker]", "roles: [worker], labels: {a: [b]}",
                        "error answers.yaml:17:65: hosts[3].labels.a: expected a string value, got a list"),
                Arguments.of("a key that is a list", "network:\n", "? [a, b]\n: c\nnetwork:\n",
                        "error answers.yaml:11:3: keys must be plain strings, got a list"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("wrongTypes")
    void wrongTypesSayWhatIsAllowed(String what, String from, String to, String expected) {
        assertProblems(edit(HA, from, to), expected);
    }

    @Test
    void nothingOrAWordWhereAListBelongs() {
        String noWorker = "warning answers.yaml:13:1: hosts: no host has the worker role, so the control planes keep "
                + "their taint and ordinary pods will not schedule: add 'worker' to a control plane's roles to run "
                + "workloads there";
        assertProblems(edit(HA, "roles: [worker]", "roles: "),
                noWorker, "error answers.yaml:17:42: hosts[3].roles: expected a list, got nothing");
        assertProblems(edit(HA, "roles: [worker]", "roles: worker"),
                noWorker, "error answers.yaml:17:43: hosts[3].roles: expected a list, got 'worker'");
    }

    @Test
    void aMappingWhereTheHostListBelongsIsOneError() {
        String text = HA.substring(0, HA.indexOf("hosts:")) + "hosts:\n  cp1: {address: 10.0.0.11}\n";
        assertProblems(text, "error answers.yaml:14:3: hosts: expected a list, got a mapping");
    }

    @Test
    void aRefusedValueGetsNoFurtherRuleAboutItsDefault() {
        // without the refusal rule the default 6443 would also draw "haproxy runs beside the API server"
        assertProblems(edit(HA, "type: kube-vip", "type: haproxy-keepalived", "    interface: eth0\n",
                        "    interface: eth0\n    port: '8443'\n", "10.0.0.100:6443", "10.0.0.100:8443"),
                "error answers.yaml:6:25: cluster.controlPlaneEndpoint: the endpoint port 8443 must be the load "
                        + "balancer's port 6443",
                "error answers.yaml:11:11: cluster.loadBalancer.port: expected an integer from 1 to 65535, got the "
                        + "string '8443'");
    }

    @Test
    void problemsOfHostsAfterAnUnreadableOneNameTheirPlaceInTheFile() {
        assertProblems(edit(HA, "  - {name: cp2,", "  - just-a-name\n  - {name: cp2,", "name: w1", "name: W1"),
                "error answers.yaml:15:5: hosts[1]: expected a mapping, got 'just-a-name'",
                "error answers.yaml:18:12: hosts[4].name: 'W1' is not a valid node name: use lowercase letters, "
                        + "digits, '-' and '.' (a DNS-1123 subdomain)");
    }

    @Test
    void duplicateKeysAreErrorsAtTheSecondKey() {
        assertProblems(edit(HA, "  name: prod\n", "  name: prod\n  name: prod2\n"),
                "error answers.yaml:5:3: cluster.name: duplicate key 'name'");
        assertProblems(edit(HA, "{name: w1,", "{name: w1, name: w2,"),
                "error answers.yaml:17:16: hosts[3].name: duplicate key 'name'");
        assertProblems(HA + "components:\n  kubelet: {maxPods: 110, maxPods: 200}\n",
                "error answers.yaml:19:27: components.kubelet.maxPods: duplicate key 'maxPods'");
        assertProblems(HA + "hosts: []\n", "error answers.yaml:18:1: hosts: duplicate key 'hosts'");
    }

    @Test
    void anUnclosedQuoteIsOneErrorWhereTheQuoteOpens() {
        assertProblems(edit(HA, "name: prod", "name: \"prod"),
                "error answers.yaml:4:9: malformed YAML: while scanning a quoted scalar: found unexpected end of "
                        + "stream");
    }

    @Test
    void badIndentationIsOneError() {
        assertProblems(edit(HA, "  kubernetesVersion: 1.35.2", "   kubernetesVersion: 1.35.2"),
                "error answers.yaml:5:21: malformed YAML: mapping values are not allowed here");
        assertProblems(edit(HA, "    vip: 10.0.0.100", "  vip: 10.0.0.100"),
                "error answers.yaml:10:14: malformed YAML: mapping values are not allowed here");
    }

    @Test
    void tabsInIndentationAreOneError() {
        assertProblems(edit(HA, "  name: prod", "\tname: prod"),
                "error answers.yaml:4:1: malformed YAML: while scanning for the next token: found character "
                        + "'\\t(TAB)' that cannot start any token. (Do not use \\t(TAB) for indentation)");
    }

    @Test
    void anUnclosedFlowListIsOneError() {
        assertProblems(edit(HA, "roles: [worker]}", "roles: [worker}"),
                "error answers.yaml:17:50: malformed YAML: while parsing a flow sequence: expected ',' or ']', but "
                        + "got }");
    }

    @Test
    void controlCharactersAreRefusedWhereTheyStand() {
        assertProblems(edit(HA, "name: prod", "name: pr\u0007od"),
                "error answers.yaml:4:11: malformed YAML: the character U+0007 is not allowed in a YAML file");
    }

    @Test
    void anEmptyFileSaysWhatAMinimalFileNeeds() {
        String expected = "error answers.yaml:1:1: the file is empty; an answers file needs at least cluster.name, "
                + "cluster.kubernetesVersion and hosts";
        assertProblems("", expected);
        assertProblems("\n  \n", expected);
        assertProblems("# just a comment\n", expected);
        assertNull(parse("").spec());
    }

    @Test
    void aFileIsOneMappingOfAnswers() {
        assertProblems("- cluster\n- hosts\n", "error answers.yaml:1:1: an answers file is a mapping of apiVersion, "
                + "kind, cluster, network, runtime, pki, security, components, ssh and hosts; got a list");
        assertProblems("hello\n", "error answers.yaml:1:1: an answers file is a mapping of apiVersion, kind, "
                + "cluster, network, runtime, pki, security, components, ssh and hosts; got 'hello'");
    }

    @Test
    void oneDocumentIsExpected() {
        assertProblems(HA + "---\n" + HA, "error answers.yaml:18:1: one document expected: a second YAML document "
                + "starts here; an answers file is a single document");
        assertProblems(HA + "---\n", "error answers.yaml:18:1: one document expected: a second YAML document starts "
                + "here; an answers file is a single document");
        assertProblems("---\n" + HA);
    }

    @Test
    void apiVersionAndKindMustBeTheseExactly() {
        assertProblems(edit(HA, "apiVersion: kubewizard.io/v1alpha1", "apiVersion: kubewizard.io/v1"),
                "error answers.yaml:1:13: apiVersion: expected kubewizard.io/v1alpha1, got 'kubewizard.io/v1': this "
                        + "kubewizard reads kubewizard.io/v1alpha1 answers files");
        assertProblems(edit(HA, "kind: Answers", "kind: ClusterConfiguration"),
                "error answers.yaml:2:7: kind: expected Answers, got 'ClusterConfiguration'");
    }

    @Test
    void mergeKeysAreRefused() {
        assertProblems(edit(HA, "  - {name: w1, address: 10.0.0.21, roles: [worker]}",
                        "  - &w {name: w1, address: 10.0.0.21, roles: [worker]}\n  - {<<: *w, name: w2, address: 10.0.0.22}"),
                "error answers.yaml:18:6: hosts[4]: merge keys (<<) are not supported: write the keys out");
    }

    @Test
    void plainAliasesWithinTheLimitsWork() {
        String text = edit(HA, "{name: cp1, address: 10.0.0.11, roles: [control-plane]}",
                "{name: cp1, address: 10.0.0.11, roles: &cp [control-plane]}",
                "{name: cp2, address: 10.0.0.12, roles: [control-plane]}",
                "{name: cp2, address: 10.0.0.12, roles: *cp}");
        var result = parse(text);
        assertEquals(List.of(), result.problems());
        assertEquals(List.of(Spec.Role.CONTROL_PLANE), result.spec().hosts().get(1).roles());
    }

    @Test
    void theBillionLaughsBombIsRefusedBySnakeYamlsAliasLimit() {
        StringBuilder bomb = new StringBuilder("components:\n  kubelet:\n    a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        char prev = 'a';
        for (char c = 'b'; c <= 'i'; c++) {
            bomb.append("    ").append(c).append(": &").append(c).append(" [");
            for (int i = 0; i < 9; i++) bomb.append(i == 0 ? "" : ", ").append('*').append(prev);
            bomb.append("]\n");
            prev = c;
        }
        String text = HA + bomb;
        assertTimeoutPreemptively(java.time.Duration.ofSeconds(5), () -> assertProblems(text,
                "error answers.yaml:23:20: too many aliases: at most 20 aliases may name a list or mapping"));
    }

    @Test
    void aBombWithinTheAliasLimitIsRefusedByTheExpansionLimit() {
        String base = String.join(", ", java.util.Collections.nCopies(1000, "x"));
        String refs = String.join(", ", java.util.Collections.nCopies(19, "*a"));
        String text = HA + "components:\n  kubelet:\n    a: &a [" + base + "]\n    b: [" + refs + "]\n";
        assertTimeoutPreemptively(java.time.Duration.ofSeconds(5), () -> assertProblems(text,
                "error answers.yaml:20:8: aliases repeat more than 10000 nodes; refused as an alias bomb: write the "
                        + "values out"));
    }

    @Test
    void deepNestingIsRefusedWhereItGoesTooDeep() {
        String deep = HA + "components:\n  kubelet:\n    a: " + "[".repeat(49) + "]".repeat(49) + "\n";
        assertProblems(deep, "error answers.yaml:20:56: lists and mappings nest deeper than 50 levels");
        var justDeepEnough = parse(HA + "components:\n  kubelet:\n    a: " + "[".repeat(48) + "]".repeat(48) + "\n");
        assertEquals(List.of(), justDeepEnough.problems());
    }

    @Test
    void aRecursiveAliasIsRefused() {
        assertTimeoutPreemptively(java.time.Duration.ofSeconds(5), () -> assertProblems(
                HA + "components:\n  kubelet: &k {nested: *k}\n",
                "error answers.yaml:19:12: an alias refers to a node that contains it; an answers file cannot be "
                        + "recursive"));
    }

    @Test
    void aLongGarbledKeyIsReportedShortAndCheaply() {
        String key = "k".repeat(200_000);
        var problems = assertTimeoutPreemptively(java.time.Duration.ofSeconds(5),
                () -> parse(edit(HA, "network:\n", "network:\n  ? " + key + "\n  : 1\n")).problems());
        assertEquals(1, problems.size());
        assertEquals("answers.yaml:12:5: network." + key + ": unknown key '" + "k".repeat(60) + "...'; known keys: "
                + "cni, cniVersion, podSubnet, serviceSubnet, dnsDomain, kubeProxyMode", problems.get(0).toString());
    }

    @Test
    void valuesWithLineBreaksStayOnOneLineInMessages() {
        assertProblems(edit(HA, "name: prod", "name: \"pr\\nod\""),
                "error answers.yaml:4:9: cluster.name: 'pr\\nod' is not a valid cluster name: use a DNS-1123 label "
                        + "(lowercase letters, digits and '-', starting and ending with a letter or digit, at most 63 "
                        + "characters)");
    }

    @Test
    void aFileThatIsNotUtf8NamesTheFirstBadByte() throws URISyntaxException {
        Path file = resource("latin1.yaml");
        var result = AnswersLoader.load(file);
        assertNull(result.spec());
        assertEquals(List.of(file + ":2:12: the file is not UTF-8 text: byte 0xE9 cannot stand here in UTF-8; save "
                + "the file as UTF-8"), result.problems().stream().map(Problem::toString).toList());
    }

    @Test
    void aUtf8ByteOrderMarkIsAccepted() throws URISyntaxException {
        var result = AnswersLoader.load(resource("bom.yaml"));
        assertEquals(List.of(), result.problems());
        assertEquals("bom", result.spec().cluster().name());
    }

    @Test
    void aMissingFileIsOneError(@TempDir Path dir) {
        Path file = dir.resolve("nope.yaml");
        var result = AnswersLoader.load(file);
        assertNull(result.spec());
        assertEquals(List.of(file + ":1:1: cannot read the file: no such file"),
                result.problems().stream().map(Problem::toString).toList());
    }

    @Test
    void aDirectoryIsNotAnAnswersFile(@TempDir Path dir) {
        var result = AnswersLoader.load(dir);
        assertEquals(List.of(dir + ":1:1: cannot read the file: Is a directory"),
                result.problems().stream().map(Problem::toString).toList());
    }

    @Test
    void loadReadsTheFileAndNamesItInMessages(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("prod.yaml");
        Files.writeString(file, edit(HA, "name: prod", "name: Prod"));
        assertEquals(List.of(file + ":4:9: cluster.name: 'Prod' is not a valid cluster name: use a DNS-1123 label "
                        + "(lowercase letters, digits and '-', starting and ending with a letter or digit, at most 63 "
                        + "characters)"),
                AnswersLoader.load(file).problems().stream().map(Problem::toString).toList());
    }

    private Path resource(String name) throws URISyntaxException {
        return Path.of(getClass().getResource("/answers/" + name).toURI());
    }
}
