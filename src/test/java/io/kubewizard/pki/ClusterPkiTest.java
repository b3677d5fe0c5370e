package io.kubewizard.pki;

import io.kubewizard.answers.Spec.ClusterSpec;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.cert.X509CertificateHolder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.interfaces.RSAPrivateKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClusterPkiTest {

    @TempDir
    Path dir;

    private PkiMaterial generate(ClusterSpec spec) throws PkiException {
        return ClusterPki.ensure(spec, new PkiStore(dir), Specs.CLOCK);
    }

    private static X509CertificateHolder cert(String pem) { return Certs.parse(pem); }

    @Test
    void externalEtcdWithKubewizardPkiMakesTheWholeSetPerHost() throws Exception {
        PkiMaterial pki = generate(Specs.external("ECDSA-P256"));
        assertEquals(List.of("admin.conf", "pki/apiserver-etcd-client.crt", "pki/apiserver-etcd-client.key",
                "pki/apiserver-kubelet-client.crt", "pki/apiserver-kubelet-client.key", "pki/ca.crt", "pki/ca.key",
                "pki/etcd/ca.crt", "pki/etcd/ca.key", "pki/etcd/healthcheck-client.crt", "pki/etcd/healthcheck-client.key",
                "pki/front-proxy-ca.crt", "pki/front-proxy-ca.key", "pki/front-proxy-client.crt", "pki/front-proxy-client.key",
                "pki/sa.key", "pki/sa.pub", "super-admin.conf"), new ArrayList<>(new TreeSet<>(pki.clusterFiles().keySet())));
        assertEquals(List.of("cp1", "cp2", "cp3", "etcd1", "etcd2", "etcd3"), new ArrayList<>(pki.hostFiles().keySet()));
        for (String cp : List.of("cp1", "cp2", "cp3")) {
            assertEquals(Set.of("controller-manager.conf", "kubelet.conf", "scheduler.conf", "pki/apiserver.crt", "pki/apiserver.key"),
                    pki.filesOf(cp).keySet());
        }
        for (String etcd : List.of("etcd1", "etcd2", "etcd3")) {
            assertEquals(Set.of("pki/etcd/server.crt", "pki/etcd/server.key", "pki/etcd/peer.crt", "pki/etcd/peer.key"),
                    pki.filesOf(etcd).keySet());
        }
        assertEquals(Map.of(), pki.filesOf("worker1"));
        assertEquals(CaCertHash.of(pki.clusterFiles().get("pki/ca.crt")), pki.caCertHash());
    }

    @Test
    void stackedEtcdMembersAreTheControlPlanes() throws Exception {
        PkiMaterial pki = generate(Specs.stacked("ECDSA-P256"));
        assertEquals(List.of("cp1", "cp2", "cp3"), new ArrayList<>(pki.hostFiles().keySet()));
        assertEquals(Set.of("controller-manager.conf", "kubelet.conf", "scheduler.conf", "pki/apiserver.crt", "pki/apiserver.key",
                "pki/etcd/server.crt", "pki/etcd/server.key", "pki/etcd/peer.crt", "pki/etcd/peer.key"), pki.filesOf("cp2").keySet());
        X509CertificateHolder peer = cert(pki.filesOf("cp2").get("pki/etcd/peer.crt"));
        assertEquals(List.of("cp2", "localhost"), Certs.dnsNames(peer));
        assertEquals(List.of("10.0.0.12", "127.0.0.1", "::1"), Certs.ipAddresses(peer));
    }

    @Test
    void externalEtcdWithKubeadmPkiStillMakesTheEtcdPkiOnly() throws Exception {
        PkiMaterial pki = generate(Specs.preset("ha-external-etcd", "generatedBy: kubewizard", "generatedBy: kubeadm",
                "keyAlgorithm: RSA-2048", "keyAlgorithm: ECDSA-P256"));
        assertEquals(Set.of("pki/etcd/ca.crt", "pki/etcd/ca.key", "pki/apiserver-etcd-client.crt", "pki/apiserver-etcd-client.key",
                "pki/etcd/healthcheck-client.crt", "pki/etcd/healthcheck-client.key"), pki.clusterFiles().keySet());
        assertEquals(List.of("etcd1", "etcd2", "etcd3"), new ArrayList<>(pki.hostFiles().keySet()));
        assertNull(pki.caCertHash(), "the Kubernetes CA is kubeadm's to make");
    }

    @Test
    void stackedWithKubeadmPkiGeneratesNothingAndWritesNothing() throws Exception {
        PkiMaterial pki = generate(Specs.preset("ha-stacked"));
        assertEquals(PkiMaterial.NONE, pki);
        try (var s = Files.list(dir)) {
            assertEquals(0, s.count());
        }
    }

    @Test
    void everyCertificateHasKubeadmsNamesUsagesAndSans() throws Exception {
        PkiMaterial pki = generate(Specs.external("ECDSA-P256"));
        Map<String, String> c = pki.clusterFiles();
        // path -> CN, O, server auth, client auth, issuer CN
        record Want(String cn, String o, boolean server, boolean client, String issuer) {}
        Map<String, Want> shared = Map.of(
                "pki/apiserver-kubelet-client.crt", new Want("kube-apiserver-kubelet-client", "kubeadm:cluster-admins", false, true, "kubernetes-ca"),
                "pki/front-proxy-client.crt", new Want("front-proxy-client", null, false, true, "kubernetes-front-proxy-ca"),
                "pki/apiserver-etcd-client.crt", new Want("kube-apiserver-etcd-client", "system:masters", false, true, "etcd-ca"),
                "pki/etcd/healthcheck-client.crt", new Want("kube-etcd-healthcheck-client", null, false, true, "etcd-ca"));
        for (Map.Entry<String, Want> e : shared.entrySet()) checkLeaf(cert(c.get(e.getKey())), e.getValue().cn(), e.getValue().o(),
                e.getValue().server(), e.getValue().client(), e.getValue().issuer(), e.getKey());
        checkLeaf(cert(pki.filesOf("cp2").get("pki/apiserver.crt")), "kube-apiserver", null, true, false, "kubernetes-ca", "apiserver");
        checkLeaf(cert(pki.filesOf("etcd3").get("pki/etcd/server.crt")), "kube-etcd", null, true, true, "etcd-ca", "etcd server");
        checkLeaf(cert(pki.filesOf("etcd3").get("pki/etcd/peer.crt")), "kube-etcd-peer", null, true, true, "etcd-ca", "etcd peer");

        X509CertificateHolder api = cert(pki.filesOf("cp2").get("pki/apiserver.crt"));
        assertEquals(List.of("cp2", "kubernetes", "kubernetes.default", "kubernetes.default.svc", "kubernetes.default.svc.cluster",
                "kubernetes.default.svc.cluster.local"), Certs.dnsNames(api));
        assertEquals(List.of("10.96.0.1", "10.0.0.12", "10.0.0.100"), Certs.ipAddresses(api));
        X509CertificateHolder etcd = cert(pki.filesOf("etcd3").get("pki/etcd/server.crt"));
        assertEquals(List.of("etcd3", "localhost"), Certs.dnsNames(etcd));
        assertEquals(List.of("10.0.0.33", "127.0.0.1", "::1"), Certs.ipAddresses(etcd));

        Map<String, String> caNames = Map.of("pki/ca.crt", "kubernetes-ca", "pki/front-proxy-ca.crt", "kubernetes-front-proxy-ca",
                "pki/etcd/ca.crt", "etcd-ca");
        for (Map.Entry<String, String> e : caNames.entrySet()) {
            X509CertificateHolder ca = cert(c.get(e.getKey()));
            assertEquals("CN=" + e.getValue(), Certs.describe(ca.getSubject()));
            assertEquals(ca.getSubject(), ca.getIssuer());
            Extension bc = ca.getExtension(Extension.basicConstraints);
            assertTrue(bc.isCritical(), "CA basic constraints are critical");
            assertTrue(BasicConstraints.getInstance(bc.getParsedValue()).isCA());
            Extension ku = ca.getExtension(Extension.keyUsage);
            assertTrue(ku.isCritical());
            assertEquals(new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment | KeyUsage.keyCertSign),
                    KeyUsage.getInstance(ku.getParsedValue()));
            assertTrue(ca.getExtension(Extension.subjectKeyIdentifier) != null);
            assertEquals(Specs.NOW.minus(Duration.ofMinutes(5)), ca.getNotBefore().toInstant());
            assertEquals(Specs.NOW.plus(Duration.ofHours(87600)), ca.getNotAfter().toInstant());
        }
    }

    private static void checkLeaf(X509CertificateHolder cert, String cn, String o, boolean server, boolean client,
                                  String issuer, String what) {
        assertEquals(o == null ? "CN=" + cn : "O=" + o + ", CN=" + cn, Certs.describe(cert.getSubject()), what);
        assertEquals("CN=" + issuer, Certs.describe(cert.getIssuer()), what);
        Extension bc = cert.getExtension(Extension.basicConstraints);
        assertTrue(bc.isCritical(), what);
        assertFalse(BasicConstraints.getInstance(bc.getParsedValue()).isCA(), what);
        Extension ku = cert.getExtension(Extension.keyUsage);
        assertTrue(ku.isCritical(), what);
        assertEquals(new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment), KeyUsage.getInstance(ku.getParsedValue()), what);
        ExtendedKeyUsage eku = ExtendedKeyUsage.fromExtensions(cert.getExtensions());
        assertEquals(server, eku.hasKeyPurposeId(KeyPurposeId.id_kp_serverAuth), what);
        assertEquals(client, eku.hasKeyPurposeId(KeyPurposeId.id_kp_clientAuth), what);
        assertEquals((server ? 1 : 0) + (client ? 1 : 0), eku.getUsages().length, what);
        assertTrue(cert.getSerialNumber().signum() > 0, what);
        assertEquals(Specs.NOW.minus(Duration.ofMinutes(5)), cert.getNotBefore().toInstant(), what);
        assertEquals(Specs.NOW.plus(Duration.ofHours(8760)), cert.getNotAfter().toInstant(), what);
        assertTrue(cert.getExtension(Extension.subjectKeyIdentifier) != null, what);
    }

    @Test
    void leavesNameTheirCaByKeyIdentifierAndCarryDistinctSerials() throws Exception {
        PkiMaterial pki = generate(Specs.external("ECDSA-P256"));
        X509CertificateHolder ca = cert(pki.clusterFiles().get("pki/etcd/ca.crt"));
        byte[] caKeyId = SubjectKeyIdentifier.fromExtensions(ca.getExtensions()).getKeyIdentifier();
        Set<BigInteger> serials = new HashSet<>();
        for (String host : List.of("etcd1", "etcd2", "etcd3")) {
            for (String f : List.of("pki/etcd/server.crt", "pki/etcd/peer.crt")) {
                X509CertificateHolder leaf = cert(pki.filesOf(host).get(f));
                assertArrayEquals(caKeyId, AuthorityKeyIdentifier.fromExtensions(leaf.getExtensions()).getKeyIdentifierOctets());
                assertTrue(Certs.signedBy(leaf, ca));
                serials.add(leaf.getSerialNumber());
            }
        }
        assertEquals(6, serials.size());
    }

    @Test
    void pemEncodingsAreTheOnesKubeadmWrites() throws Exception {
        PkiMaterial rsa = generate(Specs.preset("single-node", "generatedBy: kubeadm", "generatedBy: kubewizard"));
        Map<String, String> c = rsa.clusterFiles();
        assertTrue(c.get("pki/ca.key").startsWith("-----BEGIN RSA PRIVATE KEY-----\n"), c.get("pki/ca.key").lines().findFirst().orElse(""));
        assertTrue(c.get("pki/ca.crt").startsWith("-----BEGIN CERTIFICATE-----\n"));
        assertTrue(c.get("pki/sa.key").startsWith("-----BEGIN RSA PRIVATE KEY-----\n"));
        assertTrue(c.get("pki/sa.pub").startsWith("-----BEGIN PUBLIC KEY-----\n"));
        assertEquals(2048, ((RSAPrivateKey) Keys.parsePrivate(c.get("pki/sa.key")).privateKey()).getModulus().bitLength());
        for (String line : c.get("pki/ca.crt").split("\n")) assertTrue(line.length() <= 64, line);
        assertTrue(c.get("pki/ca.crt").endsWith("-----END CERTIFICATE-----\n"));
        assertTrue(Keys.samePublicKey(Keys.parsePrivate(c.get("pki/sa.key")).publicKey(), Keys.parsePublic(c.get("pki/sa.pub"))));
    }

    @Test
    void rsaKeySizesFollowTheAnswers() {
        java.security.KeyPair pair = Keys.generate(io.kubewizard.answers.Spec.KeyAlgorithm.RSA_3072, new java.security.SecureRandom());
        String pem = Keys.privatePem(pair);
        assertTrue(pem.startsWith("-----BEGIN RSA PRIVATE KEY-----\n"));
        assertEquals(3072, ((RSAPrivateKey) Keys.parsePrivate(pem).privateKey()).getModulus().bitLength());
    }

    @Test
    void ecKeysAreSec1WithTheirCurve() throws Exception {
        Path other = Files.createDirectory(dir.resolve("ec"));
        PkiMaterial ec = ClusterPki.ensure(Specs.external("ECDSA-P256"), new PkiStore(other), Specs.CLOCK);
        String key = ec.filesOf("cp1").get("pki/apiserver.key");
        assertTrue(key.startsWith("-----BEGIN EC PRIVATE KEY-----\n"), key.lines().findFirst().orElse(""));
        org.bouncycastle.asn1.sec.ECPrivateKey sec1 = org.bouncycastle.asn1.sec.ECPrivateKey.getInstance(Pem.first(key, Pem.EC_PRIVATE_KEY));
        assertEquals(org.bouncycastle.asn1.sec.SECObjectIdentifiers.secp256r1, sec1.getParametersObject());
        assertTrue(sec1.getPublicKey() != null, "SEC1 key carries its public point");
        assertTrue(Keys.samePublicKey(Keys.parsePrivate(key).publicKey(), cert(ec.filesOf("cp1").get("pki/apiserver.crt")).getSubjectPublicKeyInfo()));
    }

    @Test
    void kubeconfigsAreWhatKubeadmWrites() throws Exception {
        PkiMaterial pki = generate(Specs.external("ECDSA-P256"));
        String admin = pki.clusterFiles().get("admin.conf");
        assertEquals("""
                apiVersion: v1
                clusters:
                - cluster:
                    certificate-authority-data: DATA
                    server: https://10.0.0.100:8443
                  name: ha-external
                contexts:
                - context:
                    cluster: ha-external
                    user: kubernetes-admin
                  name: kubernetes-admin@ha-external
                current-context: kubernetes-admin@ha-external
                kind: Config
                preferences: {}
                users:
                - name: kubernetes-admin
                  user:
                    client-certificate-data: DATA
                    client-key-data: DATA
                """, admin.replaceAll("-data: \\S+", "-data: DATA"));
        Kubeconfig.Parsed k = Kubeconfig.parse(admin);
        assertEquals(pki.clusterFiles().get("pki/ca.crt"), k.caPem());
        assertEquals("O=kubeadm:cluster-admins, CN=kubernetes-admin", Certs.describe(cert(k.certPem()).getSubject()));
        assertTrue(Keys.samePublicKey(Keys.parsePrivate(k.keyPem()).publicKey(), cert(k.certPem()).getSubjectPublicKeyInfo()));

        record Want(String file, String host, String user, String subject, String server) {}
        for (Want w : List.of(
                new Want("super-admin.conf", null, "kubernetes-super-admin", "O=system:masters, CN=kubernetes-super-admin", "https://10.0.0.100:8443"),
                new Want("kubelet.conf", "cp2", "system:node:cp2", "O=system:nodes, CN=system:node:cp2", "https://10.0.0.12:6443"),
                new Want("controller-manager.conf", "cp2", "system:kube-controller-manager", "CN=system:kube-controller-manager", "https://10.0.0.12:6443"),
                new Want("scheduler.conf", "cp3", "system:kube-scheduler", "CN=system:kube-scheduler", "https://10.0.0.13:6443"))) {
            String text = w.host() == null ? pki.clusterFiles().get(w.file()) : pki.filesOf(w.host()).get(w.file());
            Kubeconfig.Parsed p = Kubeconfig.parse(text);
            assertEquals(w.user(), p.user(), w.file());
            assertEquals("ha-external", p.cluster(), w.file());
            assertEquals(w.server(), p.server(), w.file());
            assertEquals(w.subject(), Certs.describe(cert(p.certPem()).getSubject()), w.file());
            assertTrue(text.contains("current-context: " + w.user() + "@ha-external\n"), w.file());
        }
    }

    private static final String ENDPOINT = "https://api.ha-stacked.example.com:6443";
    private static final String LOCAL = "https://10.0.0.11:6443";

    @Test
    void kubeletConfFollowsControlPlaneKubeletLocalModeByVersion() throws Exception {
        String endpoint = ENDPOINT;
        String local = LOCAL;
        assertEquals(local, kubeletServer("1.35.2", ""));
        assertEquals(local, kubeletServer("1.37.0", ""));
        assertEquals(local, kubeletServer("1.33.4", ""));
        assertEquals(endpoint, kubeletServer("1.33.4", "ControlPlaneKubeletLocalMode: false"));
        assertEquals(endpoint, kubeletServer("1.32.3", ""));
        assertEquals(local, kubeletServer("1.32.3", "ControlPlaneKubeletLocalMode: true"));
        assertEquals(endpoint, kubeletServer("1.30.9", ""));
    }

    private String kubeletServer(String version, String gate) throws Exception {
        Path d = Files.createTempDirectory(dir, "v");
        ClusterSpec spec = Specs.preset("ha-stacked", "generatedBy: kubeadm", "generatedBy: kubewizard",
                "keyAlgorithm: RSA-2048", "keyAlgorithm: ECDSA-P256", "kubernetesVersion: 1.35.2", "kubernetesVersion: " + version,
                "controlPlaneEndpoint: 10.0.0.100:6443", "controlPlaneEndpoint: api.ha-stacked.example.com:6443",
                "featureGates: {}", gate.isEmpty() ? "featureGates: {}" : "featureGates: {" + gate + "}");
        PkiMaterial pki = ClusterPki.ensure(spec, new PkiStore(d), Specs.CLOCK);
        assertEquals(ENDPOINT, Kubeconfig.parse(pki.clusterFiles().get("admin.conf")).server());
        assertEquals(LOCAL, Kubeconfig.parse(pki.filesOf("cp1").get("controller-manager.conf")).server());
        return Kubeconfig.parse(pki.filesOf("cp1").get("kubelet.conf")).server();
    }

    @Test
    void singleNodeWithoutEndpointPointsAtItsOwnAddressAndExtraSansAreAdded() throws Exception {
        ClusterSpec spec = Specs.preset("single-node", "generatedBy: kubeadm", "generatedBy: kubewizard",
                "keyAlgorithm: RSA-2048", "keyAlgorithm: ECDSA-P256",
                "extraCertSANs: []", "extraCertSANs: [api.example.com, 192.0.2.7]",
                "serviceSubnet: 10.96.0.0/12", "serviceSubnet: 10.112.0.0/16", "dnsDomain: cluster.local", "dnsDomain: k8s.internal");
        PkiMaterial pki = generate(spec);
        assertEquals("https://10.0.0.11:6443", Kubeconfig.parse(pki.clusterFiles().get("admin.conf")).server());
        X509CertificateHolder api = cert(pki.filesOf("node1").get("pki/apiserver.crt"));
        assertEquals(List.of("node1", "kubernetes", "kubernetes.default", "kubernetes.default.svc", "kubernetes.default.svc.cluster",
                "kubernetes.default.svc.k8s.internal", "api.example.com"), Certs.dnsNames(api));
        assertEquals(List.of("10.112.0.1", "10.0.0.11", "192.0.2.7"), Certs.ipAddresses(api));
    }
}
