package io.kubewizard.tui;

import io.kubewizard.answers.Spec.LoadBalancerType;

import java.util.List;

/** How the API server is reached: no balancer, the user's, or one kubewizard runs (kube-vip, haproxy+keepalived). */
final class LoadBalancerPage extends FormPage {
    LoadBalancerPage(Wizard w) { super(w); }

    @Override
    String id() { return "loadBalancer"; }

    @Override
    String[] fields() { return new String[] {"cluster.loadBalancer", "cluster.controlPlaneEndpoint"}; }

    @Override
    List<String> labels() {
        return List.of(label("type"), label("vip"), label("interface"), label("port"), label("endpoint"));
    }

    @Override
    void rows(Form f) {
        f.field(label("type"), radios(LoadBalancerType.values(), t -> label("type." + t.yaml()),
                () -> w.state.lbType, t -> w.state.lbType = t), "cluster.loadBalancer.type");
        f.field(label("vip"), text(20, () -> w.state.vip, t -> w.state.vip = t), "cluster.loadBalancer.vip");
        f.field(label("interface"), text(16, () -> w.state.iface, t -> w.state.iface = t),
                "cluster.loadBalancer.interface");
        f.field(label("port"), text(6, () -> w.state.lbPort, t -> w.state.lbPort = t), "cluster.loadBalancer.port");
        f.note(label("portNote"));
        f.field(label("endpoint"), text(40, () -> w.state.endpoint, t -> w.state.endpoint = t),
                "cluster.controlPlaneEndpoint", "cluster.loadBalancer");
    }
}
