package io.kubewizard.tui;

import com.googlecode.lanterna.gui2.TextBox;
import io.kubewizard.answers.Problem;

import java.util.List;

/**
 * Where the nodes get what they install, for networks without the internet: the answers'
 * {@code mirrors} mapping (package repositories, registry mirrors, downloads; docs/answers.md
 * "Mirrors") edited as the YAML the answers file holds under that key. Empty means the public
 * sources. A problem names its line and column in the editor, and its field.
 */
final class SourcesPage extends FormPage {
    SourcesPage(Wizard w) { super(w); }

    @Override
    String id() { return "sources"; }

    @Override
    String[] fields() { return new String[] {"mirrors"}; }

    @Override
    List<String> labels() { return List.of(label("mirrors")); }

    @Override
    void rows(Form f) {
        f.note(label("intro"));
        TextBox editor = area(Math.max(30, w.columns() - 20), Math.max(4, Math.min(12, w.rows() - 14)),
                () -> w.state.mirrorsYaml, t -> w.state.mirrorsYaml = t);
        f.field(label("mirrors"), editor, "mirrors");
        f.note(label("note"));
    }

    @Override
    void show(List<Problem> problems) {
        form.show(problems.stream().map(p -> new Problem(p.severity(), p.field(), (p.location() != null
                ? label("at", p.location().line(), p.location().column()) + " " : "") + p.field() + ": " + p.message(),
                null)).toList());
    }
}
