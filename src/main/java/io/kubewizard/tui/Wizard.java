package io.kubewizard.tui;

import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.graphics.Theme;
import com.googlecode.lanterna.gui2.BasicWindow;
import com.googlecode.lanterna.gui2.BorderLayout;
import com.googlecode.lanterna.gui2.Button;
import com.googlecode.lanterna.gui2.Component;
import com.googlecode.lanterna.gui2.Direction;
import com.googlecode.lanterna.gui2.GridLayout;
import com.googlecode.lanterna.gui2.Interactable;
import com.googlecode.lanterna.gui2.Label;
import com.googlecode.lanterna.gui2.LinearLayout;
import com.googlecode.lanterna.gui2.MultiWindowTextGUI;
import com.googlecode.lanterna.gui2.Panel;
import com.googlecode.lanterna.gui2.SameTextGUIThread;
import com.googlecode.lanterna.gui2.Separator;
import com.googlecode.lanterna.gui2.Window;
import com.googlecode.lanterna.gui2.WindowBasedTextGUI;
import com.googlecode.lanterna.gui2.WindowListenerAdapter;
import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;
import com.googlecode.lanterna.screen.Screen;
import com.googlecode.lanterna.screen.TerminalScreen;
import com.googlecode.lanterna.terminal.Terminal;
import com.googlecode.lanterna.terminal.virtual.DefaultVirtualTerminal;
import io.kubewizard.answers.AnswersWriter;
import io.kubewizard.answers.KubernetesVersion;
import io.kubewizard.answers.Problem;
import io.kubewizard.answers.Spec.ClusterSpec;
import io.kubewizard.answers.Spec.Host;
import io.kubewizard.plan.Workflow;
import io.kubewizard.run.RunDirectory;
import io.kubewizard.run.RunRecord;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The full-screen wizard: a header with the step bar, the current page, and a footer with Back/Next,
 * the status line and the keys. Keys that work on every page: F1 help, Ctrl-S (or F2) save, Esc quit
 * (asking first when answers are unsaved), Ctrl-C the same as Esc (during a run: abort, asking first),
 * Alt-N and Alt-B the same as the Next and Back buttons.
 * Everything runs on Lanterna's GUI thread; the only other thread is the engine's, whose events
 * {@link RunFeed} hands over.
 */
public final class Wizard {
    static final int MARGIN = 1;

    final WindowBasedTextGUI gui;
    final Messages msg;
    final WizardOptions options;
    final FormState state;

    private final List<Page> pages = new ArrayList<>();
    private final Set<Integer> visited = new HashSet<>();
    private final BasicWindow window = new BasicWindow();
    private final Label title = new Label("");
    private final Label steps = new Label("");
    private final Label status = new Label("");
    private final Label keys = new Label("");
    private final Panel content = new Panel(new BorderLayout());
    private final Button back;
    private final Button next;
    private int current = -1;
    /**
     * The answers as last loaded or saved: the spec at that moment, written out only when asked
     * ({@link #unsaved}), so the first paint does not wait for the YAML writer.
     */
    private FormState.Built baseline;
    private String baselineYaml;
    private Path savePath;
    private Path answersFile;
    private List<Problem> pageProblems = List.of();
    private String statusText = "";
    private final RunPage runPage;
    private final HostsPage hostsPage;
    /** The run directory of the installed cluster Welcome opened; null for answers of a new cluster. */
    private Path installed;
    /** The hosts of that cluster's applied.yaml, as the run directory recorded them when it was opened. */
    private List<Host> applied = List.of();
    /** Asks the engine's questions (passwords, host keys) in dialogs: Install and Test connection. */
    final DialogPrompter prompter = new DialogPrompter(this);

    /** Opens the wizard on the process's terminal and returns when the user quits. */
    public static void run(WizardOptions options) throws IOException {
        Theme theme = theme(options);
        try (Terminal terminal = new OneSttyTerminal(System.in, System.out, StandardCharsets.UTF_8)) {
            Screen screen = new TerminalScreen(terminal);
            screen.startScreen();
            try {
                MultiWindowTextGUI gui = new MultiWindowTextGUI(new SameTextGUIThread.Factory(), screen);
                gui.setTheme(theme);
                Wizard wizard = new Wizard(gui, options);
                wizard.open();
                gui.waitForWindowToClose(wizard.window);
            } finally {
                screen.stopScreen();
            }
        }
    }

    /** The classes a start at a real terminal loads that the off-screen paint does not (read off -Xlog:class+load). */
    private static final List<String> REAL_TERMINAL = List.of(
            "io.kubewizard.tui.OneSttyTerminal",
            "com.googlecode.lanterna.terminal.ansi.UnixTerminal",
            "com.googlecode.lanterna.terminal.ansi.UnixLikeTTYTerminal",
            "com.googlecode.lanterna.terminal.ansi.UnixLikeTerminal$1",
            "com.googlecode.lanterna.terminal.ansi.UnixLikeTerminal$CtrlCBehaviour",
            "com.googlecode.lanterna.terminal.ansi.ANSITerminal$1",
            "com.googlecode.lanterna.terminal.MouseCaptureMode",
            "com.googlecode.lanterna.input.DefaultKeyDecodingProfile",
            "com.googlecode.lanterna.input.InputDecoder",
            "com.googlecode.lanterna.input.CharacterPattern$Matching",
            "com.googlecode.lanterna.input.BasicCharacterPattern",
            "com.googlecode.lanterna.input.EscapeSequenceCharacterPattern",
            "com.googlecode.lanterna.input.EscapeSequenceCharacterPattern$1",
            "com.googlecode.lanterna.input.EscapeSequenceCharacterPattern$State",
            "com.googlecode.lanterna.input.NormalCharacterPattern",
            "com.googlecode.lanterna.input.AltAndCharacterPattern",
            "com.googlecode.lanterna.input.CtrlAndCharacterPattern",
            "com.googlecode.lanterna.input.CtrlAltAndCharacterPattern",
            "com.googlecode.lanterna.input.ScreenInfoCharacterPattern",
            "com.googlecode.lanterna.input.ScreenInfoCharacterPattern$1",
            "com.googlecode.lanterna.input.ScreenInfoAction",
            "com.googlecode.lanterna.input.MouseCharacterPattern",
            "com.googlecode.lanterna.input.MouseActionType",
            "com.googlecode.lanterna.input.KeyStroke$RealF3",
            "sun.misc.Signal",
            "java.io.Console$LineReader");

    /**
     * Loads (without initialising) {@link #REAL_TERMINAL}: the build's class-data-sharing training run
     * (cli Training) paints off-screen, and this puts a real terminal's classes in its archive too.
     */
    public static void loadRealTerminalClasses() {
        for (String name : REAL_TERMINAL) {
            try {
                Class.forName(name, false, Wizard.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException("no class " + name + " (a Lanterna upgrade renamed it?)", e);
            }
        }
    }

    /**
     * Paints the first page into an in-memory terminal of this size, takes one key (Tab) and closes,
     * touching no terminal: the build's class-data-sharing training run (cli Training) loads the
     * classes a start needs before its first paint this way.
     */
    public static void paintOffscreen(WizardOptions options, int columns, int rows) throws IOException {
        Theme theme = theme(options);
        DefaultVirtualTerminal terminal = new DefaultVirtualTerminal(new TerminalSize(columns, rows));
        Screen screen = new TerminalScreen(terminal);
        screen.startScreen();
        try {
            MultiWindowTextGUI gui = new MultiWindowTextGUI(new SameTextGUIThread.Factory(), screen);
            gui.setTheme(theme);
            new Wizard(gui, options).open();
            gui.getGUIThread().processEventsAndUpdate();
            terminal.addInput(new KeyStroke(KeyType.Tab));
            gui.getGUIThread().processEventsAndUpdate();
        } finally {
            screen.stopScreen();
        }
    }

    /** The themes are built in: an installation without a themes directory has them too. */
    private static Theme theme(WizardOptions options) throws IOException {
        return Themes.load(options.themesDir(), Themes.choose(options.theme(), options.noColor()));
    }

    Wizard(WindowBasedTextGUI gui, WizardOptions options) {
        this.gui = gui;
        this.options = options;
        this.msg = Messages.of(options.locale());
        this.state = options.initial() != null ? FormState.of(options.initial()) : FormState.defaults();
        this.back = new Button(msg.get("button.back"), this::back);
        this.next = new Button(msg.get("button.next"), this::next);
        pages.add(new WelcomePage(this));
        pages.add(new ClusterPage(this));
        pages.add(new TopologyPage(this));
        hostsPage = new HostsPage(this);
        pages.add(hostsPage);
        pages.add(new RuntimePage(this));
        pages.add(new NetworkPage(this));
        pages.add(new LoadBalancerPage(this));
        pages.add(new SecurityPage(this));
        pages.add(new AdvancedPage(this));
        pages.add(new SourcesPage(this));
        pages.add(new ReviewPage(this));
        runPage = new RunPage(this);
        pages.add(runPage);
        pages.add(new FinishPage(this));
        baseline(state.build());
        answersFile = options.answersFile();
        layout();
    }

    private void layout() {
        window.setHints(Set.of(Window.Hint.FULL_SCREEN, Window.Hint.NO_DECORATIONS));
        Panel root = new Panel(new BorderLayout());
        Panel header = new Panel(new GridLayout(1).setLeftMarginSize(MARGIN).setRightMarginSize(MARGIN));
        header.addComponent(title);
        header.addComponent(steps);
        header.addComponent(new Separator(Direction.HORIZONTAL),
                GridLayout.createHorizontallyFilledLayoutData(1));
        root.addComponent(header, BorderLayout.Location.TOP);
        Panel middle = new Panel(new GridLayout(1).setLeftMarginSize(MARGIN).setRightMarginSize(MARGIN));
        middle.addComponent(content, GridLayout.createLayoutData(GridLayout.Alignment.FILL, GridLayout.Alignment.FILL,
                true, true));
        root.addComponent(middle, BorderLayout.Location.CENTER);
        Panel footer = new Panel(new GridLayout(1).setLeftMarginSize(MARGIN).setRightMarginSize(MARGIN));
        footer.addComponent(new Separator(Direction.HORIZONTAL), GridLayout.createHorizontallyFilledLayoutData(1));
        footer.addComponent(status);
        Panel buttons = new Panel(new GridLayout(3).setLeftMarginSize(0).setRightMarginSize(0));
        buttons.addComponent(back);
        buttons.addComponent(next);
        buttons.addComponent(keys, GridLayout.createLayoutData(GridLayout.Alignment.END, GridLayout.Alignment.CENTER,
                true, false));
        footer.addComponent(buttons, GridLayout.createHorizontallyFilledLayoutData(1));
        root.addComponent(footer, BorderLayout.Location.BOTTOM);
        window.setComponent(root);
        window.addWindowListener(new WindowListenerAdapter() {
            @Override
            public void onInput(Window w, KeyStroke key, AtomicBoolean deliver) {
                if (globalKey(key)) deliver.set(false);
            }

            @Override
            public void onResized(Window w, TerminalSize oldSize, TerminalSize newSize) {
                // Lanterna reports every layout pass; only a real change of size re-wraps the text
                if (!newSize.equals(oldSize)) resized();
            }
        });
    }

    /** Shows the window: at Cluster when answers were given, else at Welcome. */
    void open() {
        gui.addWindow(window);
        go(options.initial() != null ? 1 : 0);
        if (options.initial() != null) {
            setStatus(Form.OK + " " + msg.get("status.loaded", options.answersFile() != null
                    ? options.answersFile().toString() : options.preset() != null
                    ? msg.get("status.preset", options.preset()) : msg.get("status.givenPreset")));
        }
    }

    BasicWindow window() { return window; }

    // ---------------------------------------------------------------- navigation

    void go(int index) {
        current = index;
        visited.add(index);
        Page page = pages.get(index);
        content.removeAllComponents();
        Component c = page.build();
        page.width(wrapWidth());
        content.addComponent(c, BorderLayout.Location.CENTER);
        footer();
        keys.setText(msg.get(index == runIndex() ? "keys.run" : "keys.all"));
        if (statusText.startsWith(Form.ERROR)) setStatus("");
        revalidate();
        Interactable first = firstInteractable(c);
        window.setFocusedInteractable(first != null ? first : next.isEnabled() ? next : null);
    }

    /**
     * Back and Next as the current page wants them now: disabled rather than hidden, so the footer
     * does not move and a screen reader of the text still finds them.
     */
    void footer() {
        Page page = pages.get(current);
        back.setEnabled(page.hasBack() && current > 0);
        next.setEnabled(page.hasNext());
        next.setLabel(page.nextLabel());
    }

    private static Interactable firstInteractable(Component c) {
        if (c instanceof Interactable i && i.isEnabled() && i.isFocusable()) return i;
        if (c instanceof com.googlecode.lanterna.gui2.Container container) return container.nextFocus(null);
        return null;
    }

    void next() {
        Page page = pages.get(current);
        if (!page.hasNext()) return;
        List<Problem> errors = pageProblems.stream().filter(Problem::isError).toList();
        if (!errors.isEmpty()) {
            setStatus(Form.ERROR + " " + msg.get("status.refused", errors.size(), Form.line(errors.get(0)).substring(2)));
            return;
        }
        if (!page.leave()) return;
        int to = page.nextPage(current);
        if (to < pages.size()) go(to);
    }

    void back() {
        if (current > 0 && back.isEnabled()) go(current - 1);
    }

    /** The title of the page where a field is edited, or null when no page edits it. */
    String pageTitleFor(String field) {
        for (Page p : pages) {
            if (p instanceof ReviewPage) break;
            for (String f : p.fields()) if (Form.covers(f, field)) return p.title();
        }
        return null;
    }

    int runIndex() { return pages.indexOf(runPage); }

    int reviewIndex() {
        for (int i = 0; i < pages.size(); i++) if (pages.get(i) instanceof ReviewPage) return i;
        return runIndex() - 1;
    }

    Page page() { return pages.get(current); }

    RunPage runPage() { return runPage; }

    // ---------------------------------------------------------------- validation

    /** A field changed: check the page again. */
    void changed() { revalidate(); }

    void revalidate() {
        Page page = pages.get(current);
        // A page that edits nothing (Welcome) shows no problems, and the step bar marks only pages
        // seen before (visited holds the current one): until then the validator has nothing to show,
        // and the first paint does not wait for it.
        boolean shown = page.fields().length > 0 || visited.size() > 1;
        List<Problem> all = shown ? msg.problems(state.build().problems()) : List.of();
        pageProblems = filter(all, page.fields());
        page.show(pageProblems);
        title.setText(Text.fit("kubewizard · " + (current + 1) + "/" + pages.size() + " " + page.title(),
                columns() - 2 * MARGIN));
        steps.setText(stepBar(all));
        if (statusText.startsWith(Form.ERROR) && pageProblems.stream().noneMatch(Problem::isError)) setStatus("");
    }

    private static List<Problem> filter(List<Problem> all, String[] prefixes) {
        List<Problem> out = new ArrayList<>();
        for (Problem p : all) {
            for (String f : prefixes) {
                if (f.isEmpty() || Form.covers(f, p.field())) {
                    out.add(p);
                    break;
                }
            }
        }
        return out;
    }

    /** "✓1 ✓2 ▶3 ·4 …": ▶ here, ✓ visited and fine, ✗ visited with errors, · not yet seen. */
    private String stepBar(List<Problem> all) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < pages.size(); i++) {
            if (i > 0) sb.append(' ');
            String mark;
            if (i == current) mark = "▶";
            else if (!visited.contains(i)) mark = "·";
            else if (filter(all, pages.get(i).fields()).stream().anyMatch(Problem::isError)) mark = Form.ERROR;
            else mark = Form.OK;
            sb.append(mark).append(i + 1);
        }
        return sb.toString();
    }

    // ---------------------------------------------------------------- status, sizes

    void setStatus(String text) {
        statusText = text;
        status.setText(text.isEmpty() ? " " : clip(Text.wrap(text, wrapWidth()), 2));
    }

    private static String clip(String wrapped, int lines) {
        String[] l = wrapped.split("\n");
        if (l.length <= lines) return wrapped;
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < lines; i++) {
            if (i > 0) sb.append('\n');
            sb.append(i == lines - 1 ? l[i] + " …" : l[i]);
        }
        return sb.toString();
    }

    int columns() {
        TerminalSize s = gui.getScreen().getTerminalSize();
        return s.getColumns();
    }

    int rows() { return gui.getScreen().getTerminalSize().getRows(); }

    /** The width messages wrap at: the screen less the margins and the scroll marks. */
    int wrapWidth() { return Math.max(20, columns() - 2 * MARGIN - 2); }

    private void resized() {
        if (current < 0) return;
        pages.get(current).width(wrapWidth());
        setStatus(statusText);
        revalidate();
    }

    // ---------------------------------------------------------------- keys, saving, quitting

    private boolean globalKey(KeyStroke key) {
        if (current >= 0 && pages.get(current).key(key)) return true;
        KeyType type = key.getKeyType();
        if (type == KeyType.F1) {
            help();
            return true;
        }
        if (type == KeyType.F2 || ctrl(key, 's')) {
            save(null);
            return true;
        }
        if (type == KeyType.Escape || ctrl(key, 'c')) {
            quit();
            return true;
        }
        if (alt(key, 'n')) {
            next();
            return true;
        }
        if (alt(key, 'b')) {
            back();
            return true;
        }
        return false;
    }

    private static boolean alt(KeyStroke key, char c) {
        return key.getKeyType() == KeyType.Character && key.isAltDown() && !key.isCtrlDown()
                && Character.toLowerCase(key.getCharacter()) == c;
    }

    private static boolean ctrl(KeyStroke key, char c) {
        return key.getKeyType() == KeyType.Character && key.isCtrlDown() && !key.isAltDown()
                && Character.toLowerCase(key.getCharacter()) == c;
    }

    void help() {
        Page page = pages.get(current);
        Dialogs.message(gui, msg.get("help.title", page.title()), page.help() + "\n\n" + msg.get("help.keys"),
                Math.min(70, wrapWidth() - 6), null, new Dialogs.Choice(msg.get("button.close"), () -> { }));
    }

    private static String yaml(FormState.Built built) {
        return built.formProblems().isEmpty() ? AnswersWriter.toYaml(built.spec()) : null;
    }

    private void baseline(FormState.Built built) {
        baseline = built;
        baselineYaml = null;
    }

    /** Whether the answers differ from what was last loaded or saved. */
    boolean unsaved() {
        if (baselineYaml == null && baseline != null) {
            baselineYaml = yaml(baseline);
            if (baselineYaml == null) baseline = null;
        }
        String now = yaml(state.build());
        return now == null || !now.equals(baselineYaml);
    }

    /** Saves, asking for the path the first time; {@code then} runs after a successful save. */
    void save(Runnable then) {
        FormState.Built built = state.build();
        if (!built.formProblems().isEmpty()) {
            Problem p = built.formProblems().get(0);
            setStatus(Form.ERROR + " " + msg.get("status.cannotSave", p.field(), p.message()));
            return;
        }
        if (savePath != null) {
            String failure = write(built.spec(), savePath);
            if (failure != null) setStatus(Form.ERROR + " " + failure);
            else if (then != null) then.run();
            return;
        }
        Path suggested = answersFile != null ? answersFile
                : options.workingDir().resolve(built.spec().cluster().name() + ".yaml");
        Dialogs.prompt(gui, msg.get("save.title"), msg.get("save.prompt"), suggested.toString(),
                Math.min(60, wrapWidth() - 6), msg.get("button.save"), msg.get("button.cancel"), text -> {
                    if (text.isBlank()) return msg.get("save.empty");
                    Path path = resolve(text.trim());
                    String failure = write(built.spec(), path);
                    if (failure != null) return failure;
                    savePath = path;
                    if (then != null) then.run();
                    return null;
                });
    }

    private String write(ClusterSpec spec, Path path) {
        try {
            AnswersWriter.save(spec, path);
        } catch (IOException e) {
            return msg.get("save.failed", path, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        }
        baseline = null;
        baselineYaml = AnswersWriter.toYaml(spec);
        setStatus(Form.OK + " " + msg.get("status.saved", path));
        return null;
    }

    /** "~/x.yaml" and relative paths as a shell would read them here. */
    Path resolve(String text) {
        if (text.equals("~")) return options.home();
        if (text.startsWith("~/")) return options.home().resolve(text.substring(2));
        return options.workingDir().resolve(text).normalize();
    }

    /** Esc or Ctrl-C: during a run, offers to abort it; with unsaved answers, offers to save first. */
    void quit() {
        if (runPage.running()) {
            Dialogs.message(gui, msg.get("quit.title"), msg.get("quit.running"), Math.min(60, wrapWidth() - 6), null,
                    new Dialogs.Choice(msg.get("button.abort"), runPage::abort),
                    new Dialogs.Choice(msg.get("button.cancel"), () -> { }));
            return;
        }
        if (!unsaved()) {
            close();
            return;
        }
        Dialogs.message(gui, msg.get("quit.title"), msg.get("quit.unsaved"), Math.min(60, wrapWidth() - 6), null,
                new Dialogs.Choice(msg.get("button.saveQuit"), () -> save(this::close)),
                new Dialogs.Choice(msg.get("button.discard"), this::close),
                new Dialogs.Choice(msg.get("button.cancel"), () -> { }));
    }

    void close() {
        runPage.stop();
        hostsPage.forget();
        prompter.declineAll();
        for (Window w : new ArrayList<>(gui.getWindows())) w.close();
    }

    boolean closed() { return window.getTextGUI() == null; }

    /**
     * Replaces every answer (Welcome's new, open and preset) and counts them as saved. {@code file} is
     * the user's own file, offered as the save path; null for a preset or a new cluster.
     */
    void load(ClusterSpec spec, Path file) { load(spec, file, null); }

    /** Set by Welcome's "Upgrade an installed cluster"; null otherwise. */
    private Workflow workflow;

    /**
     * As {@link #load(ClusterSpec, Path)}, for the answers an installed cluster was last applied with:
     * {@code runDirectory} is where its state is kept, so Hosts reads that cluster, Review previews
     * the change to it and Install applies it there. Save still asks where to write the answers.
     */
    void load(ClusterSpec spec, Path file, Path runDirectory) {
        if (spec == null) state.load(FormState.defaults().build().spec());
        else state.load(spec);
        baseline(state.build());
        savePath = null;
        answersFile = file;
        installed = runDirectory;
        applied = runDirectory == null ? List.of() : RunRecord.applied(new RunDirectory(runDirectory));
        workflow = null;
        hostsPage.forget();
    }

    /**
     * The installed cluster just loaded is to be upgraded: its kubernetesVersion becomes {@code to}
     * (unsaved, as any edit: Save writes it where the user says), and Review and Install run the
     * upgrade workflow instead of apply's.
     */
    void upgrade(KubernetesVersion to) {
        state.k8sMinor = to.minorString();
        state.k8sPatch = Integer.toString(to.patch());
        workflow = Workflow.UPGRADE;
    }

    /** What Install runs: null for apply's choice (install or scale), else the workflow Welcome chose. */
    Workflow workflow() { return workflow; }

    /** Whether the answers are an installed cluster's (Welcome opened it from its run directory). */
    boolean installed() { return installed != null; }

    /** The hosts the installed cluster's last successful apply had; empty for a new cluster. */
    List<Host> applied() { return applied; }

    /** Where this cluster's state is kept: the installed cluster's run directory, else {@code <state>/<cluster>}. */
    RunDirectory runDirectory(ClusterSpec spec) {
        return installed != null ? new RunDirectory(installed.toAbsolutePath().normalize())
                : RunDirectory.of(options.stateBase(), spec);
    }

    static Panel row(Component... components) {
        Panel p = new Panel(new LinearLayout(Direction.HORIZONTAL));
        for (Component c : components) p.addComponent(c);
        return p;
    }
}
