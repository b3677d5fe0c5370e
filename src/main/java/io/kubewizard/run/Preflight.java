package io.kubewizard.run;

import io.kubewizard.plan.Facts;
import io.kubewizard.plan.MirrorReach;
import io.kubewizard.answers.Spec.ClusterSpec;
import io.kubewizard.answers.Spec.Host;
import io.kubewizard.answers.Spec.LoadBalancerType;
import io.kubewizard.answers.Spec.Role;
import io.kubewizard.answers.Spec.Topology;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Checks over gathered facts, made on the jump host: per host (the same limits as the plan's
 * preflight/host commands, plus what only facts show) and across hosts (hostnames, MAC addresses and
 * product_uuids must be unique; kubeadm only documents this). Swap and ip_forward are notes, not
 * failures: the prepare phase fixes both.
 */
public final class Preflight {
    private Preflight() {}

    /** kubeadm's own limits for a control plane (RunPreflight checks the same on the host). */
    static final int CONTROL_PLANE_CPUS = 2;
    static final int CONTROL_PLANE_MEMORY_MB = 1700;

    public enum Verdict { OK, NOTE, FAIL }

    public record Check(String name, Verdict verdict, String detail) {
        public String message() { return name + ": " + detail; }
    }

    /**
     * @param member the host is already part of the cluster (the plan's preflight/host check said
     *               so): its own components hold the ports, so CPU, memory and ports are not judged
     */
    public static List<Check> host(ClusterSpec spec, Host host, Facts facts, boolean member) {
        List<Check> out = new ArrayList<>();
        out.add(facts.family() == null
                ? new Check("os", Verdict.FAIL, facts.osName() + " (ID=" + facts.osId() + "): kubewizard installs on "
                        + "Debian, Ubuntu and RHEL-family hosts")
                : new Check("os", Verdict.OK, facts.osName() + ", " + facts.arch() + ", "
                        + facts.family().name().toLowerCase(Locale.ROOT) + " packages"));
        boolean controlPlane = host.is(Role.CONTROL_PLANE);
        if (member) {
            out.add(new Check("cluster", Verdict.NOTE, "already part of the cluster: CPU, memory and port checks skipped"));
        } else {
            out.add(controlPlane
                    ? new Check("cpus", facts.cpus() >= CONTROL_PLANE_CPUS ? Verdict.OK : Verdict.FAIL,
                            facts.cpus() + " (a control plane needs " + CONTROL_PLANE_CPUS + ")")
                    : new Check("cpus", Verdict.OK, String.valueOf(facts.cpus())));
            out.add(controlPlane
                    ? new Check("memory", facts.memoryKb() >= CONTROL_PLANE_MEMORY_MB * 1024L ? Verdict.OK : Verdict.FAIL,
                            facts.memoryMb() + " MB (a control plane needs " + CONTROL_PLANE_MEMORY_MB + " MB)")
                    : new Check("memory", Verdict.OK, facts.memoryMb() + " MB"));
            SortedSet<Integer> ports = requiredPorts(spec, host);
            SortedSet<Integer> taken = new TreeSet<>(ports);
            taken.retainAll(facts.tcpPorts());
            out.add(taken.isEmpty() ? new Check("ports", Verdict.OK, "free: " + join(ports))
                    : new Check("ports", Verdict.FAIL, "in use: " + join(taken)));
        }
        out.add(facts.swaps().isEmpty() ? new Check("swap", Verdict.OK, "off")
                : new Check("swap", Verdict.NOTE, "on (" + String.join(", ", facts.swaps()) + "): prepare/swap turns it off"));
        out.add(switch (facts.ipForward()) {
            case "1" -> new Check("ip_forward", Verdict.OK, "1");
            case "" -> new Check("ip_forward", Verdict.NOTE, "unknown: prepare/sysctl sets it to 1");
            default -> new Check("ip_forward", Verdict.NOTE, facts.ipForward() + ": prepare/sysctl sets it to 1");
        });
        List<String> missing = new ArrayList<>(facts.family() == null ? Facts.COMMON
                : Facts.required(facts.family()));
        missing.removeAll(facts.binaries());
        out.add(missing.isEmpty() ? new Check("binaries", Verdict.OK, "all present")
                : new Check("binaries", Verdict.FAIL, "missing: " + String.join(" ", missing)));
        return out;
    }

    /** Uniqueness across the hosts whose facts are known, in host file order. */
    public static List<Check> across(ClusterSpec spec, Map<String, Facts> facts) {
        List<Host> known = spec.hosts().stream().filter(h -> facts.containsKey(h.name())).toList();
        List<Check> out = new ArrayList<>();
        out.add(unique("hostnames", known, h -> List.of(facts.get(h.name()).hostname())));
        out.add(unique("macs", known, h -> facts.get(h.name()).macs()));
        Check uuids = unique("product_uuid", known, h -> facts.get(h.name()).productUuid().isEmpty()
                ? List.of() : List.of(facts.get(h.name()).productUuid()));
        List<String> unknown = known.stream().filter(h -> facts.get(h.name()).productUuid().isEmpty())
                .map(Host::name).toList();
        if (uuids.verdict() == Verdict.OK && !unknown.isEmpty()) {
            uuids = new Check("product_uuid", Verdict.NOTE, "unknown on " + String.join(", ", unknown)
                    + " (no DMI table); unique on the others");
        }
        out.add(uuids);
        return out;
    }

    private static Check unique(String name, List<Host> hosts, Function<Host, List<String>> values) {
        Map<String, List<String>> holders = new LinkedHashMap<>();
        for (Host h : hosts) {
            for (String v : values.apply(h)) holders.computeIfAbsent(v, k -> new ArrayList<>()).add(h.name());
        }
        List<String> shared = holders.entrySet().stream().filter(e -> e.getValue().size() > 1)
                .map(e -> String.join(" and ", e.getValue()) + " share " + e.getKey()).toList();
        return shared.isEmpty() ? new Check(name, Verdict.OK, "unique")
                : new Check(name, Verdict.FAIL, String.join("; ", shared));
    }

    /** The failing checks as one message, or null when none fails. */
    public static String failures(List<Check> checks) {
        List<String> failing = checks.stream().filter(c -> c.verdict() == Verdict.FAIL).map(Check::message).toList();
        return failing.isEmpty() ? null : String.join("; ", failing);
    }

    /** docs/kubeadm.md "Ports", by role, as the plan's preflight/host step checks them. */
    static SortedSet<Integer> requiredPorts(ClusterSpec spec, Host h) {
        SortedSet<Integer> ports = new TreeSet<>();
        if (h.is(Role.CONTROL_PLANE)) {
            ports.addAll(List.of(6443, 10250, 10257, 10259));
            if (spec.cluster().topology() == Topology.STACKED) ports.addAll(List.of(2379, 2380));
            if (spec.cluster().loadBalancer().type() == LoadBalancerType.HAPROXY_KEEPALIVED) {
                ports.add(spec.cluster().loadBalancer().port());
            }
        }
        if (h.is(Role.WORKER)) ports.addAll(List.of(10250, 10256));
        if (h.is(Role.ETCD)) ports.addAll(List.of(2379, 2380, 10250));
        return ports;
    }

    private static String join(SortedSet<Integer> ports) {
        return ports.stream().map(String::valueOf).collect(Collectors.joining(" "));
    }

    /**
     * The table {@code kubewizard preflight} prints: per host in file order its checks, or why
     * there are none; then the checks across hosts.
     *
     * @param missing why a host has no facts (it could not be reached, or its facts step failed)
     */
    public static String table(ClusterSpec spec, Map<String, Facts> facts, Map<String, Boolean> members,
                               Map<String, String> missing) {
        return table(report(spec, facts, members, missing));
    }

    /** One host's checks, in the table's order; a host without facts has the one failed check "facts". */
    public record HostReport(Host host, List<Check> checks) {}

    /** Every host's checks in file order, then those across hosts (none when no host has facts). */
    public record Report(List<HostReport> hosts, List<Check> across) {
        public boolean failed() {
            return hosts.stream().flatMap(h -> h.checks().stream()).anyMatch(c -> c.verdict() == Verdict.FAIL)
                    || across.stream().anyMatch(c -> c.verdict() == Verdict.FAIL);
        }
    }

    static Report report(ClusterSpec spec, Map<String, Facts> facts, Map<String, Boolean> members,
                         Map<String, String> missing) {
        List<HostReport> hosts = new ArrayList<>();
        for (Host h : spec.hosts()) {
            Facts f = facts.get(h.name());
            hosts.add(new HostReport(h, f == null
                    ? List.of(new Check("facts", Verdict.FAIL, missing.getOrDefault(h.name(), "not gathered")))
                    : host(spec, h, f, members.getOrDefault(h.name(), false))));
        }
        return new Report(hosts, facts.isEmpty() ? List.of() : across(spec, facts));
    }

    /** The table of a finished preflight run; a host without facts says which of its steps failed. */
    public static String table(ClusterSpec spec, Executor.Result result) {
        return table(report(spec, result));
    }

    private static String table(Report report) {
        StringBuilder sb = new StringBuilder();
        for (HostReport h : report.hosts()) {
            sb.append(h.host().name()).append(" (").append(roles(h.host())).append(")\n");
            h.checks().forEach(c -> row(sb, c));
        }
        if (!report.across().isEmpty()) {
            sb.append("across hosts\n");
            report.across().forEach(c -> row(sb, c));
        }
        return sb.toString();
    }

    /**
     * The checks of a finished preflight run, as {@link #table(ClusterSpec, Executor.Result)} prints them:
     * each host's facts, then whether it reached the mirrors (preflight/mirrors, when the answers name any).
     */
    public static Report report(ClusterSpec spec, Executor.Result result) {
        Report facts = report(spec, result.facts(), members(result), missing(result));
        List<HostReport> hosts = new ArrayList<>();
        for (HostReport h : facts.hosts()) {
            Object reach = result.learnt().getOrDefault(h.host().name(), Map.of()).get("mirrors");
            if (!(reach instanceof MirrorReach.Result r)) {
                hosts.add(h);
                continue;
            }
            List<Check> checks = new ArrayList<>(h.checks());
            checks.add(r.problems().isEmpty() ? new Check("mirrors", Verdict.OK, String.join("; ", r.notes()))
                    : new Check("mirrors", Verdict.FAIL, String.join("; ", r.problems())));
            hosts.add(new HostReport(h.host(), checks));
        }
        return new Report(hosts, facts.across());
    }

    /**
     * {@code preflight --format json} (docs/json-output.md): per host its roles and checks, the checks
     * across hosts, the unmanaged nodes, and whether the whole passed.
     */
    public static Map<String, Object> json(ClusterSpec spec, Executor.Result result, List<String> unmanaged) {
        Report report = report(spec, result);
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("cluster", spec.cluster().name());
        boolean failed = !result.ok() || report.failed();
        doc.put("passed", !failed);
        List<Object> hosts = new ArrayList<>();
        for (HostReport h : report.hosts()) {
            Map<String, Object> host = new LinkedHashMap<>();
            host.put("name", h.host().name());
            host.put("roles", h.host().roles().stream().map(r -> (Object) r.yaml()).toList());
            host.put("checks", checksJson(h.checks()));
            hosts.add(host);
        }
        doc.put("hosts", hosts);
        doc.put("acrossHosts", checksJson(report.across()));
        doc.put("unmanaged", new ArrayList<Object>(unmanaged));
        return doc;
    }

    private static List<Object> checksJson(List<Check> checks) {
        List<Object> out = new ArrayList<>();
        for (Check c : checks) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", c.name());
            m.put("verdict", c.verdict().name().toLowerCase(Locale.ROOT));
            m.put("detail", c.detail());
            out.add(m);
        }
        return out;
    }

    private static String roles(Host h) {
        return h.roles().stream().map(Role::yaml).collect(Collectors.joining(", "));
    }

    private static Map<String, String> missing(Executor.Result result) {
        Map<String, String> missing = new LinkedHashMap<>();
        for (Map.Entry<String, Event.StepStatus> e : result.states().entrySet()) {
            String key = e.getKey();
            String host = key.substring(key.lastIndexOf('@') + 1);
            if (missing.containsKey(host) || (e.getValue() != Event.StepStatus.FAILED && e.getValue() != Event.StepStatus.BLOCKED)) {
                continue;
            }
            missing.put(host, key.substring(0, key.lastIndexOf('@')) + (e.getValue() == Event.StepStatus.FAILED ? " failed: "
                    : " could not run: ") + result.messages().get(key));
        }
        return missing;
    }

    private static Map<String, Boolean> members(Executor.Result result) {
        Map<String, Boolean> members = new LinkedHashMap<>();
        result.members().forEach(m -> members.put(m, true));
        return members;
    }

    /** Whether a table holds a failed check. */
    public static boolean failed(String table) {
        return table.lines().anyMatch(l -> l.startsWith("  FAIL "));
    }

    private static void row(StringBuilder sb, Check c) {
        String verdict = switch (c.verdict()) {
            case OK -> "ok";
            case NOTE -> "note";
            case FAIL -> "FAIL";
        };
        sb.append(String.format("  %-5s %-13s %s\n", verdict, c.name(), c.detail()));
    }
}
