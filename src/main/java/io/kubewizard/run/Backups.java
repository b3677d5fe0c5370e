package io.kubewizard.run;

import io.kubewizard.plan.Json;
import io.kubewizard.plan.Plan;
import io.kubewizard.plan.Step;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The backups of a run directory: {@code <run dir>/backups/<UTC timestamp>/}, 0700, each holding
 * what a backup run fetched ({@code <host>/<absolute path>}, 0600: the etcd snapshot and the control
 * planes' CAs and service-account keys) and {@code manifest.json}, which names the cluster, its
 * version, the etcd member the snapshot came from, and every file with its size and sha256. A
 * restore checks the files against it. Nothing here is ever printed but paths, sizes and hashes.
 */
public final class Backups {
    public static final String DIR = "backups";
    public static final String MANIFEST = "manifest.json";
    static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private Backups() {}

    /** One backup made: its directory, the snapshot in it, and its size. */
    public record Made(Path directory, Path snapshot, String snapshotHost, long snapshotBytes, String snapshotSha256, int files, List<Path> pruned) {}

    /**
     * Moves what the plan's steps fetched into a new backup, checks the snapshot's own hash, writes
     * the manifest, and keeps the newest {@code keep} backups (0: all).
     *
     * @param snapshotPath where the snapshot was on its node ({@code /var/lib/etcd/kubewizard-backup.db})
     * @throws IOException also when the snapshot is not whole (its appended sha256 does not match)
     */
    public static Made collect(RunDirectory run, Plan plan, String snapshotPath, String kubernetesVersion, Instant at, int keep)
            throws IOException {
        Path base = run.path().resolve(DIR);
        RunSecrets.privateDirectory(base);
        String stamp = STAMP.format(at);
        Path target = base.resolve(stamp);
        for (int i = 2; Files.exists(target); i++) target = base.resolve(stamp + "-" + i);
        RunSecrets.privateDirectory(target);
        Path fetched = run.path().resolve("fetched");
        List<Map<String, Object>> files = new ArrayList<>();
        Path snapshot = null;
        String snapshotHost = null;
        for (Step s : plan.steps()) {
            for (String path : s.downloads()) {
                Path from = fetched.resolve(s.host()).resolve(path.substring(1));
                if (!Files.isRegularFile(from)) throw new IOException("the backup run fetched no " + path + " from " + s.host());
                Path to = target.resolve(s.host()).resolve(path.substring(1));
                privateDirectories(target, to.getParent());
                Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
                Files.setPosixFilePermissions(to, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
                Map<String, Object> f = new LinkedHashMap<>();
                f.put("path", target.relativize(to).toString());
                f.put("host", s.host());
                f.put("from", path);
                f.put("bytes", Files.size(to));
                f.put("sha256", sha256(to));
                files.add(f);
                if (path.equals(snapshotPath)) {
                    snapshot = to;
                    snapshotHost = s.host();
                }
            }
        }
        if (snapshot == null) throw new IOException("the backup run fetched no etcd snapshot");
        String problem = snapshotProblem(Files.readAllBytes(snapshot));
        if (problem != null) throw new IOException(snapshot + ": " + problem);
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("cluster", plan.cluster());
        manifest.put("kubernetesVersion", kubernetesVersion);
        manifest.put("takenAt", at.toString());
        manifest.put("etcdMember", snapshotHost);
        manifest.put("snapshot", target.relativize(snapshot).toString());
        manifest.put("files", files);
        RunSecrets.writePrivate(target.resolve(MANIFEST), Json.write(manifest) + "\n");
        return new Made(target, snapshot, snapshotHost, Files.size(snapshot), sha256(snapshot), files.size(), prune(base, keep));
    }

    /**
     * Why these bytes are no whole etcd snapshot: {@code etcdctl snapshot save} appends the sha256 of
     * the database to it, which {@code snapshot restore} checks; null when it matches.
     */
    public static String snapshotProblem(byte[] content) {
        if (content.length <= 32) return "too short for an etcd snapshot (" + content.length + " bytes)";
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(Arrays.copyOf(content, content.length - 32));
            byte[] stored = Arrays.copyOfRange(content, content.length - 32, content.length);
            return Arrays.equals(hash, stored) ? null : "its appended sha256 does not match its content: the snapshot is "
                    + "damaged or incomplete";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A backup checked before a restore plans anything: its manifest is there, names this cluster, and
     * every file it lists is there with its size and sha256; the snapshot is whole by its own hash.
     *
     * @throws IOException naming the first thing that does not match (the restore is refused, nothing stops)
     */
    @SuppressWarnings("unchecked")
    public static io.kubewizard.plan.Plan.Restore load(Path dir, String cluster) throws IOException {
        Path manifestFile = dir.resolve(MANIFEST);
        if (!Files.isRegularFile(manifestFile)) throw new IOException(dir + " is no backup: it has no " + MANIFEST);
        Map<String, Object> manifest;
        try {
            manifest = (Map<String, Object>) Json.parse(Files.readString(manifestFile));
        } catch (RuntimeException e) {
            throw new IOException(manifestFile + " is not a backup's manifest: " + e.getMessage());
        }
        if (!cluster.equals(manifest.get("cluster"))) {
            throw new IOException(dir + " is a backup of cluster '" + manifest.get("cluster") + "', not of '" + cluster + "'");
        }
        io.kubewizard.plan.Plan.Local snapshot = null;
        Map<String, io.kubewizard.plan.Plan.Local> pki = new LinkedHashMap<>();
        String pkiHost = null;
        for (Object o : (List<Object>) manifest.get("files")) {
            Map<String, Object> f = (Map<String, Object>) o;
            Path file = dir.resolve((String) f.get("path")).normalize();
            if (!file.startsWith(dir)) throw new IOException(manifestFile + " names a file outside the backup: " + f.get("path"));
            if (!Files.isRegularFile(file)) throw new IOException(dir + " lacks " + f.get("path") + ", which its manifest lists");
            String sha = sha256(file);
            if (!sha.equals(f.get("sha256")) || Files.size(file) != ((Number) f.get("bytes")).longValue()) {
                throw new IOException(file + " does not match the manifest: sha256 " + sha + ", the manifest says " + f.get("sha256"));
            }
            io.kubewizard.plan.Plan.Local local = new io.kubewizard.plan.Plan.Local(file.toString(), sha);
            String from = (String) f.get("from");
            if (f.get("path").equals(manifest.get("snapshot"))) {
                snapshot = local;
            } else if (from.startsWith("/etc/kubernetes/pki/")) {
                String host = (String) f.get("host");
                if (pkiHost == null) pkiHost = host;
                if (host.equals(pkiHost)) pki.put(from.substring("/etc/kubernetes/pki/".length()), local);
            }
        }
        if (snapshot == null) throw new IOException(manifestFile + " names no etcd snapshot");
        String problem = snapshotProblem(Files.readAllBytes(Path.of(snapshot.path())));
        if (problem != null) throw new IOException(snapshot.path() + ": " + problem);
        return new io.kubewizard.plan.Plan.Restore(dir.getFileName().toString(), snapshot, pki);
    }

    /** The backups in the run directory, oldest first. */
    public static List<Path> list(RunDirectory run) throws IOException {
        Path base = run.path().resolve(DIR);
        if (!Files.isDirectory(base)) return List.of();
        try (Stream<Path> s = Files.list(base)) {
            return s.filter(p -> Files.isRegularFile(p.resolve(MANIFEST))).sorted(Comparator.comparing(p -> p.getFileName().toString()))
                    .toList();
        }
    }

    private static List<Path> prune(Path base, int keep) throws IOException {
        if (keep <= 0) return List.of();
        List<Path> all;
        try (Stream<Path> s = Files.list(base)) {
            all = s.filter(p -> Files.isRegularFile(p.resolve(MANIFEST))).sorted(Comparator.comparing(p -> p.getFileName().toString()))
                    .toList();
        }
        List<Path> pruned = new ArrayList<>(all.subList(0, Math.max(0, all.size() - keep)));
        for (Path p : pruned) deleteTree(p);
        return pruned;
    }

    private static void deleteTree(Path p) throws IOException {
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : s.sorted(Comparator.reverseOrder()).toList()) Files.delete(q);
        }
    }

    private static void privateDirectories(Path top, Path dir) throws IOException {
        if (dir.equals(top) || Files.isDirectory(dir)) return;
        privateDirectories(top, dir.getParent());
        RunSecrets.privateDirectory(dir);
    }

    static String sha256(Path file) throws IOException {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            try (var in = Files.newInputStream(file)) {
                byte[] buf = new byte[65536];
                for (int n; (n = in.read(buf)) > 0; ) md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
