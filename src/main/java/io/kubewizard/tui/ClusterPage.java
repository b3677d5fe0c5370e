package io.kubewizard.tui;

import com.googlecode.lanterna.gui2.ComboBox;
import com.googlecode.lanterna.gui2.Panel;
import io.kubewizard.answers.KubernetesVersion;

import java.util.ArrayList;
import java.util.List;

/** Cluster name, Kubernetes version (minor from the known list, with its support status; patch typed), endpoint. */
final class ClusterPage extends FormPage {
    ClusterPage(Wizard w) { super(w); }

    @Override
    String id() { return "cluster"; }

    @Override
    String[] fields() {
        return new String[] {"cluster.name", "cluster.kubernetesVersion", "cluster.controlPlaneEndpoint",
                "cluster.imageRepository"};
    }

    @Override
    List<String> labels() { return List.of(label("name"), label("version"), label("endpoint"), label("registry")); }

    /** Known minors, newest first, plus the loaded one when kubewizard does not know it (so it shows, marked ✗). */
    List<String> minors() {
        List<String> minors = new ArrayList<>(KubernetesVersion.knownMinors());
        if (!minors.contains(w.state.k8sMinor)) minors.add(w.state.k8sMinor);
        return minors;
    }

    String minorLabel(String minor) {
        KubernetesVersion v = KubernetesVersion.parse(minor + ".0");
        KubernetesVersion.Support s = v == null ? KubernetesVersion.Support.UNKNOWN : v.support();
        return switch (s) {
            case SUPPORTED -> minor + "  " + Form.OK + " " + w.msg.get("version.supported");
            case OUT_OF_SUPPORT -> minor + "  " + Form.WARNING + " " + w.msg.get("version.outOfSupport");
            case UNKNOWN -> minor + "  " + Form.ERROR + " " + w.msg.get("version.unknown");
        };
    }

    @Override
    void rows(Form f) {
        f.note(w.msg.get("page.cluster.intro"));
        f.field(label("name"), text(30, () -> w.state.clusterName, t -> w.state.clusterName = t), "cluster.name");
        List<String> minors = minors();
        ComboBox<String> minor = new ComboBox<>();
        minors.forEach(m -> minor.addItem(minorLabel(m)));
        minor.setReadOnly(true);
        minor.setSelectedIndex(minors.indexOf(w.state.k8sMinor));
        minor.addListener((index, previous, byUser) -> {
            if (index < 0) return;
            w.state.k8sMinor = minors.get(index);
            w.changed();
        });
        Panel version = Wizard.row(minor, new com.googlecode.lanterna.gui2.Label(" " + label("patch") + " "),
                text(5, () -> w.state.k8sPatch, t -> w.state.k8sPatch = t));
        f.field(label("version"), version, "cluster.kubernetesVersion");
        f.field(label("endpoint"), text(40, () -> w.state.endpoint, t -> w.state.endpoint = t),
                "cluster.controlPlaneEndpoint");
        f.note(w.msg.get("page.cluster.endpointNote"));
        f.field(label("registry"), text(40, () -> w.state.imageRepository, t -> w.state.imageRepository = t),
                "cluster.imageRepository");
    }
}
