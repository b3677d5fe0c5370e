package io.kubewizard.tui;

import com.googlecode.lanterna.gui2.Component;
import com.googlecode.lanterna.gui2.GridLayout;
import com.googlecode.lanterna.gui2.Label;
import com.googlecode.lanterna.gui2.Panel;
import com.googlecode.lanterna.gui2.table.Table;
import io.kubewizard.answers.Problem;
import io.kubewizard.answers.Spec.Host;
import io.kubewizard.plan.Workflow;
import io.kubewizard.run.Event.StepStatus;

import java.util.List;

/**
 * How the install ended: the kubeconfig, every node with the state the run left it in, and what to
 * do next (use the cluster, or fix and resume).
 */
final class FinishPage extends Page {
    FinishPage(Wizard w) { super(w); }

    @Override
    String id() { return "finish"; }

    @Override
    String[] fields() { return new String[0]; }

    @Override
    String nextLabel() { return w.msg.get("button.quit"); }

    @Override
    Component build() {
        RunModel m = w.runPage().model();
        Panel p = new Panel(new GridLayout(1).setLeftMarginSize(0).setRightMarginSize(0));
        int width = w.wrapWidth();
        boolean upgrade = w.workflow() == Workflow.UPGRADE;
        if (m.ok) {
            p.addComponent(new Label(Form.OK + " " + (upgrade ? w.msg.get("page.finish.upgraded", m.cluster,
                    w.state.kubernetesVersion()) : w.msg.get("page.finish.ok", m.cluster))));
        } else {
            p.addComponent(new Label(Form.ERROR + " " + w.msg.get(upgrade ? "page.finish.upgradeFailed"
                    : "page.finish.failed", m.cluster)));
            for (String f : m.failures) p.addComponent(new Label(Text.wrap(Form.ERROR + " " + f, width)));
        }
        p.addComponent(new Label(w.msg.get("page.finish.kubeconfig", m.kubeconfig == null ? "-" : m.kubeconfig)));
        Table<String> nodes = new Table<>("", w.msg.get("page.finish.col.node"), w.msg.get("page.finish.col.roles"),
                w.msg.get("page.finish.col.state"));
        for (Host h : w.state.hosts) {
            RunModel.HostRow row = m.hosts.get(h.name());
            StepStatus s = row == null ? null : row.status;
            String state = s == StepStatus.FAILED ? w.msg.get("page.finish.node.failed", row.step)
                    : m.ok ? w.msg.get(upgrade ? "page.finish.node.upgraded" : "page.finish.node.ok")
                    : w.msg.get("page.finish.node.stopped");
            nodes.getTableModel().addRow(s == StepStatus.FAILED ? Form.ERROR : m.ok ? Form.OK : Form.WARNING,
                    h.name(), HostsPage.roles(h), state);
        }
        nodes.setVisibleRows(Math.max(2, Math.min(w.state.hosts.size(), w.rows() - 18)));
        p.addComponent(nodes);
        p.addComponent(new Label(""));
        String next = m.ok ? w.msg.get("page.finish.next.ok", m.kubeconfig == null ? "admin.conf" : m.kubeconfig)
                : w.msg.get(upgrade ? "page.finish.next.upgradeFailed" : "page.finish.next.failed");
        p.addComponent(new Label(Text.wrap(next, width)));
        return p;
    }

    @Override
    void show(List<Problem> problems) {}

    @Override
    boolean leave() {
        w.quit();
        return false;
    }
}
