package io.kubewizard.pki;

import io.kubewizard.answers.Spec.ClusterSpec;
import org.bouncycastle.cert.X509CertificateHolder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * certs renew with kubewizard's PKI: every leaf and kubeconfig issued again by the stored CAs, from
 * now, with the SANs the answers need now (an extraCertSANs entry added since), the old ones kept
 * aside, the CAs and the service-account key unchanged.
 */
class ReissueTest {
    @TempDir Path dir;

    @Test
    void leavesAreIssuedAgainByTheStoredCasWithTheNamesTheAnswersNeedNow() throws Exception {
        ClusterSpec before = Specs.preset("ha-external-etcd");
        PkiStore store = new PkiStore(dir);
        ClusterPki.ensure(before, store, Specs.CLOCK);
        String ca = store.read(null, "pki/ca.crt");
        String sa = store.read(null, "pki/sa.key");
        String apiserver = store.read("cp1", "pki/apiserver.crt");
        String admin = store.read(null, "admin.conf");
        String etcdServer = store.read("etcd1", "pki/etcd/server.crt");

        ClusterSpec after = Specs.preset("ha-external-etcd", "extraCertSANs: []", "extraCertSANs: [api.example.com]");
        Clock later = Clock.fixed(Specs.NOW.plus(Duration.ofDays(300)), ZoneOffset.UTC);
        int n = ClusterPki.reissueLeaves(after, store, later);
        assertTrue(n > 10, "leaves and kubeconfigs: " + n);
        assertEquals(ca, store.read(null, "pki/ca.crt"), "the CA stays");
        assertEquals(sa, store.read(null, "pki/sa.key"), "the service-account key stays");
        assertNotEquals(apiserver, store.read("cp1", "pki/apiserver.crt"));
        assertNotEquals(admin, store.read(null, "admin.conf"));
        assertNotEquals(etcdServer, store.read("etcd1", "pki/etcd/server.crt"));
        X509CertificateHolder renewed = Certs.parse(store.read("cp1", "pki/apiserver.crt"));
        assertTrue(Certs.dnsNames(renewed).contains("api.example.com"), Certs.dnsNames(renewed).toString());
        assertTrue(Certs.dnsNames(renewed).contains("kubernetes.default.svc"), Certs.dnsNames(renewed).toString());
        assertEquals(Specs.NOW.plus(Duration.ofDays(300 + 365)).getEpochSecond() / 86400,
                renewed.getNotAfter().toInstant().getEpochSecond() / 86400, "a year from the renewal");
        assertTrue(Certs.signedBy(renewed, Certs.parse(ca)));
        Path kept = dir.resolve("renewed-20261226T100000Z/hosts/cp1/pki/apiserver.crt");
        assertEquals(apiserver, Files.readString(kept), "the old certificate is kept aside");
    }
}
