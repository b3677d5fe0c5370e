package io.kubewizard.plan;

import io.kubewizard.answers.Spec.ClusterSpec;
import io.kubewizard.render.Render;
import io.kubewizard.render.RenderedFile;
import io.kubewizard.render.RenderedFile.OsFamily;
import io.kubewizard.render.Secrets;
import io.kubewizard.render.VerifyManifests;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The verify phase, alone ({@code kubewizard verify}) and as the end of every changing workflow: per
 * check a step of its own, in order, the checks one after another on the lead, the test namespace
 * deleted by a clean-up that always runs after every check; the manifests it uploads (golden, in
 * src/test/resources/golden/verify; -Dgolden.update=true rewrites them); and what the checks' output reads as.
 */
class VerifyPlanTest {
    static Plan verify(ClusterSpec spec) {
        return Plan.build(Workflow.VERIFY, spec, Render.render(spec, Secrets.MASKED),
                new Plan.Inputs(ScalePlanTest.installed(spec), new ArrayList<>(spec.hosts()), Set.of()));
    }

    @Test
    void everyCheckIsAStepOfItsOwnAndTheNamespaceIsDeletedAfterAllOfThem() throws IOException {
        ClusterSpec spec = ScalePlanTest.spec(ScalePlanTest.text("ha-stacked"));
        Plan p = verify(spec);
        assertEquals(List.of(), p.refusals());
        assertEquals(List.of("verify"), p.phases().stream().map(Phase::id).toList());
        List<String> nodes = List.of("cp1", "cp2", "cp3", "worker1", "worker2");
        List<String> expected = new ArrayList<>(List.of("verify/nodes@cp1", "verify/node-state@cp1", "verify/etcd@cp1",
                "verify/kube-system@cp1", "verify/test-pods@cp1"));
        List<String> checks = new ArrayList<>();
        for (String n : nodes) {
            for (String c : List.of("dns", "pod-network", "service", "node-port")) checks.add("verify/" + c + "/" + n + "@cp1");
        }
        checks.add("verify/pod-security@cp1");
        expected.addAll(checks);
        expected.add("verify/cleanup@cp1");
        for (String cp : List.of("cp1", "cp2", "cp3")) expected.add("verify/certificates@" + cp);
        assertEquals(expected, ScalePlanTest.keys(p));

        // The checks run side by side once the test pods are Ready, none waiting for another, and each is
        // judged on what it printed.
        for (String c : checks) {
            Step s = UpgradePlanTest.step(p, c);
            assertEquals(List.of("verify/test-pods@cp1"), s.dependsOn(), c);
            assertEquals(Judge.READ_PROBLEMS, s.judge(), c);
            assertEquals(List.of(), s.uploads(), c);
        }
        Step cleanup = UpgradePlanTest.step(p, "verify/cleanup@cp1");
        assertTrue(cleanup.always());
        assertEquals("verify/test-pods@cp1", cleanup.dependsOn().get(0));
        assertTrue(cleanup.dependsOn().containsAll(checks), cleanup.dependsOn()::toString);
        assertEquals(List.of("kubectl --kubeconfig /etc/kubernetes/admin.conf delete namespace kubewizard-verify "
                + "--ignore-not-found --timeout=300s"), cleanup.run(OsFamily.ANY));

        Step pods = UpgradePlanTest.step(p, "verify/test-pods@cp1");
        assertEquals(List.of(VerifyManifests.TEST_PODS, VerifyManifests.PRIVILEGED_POD),
                pods.uploads().stream().map(RenderedFile::path).toList());
        assertEquals(List.of("kubectl --kubeconfig /etc/kubernetes/admin.conf apply -f /etc/kubernetes/verify/test-pods.yaml",
                "kubectl --kubeconfig /etc/kubernetes/admin.conf wait --for=condition=Ready --timeout=300s -n kubewizard-verify "
                        + "pod --all"), pods.run(OsFamily.ANY));
        golden("test-pods.yaml", pods.uploads().get(0).content());
        golden("privileged-pod.yaml", pods.uploads().get(1).content());

        assertEquals(List.of("{ kubectl --kubeconfig /etc/kubernetes/admin.conf exec -n kubewizard-verify agnhost-worker1 -- "
                + "nslookup kubernetes.default; } 2>&1; echo \"kubewizard-exit=$?\""),
                UpgradePlanTest.step(p, "verify/dns/worker1@cp1").run(OsFamily.ANY));
        // pod to pod: to the next node's pod, across nodes (the last node's goes to the first's)
        String network = UpgradePlanTest.step(p, "verify/pod-network/worker2@cp1").run(OsFamily.ANY).get(0);
        assertTrue(network.contains("get pod -n kubewizard-verify agnhost-cp1 -o jsonpath='{.status.podIP}')"), network);
        assertTrue(network.contains("exec -n kubewizard-verify agnhost-worker2 -- /agnhost connect --timeout=5s \"$ip:8080\""), network);
        String nodePort = UpgradePlanTest.step(p, "verify/node-port/cp2@cp1").run(OsFamily.ANY).get(0);
        String cp2 = spec.hosts().get(1).internalAddress();
        assertTrue(nodePort.contains("/agnhost connect --timeout=5s \"" + cp2 + ":$port\""), nodePort);
        assertEquals(List.of("{ kubectl --kubeconfig /etc/kubernetes/admin.conf apply --dry-run=server -f "
                + "/etc/kubernetes/verify/privileged-pod.yaml; } 2>&1; echo \"kubewizard-exit=$?\""),
                UpgradePlanTest.step(p, "verify/pod-security@cp1").run(OsFamily.ANY));
    }

    @Test
    void everyWorkflowThatChangesTheClusterEndsWithTheSameChecks() {
        ClusterSpec spec = ScalePlanTest.spec(ScalePlanTest.text("ha-stacked"));
        List<String> alone = ids(verify(spec));
        for (Workflow w : List.of(Workflow.INSTALL, Workflow.SCALE, Workflow.CERTS_RENEW)) {
            Plan p = Plan.build(w, spec, Render.render(spec, Secrets.MASKED), new Plan.Inputs(
                    w == Workflow.INSTALL ? Observed.NONE : ScalePlanTest.installed(spec), new ArrayList<>(spec.hosts()), Set.of()));
            List<String> verify = p.phases().stream().filter(ph -> ph.id().equals("verify")).flatMap(ph -> ph.steps().stream())
                    .map(Step::key).toList();
            assertEquals(alone, verify, w.id());
        }
    }

    @Test
    void withoutAPodNetworkOnlyRegistrationIsCheckedAndUnderPrivilegedNoPodIsRefused() {
        ClusterSpec none = ScalePlanTest.spec(ScalePlanTest.text("single-node").replace("cni: calico", "cni: none"));
        List<String> keys = ids(verify(none));
        assertFalse(keys.stream().anyMatch(k -> k.startsWith("verify/test-pods") || k.startsWith("verify/dns")), keys::toString);
        ClusterSpec privileged = ScalePlanTest.spec(ScalePlanTest.text("single-node").replace("enforce: baseline", "enforce: privileged"));
        List<String> open = ids(verify(privileged));
        assertTrue(open.contains("verify/dns/node1@node1"), open::toString);
        assertFalse(open.contains("verify/pod-security@node1"), open::toString);
    }

    @Test
    void aCheckReadsAsAProblemNamingItsNodeAndAPodSecurityRefusalAsAPass() {
        VerifyCheck dns = new VerifyCheck("dns", "worker2", "true", "kubernetes.default does not resolve", VerifyCheck.Expect.SUCCEEDS);
        assertEquals(List.of(), dns.parse(List.of("Name:\tkubernetes.default.svc.cluster.local\nkubewizard-exit=0\n")));
        assertEquals(List.of("dns on worker2: kubernetes.default does not resolve (exit 1: command terminated with exit code 1)"),
                dns.parse(List.of(";; connection timed out; no servers could be reached\n\ncommand terminated with exit code 1\n"
                        + "kubewizard-exit=1\n")));
        VerifyCheck psa = new VerifyCheck("pod-security", VerifyCheck.CLUSTER, "true", "a privileged pod was not refused under "
                + "enforce=baseline", VerifyCheck.Expect.REFUSED_BY_POD_SECURITY);
        assertEquals(List.of(), psa.parse(List.of("Error from server (Forbidden): error when creating \"p.yaml\": pods \"x\" is "
                + "forbidden: violates PodSecurity \"baseline:latest\": privileged (container \"c\" must not set "
                + "securityContext.privileged=true)\nkubewizard-exit=1\n")));
        assertEquals(List.of("pod-security: a privileged pod was not refused under enforce=baseline (pod/x created (server dry run))"),
                psa.parse(List.of("pod/x created (server dry run)\nkubewizard-exit=0\n")));
    }

    @Test
    void nodeStateNamesWhatDiffersFromTheAnswers() {
        NodeState state = new NodeState(List.of(new NodeState.Expected("cp1", "v1.35.2", true, "zone-a",
                List.of("node-role.kubernetes.io/control-plane:NoSchedule")), new NodeState.Expected("w1", "v1.35.2", false, "",
                List.of("gpu=true:NoSchedule")), new NodeState.Expected("w2", "v1.35.2", false, "", List.of())), true);
        String json = "{\"items\": [{\"metadata\": {\"name\": \"cp1\", \"labels\": {\"node-role.kubernetes.io/control-plane\": \"\","
                + " \"topology.kubernetes.io/zone\": \"zone-b\"}}, \"spec\": {\"taints\": [{\"key\": "
                + "\"node-role.kubernetes.io/control-plane\", \"effect\": \"NoSchedule\"}, {\"key\": \"node.kubernetes.io/not-ready\","
                + " \"effect\": \"NoSchedule\"}]}, \"status\": {\"conditions\": [{\"type\": \"Ready\", \"status\": \"True\"}],"
                + " \"nodeInfo\": {\"kubeletVersion\": \"v1.35.2\"}}},"
                + " {\"metadata\": {\"name\": \"w1\", \"labels\": {}}, \"spec\": {}, \"status\": {\"conditions\": [{\"type\": \"Ready\","
                + " \"status\": \"False\"}], \"nodeInfo\": {\"kubeletVersion\": \"v1.34.1\"}}}]}";
        assertEquals(List.of("node cp1 is in zone zone-b, not zone-a", "node w1 is not Ready", "node w1 runs kubelet v1.34.1, not v1.35.2",
                "node w1 has taints (none), not gpu=true:NoSchedule", "node w2 is not registered"), state.parse(List.of(json)));
    }

    /** The verify phase's step keys for these nodes (in file order), with the lead and the hosts whose certificates are read. */
    static List<String> keys(String lead, List<String> nodes, List<String> certificates) {
        List<String> out = new ArrayList<>(List.of("verify/nodes@" + lead, "verify/node-state@" + lead, "verify/etcd@" + lead,
                "verify/kube-system@" + lead, "verify/test-pods@" + lead));
        for (String n : nodes) {
            for (String c : List.of("dns", "pod-network", "service", "node-port")) out.add("verify/" + c + "/" + n + "@" + lead);
        }
        out.add("verify/pod-security@" + lead);
        out.add("verify/cleanup@" + lead);
        for (String h : certificates) out.add("verify/certificates@" + h);
        return out;
    }

    static List<String> ids(Plan p) {
        return p.phases().stream().filter(ph -> ph.id().equals("verify")).flatMap(ph -> ph.steps().stream()).map(Step::key).toList();
    }

    static void golden(String name, String text) throws IOException {
        Path file = Path.of("src/test/resources/golden/verify", name);
        if (Boolean.getBoolean("golden.update")) Files.writeString(file, text, StandardCharsets.UTF_8);
        assertEquals(Files.readString(file, StandardCharsets.UTF_8), text, name + " (rewrite with -Dgolden.update=true)");
    }

    /**
     * verify --node-conformance worker1: after the nodes are Ready, the conformance container run on
     * worker1 with ctr and its documented mounts in a fresh 0700 results directory, then the results
     * directory fetched by a step that always runs; Docker runs the documented docker run; without the
     * option there is no such step.
     */
    @Test
    void nodeConformanceRunsOnTheAskedNodeAndItsResultsAreAlwaysFetched() {
        ClusterSpec spec = ScalePlanTest.spec(ScalePlanTest.text("ha-stacked"));
        Plan plain = verify(spec);
        assertTrue(ScalePlanTest.keys(plain).stream().noneMatch(k -> k.contains("node-conformance")), ScalePlanTest.keys(plain)::toString);
        Plan p = Plan.build(Workflow.VERIFY, spec, Render.render(spec, Secrets.MASKED),
                new Plan.Inputs(ScalePlanTest.installed(spec), new ArrayList<>(spec.hosts()), Set.of())
                        .withNodeConformance("worker1"));
        List<String> keys = ScalePlanTest.keys(p);
        List<String> withoutIt = new ArrayList<>(keys);
        withoutIt.removeAll(List.of("verify/node-conformance/worker1@worker1", "verify/node-conformance-results/worker1@worker1"));
        assertEquals(ScalePlanTest.keys(plain), withoutIt);
        assertEquals(keys.indexOf("verify/cleanup@cp1") + 1, keys.indexOf("verify/node-conformance/worker1@worker1"));
        assertEquals(keys.indexOf("verify/node-conformance/worker1@worker1") + 1,
                keys.indexOf("verify/node-conformance-results/worker1@worker1"));

        String image = spec.cluster().imageRepository() + "/node-test:0.2";
        Step run = UpgradePlanTest.step(p, "verify/node-conformance/worker1@worker1");
        assertTrue(run.dependsOn().contains("verify/nodes@cp1"), run.dependsOn()::toString);
        assertFalse(run.always());
        assertEquals(List.of(
                "mkdir -p /etc/kubernetes/manifests /var/lib/kubewizard && rm -rf /var/lib/kubewizard/node-conformance && mkdir -m 0700 "
                        + "/var/lib/kubewizard/node-conformance",
                "ctr -n k8s.io images pull " + image,
                "ctr -n k8s.io run --rm --privileged --net-host --mount type=bind,src=/,dst=/rootfs,options=rbind:ro "
                        + "--mount type=bind,src=/etc/kubernetes/manifests,dst=/etc/kubernetes/manifests,options=rbind:rw "
                        + "--mount type=bind,src=/var/lib/kubewizard/node-conformance,dst=/var/result,options=rbind:rw "
                        + image + " node-conformance"), run.run(OsFamily.ANY));
        Step fetch = UpgradePlanTest.step(p, "verify/node-conformance-results/worker1@worker1");
        assertTrue(fetch.always());
        assertTrue(fetch.dependsOn().contains("verify/node-conformance/worker1@worker1"), fetch.dependsOn()::toString);
        assertEquals(List.of(), fetch.run(OsFamily.ANY));
        assertEquals(List.of("/var/lib/kubewizard/node-conformance/"), fetch.downloads());

        assertEquals("registry.example/node-test-arm64:0.2", NodeConformance.image("registry.example", "aarch64"));
        assertEquals("registry.example/node-test-amd64:0.2", NodeConformance.image("registry.example", "x86_64"));
        assertEquals("registry.example/node-test-arm:0.2", NodeConformance.image("registry.example", "armv7l"));
        assertEquals("registry.example/node-test:0.2", NodeConformance.image("registry.example", null));
        assertEquals("docker run --rm --privileged --net=host -v /:/rootfs:ro -v /etc/kubernetes/manifests:/etc/kubernetes/manifests "
                + "-v /var/lib/kubewizard/node-conformance:/var/result " + image,
                NodeConformance.commands(io.kubewizard.answers.Spec.RuntimeType.DOCKER, image).get(1));
    }
}
