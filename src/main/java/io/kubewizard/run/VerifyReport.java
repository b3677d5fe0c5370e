package io.kubewizard.run;

import io.kubewizard.pki.LiveCerts;
import io.kubewizard.plan.Phase;
import io.kubewizard.plan.Plan;
import io.kubewizard.plan.Step;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The results of a run's verify phase (plan/VerifyCluster), made from its steps' outcomes: one row
 * per check, in plan order, naming the node a check is about ({@code -} for a check of the whole
 * cluster), and a last row with the earliest certificate expiry the run read.
 */
public final class VerifyReport {
    private VerifyReport() {}

    public static final String PHASE = "verify";
    static final String PREFIX = PHASE + "/";
    static final String CERTIFICATES = PREFIX + "certificates";
    public static final String EXPIRY = "certificate-expiry";
    static final String CONFORMANCE = "node-conformance";
    static final String CONFORMANCE_RESULTS = PREFIX + "node-conformance-results/";

    /** @param result ok, failed, not run (a step it waits for failed), skipped */
    public record Row(String check, String node, String result, String detail) {
        public boolean failed() { return result.equals("failed"); }
    }

    /** The rows of the plan's verify phase; empty when the plan has none. */
    public static List<Row> rows(Plan plan, Executor.Result result, List<String> hostOrder, Instant now) {
        return rows(plan, result, hostOrder, now, null);
    }

    /**
     * The same; a node conformance row's detail says where its results are under {@code runDir}
     * (run/FetchedFiles), or why they were not fetched.
     */
    public static List<Row> rows(Plan plan, Executor.Result result, List<String> hostOrder, Instant now,
                                 java.nio.file.Path runDir) {
        List<Row> rows = new ArrayList<>();
        for (Phase phase : plan.phases()) {
            if (!phase.id().equals(PHASE)) continue;
            for (Step s : phase.steps()) {
                if (s.id().equals(CERTIFICATES) || s.id().startsWith(CONFORMANCE_RESULTS)) continue;
                String name = s.id().startsWith(PREFIX) ? s.id().substring(PREFIX.length()) : s.id();
                int slash = name.indexOf('/');
                String check = slash < 0 ? name : name.substring(0, slash);
                String node = slash < 0 ? "-" : name.substring(slash + 1);
                Event.StepStatus status = result.states().get(s.key());
                String message = result.messages().get(s.key());
                String detail = message == null ? "" : message;
                if (check.equals(CONFORMANCE)) detail = conformanceDetail(plan, result, node, detail, runDir);
                rows.add(new Row(check, node, label(status), detail));
            }
        }
        if (rows.isEmpty()) return rows;
        LiveCerts.Row first = LiveCerts.earliest(LiveCerts.rows(ExpiryRecord.inputs(result.learnt(), hostOrder), now));
        boolean read = plan.phases().stream().filter(p -> p.id().equals(PHASE)).flatMap(p -> p.steps().stream())
                .filter(s -> s.id().equals(CERTIFICATES)).allMatch(s -> result.states().get(s.key()) == Event.StepStatus.DONE);
        if (first != null) {
            rows.add(new Row(EXPIRY, first.host(), first.status() == LiveCerts.Status.ERROR ? "failed" : "ok",
                    first.path() + " expires " + first.notAfter() + " (" + first.daysLeft() + " days)"));
        } else {
            rows.add(new Row(EXPIRY, "-", read ? "failed" : "not run", read ? "no certificate could be read" : ""));
        }
        return rows;
    }

    /** The test's own message (why it failed), then where its results are, or why they were not fetched. */
    private static String conformanceDetail(Plan plan, Executor.Result result, String node, String message,
                                            java.nio.file.Path runDir) {
        Step fetch = plan.phases().stream().filter(p -> p.id().equals(PHASE)).flatMap(p -> p.steps().stream())
                .filter(s -> s.id().equals(CONFORMANCE_RESULTS + node)).findFirst().orElse(null);
        if (fetch == null) return message;
        Event.StepStatus status = result.states().get(fetch.key());
        String where;
        if (status == Event.StepStatus.DONE) {
            where = "results in " + (runDir == null ? FetchedFiles.NODE_CONFORMANCE + "/" + node
                    : FetchedFiles.nodeConformance(runDir, node).toString());
        } else {
            String why = result.messages().get(fetch.key());
            where = "results not fetched" + (why == null ? "" : ": " + why);
        }
        return message.isEmpty() ? where : message + "; " + where;
    }

    private static String label(Event.StepStatus status) {
        if (status == null) return "not run";
        return switch (status) {
            case DONE -> "ok";
            case FAILED -> "failed";
            case SKIPPED -> "skipped";
            default -> "not run";
        };
    }

    /** CHECK, NODE, RESULT, DETAIL: each column as wide as its widest cell. */
    public static String text(String cluster, List<Row> rows) {
        List<String[]> cells = new ArrayList<>();
        cells.add(new String[] {"CHECK", "NODE", "RESULT", "DETAIL"});
        for (Row r : rows) cells.add(new String[] {r.check(), r.node(), r.result(), r.detail()});
        int[] widths = new int[3];
        for (String[] c : cells) for (int i = 0; i < 3; i++) widths[i] = Math.max(widths[i], c[i].length());
        long failed = rows.stream().filter(Row::failed).count();
        StringBuilder sb = new StringBuilder("Verify cluster ").append(cluster).append(": ")
                .append(failed == 0 ? "every check passed" : failed + (failed == 1 ? " check failed" : " checks failed"))
                .append('\n');
        for (String[] c : cells) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < 3; i++) line.append(c[i]).append(" ".repeat(widths[i] - c[i].length() + 2));
            line.append(c[3]);
            sb.append(line.toString().stripTrailing()).append('\n');
        }
        return sb.toString();
    }

    /** The same as JSON: {"cluster", "ok", "checks": [{"check", "node", "result", "detail"}]}. */
    public static Map<String, Object> json(String cluster, List<Row> rows) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("cluster", cluster);
        out.put("ok", rows.stream().noneMatch(Row::failed) && rows.stream().allMatch(r -> !r.result().equals("not run")));
        List<Object> checks = new ArrayList<>();
        for (Row r : rows) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("check", r.check());
            m.put("node", r.node());
            m.put("result", r.result());
            m.put("detail", r.detail());
            checks.add(m);
        }
        out.put("checks", checks);
        return out;
    }
}
