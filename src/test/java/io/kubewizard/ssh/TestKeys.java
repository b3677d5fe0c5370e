package io.kubewizard.ssh;

import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyEncryptionContext;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;

import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Key pairs made at test time and written the way ssh-keygen and openssl write them: the OpenSSH
 * format (optionally encrypted, bcrypt KDF + AES-256-CTR) and PEM (PKCS#1 "RSA PRIVATE KEY",
 * SEC1 "EC PRIVATE KEY", PKCS#8 "PRIVATE KEY" for ed25519; traditional OpenSSL encryption).
 */
final class TestKeys {
    private TestKeys() {}

    enum Type { ED25519, ECDSA, RSA }

    static KeyPair generate(Type type) {
        try {
            return switch (type) {
                case ED25519 -> KeyUtils.generateKeyPair("ssh-ed25519", 256);
                case ECDSA -> KeyUtils.generateKeyPair("ecdsa-sha2-nistp256", 256);
                case RSA -> KeyUtils.generateKeyPair("ssh-rsa", 2048);
            };
        } catch (Exception e) {
            throw new AssertionError("cannot generate " + type + ": " + e, e);
        }
    }

    static Path writeOpenSsh(KeyPair pair, Path file, String passphrase) throws Exception {
        OpenSSHKeyEncryptionContext encryption = null;
        if (passphrase != null) {
            encryption = new OpenSSHKeyEncryptionContext();
            encryption.setCipherName("AES");
            encryption.setCipherMode("CTR");
            encryption.setCipherType("256");
            encryption.setPassword(passphrase);
        }
        try (OutputStream out = Files.newOutputStream(file)) {
            OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(pair, "test@kubewizard", encryption, out);
        }
        return file;
    }

    /** PEM as {@code ssh-keygen -m PEM} / openssl write it; {@code passphrase} encrypts RSA and EC keys AES-128-CBC. */
    static Path writePem(KeyPair pair, Path file, String passphrase) throws Exception {
        String label;
        byte[] der;
        String algorithm = pair.getPrivate().getAlgorithm();
        if (algorithm.equals("RSA")) {
            label = "RSA PRIVATE KEY";
            der = pkcs8Inner(pair.getPrivate().getEncoded());
        } else if (algorithm.equals("EC") || algorithm.equals("ECDSA")) {
            label = "EC PRIVATE KEY";
            der = sec1(pair);
        } else {
            if (passphrase != null) throw new IllegalArgumentException("openssl encrypts ed25519 only as PKCS#8 v2");
            label = "PRIVATE KEY";
            der = pair.getPrivate().getEncoded();
        }
        StringBuilder pem = new StringBuilder("-----BEGIN " + label + "-----\n");
        if (passphrase != null) {
            byte[] iv = new byte[16];
            new SecureRandom().nextBytes(iv);
            // OpenSSL's EVP_BytesToKey with MD5, one round, the IV's first 8 bytes as salt
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            md5.update(passphrase.getBytes(StandardCharsets.UTF_8));
            md5.update(iv, 0, 8);
            byte[] key = md5.digest();
            Cipher aes = Cipher.getInstance("AES/CBC/PKCS5Padding");
            aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(iv));
            der = aes.doFinal(der);
            pem.append("Proc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,")
                    .append(HexFormat.of().withUpperCase().formatHex(iv)).append("\n\n");
        }
        pem.append(Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der));
        pem.append("\n-----END ").append(label).append("-----\n");
        Files.writeString(file, pem);
        return file;
    }

    /** The privateKey OCTET STRING of a PKCS#8 PrivateKeyInfo: for RSA, the PKCS#1 RSAPrivateKey. */
    private static byte[] pkcs8Inner(byte[] info) {
        Der outer = new Der(info, 0);
        Der version = new Der(info, outer.valueStart);
        Der algorithm = new Der(info, version.end);
        Der octets = new Der(info, algorithm.end);
        return Arrays.copyOfRange(info, octets.valueStart, octets.end);
    }

    /** SEC1 ECPrivateKey with the named curve (P-256) and the public point, as openssl writes it. */
    private static byte[] sec1(KeyPair pair) {
        ECPrivateKey priv = (ECPrivateKey) pair.getPrivate();
        ECPublicKey pub = (ECPublicKey) pair.getPublic();
        byte[] d = fixed(priv.getS(), 32);
        byte[] point = concat(new byte[] {4}, fixed(pub.getW().getAffineX(), 32), fixed(pub.getW().getAffineY(), 32));
        byte[] prime256v1 = {0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x03, 0x01, 0x07};
        return tlv(0x30, concat(tlv(0x02, new byte[] {1}), tlv(0x04, d),
                tlv(0xa0, tlv(0x06, prime256v1)), tlv(0xa1, tlv(0x03, concat(new byte[] {0}, point)))));
    }

    private static byte[] fixed(BigInteger n, int size) {
        byte[] raw = n.toByteArray();
        byte[] out = new byte[size];
        int copy = Math.min(raw.length, size);
        System.arraycopy(raw, raw.length - copy, out, size - copy, copy);
        return out;
    }

    private static byte[] tlv(int tag, byte[] value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        int n = value.length;
        if (n < 0x80) {
            out.write(n);
        } else if (n < 0x100) {
            out.write(0x81);
            out.write(n);
        } else {
            out.write(0x82);
            out.write(n >> 8);
            out.write(n & 0xff);
        }
        out.writeBytes(value);
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) out.writeBytes(p);
        return out.toByteArray();
    }

    /** One DER element's position: where its value starts and where it ends. */
    private static final class Der {
        final int valueStart;
        final int end;

        Der(byte[] b, int at) {
            int len = b[at + 1] & 0xff;
            int start = at + 2;
            if (len >= 0x80) {
                int bytes = len & 0x7f;
                len = 0;
                for (int i = 0; i < bytes; i++) len = (len << 8) | (b[start + i] & 0xff);
                start += bytes;
            }
            valueStart = start;
            end = start + len;
        }
    }
}
