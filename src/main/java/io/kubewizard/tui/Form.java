package io.kubewizard.tui;

import com.googlecode.lanterna.TerminalTextUtils;
import com.googlecode.lanterna.gui2.Component;
import com.googlecode.lanterna.gui2.GridLayout;
import com.googlecode.lanterna.gui2.Label;
import com.googlecode.lanterna.gui2.Panel;
import io.kubewizard.answers.Problem;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A page's body: rows of "label  field  mark", each followed by the validator's messages for that
 * field, inline. A message belongs to the registered field whose path is the longest prefix of the
 * problem's field ("hosts[1].address" goes to "hosts"); one matching no field goes to the page's
 * own message row at the end. A field's mark is ✓, ✗ or ! so no state relies on colour.
 */
final class Form {
    static final String OK = "✓";
    static final String ERROR = "✗";
    static final String WARNING = "!";

    private final ScrollPanel body = new ScrollPanel();
    private final List<Field> fields = new ArrayList<>();
    private final Panel pageMessages = new Panel(new GridLayout(1).setLeftMarginSize(0).setRightMarginSize(0));
    private final int labelWidth;
    private int wrapWidth = 76;

    private record Field(List<String> paths, Label mark, Panel messages) {
        /** The length of the longest path covering {@code field}, or -1. */
        int match(String field) {
            int best = -1;
            for (String p : paths) if (covers(p, field)) best = Math.max(best, p.length());
            return best;
        }

        // Each field is its own key in show(): identity, written out, because a record's generated
        // equals and hashCode are bootstrapped on first use, which cost the first paint about 15 ms.
        @Override
        public boolean equals(Object o) { return this == o; }

        @Override
        public int hashCode() { return System.identityHashCode(this); }
    }

    /** @param labels every label this form will show, so the field column lines up (display width) */
    Form(List<String> labels) {
        int w = 0;
        for (String l : labels) w = Math.max(w, TerminalTextUtils.getColumnWidth(l));
        labelWidth = w;
    }

    ScrollPanel component() { return body; }

    /**
     * A row: the label padded to the form's label width by display width, the field, its mark; the
     * messages go below, outside the row's grid, so a long message never widens the label column.
     */
    <T extends Component> T field(String label, T component, String... paths) {
        Panel line = new Panel(new GridLayout(3).setLeftMarginSize(0).setRightMarginSize(0).setHorizontalSpacing(1));
        line.addComponent(new Label(Text.padRight(label, labelWidth)));
        line.addComponent(component, GridLayout.createLayoutData(GridLayout.Alignment.BEGINNING,
                GridLayout.Alignment.BEGINNING));
        Label mark = new Label(" ");
        line.addComponent(mark, GridLayout.createLayoutData(GridLayout.Alignment.BEGINNING,
                GridLayout.Alignment.BEGINNING, true, false));
        Panel messages = new Panel(new GridLayout(1).setLeftMarginSize(0).setRightMarginSize(0));
        Panel row = new Panel(new GridLayout(1).setLeftMarginSize(0).setRightMarginSize(0));
        row.addComponent(line, GridLayout.createHorizontallyFilledLayoutData(1));
        row.addComponent(messages);
        body.addComponent(row);
        fields.add(new Field(List.of(paths), mark, messages));
        return component;
    }

    /** A component spanning the row (a table, a button bar), whose messages go under it. */
    <T extends Component> T wide(T component, String... paths) {
        Panel row = new Panel(new GridLayout(1).setLeftMarginSize(0).setRightMarginSize(0));
        row.addComponent(component);
        Panel messages = new Panel(new GridLayout(1).setLeftMarginSize(0).setRightMarginSize(0));
        row.addComponent(messages);
        body.addComponent(row);
        fields.add(new Field(List.of(paths), new Label(""), messages));
        return component;
    }

    /** Explanatory text, wrapped to the width when it is shown. */
    Label note(String text) {
        Label l = new Label(Text.wrap(text, wrapWidth));
        body.addComponent(l);
        notes.put(l, text);
        return l;
    }

    private final Map<Label, String> notes = new LinkedHashMap<>();

    void gap() { body.addComponent(new Label("")); }

    /** Sets the width messages and notes wrap at (the screen's width less the margins). */
    void width(int columns) {
        wrapWidth = Math.max(20, columns);
        notes.forEach((label, text) -> label.setText(Text.wrap(text, wrapWidth)));
    }

    /** Shows these problems inline; an empty list marks every field ✓. */
    void show(List<Problem> problems) {
        Map<Field, List<Problem>> byField = new LinkedHashMap<>();
        List<Problem> rest = new ArrayList<>();
        for (Field f : fields) byField.put(f, new ArrayList<>());
        for (Problem p : problems) {
            Field best = null;
            int bestLength = -1;
            for (Field f : fields) {
                int m = f.match(p.field());
                if (m > bestLength) {
                    best = f;
                    bestLength = m;
                }
            }
            if (best != null) byField.get(best).add(p);
            else rest.add(p);
        }
        byField.forEach((f, list) -> {
            if (!f.paths().isEmpty()) {
                f.mark().setText(list.stream().anyMatch(Problem::isError) ? ERROR : list.isEmpty() ? OK : WARNING);
            }
            fill(f.messages(), list);
        });
        if (!rest.isEmpty() && pageMessages.getParent() == null) body.addComponent(pageMessages);
        if (rest.isEmpty() && pageMessages.getParent() != null) body.removeComponent(pageMessages);
        fill(pageMessages, rest);
    }

    private void fill(Panel panel, List<Problem> problems) {
        panel.removeAllComponents();
        for (Problem p : problems) panel.addComponent(new Label(Text.wrap(line(p), wrapWidth)));
    }

    /** "✗ message" or "! message": the text a screen test asserts on. */
    static String line(Problem p) {
        return (p.isError() ? ERROR : WARNING) + " " + p.message();
    }

    static boolean covers(String path, String field) {
        return field.equals(path) || field.startsWith(path + ".") || field.startsWith(path + "[");
    }
}
