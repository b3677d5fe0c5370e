package io.kubewizard.run;

import io.kubewizard.plan.Facts;

import io.kubewizard.answers.Spec.ClusterSpec;
import io.kubewizard.run.Event.StepStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PreflightTest {
    @TempDir Path tmp;

    private Executor.Result preflight(Fixture f) throws Exception {
        try (Recorder recorder = new Recorder(f.masker, Journal.none(), null, List.of(f.events::add))) {
            return new Executor(f.spec, f.hosts, Executor.Uploads.AS_PLANNED, Executor.Downloads.NONE, recorder,
                    Fixture.CLOCK, f.sleeps::add, f.options(10))
                    .run(f.plan.select(List.of("connect", "facts", "observe", "preflight")), null);
        }
    }

    @Test
    void aTablePerHostThenAcrossHosts() throws Exception {
        Fixture f = new Fixture("ha-stacked", tmp);
        f.hosts.facts("cp2").productUuid = f.hosts.facts("cp1").productUuid;
        f.hosts.facts("cp3").swaps = List.of("/swap.img");
        f.hosts.facts("cp3").memoryKb = 1500 * 1024;
        f.hosts.facts("worker1").ipForward = "1";
        f.hosts.facts("worker1").osRelease = "NAME=\"Rocky Linux\"\nID=\"rocky\"\nID_LIKE=\"rhel centos fedora\"\n"
                + "PRETTY_NAME=\"Rocky Linux 9.5 (Blue Onyx)\"\n";
        f.hosts.facts("worker1").binaries = Facts.BINARIES.stream().filter(b -> !b.equals("ss")).toList();
        f.hosts.facts("worker2").listening = List.of(22, 10250);
        f.hosts.unreachable("worker2", 100);
        Executor.Result r = preflight(f);
        assertEquals(List.of("connect on worker2: connect timed out after 10s",
                "preflight/host on cp3: memory: 1500 MB (a control plane needs 1700 MB)",
                "preflight/host on worker1: binaries: missing: ss"), r.failures(), "in plan order");
        String table = Preflight.table(f.spec, r);
        assertEquals("""
                cp1 (control-plane)
                  ok    os            Debian GNU/Linux 12 (bookworm), x86_64, deb packages
                  ok    cpus          4 (a control plane needs 2)
                  ok    memory        7812 MB (a control plane needs 1700 MB)
                  ok    ports         free: 2379 2380 6443 10250 10257 10259
                  ok    swap          off
                  note  ip_forward    0: prepare/sysctl sets it to 1
                  ok    binaries      all present
                cp2 (control-plane)
                  ok    os            Debian GNU/Linux 12 (bookworm), x86_64, deb packages
                  ok    cpus          4 (a control plane needs 2)
                  ok    memory        7812 MB (a control plane needs 1700 MB)
                  ok    ports         free: 2379 2380 6443 10250 10257 10259
                  ok    swap          off
                  note  ip_forward    0: prepare/sysctl sets it to 1
                  ok    binaries      all present
                cp3 (control-plane)
                  ok    os            Debian GNU/Linux 12 (bookworm), x86_64, deb packages
                  ok    cpus          4 (a control plane needs 2)
                  FAIL  memory        1500 MB (a control plane needs 1700 MB)
                  ok    ports         free: 2379 2380 6443 10250 10257 10259
                  note  swap          on (/swap.img): prepare/swap turns it off
                  note  ip_forward    0: prepare/sysctl sets it to 1
                  ok    binaries      all present
                worker1 (worker)
                  ok    os            Rocky Linux 9.5 (Blue Onyx), x86_64, rpm packages
                  ok    cpus          4
                  ok    memory        7812 MB
                  ok    ports         free: 10250 10256
                  ok    swap          off
                  ok    ip_forward    1
                  FAIL  binaries      missing: ss
                worker2 (worker)
                  FAIL  facts         connect failed: connect timed out after 10s
                across hosts
                  ok    hostnames     unique
                  ok    macs          unique
                  FAIL  product_uuid  cp1 and cp2 share 4c4c4544-0000-1000-8000-000000000001
                """, table);
        assertTrue(Preflight.failed(table));
        assertEquals(List.of(), f.hosts.calls().stream().filter(c -> c.kind().equals("upload")).toList(), "nothing written");
    }

    @Test
    void aHostAlreadyInTheClusterIsNotJudgedByItsOwnPorts() throws Exception {
        Fixture f = new Fixture("single-node", tmp);
        f.hosts.done("node1", f.step("preflight/host@node1").run(io.kubewizard.render.RenderedFile.OsFamily.ANY)
                .toArray(String[]::new));
        f.hosts.facts("node1").listening = List.of(22, 6443, 10250);
        f.hosts.facts("node1").productUuid = "";
        Executor.Result r = preflight(f);
        assertTrue(r.ok(), r.failures()::toString);
        assertEquals(StepStatus.SKIPPED, r.states().get("preflight/host@node1"));
        String table = Preflight.table(f.spec, r);
        assertEquals("""
                node1 (control-plane, worker)
                  ok    os            Debian GNU/Linux 12 (bookworm), x86_64, deb packages
                  note  cluster       already part of the cluster: CPU, memory and port checks skipped
                  ok    swap          off
                  note  ip_forward    0: prepare/sysctl sets it to 1
                  ok    binaries      all present
                across hosts
                  ok    hostnames     unique
                  ok    macs          unique
                  note  product_uuid  unknown on node1 (no DMI table); unique on the others
                """, table);
        assertFalse(Preflight.failed(table));
    }

    @Test
    void requiredPortsFollowRolesAndTheLoadBalancer() {
        ClusterSpec haproxy = io.kubewizard.answers.AnswersLoader.parse("x.yaml", io.kubewizard.testsupport.Presets
                .text("ha-stacked").replace("type: kube-vip", "type: haproxy-keepalived").replace("port: 6443", "port: 8443")
                .replace("10.0.0.100:6443", "10.0.0.100:8443")).spec();
        assertEquals(List.of(2379, 2380, 6443, 8443, 10250, 10257, 10259),
                List.copyOf(Preflight.requiredPorts(haproxy, haproxy.hosts().get(0))));
        ClusterSpec external = Fixture.spec("ha-external-etcd");
        assertEquals(List.of(6443, 8443, 10250, 10257, 10259),
                List.copyOf(Preflight.requiredPorts(external, external.controlPlanes().get(0))), "haproxy on 8443, no etcd");
        assertEquals(List.of(2379, 2380, 10250), List.copyOf(Preflight.requiredPorts(external, external.etcdHosts().get(0))));
    }
}
