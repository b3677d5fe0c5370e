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
        for (Host h : d.spec.hosts()) {
            d.add("facts", h, "Read OS release, architecture, CPUs, memory, swap, hostname, MAC addresses, "
                    + "product_uuid and listening ports").run(
                    "cat /etc/os-release",
                    "uname -m",
                    "nproc",
                    "cat /proc/meminfo",
                    "cat /proc/swaps",
                    "hostname",
                    "cat /sys/class/net/*/address",
                    // Some virtual machines and containers have no DMI table: the fact is then unknown, not fatal.
                    "cat /sys/class/dmi/id/product_uuid 2>/dev/null || true",
                    "ss -Htlnu");
        }
    }
}
