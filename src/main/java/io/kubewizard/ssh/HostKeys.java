package io.kubewizard.ssh;

import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.util.buffer.ByteArrayBuffer;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.util.Base64;

/** How a host key is shown to a person, the way OpenSSH shows it. */
public final class HostKeys {
    private HostKeys() {}

    /** {@code SHA256:} and the unpadded base64 of the SHA-256 of the key's wire encoding, as {@code ssh-keygen -l}. */
    public static String fingerprint(PublicKey key) {
        ByteArrayBuffer blob = new ByteArrayBuffer();
        blob.putRawPublicKey(key);
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(blob.getCompactData());
            return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** The SSH key type ({@code ssh-ed25519}, {@code ecdsa-sha2-nistp256}, {@code ssh-rsa}). */
    public static String type(PublicKey key) {
        return KeyUtils.getKeyType(key);
    }

    /** The short name OpenSSH prints: ED25519, ECDSA, RSA. */
    public static String displayType(String sshType) {
        if (sshType == null) return "unknown";
        if (sshType.contains("ed25519")) return "ED25519";
        if (sshType.startsWith("ecdsa") || sshType.contains("-ecdsa-")) return "ECDSA";
        if (sshType.contains("rsa")) return "RSA";
        return sshType;
    }
}
