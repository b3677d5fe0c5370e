package io.kubewizard.pki;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CaCertHashTest {

    /**
     * fixed-ca.crt was made once with openssl; the expected value is
     * {@code openssl x509 -in fixed-ca.crt -pubkey -noout | openssl pkey -pubin -outform der | sha256sum},
     * the hash kubeadm prints in its join command. (The certificate's own SHA-256 fingerprint,
     * 26:34:2A:..., is a different number: the hash covers the public key only.)
     */
    @Test
    void hashIsSha256OfTheSubjectPublicKeyInfo() throws Exception {
        String pem = Files.readString(Path.of(getClass().getResource("/pki/fixed-ca.crt").toURI()));
        assertEquals("sha256:383615bd9bbb3be0eedd1012b87da5466b04e755fd89320d43843982fbf97976", CaCertHash.of(pem));
    }

    @Test
    void noCertificateIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CaCertHash.of("hello"));
        assertEquals("no PEM block CERTIFICATE", e.getMessage());
    }
}
