package io.kubewizard.ssh;

import io.kubewizard.run.Transport.Commands;
import io.kubewizard.run.Transport.ExecResult;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The batch script run by a real /bin/sh, its output fed to the splitters whole and one byte at a
 * time: each command's lines, tails and status come out as if it had run on its own channel.
 */
class BatchTest {
    /** Everything the listener heard, in order, as text. */
    private static final class Heard implements Commands {
        final List<String> events = Collections.synchronizedList(new ArrayList<>());

        public void starting(int index) { events.add("start " + index); }

        public void line(int index, String line, boolean stderr) { events.add(index + (stderr ? " ! " : " | ") + line); }

        public void ended(int index, int exitCode) { events.add("end " + index + " " + exitCode); }

        List<String> stdout() { return events.stream().filter(e -> !e.contains(" ! ")).toList(); }

        List<String> stderr() { return events.stream().filter(e -> e.contains(" ! ")).toList(); }
    }

    private record Ran(List<ExecResult> results, Heard heard, int status) {}

    /** Runs the batch's script with sh, as sshd would run it with the login shell; {@code chunk} bytes per write. */
    private static Ran run(List<String> commands, String marker, int chunk) throws Exception {
        Heard heard = new Heard();
        Batch batch = marker == null ? new Batch(commands, heard) : new Batch(commands, heard, marker);
        heard.starting(0);
        Process p = new ProcessBuilder("/bin/sh", "-c", batch.script()).start();
        p.getOutputStream().close();
        Thread err = new Thread(() -> pump(p.getErrorStream(), batch.stderr(), chunk));
        err.start();
        pump(p.getInputStream(), batch.stdout(), chunk);
        err.join();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        return new Ran(batch.results(p.exitValue()), heard, p.exitValue());
    }

    /** As {@link #run}, every command having run and ended with 0. */
    private static Ran ranWell(List<String> commands, String marker, int chunk) throws Exception {
        Ran ran = run(commands, marker, chunk);
        assertEquals(0, ran.status, "chunk " + chunk);
        assertEquals(commands.size(), ran.results.size(), "chunk " + chunk);
        for (ExecResult r : ran.results) assertEquals(0, r.exitCode(), "chunk " + chunk);
        return ran;
    }

    private static void pump(InputStream in, OutputStream out, int chunk) {
        try {
            byte[] all = in.readAllBytes();
            for (int i = 0; i < all.length; i += chunk) out.write(all, i, Math.min(chunk, all.length - i));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void eachCommandGetsItsOwnLinesAndEndsAsOnAChannelOfItsOwn() throws Exception {
        List<String> commands = List.of(
                "echo one; echo warn >&2",
                "printf 'no newline at the end'",
                "cd /tmp; kw_mine=set; echo \"in $(pwd)\"; exit 0",
                "echo \"after: $(pwd) [${kw_mine:-}]\"; cat; echo read-nothing # a comment ends this command",
                "echo 'the end'");
        for (int chunk : new int[] {1 << 16, 1, 3, 7}) {
            Ran ran = ranWell(commands, null, chunk);
            assertEquals(List.of("start 0", "0 | one", "end 0 0", "start 1", "1 | no newline at the end", "end 1 0",
                    "start 2", "2 | in /tmp", "end 2 0", "start 3", "3 | after: " + System.getProperty("user.dir") + " []",
                    "3 | read-nothing", "end 3 0", "start 4", "4 | the end", "end 4 0"), ran.heard.stdout(), "chunk " + chunk);
            assertEquals(List.of("0 ! warn"), ran.heard.stderr());
            assertEquals("one", ran.results.get(0).stdoutTail());
            assertEquals("warn", ran.results.get(0).stderrTail());
            assertEquals("no newline at the end", ran.results.get(1).stdoutTail());
            assertEquals("", ran.results.get(1).stderrTail());
            assertEquals("after: " + System.getProperty("user.dir") + " []\nread-nothing", ran.results.get(3).stdoutTail());
        }
    }

    @Test
    void theFirstFailureStopsTheBatchWithItsOwnStatusAndTail() throws Exception {
        List<String> commands = List.of("echo fine; echo noise >&2", "echo partial; echo 'E: it broke' >&2; exit 100", "echo never");
        for (int chunk : new int[] {1 << 16, 1}) {
            Ran ran = run(commands, null, chunk);
            assertEquals(100, ran.status);
            assertEquals(2, ran.results.size());
            assertEquals(0, ran.results.get(0).exitCode());
            assertEquals(100, ran.results.get(1).exitCode());
            assertEquals("E: it broke", ran.results.get(1).stderrTail(), "only this command's stderr");
            assertEquals("partial", ran.results.get(1).stdoutTail());
            assertEquals(List.of("start 0", "0 | fine", "end 0 0", "start 1", "1 | partial", "end 1 100"), ran.heard.stdout());
        }
    }

    @Test
    void outputLikeTheMarkerIsOutputAndOnlyTheBatchsOwnWordEndsACommand() throws Exception {
        String marker = "\u001ekw-0123abcd ";
        List<String> commands = List.of(
                "printf '\\036kw-0123abcX 0 0\\n'; printf '\\036\\036kw-0123abc'; echo 'd-not tail'",
                "printf 'x\\036kw-999 1 1\\n'");
        for (int chunk : new int[] {1 << 16, 1, 2, 5}) {
            Ran ran = ranWell(commands, marker, chunk);
            // near misses of the marker, one starting inside another's separator, and another batch's word
            assertEquals(List.of("start 0", "0 | \u001ekw-0123abcX 0 0", "0 | \u001e\u001ekw-0123abcd-not tail", "end 0 0",
                    "start 1", "1 | x\u001ekw-999 1 1", "end 1 0"), ran.heard.stdout(), "chunk " + chunk);
        }
    }

    @Test
    void aScriptEndedBeforeItsMarkerGivesTheChannelsStatusToTheCommandThatRan() throws Exception {
        Ran ran = run(List.of("echo first", "echo dying; kill -9 $$", "echo never"), null, 1 << 16);
        assertEquals(137, ran.status);
        assertEquals(2, ran.results.size());
        assertEquals(137, ran.results.get(1).exitCode());
        assertEquals("dying", ran.results.get(1).stdoutTail());

        Ran exited = run(List.of("echo first", "echo gone"), null, 1 << 16);
        assertEquals(0, exited.status);
        Batch batch = new Batch(List.of("a", "b"), new Heard());
        List<ExecResult> none = batch.results(0);
        assertEquals(1, none.size(), "nothing ran to its marker");
        assertNotEquals(0, none.get(0).exitCode(), "a status of 0 without the marker is no success");
    }
}
