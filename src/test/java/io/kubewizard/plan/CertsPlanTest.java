package io.kubewizard.plan;

import io.kubewizard.answers.Spec.ClusterSpec;
import io.kubewizard.answers.Spec.RuntimeType;
import io.kubewizard.render.Render;
import io.kubewizard.render.RenderedFile;
import io.kubewizard.render.Secrets;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * certs renew and certs --live as plans: renewal one control plane at a time (renew, restart, a
 * clean-up that puts manifests back, healthy), the lead first; the health reading's judgement; the
 * live read on every node, etcd hosts included. Golden plan certs-renew-stacked.
 */
class CertsPlanTest {
    static Plan plan(Workflow w, ClusterSpec spec, Observed observed) {
        return Plan.build(w, spec, Render.render(spec, Secrets.MASKED), new Plan.Inputs(observed, new ArrayList<>(spec.hosts()), Set.of()));
    }

    @Test
    void renewalGoesOneControlPlaneAtATimeEachHealthyBeforeTheNext() throws IOException {
        ClusterSpec spec = ScalePlanTest.spec(ScalePlanTest.text("ha-stacked"));
        Plan p = plan(Workflow.CERTS_RENEW, spec, ScalePlanTest.installed(spec));
        assertEquals(List.of(), p.refusals());
        List<String> expected = new java.util.ArrayList<>(List.of("certs/renew@cp1", "certs/restart@cp1",
                "certs/manifests-back@cp1", "certs/healthy@cp1",
                "certs/renew@cp2", "certs/restart@cp2", "certs/manifests-back@cp2", "certs/healthy@cp2",
                "certs/renew@cp3", "certs/restart@cp3", "certs/manifests-back@cp3", "certs/healthy@cp3"));
        expected.addAll(VerifyPlanTest.keys("cp1", List.of("cp1", "cp2", "cp3", "worker1", "worker2"), List.of("cp1", "cp2", "cp3")));
        expected.add("kubeconfig/fetch@cp1");
        assertEquals(expected, ScalePlanTest.keys(p));
        assertTrue(UpgradePlanTest.step(p, "certs/renew@cp2").dependsOn().contains("certs/healthy@cp1"));
        assertTrue(UpgradePlanTest.step(p, "certs/renew@cp3").dependsOn().contains("certs/healthy@cp2"));
        Step back = UpgradePlanTest.step(p, "certs/manifests-back@cp2");
        assertTrue(back.always());
        assertEquals("certs/restart@cp2", back.dependsOn().get(0));
        assertEquals(List.of("kubeadm certs renew all"), UpgradePlanTest.step(p, "certs/renew@cp1").run(RenderedFile.OsFamily.ANY));
        String restart = UpgradePlanTest.step(p, "certs/restart@cp1").run(RenderedFile.OsFamily.ANY).get(0);
        assertTrue(restart.contains("for c in etcd kube-apiserver kube-controller-manager kube-scheduler; do"), restart);
        assertTrue(UpgradePlanTest.step(p, "certs/healthy@cp1").reads() instanceof ControlPlaneHealth);
        // nothing is written on any node but verify's test manifests, on the lead
        for (Step s : p.steps()) {
            if (!s.id().equals("verify/test-pods")) assertEquals(List.of(), s.uploads(), s.key());
        }
        ScalePlanTest.golden("certs-renew-stacked", p);

        Plan none = plan(Workflow.CERTS_RENEW, spec, Observed.NONE);
        assertEquals(List.of("no control plane of the answers file runs a cluster yet: there is nothing to renew"), none.refusals());
    }

    /**
     * kubewizard's PKI, external etcd: the leaves were issued again on the jump host; each control plane
     * gets its certificates and kubeconfigs written (no kubeadm certs renew), then the same restart and
     * wait, and after them each etcd member in turn: its certificates, etcd restarted, healthy.
     */
    @Test
    void withKubewizardsPkiTheFilesAreWrittenAndTheEtcdMembersFollowOneAtATime(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp)
            throws Exception {
        ClusterSpec spec = ScalePlanTest.spec(ScalePlanTest.text("ha-external-etcd"));
        io.kubewizard.pki.PkiMaterial pki = io.kubewizard.pki.ClusterPki.ensure(spec, new io.kubewizard.pki.PkiStore(tmp));
        Plan p = io.kubewizard.run.Engine.plan(Workflow.CERTS_RENEW, spec, pki,
                new Plan.Inputs(ScalePlanTest.installed(spec), new ArrayList<>(spec.hosts()), Set.of()));
        assertEquals(List.of(), p.refusals());
        List<String> keys = ScalePlanTest.keys(p);
        assertTrue(keys.stream().noneMatch(k -> k.startsWith("certs/renew@")), keys::toString);
        Step cp2 = UpgradePlanTest.step(p, "certs/write@cp2");
        List<String> paths = cp2.uploads().stream().map(RenderedFile::path).toList();
        assertTrue(paths.containsAll(List.of("/etc/kubernetes/pki/apiserver.crt", "/etc/kubernetes/pki/apiserver.key",
                "/etc/kubernetes/admin.conf", "/etc/kubernetes/scheduler.conf")), paths::toString);
        assertTrue(paths.stream().noneMatch(f -> f.contains("/kubeadm/") || f.contains("/manifests/")), paths::toString);
        assertTrue(cp2.dependsOn().contains("certs/healthy@cp1"));
        for (String e : List.of("etcd1", "etcd2", "etcd3")) {
            Step write = UpgradePlanTest.step(p, "certs/write@" + e);
            assertTrue(write.uploads().stream().map(RenderedFile::path).toList().contains("/etc/kubernetes/pki/etcd/server.crt"));
            assertTrue(UpgradePlanTest.step(p, "certs/restart@" + e).run(RenderedFile.OsFamily.ANY).get(0).contains("for c in etcd; do"));
        }
        assertTrue(UpgradePlanTest.step(p, "certs/write@etcd1").dependsOn().contains("certs/healthy@cp3"));
        assertTrue(UpgradePlanTest.step(p, "certs/write@etcd2").dependsOn().contains("certs/healthy@etcd1"));
        assertTrue(UpgradePlanTest.step(p, "certs/write@etcd3").dependsOn().contains("certs/healthy@etcd2"));
    }

    /**
     * kubeadm's PKI with external etcd: kubeadm renews the control planes' own certificates, and the etcd
     * certificates kubewizard issued (the members', the API server's client one) are written after it.
     */
    @Test
    void withKubeadmsPkiAndExternalEtcdKubewizardStillRenewsEtcdsCertificates(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp)
            throws Exception {
        ClusterSpec spec = ScalePlanTest.spec(ScalePlanTest.text("ha-external-etcd").replace("generatedBy: kubewizard",
                "generatedBy: kubeadm"));
        io.kubewizard.pki.PkiMaterial pki = io.kubewizard.pki.ClusterPki.ensure(spec, new io.kubewizard.pki.PkiStore(tmp));
        Plan p = io.kubewizard.run.Engine.plan(Workflow.CERTS_RENEW, spec, pki,
                new Plan.Inputs(ScalePlanTest.installed(spec), new ArrayList<>(spec.hosts()), Set.of()));
        Step cp1 = UpgradePlanTest.step(p, "certs/renew@cp1");
        assertEquals(List.of("kubeadm certs renew all"), cp1.run(RenderedFile.OsFamily.ANY));
        assertTrue(cp1.uploads().stream().map(RenderedFile::path).toList().contains("/etc/kubernetes/pki/apiserver-etcd-client.crt"),
                cp1.uploads().toString());
        assertTrue(UpgradePlanTest.step(p, "certs/write@etcd1").uploads().stream().map(RenderedFile::path).toList()
                .contains("/etc/kubernetes/pki/etcd/server.crt"));
        assertTrue(UpgradePlanTest.step(p, "certs/write@etcd1").dependsOn().contains("certs/healthy@cp3"));
    }

    @Test
    void theHealthReadingNamesWhatIsNotBack() {
        ControlPlaneHealth h = new ControlPlaneHealth("cp2", true, RuntimeType.CONTAINERD);
        String pods = "{\"items\": [" + pod("etcd", true) + "," + pod("kube-apiserver", false) + "," + pod("kube-scheduler", true) + "]}";
        assertEquals(List.of("kube-apiserver on cp2 is not Ready", "kube-controller-manager has no pod on cp2",
                "etcd on cp2 is not healthy: {\"level\":\"warn\",\"msg\":\"context deadline exceeded\"}"),
                h.parse(List.of(pods, "{\"level\":\"warn\",\"msg\":\"context deadline exceeded\"}\n")));
        String all = "{\"items\": [" + pod("etcd", true) + "," + pod("kube-apiserver", true) + "," + pod("kube-controller-manager", true)
                + "," + pod("kube-scheduler", true) + "]}";
        assertEquals(List.of(), h.parse(List.of(all, "https://127.0.0.1:2379 is healthy: successfully committed proposal: took = 2ms\n")));
        assertEquals(List.of(), new ControlPlaneHealth("cp2", false, RuntimeType.CONTAINERD).parse(List.of(all)),
                "with external etcd no etcd pod is asked for");
    }

    private static String pod(String component, boolean ready) {
        return "{\"metadata\": {\"name\": \"" + component + "-cp2\", \"labels\": {\"component\": \"" + component + "\", \"tier\": "
                + "\"control-plane\"}}, \"spec\": {\"nodeName\": \"cp2\"}, \"status\": {\"conditions\": [{\"type\": \"Ready\", "
                + "\"status\": \"" + (ready ? "True" : "False") + "\"}]}}";
    }

    @Test
    void theLiveReadCoversEveryHostEtcdIncluded() {
        ClusterSpec spec = ScalePlanTest.spec(ScalePlanTest.text("ha-external-etcd"));
        Plan p = plan(Workflow.CERTS, spec, Observed.NONE);
        assertEquals(spec.hosts().stream().map(h -> "certs/read@" + h.name()).toList(), ScalePlanTest.keys(p));
        assertTrue(p.steps().stream().allMatch(s -> s.reads() instanceof NodeCertificates && s.uploads().isEmpty()));
    }
}
