package io.kubewizard.console;

import io.kubewizard.plan.Step;
import io.kubewizard.run.Event;

import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code --plain}: one line per state change, each stamped with the time since the run started,
 * for CI logs and anything that is not a terminal. Command output is not repeated here: it is in
 * the per-host logs and the events file.
 */
public final class PlainProgress implements Event.Listener {
    private final PrintWriter out;
    private Instant start;

    public PlainProgress(PrintWriter out) { this.out = out; }

    @Override
    public synchronized void on(Event event) {
        if (event instanceof Event.RunStarted e) start = e.at();
        String line = line(event, start == null ? event.at() : start);
        if (line == null) return;
        out.println(line);
        out.flush();
    }

    /** The line for an event; null for output lines, which only the logs keep. */
    static String line(Event event, Instant start) {
        String at = "[" + Elapsed.between(start, event.at()) + "] ";
        if (event instanceof Event.RunStarted e) {
            return "Cluster " + e.cluster() + ": " + count(e.hosts().size(), "host") + ", " + count(e.phases().size(), "phase")
                    + (e.resumed() ? ", resuming the journal's run." : ".");
        }
        if (event instanceof Event.PhaseStarted e) return at + "phase " + e.phase() + ": " + e.title();
        if (event instanceof Event.PhaseFinished e) return at + (e.ok() ? "✓ " : "✗ ") + e.phase();
        if (event instanceof Event.StepChanged e) return at + e.stepId() + " on " + where(e.host()) + ": " + state(e);
        if (event instanceof Event.RunFinished e) return String.join("\n", summary(e, at));
        return null;
    }

    private static String state(Event.StepChanged e) {
        String m = e.message();
        return switch (e.status()) {
            case RUNNING -> "running";
            case DONE -> m == null ? "done" : "done (" + m + ")";
            case SKIPPED -> "skipped (" + (m == null ? "already done" : m) + ")";
            case RETRYING -> "retrying: " + m;
            case FAILED -> "FAILED: " + m;
            case BLOCKED -> "blocked: " + m;
        };
    }

    /** What a run ends with in either view: done (and where the kubeconfig is), or each failure. */
    static List<String> summary(Event.RunFinished e, String at) {
        List<String> lines = new ArrayList<>();
        if (e.ok()) {
            lines.add(at + "Done." + (e.kubeconfig() != null ? " Admin kubeconfig: " + e.kubeconfig() : ""));
        } else {
            lines.add(at + "Failed: " + count(e.failures().size(), "step") + ".");
            e.failures().forEach(f -> lines.add("  " + f));
        }
        return lines;
    }

    static String where(String host) {
        return host.equals(Step.ACROSS_HOSTS) ? "all hosts" : host;
    }

    static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
