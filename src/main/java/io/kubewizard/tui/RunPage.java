package io.kubewizard.tui;

import com.googlecode.lanterna.gui2.BorderLayout;
import com.googlecode.lanterna.gui2.Button;
import com.googlecode.lanterna.gui2.Component;
import com.googlecode.lanterna.gui2.GridLayout;
import com.googlecode.lanterna.gui2.Label;
import com.googlecode.lanterna.gui2.Panel;
import com.googlecode.lanterna.gui2.table.Table;
import com.googlecode.lanterna.gui2.table.TableModel;
import com.googlecode.lanterna.input.KeyStroke;
import io.kubewizard.answers.Problem;
import io.kubewizard.answers.Spec.ClusterSpec;
import io.kubewizard.plan.Step;
import io.kubewizard.plan.Workflow;
import io.kubewizard.run.Event;
import io.kubewizard.run.Event.StepStatus;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The install as it happens: phases with their states, a grid of hosts with their current step, the
 * selected host's log (↑/↓ in the grid chooses the host), elapsed time, and for a failed step Retry,
 * Skip (only when the engine says it is safe) and Abort. A view over {@link Event}s only.
 */
final class RunPage extends Page {
    private final RunModel model = new RunModel();
    private RunFeed feed;
    private Installer.RunControl control;
    private boolean started;
    private String selected;

    private Label header;
    private Label phases;
    private HostTable table;
    private Label failure;
    private Button retry;
    private Button skip;
    private Button abort;
    private Label logTitle;
    private LogPane log;

    RunPage(Wizard w) { super(w); }

    @Override
    String id() { return "run"; }

    @Override
    String[] fields() { return new String[0]; }

    @Override
    boolean hasBack() { return false; }

    @Override
    boolean hasNext() { return model.finished; }

    @Override
    String nextLabel() { return w.msg.get("button.finish"); }

    RunModel model() { return model; }

    /** Starts the engine with this page's feed; called once, by Review's Install. */
    void start(ClusterSpec spec) {
        if (started) return;
        started = true;
        feed = new RunFeed(w.gui.getGUIThread(), this::pump, this::tick);
        control = w.options.installer().start(w.workflow(), spec, w.runDirectory(spec), feed, w.prompter);
        w.setStatus("▶ " + w.msg.get("page.run.started"));
        feed.start();
    }

    boolean running() { return started && !model.finished; }

    void abort() {
        if (control != null) control.abort();
    }

    void stop() {
        if (feed != null) feed.stop();
    }

    /** GUI thread: folds what arrived into the model and repaints what shows it. */
    void pump() {
        if (feed == null) return;
        boolean wasFinished = model.finished;
        for (Event e : feed.take()) model.apply(e);
        if (w.page() == this) refresh();
        if (!wasFinished && model.finished && w.page() == this) {
            w.setStatus(model.ok ? Form.OK + " " + w.msg.get(w.workflow() == Workflow.UPGRADE ? "page.run.upgraded"
                    : "page.run.done")
                    : Form.ERROR + " " + w.msg.get("page.run.failed", model.failures.size()));
            w.footer();
        }
    }

    private void tick() {
        if (w.page() == this && header != null) header.setText(headerText());
    }

    /** A table whose ↑/↓ also choose the host the log follows. */
    private final class HostTable extends Table<String> {
        HostTable(String... columns) { super(columns); }

        @Override
        public Result handleKeyStroke(KeyStroke key) {
            int before = getSelectedRow();
            Result r = super.handleKeyStroke(key);
            if (getSelectedRow() != before) select(getSelectedRow());
            return r;
        }
    }

    @Override
    Component build() {
        Panel page = new Panel(new BorderLayout());
        Panel top = new Panel(new GridLayout(1).setLeftMarginSize(0).setRightMarginSize(0));
        header = new Label("");
        top.addComponent(header);
        Panel grid = new Panel(new GridLayout(2).setLeftMarginSize(0).setRightMarginSize(0).setHorizontalSpacing(2));
        phases = new Label("");
        grid.addComponent(phases);
        table = new HostTable("", w.msg.get("page.run.col.host"), w.msg.get("page.run.col.step"),
                w.msg.get("page.run.col.state"));
        table.setVisibleRows(visibleRows());
        grid.addComponent(table, GridLayout.createLayoutData(GridLayout.Alignment.FILL, GridLayout.Alignment.BEGINNING,
                true, false));
        top.addComponent(grid, GridLayout.createHorizontallyFilledLayoutData(1));
        retry = new Button(w.msg.get("button.retry"), this::retry);
        skip = new Button(w.msg.get("button.skip"), this::skip);
        abort = new Button(w.msg.get("button.abort"), w::quit);
        failure = new Label("");
        top.addComponent(Wizard.row(retry, skip, abort));
        top.addComponent(failure);
        logTitle = new Label("");
        top.addComponent(logTitle);
        page.addComponent(top, BorderLayout.Location.TOP);
        log = new LogPane();
        log.followHint(w.msg.get("page.run.follow"));
        page.addComponent(log, BorderLayout.Location.CENTER);
        refresh();
        int row = new ArrayList<>(model.hosts.keySet()).indexOf(selected);
        if (row >= 0) {
            table.setSelectedRow(row);
            select(row);
        }
        return page;
    }

    private int visibleRows() { return Math.max(3, Math.min(10, w.rows() - 15)); }

    private void refresh() {
        if (table == null) return;
        header.setText(headerText());
        phases.setText(phaseLines(visibleRows() + 1));
        TableModel<String> m = table.getTableModel();
        List<RunModel.HostRow> rows = new ArrayList<>(model.hosts.values());
        for (int i = 0; i < rows.size(); i++) {
            RunModel.HostRow h = rows.get(i);
            List<String> cells = List.of(mark(h.status), shown(h.name), Text.clip(h.step, stepColumns()),
                    state(h.status));
            if (i < m.getRowCount()) {
                for (int c = 0; c < cells.size(); c++) {
                    if (!cells.get(c).equals(m.getCell(c, i))) m.setCell(c, i, cells.get(c));
                }
            } else {
                m.addRow(cells);
            }
        }
        if (selected == null && !rows.isEmpty()) select(0);
        else updateSelected();
    }

    /**
     * The step column's width: what the grid leaves beside the phases. Step titles are whole sentences
     * ("Read OS release, architecture, CPUs, …"); uncut, the table would crowd out the phases and
     * scroll sideways.
     */
    private int stepColumns() {
        int names = Text.width(w.msg.get("page.run.col.host"));
        for (String n : model.hosts.keySet()) names = Math.max(names, Text.width(shown(n)));
        int states = Math.max(Text.width(w.msg.get("page.run.col.state")), Text.width(state(null)));
        for (StepStatus s : StepStatus.values()) states = Math.max(states, Text.width(state(s)));
        // the page's width, less the phases (30), the grid's spacing (2), the mark column, the spaces
        // between the four columns and the table's scroll bar
        return Math.max(8, w.wrapWidth() + 2 - PHASES - 2 - 1 - names - states - 3 - 1);
    }

    private static final int PHASES = 30;

    /** A host's name as the grid shows it: the checks across every host, made on this machine, say so. */
    private String shown(String host) {
        return host.equals(Step.ACROSS_HOSTS) ? w.msg.get("page.run.allHosts") : host;
    }

    private void select(int row) {
        List<String> names = new ArrayList<>(model.hosts.keySet());
        if (row < 0 || row >= names.size()) return;
        selected = names.get(row);
        log.show(model.hosts.get(selected).log);
        updateSelected();
    }

    private void updateSelected() {
        abort.setVisible(!model.finished);
        if (selected == null) {
            logTitle.setText(w.msg.get("page.run.noLog"));
            retry.setVisible(false);
            skip.setVisible(false);
            failure.setText("");
            return;
        }
        log.refresh();
        long dropped = feed == null ? 0 : feed.dropped();
        logTitle.setText(w.msg.get("page.run.log", shown(selected)) + (dropped > 0 ? "  " + Form.WARNING + " "
                + w.msg.get("page.run.dropped", dropped) : ""));
        Event.StepChanged failed = model.failedOn(selected);
        boolean canAct = failed != null && control != null && !model.finished;
        // actions that do not apply are not shown at all: a greyed button differs from an active one
        // only by colour
        retry.setVisible(canAct);
        skip.setVisible(canAct && control.canSkip(failed.stepKey()));
        failure.setText(failed == null ? "" : clip(Text.wrap(Form.ERROR + " " + w.msg.get("page.run.failedOn",
                failed.stepId(), shown(selected), failed.message()), w.wrapWidth())));
    }

    private static String clip(String wrapped) {
        String[] lines = wrapped.split("\n");
        return lines.length <= 2 ? wrapped : lines[0] + "\n" + lines[1] + " …";
    }

    private void retry() {
        Event.StepChanged failed = selected == null ? null : model.failedOn(selected);
        if (failed != null) control.retry(failed.stepKey());
    }

    private void skip() {
        Event.StepChanged failed = selected == null ? null : model.failedOn(selected);
        if (failed != null && control.canSkip(failed.stepKey())) control.skip(failed.stepKey());
    }

    String headerText() {
        Duration elapsed = model.started == null ? Duration.ZERO
                : Duration.between(model.started, model.finished ? model.finishedAt : w.options.clock().instant());
        if (elapsed.isNegative()) elapsed = Duration.ZERO;
        String time = String.format("%02d:%02d:%02d", elapsed.toHours(), elapsed.toMinutesPart(), elapsed.toSecondsPart());
        List<RunModel.PhaseRow> list = model.phaseList();
        int done = (int) list.stream().filter(p -> p.state == RunModel.PhaseState.DONE).count();
        String state = model.finished ? (model.ok ? Form.OK + " " + w.msg.get("page.run.finished")
                : Form.ERROR + " " + w.msg.get("page.run.failedShort"))
                : "▶ " + w.msg.get("page.run.running");
        return w.msg.get("page.run.header", time, done, list.size(), state);
    }

    /** The phases around the running one, each with its mark, in {@code rows} lines. */
    private String phaseLines(int rows) {
        List<RunModel.PhaseRow> list = model.phaseList();
        int at = 0;
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i).state != RunModel.PhaseState.PENDING) at = i;
        }
        int from = Math.max(0, Math.min(at - 1, list.size() - rows));
        StringBuilder sb = new StringBuilder();
        for (int i = from; i < Math.min(list.size(), from + rows); i++) {
            RunModel.PhaseRow p = list.get(i);
            String mark = switch (p.state) {
                case PENDING -> "·";
                case RUNNING -> "▶";
                case DONE -> Form.OK;
                case FAILED -> Form.ERROR;
            };
            if (sb.length() > 0) sb.append('\n');
            sb.append(Text.cell(Text.clip(mark + " " + p.title, PHASES), PHASES));
        }
        return sb.length() == 0 ? Text.cell("", PHASES) : sb.toString();
    }

    static String mark(StepStatus s) {
        if (s == null) return "·";
        return switch (s) {
            case RUNNING -> "▶";
            case DONE -> Form.OK;
            case SKIPPED -> "»";
            case RETRYING, BLOCKED -> Form.WARNING;
            case FAILED -> Form.ERROR;
        };
    }

    private String state(StepStatus s) {
        return s == null ? w.msg.get("page.run.state.waiting") : w.msg.get("page.run.state." + s.name().toLowerCase());
    }

    @Override
    void show(List<Problem> problems) {}
}
