package io.kubewizard.sim;

import org.yaml.snakeyaml.Yaml;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code kubewizard user add} and {@code user list} on an installed simulated cluster, the same checks
 * for both PKI modes (BackupAndCertsSystemTest: kubeadm's; ApplySystemTest's external etcd: kubewizard's):
 * the admin group refused with nothing run on any node, a bad --days refused, then a user added whose
 * certificate the real openssl reads (subject, chain to the cluster CA, validity in days), whose kubeconfig
 * is 0600 with the context NAME@cluster and the cluster's endpoint, whose ClusterRoleBinding the simulated
 * API holds, and whose key is in no recorded argv and in nothing printed or logged.
 */
final class UserAccessChecks {
    private UserAccessChecks() {}

    static final Duration TIMEOUT = Duration.ofMinutes(3);

    /** What the test learnt: the written kubeconfig's certificate and key (PEM). */
    record Added(Path kubeconfig, String certPem, String keyPem, String caPem) {}

    static Added addAlice(SimCluster cluster, Kubewizard kw, Path answers, String clusterName, String server, Path caCrt,
                          boolean byKubeadm) throws Exception {
        Path work = kw.workDir();
        // Refused for safety before anything is read or connected to: exit 3, nothing run on any node.
        int callsBefore = allCalls(cluster).size();
        Cmd.Result refused = kw.run(TIMEOUT, "user-refused", "user", "add", "mallory", "--group", "dev,system:masters",
                "-f", answers.toString(), "-o", work.resolve("mallory.conf").toString(), "--plain");
        assertEquals(3, refused.exitCode(), refused::toString);
        assertEquals("error: --group system:masters makes mallory an administrator who can do anything in the cluster, "
                + "past any RBAC rule and until the certificate expires: refused for safety, and nothing was changed. Add "
                + "--allow-admin-group if that is meant\n", refused.stderr());
        assertEquals("", refused.stdout());
        Cmd.Result admins = kw.run(TIMEOUT, "user-refused-admins", "user", "add", "mallory", "--group", "kubeadm:cluster-admins",
                "-f", answers.toString(), "-o", work.resolve("mallory.conf").toString(), "--plain");
        assertEquals(3, admins.exitCode(), admins::toString);
        Cmd.Result days = kw.run(TIMEOUT, "user-bad-days", "user", "add", "mallory", "--group", "dev", "--days", "0",
                "-f", answers.toString(), "-o", work.resolve("mallory.conf").toString(), "--plain");
        assertEquals(2, days.exitCode(), days::toString);
        assertEquals("error: --days 0 is not between 1 and 3650 (the cluster CA's ten years)\n", days.stderr());
        assertEquals(callsBefore, allCalls(cluster).size(), "a refused user add runs nothing on any node");
        assertFalse(Files.exists(work.resolve("mallory.conf")));

        Path out = work.resolve("alice.conf");
        Cmd.Result added = kw.run(TIMEOUT, "user-add", "user", "add", "alice", "--group", "dev", "--group", "readers",
                "--clusterrole", "view", "--days", "30", "-f", answers.toString(), "-o", out.toString(), "--plain");
        assertEquals(0, added.exitCode(), added::toString);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(out)));
        Map<?, ?> doc = new Yaml().load(Files.readString(out));
        assertEquals("alice@" + clusterName, doc.get("current-context"));
        Map<?, ?> clusterEntry = (Map<?, ?>) ((Map<?, ?>) ((List<?>) doc.get("clusters")).get(0)).get("cluster");
        assertEquals(server, clusterEntry.get("server"));
        Map<?, ?> userEntry = (Map<?, ?>) ((Map<?, ?>) ((List<?>) doc.get("users")).get(0)).get("user");
        String certPem = decode(userEntry.get("client-certificate-data"));
        String keyPem = decode(userEntry.get("client-key-data"));
        String caPem = decode(clusterEntry.get("certificate-authority-data"));
        assertEquals(Files.readString(caCrt).strip(), caPem.strip(), "the kubeconfig trusts the cluster CA");

        // The real openssl: subject, chain, validity.
        Path crt = Files.writeString(work.resolve("alice.crt"), certPem);
        Cmd.Result subject = Cmd.run(Duration.ofSeconds(30), List.of("openssl", "x509", "-in", crt.toString(), "-noout",
                "-subject", "-nameopt", "RFC2253"));
        assertEquals("subject=CN=alice,O=readers,O=dev\n", subject.stdout(), subject::toString);
        Cmd.Result verified = Cmd.run(Duration.ofSeconds(30), List.of("openssl", "verify", "-CAfile", caCrt.toString(), crt.toString()));
        assertEquals(0, verified.exitCode(), verified::toString);
        assertEquals(crt + ": OK\n", verified.stdout());
        Cmd.Result purpose = Cmd.run(Duration.ofSeconds(30), List.of("openssl", "x509", "-in", crt.toString(), "-noout", "-ext",
                "extendedKeyUsage"));
        assertTrue(purpose.stdout().contains("TLS Web Client Authentication"), purpose::toString);
        X509Certificate x509 = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(certPem.getBytes(StandardCharsets.US_ASCII)));
        assertEquals(Duration.ofDays(30), Duration.between(x509.getNotBefore().toInstant(), x509.getNotAfter().toInstant()));

        // The binding, in the simulated API.
        Map<?, ?> binding = ((List<?>) cluster.apiState().get("objects")).stream().map(o -> (Map<?, ?>) o)
                .filter(o -> "ClusterRoleBinding".equals(o.get("kind")) && "kubewizard:user:alice:view".equals(o.get("name")))
                .findFirst().orElseThrow(() -> new AssertionError("no ClusterRoleBinding for alice"));
        assertEquals(Map.of("apiGroup", "rbac.authorization.k8s.io", "kind", "ClusterRole", "name", "view"), binding.get("roleRef"));
        assertEquals(List.of(Map.of("apiGroup", "rbac.authorization.k8s.io", "kind", "User", "name", "alice")), binding.get("subjects"));

        // The key: in no argv of any node, nowhere printed or logged, not left on the lead or in the run directory.
        String keyLine = keyPem.lines().filter(l -> !l.startsWith("-----") && l.length() > 40).findFirst().orElseThrow();
        String keyData = (String) userEntry.get("client-key-data");
        for (Call c : allCalls(cluster)) {
            String argv = String.join(" ", c.argv());
            assertFalse(argv.contains("PRIVATE KEY") || argv.contains(keyLine) || argv.contains(keyData.substring(0, 40)), c::toString);
        }
        Path runDir = kw.runDirectory(clusterName);
        for (Path p : BackupAndCertsSystemTest.printedAndLogged(work, runDir)) {
            String text = Files.readString(p, StandardCharsets.ISO_8859_1);
            assertFalse(text.contains(keyLine) || text.contains(keyData.substring(0, 40)), p + " holds alice's key");
        }
        try (var fetched = Files.walk(runDir)) {
            assertEquals(List.of(), fetched.filter(p -> p.toString().contains("kubewizard-user-")).toList(), "the fetched copy is deleted");
        }
        List<Call> kubeadm = allCalls(cluster).stream().filter(c -> c.words().size() > 2 && c.tool().equals("kubeadm")
                && c.words().get(1).equals("kubeconfig")).toList();
        if (byKubeadm) {
            assertEquals(1, kubeadm.size(), kubeadm::toString);
            assertEquals(List.of("kubeadm", "kubeconfig", "user", "--config", "/etc/kubernetes/tmp/kubewizard-user-alice.yaml",
                    "--client-name", "alice", "--org", "dev", "--org", "readers", "--validity-period", "720h"), kubeadm.get(0).words());
            assertEquals(0, kubeadm.get(0).exitCode());
            SimNode lead = cluster.node(kubeadm.get(0).node());
            assertFalse(Files.exists(lead.path("/etc/kubernetes/tmp/kubewizard-user-alice")), "the node keeps no copy");
            assertFalse(Files.exists(lead.path("/etc/kubernetes/tmp/kubewizard-user-alice.yaml")));
            // the stand-in refuses what kubeadm refuses, and says it as kubeadm does
            String stack = "To see the stack trace of this error execute with --v=5 or higher\n";
            StandInSystemTest.assertFails(1, "required flag(s) \"client-name\" not set\n" + stack,
                    lead.ssh("kubeadm kubeconfig user --org dev"));
            StandInSystemTest.assertFails(1, "unknown flag: --group\n" + stack,
                    lead.ssh("kubeadm kubeconfig user --client-name bob --group dev"));
            StandInSystemTest.assertFails(1, "invalid argument \"30d\" for \"--validity-period\" flag: time: invalid duration "
                    + "\"30d\"\n" + stack, lead.ssh("kubeadm kubeconfig user --client-name bob --validity-period 30d"));
            // what it prints is a kubeconfig whose certificate the node's CA signed
            String printed = StandInSystemTest.ok(lead, "kubeadm kubeconfig user --client-name bob --org ops --validity-period 48h");
            assertTrue(printed.contains("current-context: bob@kubernetes\n"), printed);
        } else {
            assertEquals(List.of(), kubeadm, "kubewizard's PKI issues on the jump host");
        }

        Cmd.Result list = kw.run(TIMEOUT, "user-list", "user", "list", "-f", answers.toString());
        assertEquals(0, list.exitCode(), list::toString);
        String pki = byKubeadm ? "kubeadm" : "kubewizard";
        String expires = x509.getNotAfter().toInstant().toString();
        assertEquals("NAME   GROUPS       BINDING           EXPIRES" + " ".repeat(expires.length() - 7 + 2) + "SIGNED BY\n"
                + "alice  dev,readers  clusterrole view  " + expires + "  " + pki + "\n", list.stdout());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(runDir.resolve("users.ndjson"))));
        String record = Files.readString(runDir.resolve("users.ndjson"));
        assertFalse(record.contains("PRIVATE") || record.contains(keyLine), record);
        return new Added(out, certPem, keyPem, caPem);
    }

    /** A JDK mTLS handshake: a server with {@code serverCert} that needs a client of the CA, the user's kubeconfig as client. */
    static String handshake(Added user, String serverCertPem, Path serverKey) throws Exception {
        SSLContext server = context(serverCertPem, pkcs8(serverKey), user.caPem());
        Path key = Files.writeString(user.kubeconfig().resolveSibling("alice.key"), user.keyPem());
        SSLContext client = context(user.certPem(), pkcs8(key), user.caPem());
        try (SSLServerSocket listening = (SSLServerSocket) server.getServerSocketFactory()
                .createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            listening.setNeedClientAuth(true);
            CompletableFuture<String> seen = CompletableFuture.supplyAsync(() -> {
                try (SSLSocket s = (SSLSocket) listening.accept()) {
                    s.setSoTimeout(10_000);
                    s.startHandshake();
                    String peer = ((X509Certificate) s.getSession().getPeerCertificates()[0]).getSubjectX500Principal().getName();
                    s.getOutputStream().write("ok".getBytes(StandardCharsets.US_ASCII));
                    s.getOutputStream().flush();
                    return peer;
                } catch (Exception e) {
                    return "refused: " + e;
                }
            });
            try (SSLSocket s = (SSLSocket) client.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(),
                    listening.getLocalPort())) {
                s.setSoTimeout(10_000);
                s.startHandshake();
                assertEquals("ok", new String(s.getInputStream().readNBytes(2), StandardCharsets.US_ASCII));
            }
            return seen.get(10, TimeUnit.SECONDS);
        }
    }

    private static String pkcs8(Path key) {
        Cmd.Result r = Cmd.run(Duration.ofSeconds(30), List.of("openssl", "pkcs8", "-topk8", "-nocrypt", "-in", key.toString()));
        assertEquals(0, r.exitCode(), r::toString);
        return r.stdout();
    }

    private static SSLContext context(String certPem, String pkcs8Pem, String caPem) throws Exception {
        CertificateFactory cf = CertificateFactory.getInstance("X.509");
        Certificate cert = cf.generateCertificate(new ByteArrayInputStream(certPem.getBytes(StandardCharsets.US_ASCII)));
        Certificate ca = cf.generateCertificate(new ByteArrayInputStream(caPem.getBytes(StandardCharsets.US_ASCII)));
        byte[] der = Base64.getMimeDecoder().decode(pkcs8Pem.replaceAll("-----[A-Z ]+-----", ""));
        PrivateKey key = null;
        for (String alg : List.of("EC", "RSA")) {
            try {
                key = KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(der));
                break;
            } catch (java.security.spec.InvalidKeySpecException e) {
                // the other algorithm
            }
        }
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("me", key, new char[0], new Certificate[] {cert});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX");
        kmf.init(keys, new char[0]);
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", ca);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return ctx;
    }

    private static String decode(Object base64) {
        return new String(Base64.getDecoder().decode((String) base64), StandardCharsets.US_ASCII);
    }

    static List<Call> allCalls(SimCluster cluster) {
        List<Call> all = new ArrayList<>();
        for (SimNode n : cluster.nodes()) all.addAll(n.calls());
        return all;
    }
}
