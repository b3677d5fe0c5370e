package io.kubewizard.run;

import io.kubewizard.plan.Facts;
import io.kubewizard.answers.Spec.ClusterSpec;
import io.kubewizard.answers.Spec.Host;
import io.kubewizard.plan.Plan;
import io.kubewizard.plan.Step;
import io.kubewizard.render.RenderedFile.OsFamily;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One host tried the way a run starts with it (the wizard's Test connection): its connect and facts
 * steps, taken from the plan, over the run's own transport, changing nothing. The answer is what a
 * person needs to trust the host: that it answers, what it runs, and the key it showed.
 */
public final class HostCheck {
    private HostCheck() {}

    /**
     * @param hostKey the host key the connection verified, or null when the transport shows none
     * @param error   why the host could not be checked, on one line; null when it was
     */
    public record Report(String host, Facts facts, String hostKey, String error) {
        public boolean reachable() { return error == null; }
    }

    /** Connects, runs the connect and facts steps, closes; an interrupt stops it at once. */
    public static Report run(TransportFactory transports, ClusterSpec spec, Host host, Duration timeout)
            throws InterruptedException {
        List<Step> steps;
        try {
            steps = steps(spec, host);
        } catch (RuntimeException e) {
            return new Report(host.name(), null, null, "cannot plan the checks: " + oneLine(String.valueOf(e.getMessage())));
        }
        Transport t = null;
        try {
            t = transports.connect(spec, host);
            Facts facts = null;
            for (Step s : steps) {
                List<String> commands = s.run(OsFamily.ANY);
                List<String> outputs = new ArrayList<>();
                for (String command : commands) {
                    StringBuilder out = new StringBuilder();
                    Transport.ExecResult r = t.exec(command, null, (line, stderr) -> {
                        if (!stderr) out.append(line).append('\n');
                    }, timeout);
                    if (!r.ok()) {
                        return new Report(host.name(), null, t.hostKey(), Executor.program(command) + " exited "
                                + r.exitCode() + (r.stderrTail() == null || r.stderrTail().isBlank() ? ""
                                : ": " + oneLine(r.stderrTail())));
                    }
                    outputs.add(out.toString());
                }
                if (s.reads() == Facts.READING) facts = Facts.parse(outputs);
            }
            return new Report(host.name(), facts, t.hostKey(), null);
        } catch (TransportException e) {
            String m = String.valueOf(e.getMessage());
            String prefix = e.host() + ": ";
            return new Report(host.name(), null, null, oneLine(m.startsWith(prefix) ? m.substring(prefix.length()) : m));
        } catch (IllegalArgumentException e) {
            return new Report(host.name(), null, t.hostKey(), "cannot read the facts: " + oneLine(e.getMessage()));
        } finally {
            if (t != null) t.close();
        }
    }

    /** The host's connect and facts steps as every run's probe has them. */
    private static List<Step> steps(ClusterSpec spec, Host host) {
        return Engine.probe(spec, Plan.Inputs.NONE).select(List.of("connect", "facts")).steps().stream()
                .filter(s -> s.host().equals(host.name())).toList();
    }

    private static String oneLine(String text) {
        return String.join(" | ", text.strip().lines().map(String::strip).filter(l -> !l.isEmpty()).toList());
    }
}
