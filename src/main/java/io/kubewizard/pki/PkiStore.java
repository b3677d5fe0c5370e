package io.kubewizard.pki;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The run's copy of the PKI, kept on the jump host so every rerun reuses it:
 * {@code cluster/} mirrors /etc/kubernetes for the files all control planes share
 * ({@code cluster/pki/ca.crt}, {@code cluster/admin.conf}), {@code hosts/<name>/} mirrors it for
 * one host's own files ({@code hosts/cp1/pki/apiserver.crt}). Directories 0700, files 0600.
 */
public final class PkiStore {
    private final Path dir;

    public PkiStore(Path dir) { this.dir = dir.toAbsolutePath().normalize(); }

    /** The store of a run directory (./.kubewizard/<cluster>/): its secrets/pki. */
    public static PkiStore ofRun(Path runDir) { return new PkiStore(runDir.resolve("secrets").resolve("pki")); }

    public Path dir() { return dir; }

    /** One stored file: {@code host} null for cluster-wide files; path relative to /etc/kubernetes. */
    public record Entry(String host, String path) {}

    Path pathOf(String host, String relative) {
        return (host == null ? dir.resolve("cluster") : dir.resolve("hosts").resolve(host)).resolve(relative);
    }

    /** The file's text, or null when it does not exist. */
    String read(String host, String relative) throws PkiException {
        Path p = pathOf(host, relative);
        try {
            return Files.readString(p, StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new PkiException(p, "cannot be read: " + e.getMessage(), e);
        }
    }

    /** Writes a new file, 0600, through a temporary file so a crash never leaves half a key. */
    void write(String host, String relative, String content) throws PkiException {
        Path p = pathOf(host, relative);
        try {
            createPrivateDirectories(p.getParent());
            Path tmp = Files.createTempFile(p.getParent(), "." + p.getFileName(), ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try {
                Files.writeString(tmp, content, StandardCharsets.US_ASCII);
                try {
                    Files.move(tmp, p, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, p);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new PkiException(p, "cannot be written: " + e.getMessage(), e);
        }
    }

    /** Moves a stored file under {@code aside} (same layout), keeping it; nothing when it does not exist. */
    void moveAside(String host, String relative, String aside) throws PkiException {
        Path p = pathOf(host, relative);
        if (!Files.exists(p)) return;
        Path to = dir.resolve(aside).resolve(dir.relativize(p));
        try {
            createPrivateDirectories(to.getParent());
            Files.move(p, to, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new PkiException(p, "cannot be moved aside to " + to + ": " + e.getMessage(), e);
        }
    }

    private void createPrivateDirectories(Path d) throws IOException {
        if (Files.isDirectory(d)) return;
        createPrivateDirectories(d.getParent());
        Files.createDirectory(d);
        Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwx------"));
    }

    /** Every stored file: cluster files first, then hosts by name; paths sorted. */
    public List<Entry> list() throws PkiException {
        List<Entry> out = new ArrayList<>();
        for (Path f : files(dir.resolve("cluster"))) out.add(new Entry(null, rel(dir.resolve("cluster"), f)));
        Path hosts = dir.resolve("hosts");
        if (Files.isDirectory(hosts)) {
            try (Stream<Path> s = Files.list(hosts)) {
                for (Path h : s.filter(Files::isDirectory).sorted().toList()) {
                    for (Path f : files(h)) out.add(new Entry(h.getFileName().toString(), rel(h, f)));
                }
            } catch (IOException e) {
                throw new PkiException(hosts, "cannot be listed: " + e.getMessage(), e);
            }
        }
        return out;
    }

    private static List<Path> files(Path root) throws PkiException {
        if (!Files.isDirectory(root)) return List.of();
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().startsWith(".")).sorted().toList();
        } catch (IOException e) {
            throw new PkiException(root, "cannot be listed: " + e.getMessage(), e);
        }
    }

    private static String rel(Path root, Path f) { return root.relativize(f).toString().replace('\\', '/'); }

    @Override
    public String toString() { return "PkiStore[" + dir + "]"; }
}
