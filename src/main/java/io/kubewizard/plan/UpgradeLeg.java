package io.kubewizard.plan;

import io.kubewizard.answers.KubernetesVersion;
import io.kubewizard.answers.Spec.Host;
import io.kubewizard.answers.Spec.Role;
import io.kubewizard.answers.Spec.RuntimeType;
import io.kubewizard.answers.Spec.Topology;
import io.kubewizard.render.PackageRepos;
import io.kubewizard.render.RenderedFile;
import io.kubewizard.render.RenderedFile.OsFamily;
import io.kubewizard.render.UpgradeConfig;

import java.util.ArrayList;
import java.util.List;

/**
 * One minor of an upgrade (docs/kubeadm.md, "Day 2"), in five parts, each a phase of its own. The
 * snapshot is a barrier (nothing of the leg starts anywhere before it, and it waits for the leg
 * before); the kubelets wait for every control plane's {@code kubeadm upgrade}; the workers for
 * every control plane's turn; so a leg completes before the next one starts:
 * <ol>
 *   <li>{@code backup}: an etcd snapshot, checked on the node and fetched into the run directory;</li>
 *   <li>{@code packages}: every node's package repository switched to the new minor, and kubeadm
 *       installed at the leg's version and held again;</li>
 *   <li>{@code control-plane}: {@code kubeadm upgrade plan} as a check and {@code kubeadm upgrade
 *       apply} on the lead, then {@code kubeadm upgrade node} on the other control planes, one at a time;</li>
 *   <li>{@code kubelets}: each control plane in turn drained, its kubelet and kubectl upgraded and
 *       restarted, Ready again, uncordoned;</li>
 *   <li>{@code workers}: the same for the workers (after their {@code kubeadm upgrade node}),
 *       {@code upgrade.maxUnavailable} at a time.</li>
 * </ol>
 * From 1.31 every {@code kubeadm upgrade} reads the leg's UpgradeConfiguration ({@link UpgradeConfig},
 * uploaded with the step); before, kubeadm has no such kind and takes the version as an argument.
 * A node's uncordon {@link Step#always always} runs once its drain ran, so a failed kubelet
 * upgrade never leaves the node cordoned; the next node waits for this one to be Ready, so a
 * failure stops the leg there.
 */
final class UpgradeLeg implements PlanPhase {
    enum Part { BACKUP, PACKAGES, CONTROL_PLANE, KUBELETS, WORKERS }

    private final KubernetesVersion from;
    private final KubernetesVersion to;
    private final Part part;

    UpgradeLeg(KubernetesVersion from, KubernetesVersion to, Part part) {
        this.from = from;
        this.to = to;
        this.part = part;
    }

    /** Where an upgrade's etcd snapshot is written on the node (inside etcd's data directory, which its container mounts). */
    static String snapshot(KubernetesVersion to) {
        return "/var/lib/etcd/kubewizard-before-v" + to + ".db";
    }

    private String prefix() { return "upgrade/v" + to; }

    public String id() {
        return prefix() + "/" + switch (part) {
            case BACKUP -> "backup";
            case PACKAGES -> "packages";
            case CONTROL_PLANE -> "control-plane";
            case KUBELETS -> "kubelets";
            case WORKERS -> "workers";
        };
    }

    public String title() {
        return switch (part) {
            case BACKUP -> "Back up etcd before " + from + " → " + to;
            case PACKAGES -> "Switch to the Kubernetes " + to.minorString() + " packages and install kubeadm " + to;
            case CONTROL_PLANE -> "Upgrade the control plane to " + to + ", one node at a time";
            case KUBELETS -> "Upgrade the control planes' kubelets to " + to + ", one node at a time";
            case WORKERS -> "Upgrade the workers' kubelets to " + to;
        };
    }

    public void addSteps(Draft d) {
        Host lead = d.lead();
        if (lead == null) return;
        RuntimeType runtime = d.spec.runtime().type();
        switch (part) {
            case BACKUP -> backup(d, lead, runtime);
            case PACKAGES -> packages(d);
            case CONTROL_PLANE -> controlPlane(d, lead);
            case KUBELETS -> {
                List<Host> cps = new ArrayList<>();
                cps.add(lead);
                d.spec.controlPlanes().stream().filter(h -> !h.equals(lead)).forEach(cps::add);
                // the kubelets once every control plane runs the leg's version: its API server first
                List<String> previous = new ArrayList<>(d.keys(new StepId(prefix() + "/apply")));
                previous.addAll(d.keys(new StepId(prefix() + "/node")));
                for (Host h : cps) previous = List.of(node(d, lead, h, previous));
            }
            case WORKERS -> workers(d, lead);
        }
    }

    private void backup(Draft d, Host lead, RuntimeType runtime) {
        boolean stacked = d.spec.cluster().topology() == Topology.STACKED;
        Host etcd = stacked ? lead : d.spec.etcdHosts().get(0);
        String file = snapshot(to);
        d.add(new StepId(prefix() + "/backup"), etcd, "Take an etcd snapshot, check it and keep it on the jump host")
                .run(Etcdctl.snapshotSave(runtime, file), Etcdctl.snapshotStatus(runtime, file))
                .download(file)
                // the snapshot is of the cluster before this leg: nothing of the leg runs anywhere before it
                .barrier();
    }

    private void packages(Draft d) {
        for (Host h : nodes(d)) {
            AptKeys.addRepositoryStep(d, prefix() + "/repository", h, "Switch to the Kubernetes " + to.minorString()
                    + " package repository", d.legFiles(to, h, Route.KUBERNETES_REPOSITORY));
            d.add(prefix() + "/kubeadm", h, "Install kubeadm " + to + " and hold it")
                    .check("test \"$(kubeadm version -o short 2>/dev/null)\" = v" + to)
                    .deb(List.of("apt-get update",
                            "apt-mark unhold kubeadm",
                            "DEBIAN_FRONTEND=noninteractive apt-get install -y --allow-change-held-packages "
                                    + Shell.join(packages(OsFamily.DEB, "kubeadm")),
                            "apt-mark hold kubeadm"))
                    .rpm(List.of("dnf install -y --disableexcludes=" + PackageRepos.KUBERNETES_YUM_REPO_ID + " "
                            + Shell.join(packages(OsFamily.RPM, "kubeadm"))));
        }
    }

    private void controlPlane(Draft d, Host lead) {
        String upgraded = "grep -q 'kube-apiserver:v" + to + "' " + Paths.API_SERVER_MANIFEST;
        var apply = d.add(prefix() + "/apply", lead, "Run kubeadm upgrade apply v" + to).check(upgraded);
        if (UpgradeConfig.applies(to)) {
            apply.upload(List.of(UpgradeConfig.file(d.spec, to, lead.name())))
                    .run("kubeadm upgrade plan --config " + UpgradeConfig.PATH,
                            "kubeadm upgrade apply --config " + UpgradeConfig.PATH + " --yes");
        } else {
            apply.run("kubeadm upgrade plan v" + to, "kubeadm upgrade apply v" + to + " --yes");
        }
        String previous = apply.key();
        for (Host h : d.spec.controlPlanes()) {
            if (h.equals(lead)) continue;
            previous = upgradeNode(d, d.add(prefix() + "/node", h, "Run kubeadm upgrade node"), h)
                    .after(previous)
                    .check(upgraded)
                    .key();
        }
    }

    /** {@code kubeadm upgrade node}, with the leg's UpgradeConfiguration from 1.31 on. */
    private Draft.StepDraft upgradeNode(Draft d, Draft.StepDraft step, Host h) {
        if (!UpgradeConfig.applies(to)) return step.run("kubeadm upgrade node");
        return step.upload(List.of(UpgradeConfig.file(d.spec, to, h.name())))
                .run("kubeadm upgrade node --config " + UpgradeConfig.PATH);
    }

    private void workers(Draft d, Host lead) {
        List<Host> workers = d.spec.workers().stream().filter(h -> !h.is(Role.CONTROL_PLANE)).toList();
        int batch = Math.max(1, d.spec.upgrade().maxUnavailable());
        // after every control plane's turn: their drains and uncordons run beside the lead's sequence
        List<String> before = d.family(new StepId(prefix() + "/uncordon"));
        for (int i = 0; i < workers.size(); i += batch) {
            List<String> done = new ArrayList<>();
            for (Host w : workers.subList(i, Math.min(workers.size(), i + batch))) {
                // The kubelet configuration kubeadm keeps for this minor, before the kubelet itself.
                String node = upgradeNode(d, d.add(prefix() + "/node", w, "Run kubeadm upgrade node"), w)
                        .after(before)
                        .check("test \"$(kubelet --version 2>/dev/null)\" = 'Kubernetes v" + to + "'")
                        .key();
                done.add(node(d, lead, w, List.of(node)));
            }
            before = done;
        }
    }

    /**
     * Drain, kubelet and kubectl, Ready, uncordon: one node's turn.
     *
     * @return the key of the node's uncordon: the next node waits for it, and so (as for every step
     *         after a clean-up) for what it followed, so a failure stops the leg at this node
     */
    private String node(Draft d, Host lead, Host h, List<String> after) {
        String name = Shell.quote(h.name());
        String atVersion = Paths.KUBECTL + " get node " + name + " -o json | grep -q '\"kubeletVersion\": *\"v" + to + "\"'";
        String drain = d.add(new StepId(prefix() + "/drain"), h.name(), lead, "Drain " + h.name())
                .after(after)
                .check(atVersion)
                .run(Paths.KUBECTL + " drain " + name + " " + RemoveNodes.DRAIN_FLAGS + " " + RemoveNodes.DRAIN_TIMEOUT)
                .alongside()
                .key();
        // Done once the Node reports the new kubelet (read with the node's own credentials): a package
        // installed whose kubelet never restarted (the restart failed) is not done, and a resume restarts it.
        String reported = "kubectl --kubeconfig " + Paths.KUBELET_CONF + " get node " + name
                + " -o json | grep -q '\"kubeletVersion\": *\"v" + to + "\"'";
        String kubelet = d.add(prefix() + "/kubelet", h, "Install kubelet and kubectl " + to + ", restart the kubelet")
                .after(drain)
                .check(reported)
                .deb(List.of("apt-get update",
                        "apt-mark unhold kubelet kubectl",
                        "DEBIAN_FRONTEND=noninteractive apt-get install -y --allow-change-held-packages "
                                + Shell.join(packages(OsFamily.DEB, "kubelet", "kubectl")),
                        "apt-mark hold kubelet kubectl",
                        "systemctl daemon-reload",
                        "systemctl restart kubelet"))
                .rpm(List.of("dnf install -y --disableexcludes=" + PackageRepos.KUBERNETES_YUM_REPO_ID + " "
                                + Shell.join(packages(OsFamily.RPM, "kubelet", "kubectl")),
                        "systemctl daemon-reload",
                        "systemctl restart kubelet"))
                .key();
        String ready = d.add(new StepId(prefix() + "/ready"), h.name(), lead, "Wait until " + h.name() + " is Ready")
                .after(kubelet)
                .run(Paths.KUBECTL + " wait --for=condition=Ready --timeout=300s node/" + name)
                .alongside()
                .key();
        return d.add(new StepId(prefix() + "/uncordon"), h.name(), lead, "Uncordon " + h.name() + " (also after a failure)")
                .after(List.of(drain, kubelet, ready))
                .run(Paths.KUBECTL + " uncordon " + name)
                .alongside()
                .always()
                .key();
    }

    private List<String> packages(OsFamily family, String... names) {
        List<String> wanted = List.of(names);
        return PackageRepos.kubernetesPackages(to, family).stream()
                .filter(p -> wanted.stream().anyMatch(n -> p.startsWith(n + (family == OsFamily.DEB ? "=" : "-"))))
                .toList();
    }

    /** The Kubernetes nodes of the answers: external etcd hosts keep their kubelet (it only runs etcd's pod). */
    private static List<Host> nodes(Draft d) {
        return d.spec.hosts().stream().filter(h -> !h.is(Role.ETCD)).toList();
    }
}
