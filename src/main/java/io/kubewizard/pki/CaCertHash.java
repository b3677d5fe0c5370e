package io.kubewizard.pki;

import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The discovery hash kubeadm join pins: "sha256:" and the hex SHA-256 of the CA certificate's
 * DER SubjectPublicKeyInfo (kubeadm pubkeypin.Hash), not of the whole certificate.
 */
public final class CaCertHash {
    private CaCertHash() {}

    /** The hash of the first certificate in a PEM text; IllegalArgumentException when there is none. */
    public static String of(String caCertPem) {
        try {
            byte[] spki = Certs.parse(caCertPem).getSubjectPublicKeyInfo().getEncoded("DER");
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(spki));
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot hash the CA public key", e);
        }
    }
}
