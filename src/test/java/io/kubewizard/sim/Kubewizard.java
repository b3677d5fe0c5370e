package io.kubewizard.sim;

import io.kubewizard.testsupport.SystemDeps;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real jar, run as an operator on a jump host would run it: inside the cluster's
 * {@link SimCluster#jumpNamespace()}, so it reaches every node at its own address on port 22.
 * Each run has a working directory (the run directory {@code ./.kubewizard/<cluster>} lands there)
 * and its stdout and stderr go to files in it, so a killed run leaves what it printed.
 */
public final class Kubewizard {
    private final SimCluster cluster;
    private final Path workDir;
    /** Where /usr/bin/time writes each run's peak resident memory (kB), or null: see {@link #measurePeakMemory}. */
    private Path peakMemory;

    public Kubewizard(SimCluster cluster, Path workDir) {
        this.cluster = cluster;
        this.workDir = workDir;
    }

    public Path workDir() { return workDir; }

    /** The run directory the jar uses for {@code clusterName} from this working directory. */
    public Path runDirectory(String clusterName) { return workDir.resolve(".kubewizard").resolve(clusterName); }

    public static Path jar() {
        Path jar = Path.of(System.getProperty("kubewizard.jar", SystemDeps.root().resolve("target/kubewizard.jar").toString()));
        if (!Files.isRegularFile(jar)) throw new IllegalStateException("run after mvn package: " + jar);
        return jar;
    }

    /**
     * The named preset made to fit {@code cluster}: its 10.0.0.x addresses moved onto the cluster's
     * subnet (a preset's host .11 becomes the node created {@code withHost(11)}), SSH as root with
     * the harness's client key and {@code knownHosts}, and no agent. Written into the working directory.
     */
    public Path answers(String preset, Path knownHosts) {
        try {
            String text = Files.readString(SystemDeps.root().resolve("presets/" + preset + ".yaml"));
            String prefix = cluster.address(0).substring(0, cluster.address(0).lastIndexOf('.') + 1);
            text = text.replace("10.0.0.", prefix)
                    .replace("identityFile: ~/.ssh/id_ed25519", "identityFile: " + cluster.clientKey())
                    .replace("knownHostsFile: ~/.ssh/known_hosts", "knownHostsFile: " + knownHosts)
                    .replace("useAgent: true", "useAgent: false");
            return Files.writeString(workDir.resolve(preset + ".yaml"), text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A started jar; stdout and stderr are written to {@code <name>.out} and {@code <name>.err}. */
    public final class Running {
        private final Process process;
        private final Path out;
        private final Path err;
        private final List<String> command;

        private Running(Process process, Path out, Path err, List<String> command) {
            this.process = process;
            this.out = out;
            this.err = err;
            this.command = command;
        }

        public long pid() { return process.pid(); }

        public boolean isAlive() { return process.isAlive(); }

        public String stdoutSoFar() { return read(out); }

        public String stderrSoFar() { return read(err); }

        /** SIGKILL to the JVM itself (ip netns exec execs it, so the pid is the JVM's). */
        public void kill9() {
            process.destroyForcibly();
            try {
                process.waitFor(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        public Cmd.Result await(Duration timeout) {
            try {
                if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                    throw new IllegalStateException("timed out after " + timeout + ": " + String.join(" ", command)
                            + "\nstdout so far: " + read(out) + "\nstderr so far: " + read(err));
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted: " + command, e);
            }
            return new Cmd.Result(command, process.exitValue(), read(out), read(err));
        }
    }

    /**
     * The JVM flags ./kubewizard starts the jar with: src/main/jvm/jvm.options and the build's
     * class-data-sharing archive beside the jar (made by the same java, pom.xml's cds-archive). The
     * tests run the product as users start it, and each of their many starts maps the archive instead
     * of loading every class again. Without the archive (a jar given by -Dkubewizard.jar), the flags alone.
     */
    static List<String> launchOptions() {
        List<String> options = new ArrayList<>(List.of("@" + SystemDeps.root().resolve("src/main/jvm/jvm.options")));
        Path jsa = jar().resolveSibling("kubewizard.jsa");
        if (Files.isRegularFile(jsa)) options.add("-XX:SharedArchiveFile=" + jsa);
        // for a look inside a run (a benchmark's): -Dkubewizard.jvmArgs='-XX:StartFlightRecording=filename=/tmp/kw.jfr'
        String extra = System.getProperty("kubewizard.jvmArgs", "").strip();
        if (!extra.isEmpty()) options.addAll(List.of(extra.split("\\s+")));
        return options;
    }

    /**
     * From now on each run goes through {@code /usr/bin/time}, which writes the JVM's peak resident
     * memory in kB (its maximum resident set size, exact at exit) into this file; {@link #peakMemoryMb} reads it.
     */
    public void measurePeakMemory(Path file) {
        SystemDeps.require("time", "time");
        peakMemory = file;
    }

    /** The last run's peak resident memory in MB (see {@link #measurePeakMemory}). */
    public double peakMemoryMb() throws IOException {
        return Long.parseLong(Files.readString(peakMemory).strip()) / 1024.0;
    }

    /** Starts {@code java -jar kubewizard.jar args...} in the jump namespace, as ./kubewizard does; stdin is closed. */
    public Running start(String name, String... args) {
        String java = SystemDeps.require("java", "openjdk-17-jre-headless").toString();
        List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", cluster.jumpNamespace()));
        if (peakMemory != null) {
            command.addAll(List.of(SystemDeps.require("time", "time").toString(), "-f", "%M", "-o", peakMemory.toString()));
        }
        command.add(java);
        command.addAll(launchOptions());
        command.addAll(List.of("-jar", jar().toString()));
        command.addAll(List.of(args));
        Path out = workDir.resolve(name + ".out");
        Path err = workDir.resolve(name + ".err");
        ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        // A fixed, plain console: no colours, no locale surprises in asserted messages.
        pb.environment().put("NO_COLOR", "1");
        pb.environment().put("LANG", "C.UTF-8");
        pb.environment().put("TERM", "dumb");
        pb.environment().remove("SSH_AUTH_SOCK");
        try {
            return new Running(pb.start(), out, err, List.copyOf(command));
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + command, e);
        }
    }

    /** Runs the jar to its end. */
    public Cmd.Result run(Duration timeout, String name, String... args) {
        return start(name, args).await(timeout);
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
