package io.kubewizard.plan;

import io.kubewizard.answers.Spec.ClusterSpec;
import io.kubewizard.render.Render;
import io.kubewizard.render.RenderedFile;
import io.kubewizard.render.Secrets;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The restore plan of a stacked HA cluster: every CA checked before anything stops, every member
 * stopped before any restores, each member restored with its own name and peer URL and the whole
 * cluster, etcd started everywhere and healthy before any API server, and a clean-up per node that
 * puts manifests back. The snapshot and the keys are sent from the jump host as secret files.
 */
class RestorePlanTest {
    static final Plan.Restore FROM = new Plan.Restore("20261202T050000Z",
            new Plan.Local("/backups/20261202T050000Z/cp1/var/lib/etcd/kubewizard-backup.db", "aa".repeat(32)),
            Map.of("ca.crt", new Plan.Local("/backups/x/cp1/etc/kubernetes/pki/ca.crt", "bb".repeat(32)),
                    "ca.key", new Plan.Local("/backups/x/cp1/etc/kubernetes/pki/ca.key", "cc".repeat(32))));

    @Test
    void everyMemberStopsBeforeAnyRestoresAndEtcdIsHealthyBeforeAnyApiServer() throws IOException {
        ClusterSpec spec = ScalePlanTest.spec(ScalePlanTest.text("ha-stacked"));
        Plan p = Plan.build(Workflow.RESTORE, spec, Render.render(spec, Secrets.MASKED),
                new Plan.Inputs(ScalePlanTest.installed(spec), new ArrayList<>(spec.hosts()), Set.of()).withRestore(FROM));
        assertEquals(List.of(), p.refusals());
        List<String> cps = List.of("cp1", "cp2", "cp3");
        for (String cp : cps) {
            Step stop = UpgradePlanTest.step(p, "restore/stop@" + cp);
            for (String other : cps) assertTrue(stop.dependsOn().contains("restore/check@" + other), stop.dependsOn()::toString);
            Step snapshot = UpgradePlanTest.step(p, "restore/snapshot@" + cp);
            for (String other : cps) assertTrue(snapshot.dependsOn().contains("restore/stop@" + other), snapshot.dependsOn()::toString);
            RenderedFile sent = snapshot.uploads().get(0);
            assertTrue(sent.secret());
            assertEquals("/var/lib/kubewizard-restore/snapshot.db", sent.path());
            assertEquals(FROM.snapshot().path(), sent.localPath());
            assertEquals(FROM.snapshot().sha256(), sent.localSha256());
            String restore = snapshot.run(RenderedFile.OsFamily.ANY).get(2);
            assertTrue(restore.contains(" snapshot restore /var/lib/kubewizard-restore/snapshot.db --name " + cp + " --initial-cluster "
                    + "cp1=https://10.0.0.11:2380,cp2=https://10.0.0.12:2380,cp3=https://10.0.0.13:2380 "
                    + "--initial-advertise-peer-urls https://" + spec.hosts().stream().filter(h -> h.name().equals(cp)).findFirst()
                    .orElseThrow().internalAddress() + ":2380 --data-dir /var/lib/etcd.restored"), restore);
            assertEquals("test -f /var/lib/etcd/.kubewizard-restored-20261202T050000Z", snapshot.check());
            Step etcd = UpgradePlanTest.step(p, "restore/etcd@" + cp);
            for (String other : cps) assertTrue(etcd.dependsOn().contains("restore/snapshot@" + other), etcd.dependsOn()::toString);
            assertTrue(UpgradePlanTest.step(p, "restore/apiserver@" + cp).dependsOn().contains("restore/etcd-healthy@cp1"));
            Step back = UpgradePlanTest.step(p, "restore/manifests-back@" + cp);
            assertTrue(back.always());
            assertEquals("restore/stop@" + cp, back.dependsOn().get(0));
            Step pki = UpgradePlanTest.step(p, "restore/pki@" + cp);
            assertEquals("test -f /etc/kubernetes/pki/ca.crt && test -f /etc/kubernetes/pki/ca.key", pki.check());
            assertEquals(List.of(0644, 0600), pki.uploads().stream().map(RenderedFile::mode).toList());
        }
        assertTrue(UpgradePlanTest.step(p, "restore/check@cp2").run(RenderedFile.OsFamily.ANY).get(0)
                .contains("echo '" + "bb".repeat(32) + "  /etc/kubernetes/pki/ca.crt' | sha256sum --check --status"));
        ScalePlanTest.golden("restore-stacked", p);
    }

    /** External etcd: the etcd hosts are the members restored; the control planes' API servers stop and start around them. */
    @Test
    void withExternalEtcdTheEtcdHostsAreRestoredAndTheApiServersWaitForThem() {
        ClusterSpec spec = ScalePlanTest.spec(ScalePlanTest.text("ha-external-etcd"));
        Plan p = Plan.build(Workflow.RESTORE, spec, Render.render(spec, Secrets.MASKED),
                new Plan.Inputs(ScalePlanTest.installed(spec), new ArrayList<>(spec.hosts()), Set.of()).withRestore(FROM));
        List<String> keys = ScalePlanTest.keys(p);
        assertEquals(List.of("restore/snapshot@etcd1", "restore/snapshot@etcd2", "restore/snapshot@etcd3"),
                keys.stream().filter(k -> k.startsWith("restore/snapshot@")).toList());
        assertEquals(List.of("Stop the API server (its manifest aside)", "Stop etcd (its manifest aside)"),
                List.of(UpgradePlanTest.step(p, "restore/stop@cp1").title(), UpgradePlanTest.step(p, "restore/stop@etcd1").title()));
        assertTrue(UpgradePlanTest.step(p, "restore/snapshot@etcd2").dependsOn().contains("restore/stop@cp3"),
                "every API server is stopped before a member restores");
        assertTrue(UpgradePlanTest.step(p, "restore/snapshot@etcd1").run(RenderedFile.OsFamily.ANY).get(2)
                .contains("--initial-cluster etcd1=https://10.0.0.31:2380,etcd2=https://10.0.0.32:2380,etcd3=https://10.0.0.33:2380 "));
        assertTrue(UpgradePlanTest.step(p, "restore/apiserver@cp2").dependsOn().contains("restore/etcd-healthy@etcd1"));
        assertTrue(keys.containsAll(List.of("restore/manifests-back@cp1", "restore/manifests-back@etcd3")), keys::toString);
    }
}
