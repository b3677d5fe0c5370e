package io.kubewizard.tui;

import io.kubewizard.plan.Facts;
import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.gui2.Button;
import com.googlecode.lanterna.gui2.CheckBoxList;
import com.googlecode.lanterna.gui2.Label;
import com.googlecode.lanterna.gui2.Panel;
import com.googlecode.lanterna.gui2.Window;
import com.googlecode.lanterna.gui2.table.Table;
import io.kubewizard.answers.Problem;
import io.kubewizard.answers.Spec.Host;
import io.kubewizard.answers.Spec.Role;
import io.kubewizard.answers.Spec.Ssh;
import io.kubewizard.run.HostCheck;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The hosts table: add, edit, remove, the file-wide SSH defaults, and import from ~/.ssh/config.
 * Each row starts with its host's mark (✓ ✗ !), and the messages under the table name the host.
 */
final class HostsPage extends FormPage {
    private static final Pattern HOST_FIELD = Pattern.compile("hosts\\[(\\d+)](.*)");
    private static final int VISIBLE_ROWS = 8;

    private Table<String> table;

    HostsPage(Wizard w) { super(w); }

    @Override
    String id() { return "hosts"; }

    @Override
    String[] fields() { return new String[] {"hosts", "ssh"}; }

    @Override
    List<String> labels() { return List.of(); }

    @Override
    void rows(Form f) {
        table = new Table<>("", label("col.name"), label("col.address"), label("col.roles"), label("col.ssh"));
        table.setVisibleRows(VISIBLE_ROWS);
        table.setSelectAction(this::edit);
        fill(List.of());
        f.wide(table, "hosts");
        Panel buttons = Wizard.row(new Button(label("add"), this::add), new Button(label("edit"), this::edit),
                new Button(label("remove"), this::remove), new Button(label("sshDefaults"), this::sshDefaults),
                new Button(label("import"), this::importSshConfig));
        f.wide(buttons, "ssh");
        Button test = new Button(label("test"), this::testConnection);
        test.setEnabled(w.options.tester() != null);
        f.wide(Wizard.row(test, new Label(" " + label(w.options.tester() != null ? "testReady" : "testNote"))));
    }

    private void fill(List<Problem> problems) {
        int selected = table.getSelectedRow();
        while (table.getTableModel().getRowCount() > 0) table.getTableModel().removeRow(0);
        for (int i = 0; i < w.state.hosts.size(); i++) {
            Host h = w.state.hosts.get(i);
            String field = "hosts[" + i + "]";
            List<Problem> own = problems.stream().filter(p -> Form.covers(field, p.field())).toList();
            String mark = own.stream().anyMatch(Problem::isError) ? Form.ERROR : own.isEmpty() ? Form.OK : Form.WARNING;
            table.getTableModel().addRow(mark, h.name(), h.address(), roles(h), sshSummary(h.ssh()));
        }
        if (w.state.hosts.isEmpty()) table.getTableModel().addRow(" ", label("none"), "", "", "");
        table.setSelectedRow(Math.max(0, Math.min(selected, table.getTableModel().getRowCount() - 1)));
    }

    static String roles(Host h) {
        return String.join(",", h.roles().stream().map(Role::yaml).toList());
    }

    private String sshSummary(Ssh o) {
        if (o == null || o.isEmpty()) return "-";
        StringBuilder sb = new StringBuilder();
        if (o.user() != null) sb.append(o.user()).append('@');
        if (o.port() != null) sb.append(':').append(o.port());
        if (o.identityFile() != null) sb.append(sb.length() > 0 ? " " : "").append(o.identityFile());
        if (o.bastion() != null && !o.bastion().isEmpty()) sb.append(" via ").append(o.bastion());
        return sb.length() == 0 ? "*" : sb.toString();
    }

    @Override
    void show(List<Problem> problems) {
        fill(problems);
        List<Problem> named = new ArrayList<>();
        for (Problem p : problems) {
            Matcher m = HOST_FIELD.matcher(p.field());
            if (m.matches() && Integer.parseInt(m.group(1)) < w.state.hosts.size()) {
                String name = w.state.hosts.get(Integer.parseInt(m.group(1))).name();
                named.add(new Problem(p.severity(), p.field(), (name.isEmpty() ? p.field() : name) + ": " + p.message(),
                        null));
            } else {
                named.add(p);
            }
        }
        form.show(named);
    }

    private int selected() {
        int row = table.getSelectedRow();
        return w.state.hosts.isEmpty() || row < 0 || row >= w.state.hosts.size() ? -1 : row;
    }

    private void add() {
        List<Role> roles = w.state.hosts.stream().anyMatch(h -> h.is(Role.CONTROL_PLANE))
                ? List.of(Role.WORKER) : List.of(Role.CONTROL_PLANE, Role.WORKER);
        new HostDialog(w, -1, new Host("", "", "", roles, "", Map.of(), List.of(), Ssh.none()), this::afterDialog);
    }

    private void edit() {
        int i = selected();
        if (i >= 0) new HostDialog(w, i, w.state.hosts.get(i), this::afterDialog);
    }

    private void remove() {
        int i = selected();
        if (i < 0) return;
        String name = w.state.hosts.get(i).name();
        Dialogs.message(w.gui, label("remove"), w.msg.get("page.hosts.removeConfirm", name), 50, null,
                new Dialogs.Choice(label("remove"), () -> {
                    w.state.hosts.remove(i);
                    w.changed();
                }),
                new Dialogs.Choice(w.msg.get("button.cancel"), () -> { }));
    }

    /**
     * Connects to the selected host on a thread of its own (a question it needs answered comes as a
     * dialog), with a Cancel that stops it, then shows what it found or why it failed.
     */
    private void testConnection() {
        int i = selected();
        if (i < 0) {
            w.setStatus(Form.ERROR + " " + label("testNone"));
            return;
        }
        Host host = w.state.hosts.get(i);
        var spec = w.state.build().spec();
        String title = label("testTitle", host.name());
        int width = Math.min(64, w.wrapWidth() - 6);
        Thread worker = new Thread(() -> {
            HostCheck.Report report;
            try {
                report = w.options.tester().test(spec, host, w.prompter);
            } catch (InterruptedException cancelled) {
                return;
            } catch (RuntimeException e) {
                report = new HostCheck.Report(host.name(), null, null, "internal error: " + e);
            }
            HostCheck.Report shown = report;
            try {
                w.gui.getGUIThread().invokeLater(() -> showReport(title, host, shown));
            } catch (IllegalStateException guiStopped) {
                // the wizard closed meanwhile: nobody to tell
            }
        }, "kubewizard-test-connection");
        worker.setDaemon(true);
        testing = Dialogs.message(w.gui, title, label("testing", host.name(), host.address()), width,
                worker::interrupt, new Dialogs.Choice(w.msg.get("button.cancel"), worker::interrupt));
        worker.start();
    }

    /** The "connecting" dialog while a test runs; the report replaces it. */
    private Window testing;

    /** Wide enough at 80 columns for "Host key ED25519 SHA256:…" on one line. */
    private void showReport(String title, Host host, HostCheck.Report r) {
        int width = Math.min(72, w.wrapWidth() - 4);
        if (testing != null) testing.close();
        testing = null;
        String text;
        if (!r.reachable()) {
            text = Form.ERROR + " " + label("testFailed", host.name(), host.address(), r.error());
        } else {
            List<String> names = List.of(label("testOs"), label("testCpus"), label("testMemory"), label("testHostKey"));
            int pad = names.stream().mapToInt(Text::width).max().orElse(0) + 1;
            Facts f = r.facts();
            String unknown = label("testUnknown");
            text = Form.OK + " " + label("testOk", host.name(), host.address()) + "\n"
                    + Text.padRight(names.get(0), pad) + (f == null ? unknown : f.osName() + ", " + f.arch()) + "\n"
                    + Text.padRight(names.get(1), pad) + (f == null ? unknown : Integer.toString(f.cpus())) + "\n"
                    + Text.padRight(names.get(2), pad) + (f == null ? unknown
                            : label("testMemoryValue", Long.toString(f.memoryMb()))) + "\n"
                    + Text.padRight(names.get(3), pad) + (r.hostKey() == null ? unknown : r.hostKey());
        }
        Dialogs.message(w.gui, title, text, width, () -> { },
                new Dialogs.Choice(w.msg.get("button.close"), () -> { }));
    }

    private void afterDialog() {
        w.changed();
        w.window().setFocusedInteractable(table);
    }

    private void sshDefaults() { new SshDialog(w, this::afterDialog); }

    /** ~/.ssh/config's concrete Host names, checked except those already in the table. */
    private void importSshConfig() {
        Path file = w.options.home().resolve(".ssh").resolve("config");
        List<SshConfig.Entry> entries;
        try {
            entries = SshConfig.parse(Files.readString(file));
        } catch (NoSuchFileException e) {
            w.setStatus(Form.ERROR + " " + w.msg.get("page.hosts.importNone", file));
            return;
        } catch (IOException e) {
            w.setStatus(Form.ERROR + " " + w.msg.get("page.hosts.importFailed", file, e.getMessage()));
            return;
        }
        if (entries.isEmpty()) {
            w.setStatus(Form.ERROR + " " + w.msg.get("page.hosts.importEmpty", file));
            return;
        }
        CheckBoxList<String> list = new CheckBoxList<>(new TerminalSize(60, Math.min(entries.size(), w.rows() - 10)));
        for (SshConfig.Entry e : entries) {
            boolean present = w.state.hosts.stream().anyMatch(h -> h.name().equals(e.alias()));
            list.addItem(e.alias() + "  " + (e.user() != null ? e.user() + "@" : "") + e.address()
                    + (e.port() != null ? ":" + e.port() : ""), !present);
        }
        Button ok = new Button(label("importButton"));
        Button cancel = new Button(w.msg.get("button.cancel"));
        Panel content = new Panel();
        content.addComponent(new Label(w.msg.get("page.hosts.importPrompt", file)));
        content.addComponent(list);
        var dialog = Dialogs.custom(w.gui, label("import"), content, List.of(ok, cancel), null);
        cancel.addListener(b -> dialog.close());
        ok.addListener(b -> {
            dialog.close();
            int added = 0;
            for (int i = 0; i < entries.size(); i++) {
                if (!list.isChecked(i)) continue;
                SshConfig.Entry e = entries.get(i);
                if (w.state.hosts.stream().anyMatch(h -> h.name().equals(e.alias()))) continue;
                w.state.hosts.add(imported(e));
                added++;
            }
            w.setStatus(Form.OK + " " + w.msg.get("page.hosts.imported", added, file));
            afterDialog();
        });
    }

    /** The first host becomes a control plane that also runs workloads; later ones are workers. */
    private Host imported(SshConfig.Entry e) {
        boolean hasControlPlane = w.state.hosts.stream().anyMatch(h -> h.is(Role.CONTROL_PLANE));
        List<Role> roles = hasControlPlane ? List.of(Role.WORKER) : List.of(Role.CONTROL_PLANE, Role.WORKER);
        Ssh defaults = w.state.ssh;
        String user = e.user() != null && !e.user().equals(defaults.user()) ? e.user() : null;
        Integer port = e.port() != null && !e.port().equals(defaults.port()) ? e.port() : null;
        return new Host(e.alias(), e.address(), e.address(), roles, "", Map.of(), List.of(),
                new Ssh(user, port, null, null, null, null, null));
    }
}
