package io.kubewizard.pki;

import io.kubewizard.answers.Spec.ClusterSpec;
import io.kubewizard.answers.Spec.Host;
import io.kubewizard.testsupport.SystemDeps;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Time to make the full PKI of 3 control planes + 3 external etcd hosts (RSA-2048, 28 keys), against
 * an openssl command-line script that makes the same set (same files, names, extensions and
 * kubeconfigs), measured in the same run. The first generation in a fresh JVM is printed apart: it
 * pays for JIT-compiling BigInteger arithmetic, which takes long when other processes starve the
 * compiler threads. Times on a shared machine are noisy, so the rounds alternate and the best of
 * each side is compared; the ratio is printed, not asserted. The run fails when the script or the
 * generation fails or their file sets differ. Run with {@code mvn -B -o test -Pbenchmark}.
 */
@Tag("benchmark")
class PkiBenchmark {

    @Test
    void kubewizardVersusOpensslScript() throws Exception {
        Path openssl = SystemDeps.require("openssl", "openssl");
        ClusterSpec spec = Specs.external("RSA-2048");
        Path dir = Files.createTempDirectory("kw-pki-bench");

        long t0 = System.nanoTime();
        PkiMaterial cold = ClusterPki.ensure(spec, new PkiStore(dir.resolve("java0")), Clock.systemUTC());
        double coldSeconds = (System.nanoTime() - t0) / 1e9;

        Path script = dir.resolve("pki.sh");
        Files.writeString(script, script(spec, openssl.toString()));
        // Alternating rounds, so load from other processes falls on both sides alike.
        List<Double> scriptRuns = new ArrayList<>();
        List<Double> javaRuns = new ArrayList<>();
        for (int round = 1; round <= ROUNDS; round++) {
            Path out = dir.resolve("openssl" + round);
            t0 = System.nanoTime();
            SystemDeps.Result r = SystemDeps.run(Duration.ofMinutes(10), "bash", script.toString(), out.toString());
            scriptRuns.add((System.nanoTime() - t0) / 1e9);
            assertEquals(0, r.exitCode(), r.output());
            assertEquals(fileSet(dir.resolve("java0")), fileSet(out), "the script makes the same files");

            t0 = System.nanoTime();
            PkiMaterial warm = ClusterPki.ensure(spec, new PkiStore(dir.resolve("java" + round)), Clock.systemUTC());
            javaRuns.add((System.nanoTime() - t0) / 1e9);
            assertEquals(cold.clusterFiles().keySet(), warm.clusterFiles().keySet());
        }
        assertEquals("OK", SystemDeps.run(Duration.ofSeconds(30), openssl.toString(), "verify", "-CAfile",
                dir.resolve("openssl1/cluster/pki/ca.crt").toString(), dir.resolve("openssl1/hosts/cp1/pki/apiserver.crt").toString())
                .output().strip().replaceAll(".*: ", ""));

        double scriptBest = Collections.min(scriptRuns);
        double javaBest = Collections.min(javaRuns);
        System.out.printf(Locale.ROOT, "PKI for 3 control planes + 3 etcd hosts, RSA-2048 (28 keys), %d CPUs, load average %s%n",
                Runtime.getRuntime().availableProcessors(), Files.readString(Path.of("/proc/loadavg")).strip());
        System.out.printf(Locale.ROOT, "  openssl script         best %6.2f s  median %6.2f s  runs %s%n", scriptBest, median(scriptRuns), seconds(scriptRuns));
        System.out.printf(Locale.ROOT, "  kubewizard             best %6.2f s  median %6.2f s  runs %s%n", javaBest, median(javaRuns), seconds(javaRuns));
        System.out.printf(Locale.ROOT, "  kubewizard, first run in a fresh JVM %6.2f s%n", coldSeconds);
        System.out.printf(Locale.ROOT, "  ratio (script / kubewizard): best %.1fx, median %.1fx, first run %.1fx; aim 2x: %s%n",
                scriptBest / javaBest, median(scriptRuns) / median(javaRuns), median(scriptRuns) / coldSeconds,
                scriptBest / javaBest >= 2 ? "met" : "NOT met");
    }

    private static final int ROUNDS = 3;

    private static String seconds(List<Double> runs) {
        return runs.stream().map(d -> String.format(Locale.ROOT, "%.2f", d)).toList().toString();
    }

    private static double median(List<Double> runs) {
        List<Double> sorted = runs.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    private static List<String> fileSet(Path root) throws Exception {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).map(p -> root.relativize(p).toString())
                    .filter(p -> p.endsWith(".crt") || p.endsWith(".key") || p.endsWith(".conf") || p.endsWith(".pub")).sorted().toList();
        }
    }

    /** A sequential bash script, the way such PKIs are usually made by hand, writing the store's layout. */
    private static String script(ClusterSpec spec, String openssl) {
        StringBuilder sb = new StringBuilder("""
                set -euo pipefail
                O=%s
                OUT=$1
                mkdir -p "$OUT/cluster/pki/etcd"
                serial() { printf '0x%%04x%%04x%%04x%%04x' $RANDOM $RANDOM $RANDOM $RANDOM; }
                ca() { # base cn
                  $O genrsa -traditional -out "$1.key" 2048 2>/dev/null
                  $O req -x509 -new -key "$1.key" -subj "/CN=$2" -days 3650 -set_serial "$(serial)" \\
                    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,digitalSignature,keyEncipherment,keyCertSign" \\
                    -addext "subjectKeyIdentifier=hash" -addext "subjectAltName=DNS:$2" -out "$1.crt"
                }
                leaf() { # base ca subject eku sans
                  mkdir -p "$(dirname "$1")"
                  $O genrsa -traditional -out "$1.key" 2048 2>/dev/null
                  $O req -new -key "$1.key" -subj "$3" -out "$1.csr"
                  { echo "basicConstraints=critical,CA:FALSE"; echo "keyUsage=critical,digitalSignature,keyEncipherment"
                    echo "extendedKeyUsage=$4"; echo "subjectKeyIdentifier=hash"; echo "authorityKeyIdentifier=keyid"
                    if [ -n "$5" ]; then echo "subjectAltName=$5"; fi; } > "$1.ext"
                  $O x509 -req -in "$1.csr" -CA "$2.crt" -CAkey "$2.key" -set_serial "$(serial)" -days 365 -extfile "$1.ext" -out "$1.crt" 2>/dev/null
                  rm "$1.csr" "$1.ext"
                }
                kubeconfig() { # file subject user server
                  leaf "$1.client" "$OUT/cluster/pki/ca" "$2" clientAuth ""
                  cat > "$1" <<EOF
                apiVersion: v1
                clusters:
                - cluster:
                    certificate-authority-data: $(base64 -w0 "$OUT/cluster/pki/ca.crt")
                    server: $4
                  name: %s
                contexts:
                - context:
                    cluster: %s
                    user: $3
                  name: $3@%s
                current-context: $3@%s
                kind: Config
                preferences: {}
                users:
                - name: $3
                  user:
                    client-certificate-data: $(base64 -w0 "$1.client.crt")
                    client-key-data: $(base64 -w0 "$1.client.key")
                EOF
                  rm "$1.client.crt" "$1.client.key"
                }
                C=$OUT/cluster
                ca "$C/pki/ca" kubernetes-ca
                ca "$C/pki/front-proxy-ca" kubernetes-front-proxy-ca
                ca "$C/pki/etcd/ca" etcd-ca
                $O genrsa -traditional -out "$C/pki/sa.key" 2048 2>/dev/null
                $O rsa -in "$C/pki/sa.key" -pubout -out "$C/pki/sa.pub" 2>/dev/null
                leaf "$C/pki/apiserver-kubelet-client" "$C/pki/ca" "/O=kubeadm:cluster-admins/CN=kube-apiserver-kubelet-client" clientAuth ""
                leaf "$C/pki/front-proxy-client" "$C/pki/front-proxy-ca" "/CN=front-proxy-client" clientAuth ""
                leaf "$C/pki/apiserver-etcd-client" "$C/pki/etcd/ca" "/O=system:masters/CN=kube-apiserver-etcd-client" clientAuth ""
                leaf "$C/pki/etcd/healthcheck-client" "$C/pki/etcd/ca" "/CN=kube-etcd-healthcheck-client" clientAuth ""
                kubeconfig "$C/admin.conf" "/O=kubeadm:cluster-admins/CN=kubernetes-admin" kubernetes-admin %s
                kubeconfig "$C/super-admin.conf" "/O=system:masters/CN=kubernetes-super-admin" kubernetes-super-admin %s
                """.formatted(openssl, spec.cluster().name(), spec.cluster().name(), spec.cluster().name(), spec.cluster().name(),
                Catalogue.controlPlaneUrl(spec), Catalogue.controlPlaneUrl(spec)));
        for (Host cp : spec.controlPlanes()) {
            String h = "$OUT/hosts/" + cp.name();
            List<String> sans = new ArrayList<>();
            for (String d : Catalogue.apiServerDns(spec, cp)) sans.add("DNS:" + d);
            for (String ip : Catalogue.apiServerIps(spec, cp)) sans.add("IP:" + ip);
            String local = Catalogue.localUrl(cp);
            sb.append("mkdir -p \"").append(h).append("/pki\"\n");
            sb.append("leaf \"").append(h).append("/pki/apiserver\" \"$C/pki/ca\" \"/CN=kube-apiserver\" serverAuth \"")
                    .append(String.join(",", sans)).append("\"\n");
            sb.append("kubeconfig \"").append(h).append("/kubelet.conf\" \"/O=system:nodes/CN=system:node:").append(cp.name())
                    .append("\" system:node:").append(cp.name()).append(' ').append(local).append('\n');
            sb.append("kubeconfig \"").append(h).append("/controller-manager.conf\" \"/CN=system:kube-controller-manager\" system:kube-controller-manager ")
                    .append(local).append('\n');
            sb.append("kubeconfig \"").append(h).append("/scheduler.conf\" \"/CN=system:kube-scheduler\" system:kube-scheduler ")
                    .append(local).append('\n');
        }
        for (Host e : spec.etcdHosts()) {
            String h = "$OUT/hosts/" + e.name();
            String sans = "DNS:" + e.name() + ",DNS:localhost,IP:" + e.internalAddress() + ",IP:127.0.0.1,IP:::1";
            sb.append("leaf \"").append(h).append("/pki/etcd/server\" \"$C/pki/etcd/ca\" \"/CN=kube-etcd\" serverAuth,clientAuth \"").append(sans).append("\"\n");
            sb.append("leaf \"").append(h).append("/pki/etcd/peer\" \"$C/pki/etcd/ca\" \"/CN=kube-etcd-peer\" serverAuth,clientAuth \"").append(sans).append("\"\n");
        }
        return sb.toString();
    }
}
