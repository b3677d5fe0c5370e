package io.kubewizard.run;

import io.kubewizard.answers.AnswersLoader;
import io.kubewizard.answers.Spec.ClusterSpec;
import io.kubewizard.plan.Json;
import io.kubewizard.plan.Plan;
import io.kubewizard.plan.Step;
import io.kubewizard.plan.Workflow;
import io.kubewizard.render.Render;
import io.kubewizard.render.Secrets;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** verify's results from the steps' outcomes: the table and the JSON, a failed check named with its node. */
class VerifyReportTest {
    @Test
    void theTableAndTheJsonListEveryCheckWithItsNodeAndTheFailureAsTheStepSaidIt() throws IOException {
        ClusterSpec spec = AnswersLoader.parse("answers.yaml", Files.readString(Path.of("presets/single-node.yaml"))).spec();
        Plan plan = Plan.build(Workflow.VERIFY, spec, Render.render(spec, Secrets.MASKED),
                new Plan.Inputs(RunRecord.assumed(spec, new ArrayList<>(spec.hosts())), new ArrayList<>(spec.hosts()), Set.of()));
        Map<String, Event.StepStatus> states = new LinkedHashMap<>();
        Map<String, String> messages = new LinkedHashMap<>();
        for (Step s : plan.steps()) states.put(s.key(), Event.StepStatus.DONE);
        states.put("verify/dns/node1@node1", Event.StepStatus.FAILED);
        messages.put("verify/dns/node1@node1", "dns on node1: kubernetes.default does not resolve (exit 1: command terminated "
                + "with exit code 1)");
        states.put("verify/certificates@node1", Event.StepStatus.BLOCKED);
        messages.put("verify/certificates@node1", "waits for verify/dns/node1@node1, which failed");
        Executor.Result result = new Executor.Result(false, List.of(), 1, false, states, Map.of(), Set.of(), messages, null, Map.of());

        List<VerifyReport.Row> rows = VerifyReport.rows(plan, result, List.of("node1"), Instant.parse("2026-01-01T00:00:00Z"));
        assertEquals("""
                Verify cluster single: 1 check failed
                CHECK               NODE   RESULT   DETAIL
                nodes               -      ok
                node-state          -      ok
                etcd                -      ok
                kube-system         -      ok
                test-pods           -      ok
                dns                 node1  failed   dns on node1: kubernetes.default does not resolve (exit 1: command terminated with exit code 1)
                pod-network         node1  ok
                service             node1  ok
                node-port           node1  ok
                pod-security        -      ok
                cleanup             -      ok
                certificate-expiry  -      not run
                """, VerifyReport.text("single", rows));
        Map<String, Object> json = VerifyReport.json("single", rows);
        assertEquals(false, json.get("ok"));
        assertEquals(Map.of("check", "dns", "node", "node1", "result", "failed", "detail", "dns on node1: kubernetes.default does "
                + "not resolve (exit 1: command terminated with exit code 1)"), ((List<?>) json.get("checks")).get(5));
        assertEquals(12, ((List<?>) json.get("checks")).size());
        assertEquals("{\"check\":\"nodes\",\"node\":\"-\",\"result\":\"ok\",\"detail\":\"\"}",
                Json.write(((List<?>) json.get("checks")).get(0)).replace(" ", "").replace("\n", ""));
    }

    /**
     * verify --node-conformance: the test's row (its step; the results fetch is no row of its own) says
     * where the results are in the run directory, or, when the test failed, why and that the results
     * were still fetched; a fetch that failed says so.
     */
    @Test
    void theNodeConformanceRowSaysWhereTheResultsAre() throws IOException {
        ClusterSpec spec = AnswersLoader.parse("answers.yaml", Files.readString(Path.of("presets/single-node.yaml"))).spec();
        Plan plan = Plan.build(Workflow.VERIFY, spec, Render.render(spec, Secrets.MASKED),
                new Plan.Inputs(RunRecord.assumed(spec, new ArrayList<>(spec.hosts())), new ArrayList<>(spec.hosts()), Set.of())
                        .withNodeConformance("node1"));
        Map<String, Event.StepStatus> states = new LinkedHashMap<>();
        for (Step s : plan.steps()) states.put(s.key(), Event.StepStatus.DONE);
        Path runDir = Path.of("/runs/single");
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        List<VerifyReport.Row> rows = VerifyReport.rows(plan, new Executor.Result(true, List.of(), 0, false, states, Map.of(),
                Set.of(), Map.of(), null, Map.of()), List.of("node1"), now, runDir);
        assertEquals(new VerifyReport.Row("node-conformance", "node1", "ok", "results in /runs/single/node-conformance/node1"),
                rows.get(rows.size() - 2));
        assertEquals(1, rows.stream().filter(r -> r.check().startsWith("node-conformance")).count());

        states.put("verify/node-conformance/node1@node1", Event.StepStatus.FAILED);
        Map<String, String> messages = new LinkedHashMap<>();
        messages.put("verify/node-conformance/node1@node1", "ctr exited 1");
        rows = VerifyReport.rows(plan, new Executor.Result(false, List.of(), 1, false, states, Map.of(), Set.of(), messages,
                null, Map.of()), List.of("node1"), now, runDir);
        assertEquals(new VerifyReport.Row("node-conformance", "node1", "failed",
                "ctr exited 1; results in /runs/single/node-conformance/node1"), rows.get(rows.size() - 2));

        states.put("verify/node-conformance-results/node1@node1", Event.StepStatus.FAILED);
        messages.put("verify/node-conformance-results/node1@node1", "cannot list /var/lib/kubewizard/node-conformance/");
        rows = VerifyReport.rows(plan, new Executor.Result(false, List.of(), 1, false, states, Map.of(), Set.of(), messages,
                null, Map.of()), List.of("node1"), now, runDir);
        assertEquals("ctr exited 1; results not fetched: cannot list /var/lib/kubewizard/node-conformance/",
                rows.get(rows.size() - 2).detail());
    }
}
