package io.kubewizard.tui;

import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.gui2.BasicWindow;
import com.googlecode.lanterna.gui2.Button;
import com.googlecode.lanterna.gui2.CheckBox;
import com.googlecode.lanterna.gui2.ComboBox;
import com.googlecode.lanterna.gui2.TextBox;
import io.kubewizard.answers.Problem;
import io.kubewizard.answers.Spec.Become;
import io.kubewizard.answers.Spec.Ssh;

import java.util.ArrayList;
import java.util.List;

/** The file-wide SSH settings every host uses unless it overrides them. OK is refused while they have errors. */
final class SshDialog {
    private final Wizard w;
    private final Form form;
    private final BasicWindow window;
    private final Runnable done;
    private final TextBox user;
    private final TextBox port;
    private final TextBox identity;
    private final CheckBox agent;
    private final TextBox bastion;
    private final TextBox knownHosts;
    private final ComboBox<String> become = new ComboBox<>();

    SshDialog(Wizard w, Runnable done) {
        this.w = w;
        this.done = done;
        Ssh s = w.state.ssh;
        List<String> keys = List.of("user", "port", "identity", "agent", "bastion", "knownHosts", "become");
        form = new Form(keys.stream().map(this::label).toList());
        user = box(20, s.user());
        port = box(6, String.valueOf(s.port()));
        identity = box(36, s.identityFile());
        agent = new CheckBox("");
        agent.setChecked(Boolean.TRUE.equals(s.useAgent()));
        agent.addListener(c -> check());
        bastion = box(30, s.bastion());
        knownHosts = box(36, s.knownHostsFile());
        for (Become b : Become.values()) become.addItem(b.yaml());
        become.setReadOnly(true);
        become.setSelectedIndex(s.become().ordinal());
        become.addListener((i, p, u) -> check());
        form.field(label("user"), user, "ssh.user");
        form.field(label("port"), port, "ssh.port");
        form.field(label("identity"), identity, "ssh.identityFile");
        form.field(label("agent"), agent, "ssh.useAgent");
        form.field(label("bastion"), bastion, "ssh.bastion");
        form.field(label("knownHosts"), knownHosts, "ssh.knownHostsFile");
        form.field(label("become"), become, "ssh.become");
        int width = Math.min(74, w.columns() - 6);
        form.width(width - 2);
        form.component().setPreferredSize(new TerminalSize(width, Math.max(6, Math.min(16, w.rows() - 8))));
        Button ok = new Button(w.msg.get("button.ok"), this::ok);
        Button cancel = new Button(w.msg.get("button.cancel"));
        window = Dialogs.custom(w.gui, w.msg.get("ssh.title"), form.component(), List.of(ok, cancel), null);
        cancel.addListener(b -> window.close());
        window.setFocusedInteractable(user);
        check();
    }

    private String label(String key) { return w.msg.get("ssh." + key); }

    private TextBox box(int columns, String text) {
        TextBox b = new TextBox(new TerminalSize(columns, 1), text);
        b.setTextChangeListener((t, byUser) -> check());
        return b;
    }

    private record Candidate(Ssh ssh, List<Problem> problems) {}

    private Candidate candidate() {
        List<Problem> problems = new ArrayList<>();
        int p = FormState.number("ssh.port", port.getText(), 22, problems);
        Ssh ssh = new Ssh(user.getText().trim(), p, identity.getText().trim(), agent.isChecked(),
                bastion.getText().trim(), knownHosts.getText().trim(), Become.values()[become.getSelectedIndex()]);
        problems.addAll(w.state.build(w.state.hosts, ssh).problems("ssh"));
        return new Candidate(ssh, problems);
    }

    private List<Problem> check() {
        List<Problem> problems = w.msg.problems(candidate().problems());
        form.show(problems);
        return problems;
    }

    private void ok() {
        if (check().stream().anyMatch(Problem::isError)) return;
        w.state.ssh = candidate().ssh();
        window.close();
        done.run();
    }
}
