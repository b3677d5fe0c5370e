package io.kubewizard.plan;

import io.kubewizard.answers.Spec.Host;

/** One SSH connection per host, reused by every later step; {@code true} proves commands run (and sudo works). */
final class Connect implements PlanPhase {
    public String id() { return "connect"; }

    public String title() { return "Connect to every host"; }

    public void addSteps(Draft d) {
        for (Host h : d.probed()) {
            d.add("connect", h, "Open the SSH connection and run a command").run("true");
        }
    }
}
