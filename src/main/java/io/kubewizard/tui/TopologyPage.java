package io.kubewizard.tui;

import com.googlecode.lanterna.gui2.Label;
import io.kubewizard.answers.Problem;
import io.kubewizard.answers.Spec.Host;
import io.kubewizard.answers.Spec.Role;
import io.kubewizard.answers.Spec.Topology;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** Stacked or external etcd, each with its trade-off, the node counts each needs and the hosts' zones. */
final class TopologyPage extends FormPage {
    private Label spread;

    TopologyPage(Wizard w) { super(w); }

    @Override
    String id() { return "topology"; }

    @Override
    String[] fields() { return new String[] {"cluster.topology"}; }

    @Override
    List<String> labels() { return List.of(label("etcd")); }

    @Override
    void rows(Form f) {
        f.field(label("etcd"), radios(Topology.values(), t -> label(t.yaml()), () -> w.state.topology,
                t -> w.state.topology = t), "cluster.topology");
        f.gap();
        f.note(label("stacked.about"));
        f.gap();
        f.note(label("external-etcd.about"));
        f.gap();
        f.note(label("rules"));
        long cps = w.state.hosts.stream().filter(h -> h.is(Role.CONTROL_PLANE)).count();
        long etcd = w.state.hosts.stream().filter(h -> h.is(Role.ETCD)).count();
        f.note(w.msg.get("page.topology.counts", cps, etcd));
        spread = new Label("");
        f.wide(spread);
    }

    /** Every check (a change of topology included) shows the spread as the answers are now. */
    @Override
    void show(List<Problem> problems) {
        super.show(problems);
        if (spread != null) spread.setText(String.join("\n", spread()));
    }

    /**
     * Per role group, the hosts per zone in the order zones first appear ("control planes: a 1 · b 1 · c 1"),
     * the groups the zone checks judge: control planes, etcd members (their own hosts with external etcd),
     * workers without the control-plane role. Nothing when no host names a zone.
     */
    List<String> spread() {
        List<Host> hosts = w.state.hosts;
        if (hosts.stream().allMatch(h -> h.zone().isEmpty())) return List.of();
        List<String> out = new ArrayList<>();
        out.add(label("zones"));
        group(out, "zones.controlPlanes", hosts, h -> h.is(Role.CONTROL_PLANE));
        if (w.state.topology == Topology.EXTERNAL_ETCD) group(out, "zones.etcd", hosts, h -> h.is(Role.ETCD));
        group(out, "zones.workers", hosts, h -> h.is(Role.WORKER) && !h.is(Role.CONTROL_PLANE));
        return out;
    }

    private void group(List<String> out, String key, List<Host> hosts, Predicate<Host> member) {
        Map<String, Integer> byZone = new LinkedHashMap<>();
        for (Host h : hosts) {
            if (member.test(h)) byZone.merge(h.zone().isEmpty() ? label("zones.none") : h.zone(), 1, Integer::sum);
        }
        if (byZone.isEmpty()) return;
        List<String> counts = new ArrayList<>();
        byZone.forEach((zone, n) -> counts.add(zone + " " + n));
        out.add("  " + label(key, String.join(" · ", counts)));
    }
}
