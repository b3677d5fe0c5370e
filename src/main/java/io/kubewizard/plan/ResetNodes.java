package io.kubewizard.plan;

import io.kubewizard.answers.Spec.Host;
import io.kubewizard.answers.Spec.Role;
import io.kubewizard.answers.Spec.RuntimeType;
import io.kubewizard.render.RenderedFile;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.TreeSet;

/**
 * {@code kubewizard reset}: {@code kubeadm reset -f} on every host, then the files kubewizard wrote
 * (every rendered path, both package families') and the pod network's configuration are removed.
 * Packages stay installed. Workers first, side by side; then the control planes one at a time, the
 * first one last, so etcd loses one member at a time and keeps its quorum while kubeadm removes
 * each member; external etcd hosts last. One phase per kind of host.
 */
final class ResetNodes implements PlanPhase {
    enum Kind { WORKERS, CONTROL_PLANES, ETCD }

    static final StepId STEP = new StepId("reset/node");
    static final String CNI_CONFIG = "/etc/cni/net.d";

    private final Kind kind;

    ResetNodes(Kind kind) { this.kind = kind; }

    public String id() {
        return switch (kind) {
            case WORKERS -> "reset/workers";
            case CONTROL_PLANES -> "reset/control-planes";
            case ETCD -> "reset/etcd";
        };
    }

    public String title() {
        return switch (kind) {
            case WORKERS -> "Reset the workers";
            case CONTROL_PLANES -> "Reset the control planes, one at a time";
            case ETCD -> "Reset the external etcd members";
        };
    }

    public void addSteps(Draft d) {
        List<String> before = new ArrayList<>();
        switch (kind) {
            case WORKERS -> {
                for (Host h : d.spec.hosts()) if (h.is(Role.WORKER) && !h.is(Role.CONTROL_PLANE)) step(d, h, List.of());
            }
            case CONTROL_PLANES -> {
                before.addAll(d.keys(STEP));
                List<Host> cps = new ArrayList<>(d.spec.controlPlanes());
                Collections.reverse(cps);
                for (Host h : cps) before = List.of(step(d, h, before));
            }
            case ETCD -> {
                List<String> after = d.keys(STEP);
                for (Host h : d.spec.etcdHosts()) step(d, h, after);
            }
        }
    }

    private static String step(Draft d, Host h, List<String> after) {
        TreeSet<String> paths = new TreeSet<>();
        d.peekAll(h).forEach(f -> paths.add(f.path()));
        // an upgrade leaves its UpgradeConfiguration behind on every node
        if (h.is(io.kubewizard.answers.Spec.Role.CONTROL_PLANE) || h.is(io.kubewizard.answers.Spec.Role.WORKER)) {
            paths.add(io.kubewizard.render.UpgradeConfig.PATH);
        }
        return d.add(STEP, h, "Run kubeadm reset and remove kubewizard's files")
                .after(after)
                .run(commands(d.spec.runtime().type(), List.copyOf(paths)))
                .key();
    }

    /** kubeadm reset (naming the CRI socket: with more than one present, kubeadm refuses to guess), then the files. */
    static List<String> commands(RuntimeType runtime, List<String> paths) {
        List<String> run = new ArrayList<>();
        run.add("if command -v kubeadm >/dev/null 2>&1; then kubeadm reset -f --cri-socket " + runtime.criSocket() + "; fi");
        if (!paths.isEmpty()) run.add("rm -f -- " + String.join(" ", paths.stream().map(Shell::quote).toList()));
        run.add("rm -rf " + CNI_CONFIG);
        run.add("systemctl daemon-reload");
        return run;
    }

}
