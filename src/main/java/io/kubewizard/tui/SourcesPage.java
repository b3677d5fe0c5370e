package io.kubewizard.tui;

import com.googlecode.lanterna.gui2.TextBox;
import io.kubewizard.answers.Problem;

import java.util.List;

/**
 * Where the nodes get what they install, for networks without the internet: the answers'
 * {@code mirrors} mapping (package repositories, registry mirrors, downloads; docs/answers.md
 * "Mirrors") edited as the YAML the answers file holds under that key. Empty means the public
 * sources. A problem names its line and column in the editor, and its field. Below it, the
 * answers' {@code offline.directory}: a bundle on this machine that {@code kubewizard bundle} made
 * (docs/answers.md "Offline install"), read and checked as the loader reads it.
 */
final class SourcesPage extends FormPage {
    SourcesPage(Wizard w) { super(w); }

    @Override
    String id() { return "sources"; }

    @Override
    String[] fields() { return new String[] {"mirrors", "offline"}; }

    @Override
    List<String> labels() { return List.of(label("mirrors"), label("offline")); }

    @Override
    void rows(Form f) {
        f.note(label("intro"));
        TextBox editor = area(Math.max(30, w.columns() - 20), Math.max(4, Math.min(12, w.rows() - 18)),
                () -> w.state.mirrorsYaml, t -> w.state.mirrorsYaml = t);
        f.field(label("mirrors"), editor, "mirrors");
        f.note(label("note"));
        f.field(label("offline"), text(Math.max(30, Math.min(60, w.columns() - 30)),
                () -> w.state.offlineDirectory, t -> w.state.offlineDirectory = t), "offline.directory");
        f.note(label("offlineNote"));
    }

    @Override
    void show(List<Problem> problems) {
        form.show(problems.stream().map(p -> new Problem(p.severity(), p.field(), (p.location() != null
                ? label("at", p.location().line(), p.location().column()) + " " : "") + p.field() + ": " + p.message(),
                null)).toList());
    }
}
