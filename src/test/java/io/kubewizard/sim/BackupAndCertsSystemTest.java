package io.kubewizard.sim;

import io.kubewizard.plan.Json;
import io.kubewizard.run.Backups;
import io.kubewizard.testsupport.SystemDeps;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static io.kubewizard.sim.StandInSystemTest.ok;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code kubewizard backup}, the packaged jar, on a single-node cluster it installed: the snapshot
 * is taken through the node's etcd (the real etcd, holding a key the test wrote), read back on the
 * node, fetched, checked against its own hash and removed from the node; the node's CAs and
 * service-account keys come with it; the backup directory is 0700, its files 0600, its manifest
 * lists each file's size and sha256 and the cluster's version; the key's value is in the snapshot
 * and nowhere in what the jar printed or logged. {@code --keep} prunes the oldest; applied.yaml is
 * left alone; a backup is refused while the journal holds a run that did not finish. A restore from the
 * latest backup: refused with nothing run for a damaged snapshot and without --yes, then run on a
 * member whose WAL and CA key were lost, with exactly the snapshot's keys back. Then
 * {@code certs --live} on the same cluster (node1 and worker1), two of whose certificates the test
 * replaced by ones of chosen expiry made with the real openssl: every certificate on both nodes,
 * kubeconfigs' and kubelet's included, judged by days left, as text and as JSON, no key printed.
 *
 * <p>Run: {@code buildslot mvn -B verify -Psystem -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false
 * -Dit.test=BackupAndCertsSystemTest}.
 */
@Tag("system")
class BackupAndCertsSystemTest {
    static final Duration RUN_TIMEOUT = Duration.ofMinutes(4);
    static final String SECRET = "kw-backup-probe-7f3a9c2e51";

    @TempDir Path tmp;

    @Test
    void aBackupFetchesACheckedSnapshotAndTheCasKeepsNTheNewestWaitsForAnUnfinishedRunAndCertsLiveJudgesEveryNode() throws Exception {
        try (SimCluster cluster = SimCluster.start(ApplySystemTest.OPTIONS, List.of(SimNode.Spec.debian("node1").withHost(11),
                SimNode.Spec.rocky("worker1").withHost(21)))) {
            Kubewizard kw = new Kubewizard(cluster, tmp);
            Path answers = kw.answers("single-node", cluster.knownHosts());
            String address = cluster.node("worker1").address();
            Files.writeString(answers, Files.readString(answers) + "  - name: worker1\n    address: " + address
                    + "\n    internalAddress: " + address + "\n    roles: [worker]\n    zone: ''\n    labels: {}\n    taints: []\n"
                    + "    ssh: {}\n");
            Cmd.Result installed = kw.run(RUN_TIMEOUT, "install", "apply", "-f", answers.toString(), "--plain", "--yes",
                    "--accept-new-host-keys");
            assertEquals(0, installed.exitCode(), installed::toString);
            SimNode node = cluster.node("node1");
            String etcdctl = "crictl --runtime-endpoint unix:///var/run/containerd/containerd.sock exec \"$(crictl --runtime-endpoint "
                    + "unix:///var/run/containerd/containerd.sock ps --quiet --state running --name '^etcd$')\" etcdctl "
                    + "--endpoints=https://127.0.0.1:2379 --cacert=/etc/kubernetes/pki/etcd/ca.crt "
                    + "--cert=/etc/kubernetes/pki/etcd/healthcheck-client.crt --key=/etc/kubernetes/pki/etcd/healthcheck-client.key ";
            assertEquals("OK\n", ok(node, etcdctl + "put /kubewizard-test/probe " + SECRET));
            Path runDir = kw.runDirectory("single");
            byte[] applied = Files.readAllBytes(runDir.resolve("applied.yaml"));

            // user add with kubeadm's PKI: kubeadm kubeconfig user on node1, fetched, checked (UserAccessChecks).
            Map<?, ?> admin = new org.yaml.snakeyaml.Yaml().load(Files.readString(runDir.resolve("kubeconfig")));
            String server = (String) ((Map<?, ?>) ((Map<?, ?>) ((List<?>) admin.get("clusters")).get(0)).get("cluster")).get("server");
            UserAccessChecks.addAlice(cluster, kw, answers, "single", server, node.path("/etc/kubernetes/pki/ca.crt"), true);
            assertArrayEquals(applied, Files.readAllBytes(runDir.resolve("applied.yaml")), "user add records no answers");

            Cmd.Result first = backup(kw, answers, "backup-1", "--keep", "2");
            assertEquals(0, first.exitCode(), first::toString);
            assertEquals("", first.stderr(), first::toString);
            Matcher m = Pattern.compile("Backup: (\\S+) \\(etcd snapshot of node1, (\\d+) bytes, sha256 ([0-9a-f]{64}); (\\d+) files "
                    + "listed in manifest\\.json\\)\n").matcher(first.stdout());
            assertTrue(m.find(), first.stdout());
            Path dir = Path.of(m.group(1));
            assertEquals(runDir.resolve("backups"), dir.getParent());
            assertTrue(dir.getFileName().toString().matches("\\d{8}T\\d{6}Z"), dir.toString());
            assertEquals("rwx------", mode(dir));
            assertEquals("rwx------", mode(dir.getParent()));

            // The snapshot: whole by its own hash, read back by the real etcdctl here, with the key in it.
            Path snapshot = dir.resolve("node1/var/lib/etcd/kubewizard-backup.db");
            byte[] content = Files.readAllBytes(snapshot);
            assertEquals(Long.parseLong(m.group(2)), content.length);
            assertEquals(m.group(3), sha256(content));
            assertEquals(null, Backups.snapshotProblem(content));
            assertTrue(new String(content, StandardCharsets.ISO_8859_1).contains(SECRET), "the snapshot holds the key written");
            Cmd.Result status = Cmd.run(Duration.ofSeconds(30), List.of(SystemDeps.require("etcdctl", "etcd-client").toString(),
                    "snapshot", "status", snapshot.toString(), "-w", "json"));
            assertEquals(0, status.exitCode(), status::toString);
            assertTrue(((Number) ((Map<?, ?>) Json.parse(status.stdout())).get("totalKey")).intValue() > 0, status::toString);
            // and it is gone from the node
            assertFalse(Files.exists(node.path("/var/lib/etcd/kubewizard-backup.db")), "the node keeps no copy");

            // The CAs and the service-account keys, and the manifest that lists every file.
            List<String> pki = List.of("ca.crt", "ca.key", "sa.key", "sa.pub", "front-proxy-ca.crt", "front-proxy-ca.key",
                    "etcd/ca.crt", "etcd/ca.key");
            for (String f : pki) {
                Path fetched = dir.resolve("node1/etc/kubernetes/pki/" + f);
                assertArrayEquals(Files.readAllBytes(node.path("/etc/kubernetes/pki/" + f)), Files.readAllBytes(fetched), f);
                assertEquals("rw-------", mode(fetched), f);
            }
            Map<?, ?> manifest = (Map<?, ?>) Json.parse(Files.readString(dir.resolve("manifest.json")));
            assertEquals("rw-------", mode(dir.resolve("manifest.json")));
            assertEquals("single", manifest.get("cluster"));
            assertEquals("1.35.2", manifest.get("kubernetesVersion"));
            assertEquals("node1", manifest.get("etcdMember"));
            assertEquals("node1/var/lib/etcd/kubewizard-backup.db", manifest.get("snapshot"));
            List<?> files = (List<?>) manifest.get("files");
            assertEquals(Integer.parseInt(m.group(4)), files.size());
            assertEquals(1 + pki.size(), files.size(), files::toString);
            for (Object o : files) {
                Map<?, ?> f = (Map<?, ?>) o;
                byte[] bytes = Files.readAllBytes(dir.resolve((String) f.get("path")));
                assertEquals(sha256(bytes), f.get("sha256"), f::toString);
                assertEquals((long) bytes.length, ((Number) f.get("bytes")).longValue(), f::toString);
            }
            assertArrayEquals(applied, Files.readAllBytes(runDir.resolve("applied.yaml")), "a backup records no answers");
            // Nothing secret was printed or logged: not the key's value, not a private key.
            String caKey = Files.readString(node.path("/etc/kubernetes/pki/ca.key"));
            String keyLine = caKey.lines().filter(l -> !l.startsWith("-----") && l.length() > 40).findFirst().orElseThrow();
            for (Path p : printedAndLogged(tmp, runDir)) {
                String text = Files.readString(p, StandardCharsets.ISO_8859_1);
                assertFalse(text.contains(SECRET), p + " holds the snapshot's content");
                assertFalse(text.contains(keyLine), p + " holds the CA's private key");
            }

            // --keep 2: the third backup prunes the first.
            Cmd.Result second = backup(kw, answers, "backup-2", "--keep", "2");
            assertEquals(0, second.exitCode(), second::toString);
            Cmd.Result third = backup(kw, answers, "backup-3", "--keep", "2");
            assertEquals(0, third.exitCode(), third::toString);
            assertTrue(third.stdout().endsWith("Pruned " + dir + " (--keep 2)\n"), third::toString);
            assertEquals(2, Backups.list(new io.kubewizard.run.RunDirectory(runDir)).size());
            assertFalse(Files.exists(dir));

            // An apply that failed: a backup would replace its journal, so it is refused until it is resumed.
            cluster.fail("node1", "kubectl --kubeconfig /etc/kubernetes/admin.conf wait", 1, "error: timed out waiting for the "
                    + "condition on nodes/node1", 1);
            Cmd.Result failed = kw.run(RUN_TIMEOUT, "failed", "apply", "-f", answers.toString(), "--plain", "--yes");
            assertEquals(1, failed.exitCode(), failed::toString);
            Cmd.Result refused = backup(kw, answers, "backup-refused");
            assertEquals(3, refused.exitCode(), refused::toString);
            assertEquals("error: the journal of cluster 'single' holds a scale that did not finish, and a backup would replace "
                    + "it: continue it first (kubewizard apply --resume), then back up; nothing was changed\n", refused.stderr());
            Cmd.Result resumed = kw.run(RUN_TIMEOUT, "resumed", "apply", "-f", answers.toString(), "--plain", "--yes", "--resume");
            assertEquals(0, resumed.exitCode(), resumed::toString);
            Cmd.Result after = backup(kw, answers, "backup-after");
            assertEquals(0, after.exitCode(), after::toString);
            assertEquals(3, Backups.list(new io.kubewizard.run.RunDirectory(runDir)).size());
            Path latest = Backups.list(new io.kubewizard.run.RunDirectory(runDir)).get(2);

            // Restore: first what is refused with nothing stopped, then the backup brought back.
            assertEquals("OK\n", ok(node, etcdctl + "put /kubewizard-test/later written-after-the-backup"));
            assertEquals("1\n", ok(node, etcdctl + "del /kubewizard-test/probe"));
            int callsBefore = node.calls().size();
            Path corrupt = tmp.resolve("corrupt");
            copyTree(latest, corrupt);
            Path snap = corrupt.resolve("node1/var/lib/etcd/kubewizard-backup.db");
            byte[] damaged = Files.readAllBytes(snap);
            damaged[damaged.length / 2] ^= 0x5a;
            Files.write(snap, damaged);
            Cmd.Result refusedCorrupt = kw.run(RUN_TIMEOUT, "restore-corrupt", "restore", "-f", answers.toString(), "--from",
                    corrupt.toString(), "--plain", "--yes");
            assertEquals(3, refusedCorrupt.exitCode(), refusedCorrupt::toString);
            assertTrue(refusedCorrupt.stderr().startsWith("error: the backup is refused, and nothing was stopped: " + snap
                    + " does not match the manifest: sha256 "), refusedCorrupt::toString);
            Cmd.Result unconfirmedRestore = kw.run(RUN_TIMEOUT, "restore-unconfirmed", "restore", "-f", answers.toString(), "--from",
                    latest.toString(), "--plain");
            assertEquals(3, unconfirmedRestore.exitCode(), unconfirmedRestore::toString);
            assertEquals("error: restore must be confirmed: answer the question on a terminal, or add --yes. Nothing was changed\n",
                    unconfirmedRestore.stderr());
            assertEquals(callsBefore, node.calls().size(), "the refused restores ran nothing on the node");
            assertEquals("/kubewizard-test/later\n", ok(node, etcdctl + "get /kubewizard-test/ --prefix --keys-only").replace("\n\n", "\n"));

            // The member lost its data and its CA key; the restore puts the backup's state and the key back.
            byte[] caKeyBytes = Files.readAllBytes(node.path("/etc/kubernetes/pki/ca.key"));
            ok(node, "rm -f /etc/kubernetes/pki/ca.key /etc/kubernetes/pki/sa.key && rm -rf /var/lib/etcd/member/wal");
            Cmd.Result restored = kw.run(RUN_TIMEOUT, "restore", "restore", "-f", answers.toString(), "--from", latest.toString(),
                    "--plain", "--yes");
            assertEquals(0, restored.exitCode(), restored::toString);
            assertEquals("", restored.stderr(), restored::toString);
            assertEquals("/kubewizard-test/probe\n", ok(node, etcdctl + "get /kubewizard-test/ --prefix --keys-only").replace("\n\n", "\n"),
                    "exactly the keys of the snapshot");
            assertEquals(SECRET + "\n", ok(node, etcdctl + "get /kubewizard-test/probe --print-value-only"));
            assertArrayEquals(caKeyBytes, Files.readAllBytes(node.path("/etc/kubernetes/pki/ca.key")));
            assertTrue(Files.isRegularFile(node.path("/etc/kubernetes/pki/sa.key")));
            assertTrue(Files.isRegularFile(node.path("/var/lib/etcd/.kubewizard-restored-" + latest.getFileName())));
            assertTrue(Files.isDirectory(node.path("/var/lib/etcd.before-restore")), "the old data directory is kept");
            assertFalse(Files.exists(node.path("/var/lib/kubewizard-restore/snapshot.db")), "the snapshot's copy is removed");
            for (String pod : List.of("etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler")) {
                assertTrue(Files.isRegularFile(node.path("/etc/kubernetes/manifests/" + pod + ".yaml")), pod);
            }
            assertTrue(ok(node, etcdctl + "endpoint health 2>&1").contains("is healthy"));
            assertTrue(ok(node, "kubectl --kubeconfig /etc/kubernetes/admin.conf get node node1 worker1").contains("worker1"));
            for (Path p : printedAndLogged(tmp, runDir)) {
                assertFalse(Files.readString(p, StandardCharsets.ISO_8859_1).contains(SECRET), p + " holds the snapshot's content");
            }

            // certs --live: node1's front-proxy client certificate now expires in 20 days (an error), worker1's
            // kubelet serving certificate in 100 (a warning); the rest as kubeadm made them (a year, CAs ten).
            replace(node, "/etc/kubernetes/pki/front-proxy-client.crt", "/etc/kubernetes/pki/front-proxy-ca", "front-proxy-client", 20);
            replace(cluster.node("worker1"), "/var/lib/kubelet/pki/kubelet.crt", "/etc/kubernetes/pki/ca", "worker1", 100, node);
            Cmd.Result json = kw.run(RUN_TIMEOUT, "certs-json", "certs", "-f", answers.toString(), "--live", "--format", "json");
            assertEquals(0, json.exitCode(), json::toString);
            assertEquals("", json.stderr(), json::toString);
            Map<?, ?> report = (Map<?, ?>) Json.parse(json.stdout());
            assertEquals("single", report.get("cluster"));
            Map<String, Map<?, ?>> byKey = new java.util.LinkedHashMap<>();
            for (Object o : (List<?>) report.get("certificates")) {
                Map<?, ?> c = (Map<?, ?>) o;
                byKey.put(c.get("host") + " " + c.get("path"), c);
            }
            Map<?, ?> proxy = byKey.get("node1 /etc/kubernetes/pki/front-proxy-client.crt");
            assertEquals(List.of(19L, "error", "CN=front-proxy-client"), List.of(((Number) proxy.get("daysLeft")).longValue(),
                    proxy.get("status"), proxy.get("subject")), proxy::toString);
            Map<?, ?> serving = byKey.get("worker1 /var/lib/kubelet/pki/kubelet.crt");
            assertEquals(List.of(99L, "warning", "kubelet"), List.of(((Number) serving.get("daysLeft")).longValue(),
                    serving.get("status"), serving.get("kind")), String.valueOf(serving));
            Map<?, ?> ca = byKey.get("node1 /etc/kubernetes/pki/ca.crt");
            assertEquals(Boolean.TRUE, ca.get("ca"));
            assertTrue(((Number) ca.get("daysLeft")).longValue() > 3000, ca::toString);
            Map<?, ?> apiserver = byKey.get("node1 /etc/kubernetes/pki/apiserver.crt");
            assertEquals("ok", apiserver.get("status"));
            assertTrue(((Number) apiserver.get("daysLeft")).longValue() >= 364, apiserver::toString);
            assertEquals("kubeconfig", byKey.get("node1 /etc/kubernetes/admin.conf").get("kind"));
            assertTrue(byKey.containsKey("node1 /etc/kubernetes/pki/etcd/server.crt"), byKey.keySet()::toString);
            assertTrue(byKey.containsKey("worker1 /etc/kubernetes/pki/ca.crt"), byKey.keySet()::toString);
            assertEquals(Map.of("host", "node1", "path", "/etc/kubernetes/pki/front-proxy-client.crt", "daysLeft", 19L),
                    Map.of("host", ((Map<?, ?>) report.get("earliest")).get("host"), "path", ((Map<?, ?>) report.get("earliest")).get("path"),
                            "daysLeft", ((Number) ((Map<?, ?>) report.get("earliest")).get("daysLeft")).longValue()));
            Cmd.Result text = kw.run(RUN_TIMEOUT, "certs-text", "certs", "-f", answers.toString(), "--live");
            assertEquals(0, text.exitCode(), text::toString);
            assertTrue(text.stdout().lines().anyMatch(l -> l.startsWith("node1 ") && l.contains("/etc/kubernetes/pki/front-proxy-client.crt")
                    && l.endsWith("   19  error")), text::stdout);
            assertTrue(text.stdout().contains("; the first to expire is /etc/kubernetes/pki/front-proxy-client.crt on node1, "), text::stdout);
            assertTrue(text.stdout().endsWith(" (under 120 days).\nRenew the leaves with: kubewizard certs renew -f FILE (CAs are not "
                    + "renewed).\n"), text::stdout);
            for (Path p : printedAndLogged(tmp, runDir)) {
                assertFalse(Files.readString(p, StandardCharsets.ISO_8859_1).contains("PRIVATE KEY"), p + " holds a private key");
            }

            // The install recorded its earliest expiry (a year); the next apply's verify reads the certificates
            // again and records the 20-day one, which preflight (and apply, upgrade) then warn about.
            Map<?, ?> installedRecord = (Map<?, ?>) Json.parse(Files.readString(runDir.resolve("certificates.json")));
            assertTrue(installedRecord.containsKey("earliest"), installedRecord::toString);
            Cmd.Result again = kw.run(RUN_TIMEOUT, "apply-again", "apply", "-f", answers.toString(), "--plain", "--yes");
            assertEquals(0, again.exitCode(), again::toString);
            Map<?, ?> earliest = (Map<?, ?>) ((Map<?, ?>) Json.parse(Files.readString(runDir.resolve("certificates.json")))).get("earliest");
            assertEquals(List.of("node1", "/etc/kubernetes/pki/front-proxy-client.crt"), List.of(earliest.get("host"), earliest.get("path")));
            Cmd.Result preflight = kw.run(RUN_TIMEOUT, "preflight", "preflight", "-f", answers.toString(), "--plain");
            assertTrue(preflight.stderr().startsWith("warning: the certificate /etc/kubernetes/pki/front-proxy-client.crt on node1 "
                    + "expires in 19 days ("), preflight::toString);
            assertTrue(preflight.stderr().contains("): renew it with kubewizard certs renew, and see kubewizard certs --live\n"),
                    preflight::toString);
        }
    }

    /** The certificate at {@code path} on {@code node} replaced by one for {@code cn} from the CA at {@code caBase}.crt/.key, valid {@code days}. */
    static void replace(SimNode node, String path, String caBase, String cn, int days) throws Exception {
        replace(node, path, caBase, cn, days, node);
    }

    static void replace(SimNode node, String path, String caBase, String cn, int days, SimNode caNode) throws Exception {
        String openssl = SystemDeps.require("openssl", "openssl").toString();
        Path work = Files.createTempDirectory("kw-cert");
        Path key = work.resolve("k.pem");
        Path csr = work.resolve("r.csr");
        Path crt = work.resolve("c.crt");
        Cmd.Result req = Cmd.run(Duration.ofSeconds(30), openssl, "req", "-new", "-newkey", "ec", "-pkeyopt",
                "ec_paramgen_curve:P-256", "-nodes", "-keyout", key.toString(), "-subj", "/CN=" + cn, "-out", csr.toString());
        assertEquals(0, req.exitCode(), req::toString);
        Cmd.Result sign = Cmd.run(Duration.ofSeconds(30), openssl, "x509", "-req", "-in", csr.toString(), "-CA",
                caNode.path(caBase + ".crt").toString(), "-CAkey", caNode.path(caBase + ".key").toString(), "-CAcreateserial",
                "-CAserial", work.resolve("serial").toString(), "-days", String.valueOf(days), "-out", crt.toString());
        assertEquals(0, sign.exitCode(), sign::toString);
        Cmd.Result put = node.ssh("mkdir -p \"$(dirname " + path + ")\" && cat > " + path, Files.readAllBytes(crt));
        assertEquals(0, put.exitCode(), put::toString);
    }

    static Cmd.Result backup(Kubewizard kw, Path answers, String name, String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("backup", "-f", answers.toString(), "--plain"));
        args.addAll(List.of(extra));
        return kw.run(RUN_TIMEOUT, name, args.toArray(String[]::new));
    }

    /** What the jar printed (the .out/.err files) and what it logged and journaled in the run directory. */
    static List<Path> printedAndLogged(Path work, Path runDir) throws IOException {
        try (Stream<Path> printed = Files.list(work); Stream<Path> logged = Files.walk(runDir)) {
            List<Path> out = new java.util.ArrayList<>(printed.filter(p -> p.toString().endsWith(".out") || p.toString().endsWith(".err")).toList());
            out.addAll(logged.filter(Files::isRegularFile).filter(p -> !p.startsWith(runDir.resolve("backups"))
                    && !p.startsWith(runDir.resolve("fetched")) && !p.startsWith(runDir.resolve("secrets"))
                    && !p.startsWith(runDir.resolve("pki")) && !p.getFileName().toString().equals("kubeconfig")).toList());
            return out;
        }
    }

    static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> all = Files.walk(from)) {
            for (Path p : all.toList()) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(t);
                else Files.copy(p, t);
            }
        }
    }

    static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    static String sha256(byte[] content) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    }
}
