package io.kubewizard.ssh;

import org.apache.sshd.client.config.hosts.KnownHostEntry;
import org.apache.sshd.common.config.keys.AuthorizedKeyEntry;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * One OpenSSH known_hosts file: plain and hashed ({@code |1|salt|hash}) host patterns, {@code [host]:port}
 * for ports other than 22, {@code @revoked} lines. We look keys up ourselves rather than through
 * MINA's KnownHostsServerKeyVerifier because a refusal must name the file and line of the old key, and
 * the decision to trust a new key is taken on the caller's thread, not inside the key exchange.
 * Instances are shared per file by the factory so concurrent connections append one at a time.
 */
final class KnownHosts {

    private final Path file;

    KnownHosts(Path file) {
        this.file = file;
    }

    Path file() { return file; }

    sealed interface Verdict permits Known, Unknown, Changed, Revoked {}

    record Known() implements Verdict {}

    /** @param otherTypes key types already known for the host (OpenSSH mentions them; not a change) */
    record Unknown(List<String> otherTypes) implements Verdict {}

    /** A key of the same type is known for the host and differs; {@code line} holds it (1-based). */
    record Changed(int line, String knownType) implements Verdict {}

    record Revoked(int line) implements Verdict {}

    synchronized Verdict check(String host, int port, PublicKey key) throws IOException {
        String type = KeyUtils.getKeyType(key);
        int changed = 0;
        String changedType = null;
        LinkedHashSet<String> others = new LinkedHashSet<>();
        boolean known = false;
        for (Line line : lines()) {
            KnownHostEntry e = line.entry;
            PublicKey listed = line.key;
            if ("revoked".equals(e.getMarker())) { // MINA keeps the marker without its "@"; a revoked key is refused for any host
                if (listed != null && KeyUtils.compareKeys(listed, key)) return new Revoked(line.number);
                continue;
            }
            if (e.getMarker() != null || !e.isHostMatch(host, port)) continue;
            String listedType = e.getKeyEntry().getKeyType();
            if (listed != null && KeyUtils.compareKeys(listed, key)) {
                known = true;
            } else if (type.equals(listedType)) {
                if (changed == 0) {
                    changed = line.number;
                    changedType = listedType;
                }
            } else {
                others.add(listedType);
            }
        }
        if (known) return new Known();
        if (changed > 0) return new Changed(changed, changedType);
        return new Unknown(List.copyOf(others));
    }

    /** Key types known for a host, in file order: the key exchange asks for these first. */
    synchronized List<String> knownTypes(String host, int port) throws IOException {
        LinkedHashSet<String> types = new LinkedHashSet<>();
        for (Line line : lines()) {
            if (line.entry.getMarker() == null && line.entry.isHostMatch(host, port)) {
                types.add(line.entry.getKeyEntry().getKeyType());
            }
        }
        return List.copyOf(types);
    }

    /** Appends {@code host} (or {@code [host]:port}) with the key, creating the file (0600) and its directory (0700). */
    synchronized void add(String host, int port, PublicKey key) throws IOException {
        String pattern = port == 22 ? host : "[" + host + "]:" + port;
        String line = pattern + " " + PublicKeyEntry.toString(key) + "\n";
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null && !Files.isDirectory(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        if (!Files.exists(file)) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } else {
            byte[] existing = Files.readAllBytes(file);
            if (existing.length > 0 && existing[existing.length - 1] != '\n') line = "\n" + line;
        }
        Files.writeString(file, line, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    }

    private record Line(int number, KnownHostEntry entry, PublicKey key) {}

    private List<Line> lines() throws IOException {
        if (!Files.isRegularFile(file)) return List.of();
        List<String> text = Files.readAllLines(file, StandardCharsets.UTF_8);
        List<Line> out = new ArrayList<>();
        for (int i = 0; i < text.size(); i++) {
            String raw = text.get(i).strip();
            if (raw.isEmpty() || raw.startsWith("#")) continue;
            KnownHostEntry entry;
            try {
                entry = KnownHostEntry.parseKnownHostEntry(raw);
            } catch (RuntimeException malformed) {
                continue; // OpenSSH skips lines it cannot read, and so do we
            }
            if (entry == null || entry.getKeyEntry() == null) continue;
            out.add(new Line(i + 1, entry, publicKey(entry.getKeyEntry())));
        }
        return out;
    }

    private static PublicKey publicKey(AuthorizedKeyEntry entry) {
        try {
            return entry.resolvePublicKey(null, PublicKeyEntryResolver.IGNORING);
        } catch (IOException | GeneralSecurityException | RuntimeException unreadable) {
            return null;
        }
    }
}
