package io.kubewizard.run;

import io.kubewizard.plan.Phase;
import io.kubewizard.plan.Plan;
import io.kubewizard.plan.Step;
import io.kubewizard.render.RenderedFile.OsFamily;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The plan's facts step reads what kubeadm's own preflight needs; preflight here also wants
 * net.ipv4.ip_forward and which required programs a host has, so two read-only commands are added
 * to that step. Added to the plan itself (not run on the side), so a dry run lists them too.
 */
final class FactsCommands {
    private FactsCommands() {}

    /** The facts step's id in the plan (GatherFacts). */
    static final String FACTS_STEP = "facts";

    static final String IP_FORWARD = "cat /proc/sys/net/ipv4/ip_forward";

    /**
     * Programs the plan runs before it installs anything, and those kubeadm's preflight refuses to
     * run without (crictl comes with the kube packages, so it is not asked for here).
     */
    static final List<String> COMMON = List.of("awk", "grep", "sed", "sha256sum", "ss", "sysctl", "modprobe",
            "swapoff", "systemctl", "ip", "mount", "nsenter");

    static final List<String> BINARIES = Stream.concat(COMMON.stream(), Stream.of("apt-get", "dnf")).toList();

    /** Prints the name of each of {@link #BINARIES} the host has; never fails. */
    static final String BINARIES_PROBE = "for b in " + String.join(" ", BINARIES)
            + "; do command -v \"$b\" >/dev/null 2>&1 && echo \"$b\"; done; true";

    /** What a host of this family must have before apply starts. */
    static List<String> required(OsFamily family) {
        List<String> out = new ArrayList<>(COMMON);
        out.add(family == OsFamily.RPM ? "dnf" : "apt-get");
        return out;
    }

    static Plan complete(Plan plan) {
        List<Phase> phases = new ArrayList<>();
        for (Phase p : plan.phases()) {
            phases.add(new Phase(p.id(), p.title(), p.steps().stream().map(FactsCommands::complete).toList()));
        }
        return new Plan(plan.cluster(), phases);
    }

    private static Step complete(Step s) {
        if (!s.id().equals(FACTS_STEP)) return s;
        List<String> run = new ArrayList<>(s.run(OsFamily.ANY));
        for (String extra : List.of(IP_FORWARD, BINARIES_PROBE)) if (!run.contains(extra)) run.add(extra);
        return new Step(s.id(), s.title(), s.host(), s.phase(), s.check(), Map.of(OsFamily.ANY, run), s.uploads(),
                s.downloads(), s.idempotent(), s.dependsOn());
    }
}
