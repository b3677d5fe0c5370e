package io.kubewizard.tui;

import com.googlecode.lanterna.gui2.ComboBox;
import com.googlecode.lanterna.gui2.TextBox;
import io.kubewizard.answers.Problem;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Pass-through settings, one section at a time in one editor: extraArgs per control-plane component
 * (name=value lines), feature gates (Name=true lines), and the kubelet and kube-proxy overrides as
 * YAML. Messages name the setting they are about, since one editor shows several sections.
 */
final class AdvancedPage extends FormPage {
    private record Section(String key, String field, Supplier<String> get, Consumer<String> set) {}

    private final List<Section> sections = new ArrayList<>();
    private int section;

    AdvancedPage(Wizard w) {
        super(w);
        for (String c : FormState.COMPONENTS) {
            sections.add(new Section("args." + c, "components." + c, () -> w.state.extraArgs.get(c),
                    t -> w.state.extraArgs.put(c, t)));
        }
        sections.add(new Section("kubelet", "components.kubelet", () -> w.state.kubeletYaml, t -> w.state.kubeletYaml = t));
        sections.add(new Section("kubeProxy", "components.kubeProxy", () -> w.state.kubeProxyYaml,
                t -> w.state.kubeProxyYaml = t));
        sections.add(new Section("featureGates", "cluster.featureGates", () -> w.state.featureGates,
                t -> w.state.featureGates = t));
    }

    @Override
    String id() { return "advanced"; }

    @Override
    String[] fields() { return new String[] {"components", "cluster.featureGates"}; }

    @Override
    List<String> labels() { return List.of(label("section"), label("value")); }

    @Override
    void rows(Form f) {
        ComboBox<String> pick = new ComboBox<>();
        sections.forEach(s -> pick.addItem(label("section." + s.key())));
        pick.setReadOnly(true);
        pick.setSelectedIndex(section);
        f.field(label("section"), pick);
        TextBox editor = area(Math.max(30, w.columns() - 24), Math.max(4, Math.min(10, w.rows() - 16)),
                () -> sections.get(section).get().get(), t -> sections.get(section).set().accept(t));
        pick.addListener((index, previous, byUser) -> {
            if (index < 0) return;
            section = index;
            editor.setText(sections.get(index).get().get());
            w.changed();
        });
        List<String> paths = sections.stream().map(Section::field).toList();
        f.field(label("value"), editor, paths.toArray(String[]::new));
        f.note(label("note"));
    }

    @Override
    void show(List<Problem> problems) {
        form.show(problems.stream().map(p -> new Problem(p.severity(), p.field(), p.field() + ": " + p.message(), null))
                .toList());
    }
}
