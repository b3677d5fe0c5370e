package io.kubewizard.plan;

import io.kubewizard.answers.Spec.ClusterSpec;
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
 * The backup workflow: a snapshot through the running etcd (the lead's when stacked, the first
 * external member's otherwise), checked on the node, fetched, then removed from the node even when
 * the fetch failed; each control plane's CAs and service-account keys fetched. Golden plans in
 * src/test/resources/golden/plans (-Dgolden.update=true rewrites them).
 */
class BackupPlanTest {
    static Plan backup(ClusterSpec spec, Observed observed) {
        return Plan.build(Workflow.BACKUP, spec, Render.render(spec, Secrets.MASKED),
                new Plan.Inputs(observed, new ArrayList<>(spec.hosts()), Set.of()));
    }

    @Test
    void stackedEtcdIsSnapshotOnTheLeadAndEveryControlPlanesCasAreFetched() throws IOException {
        ClusterSpec spec = ScalePlanTest.spec(ScalePlanTest.text("ha-stacked"));
        Plan p = backup(spec, ScalePlanTest.installed(spec));
        assertEquals(List.of(), p.refusals());
        assertEquals(List.of("backup/snapshot@cp1", "backup/remove@cp1", "backup/pki@cp1", "backup/pki@cp2", "backup/pki@cp3"),
                ScalePlanTest.keys(p));
        Step snapshot = UpgradePlanTest.step(p, "backup/snapshot@cp1");
        assertEquals(List.of("/var/lib/etcd/kubewizard-backup.db"), snapshot.downloads());
        List<String> run = snapshot.run(RenderedFile.OsFamily.ANY);
        assertTrue(run.get(0).endsWith(" etcdctl --endpoints=https://127.0.0.1:2379 --cacert=/etc/kubernetes/pki/etcd/ca.crt"
                + " --cert=/etc/kubernetes/pki/etcd/healthcheck-client.crt --key=/etc/kubernetes/pki/etcd/healthcheck-client.key"
                + " snapshot save /var/lib/etcd/kubewizard-backup.db"), run.get(0));
        assertTrue(run.get(1).contains("etcdutl snapshot status /var/lib/etcd/kubewizard-backup.db -w table || "), run.get(1));
        Step remove = UpgradePlanTest.step(p, "backup/remove@cp1");
        assertTrue(remove.always());
        assertEquals("backup/snapshot@cp1", remove.dependsOn().get(0));
        assertEquals(List.of("rm -f /var/lib/etcd/kubewizard-backup.db"), remove.run(RenderedFile.OsFamily.ANY));
        // kubeadm's PKI: the shared CAs, the service-account keys and the etcd CA are on every control plane
        assertEquals(List.of("/etc/kubernetes/pki/ca.crt", "/etc/kubernetes/pki/ca.key", "/etc/kubernetes/pki/sa.key",
                "/etc/kubernetes/pki/sa.pub", "/etc/kubernetes/pki/front-proxy-ca.crt", "/etc/kubernetes/pki/front-proxy-ca.key",
                "/etc/kubernetes/pki/etcd/ca.crt", "/etc/kubernetes/pki/etcd/ca.key"), UpgradePlanTest.step(p, "backup/pki@cp2").downloads());
        // nothing is written on any node but the snapshot, which is removed again
        for (Step s : p.steps()) assertEquals(List.of(), s.uploads(), s.key());
        ScalePlanTest.golden("backup-stacked", p);
    }

    @Test
    void externalEtcdIsSnapshotOnItsFirstMemberAndTheCasKubewizardWroteAreFetched() throws IOException {
        ClusterSpec spec = ScalePlanTest.spec(ScalePlanTest.text("ha-external-etcd"));
        Plan p = backup(spec, ScalePlanTest.installed(spec));
        assertEquals(List.of(), p.refusals());
        assertEquals(List.of("/var/lib/etcd/kubewizard-backup.db"), UpgradePlanTest.step(p, "backup/snapshot@etcd1").downloads());
        // kubewizard's PKI: the etcd CA key never left the jump host; the control planes have the rest
        assertEquals(List.of("/etc/kubernetes/pki/ca.crt", "/etc/kubernetes/pki/ca.key", "/etc/kubernetes/pki/sa.key",
                "/etc/kubernetes/pki/sa.pub", "/etc/kubernetes/pki/front-proxy-ca.crt", "/etc/kubernetes/pki/front-proxy-ca.key"),
                UpgradePlanTest.step(p, "backup/pki@cp1").downloads());
    }

    @Test
    void aClusterThatDoesNotExistIsNotBackedUp() {
        ClusterSpec spec = ScalePlanTest.spec(ScalePlanTest.text("single-node"));
        Plan p = backup(spec, Observed.NONE);
        assertEquals(List.of("no control plane of the answers file runs a cluster yet: there is nothing to back up"), p.refusals());
    }
}
