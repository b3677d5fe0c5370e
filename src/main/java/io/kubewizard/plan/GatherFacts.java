package io.kubewizard.plan;

import io.kubewizard.answers.Spec.Host;

/**
 * What later steps and the across-hosts preflight need to know, read without changing anything.
 * The package family (and so which command variants run) comes from /etc/os-release here.
 */
final class GatherFacts implements PlanPhase {
    public String id() { return "facts"; }

    public String title() { return "Gather facts"; }

    public void addSteps(Draft d) {
        for (Host h : d.probed()) {
            d.add("facts", h, "Read OS release, architecture, CPUs, memory, swap, hostname, MAC addresses, "
                    + "product_uuid, listening ports, IP forwarding and the programs present").reads(Facts.READING);
        }
    }
}
