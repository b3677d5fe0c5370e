package io.kubewizard.plan;

import io.kubewizard.render.RenderedFile;
import io.kubewizard.render.RenderedFile.OsFamily;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A plan for people: phases in order, each step with its id, hosts and title, then what it would
 * check, upload, run (per package family where they differ) and fetch. Where a phase's hosts work
 * independently, hosts doing the same thing share one entry, so a 50-node plan stays readable;
 * where they wait on each other (joins one at a time), every step is listed in run order.
 * Same-host order is implied by the listing, so only dependencies on other hosts are spelled out.
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
            for (Entry e : entries(phase)) sb.append(e.text());
        }
        return sb.toString();
    }

    /** One step as printed, for the hosts that do exactly that. */
    private record Entry(String id, List<String> hosts, String header, String body) {
        String text() {
            return "  " + id + " on " + String.join(", ", hosts) + header + body;
        }
    }

    private static List<Entry> entries(Phase phase) {
        List<Entry> inOrder = phase.steps().stream().map(PlanText::entry).toList();
        if (!independentHosts(phase)) return inOrder;
        Map<String, List<Entry>> byId = new LinkedHashMap<>();
        for (Entry e : inOrder) {
            List<Entry> same = byId.computeIfAbsent(e.id(), id -> new ArrayList<>());
            Entry match = same.stream().filter(o -> o.header().equals(e.header()) && o.body().equals(e.body()))
                    .findFirst().orElse(null);
            if (match != null) match.hosts().addAll(e.hosts());
            else same.add(e);
        }
        return byId.values().stream().flatMap(List::stream).toList();
    }

    /** No step waits for a step of this phase on another host (the closing across-hosts check aside). */
    private static boolean independentHosts(Phase phase) {
        Map<String, Step> inPhase = phase.steps().stream().collect(Collectors.toMap(Step::key, s -> s));
        return phase.steps().stream().filter(s -> !s.host().equals(Step.ACROSS_HOSTS)).allMatch(s -> s.dependsOn()
                .stream().map(inPhase::get).allMatch(d -> d == null || d.host().equals(s.host())));
    }

    private static Entry entry(Step s) {
        String header = ": " + s.title() + (s.idempotent() ? "" : " (runs once, not retried)") + "\n";
        StringBuilder body = new StringBuilder();
        String after = otherHosts(s);
        if (!after.isEmpty()) line(body, "after", after);
        if (s.check() != null) line(body, "skip if", s.check());
        for (RenderedFile f : s.uploads()) {
            line(body, "upload" + family(f.os()), f.path() + " (" + f.modeString() + (f.arch().isEmpty() ? "" : ", " + f.arch() + " only")
                    + (f.secret() ? ", secret" : "") + ")");
        }
        s.run().forEach((family, commands) -> commands.forEach(c -> line(body, "run" + family(family), c)));
        s.downloads().forEach(d -> line(body, "fetch", d));
        String host = s.host().equals(Step.ACROSS_HOSTS) ? "all hosts" : s.host();
        return new Entry(s.id(), new ArrayList<>(List.of(host)), header, body.toString());
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
