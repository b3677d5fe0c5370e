package io.kubewizard.run;

import io.kubewizard.answers.Spec.ClusterSpec;
import io.kubewizard.answers.Spec.Host;
import io.kubewizard.plan.Plan;
import io.kubewizard.plan.Step;
import io.kubewizard.render.RenderedFile;
import io.kubewizard.render.RenderedFile.OsFamily;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code apply --dry-run}: per host, in the order they would run, every step with the files it
 * would write and every command it would run, touching nothing. Where a host's package family
 * decides (learnt from /etc/os-release at run time), both variants are listed.
 */
public final class DryRun {
    private DryRun() {}

    /** Above this many hosts, waiting on one step id is summarised as a count. */
    private static final int LISTED_HOSTS = 3;

    public static String text(ClusterSpec spec, Plan plan) {
        StringBuilder sb = new StringBuilder();
        List<String> hosts = new ArrayList<>(spec.hosts().stream().map(Host::name).toList());
        // hosts that leave are in no answers' host list any more, yet steps run on them
        if (plan.change() != null) plan.change().leaving().forEach(h -> hosts.add(h.name()));
        hosts.add(Step.ACROSS_HOSTS);
        for (String host : hosts) {
            List<Step> steps = plan.steps().stream().filter(s -> s.host().equals(host)).toList();
            if (steps.isEmpty()) continue;
            sb.append(host.equals(Step.ACROSS_HOSTS) ? "on the jump host, over every host's facts" : host).append('\n');
            for (Step s : steps) step(sb, s);
        }
        return sb.toString();
    }

    private static void step(StringBuilder sb, Step s) {
        sb.append("  ").append(s.id()).append(": ").append(s.title())
                .append(s.idempotent() ? "" : " (runs once, not retried)").append('\n');
        String after = otherHosts(s);
        if (!after.isEmpty()) line(sb, "after", after);
        for (RenderedFile f : s.uploads()) {
            line(sb, "upload" + family(f.os()), f.path() + " (" + f.modeString() + (f.arch().isEmpty() ? "" : ", " + f.arch() + " only")
                    + (f.secret() ? ", secret: real values filled in as it is written" : "") + ")");
        }
        if (s.check() != null) line(sb, "skip if", s.check());
        s.run().forEach((family, commands) -> commands.forEach(c -> line(sb, "run" + family(family), c)));
        s.downloads().forEach(d -> line(sb, "fetch", d));
    }

    private static String otherHosts(Step s) {
        if (s.host().equals(Step.ACROSS_HOSTS)) return "";
        Map<String, List<String>> hostsById = new LinkedHashMap<>();
        for (String key : s.dependsOn()) {
            int at = key.lastIndexOf('@');
            String host = key.substring(at + 1);
            if (host.equals(s.host())) continue;
            hostsById.computeIfAbsent(key.substring(0, at), id -> new ArrayList<>()).add(Executor.where(host));
        }
        List<String> parts = new ArrayList<>();
        hostsById.forEach((id, hosts) -> {
            if (hosts.size() > LISTED_HOSTS) parts.add(id + " on " + hosts.size() + " hosts");
            else parts.add(id + " on " + String.join(", ", hosts));
        });
        return String.join("; ", parts);
    }

    private static String family(OsFamily os) {
        return os == OsFamily.ANY ? "" : " (" + os.name().toLowerCase(Locale.ROOT) + ")";
    }

    private static void line(StringBuilder sb, String label, String text) {
        sb.append("    ").append(label).append(": ").append(text).append('\n');
    }
}
