package io.kubewizard.pki;

import io.kubewizard.answers.Spec.ClusterSpec;
import org.bouncycastle.cert.X509CertificateHolder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A user's certificate from the stored cluster CA: CN the name, one O per group in order, client auth
 * only, exactly the days asked; the kubeconfig's context NAME@cluster and the cluster's endpoint. A
 * kubeconfig kubeadm made is taken only for the user and groups asked.
 */
class UserAccessTest {
    @TempDir Path dir;

    @Test
    void theStoredCaIssuesAClientCertificateForTheUserAndItsGroups() throws Exception {
        ClusterSpec spec = Specs.external("ECDSA-P256");
        PkiStore store = new PkiStore(dir);
        PkiMaterial pki = ClusterPki.ensure(spec, store, Specs.CLOCK);
        UserAccess.Issued issued = UserAccess.issue(spec, store, "alice", List.of("dev", "readers"), 30, Specs.CLOCK);
        Kubeconfig.Parsed k = Kubeconfig.parse(issued.kubeconfig());
        assertTrue(issued.kubeconfig().contains("current-context: alice@" + spec.cluster().name() + "\n"), issued.kubeconfig());
        assertEquals(UserAccess.server(spec), k.server());
        assertEquals(pki.clusterFiles().get("pki/ca.crt"), k.caPem());
        X509CertificateHolder cert = Certs.parse(k.certPem());
        assertEquals("O=dev, O=readers, CN=alice", Certs.describe(cert.getSubject()));
        assertTrue(Certs.signedBy(cert, Certs.parse(k.caPem())));
        assertEquals(Duration.ofDays(30), Duration.between(cert.getNotBefore().toInstant(), cert.getNotAfter().toInstant()));
        assertEquals(Specs.NOW.minus(ClusterPki.BACKDATE), issued.notBefore());
        assertEquals(List.of("1.3.6.1.5.5.7.3.2"), java.util.Arrays.stream(org.bouncycastle.asn1.x509.ExtendedKeyUsage
                .fromExtensions(cert.getExtensions()).getUsages()).map(u -> u.getId()).toList());

        // adopt: the same kubeconfig is taken for alice in [dev, readers], and refused for anyone else
        assertEquals(issued.kubeconfig(), UserAccess.adopt(spec, issued.kubeconfig(), "alice", List.of("dev", "readers"), dir).kubeconfig());
        PkiException other = assertThrows(PkiException.class,
                () -> UserAccess.adopt(spec, issued.kubeconfig(), "alice", List.of("dev"), dir));
        assertEquals(dir + ": holds a certificate for O=dev, O=readers, CN=alice, not for the user alice in [dev]", other.getMessage());
    }

    @Test
    void withoutAStoredCaNothingIsIssued() {
        ClusterSpec spec = Specs.external("ECDSA-P256");
        PkiException e = assertThrows(PkiException.class,
                () -> UserAccess.issue(spec, new PkiStore(dir), "alice", List.of("dev"), 1, Specs.CLOCK));
        assertTrue(e.getMessage().endsWith("pki/ca.crt: does not exist: the cluster CA is made by the first apply, so a user can "
                + "be added only to a cluster kubewizard installed from this run directory"), e.getMessage());
    }
}
