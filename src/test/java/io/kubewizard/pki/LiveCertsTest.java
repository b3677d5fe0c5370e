package io.kubewizard.pki;

import io.kubewizard.plan.Json;
import io.kubewizard.plan.NodeCertificates;
import org.junit.jupiter.api.Test;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * certs --live's judgement: days left rounded down, a warning under 120 days, an error under 30 (and
 * expired), CAs told apart by their basic constraints, unreadable PEM an error, the earliest expiry,
 * and the JSON for scripts; and the node listing that feeds it, certificate blocks only.
 */
class LiveCertsTest {
    static final Instant NOW = Instant.parse("2026-12-02T00:00:00Z");
    static final SecureRandom RANDOM = new SecureRandom(new byte[] {1});

    static KeyPair pair() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
        return g.generateKeyPair();
    }

    /** A CA valid until {@code caDays} from NOW, and a leaf it signed valid {@code leafDays}. */
    static String[] pems(long caDays, long leafDays) throws Exception {
        KeyPair caPair = pair();
        var ca = Certs.selfSignedCa("kubernetes", caPair, NOW.minus(Duration.ofDays(300)), NOW.plus(Duration.ofDays(caDays)), RANDOM);
        var leaf = Certs.signed(new Certs.Profile("kube-apiserver", null, true, false, List.of("kubernetes"), List.of()),
                pair().getPublic(), ca, caPair.getPrivate(), NOW.minus(Duration.ofDays(300)),
                NOW.plus(Duration.ofDays(leafDays)).plusSeconds(3600), RANDOM);
        return new String[] {Certs.pem(ca), Certs.pem(leaf)};
    }

    @Test
    void thresholdsKindsAndTheEarliest() throws Exception {
        String[] a = pems(3000, 200);
        String[] b = pems(119, 29);
        List<LiveCerts.Row> rows = LiveCerts.rows(List.of(
                new LiveCerts.Input("cp1", "/etc/kubernetes/pki/ca.crt", "pki", a[0]),
                new LiveCerts.Input("cp1", "/etc/kubernetes/pki/apiserver.crt", "pki", a[1]),
                new LiveCerts.Input("cp2", "/etc/kubernetes/pki/front-proxy-ca.crt", "pki", b[0]),
                new LiveCerts.Input("cp2", "/etc/kubernetes/admin.conf", "kubeconfig", b[1]),
                new LiveCerts.Input("cp2", "/var/lib/kubelet/pki/kubelet.crt", "kubelet", "-----BEGIN CERTIFICATE-----\nAAAA\n"
                        + "-----END CERTIFICATE-----\n")), NOW);
        assertEquals(List.of(true, false, true, false), rows.subList(0, 4).stream().map(LiveCerts.Row::ca).toList());
        assertEquals(List.of(3000L, 200L, 119L, 29L), rows.subList(0, 4).stream().map(LiveCerts.Row::daysLeft).toList());
        assertEquals(List.of(LiveCerts.Status.OK, LiveCerts.Status.OK, LiveCerts.Status.WARNING, LiveCerts.Status.ERROR,
                LiveCerts.Status.ERROR), rows.stream().map(LiveCerts.Row::status).toList());
        assertEquals("CN=kube-apiserver", rows.get(1).subject());
        assertEquals("CN=kubernetes", rows.get(1).issuer());
        assertTrue(rows.get(4).problem().startsWith("cannot be read: "), rows.get(4).problem());
        assertEquals("/etc/kubernetes/admin.conf", LiveCerts.earliest(rows).path());
        assertEquals(LiveCerts.Status.ERROR, LiveCerts.status(-3), "an expired one");
        assertEquals(LiveCerts.Status.WARNING, LiveCerts.status(30));
        assertEquals(LiveCerts.Status.OK, LiveCerts.status(120));

        String text = LiveCerts.text("lab", rows, Map.of("worker1", "connect: connection refused"), NOW);
        assertTrue(text.startsWith("Certificates on the nodes of cluster lab, at 2026-12-02 00:00 UTC\n"), text);
        assertTrue(text.contains("cp1   /etc/kubernetes/pki/ca.crt (CA)"), text);
        assertTrue(text.lines().anyMatch(l -> l.startsWith("cp2 ") && l.contains("/etc/kubernetes/admin.conf")
                && l.contains("CN=kube-apiserver") && l.endsWith("   29  error")), text);
        assertTrue(text.lines().anyMatch(l -> l.startsWith("worker1 ") && l.endsWith("error: connect: connection refused")), text);
        assertTrue(text.endsWith("\n5 certificates; the first to expire is /etc/kubernetes/admin.conf on cp2, 2026-12-31 01:00 UTC "
                + "(29 days). 3 errors (under 30 days or unreadable), 1 warning (under 120 days).\nRenew the leaves with: "
                + "kubewizard certs renew -f FILE (CAs are not renewed).\n"), text);

        Map<?, ?> json = (Map<?, ?>) Json.parse(Json.write(LiveCerts.json("lab", rows, Map.of(), NOW)));
        assertEquals("2026-12-02T00:00:00Z", json.get("checkedAt"));
        Map<?, ?> first = (Map<?, ?>) ((List<?>) json.get("certificates")).get(3);
        assertEquals("kubeconfig", first.get("kind"));
        assertEquals(29L, ((Number) first.get("daysLeft")).longValue());
        assertEquals("error", first.get("status"));
        assertEquals("2026-12-31T01:00:00Z", first.get("notAfter"));
        assertEquals("/etc/kubernetes/admin.conf", ((Map<?, ?>) json.get("earliest")).get("path"));
    }

    /** What the node prints: marked files, certificate blocks only (the kubelet's key block is never printed). */
    @Test
    void theNodeListingIsReadBackPerFileWithItsFirstCertificate() throws Exception {
        String[] a = pems(3000, 200);
        NodeCertificates reading = new NodeCertificates();
        assertEquals(3, reading.commands().size());
        assertTrue(reading.commands().get(0).contains("sed -n '/-----BEGIN CERTIFICATE-----/,/-----END CERTIFICATE-----/p'"));
        assertFalse(String.join("\n", reading.commands()).contains("PRIVATE"), "nothing asks for a key");
        List<NodeCertificates.Found> found = reading.parse(List.of(
                "--- kubewizard: PKI /etc/kubernetes/pki/ca.crt\n" + a[0] + "--- kubewizard: PKI /etc/kubernetes/pki/apiserver.crt\n"
                        + a[1] + a[0],
                "--- kubewizard: KUBECONFIG /etc/kubernetes/admin.conf\n" + a[1],
                ""));
        assertEquals(List.of("/etc/kubernetes/pki/ca.crt", "/etc/kubernetes/pki/apiserver.crt", "/etc/kubernetes/admin.conf"),
                found.stream().map(NodeCertificates.Found::path).toList());
        assertEquals(a[1], found.get(1).pem(), "a chain gives its first certificate");
        assertEquals(NodeCertificates.Kind.KUBECONFIG, found.get(2).kind());
    }
}
