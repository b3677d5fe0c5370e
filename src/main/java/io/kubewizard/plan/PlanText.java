package io.kubewizard.plan;

import io.kubewizard.render.RenderedFile;
import io.kubewizard.render.RenderedFile.OsFamily;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A plan for people: phases in order, each step with its id, host and title, then what it would
 * check, upload, run (per package family where they differ) and fetch. Same-host order is implied
 * by the listing, so only dependencies on other hosts are spelled out.
 */
public final class PlanText {
    private PlanText() {}

    /** Above this many hosts, dependencies on one step id are summarised as a count. */
    private static final int LISTED_HOSTS = 3;

    public static String format(Plan plan) {
        StringBuilder sb = new StringBuilder();
        for (Phase phase : plan.phases()) {
            if (sb.length() > 0) sb.append('\n');
            sb.append(phase.id()).append(": ").append(phase.title()).append('\n');
            for (Step s : phase.steps()) step(sb, s);
        }
        return sb.toString();
    }

    private static void step(StringBuilder sb, Step s) {
        sb.append("  ").append(s.id()).append(" on ")
                .append(s.host().equals(Step.ACROSS_HOSTS) ? "all hosts" : s.host()).append(": ").append(s.title());
        if (!s.idempotent()) sb.append(" (runs once, not retried)");
        sb.append('\n');
        String after = otherHosts(s);
        if (!after.isEmpty()) line(sb, "after", after);
        if (s.check() != null) line(sb, "skip if", s.check());
        for (RenderedFile f : s.uploads()) {
            line(sb, "upload" + family(f.os()), f.path() + " (" + f.modeString() + (f.secret() ? ", secret" : "") + ")");
        }
        s.run().forEach((family, commands) -> commands.forEach(c -> line(sb, "run" + family(family), c)));
        s.downloads().forEach(d -> line(sb, "fetch", d));
    }

    private static String otherHosts(Step s) {
        if (s.host().equals(Step.ACROSS_HOSTS)) return "";
        Map<String, List<String>> hostsById = new LinkedHashMap<>();
        for (String key : s.dependsOn()) {
            int at = key.lastIndexOf('@');
            String host = key.substring(at + 1);
            if (host.equals(s.host()) || host.equals(Step.ACROSS_HOSTS)) continue;
            hostsById.computeIfAbsent(key.substring(0, at), id -> new ArrayList<>()).add(host);
        }
        List<String> parts = new ArrayList<>();
        hostsById.forEach((id, hosts) -> {
            if (hosts.size() > LISTED_HOSTS) parts.add(id + " on " + hosts.size() + " hosts");
            else hosts.forEach(h -> parts.add(id + "@" + h));
        });
        return String.join(", ", parts);
    }

    private static String family(OsFamily os) {
        return os == OsFamily.ANY ? "" : " (" + os.name().toLowerCase(Locale.ROOT) + ")";
    }

    private static void line(StringBuilder sb, String label, String text) {
        sb.append("    ").append(label).append(": ").append(text).append('\n');
    }
}
