package io.kubewizard.run;

import io.kubewizard.answers.Spec.ClusterSpec;
import io.kubewizard.answers.Spec.Host;
import io.kubewizard.answers.Spec.Role;
import io.kubewizard.plan.Phase;
import io.kubewizard.plan.Plan;
import io.kubewizard.plan.Step;
import io.kubewizard.render.RenderedFile;
import io.kubewizard.render.RenderedFile.OsFamily;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * {@code kubewizard reset}: {@code kubeadm reset -f} on every host, then the files kubewizard
 * wrote (every rendered path, both package families') and the pod network's configuration are
 * removed. Packages stay installed. Workers first, side by side; then the control planes one at
 * a time, the first one last, so etcd loses one member at a time and keeps its quorum while
 * kubeadm removes each member; external etcd hosts last.
 */
public final class ResetPlan {
    private ResetPlan() {}

    static final String STEP = "reset/node";
    static final String CNI_CONFIG = "/etc/cni/net.d";

    public static Plan build(ClusterSpec spec, List<RenderedFile> files) {
        List<Step> workers = new ArrayList<>();
        for (Host h : spec.hosts()) {
            if (h.is(Role.WORKER) && !h.is(Role.CONTROL_PLANE)) workers.add(step(spec, h, files, List.of()));
        }
        List<Step> controlPlanes = new ArrayList<>();
        List<String> before = workers.stream().map(Step::key).toList();
        List<Host> cps = new ArrayList<>(spec.controlPlanes());
        java.util.Collections.reverse(cps);
        for (Host h : cps) {
            Step s = step(spec, h, files, before);
            controlPlanes.add(s);
            before = List.of(s.key());
        }
        List<String> afterControlPlanes = controlPlanes.isEmpty() ? workers.stream().map(Step::key).toList() : before;
        List<Step> etcd = spec.etcdHosts().stream().map(h -> step(spec, h, files, afterControlPlanes)).toList();
        List<Phase> phases = new ArrayList<>();
        if (!workers.isEmpty()) phases.add(new Phase("reset/workers", "Reset the workers", workers));
        if (!controlPlanes.isEmpty()) {
            phases.add(new Phase("reset/control-planes", "Reset the control planes, one at a time", controlPlanes));
        }
        if (!etcd.isEmpty()) phases.add(new Phase("reset/etcd", "Reset the external etcd members", etcd));
        return new Plan(spec.cluster().name(), phases);
    }

    private static Step step(ClusterSpec spec, Host h, List<RenderedFile> files, List<String> after) {
        List<String> run = new ArrayList<>();
        // The CRI socket is named: with more than one present, kubeadm refuses to guess.
        run.add("if command -v kubeadm >/dev/null 2>&1; then kubeadm reset -f --cri-socket "
                + spec.runtime().type().criSocket() + "; fi");
        TreeSet<String> paths = new TreeSet<>();
        files.stream().filter(f -> f.host().equals(h.name())).forEach(f -> paths.add(f.path()));
        if (!paths.isEmpty()) {
            run.add("rm -f -- " + String.join(" ", paths.stream().map(Executor::quote).toList()));
        }
        run.add("rm -rf " + CNI_CONFIG);
        run.add("systemctl daemon-reload");
        String phase = h.is(Role.ETCD) ? "reset/etcd" : h.is(Role.CONTROL_PLANE) ? "reset/control-planes" : "reset/workers";
        return new Step(STEP, "Run kubeadm reset and remove kubewizard's files", h.name(), phase, null,
                Map.of(OsFamily.ANY, run), List.of(), List.of(), true, after);
    }
}
