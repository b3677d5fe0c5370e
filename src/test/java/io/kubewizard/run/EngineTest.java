package io.kubewizard.run;

import io.kubewizard.answers.Spec.ClusterSpec;
import io.kubewizard.pki.PkiMaterial;
import io.kubewizard.plan.Plan;
import io.kubewizard.run.Event.StepStatus;
import io.kubewizard.run.FakeCluster.Reply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EngineTest {
    @TempDir Path tmp;

    private static final String SHA_A = "a".repeat(64);
    private static final String SHA_B = "b".repeat(64);

    /** Stands for the process dying mid-step: nothing after it runs, nothing is tidied on the host. */
    static final class Crash extends Error {
        Crash() { super("simulated kill -9"); }
    }

    private final ClusterSpec spec = Fixture.spec("ha-stacked");
    private final Plan plan = Engine.whole(spec, PkiMaterial.NONE);

    private FakeCluster hosts() {
        return new FakeCluster(spec, plan).kubeadmWritesFiles();
    }

    private Engine engine(FakeCluster hosts, List<Event> events, int concurrency) {
        return new Engine(hosts, new Masker(), List.of(events::add), Fixture.CLOCK, d -> { },
                new Executor.Options(concurrency, 4, Duration.ofSeconds(2), Duration.ofSeconds(30), Duration.ZERO,
                        Duration.ofMinutes(1)));
    }

    private RunDirectory dir() {
        return RunDirectory.of(tmp, spec);
    }

    @ParameterizedTest(name = "killed in {0} ({1} the command took effect), concurrency {3}")
    @CsvSource({
            "prepare/kernel-modules@cp2, before, modprobe overlay, 1, DONE, 2",
            "prepare/swap@worker1, after, swapoff -a, 10, DONE, 2",
            "control-plane/init@cp1, after, kubeadm init --config, 1, SKIPPED, 1",
            "control-plane/init@cp1, before, kubeadm init --config, 10, DONE, 2",
            "control-plane/join@cp3, after, kubeadm join --config, 10, SKIPPED, 1",
            "cni/apply@cp1, before, kubectl --kubeconfig /etc/kubernetes/admin.conf apply --server-side --force-conflicts -f https://raw.githubusercontent.com/projectcalico/calico/v3.32.2/manifests/operator-crds.yaml, 1, DONE, 2"})
    void aResumeAfterAKillFinishesWithoutRedoingAFinishedStep(String key, String effect, String command, int concurrency,
                                                             StepStatus resumed, int executions) throws Exception {
        String host = key.substring(key.indexOf('@') + 1);
        FakeCluster hosts = hosts();
        boolean[] killed = {false};
        hosts.on(host, c -> c.startsWith(command) && !killed[0], (h, c) -> {
            killed[0] = true;
            if (effect.equals("after")) {
                hosts.done(h, c);
                if (c.startsWith("kubeadm init")) hosts.initWritesFiles(h);
            }
            throw new Crash();
        });
        List<Event> first = Collections.synchronizedList(new ArrayList<>());
        IllegalStateException crash = assertThrows(IllegalStateException.class,
                () -> engine(hosts, first, concurrency).apply(spec, SHA_A, dir(), false, false));
        assertInstanceOf(Crash.class, crash.getCause());
        Journal.History earlier = Journal.read(dir().path());
        assertEquals(StepStatus.RUNNING, earlier.last().get(key), "the journal shows the step cut off");
        Set<String> finished = earlier.last().keySet().stream().filter(earlier::finished).collect(Collectors.toSet());
        assertFalse(finished.isEmpty());

        List<Event> second = Collections.synchronizedList(new ArrayList<>());
        Engine.Outcome outcome = engine(hosts, second, concurrency).apply(spec, SHA_A, dir(), true, false);
        assertEquals(List.of(), outcome.result().failures());
        List<Event.StepChanged> changes = second.stream().filter(e -> e instanceof Event.StepChanged)
                .map(e -> (Event.StepChanged) e).toList();
        for (Event.StepChanged c : changes) {
            if (finished.contains(c.stepKey())) {
                assertEquals("in an earlier run", c.message(), c.stepKey() + " was only reported, not run again");
            }
        }
        assertEquals(finished.size(), changes.stream().filter(c -> "in an earlier run".equals(c.message())).count());
        assertTrue(changes.stream().anyMatch(c -> c.stepKey().equals(key) && c.status() == StepStatus.RUNNING));
        assertEquals(resumed, outcome.result().states().get(key));
        assertEquals(executions, hosts.calls(host, "exec").stream().filter(c -> c.text().startsWith(command)).count(),
                "the killed command ran again only if the step had to run again");
        assertEquals(Engine.plan(spec, PkiMaterial.NONE).steps().size(), outcome.result().states().size(),
                "a resume runs the plan the run began with; the probe is not run again");
        assertTrue(((Event.RunStarted) second.get(0)).resumed());
    }

    @Test
    void aStepKilledAfterWritingItsFilesRunsItsCommandsOnResumeThoughItsCheckPasses() throws Exception {
        FakeCluster hosts = hosts();
        // containerd came running and enabled with its package: runtime/config's check passes before it ever ran.
        hosts.done("cp1", "systemctl daemon-reload", "systemctl enable containerd", "systemctl restart containerd");
        boolean[] killed = {false};
        hosts.on("cp1", c -> c.equals("systemctl restart containerd") && !killed[0], (h, c) -> {
            killed[0] = true;
            throw new Crash();
        });
        assertThrows(IllegalStateException.class, () -> engine(hosts, new ArrayList<>(), 1).apply(spec, SHA_A, dir(), false, false));
        assertEquals(StepStatus.RUNNING, Journal.read(dir().path()).last().get("runtime/config@cp1"));
        int before = hosts.calls("cp1", "exec").size();

        Engine.Outcome outcome = engine(hosts, new ArrayList<>(), 1).apply(spec, SHA_A, dir(), true, false);
        assertEquals(List.of(), outcome.result().failures());
        assertEquals(StepStatus.DONE, outcome.result().states().get("runtime/config@cp1"),
                "config.toml compares equal now, but containerd was never restarted on it");
        assertEquals(List.of("systemctl daemon-reload", "systemctl enable containerd", "systemctl restart containerd"),
                hosts.calls("cp1", "exec").subList(before, hosts.calls("cp1", "exec").size()).stream()
                        .map(FakeCluster.Call::text).filter(c -> c.startsWith("systemctl") && !c.startsWith("systemctl is-"))
                        .limit(3).toList());
    }

    @Test
    void anotherProcessHoldingTheClusterIsRefused() throws Exception {
        RunDirectory dir = dir().create();
        Process holder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), HoldLock.class.getName(), dir.path().toString(), "ha-stacked")
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
            assertEquals("locked", out.readLine());
            FakeCluster hosts = hosts();
            Engine.RefusedException e = assertThrows(Engine.RefusedException.class,
                    () -> engine(hosts, new ArrayList<>(), 10).apply(spec, SHA_A, dir, false, false));
            assertEquals(Engine.Refusal.LOCKED, e.refusal());
            assertEquals("another kubewizard is working on cluster 'ha-stacked' (process " + holder.pid() + "): "
                    + dir.path().resolve("lock") + " is locked; wait for it to finish, or stop it first", e.getMessage());
            assertEquals(List.of(), hosts.calls(), "nothing was touched");
            assertThrows(Engine.RefusedException.class, () -> engine(hosts, new ArrayList<>(), 10).reset(spec, dir));
        } finally {
            holder.getOutputStream().close();
            holder.waitFor();
        }
        assertTrue(engine(hosts(), new ArrayList<>(), 10).apply(spec, SHA_A, dir, false, false).result().ok(),
                "the lock goes with the process that held it");
    }

    @Test
    void aLockHeldInThisProcessIsRefusedToo() throws Exception {
        RunDirectory dir = dir().create();
        try (RunLock held = RunLock.acquire(dir.path(), "ha-stacked")) {
            Engine.RefusedException e = assertThrows(Engine.RefusedException.class,
                    () -> engine(hosts(), new ArrayList<>(), 10).apply(spec, SHA_A, dir, false, false));
            assertEquals(Engine.Refusal.LOCKED, e.refusal());
            assertTrue(e.getMessage().contains("(process " + ProcessHandle.current().pid() + ")"), e.getMessage());
        }
    }

    @Test
    void resumingWithAChangedAnswersFileIsRefusedUnlessForced() throws Exception {
        FakeCluster hosts = hosts().fail("cp1", "kubeadm init", 1, "boom\n");
        assertFalse(engine(hosts, new ArrayList<>(), 10).apply(spec, SHA_A, dir(), false, false).result().ok());
        Engine.RefusedException e = assertThrows(Engine.RefusedException.class,
                () -> engine(hosts(), new ArrayList<>(), 10).apply(spec, SHA_B, dir(), true, false));
        assertEquals(Engine.Refusal.ANSWERS_CHANGED, e.refusal());
        assertEquals("the answers file changed since this run began (the journal has SHA-256 aaaaaaaaaaaa…, the file "
                + "now bbbbbbbbbbbb…): resuming would finish one plan with the steps of another. Run apply without "
                + "--resume to start over (steps whose check finds them done are skipped), or add --force to resume "
                + "with the file as it is now", e.getMessage());

        Engine.Outcome forced = engine(hosts(), new ArrayList<>(), 10).apply(spec, SHA_B, dir(), true, true);
        assertTrue(forced.result().ok(), forced.result().failures()::toString);
        assertEquals(SHA_B, Journal.read(dir().path()).answersSha256(), "a forced resume records the file it used");
        // The next resume compares with what the forced one recorded.
        assertTrue(engine(hosts(), new ArrayList<>(), 10).apply(spec, SHA_B, dir(), true, false).result().ok());
    }

    @Test
    void thereIsNothingToResumeWithoutAJournal() {
        Engine.RefusedException e = assertThrows(Engine.RefusedException.class,
                () -> engine(hosts(), new ArrayList<>(), 10).apply(spec, SHA_A, dir(), true, false));
        assertEquals(Engine.Refusal.NOTHING_TO_RESUME, e.refusal());
        assertEquals("there is no run of cluster 'ha-stacked' to resume (no " + dir().path().resolve("journal.ndjson")
                + "): run apply without --resume", e.getMessage());
    }

    @Test
    void secretsReachTheHostsFilesAndNothingElse() throws Exception {
        String password = "correct-horse-battery-staple";
        FakeCluster hosts = hosts();
        hosts.passwordQuestion = "sudo password for";
        Masker masker = new Masker();
        hosts.prompter(masker.watching(new io.kubewizard.run.TransportFactory.Prompter() {
            public char[] secret(String q) { return password.toCharArray(); }

            public boolean confirm(String q) { return false; }
        }));
        RunDirectory dir = dir().create();
        RunSecrets secrets = RunSecrets.ensure(dir.path(), new java.security.SecureRandom());
        String token = secrets.bootstrapToken();
        String key = secrets.certificateKey();
        // kubeadm prints the join command with the token; a failing command echoes the password.
        hosts.on("cp1", c -> c.startsWith("kubeadm init --config"), (h, c) -> {
            hosts.initWritesFiles(h);
            return new Reply(0, "kubeadm join 10.0.0.100:6443 --token " + token + " --certificate-key " + key + "\n", "");
        });
        hosts.fail("worker2", "swapoff -a", 1, "sudo: " + password + " is wrong, token " + token + "\n");
        List<Event> events = Collections.synchronizedList(new ArrayList<>());
        Path eventsFile = tmp.resolve("events.ndjson");
        Engine.Outcome outcome;
        try (EventsFile file = EventsFile.open(eventsFile, false)) {
            outcome = new Engine(hosts, masker, List.of(events::add, file), Fixture.CLOCK, d -> { },
                    Executor.Options.defaults(10)).apply(spec, SHA_A, dir, false, false);
        }
        assertEquals(List.of("prepare/swap on worker2: swapoff exited 1: sudo: ******** is wrong, token ********"),
                outcome.result().failures());
        assertEquals(List.of(password, password, password, password, password), hosts.prompted);

        List<String> secretValues = List.of(token, token.substring(7), key, password);
        List<String> texts = new ArrayList<>();
        hosts.calls().forEach(c -> texts.add(c.kind() + " " + c.text()));
        events.forEach(e -> texts.add(EventsFile.json(e)));
        texts.add(Files.readString(eventsFile));
        texts.add(Files.readString(dir.path().resolve("events.ndjson")));
        texts.add(Files.readString(dir.path().resolve("journal.ndjson")));
        try (Stream<Path> logs = Files.list(dir.path().resolve("logs"))) {
            for (Path log : logs.toList()) texts.add(Files.readString(log));
        }
        texts.addAll(outcome.result().failures());
        for (String text : texts) {
            for (String secret : secretValues) assertFalse(text.contains(secret), () -> "a secret in: " + text);
        }
        String cp1Log = Files.readString(dir.path().resolve("logs/cp1.log"));
        assertTrue(cp1Log.contains("| kubeadm join 10.0.0.100:6443 --token ******** --certificate-key ********\n"), cp1Log);
        String init = new String(hosts.file("cp1", "/etc/kubernetes/kubeadm/init.yaml"), StandardCharsets.UTF_8);
        assertTrue(init.contains(token) && init.contains(key), "the host's own file holds the real secrets");
        assertEquals(0600, hosts.modes.get("cp1:/etc/kubernetes/kubeadm/init.yaml"));
    }
}
