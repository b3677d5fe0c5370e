package io.kubewizard.sim;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The node's process 1 and the files it is built from. The JVM holds the write end of its stdin:
 * closing it (or the JVM dying) ends process 1, and the kernel then kills everything else in the
 * node's PID namespace.
 */
final class NodeProcess {
    private static final List<String> HOST_KEY_TYPES = List.of("ed25519", "ecdsa");

    private final String netns;
    private final Path dir;
    private final Process process;
    private final long initPid;
    private final OutputStream stdin;

    private NodeProcess(String netns, Path dir, Process process, long initPid) {
        this.netns = netns;
        this.dir = dir;
        this.process = process;
        this.initPid = initPid;
        this.stdin = process.getOutputStream();
    }

    String netns() { return netns; }

    long initPid() { return initPid; }

    boolean isAlive() { return process.isAlive(); }

    /** Generates the node's host keys into state/ssh. */
    static void makeHostKeys(Path dir) {
        Path ssh = dir.resolve("state/ssh");
        for (String type : HOST_KEY_TYPES) {
            Path key = ssh.resolve("ssh_host_" + type + "_key");
            try {
                Files.deleteIfExists(key);
                Files.deleteIfExists(Path.of(key + ".pub"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Cmd.run(Duration.ofSeconds(30), "ssh-keygen", "-q", "-t", type, "-N", "", "-C", "", "-f", key.toString()).ok();
        }
    }

    static String sshdConfig() {
        StringBuilder sb = new StringBuilder("""
                # A simulated node's sshd: root by key only, MaxStartups left at its default.
                Port 22
                ListenAddress 0.0.0.0
                PermitRootLogin prohibit-password
                PubkeyAuthentication yes
                PasswordAuthentication no
                KbdInteractiveAuthentication no
                UsePAM no
                AuthorizedKeysFile /var/lib/kw-sim/ssh/authorized_keys
                PidFile none
                UseDNS no
                PrintMotd no
                PrintLastLog no
                LogLevel VERBOSE
                Subsystem sftp internal-sftp
                """);
        for (String type : HOST_KEY_TYPES) sb.append("HostKey /var/lib/kw-sim/ssh/ssh_host_").append(type).append("_key\n");
        return sb.toString();
    }

    /** The public host keys, "type base64" each. */
    List<String> hostKeyLines() {
        return hostKeyLines(dir);
    }

    static List<String> hostKeyLines(Path dir) {
        List<String> lines = new ArrayList<>();
        for (String type : HOST_KEY_TYPES) {
            String pub = SimNode.read(dir.resolve("state/ssh/ssh_host_" + type + "_key.pub")).trim();
            String[] parts = pub.split(" ");
            lines.add(parts[0] + " " + parts[1]);
        }
        return lines;
    }

    /** New keys on disk, then SIGHUP: sshd re-executes itself and reads them. */
    void rotateHostKeys() {
        makeHostKeys(dir);
        Cmd.run(Duration.ofSeconds(10), "nsenter", "-t", String.valueOf(initPid), "-m", "-p", "--",
                "/bin/sh", "-c", "kill -HUP \"$(cat /var/lib/kw-sim/sshd.pid)\"").ok();
    }

    static NodeProcess start(String netns, Path dir, Path lib, Map<String, String> env, Duration timeout) {
        ProcessBuilder pb = new ProcessBuilder("ip", "netns", "exec", netns, "unshare", "--mount", "--uts", "--pid",
                "--fork", "--kill-child", "/bin/bash", lib.resolve("node-init.sh").toString());
        pb.environment().clear();
        pb.environment().put("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        pb.environment().putAll(env);
        Path initLog = dir.resolve("log/init.log");
        pb.redirectError(initLog.toFile());
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start node in " + netns, e);
        }
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<String> ready = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try {
                ready.complete(out.readLine());
            } catch (IOException e) {
                ready.complete(null);
            }
        }, "kw-sim-ready-" + netns);
        reader.setDaemon(true);
        reader.start();
        String line;
        try {
            line = ready.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            line = null;
        }
        if (!"ready".equals(line)) {
            p.destroyForcibly();
            throw new IllegalStateException("node " + netns + " did not start: " + SimNode.read(initLog));
        }
        long init = p.toHandle().children().findFirst().map(ProcessHandle::pid)
                .orElseThrow(() -> new IllegalStateException("node " + netns + " has no process 1"));
        return new NodeProcess(netns, dir, p, init);
    }

    void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Ends the node: EOF on process 1's stdin, and SIGKILL if it is still there after the grace period. */
    void stop(Duration grace) {
        try {
            stdin.close();
        } catch (IOException ignored) {
            // Already closed: the node is ending or has ended.
        }
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) kill();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill();
        }
    }
}
