package io.kubewizard.tui;

import com.googlecode.lanterna.gui2.BorderLayout;
import com.googlecode.lanterna.gui2.ComboBox;
import com.googlecode.lanterna.gui2.Component;
import com.googlecode.lanterna.gui2.GridLayout;
import com.googlecode.lanterna.gui2.Label;
import com.googlecode.lanterna.gui2.Panel;
import io.kubewizard.answers.Problem;
import io.kubewizard.answers.Spec.ClusterSpec;
import io.kubewizard.plan.Plan;
import io.kubewizard.plan.Workflow;
import io.kubewizard.run.Engine;
import io.kubewizard.run.RunDirectory;
import io.kubewizard.plan.PlanText;
import io.kubewizard.render.Render;
import io.kubewizard.render.RenderedFile;
import io.kubewizard.render.Secrets;

import java.util.ArrayList;
import java.util.List;

/**
 * What will happen, before anything touches a machine: the plan, and every file each host will
 * receive, exactly as render makes them with the secrets masked. While any page has an error, the
 * page lists them (with the page to fix each on) instead, and Install is refused.
 */
final class ReviewPage extends Page {
    /** Every field of every page; the empty prefix also takes problems that name no field. */
    private static final String[] ALL = {""};

    private Label summary;
    private Panel problemsPanel;
    private LogPane viewer;
    private ComboBox<String> pick;
    private List<String> views = List.of();
    private List<String> texts = List.of();
    /** Why the upgrade must not run, as its preview says; Install is refused while there is one. */
    private List<String> refusals = List.of();

    ReviewPage(Wizard w) { super(w); }

    @Override
    String id() { return "review"; }

    @Override
    String[] fields() { return ALL; }

    @Override
    String nextLabel() { return w.msg.get("button.install"); }

    @Override
    boolean hasNext() { return w.options.installer() != null; }

    @Override
    Component build() {
        Panel page = new Panel(new BorderLayout());
        Panel top = new Panel(new GridLayout(1).setLeftMarginSize(0).setRightMarginSize(0));
        summary = new Label("");
        top.addComponent(summary);
        if (w.options.installer() == null) {
            top.addComponent(new Label(Text.wrap(Form.WARNING + " " + w.msg.get("page.review.noEngine"), w.wrapWidth())));
        }
        problemsPanel = new Panel(new GridLayout(1).setLeftMarginSize(0).setRightMarginSize(0));
        top.addComponent(problemsPanel);
        pick = new ComboBox<>();
        pick.setReadOnly(true);
        top.addComponent(Wizard.row(new Label(w.msg.get("page.review.show") + " "), pick));
        page.addComponent(top, BorderLayout.Location.TOP);
        viewer = new LogPane();
        viewer.followHint(w.msg.get("page.review.scroll"));
        page.addComponent(viewer, BorderLayout.Location.CENTER);
        pick.addListener((index, previous, byUser) -> {
            if (index >= 0 && index < texts.size()) viewer.showFromTop(LogPane.document(texts.get(index)));
        });
        return page;
    }

    /**
     * The upgrade before its steps: the versions it passes through, one minor at a time ("1.35.2 →
     * 1.36.1 → 1.37.0"), then every reason it must not run.
     */
    private String upgradeText(Plan plan) {
        var c = plan.change();
        StringBuilder sb = new StringBuilder();
        if (c != null && c.current() != null && !c.legs().isEmpty()) {
            List<String> chain = new ArrayList<>();
            chain.add(c.current().toString());
            c.legs().forEach(v -> chain.add(v.toString()));
            sb.append(w.msg.get("page.review.legs", String.join(" → ", chain), c.legs().size())).append('\n');
        }
        // wrapped here: a refusal says what to do, and the viewer cuts long lines at its edge
        for (String refusal : refusals) sb.append(Text.wrap("✗ " + refusal, w.wrapWidth() - 1)).append('\n');
        return sb.append('\n').toString();
    }

    /** The upgrade's refusals, and one when there is nothing to upgrade (the engine would do nothing). */
    private List<String> upgradeRefusals(Plan plan) {
        var c = plan.change();
        List<String> out = new ArrayList<>(plan.refusals());
        if (out.isEmpty() && c != null && c.current() != null && c.legs().isEmpty()) {
            out.add(w.msg.get("page.review.nothingToUpgrade", c.current()));
        }
        return out;
    }

    /** Joins and removals before the steps, when the cluster exists or hosts leave. */
    private String changeText(Plan plan) {
        var c = plan.change();
        if (c == null || (!c.exists() && c.leaving().isEmpty())) return "";
        StringBuilder sb = new StringBuilder();
        sb.append(w.msg.get("page.review.joins", names(c.joining()))).append('\n');
        sb.append(w.msg.get("page.review.removals", names(c.leaving()))).append('\n');
        for (String node : c.unmanaged()) sb.append(w.msg.get("page.review.unmanaged", node)).append('\n');
        for (String refusal : c.refusals()) sb.append("✗ ").append(refusal).append('\n');
        return sb.append('\n').toString();
    }

    private String names(List<io.kubewizard.answers.Spec.Host> hosts) {
        return hosts.isEmpty() ? "-" : String.join(", ", hosts.stream().map(io.kubewizard.answers.Spec.Host::name).toList());
    }

    /** Everything a person can review: the plan, then each host's files. */
    private void render(ClusterSpec spec) {
        RunDirectory dir = w.runDirectory(spec);
        Workflow workflow = w.workflow();
        Engine.Preview preview = w.options.installer() != null ? w.options.installer().preview(workflow, spec, dir)
                : Engine.preview(workflow, spec, dir, java.util.Set.of(), null);
        List<RenderedFile> files = preview.files();
        Plan plan = preview.whole();
        boolean upgrade = workflow == Workflow.UPGRADE;
        refusals = upgrade ? upgradeRefusals(plan) : List.of();
        List<String> v = new ArrayList<>();
        List<String> t = new ArrayList<>();
        v.add(w.msg.get("page.review.plan", plan.steps().size(), plan.phases().size()));
        t.add((upgrade ? upgradeText(plan) : changeText(plan)) + PlanText.format(plan));
        for (var host : spec.hosts()) {
            List<RenderedFile> own = Render.forHost(files, host.name());
            v.add(w.msg.get("page.review.files", host.name(), own.size()));
            StringBuilder sb = new StringBuilder();
            for (RenderedFile f : own) {
                sb.append("── ").append(f.path()).append("  (").append(f.modeString());
                if (f.os() != RenderedFile.OsFamily.ANY) sb.append(", ").append(f.os().name().toLowerCase());
                if (f.secret()) sb.append(", ").append(w.msg.get("page.review.masked"));
                sb.append(")\n").append(f.content());
                if (!f.content().endsWith("\n")) sb.append('\n');
                sb.append('\n');
            }
            t.add(sb.toString());
        }
        views = v;
        texts = t;
        summary.setText(!refusals.isEmpty() ? Form.ERROR + " " + w.msg.get("page.review.refused", refusals.size())
                : Form.OK + " " + w.msg.get(upgrade ? "page.review.upgradeReady" : "page.review.ready",
                spec.hosts().size(), files.size(), plan.steps().size()));
    }

    @Override
    void show(List<Problem> problems) {
        List<Problem> errors = problems.stream().filter(Problem::isError).toList();
        problemsPanel.removeAllComponents();
        int shown = 0;
        for (Problem p : problems) {
            if (shown == 4) {
                problemsPanel.addComponent(new Label(w.msg.get("page.review.more", problems.size() - shown)));
                break;
            }
            problemsPanel.addComponent(new Label(Text.wrap(Form.line(new Problem(p.severity(), p.field(),
                    w.msg.get("page.review.on", pageOf(p), p.field(), p.message()), null)), w.wrapWidth())));
            shown++;
        }
        if (!errors.isEmpty()) {
            summary.setText(Form.ERROR + " " + w.msg.get("page.review.errors", errors.size()));
            refusals = List.of();
            views = List.of();
            texts = List.of();
        } else {
            String selected = pick.getSelectedIndex() >= 0 && pick.getSelectedIndex() < views.size()
                    ? views.get(pick.getSelectedIndex()) : null;
            try {
                render(w.state.build().spec());
            } catch (RuntimeException e) {
                // a spec the validator passed that render cannot take is a bug; say so rather than crash the screen
                summary.setText(Form.ERROR + " " + w.msg.get("page.review.renderFailed", String.valueOf(e)));
                views = List.of();
                texts = List.of();
            }
            int keep = selected == null ? 0 : Math.max(0, views.indexOf(selected));
            fillPicker(keep);
            return;
        }
        fillPicker(0);
    }

    private void fillPicker(int selected) {
        pick.clearItems();
        views.forEach(pick::addItem);
        if (!views.isEmpty()) {
            pick.setSelectedIndex(Math.min(selected, views.size() - 1));
            viewer.showFromTop(LogPane.document(texts.get(pick.getSelectedIndex())));
        } else {
            viewer.show(null);
        }
    }

    private String pageOf(Problem p) {
        String t = w.pageTitleFor(p.field());
        return t != null ? t : title();
    }

    @Override
    boolean leave() {
        if (!refusals.isEmpty()) {
            w.setStatus(Form.ERROR + " " + w.msg.get("status.installRefused", refusals.get(0)));
            return false;
        }
        w.runPage().start(w.state.build().spec());
        return true;
    }
}
