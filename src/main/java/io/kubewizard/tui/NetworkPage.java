package io.kubewizard.tui;

import com.googlecode.lanterna.gui2.TextBox;
import io.kubewizard.answers.Defaults;
import io.kubewizard.answers.Spec.Cni;
import io.kubewizard.answers.Spec.KubeProxyMode;

import java.util.List;

/**
 * CNI, pod and service subnets (overlaps with each other and with the hosts are the validator's,
 * shown as you type), DNS domain and kube-proxy mode. Switching to or from flannel moves an untouched
 * pod subnet to that plugin's default.
 */
final class NetworkPage extends FormPage {
    private TextBox podSubnet;

    NetworkPage(Wizard w) { super(w); }

    @Override
    String id() { return "network"; }

    @Override
    String[] fields() { return new String[] {"network"}; }

    @Override
    List<String> labels() {
        return List.of(label("cni"), label("cniVersion"), label("pod"), label("service"), label("dns"), label("proxy"));
    }

    @Override
    void rows(Form f) {
        f.field(label("cni"), radios(Cni.values(), c -> label("cni." + c.yaml()), () -> w.state.cni,
                this::cni), "network.cni");
        f.field(label("cniVersion"), text(12, () -> w.state.cniVersion, t -> w.state.cniVersion = t),
                "network.cniVersion");
        podSubnet = f.field(label("pod"), text(24, () -> w.state.podSubnet, t -> w.state.podSubnet = t),
                "network.podSubnet");
        f.field(label("service"), text(24, () -> w.state.serviceSubnet, t -> w.state.serviceSubnet = t),
                "network.serviceSubnet");
        f.field(label("dns"), text(24, () -> w.state.dnsDomain, t -> w.state.dnsDomain = t), "network.dnsDomain");
        f.field(label("proxy"), combo(KubeProxyMode.values(), () -> w.state.kubeProxyMode, m -> w.state.kubeProxyMode = m),
                "network.kubeProxyMode");
    }

    private void cni(Cni cni) {
        String from = Defaults.podSubnetFor(w.state.cni);
        w.state.cni = cni;
        String to = Defaults.podSubnetFor(cni);
        if (w.state.podSubnet.trim().equals(from) && !from.equals(to)) {
            w.state.podSubnet = to;
            podSubnet.setText(to);
        }
    }
}
