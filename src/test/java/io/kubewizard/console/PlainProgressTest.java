package io.kubewizard.console;

import io.kubewizard.run.Event;
import io.kubewizard.run.Event.StepStatus;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

import static io.kubewizard.console.LiveProgressTest.T0;
import static io.kubewizard.console.LiveProgressTest.at;
import static io.kubewizard.console.LiveProgressTest.step;
import static org.junit.jupiter.api.Assertions.assertEquals;

class PlainProgressTest {

    @Test
    void oneLinePerStateChangeStampedWithTheTimeSinceTheStart() {
        StringWriter text = new StringWriter();
        PlainProgress plain = new PlainProgress(new PrintWriter(text));
        List.of(new Event.RunStarted(T0, "lab", List.of("connect", "preflight"), List.of("cp1", "w1"), true),
                step(0, "connect", "cp1", StepStatus.SKIPPED, "in an earlier run"),
                step(0, "connect", "w1", StepStatus.DONE, "in an earlier run"),
                new Event.PhaseStarted(at(1), "preflight", "Check the hosts"),
                step(1, "preflight/host", "cp1", StepStatus.RUNNING, null),
                new Event.Output(at(2), "cp1", "preflight/host@cp1", "never printed", true),
                step(2, "preflight/host", "cp1", StepStatus.SKIPPED, null),
                step(3, "preflight/host", "w1", StepStatus.RETRYING, "connection lost; attempt 2 of 4 in 2s"),
                step(65, "preflight/host", "w1", StepStatus.FAILED, "ports: in use: 10250"),
                step(65, "preflight/across-hosts", "*", StepStatus.BLOCKED, "waits for preflight/host@w1, which failed"),
                new Event.PhaseFinished(at(65), "preflight", false),
                new Event.RunFinished(at(3725), false, List.of("preflight/host on w1: ports: in use: 10250"), null))
                .forEach(plain::on);
        assertEquals("""
                Cluster lab: 2 hosts, 2 phases, resuming the journal's run.
                [00:00] connect on cp1: skipped (in an earlier run)
                [00:00] connect on w1: done (in an earlier run)
                [00:01] phase preflight: Check the hosts
                [00:01] preflight/host on cp1: running
                [00:02] preflight/host on cp1: skipped (already done)
                [00:03] preflight/host on w1: retrying: connection lost; attempt 2 of 4 in 2s
                [01:05] preflight/host on w1: FAILED: ports: in use: 10250
                [01:05] preflight/across-hosts on all hosts: blocked: waits for preflight/host@w1, which failed
                [01:05] ✗ preflight
                [1:02:05] Failed: 1 step.
                  preflight/host on w1: ports: in use: 10250
                """, text.toString());
    }

    @Test
    void aSuccessfulRunEndsWithWhereItsKubeconfigIs() {
        StringWriter text = new StringWriter();
        PlainProgress plain = new PlainProgress(new PrintWriter(text));
        plain.on(new Event.RunStarted(T0, "lab", List.of("kubeconfig"), List.of("cp1"), false));
        plain.on(new Event.PhaseFinished(at(9), "kubeconfig", true));
        plain.on(new Event.RunFinished(at(10), true, List.of(), "/home/op/.kubewizard/lab/kubeconfig"));
        assertEquals("Cluster lab: 1 host, 1 phase.\n[00:09] ✓ kubeconfig\n"
                + "[00:10] Done. Admin kubeconfig: /home/op/.kubewizard/lab/kubeconfig\n", text.toString());
    }
}
