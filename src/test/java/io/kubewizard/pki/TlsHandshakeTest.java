package io.kubewizard.pki;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The generated apiserver certificate serves TLS to a client holding admin.conf's certificate,
 * both trusting only the cluster CA (mutual TLS, as kube-apiserver runs it), and a client's
 * hostname verification passes for every SAN and fails for any other name. JDK TLS, loopback.
 */
class TlsHandshakeTest {

    @TempDir
    static Path dir;

    static PkiMaterial pki;
    static SSLServerSocket server;
    static ExecutorService acceptor = Executors.newSingleThreadExecutor();
    static final List<String> clientsSeen = new ArrayList<>();

    @BeforeAll
    static void serve() throws Exception {
        pki = ClusterPki.ensure(Specs.external("ECDSA-P256"), new PkiStore(dir), Specs.CLOCK);
        String ca = pki.clusterFiles().get("pki/ca.crt");
        SSLContext ctx = MutualTls.context(pki.filesOf("cp1").get("pki/apiserver.crt"), pki.filesOf("cp1").get("pki/apiserver.key"), ca);
        server = (SSLServerSocket) ctx.getServerSocketFactory().createServerSocket(0, 50, InetAddress.getLoopbackAddress());
        server.setNeedClientAuth(true);
        acceptor.submit(() -> {
            while (!server.isClosed()) {
                try (SSLSocket s = (SSLSocket) server.accept()) {
                    s.setSoTimeout(10_000);
                    s.startHandshake();
                    synchronized (clientsSeen) {
                        clientsSeen.add(((X509Certificate) s.getSession().getPeerCertificates()[0]).getSubjectX500Principal().getName());
                    }
                    s.getOutputStream().write("ok".getBytes(StandardCharsets.US_ASCII));
                    s.getOutputStream().flush();
                } catch (Exception e) {
                    // a refused handshake is what some tests want; the client side asserts it
                }
            }
            return null;
        });
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        acceptor.shutdownNow();
    }

    /** Connects over loopback but verifies the server as the given name would be, as a client of that name would. */
    private static String talk(SSLContext client, String name) throws Exception {
        Socket plain = new Socket();
        plain.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()), 10_000);
        try (SSLSocket s = (SSLSocket) client.getSocketFactory().createSocket(plain, name, server.getLocalPort(), true)) {
            s.setSoTimeout(10_000);
            SSLParameters p = s.getSSLParameters();
            p.setEndpointIdentificationAlgorithm("HTTPS");
            s.setSSLParameters(p);
            s.startHandshake();
            return new String(s.getInputStream().readNBytes(2), StandardCharsets.US_ASCII);
        }
    }

    private static SSLContext admin() throws Exception {
        Kubeconfig.Parsed k = Kubeconfig.parse(pki.clusterFiles().get("admin.conf"));
        return MutualTls.context(k.certPem(), k.keyPem(), k.caPem());
    }

    @Test
    void adminConfAuthenticatesToTheApiServerForEverySan() throws Exception {
        SSLContext client = admin();
        List<String> names = new ArrayList<>(Catalogue.apiServerDns(Specs.external("ECDSA-P256"), Specs.external("ECDSA-P256").controlPlanes().get(0)));
        names.addAll(List.of("10.96.0.1", "10.0.0.11", "10.0.0.100"));
        assertEquals(9, names.size());
        for (String name : names) assertEquals("ok", talk(client, name), name);
        synchronized (clientsSeen) {
            assertEquals("CN=kubernetes-admin,O=kubeadm:cluster-admins", clientsSeen.get(clientsSeen.size() - 1));
        }
    }

    @Test
    void aNameOutsideTheSansFailsHostnameVerification() throws Exception {
        SSLContext client = admin();
        for (String name : List.of("cp2", "kubernetes.default.svc.cluster.example", "10.0.0.12", "127.0.0.1")) {
            SSLHandshakeException e = assertThrows(SSLHandshakeException.class, () -> talk(client, name), name);
            assertTrue(e.getMessage().contains("No subject alternative"), e.getMessage());
        }
    }

    @Test
    void aClientWithoutACertificateOfTheClusterCaIsRefused() throws Exception {
        PkiMaterial other = ClusterPki.ensure(Specs.external("ECDSA-P256"), new PkiStore(dir.resolve("other")), Specs.CLOCK);
        Kubeconfig.Parsed foreign = Kubeconfig.parse(other.clusterFiles().get("admin.conf"));
        // trusts the real cluster CA, so only the server's check of the client can fail
        SSLContext client = MutualTls.context(foreign.certPem(), foreign.keyPem(), pki.clusterFiles().get("pki/ca.crt"));
        assertThrows(Exception.class, () -> talk(client, "kubernetes"));
    }
}
