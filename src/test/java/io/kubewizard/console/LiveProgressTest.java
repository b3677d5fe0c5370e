package io.kubewizard.console;

import io.kubewizard.run.Event;
import io.kubewizard.run.Event.StepStatus;
import org.jline.terminal.Attributes;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.terminal.impl.DumbTerminal;
import org.jline.terminal.impl.ExternalTerminal;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LiveProgressTest {
    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    /** A clock the test moves. */
    static final class TestClock extends Clock {
        Instant now = T0;

        public ZoneId getZone() { return ZoneOffset.UTC; }

        public Clock withZone(ZoneId zone) { return this; }

        public Instant instant() { return now; }
    }

    static Instant at(int seconds) { return T0.plusSeconds(seconds); }

    static Event.StepChanged step(int s, String id, String host, StepStatus status, String message) {
        return new Event.StepChanged(at(s), id + "@" + host, id, host, "title of " + id, status, message);
    }

    private static Terminal terminal(ByteArrayOutputStream out, String type) throws Exception {
        ExternalTerminal t = new ExternalTerminal("test", type, new ByteArrayInputStream(new byte[0]), out, StandardCharsets.UTF_8);
        t.setSize(new Size(60, 16));
        return t;
    }

    @Test
    void theFrameIsRedrawnInPlaceWithPhasesHostsAndTimes() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Terminal terminal = terminal(bytes, "xterm-256color");
        TestClock clock = new TestClock();
        LiveProgress live = new LiveProgress(terminal, clock, false);
        live.on(new Event.RunStarted(T0, "lab", List.of("connect", "prepare", "control-plane/init"), List.of("cp1", "worker1"), false));
        live.on(new Event.PhaseStarted(T0, "connect", "Connect to every host"));
        live.on(step(0, "connect", "cp1", StepStatus.RUNNING, null));
        live.on(step(0, "connect", "worker1", StepStatus.RUNNING, null));
        clock.now = at(2);
        live.on(step(2, "connect", "cp1", StepStatus.DONE, null));
        String afterConnect = String.join("\n", new VirtualScreen(16, 60).play(bytes.toString(StandardCharsets.UTF_8)).text());
        assertEquals("""
                Cluster lab · 00:02
                ⠋ Connect to every host
                · prepare
                · control-plane/init
                  cp1      ✓ connect
                  worker1  ⠋ connect 00:02""", afterConnect);

        clock.now = at(75);
        live.on(step(75, "connect", "worker1", StepStatus.DONE, null));
        live.on(new Event.PhaseFinished(at(75), "connect", true));
        live.on(new Event.PhaseStarted(at(75), "prepare", "Prepare the nodes"));
        live.on(step(75, "prepare/swap", "cp1", StepStatus.RUNNING, null));
        live.on(step(75, "prepare/swap", "worker1", StepStatus.RUNNING, null));
        clock.now = at(80).plusMillis(300);
        live.on(step(80, "prepare/swap", "worker1", StepStatus.FAILED, "swapoff exited 1: busy"));
        live.on(new Event.Output(at(80), "cp1", "prepare/swap@cp1", "this never shows", false));
        live.on(step(81, "prepare/swap", "cp1", StepStatus.DONE, null));
        live.on(new Event.PhaseFinished(at(81), "prepare", false));
        live.on(step(81, "control-plane/init", "worker1", StepStatus.BLOCKED, "waits for prepare/swap@worker1, which failed"));
        clock.now = at(81);
        live.on(new Event.RunFinished(at(81), false, List.of("prepare/swap on worker1: swapoff exited 1: busy"), null));
        live.close();
        VirtualScreen screen = new VirtualScreen(16, 60).play(bytes.toString(StandardCharsets.UTF_8));
        assertEquals("""
                Cluster lab · 01:21
                ✓ Connect to every host
                ✗ Prepare the nodes
                · control-plane/init
                  cp1      ✓ prepare/swap
                  worker1  ✗ prepare/swap: swapoff exited 1: busy
                Failed: 1 step.
                  prepare/swap on worker1: swapoff exited 1: busy""", String.join("\n", screen.text()));
        String raw = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(raw.contains("\u001b[A") || raw.contains("\u001b[2A") || raw.contains("\u001b[5A"),
                "earlier lines are rewritten by moving the cursor up, not by printing the frame again");
        assertEquals(1, raw.split("Cluster lab", -1).length - 1, "the heading is written once and then only changed");
    }

    @Test
    void linesAreCutToTheTerminalsWidth() throws Exception {
        ProgressModel m = new ProgressModel();
        m.apply(new Event.RunStarted(T0, "lab", List.of("connect"), List.of("a-very-long-host-name-indeed"), false));
        m.apply(step(3, "connect", "a-very-long-host-name-indeed", StepStatus.FAILED,
                "connect timed out after 10s (gave up after 4 attempts)"));
        List<String> lines = LiveProgress.lines(m, at(4), 40, 24).stream().map(Object::toString).toList();
        assertEquals(List.of("Cluster lab · 00:04", "· connect", "  a-very-long-host-name-indeed  ✗ conne"), lines,
                "39 columns: the last one stays free, so no line wraps");
    }

    @Test
    void hostsThatDoNotFitAreCountedFailingAndBusyOnesShown() {
        ProgressModel m = new ProgressModel();
        List<String> hosts = java.util.stream.IntStream.rangeClosed(1, 40).mapToObj(i -> "w" + i).toList();
        m.apply(new Event.RunStarted(T0, "big", List.of("workers/join"), hosts, false));
        m.apply(new Event.PhaseStarted(T0, "workers/join", "Join the workers"));
        for (int i = 1; i <= 40; i++) {
            StepStatus status = i == 33 ? StepStatus.FAILED : i % 10 == 0 ? StepStatus.RUNNING : StepStatus.DONE;
            m.apply(step(1, "workers/join", "w" + i, status, status == StepStatus.FAILED ? "kubeadm exited 1" : null));
        }
        List<String> lines = LiveProgress.lines(m, at(2), 60, 10).stream().map(Object::toString).toList();
        assertEquals(List.of("Cluster big · 00:02", "⠋ Join the workers", "  w1   ✓ workers/join", "  w10  ⠋ workers/join 00:01",
                "  w20  ⠋ workers/join 00:01", "  w30  ⠋ workers/join 00:01", "  w33  ✗ workers/join: kubeadm exited 1",
                "  w40  ⠋ workers/join 00:01", "  … 34 more hosts"), lines);
        assertEquals(9, lines.size(), "the frame keeps one of the 10 rows free");
    }

    @Test
    void aDumbTerminalGetsPlainLines() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Terminal dumb = new DumbTerminal("test", Terminal.TYPE_DUMB, new ByteArrayInputStream(new byte[0]), bytes,
                StandardCharsets.UTF_8);
        Console console = Console.on(dumb, false, Clock.systemUTC(), false);
        assertInstanceOf(PlainProgress.class, console.progress());
        console.progress().on(new Event.RunStarted(T0, "lab", List.of("connect"), List.of("cp1"), false));
        console.progress().on(step(1, "connect", "cp1", StepStatus.DONE, null));
        console.close();
        assertEquals("Cluster lab: 1 host, 1 phase.\n[00:01] connect on cp1: done\n",
                bytes.toString(StandardCharsets.UTF_8).replace("\r\n", "\n"));
        ByteArrayOutputStream xterm = new ByteArrayOutputStream();
        assertInstanceOf(LiveProgress.class, Console.on(terminal(xterm, "xterm-256color"), false, Clock.systemUTC(), false).progress());
        assertInstanceOf(PlainProgress.class, Console.on(terminal(xterm, "xterm-256color"), true, Clock.systemUTC(), false).progress());
    }

    @Test
    void questionsAreAnsweredOnTheTerminalAndSecretsAreNotEchoed() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        // As a terminal in raw mode: only what the program writes shows, never the keys as they are typed.
        Attributes raw = new Attributes();
        raw.setLocalFlag(Attributes.LocalFlag.ECHO, false);
        ExternalTerminal t = new ExternalTerminal(null, "test", "xterm-256color",
                new ByteArrayInputStream("s3cret-pw\ny\nno\n".getBytes(StandardCharsets.UTF_8)), bytes, StandardCharsets.UTF_8,
                Terminal.SignalHandler.SIG_DFL, false, raw, new Size(60, 16));
        Console console = Console.on(t, false, Clock.systemUTC(), false);
        assertEquals("s3cret-pw", new String(console.prompter().secret("Password for root@cp1:")));
        assertTrue(console.prompter().confirm("Trust the key of cp1?"));
        assertEquals(false, console.prompter().confirm("Reset?"));
        console.close();
        String screen = String.join("\n", new VirtualScreen(16, 60).play(bytes.toString(StandardCharsets.UTF_8)).text());
        assertEquals("Password for root@cp1:\nTrust the key of cp1? [y/N] y\nReset? [y/N] no", screen);
    }
}
