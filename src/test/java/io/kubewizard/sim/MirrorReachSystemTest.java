package io.kubewizard.sim;

import io.kubewizard.testsupport.MirrorAnswers;
import io.kubewizard.testsupport.SystemDeps;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Preflight's mirror check against a real HTTP server: Python's http.server in the cluster's jump
 * namespace (10.214.n.1) stands for the operator's mirror, and one registry mirror points at a port
 * of that address where nothing listens. The nodes' curl fetches for real over the cluster's
 * network (the stand-in resolves no names, as a node without internet access). Judged from the
 * mirror's access log, the jar's output and exit codes, and what the nodes recorded: preflight names
 * each node and the URL it could not reach, apply stops in preflight with nothing installed, and
 * once the answers point at a mirror that answers, preflight passes.
 */
@Tag("system")
class MirrorReachSystemTest {
    static final Duration RUN_TIMEOUT = Duration.ofMinutes(2);

    @TempDir Path tmp;

    @Test
    void preflightNamesTheNodeAndTheMirrorItCannotReachAndApplyStopsBeforeInstallingAnything() throws Exception {
        SystemDeps.require("python3", "python3");
        try (SimCluster cluster = SimCluster.start(ApplySystemTest.OPTIONS, List.of(SimNode.Spec.debian("node1").withHost(11),
                SimNode.Spec.rocky("node2").withHost(12)))) {
            Path served = Files.createDirectories(tmp.resolve("served/k8s/core:/stable:/v1.35/deb"));
            Files.writeString(served.resolve("Release.key"), MirrorAnswers.KEY);
            String mirror = cluster.address(1);
            try (HttpMirror http = HttpMirror.start(cluster, tmp.resolve("served"), mirror, 8081)) {
                String origin = "http://" + mirror + ":8081";
                String dead = "http://" + mirror + ":8099";
                Kubewizard kw = new Kubewizard(cluster, tmp);
                Path answers = kw.answers("single-node", cluster.knownHosts());
                String text = Files.readString(answers)
                        .replace("\nssh:\n", "\n" + MirrorAnswers.mirrors(tmp.resolve("files")) + "ssh:\n")
                        .replace("https://nexus.corp.example", origin)
                        .replace("https://harbor.corp.example/k8s", origin + "/k8s")
                        .replace("https://hub-mirror.corp.example, https://harbor.corp.example:8443", dead)
                        .replace("https://harbor.corp.example/quay", origin + "/quay")
                        .replace("http://registry.lab.example:5000/ghcr", origin + "/ghcr")
                        .replace("    sha256: {SHA}\n", "    sha256: {calico-v3.32.2-operator-crds.yaml: " + "ab".repeat(32)
                                + ", calico-v3.32.2-tigera-operator.yaml: " + "cd".repeat(32) + "}\n")
                        + "  - name: node2\n    address: " + cluster.node("node2").address() + "\n    internalAddress: "
                        + cluster.node("node2").address() + "\n    roles: [worker]\n    zone: ''\n    labels: {}\n"
                        + "    taints: []\n    ssh: {}\n";
                Files.writeString(answers, text);

                // ---- preflight: both nodes fail on the dead registry mirror, and say which URL
                Cmd.Result pre = kw.run(RUN_TIMEOUT, "preflight", "preflight", "-f", answers.toString(), "--accept-new-host-keys",
                        "--format", "json");
                assertEquals(1, pre.exitCode(), pre::toString);
                @SuppressWarnings("unchecked")
                Map<String, Object> doc = (Map<String, Object>) Json.parse(pre.stdout());
                assertEquals(false, doc.get("passed"));
                Pattern refused = Pattern.compile(Pattern.quote("cannot reach " + dead + "/v2/ (mirrors.registries.docker.io): "
                        + "curl: (7) Failed to connect to " + mirror + " port 8099 after ") + "\\d+" + Pattern.quote(" ms: Couldn't "
                        + "connect to server"));
                for (String node : List.of("node1", "node2")) {
                    Map<String, Object> check = mirrorsCheck(doc, node);
                    assertEquals("fail", check.get("verdict"), check::toString);
                    assertTrue(refused.matcher((String) check.get("detail")).matches(), check::toString);
                }
                // Each node asked the mirror for its own family's repository, the key, the registries' API root
                // (endpoints with a path share their origin's /v2/) and the downloads' base URL.
                String n1 = cluster.node("node1").address();
                String n2 = cluster.node("node2").address();
                String deb = "HEAD /k8s/core:/stable:/v1.35/deb/ ";
                String rpm = "HEAD /k8s/core:/stable:/v1.35/rpm/ ";
                List<String> expected = List.of(n1 + " " + deb + "200", n2 + " " + rpm + "404",
                        n1 + " HEAD /k8s/core:/stable:/v1.35/deb/Release.key 200", n2 + " HEAD /k8s/core:/stable:/v1.35/deb/Release.key 200",
                        n1 + " HEAD /v2/ 404", n2 + " HEAD /v2/ 404", n1 + " HEAD /files/ 404", n2 + " HEAD /files/ 404");
                List<String> log = http.awaitRequests(expected, Duration.ofSeconds(30));
                assertTrue(log.stream().noneMatch(l -> l.startsWith(n1 + " " + rpm)), log::toString);
                assertTrue(log.stream().noneMatch(l -> l.startsWith(n2 + " " + deb)), log::toString);
                assertTrue(log.stream().allMatch(l -> l.startsWith(cluster.node("node1").address() + " ")
                        || l.startsWith(cluster.node("node2").address() + " ")), "only the nodes asked: " + log);
                for (SimNode n : cluster.nodes()) {
                    assertTrue(n.calls().stream().allMatch(c -> c.tool().equals("curl") && c.words().contains("-I")),
                            n.name() + " ran only the checks: " + n.calls());
                }

                // ---- apply stops in preflight, naming the node and the URL, with nothing installed
                int[] before = cluster.nodes().stream().mapToInt(n -> n.calls().size()).toArray();
                Cmd.Result apply = kw.run(RUN_TIMEOUT, "apply", "apply", "-f", answers.toString(), "--plain",
                        "--accept-new-host-keys", "--yes");
                assertEquals(1, apply.exitCode(), apply::toString);
                Pattern failed = Pattern.compile("\\[\\d\\d:\\d\\d] preflight/mirrors on node1: FAILED: " + refused.pattern());
                assertTrue(apply.stdout().lines().anyMatch(l -> failed.matcher(l).matches()), apply.stdout());
                for (int i = 0; i < before.length; i++) {
                    SimNode n = cluster.nodes().get(i);
                    List<Call> since = n.calls().subList(before[i], n.calls().size());
                    assertTrue(!since.isEmpty() && since.stream().allMatch(c -> c.tool().equals("curl") && c.words().contains("-I")),
                            n.name() + " installed nothing: " + since);
                    assertTrue(!Files.exists(n.path("/etc/apt/sources.list.d/kubernetes.list"))
                            && !Files.exists(n.path("/etc/yum.repos.d/kubernetes.repo")), n.name() + ": no repository written");
                }

                // ---- the docker.io mirror moved to one that answers: preflight passes
                Files.writeString(answers, text.replace(dead, origin + "/docker"));
                Cmd.Result fixed = kw.run(RUN_TIMEOUT, "preflight-fixed", "preflight", "-f", answers.toString(),
                        "--accept-new-host-keys", "--format", "json");
                assertEquals(0, fixed.exitCode(), fixed::toString);
                @SuppressWarnings("unchecked")
                Map<String, Object> ok = (Map<String, Object>) Json.parse(fixed.stdout());
                Map<String, Object> check = mirrorsCheck(ok, "node2");
                assertEquals("ok", check.get("verdict"), check::toString);
                assertTrue(((String) check.get("detail")).contains(origin + "/k8s/core:/stable:/v1.35/deb/ not checked: "
                        + "not a deb host; " + origin + "/k8s/core:/stable:/v1.35/rpm/ answered 404; "), check::toString);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> mirrorsCheck(Map<String, Object> doc, String node) {
        for (Object h : (List<Object>) doc.get("hosts")) {
            Map<String, Object> host = (Map<String, Object>) h;
            if (!node.equals(host.get("name"))) continue;
            for (Object c : (List<Object>) host.get("checks")) {
                if ("mirrors".equals(((Map<String, Object>) c).get("name"))) return (Map<String, Object>) c;
            }
            throw new AssertionError(node + " has no mirrors check: " + host);
        }
        throw new AssertionError("no host " + node + " in " + doc);
    }

    /**
     * Python's http.server in the jump namespace, serving a directory; its access log (one line per
     * request on stderr) read as "CLIENT METHOD PATH STATUS".
     */
    static final class HttpMirror implements AutoCloseable {
        private static final Pattern LINE = Pattern.compile("^(\\S+) - - \\[[^]]+] \"(\\S+) (\\S+) HTTP/[0-9.]+\" (\\d{3}) .*$");
        private final Process process;
        private final List<String> requests = new ArrayList<>();

        private HttpMirror(Process process) {
            this.process = process;
        }

        static HttpMirror start(SimCluster cluster, Path dir, String address, int port) throws IOException {
            Process p = new ProcessBuilder("ip", "netns", "exec", cluster.jumpNamespace(), "/usr/bin/python3", "-u", "-m",
                    "http.server", String.valueOf(port), "--bind", address, "--directory", dir.toString())
                    .redirectErrorStream(true).start();
            HttpMirror m = new HttpMirror(p);
            CompletableFuture<Void> serving = new CompletableFuture<>();
            Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = r.readLine()) != null; ) {
                        if (line.startsWith("Serving HTTP on ")) serving.complete(null);
                        var match = LINE.matcher(line);
                        if (match.matches()) {
                            synchronized (m.requests) {
                                m.requests.add(match.group(1) + " " + match.group(2) + " " + match.group(3) + " " + match.group(4));
                                m.requests.notifyAll();
                            }
                        }
                    }
                } catch (IOException e) {
                    serving.completeExceptionally(e);
                }
                serving.completeExceptionally(new IllegalStateException("http.server ended before it served"));
            }, "http-mirror");
            reader.setDaemon(true);
            reader.start();
            try {
                serving.get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                p.destroyForcibly();
                throw new IllegalStateException("the HTTP mirror did not start on " + address + ":" + port, e);
            }
            return m;
        }

        /** The log once it holds every one of {@code expected} (in any order), or a failure naming what is missing. */
        List<String> awaitRequests(List<String> expected, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            synchronized (requests) {
                while (!requests.containsAll(expected)) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        List<String> missing = new ArrayList<>(expected);
                        missing.removeAll(requests);
                        throw new AssertionError("the mirror was never asked " + missing + "; it was asked " + requests);
                    }
                    TimeUnit.NANOSECONDS.timedWait(requests, left);
                }
                return List.copyOf(requests);
            }
        }

        List<String> requests() {
            synchronized (requests) {
                return List.copyOf(requests);
            }
        }

        @Override
        public void close() {
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly();
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
