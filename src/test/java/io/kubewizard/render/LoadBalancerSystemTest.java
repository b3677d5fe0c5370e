package io.kubewizard.render;

import io.kubewizard.answers.Spec.ClusterSpec;
import io.kubewizard.answers.Spec.Host;
import io.kubewizard.testsupport.SystemDeps;
import io.kubewizard.testsupport.SystemDeps.Result;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.kubewizard.render.Fixtures.at;
import static io.kubewizard.render.Fixtures.file;
import static io.kubewizard.render.Fixtures.preset;
import static io.kubewizard.render.Fixtures.yaml;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The rendered load-balancer files, checked by the programs that will read them: haproxy and
 * keepalived parse their configs (and reject a broken copy, so these checks can fail), haproxy runs
 * against real TLS servers standing in for API servers, and the check script runs against one, each
 * inside network, mount and PID namespaces of its own (addresses only there; every process dies with
 * the namespace).
 *
 * <p>kubectl is not used on the static pod manifests: it has no offline validation. Its client-side
 * dry run still asks the API server for discovery ("unable to recognize ... connection refused"), and
 * its {@code --local} commands decode without schema checks (an unknown field such as hostNetwrk, or a
 * string for a boolean, passes). The manifests are checked structurally with SnakeYAML instead.
 */
@Tag("system")
class LoadBalancerSystemTest {

    private static final ClusterSpec SPEC = preset("ha-external-etcd");
    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    @Test
    void haproxyAcceptsEveryRenderedConfigAndRejectsABrokenOne() throws IOException {
        Path haproxy = SystemDeps.require("haproxy", "haproxy");
        List<RenderedFile> files = LoadBalancerConfig.files(SPEC);
        for (Host cp : SPEC.controlPlanes()) {
            Path cfg = write(cp.name() + "-haproxy.cfg", file(files, cp.name(), LoadBalancerConfig.HAPROXY_CFG).content());
            Result r = SystemDeps.run(TIMEOUT, haproxy.toString(), "-c", "-f", cfg.toString());
            assertEquals(new Result(0, "Configuration file is valid\n"), r, cp.name());
        }
        String good = file(files, "cp1", LoadBalancerConfig.HAPROXY_CFG).content();
        Path broken = write("broken-haproxy.cfg", replaceOnce(good, "http-check connect ssl", "http-check connect sssl"));
        Result r = SystemDeps.run(TIMEOUT, haproxy.toString(), "-c", "-f", broken.toString());
        assertEquals(1, r.exitCode(), r.output());
        int line = good.substring(0, good.indexOf("http-check connect ssl")).split("\n", -1).length;
        assertTrue(r.output().contains("parsing [" + broken + ":" + line + "] : 'http-check connect' : expects"), r.output());
        assertTrue(r.output().contains("but got 'sssl' as argument"), r.output());
    }

    @Test
    void haproxyHealthChecksOverTlsAndSendsConnectionsOnlyToHealthyApiServers() throws IOException {
        requireNamespaceTools();
        SystemDeps.require("haproxy", "haproxy");
        SystemDeps.require("openssl", "openssl");
        SystemDeps.require("curl", "curl");
        Path cfg = write("haproxy.cfg", file(LoadBalancerConfig.files(SPEC), "cp1", LoadBalancerConfig.HAPROXY_CFG).content());
        // cp1 and cp2 answer /healthz with 200 and their name; cp3 answers 500, as an unhealthy API server
        // does, so only "http-check expect status 200" can keep connections away from it. (s_server -HTTP
        // sends the file as the whole response, status line included.)
        String script = """
                set -eu
                cd "%1$s"
                ip link set lo up
                for a in 10.0.0.11 10.0.0.12 10.0.0.13; do ip addr add $a/32 dev lo; done
                openssl req -x509 -newkey rsa:2048 -nodes -keyout key.pem -out cert.pem -subj /CN=apiserver -days 1 2>/dev/null
                for n in 1 2 3; do
                    mkdir -p cp$n
                    if [ $n != 3 ]; then status="200 OK"; else status="500 Internal Server Error"; fi
                    printf 'HTTP/1.0 %%s\r\nContent-Type: text/plain\r\n\r\ncp%%s\n' "$status" $n > cp$n/healthz
                    (cd cp$n && exec openssl s_server -quiet -HTTP -accept 10.0.0.1$n:6443 -cert ../cert.pem -key ../key.pem >/dev/null 2>&1) &
                done
                # haproxy's first failed check marks a server DOWN and 'rise' passed checks bring it back:
                # start it only once every server speaks TLS, so that only cp3's 500 can mark one down.
                for n in 1 2 3; do
                    for i in $(seq 100); do curl -sk --max-time 2 -o /dev/null https://10.0.0.1$n:6443/healthz && break; sleep 0.1; done
                done
                haproxy -db -f "%2$s" > haproxy.log 2>&1 &
                # Until every one of six connections lands on a healthy server (cp3 is UP until its first
                # check), bounded at 30 s.
                for round in $(seq 60); do
                    out=""
                    for i in 1 2 3 4 5 6; do
                        out="$out $(curl -sfk --max-time 2 https://127.0.0.1:8443/healthz || echo FAIL)"
                    done
                    case "$out" in *FAIL*) sleep 0.5 ;; *) break ;; esac
                done
                echo "answers:$out"
                """.formatted(dir, cfg);
        Result r = inNamespaces(script);
        assertEquals(0, r.exitCode(), r.output());
        List<String> answers = List.of(lastLine(r.output()).substring("answers: ".length()).split(" "));
        assertEquals(6, answers.size(), r.output());
        assertEquals(3, answers.stream().filter("cp1"::equals).count(), r.output());
        assertEquals(3, answers.stream().filter("cp2"::equals).count(), r.output());
        for (int i = 1; i < answers.size(); i++) {
            assertTrue(!answers.get(i).equals(answers.get(i - 1)), "round robin alternates: " + answers);
        }
    }

    @Test
    void keepalivedAcceptsEveryRenderedConfigAndRejectsABrokenOne() throws IOException {
        requireNamespaceTools();
        SystemDeps.require("keepalived", "keepalived");
        List<RenderedFile> files = LoadBalancerConfig.files(SPEC);
        for (Host cp : SPEC.controlPlanes()) {
            Path etc = keepalivedDir(cp.name(), file(files, cp.name(), LoadBalancerConfig.KEEPALIVED_CONF).content(),
                    file(files, cp.name(), LoadBalancerConfig.CHECK_SCRIPT).content());
            Result r = keepalivedConfigTest(etc);
            assertEquals(new Result(0, ""), r, cp.name());
        }
        String good = file(files, "cp2", LoadBalancerConfig.KEEPALIVED_CONF).content();
        String id = "virtual_router_id " + LoadBalancerConfig.virtualRouterId(SPEC.cluster().name());
        Path etc = keepalivedDir("broken", replaceOnce(good, id, "virtual_router_id 256"),
                file(files, "cp2", LoadBalancerConfig.CHECK_SCRIPT).content());
        Result r = keepalivedConfigTest(etc);
        assertEquals(5, r.exitCode(), r.output());
        assertTrue(r.output().contains("number '256' outside range [1, 255]"), r.output());
    }

    @Test
    void checkScriptIsValidShellAndFailsWhenTheVipDoesNotAnswer() throws IOException {
        requireNamespaceTools();
        SystemDeps.require("openssl", "openssl");
        SystemDeps.require("curl", "curl");
        String content = file(LoadBalancerConfig.files(SPEC), "cp1", LoadBalancerConfig.CHECK_SCRIPT).content();
        Path script = write("check_apiserver.sh", content);
        Path bash = SystemDeps.require("bash", "bash");
        Path sh = SystemDeps.require("dash", "dash");
        assertEquals(new Result(0, ""), SystemDeps.run(TIMEOUT, bash.toString(), "-n", script.toString()));
        assertEquals(new Result(0, ""), SystemDeps.run(TIMEOUT, sh.toString(), "-n", script.toString()));
        Path broken = write("broken-check.sh", content.substring(0, content.lastIndexOf("fi\n")));
        Result r = SystemDeps.run(TIMEOUT, bash.toString(), "-n", broken.toString());
        assertEquals(2, r.exitCode(), r.output());
        assertTrue(r.output().contains("syntax error: unexpected end of file"), r.output());

        // A TLS /healthz on localhost only: healthy until this node holds the VIP, which does not answer.
        String run = """
                set -u
                cd "%1$s"
                ip link set lo up
                openssl req -x509 -newkey rsa:2048 -nodes -keyout key.pem -out cert.pem -subj /CN=apiserver -days 1 2>/dev/null
                echo ok > healthz
                openssl s_server -quiet -WWW -accept 127.0.0.1:8443 -cert cert.pem -key key.pem >/dev/null 2>&1 &
                for i in $(seq 100); do curl -sfk https://127.0.0.1:8443/healthz >/dev/null && break; sleep 0.1; done
                sh "%2$s"; echo "without vip: $?"
                ip addr add 10.0.0.100/32 dev lo
                sh "%2$s"; echo "holding vip: $?"
                """.formatted(dir, script);
        Result live = inNamespaces(run);
        assertEquals(new Result(0, "without vip: 0\n*** Error GET https://10.0.0.100:8443/healthz\nholding vip: 1\n"), live);
    }

    @Test
    void staticPodManifestsMountFilesRenderedForTheSameHost() {
        List<RenderedFile> files = LoadBalancerConfig.files(SPEC);
        for (Host cp : SPEC.controlPlanes()) {
            for (String manifest : List.of(LoadBalancerConfig.HAPROXY_MANIFEST, LoadBalancerConfig.KEEPALIVED_MANIFEST)) {
                Map<String, Object> pod = yaml(file(files, cp.name(), manifest).content());
                assertEquals("v1", pod.get("apiVersion"));
                assertEquals("Pod", pod.get("kind"));
                assertEquals("kube-system", at(pod, "metadata", "namespace"));
                assertEquals(true, at(pod, "spec", "hostNetwork"));
                List<Map<String, Object>> containers = at(pod, "spec", "containers");
                assertEquals(1, containers.size());
                List<Map<String, Object>> volumes = at(pod, "spec", "volumes");
                List<Map<String, Object>> mounts = at(containers.get(0), "volumeMounts");
                assertEquals(volumes.size(), mounts.size(), manifest);
                for (Map<String, Object> v : volumes) {
                    String hostPath = at(v, "hostPath", "path");
                    assertEquals("File", at(v, "hostPath", "type"));
                    file(files, cp.name(), hostPath);
                    assertEquals(1, mounts.stream().filter(m -> v.get("name").equals(m.get("name"))).count(), hostPath);
                }
            }
        }
        List<RenderedFile> kubeVip = LoadBalancerConfig.files(preset("ha-stacked"));
        List<String> kubeconfigs = new ArrayList<>();
        for (RenderedFile f : kubeVip) {
            Map<String, Object> pod = yaml(f.content());
            assertEquals("Pod", pod.get("kind"));
            assertEquals(true, at(pod, "spec", "hostNetwork"));
            kubeconfigs.add(at(pod, "spec", "volumes", 0, "hostPath", "path"));
        }
        assertEquals(List.of("/etc/kubernetes/super-admin.conf", "/etc/kubernetes/admin.conf", "/etc/kubernetes/admin.conf"),
                kubeconfigs, "kubeconfigs that kubeadm writes, not kubewizard");
    }

    private void requireNamespaceTools() {
        SystemDeps.requireRoot();
        SystemDeps.require("unshare", "util-linux");
        SystemDeps.require("ip", "iproute2");
    }

    /** keepalived reads /etc/keepalived; a private mount namespace shows it DIR instead, and a private eth0. */
    private Result keepalivedConfigTest(Path etcKeepalived) {
        return inNamespaces("""
                set -e
                mount --bind "%s" /etc/keepalived
                ip link add eth0 type veth peer name peer0
                exec keepalived --config-test -f /etc/keepalived/keepalived.conf
                """.formatted(etcKeepalived));
    }

    /** Runs a bash script as PID 1 of new network, mount and PID namespaces: its children die with it. */
    private Result inNamespaces(String script) {
        try {
            Path file = Files.createTempFile(dir, "ns-", ".sh");
            Files.writeString(file, script);
            return SystemDeps.run(TIMEOUT, "unshare", "--net", "--mount", "--pid", "--fork", "--mount-proc",
                    "bash", file.toString());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private Path keepalivedDir(String name, String conf, String script) throws IOException {
        Path etc = Files.createDirectory(dir.resolve(name + "-keepalived"));
        Files.writeString(etc.resolve("keepalived.conf"), conf);
        Path check = etc.resolve("check_apiserver.sh");
        Files.writeString(check, script);
        // enable_script_security refuses scripts that anyone but root could change.
        Files.setPosixFilePermissions(etc, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(check, PosixFilePermissions.fromString("rwxr-xr-x"));
        return etc;
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content);
    }

    private static String replaceOnce(String text, String old, String replacement) {
        assertEquals(text.indexOf(old), text.lastIndexOf(old), "exactly one '" + old + "'");
        assertTrue(text.contains(old), "'" + old + "' in\n" + text);
        return text.replace(old, replacement);
    }

    private static String lastLine(String output) {
        String[] lines = output.strip().split("\n");
        return lines[lines.length - 1];
    }
}
