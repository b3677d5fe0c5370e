package io.kubewizard.tui;

import io.kubewizard.answers.Spec.ClusterSpec;
import io.kubewizard.run.Event;
import io.kubewizard.run.Event.StepStatus;
import io.kubewizard.run.RunDirectory;
import io.kubewizard.run.TransportFactory;

import java.time.Instant;
import java.util.List;

/**
 * A test engine behind the real wizard's Install: one phase, "prepare", whose step "Install
 * packages" runs on every host while {@link #output} reports what it likes, then ends well with
 * the kubeconfig at /tmp/admin.conf. It reads no cluster and takes no steering.
 */
abstract class ScriptedInstaller implements Installer, Installer.RunControl {
    private final String thread;

    ScriptedInstaller(String thread) {
        this.thread = thread;
    }

    /** The run's output, on the engine's thread, between the steps starting and ending; false stops the run there. */
    abstract boolean output(List<String> hosts, Event.Listener events);

    @Override
    public RunControl start(ClusterSpec spec, RunDirectory dir, Event.Listener events, TransportFactory.Prompter prompter) {
        List<String> hosts = spec.hosts().stream().map(h -> h.name()).toList();
        Thread t = new Thread(() -> run(hosts, events), thread);
        t.setDaemon(true);
        t.start();
        return this;
    }

    private void run(List<String> hosts, Event.Listener events) {
        events.on(new Event.RunStarted(Instant.now(), "ha-stacked", List.of("prepare"), hosts, false));
        events.on(new Event.PhaseStarted(Instant.now(), "prepare", "Prepare the nodes"));
        for (String h : hosts) {
            events.on(new Event.StepChanged(Instant.now(), "prepare@" + h, "prepare", h, "Install packages", StepStatus.RUNNING, null));
        }
        if (!output(hosts, events)) return;
        for (String h : hosts) {
            events.on(new Event.StepChanged(Instant.now(), "prepare@" + h, "prepare", h, "Install packages", StepStatus.DONE, null));
        }
        events.on(new Event.PhaseFinished(Instant.now(), "prepare", true));
        events.on(new Event.RunFinished(Instant.now(), true, List.of(), "/tmp/admin.conf"));
    }

    @Override
    public Live observe(ClusterSpec spec, RunDirectory dir, TransportFactory.Prompter prompter) {
        return Live.failed("a scripted engine reads no cluster");
    }

    public void retry(String stepKey) {}

    public boolean canSkip(String stepKey) { return false; }

    public void skip(String stepKey) {}

    public void abort() {}
}
