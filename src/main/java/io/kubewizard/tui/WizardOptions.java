package io.kubewizard.tui;

import io.kubewizard.answers.Spec.ClusterSpec;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Locale;

/**
 * How the wizard starts. Everything it would otherwise read from the process (locale, home, the
 * working directory, the clock) comes in here, so a screen test controls all of it.
 *
 * @param theme       a theme name from {@code themesDir}, or null for the default (monochrome under NO_COLOR)
 * @param noColor     NO_COLOR is set: monochrome unless a theme was asked for by name
 * @param initial     answers to start from, or null for the Welcome page's choice
 * @param answersFile the file {@code initial} came from when it is the user's own (offered as the save
 *                    path), or null (a preset is never overwritten)
 * @param preset      the name of the preset {@code initial} came from, or null
 * @param installer   the engine that runs an install, or null when this build has none wired
 * @param tester      what tests a host's connection (Hosts page), or null when none is wired
 * @param stateBase   where each cluster's run directory is ({@code <stateBase>/<cluster>}, as apply's
 *                    {@code --state}): Install runs there, and Welcome lists the installed clusters in it
 */
public record WizardOptions(Locale locale, String theme, boolean noColor, Path themesDir, Path presetsDir,
                            ClusterSpec initial, Path answersFile, String preset, Installer installer,
                            ConnectionTester tester, Path home, Path workingDir, Clock clock,
                            Path stateBase) {

    public static WizardOptions of(Locale locale, Path themesDir, Path presetsDir, Path home, Path workingDir) {
        return new WizardOptions(locale, null, false, themesDir, presetsDir, null, null, null, null, null, home,
                workingDir, Clock.systemUTC(), workingDir.resolve(io.kubewizard.run.RunDirectory.DEFAULT_BASE));
    }

    public WizardOptions withTheme(String name, boolean noColorSet) {
        return new WizardOptions(locale, name, noColorSet, themesDir, presetsDir, initial, answersFile, preset,
                installer, tester, home, workingDir, clock, stateBase);
    }

    public WizardOptions withInitial(ClusterSpec spec, Path file) {
        return new WizardOptions(locale, theme, noColor, themesDir, presetsDir, spec, file, preset, installer, tester,
                home, workingDir, clock, stateBase);
    }

    public WizardOptions withPreset(String name) {
        return new WizardOptions(locale, theme, noColor, themesDir, presetsDir, initial, answersFile, name, installer,
                tester, home, workingDir, clock, stateBase);
    }

    public WizardOptions withInstaller(Installer engine) {
        return new WizardOptions(locale, theme, noColor, themesDir, presetsDir, initial, answersFile, preset, engine,
                tester, home, workingDir, clock, stateBase);
    }

    public WizardOptions withTester(ConnectionTester t) {
        return new WizardOptions(locale, theme, noColor, themesDir, presetsDir, initial, answersFile, preset, installer,
                t, home, workingDir, clock, stateBase);
    }

    public WizardOptions withClock(Clock c) {
        return new WizardOptions(locale, theme, noColor, themesDir, presetsDir, initial, answersFile, preset,
                installer, tester, home, workingDir, c, stateBase);
    }

    /** The state directory of apply's {@code --state} (absolute, or read from the working directory). */
    public WizardOptions withStateBase(Path base) {
        return new WizardOptions(locale, theme, noColor, themesDir, presetsDir, initial, answersFile, preset,
                installer, tester, home, workingDir, clock, workingDir.resolve(base).normalize());
    }
}
