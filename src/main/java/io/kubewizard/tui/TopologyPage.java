package io.kubewizard.tui;

import io.kubewizard.answers.Spec.Role;
import io.kubewizard.answers.Spec.Topology;

import java.util.List;

/** Stacked or external etcd, each with its trade-off, and the node counts each needs. */
final class TopologyPage extends FormPage {
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
    }
}
