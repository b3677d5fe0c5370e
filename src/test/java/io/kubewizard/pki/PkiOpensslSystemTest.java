package io.kubewizard.pki;

import io.kubewizard.answers.Spec.ClusterSpec;
import io.kubewizard.testsupport.SystemDeps;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The generated PKI read by the real tools: openssl verifies every leaf against its CA and reports
 * the subject, key usage, extended key usage and SANs of docs/kubeadm.md, "PKI"; every key matches
 * its certificate; kubectl reads every kubeconfig and finds its user, cluster and server.
 */
@Tag("system")
class PkiOpensslSystemTest {

    private static final Duration T = Duration.ofSeconds(30);
    private static final String SERVER = "TLS Web Server Authentication";
    private static final String CLIENT = "TLS Web Client Authentication";
    private static final String BOTH = SERVER + ", " + CLIENT;

    /** What openssl must print for one certificate. */
    record Want(String ca, String subject, String extendedKeyUsage, String sans) {}

    @ParameterizedTest
    @ValueSource(strings = {"RSA-2048", "ECDSA-P256"})
    void opensslAndKubectlAcceptTheWholeSet(String keyAlgorithm) throws Exception {
        Path openssl = SystemDeps.require("openssl", "openssl");
        Path kubectl = SystemDeps.require("kubectl", "kubernetes-client");
        Path dir = Files.createTempDirectory("kw-pki-openssl");
        ClusterSpec spec = Specs.external(keyAlgorithm);
        PkiMaterial pki = ClusterPki.ensure(spec, new PkiStore(dir.resolve("store")), Clock.systemUTC());
        Path out = dir.resolve("out");
        Specs.write(out.resolve("cluster"), pki.clusterFiles());
        pki.hostFiles().forEach((h, files) -> Specs.write(out.resolve(h), files));

        String ipv6Loopback = "IP Address:0:0:0:0:0:0:0:1";
        Map<String, Want> want = new LinkedHashMap<>();
        want.put("cluster/pki/apiserver-kubelet-client", new Want("cluster/pki/ca", "O = kubeadm:cluster-admins, CN = kube-apiserver-kubelet-client", CLIENT, null));
        want.put("cluster/pki/front-proxy-client", new Want("cluster/pki/front-proxy-ca", "CN = front-proxy-client", CLIENT, null));
        want.put("cluster/pki/apiserver-etcd-client", new Want("cluster/pki/etcd/ca", "O = system:masters, CN = kube-apiserver-etcd-client", CLIENT, null));
        want.put("cluster/pki/etcd/healthcheck-client", new Want("cluster/pki/etcd/ca", "CN = kube-etcd-healthcheck-client", CLIENT, null));
        for (int i = 1; i <= 3; i++) {
            want.put("cp" + i + "/pki/apiserver", new Want("cluster/pki/ca", "CN = kube-apiserver", SERVER,
                    "DNS:cp" + i + ", DNS:kubernetes, DNS:kubernetes.default, DNS:kubernetes.default.svc, DNS:kubernetes.default.svc.cluster, "
                            + "DNS:kubernetes.default.svc.cluster.local, IP Address:10.96.0.1, IP Address:10.0.0.1" + i + ", IP Address:10.0.0.100"));
            String etcdSans = "DNS:etcd" + i + ", DNS:localhost, IP Address:10.0.0.3" + i + ", IP Address:127.0.0.1, " + ipv6Loopback;
            want.put("etcd" + i + "/pki/etcd/server", new Want("cluster/pki/etcd/ca", "CN = kube-etcd", BOTH, etcdSans));
            want.put("etcd" + i + "/pki/etcd/peer", new Want("cluster/pki/etcd/ca", "CN = kube-etcd-peer", BOTH, etcdSans));
        }
        // kubeconfig client certificates, extracted to files: file -> (CN/O, user, server)
        Map<String, String[]> kubeconfigs = new LinkedHashMap<>();
        kubeconfigs.put("cluster/admin.conf", new String[] {"O = kubeadm:cluster-admins, CN = kubernetes-admin", "kubernetes-admin", "https://10.0.0.100:8443"});
        kubeconfigs.put("cluster/super-admin.conf", new String[] {"O = system:masters, CN = kubernetes-super-admin", "kubernetes-super-admin", "https://10.0.0.100:8443"});
        for (int i = 1; i <= 3; i++) {
            String local = "https://10.0.0.1" + i + ":6443";
            kubeconfigs.put("cp" + i + "/kubelet.conf", new String[] {"O = system:nodes, CN = system:node:cp" + i, "system:node:cp" + i, local});
            kubeconfigs.put("cp" + i + "/controller-manager.conf", new String[] {"CN = system:kube-controller-manager", "system:kube-controller-manager", local});
            kubeconfigs.put("cp" + i + "/scheduler.conf", new String[] {"CN = system:kube-scheduler", "system:kube-scheduler", local});
        }
        for (Map.Entry<String, String[]> k : kubeconfigs.entrySet()) {
            Path conf = out.resolve(k.getKey());
            String base = k.getKey().replace(".conf", "-client");
            Kubeconfig.Parsed parsed = Kubeconfig.parse(Files.readString(conf));
            Files.writeString(out.resolve(base + ".crt"), parsed.certPem());
            Files.writeString(out.resolve(base + ".key"), parsed.keyPem());
            assertEquals(pki.clusterFiles().get("pki/ca.crt"), parsed.caPem(), k.getKey());
            want.put(base, new Want("cluster/pki/ca", k.getValue()[0], CLIENT, null));

            String view = run(kubectl.toString(), "config", "view", "--kubeconfig", conf.toString(), "-o",
                    "jsonpath={.current-context}|{.contexts[0].context.user}|{.contexts[0].context.cluster}|{.clusters[0].name}|"
                            + "{.clusters[0].cluster.server}|{.users[0].name}");
            String user = k.getValue()[1];
            assertEquals(user + "@ha-external|" + user + "|ha-external|ha-external|" + k.getValue()[2] + "|" + user, view, k.getKey());
            String raw = run(kubectl.toString(), "config", "view", "--raw", "--kubeconfig", conf.toString(), "-o",
                    "jsonpath={.users[0].user.client-certificate-data}");
            assertEquals(parsed.certPem(), new String(Base64.getDecoder().decode(raw), StandardCharsets.US_ASCII), k.getKey());
        }

        List<String> checked = new ArrayList<>();
        for (Map.Entry<String, Want> e : want.entrySet()) {
            Path crt = out.resolve(e.getKey() + ".crt");
            Path key = out.resolve(e.getKey() + ".key");
            Want w = e.getValue();
            assertEquals(crt + ": OK\n", run(openssl.toString(), "verify", "-CAfile", out.resolve(w.ca() + ".crt").toString(), crt.toString()) + "\n");
            String text = run(openssl.toString(), "x509", "-in", crt.toString(), "-noout", "-text");
            assertEquals(w.subject(), field(text, "Subject:"), e.getKey());
            assertEquals("critical", field(text, "X509v3 Key Usage:"), e.getKey());
            assertEquals("Digital Signature, Key Encipherment", valueOf(text, "X509v3 Key Usage:"), e.getKey());
            assertEquals(w.extendedKeyUsage(), valueOf(text, "X509v3 Extended Key Usage:"), e.getKey());
            assertEquals("CA:FALSE", valueOf(text, "X509v3 Basic Constraints:"), e.getKey());
            assertEquals(w.sans(), text.contains("X509v3 Subject Alternative Name:") ? valueOf(text, "X509v3 Subject Alternative Name:") : null, e.getKey());
            assertTrue(text.contains("X509v3 Subject Key Identifier:") && text.contains("X509v3 Authority Key Identifier:"), e.getKey());
            assertKeyMatches(openssl, crt, key);
            checked.add(e.getKey());
        }
        assertEquals(4 + 9 + 2 + 9, checked.size());

        for (String ca : List.of("pki/ca", "pki/front-proxy-ca", "pki/etcd/ca")) {
            Path crt = out.resolve("cluster/" + ca + ".crt");
            String text = run(openssl.toString(), "x509", "-in", crt.toString(), "-noout", "-text");
            assertEquals("critical", field(text, "X509v3 Basic Constraints:"), ca);
            assertEquals("CA:TRUE", valueOf(text, "X509v3 Basic Constraints:"), ca);
            assertEquals("Digital Signature, Key Encipherment, Certificate Sign", valueOf(text, "X509v3 Key Usage:"), ca);
            assertKeyMatches(openssl, crt, out.resolve("cluster/" + ca + ".key"));
        }
        assertEquals(run(openssl.toString(), "pkey", "-in", out.resolve("cluster/pki/sa.key").toString(), "-pubout"),
                run(openssl.toString(), "pkey", "-pubin", "-in", out.resolve("cluster/pki/sa.pub").toString(), "-pubout"));
        // kubeadm's discovery hash, the way its docs compute it
        String der = dir.resolve("ca.pub.der").toString();
        run("sh", "-c", "'" + openssl + "' x509 -in '" + out.resolve("cluster/pki/ca.crt") + "' -pubkey -noout | '" + openssl
                + "' pkey -pubin -outform der -out '" + der + "'");
        assertEquals(pki.caCertHash(), "sha256:" + run("sha256sum", der).split(" ")[0]);
    }

    private static void assertKeyMatches(Path openssl, Path crt, Path key) {
        String fromKey = run(openssl.toString(), "pkey", "-in", key.toString(), "-pubout");
        String fromCert = run(openssl.toString(), "x509", "-in", crt.toString(), "-noout", "-pubkey");
        assertTrue(fromKey.startsWith("-----BEGIN PUBLIC KEY-----"), key.toString());
        assertEquals(fromCert, fromKey, key + " vs " + crt);
    }

    /** The rest of the line after a label: "Subject: O = x, CN = y" gives "O = x, CN = y", an extension header "critical". */
    private static String field(String text, String label) {
        return text.lines().map(String::strip).filter(l -> l.startsWith(label)).findFirst().orElseThrow()
                .substring(label.length()).strip();
    }

    /** The line after an extension header: the extension's value. */
    private static String valueOf(String text, String header) {
        List<String> lines = text.lines().map(String::strip).toList();
        for (int i = 0; i < lines.size() - 1; i++) if (lines.get(i).startsWith(header)) return lines.get(i + 1);
        throw new AssertionError("no " + header + " in\n" + text);
    }

    private static String run(String... command) {
        SystemDeps.Result r = SystemDeps.run(T, command);
        assertEquals(0, r.exitCode(), String.join(" ", command) + ":\n" + r.output());
        return r.output().strip();
    }
}
