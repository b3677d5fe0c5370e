package io.kubewizard.run;

import io.kubewizard.plan.Json;
import io.kubewizard.plan.Plan;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * What a restore accepts: a backup whose manifest names this cluster and whose every file has the
 * size and sha256 it lists, the snapshot whole by its appended sha256; anything else is refused with
 * the reason, before anything is planned.
 */
class BackupsTest {
    @TempDir Path tmp;

    /** A snapshot as etcd writes one: the database, then its sha256. */
    static byte[] snapshot() throws Exception {
        byte[] db = new byte[1024];
        Arrays.fill(db, (byte) 7);
        byte[] hash = MessageDigest.getInstance("SHA-256").digest(db);
        byte[] out = Arrays.copyOf(db, db.length + 32);
        System.arraycopy(hash, 0, out, db.length, 32);
        return out;
    }

    Path backup(String cluster, byte[] snapshot) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("20261202T050000Z"));
        Path snap = Files.createDirectories(dir.resolve("cp1/var/lib/etcd")).resolve("kubewizard-backup.db");
        Files.write(snap, snapshot);
        Path ca = Files.createDirectories(dir.resolve("cp1/etc/kubernetes/pki")).resolve("ca.crt");
        Files.writeString(ca, "-----BEGIN CERTIFICATE-----\n");
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("cluster", cluster);
        manifest.put("kubernetesVersion", "1.35.2");
        manifest.put("snapshot", "cp1/var/lib/etcd/kubewizard-backup.db");
        manifest.put("files", List.of(entry(dir, snap, "/var/lib/etcd/kubewizard-backup.db"), entry(dir, ca, "/etc/kubernetes/pki/ca.crt")));
        Files.writeString(dir.resolve("manifest.json"), Json.write(manifest));
        return dir;
    }

    static Map<String, Object> entry(Path dir, Path file, String from) throws Exception {
        byte[] b = Files.readAllBytes(file);
        return Map.of("path", dir.relativize(file).toString(), "host", "cp1", "from", from, "bytes", (long) b.length,
                "sha256", HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b)));
    }

    @Test
    void aWholeBackupOfThisClusterIsAcceptedWithItsSnapshotAndKeys() throws Exception {
        Path dir = backup("lab", snapshot());
        Plan.Restore r = Backups.load(dir, "lab");
        assertEquals("20261202T050000Z", r.id());
        assertEquals(dir.resolve("cp1/var/lib/etcd/kubewizard-backup.db").toString(), r.snapshot().path());
        assertEquals(List.of("ca.crt"), List.copyOf(r.pki().keySet()));
        assertNull(Backups.snapshotProblem(snapshot()));
    }

    @Test
    void anotherClustersAChangedFileADamagedSnapshotAndNoManifestAreRefused() throws Exception {
        Path dir = backup("lab", snapshot());
        assertEquals(dir + " is a backup of cluster 'lab', not of 'prod'",
                assertThrows(IOException.class, () -> Backups.load(dir, "prod")).getMessage());
        Files.writeString(dir.resolve("cp1/etc/kubernetes/pki/ca.crt"), "changed\n");
        assertEquals(true, assertThrows(IOException.class, () -> Backups.load(dir, "lab")).getMessage()
                .startsWith(dir.resolve("cp1/etc/kubernetes/pki/ca.crt") + " does not match the manifest: sha256 "));
        Files.delete(dir.resolve("manifest.json"));
        assertEquals(dir + " is no backup: it has no manifest.json",
                assertThrows(IOException.class, () -> Backups.load(dir, "lab")).getMessage());
        byte[] damaged = snapshot();
        damaged[10] ^= 1;
        assertEquals("its appended sha256 does not match its content: the snapshot is damaged or incomplete",
                Backups.snapshotProblem(damaged));
        Path again = backup("lab", damaged);
        assertEquals(again.resolve("cp1/var/lib/etcd/kubewizard-backup.db") + ": its appended sha256 does not match its content: "
                + "the snapshot is damaged or incomplete", assertThrows(IOException.class, () -> Backups.load(again, "lab")).getMessage());
    }
}
