package io.kubewizard.bench;

import io.kubewizard.testsupport.SystemDeps;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * How long kubewizard takes to start, against a Java hello world measured in the same run, so the
 * figures are ratios that mean the same on a loaded machine as on a quiet one:
 * <ul>
 *   <li>first paint: from starting tmux (100×30, a server of its own) with the command until
 *       capture-pane shows the Welcome page (its title and the Next button), or, for the baseline,
 *       the hello world's line; the wizard's peak resident memory (VmHWM of /proc/PID/status) is
 *       read while it shows Welcome;</li>
 *   <li>{@code --version}, {@code validate -f ha-stacked} and {@code plan} of a generated 100-host
 *       file (offline: it reaches no host): start to exit, with the peak resident memory
 *       /usr/bin/time reports, against the hello world's start to exit.</li>
 * </ul>
 * Each is measured twice: as {@code ./kubewizard} starts the jar (the flags of
 * src/main/jvm/jvm.options and the build's class-data-sharing archive target/kubewizard.jsa) and as a
 * bare {@code java -jar}. Medians of {@link #RUNS} runs, interleaved so load drifts hit every
 * variant alike. Nothing is asserted about time (machines and their load differ); it prints a table.
 * Run with: mvn -B -o package -DskipTests && mvn -B -o test -Pbenchmark -Dtest=StartupBenchmark
 */
@Tag("benchmark")
class StartupBenchmark {
    private static final int RUNS = 11;
    private static final long TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(60);

    @TempDir Path work;

    @Test
    void startUpAgainstAHelloWorldJvm() throws Exception {
        String java = SystemDeps.require("java", "openjdk-17-jre-headless").toString();
        String javac = SystemDeps.require("javac", "openjdk-17-jdk-headless").toString();
        String tmux = SystemDeps.require("tmux", "tmux").toString();
        String time = SystemDeps.require("time", "time").toString();
        Path root = SystemDeps.root();
        Path jar = root.resolve("target/kubewizard.jar");
        Path jsa = root.resolve("target/kubewizard.jsa");
        Path options = root.resolve("src/main/jvm/jvm.options");
        assertTrue(Files.isRegularFile(jar) && Files.isRegularFile(jsa), "run mvn package first: " + jar + ", " + jsa);
        assertTrue(Files.getLastModifiedTime(jsa).compareTo(Files.getLastModifiedTime(jar)) >= 0,
                "the archive is older than the jar; run mvn package again");

        Files.writeString(work.resolve("Hello.java"),
                "public class Hello { public static void main(String[] a) { System.out.println(\"hello, world\"); } }\n");
        assertEquals(0, new ProcessBuilder(javac, "-d", work.toString(), work.resolve("Hello.java").toString())
                .inheritIO().start().waitFor(), "javac Hello.java");
        Path hundred = Files.writeString(work.resolve("hundred.yaml"), ValidateRenderBenchmark.answers(100));

        List<String> hello = List.of(java, "-cp", work.toString(), "Hello");
        List<String> archived = List.of(java, "@" + options, "-XX:SharedArchiveFile=" + jsa, "-jar", jar.toString());
        List<String> bare = List.of(java, "-jar", jar.toString());

        Samples helloPaint = new Samples(), archivedPaint = new Samples(), barePaint = new Samples();
        List<Long> archivedHwm = new ArrayList<>(), bareHwm = new ArrayList<>();
        for (int i = 0; i < RUNS; i++) {
            helloPaint.add(paint(tmux, hello, s -> s.contains("hello, world"), null));
            archivedPaint.add(paint(tmux, archived, StartupBenchmark::welcome, archivedHwm));
            barePaint.add(paint(tmux, bare, StartupBenchmark::welcome, bareHwm));
        }

        String[][] commands = {
                {"--version"},
                {"validate", "-f", "ha-stacked"},
                {"plan", "-f", hundred.toString()},
        };
        Samples helloExit = new Samples();
        List<Samples> archivedExit = new ArrayList<>(), bareExit = new ArrayList<>();
        List<List<Long>> archivedRss = new ArrayList<>(), bareRss = new ArrayList<>();
        for (int c = 0; c < commands.length; c++) {
            archivedExit.add(new Samples());
            bareExit.add(new Samples());
            archivedRss.add(new ArrayList<>());
            bareRss.add(new ArrayList<>());
        }
        for (int i = 0; i < RUNS; i++) {
            helloExit.add(exit(time, hello, new ArrayList<>()));
            for (int c = 0; c < commands.length; c++) {
                archivedExit.get(c).add(exit(time, with(archived, commands[c]), archivedRss.get(c)));
                bareExit.get(c).add(exit(time, with(bare, commands[c]), bareRss.get(c)));
            }
        }

        StringBuilder table = new StringBuilder();
        table.append(String.format(Locale.ROOT, "start-up, median of %d runs (load average at the end: %s)%n", RUNS,
                Files.readString(Path.of("/proc/loadavg")).trim()));
        table.append(String.format(Locale.ROOT, "%-34s | %9s | %7s | %10s | %9s | %7s | %10s%n", "",
                "jsa ms", "× hello", "peak MB", "bare ms", "× hello", "peak MB"));
        table.append(String.format(Locale.ROOT, "%-34s | %9.0f | %7s | %10s | %9s | %7s | %10s%n",
                "hello world: first paint in tmux", helloPaint.median(), "1.00", "", "", "", ""));
        row(table, "wizard: Welcome painted, 100×30", archivedPaint, barePaint, helloPaint, archivedHwm, bareHwm);
        table.append(String.format(Locale.ROOT, "%-34s | %9.0f | %7s | %10s | %9s | %7s | %10s%n",
                "hello world: start to exit", helloExit.median(), "1.00", "", "", "", ""));
        String[] names = {"--version", "validate -f ha-stacked", "plan -f (100 hosts, offline)"};
        for (int c = 0; c < commands.length; c++) {
            row(table, names[c], archivedExit.get(c), bareExit.get(c), helloExit, archivedRss.get(c), bareRss.get(c));
        }
        System.out.print(table);
    }

    private static void row(StringBuilder table, String name, Samples archived, Samples bare, Samples baseline,
                            List<Long> archivedKb, List<Long> bareKb) {
        table.append(String.format(Locale.ROOT, "%-34s | %9.0f | %7.2f | %10.1f | %9.0f | %7.2f | %10.1f%n", name,
                archived.median(), archived.median() / baseline.median(), maxMb(archivedKb),
                bare.median(), bare.median() / baseline.median(), maxMb(bareKb)));
    }

    private static double maxMb(List<Long> kb) {
        return kb.stream().mapToLong(Long::longValue).max().orElse(0) / 1024.0;
    }

    private static List<String> with(List<String> start, String... args) {
        List<String> argv = new ArrayList<>(start);
        argv.addAll(List.of(args));
        return argv;
    }

    private static boolean welcome(String screen) {
        return screen.contains("kubewizard · 1/13 Welcome") && screen.contains("< Next >");
    }

    /**
     * Milliseconds from starting a tmux server running the command until the screen satisfies
     * {@code painted}; with {@code hwm}, the process's VmHWM (kB) is added, read once it has painted.
     */
    private double paint(String tmux, List<String> argv, Predicate<String> painted, List<Long> hwm) throws Exception {
        String socket = "kubewizard-bench-" + UUID.randomUUID();
        Path pidFile = work.resolve("pid-" + socket);
        String command = "echo $$ > " + pidFile + "; exec " + String.join(" ", argv);
        try {
            long start = System.nanoTime();
            run(tmux, "-u", "-L", socket, "new-session", "-d", "-x", "100", "-y", "30", "-c", work.toString(),
                    "env LANG=C.UTF-8 TERM=xterm-256color sh -c '" + command + "'; sleep 600");
            while (true) {
                String screen = run(tmux, "-L", socket, "capture-pane", "-p");
                if (painted.test(screen)) break;
                if (System.nanoTime() - start > TIMEOUT_NANOS) fail("not painted after 60 s: " + argv + "\n" + screen);
            }
            double millis = (System.nanoTime() - start) / 1e6;
            if (hwm != null) hwm.add(vmHwm(Long.parseLong(Files.readString(pidFile).trim())));
            return millis;
        } finally {
            run(tmux, "-L", socket, "kill-server");
        }
    }

    private static long vmHwm(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmHWM:")) return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
        throw new IllegalStateException("no VmHWM for " + pid);
    }

    /** Milliseconds from start to exit (exit code 0 required); /usr/bin/time's peak resident kB is added. */
    private double exit(String time, List<String> argv, List<Long> peakKb) throws Exception {
        Path report = work.resolve("time.txt");
        List<String> command = new ArrayList<>(List.of(time, "-f", "%M", "-o", report.toString()));
        command.addAll(argv);
        long start = System.nanoTime();
        Process p = new ProcessBuilder(command).directory(work.toFile())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("timed out: " + argv);
        }
        double millis = (System.nanoTime() - start) / 1e6;
        assertEquals(0, p.exitValue(), "exit code of " + argv);
        List<String> lines = Files.readAllLines(report);
        peakKb.add(Long.parseLong(lines.get(lines.size() - 1).trim()));
        return millis;
    }

    private static String run(String... argv) throws Exception {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("timed out: " + String.join(" ", argv));
        }
        return new String(out, StandardCharsets.UTF_8);
    }

    private static final class Samples {
        private final List<Double> values = new ArrayList<>();

        void add(double value) { values.add(value); }

        double median() {
            List<Double> sorted = values.stream().sorted().toList();
            int n = sorted.size();
            return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
        }
    }
}
