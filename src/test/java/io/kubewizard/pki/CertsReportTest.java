package io.kubewizard.pki;

import io.kubewizard.answers.Spec.ClusterSpec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;

class CertsReportTest {

    @TempDir
    Path dir;

    PkiStore store;
    ClusterSpec spec;

    /** One node, leaves valid 31 days (744h) from Specs.NOW, CAs ten years. */
    @BeforeEach
    void generate() throws Exception {
        spec = Specs.preset("single-node", "generatedBy: kubeadm", "generatedBy: kubewizard",
                "keyAlgorithm: RSA-2048", "keyAlgorithm: ECDSA-P256", "certificateValidity: 8760h", "certificateValidity: 744h");
        store = new PkiStore(dir.resolve("pki"));
        ClusterPki.ensure(spec, store, Specs.CLOCK);
    }

    private String report(Instant at) throws Exception {
        return CertsReport.text(spec, store, at).replace(store.dir().toString(), "STORE");
    }

    private static String block(String report, String header) {
        int at = report.indexOf(header);
        return report.substring(at, report.indexOf("\n\n", at) + 1);
    }

    @Test
    void listsEveryCertificateWithSubjectSansIssuerAndDaysLeft() throws Exception {
        String text = report(Specs.NOW.plus(Duration.ofDays(2)));
        assertEquals("Certificates of cluster single in STORE, at 2026-03-03 10:00 UTC\n", text.lines().findFirst().orElseThrow() + "\n");
        assertEquals("""
                cluster  /etc/kubernetes/pki/ca.crt
                  subject  CN=kubernetes-ca
                  SANs     DNS:kubernetes-ca
                  issuer   CN=kubernetes-ca
                  expires  2036-02-27 10:00 UTC, 3648 days left
                """, block(text, "cluster  /etc/kubernetes/pki/ca.crt"));
        assertEquals("""
                cluster  /etc/kubernetes/pki/apiserver-etcd-client.crt
                  subject  O=system:masters, CN=kube-apiserver-etcd-client
                  SANs     none
                  issuer   CN=etcd-ca
                  expires  2026-04-01 10:00 UTC, 29 days left  WARNING: expires within 30 days
                """, block(text, "cluster  /etc/kubernetes/pki/apiserver-etcd-client.crt"));
        assertEquals("""
                node1  /etc/kubernetes/pki/apiserver.crt
                  subject  CN=kube-apiserver
                  SANs     DNS:node1, DNS:kubernetes, DNS:kubernetes.default, DNS:kubernetes.default.svc, DNS:kubernetes.default.svc.cluster, DNS:kubernetes.default.svc.cluster.local, IP:10.96.0.1, IP:10.0.0.11
                  issuer   CN=kubernetes-ca
                  expires  2026-04-01 10:00 UTC, 29 days left  WARNING: expires within 30 days
                """, block(text, "node1  /etc/kubernetes/pki/apiserver.crt"));
        assertEquals("""
                node1  /etc/kubernetes/kubelet.conf (client certificate)
                  subject  O=system:nodes, CN=system:node:node1
                  SANs     none
                  issuer   CN=kubernetes-ca
                  expires  2026-04-01 10:00 UTC, 29 days left  WARNING: expires within 30 days
                """, block(text, "node1  /etc/kubernetes/kubelet.conf"));
        assertEquals(java.util.List.of(
                "cluster  /etc/kubernetes/admin.conf (client certificate)",
                "cluster  /etc/kubernetes/pki/apiserver-etcd-client.crt",
                "cluster  /etc/kubernetes/pki/apiserver-kubelet-client.crt",
                "cluster  /etc/kubernetes/pki/ca.crt",
                "cluster  /etc/kubernetes/pki/etcd/ca.crt",
                "cluster  /etc/kubernetes/pki/etcd/healthcheck-client.crt",
                "cluster  /etc/kubernetes/pki/front-proxy-ca.crt",
                "cluster  /etc/kubernetes/pki/front-proxy-client.crt",
                "cluster  /etc/kubernetes/super-admin.conf (client certificate)",
                "node1  /etc/kubernetes/controller-manager.conf (client certificate)",
                "node1  /etc/kubernetes/kubelet.conf (client certificate)",
                "node1  /etc/kubernetes/pki/apiserver.crt",
                "node1  /etc/kubernetes/pki/etcd/peer.crt",
                "node1  /etc/kubernetes/pki/etcd/server.crt",
                "node1  /etc/kubernetes/scheduler.conf (client certificate)"),
                text.lines().filter(l -> l.startsWith("cluster  ") || l.startsWith("node1  ")).toList());
        assertEquals("15 certificates; 12 need renewing within 30 days (marked WARNING).\n", text.substring(text.lastIndexOf("\n\n") + 2));
    }

    @Test
    void warningStartsUnderThirtyDaysAndMarksExpiredOnes() throws Exception {
        String at30 = report(Specs.NOW.plus(Duration.ofHours(23)));
        assertEquals("  expires  2026-04-01 10:00 UTC, 30 days left\n",
                block(at30, "node1  /etc/kubernetes/pki/apiserver.crt").lines().reduce((a, b) -> b).orElseThrow() + "\n");
        assertEquals("15 certificates; none expires within 30 days.\n", at30.substring(at30.lastIndexOf("\n\n") + 2));

        String expired = report(Instant.parse("2026-04-04T12:00:00Z"));
        assertEquals("  expires  2026-04-01 10:00 UTC, expired 3 days ago  WARNING: expired\n",
                block(expired, "node1  /etc/kubernetes/pki/apiserver.crt").lines().reduce((a, b) -> b).orElseThrow() + "\n");
    }

    @Test
    void aCorruptFileIsReportedAndTheRestListed() throws Exception {
        Files.writeString(store.dir().resolve("hosts/node1/pki/etcd/peer.crt"), "garbage\n");
        String text = report(Specs.NOW);
        assertEquals("node1  /etc/kubernetes/pki/etcd/peer.crt\n  cannot be read: no PEM block CERTIFICATE\n",
                block(text, "node1  /etc/kubernetes/pki/etcd/peer.crt"));
        assertEquals("14 certificates; none expires within 30 days.\n", text.substring(text.lastIndexOf("\n\n") + 2));
    }

    @Test
    void emptyStoresSayWhy() throws Exception {
        PkiStore empty = new PkiStore(dir.resolve("empty"));
        assertEquals("No certificates stored yet for cluster single in " + empty.dir() + ": apply generates them.\n",
                CertsReport.text(spec, empty, Specs.NOW));
        assertEquals("Cluster ha-stacked: pki.generatedBy is kubeadm, so its certificates are made and kept on the control planes;\n"
                + "run 'kubeadm certs check-expiration' there to list them.\n", CertsReport.text(Specs.preset("ha-stacked"), empty, Specs.NOW));
    }
}
