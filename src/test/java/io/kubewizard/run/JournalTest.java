package io.kubewizard.run;

import io.kubewizard.plan.Json;
import io.kubewizard.plan.Facts;
import io.kubewizard.run.Event.StepStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JournalTest {
    @TempDir Path tmp;

    /** What reached the sink, in order: "write <line>" and "force after <n> host calls". */
    private static final class RecordingSink implements Journal.Sink {
        final List<String> log = Collections.synchronizedList(new ArrayList<>());
        final List<String> forcedLines = Collections.synchronizedList(new ArrayList<>());
        final List<Integer> callsWhenForced = Collections.synchronizedList(new ArrayList<>());
        FakeCluster hosts;
        private String pending;

        public void write(ByteBuffer line) {
            pending = StandardCharsets.UTF_8.decode(line).toString();
            log.add("write");
        }

        public void force() {
            log.add("force");
            forcedLines.add(pending);
            callsWhenForced.add(hosts == null ? 0 : hosts.calls().size());
        }

        public void close() {}
    }

    @Test
    void everyStateChangeIsOneLineOnDiskBeforeTheRunGoesOn() throws Exception {
        Fixture f = new Fixture("single-node", tmp);
        RecordingSink sink = new RecordingSink();
        sink.hosts = f.hosts;
        Journal journal = new Journal(sink);
        journal.run("single-node", "0123abcd", false, Fixture.CLOCK.instant());
        // one step at a time: with one host, then, every step runs after the one before it in plan order
        // (verify's checks would otherwise run side by side)
        Executor.Result r = f.run(f.options(1), journal, null);
        assertTrue(r.ok(), r.failures()::toString);

        List<String> expected = new ArrayList<>();
        for (int i = 0; i < sink.forcedLines.size(); i++) expected.addAll(List.of("write", "force"));
        assertEquals(expected, sink.log, "each line is forced before the next one is written");
        assertEquals("{\"type\":\"run\",\"at\":\"2026-03-01T10:00:00Z\",\"cluster\":\"single-node\","
                + "\"answersSha256\":\"0123abcd\",\"resumed\":false}\n", sink.forcedLines.get(0));
        List<String> steps = new ArrayList<>();
        for (String line : sink.forcedLines.subList(1, sink.forcedLines.size())) {
            assertTrue(line.endsWith("}\n") && line.indexOf('\n') == line.length() - 1, line);
            @SuppressWarnings("unchecked") Map<String, Object> m = (Map<String, Object>) Json.parse(line);
            steps.add(m.get("key") + " " + m.get("status"));
        }
        List<String> plan = new ArrayList<>();
        f.plan.steps().forEach(s -> plan.addAll(List.of(s.key() + " RUNNING", s.key() + " DONE")));
        assertEquals(plan, steps, "with one host every step runs after the one before it");

        // The facts step's RUNNING line was on disk before its first command, its DONE line after its last.
        List<FakeCluster.Call> calls = f.hosts.calls();
        int firstFacts = calls.indexOf(f.hosts.execs(c -> c.equals("cat /etc/os-release")).get(0));
        int running = steps.indexOf("facts@node1 RUNNING") + 1;
        int done = steps.indexOf("facts@node1 DONE") + 1;
        assertTrue(sink.callsWhenForced.get(running) <= firstFacts);
        assertTrue(sink.callsWhenForced.get(done) > firstFacts);
        assertTrue(sink.forcedLines.get(done).contains("\"facts\":{\"osId\":\"debian\""), sink.forcedLines.get(done));
    }

    @Test
    void theFileIsPrivateAndReadBackWithTheFactsOfEachHost() throws Exception {
        Fixture f = new Fixture("single-node", tmp);
        try (Journal journal = Journal.open(tmp, "single-node", "feedbeef", false, Fixture.CLOCK.instant())) {
            assertTrue(f.run(f.options(1), journal, null).ok());
        }
        Path file = tmp.resolve(Journal.FILE);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        Journal.History h = Journal.read(tmp);
        assertEquals("single-node", h.cluster());
        assertEquals("feedbeef", h.answersSha256());
        assertEquals(f.plan.steps().stream().map(s -> s.key()).toList(), List.copyOf(h.last().keySet()));
        assertTrue(h.last().values().stream().allMatch(s -> s == StepStatus.DONE));
        Facts facts = h.facts().get("node1");
        assertEquals("debian", facts.osId());
        assertEquals(io.kubewizard.render.RenderedFile.OsFamily.DEB, facts.family());
        assertEquals(List.of("52:54:00:00:00:01"), facts.macs());
        assertEquals(List.of(22), List.copyOf(facts.tcpPorts()));
        assertEquals(Facts.BINARIES, facts.binaries());
    }

    @Test
    void aLineTornByAKillIsIgnoredAndCutOffByAResume() throws Exception {
        String run = "{\"type\":\"run\",\"at\":\"2026-03-01T10:00:00Z\",\"cluster\":\"lab\",\"answersSha256\":\"aa\",\"resumed\":false}\n";
        String done = "{\"type\":\"step\",\"at\":\"2026-03-01T10:00:01Z\",\"key\":\"connect@n1\",\"status\":\"DONE\"}\n";
        Files.writeString(tmp.resolve(Journal.FILE), run + done + "{\"type\":\"step\",\"at\":\"2026-03-01T10:00:02Z\",\"ke");
        Journal.History h = Journal.read(tmp);
        assertEquals(Map.of("connect@n1", StepStatus.DONE), h.last());
        try (Journal j = Journal.open(tmp, "lab", "aa", true, Instant.parse("2026-03-01T11:00:00Z"))) {
            j.step(Instant.parse("2026-03-01T11:00:01Z"), "facts@n1", StepStatus.RUNNING, null, null);
        }
        List<String> lines = Files.readAllLines(tmp.resolve(Journal.FILE));
        assertEquals(4, lines.size());
        assertEquals(run.strip(), lines.get(0));
        assertEquals(done.strip(), lines.get(1));
        assertEquals("{\"type\":\"run\",\"at\":\"2026-03-01T11:00:00Z\",\"cluster\":\"lab\",\"answersSha256\":\"aa\",\"resumed\":true}",
                lines.get(2));
        assertEquals(Map.of("connect@n1", StepStatus.DONE, "facts@n1", StepStatus.RUNNING), Journal.read(tmp).last());
        assertTrue(Journal.read(tmp).interrupted("facts@n1"));
    }

    @Test
    void aDamagedLineInTheMiddleIsReportedNotGuessedAround() throws IOException {
        Files.writeString(tmp.resolve(Journal.FILE), "{\"type\":\"run\",\"answersSha256\":\"aa\"}\nnot json\n{\"type\":\"step\","
                + "\"key\":\"a@b\",\"status\":\"DONE\"}\n");
        IOException e = assertThrows(IOException.class, () -> Journal.read(tmp));
        assertEquals(tmp.resolve(Journal.FILE) + " is damaged (line 2: expected null at character 1)", e.getMessage());
        assertNull(Journal.read(tmp.resolve("elsewhere")));
    }
}
