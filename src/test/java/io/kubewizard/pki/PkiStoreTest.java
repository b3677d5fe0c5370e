package io.kubewizard.pki;

import io.kubewizard.answers.Spec.ClusterSpec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reruns: the stored PKI is reused, completed, and refused loudly when damaged; never replaced. */
class PkiStoreTest {

    @TempDir
    Path dir;

    private PkiStore store;
    private ClusterSpec spec;
    private PkiMaterial first;

    @BeforeEach
    void generateOnce() throws Exception {
        store = new PkiStore(dir.resolve("secrets/pki"));
        spec = Specs.stacked("ECDSA-P256");
        first = ClusterPki.ensure(spec, store, Specs.CLOCK);
    }

    private Map<String, String> snapshot() throws Exception {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(store.dir())) {
            for (Path p : s.filter(Files::isRegularFile).toList()) out.put(store.dir().relativize(p).toString(), Files.readString(p));
        }
        return out;
    }

    @Test
    void storeMirrorsEtcKubernetesWithPrivateModes() throws Exception {
        Map<String, String> files = snapshot();
        assertEquals(List.of("cluster/admin.conf", "cluster/pki/apiserver-etcd-client.crt", "cluster/pki/apiserver-etcd-client.key",
                "cluster/pki/apiserver-kubelet-client.crt", "cluster/pki/apiserver-kubelet-client.key", "cluster/pki/ca.crt",
                "cluster/pki/ca.key", "cluster/pki/etcd/ca.crt", "cluster/pki/etcd/ca.key", "cluster/pki/etcd/healthcheck-client.crt",
                "cluster/pki/etcd/healthcheck-client.key", "cluster/pki/front-proxy-ca.crt", "cluster/pki/front-proxy-ca.key",
                "cluster/pki/front-proxy-client.crt", "cluster/pki/front-proxy-client.key", "cluster/pki/sa.key", "cluster/pki/sa.pub",
                "cluster/super-admin.conf"), files.keySet().stream().filter(k -> k.startsWith("cluster/")).toList());
        assertEquals(List.of("hosts/cp1/controller-manager.conf", "hosts/cp1/kubelet.conf", "hosts/cp1/pki/apiserver.crt",
                "hosts/cp1/pki/apiserver.key", "hosts/cp1/pki/etcd/peer.crt", "hosts/cp1/pki/etcd/peer.key",
                "hosts/cp1/pki/etcd/server.crt", "hosts/cp1/pki/etcd/server.key", "hosts/cp1/scheduler.conf"),
                files.keySet().stream().filter(k -> k.startsWith("hosts/cp1/")).toList());
        assertEquals(first.clusterFiles().get("pki/ca.crt"), files.get("cluster/pki/ca.crt"));
        try (Stream<Path> s = Files.walk(dir.resolve("secrets"))) {
            for (Path p : s.toList()) {
                String mode = PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
                assertEquals(Files.isDirectory(p) ? "rwx------" : "rw-------", mode, p.toString());
            }
        }
    }

    /** Modification time and inode of every stored file: a rewrite changes one or the other. */
    private Map<Path, Object> stamps() throws Exception {
        Map<Path, Object> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(store.dir())) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                out.put(p, List.of(Files.getLastModifiedTime(p), Files.readAttributes(p, "unix:ino").get("ino")));
            }
        }
        return out;
    }

    @Test
    void rerunReusesEverythingAndWritesNothing() throws Exception {
        Map<String, String> before = snapshot();
        Map<Path, Object> stamps = stamps();
        PkiMaterial again = ClusterPki.ensure(spec, store, Specs.CLOCK);
        assertEquals(first, again);
        assertEquals(before, snapshot());
        assertEquals(stamps, stamps());
    }

    @Test
    void aNewControlPlaneGetsOnlyItsOwnFilesSignedByTheStoredCa() throws Exception {
        Map<String, String> before = snapshot();
        ClusterSpec grown = Specs.preset("ha-stacked", "generatedBy: kubeadm", "generatedBy: kubewizard",
                "keyAlgorithm: RSA-2048", "keyAlgorithm: ECDSA-P256", "hosts:\n", """
                hosts:
                  - name: cp4
                    address: 10.0.0.14
                    internalAddress: 10.0.0.14
                    roles: [control-plane]
                """);
        PkiMaterial after = ClusterPki.ensure(grown, store, Specs.CLOCK);
        Map<String, String> now = snapshot();
        for (Map.Entry<String, String> e : before.entrySet()) assertEquals(e.getValue(), now.get(e.getKey()), e.getKey());
        assertEquals(List.of("hosts/cp4/controller-manager.conf", "hosts/cp4/kubelet.conf", "hosts/cp4/pki/apiserver.crt",
                "hosts/cp4/pki/apiserver.key", "hosts/cp4/pki/etcd/peer.crt", "hosts/cp4/pki/etcd/peer.key",
                "hosts/cp4/pki/etcd/server.crt", "hosts/cp4/pki/etcd/server.key", "hosts/cp4/scheduler.conf"),
                now.keySet().stream().filter(k -> !before.containsKey(k)).toList());
        assertEquals(first.caCertHash(), after.caCertHash());
        assertTrue(Certs.signedBy(Certs.parse(after.filesOf("cp4").get("pki/apiserver.crt")),
                Certs.parse(first.clusterFiles().get("pki/ca.crt"))));
        assertTrue(Certs.signedBy(Certs.parse(after.filesOf("cp4").get("pki/etcd/peer.crt")),
                Certs.parse(first.clusterFiles().get("pki/etcd/ca.crt"))));
    }

    private PkiException rerunFails() {
        return assertThrows(PkiException.class, () -> ClusterPki.ensure(spec, store, Specs.CLOCK));
    }

    private Path stored(String relative) { return store.dir().resolve(relative); }

    @Test
    void aCorruptCaIsAnErrorNamingItAndNothingIsRegenerated() throws Exception {
        Files.writeString(stored("cluster/pki/ca.crt"), "-----BEGIN CERTIFICATE-----\nnot base64 at all!\n-----END CERTIFICATE-----\n");
        Map<String, String> before = snapshot();
        PkiException e = rerunFails();
        assertEquals(stored("cluster/pki/ca.crt"), e.file());
        assertEquals(stored("cluster/pki/ca.crt") + ": is not a usable PEM certificate: PEM block CERTIFICATE is not valid base64",
                e.userMessage());
        assertEquals(before, snapshot());
    }

    @Test
    void garbageWhereAKeyShouldBeIsAnError() throws Exception {
        Files.writeString(stored("hosts/cp2/pki/apiserver.key"), "hello\n");
        PkiException e = rerunFails();
        assertEquals(stored("hosts/cp2/pki/apiserver.key") + ": is not a usable private key: "
                + "no PEM private key (RSA PRIVATE KEY, EC PRIVATE KEY or PRIVATE KEY)", e.getMessage());
    }

    @Test
    void aKeyThatDoesNotMatchItsCertificateIsAnError() throws Exception {
        Files.copy(stored("hosts/cp2/pki/apiserver.key"), stored("hosts/cp1/pki/apiserver.key"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        PkiException e = rerunFails();
        assertEquals(stored("hosts/cp1/pki/apiserver.key") + ": does not match the certificate apiserver.crt", e.getMessage());
    }

    @Test
    void aCaKeyThatDoesNotMatchIsAnError() throws Exception {
        Files.copy(stored("cluster/pki/front-proxy-ca.key"), stored("cluster/pki/ca.key"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        PkiException e = rerunFails();
        assertEquals(stored("cluster/pki/ca.key") + ": does not match the certificate ca.crt", e.getMessage());
    }

    @Test
    void aLeafFromAnotherCaIsAnError() throws Exception {
        PkiStore other = new PkiStore(dir.resolve("other"));
        ClusterPki.ensure(spec, other, Specs.CLOCK);
        for (String f : List.of("apiserver.crt", "apiserver.key")) {
            Files.copy(dir.resolve("other/hosts/cp3/pki/" + f), stored("hosts/cp3/pki/" + f), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        PkiException e = rerunFails();
        assertEquals(stored("hosts/cp3/pki/apiserver.crt") + ": is not signed by the stored CA " + stored("cluster/pki/ca.crt")
                + ": remove it and its key to have them re-issued by the stored CA", e.getMessage());
    }

    @Test
    void aKubeconfigFromAnotherClusterIsAnError() throws Exception {
        PkiStore other = new PkiStore(dir.resolve("other"));
        ClusterPki.ensure(spec, other, Specs.CLOCK);
        Files.copy(dir.resolve("other/cluster/admin.conf"), stored("cluster/admin.conf"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        PkiException e = rerunFails();
        assertEquals(stored("cluster/admin.conf") + ": embeds another CA than the stored ca.crt: remove it to have it re-issued by the stored CA",
                e.getMessage());
    }

    @Test
    void aMissingCaKeyIsAnErrorAndNoNewCaIsMade() throws Exception {
        Files.delete(stored("cluster/pki/etcd/ca.key"));
        Map<String, String> before = snapshot();
        PkiException e = rerunFails();
        assertEquals(stored("cluster/pki/etcd/ca.key") + ": is missing while ca.crt exists: restore it; "
                + "kubewizard signs with the stored CA and never makes a new one", e.getMessage());
        assertEquals(before, snapshot());
    }

    @Test
    void leavesWhoseCaVanishedAreAnError() throws Exception {
        Files.delete(stored("cluster/pki/front-proxy-ca.key"));
        Files.delete(stored("cluster/pki/front-proxy-ca.crt"));
        Map<String, String> before = snapshot();
        PkiException e = rerunFails();
        assertEquals(stored("cluster/pki/front-proxy-client.crt") + ": exists but its CA " + stored("cluster/pki/front-proxy-ca.crt")
                + " does not: restore the CA, or remove this file to have it re-issued by a new CA", e.getMessage());
        assertEquals(before, snapshot());
    }

    @Test
    void halfAPairIsAnError() throws Exception {
        Files.delete(stored("hosts/cp2/pki/etcd/peer.crt"));
        PkiException e = rerunFails();
        assertEquals(stored("hosts/cp2/pki/etcd/peer.crt") + ": is missing while peer.key exists: "
                + "remove the key to have both re-issued by the stored CA, or restore the certificate", e.getMessage());
    }

    @Test
    void aRemovedLeafIsReissuedBySameCaWithEverythingElseKept() throws Exception {
        Map<String, String> before = snapshot();
        Files.delete(stored("hosts/cp2/pki/apiserver.crt"));
        Files.delete(stored("hosts/cp2/pki/apiserver.key"));
        PkiMaterial again = ClusterPki.ensure(spec, store, Specs.CLOCK);
        Map<String, String> now = snapshot();
        assertNotEquals(before.get("hosts/cp2/pki/apiserver.crt"), now.get("hosts/cp2/pki/apiserver.crt"));
        before.remove("hosts/cp2/pki/apiserver.crt");
        before.remove("hosts/cp2/pki/apiserver.key");
        now.remove("hosts/cp2/pki/apiserver.crt");
        now.remove("hosts/cp2/pki/apiserver.key");
        assertEquals(before, now);
        assertTrue(Certs.signedBy(Certs.parse(again.filesOf("cp2").get("pki/apiserver.crt")), Certs.parse(first.clusterFiles().get("pki/ca.crt"))));
    }

    @Test
    void newSansAreNotSilentlyMissing() throws Exception {
        spec = Specs.preset("ha-stacked", "generatedBy: kubeadm", "generatedBy: kubewizard", "keyAlgorithm: RSA-2048", "keyAlgorithm: ECDSA-P256",
                "extraCertSANs: [api.ha-stacked.example.com]", "extraCertSANs: [api.ha-stacked.example.com, 192.0.2.10]");
        PkiException e = rerunFails();
        assertEquals(stored("cluster/pki/apiserver-kubelet-client.crt").getParent().resolve("../../hosts/cp1/pki/apiserver.crt").normalize()
                + ": lacks names this cluster now needs (192.0.2.10): remove it and its key to have them re-issued by the stored CA", e.getMessage());
    }

    @Test
    void aMovedEndpointIsNotSilentlyKept() throws Exception {
        spec = Specs.preset("ha-stacked", "generatedBy: kubeadm", "generatedBy: kubewizard", "keyAlgorithm: RSA-2048", "keyAlgorithm: ECDSA-P256",
                "controlPlaneEndpoint: 10.0.0.100:6443", "controlPlaneEndpoint: api.ha-stacked.example.com:6443");
        PkiException e = rerunFails();
        assertEquals(stored("cluster/admin.conf") + ": points at https://10.0.0.100:6443, expected https://api.ha-stacked.example.com:6443: "
                + "remove it to have it re-issued by the stored CA", e.getMessage());
    }
}
