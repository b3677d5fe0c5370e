package io.kubewizard.tui;

import com.googlecode.lanterna.gui2.CheckBox;
import com.googlecode.lanterna.gui2.ComboBox;
import com.googlecode.lanterna.gui2.Component;
import com.googlecode.lanterna.gui2.RadioBoxList;
import com.googlecode.lanterna.gui2.TextBox;
import com.googlecode.lanterna.TerminalSize;
import io.kubewizard.answers.Problem;
import io.kubewizard.answers.Spec.Named;

import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

/** A page that is a {@link Form}: fields bound to {@link FormState}, messages inline. */
abstract class FormPage extends Page {
    protected Form form;

    FormPage(Wizard w) { super(w); }

    /** Adds this page's rows to a new form. */
    abstract void rows(Form form);

    /** Every label of the page, so the field column lines up. */
    abstract List<String> labels();

    @Override
    Component build() {
        form = new Form(labels());
        rows(form);
        return form.component();
    }

    @Override
    void show(List<Problem> problems) { form.show(problems); }

    @Override
    void width(int columns) { if (form != null) form.width(columns); }

    String label(String key, Object... args) { return w.msg.get("page." + id() + "." + key, args); }

    /** A one-line text box bound to a state field; every keystroke revalidates. */
    TextBox text(int columns, Supplier<String> get, Consumer<String> set) {
        TextBox box = new TextBox(new TerminalSize(columns, 1), get.get());
        box.setTextChangeListener((text, byUser) -> {
            set.accept(text);
            w.changed();
        });
        return box;
    }

    /** A multi-line text box bound to a state field. */
    TextBox area(int columns, int rows, Supplier<String> get, Consumer<String> set) {
        TextBox box = new TextBox(new TerminalSize(columns, rows), get.get(), TextBox.Style.MULTI_LINE);
        box.setTextChangeListener((text, byUser) -> {
            set.accept(text);
            w.changed();
        });
        return box;
    }

    /** A drop-down of an enum's YAML spellings (the words of the answers file, never translated). */
    <E extends Enum<E> & Named> ComboBox<String> combo(E[] values, Supplier<E> get, Consumer<E> set) {
        ComboBox<String> box = new ComboBox<>();
        for (E v : values) box.addItem(v.yaml());
        box.setReadOnly(true);
        box.setSelectedIndex(get.get().ordinal());
        box.addListener((index, previous, byUser) -> {
            if (index >= 0) {
                set.accept(values[index]);
                w.changed();
            }
        });
        return box;
    }

    /** Radio buttons of an enum, each labelled by {@code labelOf}. */
    <E extends Enum<E>> RadioBoxList<String> radios(E[] values, java.util.function.Function<E, String> labelOf,
                                                   Supplier<E> get, Consumer<E> set) {
        RadioBoxList<String> list = new RadioBoxList<>();
        for (E v : values) list.addItem(labelOf.apply(v));
        list.setCheckedItemIndex(get.get().ordinal());
        list.setSelectedIndex(get.get().ordinal());
        list.addListener((index, previous) -> {
            if (index >= 0) {
                set.accept(values[index]);
                w.changed();
            }
        });
        return list;
    }

    CheckBox check(String label, Supplier<Boolean> get, Consumer<Boolean> set) {
        CheckBox box = new CheckBox(label);
        box.setChecked(get.get());
        box.addListener(checked -> {
            set.accept(checked);
            w.changed();
        });
        return box;
    }
}
