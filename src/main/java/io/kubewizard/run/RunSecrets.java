package io.kubewizard.run;

import io.kubewizard.render.Secrets;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * The secrets a cluster's joins need, made once per cluster and kept in {@code <run dir>/secrets/}
 * (0700, files 0600) so every rerun and resume renders the same kubeadm files: the bootstrap token
 * and the key kubeadm encrypts uploaded control-plane certificates with. A stored value that is not
 * well formed is refused, never replaced, because a live cluster may already use it.
 */
public final class RunSecrets {
    public static final String DIR = "secrets";
    static final String TOKEN_FILE = "bootstrap-token";
    static final String KEY_FILE = "certificate-key";

    /** kubeadm's bootstrap token format: a public id, a dot, a secret. */
    static final Pattern TOKEN = Pattern.compile("[a-z0-9]{6}\\.[a-z0-9]{16}");
    static final Pattern KEY = Pattern.compile("[0-9a-f]{64}");
    private static final String TOKEN_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

    private final String bootstrapToken;
    private final String certificateKey;

    private RunSecrets(String bootstrapToken, String certificateKey) {
        this.bootstrapToken = bootstrapToken;
        this.certificateKey = certificateKey;
    }

    /** Reads the stored secrets, making (and storing) those that are missing. */
    public static RunSecrets ensure(Path runDir, SecureRandom random) throws IOException {
        Path dir = runDir.resolve(DIR);
        privateDirectory(dir);
        String token = readOrMake(dir.resolve(TOKEN_FILE), TOKEN, "a bootstrap token ([a-z0-9]{6}.[a-z0-9]{16})",
                () -> token(random));
        String key = readOrMake(dir.resolve(KEY_FILE), KEY, "a certificate key (64 lower-case hex digits)", () -> {
            byte[] bytes = new byte[32];
            random.nextBytes(bytes);
            return HexFormat.of().formatHex(bytes);
        });
        return new RunSecrets(token, key);
    }

    public String bootstrapToken() { return bootstrapToken; }

    public String certificateKey() { return certificateKey; }

    /** The secrets render takes; {@code caCertHash} may be the masked placeholder until it is known. */
    public Secrets with(String caCertHash) { return new Secrets(bootstrapToken, certificateKey, caCertHash); }

    /** The token whole, its secret half on its own (kubeadm prints the id part), and the key. */
    public void maskIn(Masker masker) {
        masker.add(bootstrapToken);
        masker.add(bootstrapToken.substring(bootstrapToken.indexOf('.') + 1));
        masker.add(certificateKey);
    }

    @Override
    public String toString() { return "RunSecrets[masked]"; }

    private static String token(SecureRandom random) {
        StringBuilder sb = new StringBuilder(23);
        for (int i = 0; i < 22; i++) {
            if (i == 6) sb.append('.');
            sb.append(TOKEN_ALPHABET.charAt(random.nextInt(TOKEN_ALPHABET.length())));
        }
        return sb.toString();
    }

    private interface Maker {
        String make();
    }

    private static String readOrMake(Path file, Pattern shape, String what, Maker maker) throws IOException {
        try {
            String stored = Files.readString(file, StandardCharsets.US_ASCII).strip();
            if (!shape.matcher(stored).matches()) {
                throw new IOException(file + " does not hold " + what + ": fix it, or remove it to have a new one "
                        + "made (only before the cluster exists: its nodes use the stored one)");
            }
            return stored;
        } catch (NoSuchFileException missing) {
            String made = maker.make();
            writePrivate(file, made + "\n");
            return made;
        }
    }

    /** Creates the directory 0700 if needed; an existing one is tightened to 0700. */
    static void privateDirectory(Path dir) throws IOException {
        Files.createDirectories(dir.getParent());
        try {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (FileAlreadyExistsException exists) {
            // made by an earlier run (or the PKI store): keep it, but never readable by others
        }
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    }

    /** Whole or not at all, 0600 from its first byte (the temporary file is made 0600). */
    static void writePrivate(Path file, String content) throws IOException {
        writePrivate(file, content.getBytes(StandardCharsets.UTF_8));
    }

    static void writePrivate(Path file, byte[] content) throws IOException {
        Path tmp = Files.createTempFile(file.getParent(), "." + file.getFileName(), ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Files.write(tmp, content);
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
