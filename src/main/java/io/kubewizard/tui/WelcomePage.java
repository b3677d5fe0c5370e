package io.kubewizard.tui;

import com.googlecode.lanterna.gui2.ComboBox;
import com.googlecode.lanterna.gui2.RadioBoxList;
import com.googlecode.lanterna.gui2.TextBox;
import io.kubewizard.answers.AnswersLoader;
import io.kubewizard.answers.KubernetesVersion;
import io.kubewizard.answers.PresetCatalog;
import io.kubewizard.answers.Spec.ClusterSpec;
import io.kubewizard.answers.Problem;
import io.kubewizard.run.RunDirectory;
import io.kubewizard.run.RunRecord;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Where the answers come from: a new cluster, the user's file, a preset, or an installed cluster
 * (the answers it was last applied with, from its run directory: one of the state directory's, or
 * one typed in), or an upgrade of an installed cluster: its answers with kubernetesVersion set to a
 * newer version this kubewizard knows, straight to Review, which shows the upgrade's plan. Leaving the page loads the choice, but only when it differs from what was loaded
 * last, so Back to here and Next again keeps every answer.
 */
final class WelcomePage extends FormPage {
    enum Start { NEW, FILE, PRESET, INSTALLED, UPGRADE }

    private Start start = Start.NEW;
    private String path = "";
    private int preset;
    private int cluster;
    private String runDirectory = "";
    /** The upgrade's target: an index into {@link #upgrades()}. */
    private int version;
    private ComboBox<String> versionBox;
    /** What the answers were last loaded from ("new", "file:/x.yaml", "preset:name"). */
    private String loaded;
    private List<Problem> loadProblems = List.of();

    WelcomePage(Wizard w) {
        super(w);
        if (w.options.initial() != null) {
            Path file = w.options.answersFile();
            start = file != null ? Start.FILE : Start.PRESET;
            if (file != null) path = file.toString();
            if (w.options.preset() != null) preset = Math.max(0, presets().indexOf(w.options.preset()));
        }
        loaded = key();
    }

    @Override
    String id() { return "welcome"; }

    @Override
    String[] fields() { return new String[0]; }

    @Override
    boolean hasBack() { return false; }

    @Override
    List<String> labels() {
        return List.of(label("start"), label("file"), label("preset"), label("installed"), label("runDirectory"),
                label("upgradeTo"));
    }

    /** The installed clusters of the state directory: each directory holding an applied.yaml, by name. */
    List<String> installedClusters() {
        Path base = w.options.stateBase();
        if (base == null || !Files.isDirectory(base)) return List.of();
        try (Stream<Path> dirs = Files.list(base)) {
            return dirs.filter(d -> Files.isRegularFile(d.resolve(RunRecord.APPLIED)))
                    .map(d -> d.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** The kubernetesVersion the installed cluster was last applied with; null when none can be read. */
    private KubernetesVersion appliedVersion() {
        Path dir = installedDirectory();
        ClusterSpec spec = dir == null ? null : RunRecord.appliedSpec(new RunDirectory(dir));
        return spec == null ? null : KubernetesVersion.parse(spec.cluster().kubernetesVersion());
    }

    /** The versions this kubewizard knows newer than the installed cluster's, newest first. */
    List<KubernetesVersion> upgrades() {
        KubernetesVersion current = appliedVersion();
        return current == null ? List.of() : current.upgradesKnown();
    }

    /** The upgrade's drop-down: the picked cluster's versions to go to, or why there are none. */
    private void fillVersions() {
        if (versionBox == null) return;
        List<KubernetesVersion> upgrades = upgrades();
        KubernetesVersion current = appliedVersion();
        versionBox.clearItems();
        if (upgrades.isEmpty()) {
            versionBox.addItem(current == null ? label("noClusters") : label("newest", current));
        } else {
            upgrades.forEach(v -> versionBox.addItem(v.toString()));
        }
        version = Math.min(version, Math.max(0, upgrades.size() - 1));
        versionBox.setSelectedIndex(version);
        versionBox.setEnabled(start == Start.UPGRADE);
    }

    /** Another cluster: its versions, and what was refused of the one before is no longer said. */
    private void pickedCluster() {
        fillVersions();
        if (!loadProblems.isEmpty()) {
            loadProblems = List.of();
            w.revalidate();
        }
    }

    /** The built-in presets and those of the options' presets directory (PresetCatalog). */
    List<String> presets() {
        return PresetCatalog.of(w.options.presetsDir()).names();
    }

    @Override
    void rows(Form f) {
        f.note(w.msg.get("page.welcome.intro"));
        f.gap();
        RadioBoxList<String> choice = radios(Start.values(), s -> label("start." + s.name().toLowerCase()),
                () -> start, s -> {
                    start = s;
                    // Tab stops at the upgrade's version only when it is the start chosen
                    if (versionBox != null) versionBox.setEnabled(s == Start.UPGRADE);
                });
        f.field(label("start"), choice);
        TextBox file = text(44, () -> path, t -> path = t);
        f.field(label("file"), file, "welcome.file");
        List<String> names = presets();
        ComboBox<String> presetBox = new ComboBox<>(names.isEmpty() ? List.of(label("noPresets")) : names);
        presetBox.setReadOnly(true);
        if (!names.isEmpty()) presetBox.setSelectedIndex(Math.min(preset, names.size() - 1));
        presetBox.addListener((index, previous, byUser) -> preset = index);
        f.field(label("preset"), presetBox, "welcome.preset");
        List<String> clusters = installedClusters();
        ComboBox<String> clusterBox = new ComboBox<>(clusters.isEmpty() ? List.of(label("noClusters")) : clusters);
        clusterBox.setReadOnly(true);
        if (!clusters.isEmpty()) clusterBox.setSelectedIndex(Math.min(cluster, clusters.size() - 1));
        clusterBox.addListener((index, previous, byUser) -> {
            cluster = index;
            pickedCluster();
        });
        f.field(label("installed"), clusterBox, "welcome.installed");
        f.field(label("runDirectory"), text(44, () -> runDirectory, t -> {
            runDirectory = t;
            pickedCluster();
        }), "welcome.runDirectory");
        versionBox = new ComboBox<>();
        versionBox.setReadOnly(true);
        versionBox.addListener((index, previous, byUser) -> {
            if (index >= 0 && byUser) version = index;
        });
        fillVersions();
        f.field(label("upgradeTo"), versionBox, "welcome.upgradeTo");
        f.note(label("installedNote", w.options.stateBase()));
        f.note(w.msg.get("page.welcome.keys"));
    }

    @Override
    void show(List<Problem> problems) {
        List<Problem> all = new ArrayList<>(problems);
        all.addAll(loadProblems);
        form.show(all);
    }

    private String key() {
        return switch (start) {
            case NEW -> "new";
            case FILE -> "file:" + path.trim();
            case PRESET -> "preset:" + (presets().isEmpty() ? "" : presets().get(Math.min(preset, presets().size() - 1)));
            case INSTALLED -> "installed:" + (installedDirectory() == null ? "" : installedDirectory());
            case UPGRADE -> "upgrade:" + (installedDirectory() == null ? "" : installedDirectory()) + ":" + target();
        };
    }

    /** The version picked to upgrade to; null when there is none to pick. */
    private KubernetesVersion target() {
        List<KubernetesVersion> upgrades = upgrades();
        return upgrades.isEmpty() ? null : upgrades.get(Math.min(version, upgrades.size() - 1));
    }

    /** The typed run directory, else the picked cluster's in the state directory; null when neither. */
    private Path installedDirectory() {
        if (!runDirectory.isBlank()) return w.resolve(runDirectory.trim());
        List<String> names = installedClusters();
        return names.isEmpty() ? null : w.options.stateBase().resolve(names.get(Math.min(cluster, names.size() - 1)));
    }

    /** An upgrade goes from here to Review: its answers are the cluster's, only the version changes. */
    @Override
    int nextPage(int current) { return start == Start.UPGRADE ? w.reviewIndex() : current + 1; }

    @Override
    boolean leave() {
        String key = key();
        if (key.equals(loaded)) return true;
        loadProblems = List.of();
        switch (start) {
            case NEW -> w.load(null, null);
            case FILE -> {
                if (path.isBlank()) return refuse("welcome.file", w.msg.get("page.welcome.fileEmpty"));
                Path file = w.resolve(path.trim());
                if (!load(file, file, "welcome.file", file.toString(), null)) return false;
            }
            case PRESET -> {
                List<String> names = presets();
                if (names.isEmpty()) return refuse("welcome.preset", label("noPresets"));
                String name = names.get(Math.min(preset, names.size() - 1));
                PresetCatalog.Preset p;
                try {
                    p = PresetCatalog.of(w.options.presetsDir()).get(name);
                } catch (PresetCatalog.Differ differ) {
                    // the built-in preset and the directory's differ: neither is taken, both are named
                    return refuse("welcome.preset", label("presetsDiffer", differ.name, differ.builtIn, differ.file));
                }
                if (!load(p.load(), p.label(), null, "welcome.preset", w.msg.get("status.preset", name), null)) {
                    return false;
                }
            }
            case INSTALLED, UPGRADE -> {
                String field = runDirectory.isBlank() ? "welcome.installed" : "welcome.runDirectory";
                Path dir = installedDirectory();
                if (dir == null) return refuse(field, label("noClusters"));
                Path applied = dir.resolve(RunRecord.APPLIED);
                if (!Files.isRegularFile(applied)) return refuse(field, label("notInstalled", dir));
                // the record is the engine's: Save asks where the answers go, and never offers it
                KubernetesVersion to = start == Start.UPGRADE ? target() : null;
                if (start == Start.UPGRADE && to == null) {
                    KubernetesVersion current = appliedVersion();
                    return refuse("welcome.upgradeTo", current == null ? label("noVersion", applied)
                            : label("atNewest", dir.getFileName(), current));
                }
                if (!load(applied, null, field, w.msg.get("status.installed", dir.getFileName(), dir), dir)) {
                    return false;
                }
                if (to != null) {
                    // the answers change in memory only: Save (Ctrl-S) writes them where the user says
                    String from = w.state.kubernetesVersion();
                    w.upgrade(to);
                    w.revalidate();
                    w.setStatus(Form.OK + " " + w.msg.get("status.upgrade", w.state.clusterName, from, to));
                }
            }
        }
        loaded = key;
        return true;
    }

    /**
     * Loads a file; one that is not even YAML stays here with its problems, one with errors opens with
     * them marked. {@code runDirectory}: the installed cluster's, when the file is its applied.yaml.
     */
    private boolean load(Path file, Path userFile, String field, String description, Path runDirectory) {
        return load(AnswersLoader.load(file), file.toString(), userFile, field, description, runDirectory);
    }

    /** {@code source}: the loaded answers' file, or how a built-in preset is named. */
    private boolean load(AnswersLoader.Result r, String source, Path userFile, String field, String description,
                         Path runDirectory) {
        // The loader's own errors (an unknown key, a wrong type) have no field on any page to be
        // marked on: opening would silently drop what the user wrote, so the file stays here.
        List<Problem> fileErrors = r.problems().stream().filter(Problem::isFileError).toList();
        if (r.spec() == null || !fileErrors.isEmpty()) {
            loadProblems = w.msg.problems(r.spec() == null ? r.problems() : fileErrors).stream()
                    .map(p -> Problem.error(field, p.toString())).toList();
            w.revalidate();
            w.setStatus(Form.ERROR + " " + w.msg.get("status.notLoaded", source));
            return false;
        }
        w.load(r.spec(), userFile, runDirectory);
        long errors = r.problems().stream().filter(Problem::isError).count();
        w.setStatus(errors == 0 ? Form.OK + " " + w.msg.get("status.loaded", description)
                : Form.WARNING + " " + w.msg.get("status.loadedWithErrors", description, errors));
        return true;
    }

    private boolean refuse(String field, String message) {
        loadProblems = List.of(Problem.error(field, message));
        w.revalidate();
        return false;
    }
}
