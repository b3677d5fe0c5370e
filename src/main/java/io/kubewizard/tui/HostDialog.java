package io.kubewizard.tui;

import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.gui2.BasicWindow;
import com.googlecode.lanterna.gui2.Button;
import com.googlecode.lanterna.gui2.CheckBoxList;
import com.googlecode.lanterna.gui2.TextBox;
import io.kubewizard.answers.Problem;
import io.kubewizard.answers.Spec.Host;
import io.kubewizard.answers.Spec.Role;
import io.kubewizard.answers.Spec.Ssh;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Adds or edits one host. Every keystroke checks the host as it would stand in the table (the same
 * Validator, with this host in its place), and OK is refused while it has errors. Empty SSH override
 * fields mean "use the SSH defaults".
 */
final class HostDialog {
    private final Wizard w;
    private final int index;
    private final Form form;
    private final BasicWindow window;
    private final Runnable done;
    private final Ssh keep;

    private final TextBox name;
    private final TextBox address;
    private final TextBox internal;
    private final CheckBoxList<String> roles = new CheckBoxList<>();
    private final TextBox zone;
    private final TextBox labels;
    private final TextBox taints;
    private final TextBox user;
    private final TextBox port;
    private final TextBox identity;
    private final TextBox bastion;

    /** @param index the host's row, or -1 to add one */
    HostDialog(Wizard w, int index, Host host, Runnable done) {
        this.w = w;
        this.index = index;
        this.done = done;
        this.keep = host.ssh() == null ? Ssh.none() : host.ssh();
        List<String> keys = List.of("name", "address", "internal", "roles", "zone", "labels", "taints", "user", "port",
                "identity", "bastion");
        form = new Form(keys.stream().map(this::label).toList());
        name = box(24, host.name());
        address = box(30, host.address());
        internal = box(30, host.internalAddress().equals(host.address()) ? "" : host.internalAddress());
        for (Role r : Role.values()) roles.addItem(r.yaml(), host.roles().contains(r));
        roles.addListener((item, checked) -> check());
        zone = box(20, host.zone());
        labels = box(40, pairs(host.labels()));
        taints = box(40, String.join(", ", host.taints()));
        user = box(20, nz(keep.user()));
        port = box(6, keep.port() == null ? "" : keep.port().toString());
        identity = box(36, nz(keep.identityFile()));
        bastion = box(30, nz(keep.bastion()));
        String f = "hosts[" + target() + "]";
        form.field(label("name"), name, f + ".name");
        form.field(label("address"), address, f + ".address");
        form.field(label("internal"), internal, f + ".internalAddress");
        form.field(label("roles"), roles, f + ".roles");
        form.field(label("zone"), zone, f + ".zone");
        form.field(label("labels"), labels, f + ".labels");
        form.field(label("taints"), taints, f + ".taints");
        form.note(w.msg.get("host.sshNote"));
        form.field(label("user"), user, f + ".ssh.user", f + ".ssh.become");
        form.field(label("port"), port, f + ".ssh.port");
        form.field(label("identity"), identity, f + ".ssh.identityFile");
        form.field(label("bastion"), bastion, f + ".ssh.bastion");
        int width = Math.min(74, w.columns() - 6);
        form.width(width - 2);
        form.component().setPreferredSize(new TerminalSize(width, Math.max(6, w.rows() - 8)));
        Button ok = new Button(w.msg.get("button.ok"), this::ok);
        Button cancel = new Button(w.msg.get("button.cancel"));
        window = Dialogs.custom(w.gui, w.msg.get(index < 0 ? "host.addTitle" : "host.editTitle"), form.component(),
                List.of(ok, cancel), null);
        cancel.addListener(b -> window.close());
        window.setFocusedInteractable(name);
        check();
    }

    private String label(String key) { return w.msg.get("host." + key); }

    private static String nz(String s) { return s == null ? "" : s; }

    private TextBox box(int columns, String text) {
        TextBox b = new TextBox(new TerminalSize(columns, 1), text);
        b.setTextChangeListener((t, byUser) -> check());
        return b;
    }

    private int target() { return index < 0 ? w.state.hosts.size() : index; }

    private record Candidate(Host host, List<Problem> problems) {}

    /** The host the fields describe, and every problem it has in the table. */
    private Candidate candidate() {
        String f = "hosts[" + target() + "]";
        List<Problem> problems = new ArrayList<>();
        Map<String, String> labelMap = new LinkedHashMap<>();
        for (String pair : FormState.list(labels.getText())) {
            int eq = pair.indexOf('=');
            if (eq <= 0) problems.add(FormState.error(f + ".labels", "form.notKeyValue", pair));
            else labelMap.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        Integer sshPort = null;
        if (!port.getText().isBlank()) sshPort = FormState.number(f + ".ssh.port", port.getText(), 22, problems);
        Ssh ssh = new Ssh(blankNull(user.getText()), sshPort, blankNull(identity.getText()), keep.useAgent(),
                blankNull(bastion.getText()), keep.knownHostsFile(), keep.become());
        List<Role> roleList = new ArrayList<>();
        for (int i = 0; i < Role.values().length; i++) if (roles.isChecked(i)) roleList.add(Role.values()[i]);
        String addr = address.getText().trim();
        String inner = internal.getText().trim();
        Host host = new Host(name.getText().trim(), addr, inner.isEmpty() ? addr : inner, roleList, zone.getText().trim(),
                labelMap, FormState.list(taints.getText()), ssh);
        List<Host> hosts = new ArrayList<>(w.state.hosts);
        if (index < 0) hosts.add(host);
        else hosts.set(index, host);
        FormState.Built built = w.state.build(hosts, w.state.ssh);
        for (Problem p : built.problems(f)) problems.add(p);
        return new Candidate(host, problems);
    }

    private static String blankNull(String s) { return s.isBlank() ? null : s.trim(); }

    private List<Problem> check() {
        List<Problem> problems = w.msg.problems(candidate().problems());
        form.show(problems);
        return problems;
    }

    private void ok() {
        if (check().stream().anyMatch(Problem::isError)) return;
        Host host = candidate().host();
        if (index < 0) w.state.hosts.add(host);
        else w.state.hosts.set(index, host);
        window.close();
        done.run();
    }

    private static String pairs(Map<String, String> map) {
        List<String> out = new ArrayList<>();
        map.forEach((k, v) -> out.add(k + "=" + v));
        return String.join(", ", out);
    }
}
