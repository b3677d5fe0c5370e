package io.kubewizard.tui;

import io.kubewizard.plan.Facts;
import io.kubewizard.plan.Observed;
import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.gui2.Button;
import com.googlecode.lanterna.gui2.TextBox;
import com.googlecode.lanterna.gui2.CheckBoxList;
import com.googlecode.lanterna.gui2.Label;
import com.googlecode.lanterna.gui2.Panel;
import com.googlecode.lanterna.gui2.Window;
import com.googlecode.lanterna.gui2.table.Table;
import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;
import io.kubewizard.answers.Problem;
import io.kubewizard.answers.Spec.ClusterSpec;
import io.kubewizard.answers.Spec.Host;
import io.kubewizard.answers.Spec.Role;
import io.kubewizard.answers.Spec.Ssh;
import io.kubewizard.run.HostCheck;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The hosts table: add, edit, remove, the file-wide SSH defaults, and import from ~/.ssh/config.
 * Each row starts with its host's mark (✓ ✗ !), and the messages under the table name the host.
 *
 * <p>For an installed cluster the table has a State column, read from the cluster itself through
 * {@link Installer#observe} on a thread of its own (the screen stays live meanwhile; F5 or Refresh
 * reads again): Ready or NotReady for a Node, "not joined" for a host that joins on the next
 * Install, "leaving" for one marked {@code remove: true} or dropped since the last apply,
 * "unreachable" (the reason in the status line), and the cluster's unmanaged nodes, read-only. There
 * Remove on a host the cluster has marks it leaving instead of deleting it, and again keeps it.
 */
final class HostsPage extends FormPage {
    private static final Pattern HOST_FIELD = Pattern.compile("hosts\\[(\\d+)](.*)");
    private static final int VISIBLE_ROWS = 8;

    private Table<String> table;
    private Label liveNote;

    /** A row of the table: a host of the answers, one marked leaving, one dropped since the last apply, a node no answers name. */
    private enum Kind { HOST, MARKED, DROPPED, UNMANAGED }

    /** @param host null for an unmanaged node */
    private record Row(Kind kind, String name, Host host) {}

    private List<Row> shown = List.of();

    /** What the last read of the installed cluster found; null before one finished (or after other answers were loaded). */
    private Installer.Live live;
    private Thread reader;
    /** Counts reads, so the answer of one that was replaced or forgotten is dropped. */
    private int generation;

    HostsPage(Wizard w) { super(w); }

    @Override
    String id() { return "hosts"; }

    @Override
    String[] fields() { return new String[] {"hosts", "ssh"}; }

    @Override
    List<String> labels() { return List.of(); }

    @Override
    void rows(Form f) {
        List<String> columns = new ArrayList<>(List.of("", label("col.name"), label("col.address"), label("col.roles"),
                label("col.ssh")));
        if (w.installed()) columns.add(label("col.state"));
        table = new Table<>(columns.toArray(String[]::new));
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
        if (!w.installed()) {
            f.wide(Wizard.row(test, new Label(" " + label(w.options.tester() != null ? "testReady" : "testNote"))));
            return;
        }
        Button refresh = new Button(label("refresh"), this::read);
        refresh.setEnabled(w.options.installer() != null);
        Button certs = new Button(label("certs"), this::showCertificates);
        certs.setEnabled(w.options.installer() != null);
        liveNote = new Label("");
        // Add user is F7 only: a fourth button would not fit 80 columns beside the live note (the help says so)
        f.wide(Wizard.row(test, refresh, certs, liveNote));
        noteLive();
        // the first time the page shows this cluster: it is read while the page is already usable
        if (w.options.installer() != null && live == null && reader == null) start();
    }

    private void fill(List<Problem> problems) {
        int selected = table.getSelectedRow();
        while (table.getTableModel().getRowCount() > 0) table.getTableModel().removeRow(0);
        shown = tableRows();
        boolean state = w.installed();
        for (int i = 0; i < shown.size(); i++) {
            Row r = shown.get(i);
            List<String> cells = new ArrayList<>();
            if (r.kind() == Kind.HOST) {
                String field = "hosts[" + i + "]";
                List<Problem> own = problems.stream().filter(p -> Form.covers(field, p.field())).toList();
                cells.add(own.stream().anyMatch(Problem::isError) ? Form.ERROR : own.isEmpty() ? Form.OK : Form.WARNING);
            } else {
                cells.add(" ");
            }
            cells.add(r.name());
            if (r.host() != null) {
                cells.addAll(List.of(r.host().address(), roles(r.host()), sshSummary(r.host().ssh())));
            } else {
                Observed.NodeView n = live.observed().nodes().get(r.name());
                cells.addAll(List.of("", n != null && n.controlPlane() ? Role.CONTROL_PLANE.yaml() : "", ""));
            }
            if (state) cells.add(stateOf(r));
            table.getTableModel().addRow(cells.toArray(String[]::new));
        }
        if (shown.isEmpty()) {
            List<String> none = new ArrayList<>(List.of(" ", label("none"), "", "", ""));
            if (state) none.add("");
            table.getTableModel().addRow(none.toArray(String[]::new));
        }
        table.setSelectedRow(Math.max(0, Math.min(selected, table.getTableModel().getRowCount() - 1)));
    }

    /**
     * The answers' hosts (their row is their index, as the validator's "hosts[i]" counts), then the
     * hosts marked leaving, then for an installed cluster the hosts its last apply had that the
     * answers dropped, and the nodes of the cluster that nobody manages.
     */
    private List<Row> tableRows() {
        List<Row> out = new ArrayList<>();
        Set<String> named = new LinkedHashSet<>();
        for (Host h : w.state.hosts) {
            out.add(new Row(Kind.HOST, h.name(), h));
            named.add(h.name());
        }
        for (Host h : w.state.removed) {
            out.add(new Row(Kind.MARKED, h.name(), h));
            named.add(h.name());
        }
        if (!w.installed()) return out;
        for (Host h : w.applied()) {
            if (!named.contains(h.name())) out.add(new Row(Kind.DROPPED, h.name(), h));
        }
        if (live != null && live.change() != null) {
            for (String node : live.change().unmanaged()) {
                if (!named.contains(node)) out.add(new Row(Kind.UNMANAGED, node, null));
            }
        }
        return out;
    }

    /** The State column: what the last read found, for the answers as they stand now. */
    private String stateOf(Row r) {
        if (r.kind() == Kind.MARKED || r.kind() == Kind.DROPPED) return label("state.leaving");
        if (live == null) return reader != null ? label("state.reading") : "";
        if (live.observed() == null) return "?";
        if (r.kind() == Kind.UNMANAGED) return label("state.unmanaged");
        Observed o = live.observed();
        Observed.HostState s = o.host(r.name());
        if (s != null && !s.reachable()) return label("state.unreachable");
        Observed.NodeView n = o.nodes().get(r.name());
        if (n != null) return label(n.ready() ? "state.ready" : "state.notReady");
        if (r.host().is(Role.ETCD) && member(o, r.host())) return label("state.member");
        if (o.joined(r.name())) return label("state.joined");
        return label("state.notJoined");
    }

    /** Whether an external etcd host is a member of the observed etcd cluster (by name, or by its peer URL). */
    private static boolean member(Observed o, Host h) {
        String peer = "https://" + h.internalAddress() + ":2380";
        return o.etcdMembers().stream().anyMatch(m -> m.name().equals(h.name()) || m.peerUrl().equals(peer));
    }

    /** Whether the cluster has this host: its last apply did, or the read found it a node or an etcd member. */
    private boolean clusterHas(Host h) {
        if (w.applied().stream().anyMatch(a -> a.name().equals(h.name()))) return true;
        if (live == null || live.observed() == null) return false;
        return live.observed().joined(h.name()) || (h.is(Role.ETCD) && member(live.observed(), h));
    }

    // ---------------------------------------------------------------- reading the installed cluster

    /** F5 reads the installed cluster again; F6 shows its certificates; F7 adds a user. */
    @Override
    boolean key(KeyStroke key) {
        if (!w.installed() || w.options.installer() == null) return false;
        if (key.getKeyType() == KeyType.F5) {
            read();
            return true;
        }
        if (key.getKeyType() == KeyType.F6) {
            showCertificates();
            return true;
        }
        if (key.getKeyType() == KeyType.F7) {
            addUser();
            return true;
        }
        return false;
    }

    /**
     * Reads the installed cluster on a thread of its own, replacing a read still going; the answer
     * comes back to the GUI thread, and fills the State column when it does.
     */
    private void read() {
        start();
        w.revalidate();
    }

    private void start() {
        if (reader != null) reader.interrupt();
        int asked = ++generation;
        ClusterSpec spec = w.state.build().spec();
        var dir = w.runDirectory(spec);
        Installer installer = w.options.installer();
        Thread worker = new Thread(() -> {
            Installer.Live found;
            try {
                found = installer.observe(spec, dir, w.prompter);
            } catch (InterruptedException replaced) {
                return;
            } catch (RuntimeException e) {
                found = Installer.Live.failed("internal error: " + e);
            }
            Installer.Live answer = found;
            try {
                w.gui.getGUIThread().invokeLater(() -> done(asked, answer));
            } catch (IllegalStateException guiStopped) {
                // the wizard closed meanwhile: nobody to tell
            }
        }, "kubewizard-read-cluster");
        worker.setDaemon(true);
        reader = worker;
        live = null;
        w.setStatus("▶ " + label("reading"));
        noteLive();
        worker.start();
    }

    private void done(int asked, Installer.Live answer) {
        if (asked != generation) return;
        reader = null;
        live = answer;
        if (w.page() != this) return;
        w.revalidate();
        noteLive();
        w.setStatus(summary());
    }

    /** What the read found, for the status line: the reasons of hosts it could not reach above all. */
    private String summary() {
        if (live.observed() == null) return Form.ERROR + " " + label("readFailed", live.failure());
        List<String> unreachable = new ArrayList<>();
        live.observed().hosts().forEach((name, s) -> {
            if (!s.reachable()) unreachable.add(label("unreachable", name, s.problem()));
        });
        if (!unreachable.isEmpty()) return Form.WARNING + " " + String.join("; ", unreachable);
        Map<String, Observed.NodeView> nodes = live.observed().nodes();
        long ready = nodes.values().stream().filter(Observed.NodeView::ready).count();
        return Form.OK + " " + label("read", nodes.size(), ready);
    }

    private void noteLive() {
        if (liveNote == null) return;
        String text = w.options.installer() == null ? label("refreshNote")
                : reader != null ? label("reading") : label("refreshReady");
        liveNote.setText(" " + text);
    }

    /** Other answers were loaded: what was read was of another cluster, or of none. */
    void forget() {
        generation++;
        if (reader != null) reader.interrupt();
        reader = null;
        live = null;
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

    /** The selected host of the answers (its index in them), or -1 on any other row. */
    private int selected() {
        Row r = selectedRow();
        return r == null || r.kind() != Kind.HOST ? -1 : table.getSelectedRow();
    }

    private Row selectedRow() {
        int row = table.getSelectedRow();
        return row < 0 || row >= shown.size() ? null : shown.get(row);
    }

    /** Edit and Remove said no: the row is not one of the answers' hosts. */
    private boolean notEditable(Row r) {
        if (r == null || r.kind() == Kind.HOST) return false;
        w.setStatus(Form.ERROR + " " + (r.kind() == Kind.UNMANAGED ? label("unmanagedReadOnly", r.name())
                : label("leavingReadOnly", r.name())));
        return true;
    }

    private void add() {
        List<Role> roles = w.state.hosts.stream().anyMatch(h -> h.is(Role.CONTROL_PLANE))
                ? List.of(Role.WORKER) : List.of(Role.CONTROL_PLANE, Role.WORKER);
        new HostDialog(w, -1, new Host("", "", "", roles, "", Map.of(), List.of(), Ssh.none()), this::afterDialog);
    }

    private void edit() {
        if (notEditable(selectedRow())) return;
        int i = selected();
        if (i >= 0) new HostDialog(w, i, w.state.hosts.get(i), this::afterDialog);
    }

    /**
     * A host that never joined leaves the answers; one the installed cluster has is marked leaving
     * (remove: true: Install drains it, resets it and deletes its Node), and Remove on a leaving host
     * keeps it after all. Nodes nobody manages are not the answers' to remove.
     */
    private void remove() {
        Row r = selectedRow();
        if (r == null || r.kind() == Kind.UNMANAGED) {
            if (r != null) notEditable(r);
            return;
        }
        String name = r.name();
        int width = Math.min(60, w.wrapWidth() - 6);
        Runnable cancel = () -> { };
        switch (r.kind()) {
            case HOST -> {
                int i = table.getSelectedRow();
                if (w.installed() && clusterHas(r.host())) {
                    Dialogs.message(w.gui, label("remove"), label("leaveConfirm", name), width, null,
                            new Dialogs.Choice(label("leave"), () -> {
                                w.state.hosts.remove(i);
                                w.state.removed.add(FormState.marked(r.host(), true));
                                w.setStatus(Form.OK + " " + label("marked", name));
                                w.changed();
                            }),
                            new Dialogs.Choice(w.msg.get("button.cancel"), cancel));
                } else {
                    Dialogs.message(w.gui, label("remove"), label("removeConfirm", name), 50, null,
                            new Dialogs.Choice(label("remove"), () -> {
                                w.state.hosts.remove(i);
                                w.changed();
                            }),
                            new Dialogs.Choice(w.msg.get("button.cancel"), cancel));
                }
            }
            case MARKED, DROPPED -> Dialogs.message(w.gui, label("keep"), label("keepConfirm", name), width, null,
                    new Dialogs.Choice(label("keep"), () -> {
                        w.state.removed.removeIf(h -> h.name().equals(name));
                        w.state.hosts.add(FormState.marked(r.host(), false));
                        w.setStatus(Form.OK + " " + label("kept", name));
                        w.changed();
                    }),
                    new Dialogs.Choice(w.msg.get("button.cancel"), cancel));
            default -> { }
        }
    }

    /**
     * Connects to the selected host on a thread of its own (a question it needs answered comes as a
     * dialog), with a Cancel that stops it, then shows what it found or why it failed.
     */
    private void testConnection() {
        Row row = selectedRow();
        if (row == null || row.host() == null) {
            w.setStatus(Form.ERROR + " " + label("testNone"));
            return;
        }
        Host host = row.host();
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

    /**
     * The installed cluster's certificates, read on every node as {@code certs --live} reads them, in a
     * dialog that scrolls (the table is wider than the screen); nothing is changed.
     */
    private void showCertificates() {
        var spec = w.state.build().spec();
        var dir = w.runDirectory(spec);
        Installer installer = w.options.installer();
        String title = label("certsTitle", spec.cluster().name());
        offGuiThread("kubewizard-read-certificates", title, label("certsReading"), 64,
                () -> installer.certificates(spec, dir, w.prompter), shown -> {
                    TextBox box = new TextBox(new TerminalSize(Math.max(40, w.columns() - 8), Math.max(5, w.rows() - 10)), shown,
                            TextBox.Style.MULTI_LINE);
                    box.setReadOnly(true);
                    Window[] dialog = new Window[1];
                    Button ok = new Button(w.msg.get("button.ok"), () -> dialog[0].close());
                    dialog[0] = Dialogs.custom(w.gui, title, box, List.of(ok), () -> { });
                    dialog[0].setFocusedInteractable(box);
                });
    }

    /** What a worker of {@link #offGuiThread} does: it connects, so it blocks, and Cancel interrupts it. */
    private interface Blocking {
        String get() throws InterruptedException;
    }

    /**
     * Runs {@code work} on a thread of its own behind a dialog saying {@code waiting} (Cancel or Esc
     * interrupts it); its answer, or the internal error, is shown by {@code show} on the GUI thread.
     */
    private void offGuiThread(String threadName, String title, String waiting, int width, Blocking work,
                              java.util.function.Consumer<String> show) {
        Thread worker = new Thread(() -> {
            String text;
            try {
                text = work.get();
            } catch (InterruptedException cancelled) {
                return;
            } catch (RuntimeException e) {
                text = "internal error: " + e;
            }
            String shown = text;
            try {
                w.gui.getGUIThread().invokeLater(() -> {
                    if (testing != null) testing.close();
                    testing = null;
                    show.accept(shown);
                });
            } catch (IllegalStateException guiStopped) {
                // the wizard closed meanwhile: nobody to tell
            }
        }, threadName);
        worker.setDaemon(true);
        testing = Dialogs.message(w.gui, title, waiting, Math.min(width, w.wrapWidth() - 6), worker::interrupt,
                new Dialogs.Choice(w.msg.get("button.cancel"), worker::interrupt));
        worker.start();
    }

    /**
     * Add user: name, groups, role (a ClusterRole, or a Role with a namespace), days and the kubeconfig's file,
     * then {@code user add}'s own checks and run (Installer.addUser) off the GUI thread; what it did, or why
     * nothing was done, in a dialog.
     */
    private void addUser() {
        var spec = w.state.build().spec();
        var dir = w.runDirectory(spec);
        Installer installer = w.options.installer();
        String title = label("userTitle", spec.cluster().name());
        Panel fields = new Panel(new com.googlecode.lanterna.gui2.GridLayout(2));
        TextBox name = userField(fields, "userName", "");
        TextBox groups = userField(fields, "userGroups", "");
        TextBox role = userField(fields, "userRole", "");
        TextBox namespace = userField(fields, "userNamespace", "");
        TextBox days = userField(fields, "userDays", "365");
        TextBox output = userField(fields, "userOutput", "");
        int width = Math.min(70, w.wrapWidth() - 6);
        Panel content = new Panel(new com.googlecode.lanterna.gui2.GridLayout(1));
        content.addComponent(new Label(Text.wrap(label("userHelp"), width)));
        content.addComponent(fields);
        Window[] dialog = new Window[1];
        Button add = new Button(label("userAdd"), () -> {
            dialog[0].close();
            Installer.UserForm form = new Installer.UserForm(name.getText(), groups.getText(), role.getText(),
                    namespace.getText(), days.getText(), output.getText());
            offGuiThread("kubewizard-add-user", title, label("userAdding", form.name()), 64,
                    () -> installer.addUser(spec, dir, form, w.prompter),
                    shown -> Dialogs.message(w.gui, title, shown, width, null, new Dialogs.Choice(w.msg.get("button.ok"), () -> { })));
        });
        Button cancel = new Button(w.msg.get("button.cancel"), () -> dialog[0].close());
        dialog[0] = Dialogs.custom(w.gui, title, content, List.of(add, cancel), () -> dialog[0].close());
        dialog[0].setFocusedInteractable(name);
    }

    private TextBox userField(Panel fields, String key, String text) {
        fields.addComponent(new Label(label(key)));
        TextBox box = new TextBox(new TerminalSize(36, 1), text);
        fields.addComponent(box);
        return box;
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
