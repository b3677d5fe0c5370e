package io.kubewizard.tui;

import io.kubewizard.run.Event;
import io.kubewizard.run.Event.StepStatus;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the Run page shows, folded from the engine's events: phases with their states, each host's
 * current step, failed steps awaiting a decision, and a bounded log per host. GUI thread only: events
 * reach it through {@link RunFeed}.
 */
final class RunModel {
    /** Lines kept per host: enough to read back a failure, bounded whatever a host prints. */
    static final int LOG_LINES = 2_000;

    enum PhaseState { PENDING, RUNNING, DONE, FAILED }

    static final class PhaseRow {
        final String id;
        String title;
        PhaseState state = PhaseState.PENDING;

        PhaseRow(String id, String title) {
            this.id = id;
            this.title = title;
        }
    }

    static final class HostRow {
        final String name;
        String stepKey = "";
        String step = "";
        StepStatus status;
        String message = "";
        final LogBuffer log = new LogBuffer(LOG_LINES);

        HostRow(String name) { this.name = name; }
    }

    final Map<String, PhaseRow> phases = new LinkedHashMap<>();
    final Map<String, HostRow> hosts = new LinkedHashMap<>();
    /** Failed steps by key, in the order they failed; a retried or skipped one leaves. */
    final Map<String, Event.StepChanged> failed = new LinkedHashMap<>();
    String cluster = "";
    Instant started;
    Instant finishedAt;
    boolean finished;
    boolean ok;
    String kubeconfig;
    List<String> failures = List.of();

    HostRow host(String name) { return hosts.computeIfAbsent(name, HostRow::new); }

    void apply(Event e) {
        if (e instanceof Event.RunStarted s) {
            cluster = s.cluster();
            started = s.at();
            for (String p : s.phases()) phases.putIfAbsent(p, new PhaseRow(p, p));
            for (String h : s.hosts()) host(h);
        } else if (e instanceof Event.PhaseStarted p) {
            PhaseRow row = phases.computeIfAbsent(p.phase(), id -> new PhaseRow(id, p.title()));
            row.title = p.title();
            row.state = PhaseState.RUNNING;
        } else if (e instanceof Event.PhaseFinished p) {
            phases.computeIfAbsent(p.phase(), id -> new PhaseRow(id, id)).state =
                    p.ok() ? PhaseState.DONE : PhaseState.FAILED;
        } else if (e instanceof Event.StepChanged s) {
            HostRow h = host(s.host());
            h.stepKey = s.stepKey();
            h.step = s.title();
            h.status = s.status();
            h.message = s.message() == null ? "" : s.message();
            if (s.status() == StepStatus.FAILED) failed.put(s.stepKey(), s);
            else failed.remove(s.stepKey());
        } else if (e instanceof Event.Output o) {
            host(o.host()).log.append((o.stderr() ? "! " : "") + printable(o.line()));
        } else if (e instanceof Event.RunFinished f) {
            finished = true;
            finishedAt = f.at();
            ok = f.ok();
            kubeconfig = f.kubeconfig();
            failures = List.copyOf(f.failures());
        }
    }

    /**
     * A line as the screen can show it: tabs become spaces, other control characters (colour escapes
     * of a remote command) a visible '?', since written raw they would move the terminal's cursor.
     */
    static String printable(String line) {
        StringBuilder sb = null;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c >= 0x20 && c != 0x7f) {
                if (sb != null) sb.append(c);
                continue;
            }
            if (sb == null) sb = new StringBuilder(line.substring(0, i));
            sb.append(c == '\t' ? "    " : "?");
        }
        return sb == null ? line : sb.toString();
    }

    /** The failed step of a host, if it has one waiting. */
    Event.StepChanged failedOn(String host) {
        Event.StepChanged last = null;
        for (Event.StepChanged s : failed.values()) if (s.host().equals(host)) last = s;
        return last;
    }

    List<PhaseRow> phaseList() { return new ArrayList<>(phases.values()); }
}
