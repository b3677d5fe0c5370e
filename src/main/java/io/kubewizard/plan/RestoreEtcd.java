package io.kubewizard.plan;

import io.kubewizard.answers.Spec.Host;
import io.kubewizard.answers.Spec.RuntimeType;
import io.kubewizard.render.RenderedFile;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code kubewizard restore}: etcd brought back from a backup, the upstream etcd and kubeadm way, on
 * every member (the control planes with stacked etcd, the etcd hosts otherwise):
 * <ol>
 *   <li>{@code restore/check}: the node's CA is the backup's (a node that lost it gets it back below),
 *       before anything stops anywhere;</li>
 *   <li>{@code restore/pki}: the CAs and service-account keys put back where they are missing;</li>
 *   <li>{@code restore/stop}: the API server's and etcd's manifests moved aside, their containers gone
 *       (every member stops before any restores);</li>
 *   <li>{@code restore/snapshot}: the snapshot sent, restored with this member's name and peer URL and
 *       the whole cluster from the answers into a fresh data directory, which replaces
 *       /var/lib/etcd (the old one kept beside it); marked, so a resume does not restore twice;</li>
 *   <li>{@code restore/etcd}: etcd started again once every member is restored, then the cluster's
 *       health; {@code restore/apiserver}: the API servers started again;</li>
 *   <li>a clean-up on each node puts back any manifest a failure left aside.</li>
 * </ol>
 * The node runs the restore with etcdutl (etcd 3.5+) or else etcdctl (3.4), whichever it has: etcd's
 * image is distroless, and its container is stopped by then.
 */
final class RestoreEtcd implements PlanPhase {
    static final StepId CHECK = new StepId("restore/check");
    static final StepId PKI = new StepId("restore/pki");
    static final StepId STOP = new StepId("restore/stop");
    static final StepId SNAPSHOT = new StepId("restore/snapshot");
    static final StepId START_ETCD = new StepId("restore/etcd");
    static final StepId HEALTHY = new StepId("restore/etcd-healthy");
    static final StepId START_APISERVER = new StepId("restore/apiserver");
    static final StepId MANIFESTS_BACK = new StepId("restore/manifests-back");
    static final String ASIDE = "/etc/kubernetes/kubewizard-restore";
    static final String SNAPSHOT_FILE = "/var/lib/kubewizard-restore/snapshot.db";
    static final String DATA = "/var/lib/etcd";

    public String id() { return "restore"; }

    public String title() { return "Restore etcd from the backup on every control plane"; }

    public void addSteps(Draft d) {
        Plan.Restore r = d.restore;
        Host lead = d.lead();
        if (r == null || lead == null) return;
        RuntimeType runtime = d.spec.runtime().type();
        boolean stacked = d.spec.cluster().topology() == io.kubewizard.answers.Spec.Topology.STACKED;
        List<Host> controlPlanes = d.spec.controlPlanes().stream().filter(h -> d.change.isNode(h.name())).toList();
        List<Host> members = stacked ? controlPlanes : d.spec.etcdHosts();
        List<Host> all = new ArrayList<>(controlPlanes);
        members.stream().filter(h -> !all.contains(h)).forEach(all::add);
        String initialCluster = String.join(",", members.stream().map(h -> h.name() + "=https://" + h.internalAddress() + ":2380").toList());
        String ca = r.pki().containsKey("ca.crt") ? r.pki().get("ca.crt").sha256() : null;
        List<String> checks = new ArrayList<>();
        for (Host h : controlPlanes) {
            var check = d.add(CHECK, h, "Check that this node's cluster CA is the backup's");
            check.run(ca == null ? "true" : "test ! -e " + BackupEtcd.PKI_DIR + "ca.crt || echo '" + ca + "  " + BackupEtcd.PKI_DIR
                    + "ca.crt' | sha256sum --check --status || { echo 'this node runs another cluster: its CA is not the backup'\"'\"'s' >&2; exit 1; }");
            checks.add(check.key());
        }
        for (Host h : controlPlanes) {
            List<RenderedFile> pki = new ArrayList<>();
            List<String> present = new ArrayList<>();
            for (Map.Entry<String, Plan.Local> e : r.pki().entrySet()) {
                String path = BackupEtcd.PKI_DIR + e.getKey();
                pki.add(RenderedFile.ofLocal(h.name(), path, e.getKey().endsWith(".crt") || e.getKey().endsWith(".pub") ? 0644 : 0600,
                        e.getValue().path(), e.getValue().sha256()));
                present.add("test -f " + path);
            }
            if (!pki.isEmpty()) {
                d.add(PKI, h, "Put back the CAs and service-account keys this node lost").after(checks)
                        .check(Shell.all(present)).upload(pki);
            }
        }
        // Every API server and every etcd member stopped before any member restores.
        List<String> stops = new ArrayList<>();
        for (Host h : all) {
            List<String> pods = new ArrayList<>();
            if (controlPlanes.contains(h)) pods.add("kube-apiserver");
            if (members.contains(h)) pods.add("etcd");
            stops.add(d.add(STOP, h, controlPlanes.contains(h) && members.contains(h) ? "Stop the API server and etcd (their "
                            + "manifests aside)" : members.contains(h) ? "Stop etcd (its manifest aside)"
                            : "Stop the API server (its manifest aside)")
                    .after(checks)
                    .run(StaticPods.aside(runtime, ASIDE, pods))
                    .key());
        }
        String marker = DATA + "/.kubewizard-restored-" + r.id();
        List<String> restored = new ArrayList<>();
        for (Host h : members) {
            String peer = "https://" + h.internalAddress() + ":2380";
            String args = " snapshot restore " + SNAPSHOT_FILE + " --name " + Shell.quote(h.name()) + " --initial-cluster "
                    + Shell.quote(initialCluster) + " --initial-advertise-peer-urls " + peer + " --data-dir " + DATA + ".restored";
            restored.add(d.add(SNAPSHOT, h, "Restore the snapshot into a fresh data directory for " + h.name())
                    .after(stops)
                    .check("test -f " + marker)
                    .upload(List.of(RenderedFile.ofLocal(h.name(), SNAPSHOT_FILE, 0600, r.snapshot().path(), r.snapshot().sha256())))
                    // etcd stopped again first: a resume after a clean-up put its manifest back must not restore under it
                    .run(StaticPods.aside(runtime, ASIDE, List.of("kube-apiserver", "etcd")),
                            "rm -rf " + DATA + ".restored",
                            "if command -v etcdutl >/dev/null 2>&1; then etcdutl" + args + "; elif command -v etcdctl >/dev/null 2>&1; "
                                    + "then ETCDCTL_API=3 etcdctl" + args + "; else echo 'restore needs etcdutl (etcd 3.5+) or "
                                    + "etcdctl (3.4) on this node: install the etcd client package' >&2; exit 127; fi",
                            "rm -rf " + DATA + ".before-restore && if test -d " + DATA + "; then mv " + DATA + " " + DATA
                                    + ".before-restore; fi && mv " + DATA + ".restored " + DATA + " && touch " + marker,
                            "rm -f " + SNAPSHOT_FILE)
                    .key());
        }
        List<String> started = new ArrayList<>();
        for (Host h : members) {
            started.add(d.add(START_ETCD, h, "Start etcd again on the restored data").after(restored)
                    .run(StaticPods.back(runtime, ASIDE, List.of("etcd"))).key());
        }
        String healthy = d.add(HEALTHY, members.get(0), "Wait until every etcd member is healthy").after(started)
                .run("for try in $(seq 1 60); do " + Etcdctl.health(runtime) + " && exit 0; sleep 2; done; " + Etcdctl.health(runtime))
                .key();
        Map<Host, String> up = new java.util.LinkedHashMap<>();
        for (Host h : controlPlanes) {
            up.put(h, d.add(START_APISERVER, h, "Start the API server again").after(healthy)
                    .run(StaticPods.back(runtime, ASIDE, List.of("kube-apiserver"))).key());
        }
        for (Host h : all) {
            List<String> after = new ArrayList<>(List.of(stopKey(d, h)));
            after.add(up.containsKey(h) ? up.get(h) : healthy);
            d.add(MANIFESTS_BACK, h, "Put back any manifest left aside (also after a failure)")
                    .after(after)
                    .run(StaticPods.putBack(ASIDE))
                    .always();
        }
    }

    private static String stopKey(Draft d, Host h) {
        return d.keys(STOP).stream().filter(k -> k.endsWith("@" + h.name())).findFirst().orElseThrow();
    }
}
