package io.kubewizard.plan;

import io.kubewizard.answers.KubernetesVersion;
import io.kubewizard.answers.Spec.Host;
import io.kubewizard.answers.Spec.Role;
import io.kubewizard.answers.Spec.RuntimeType;
import io.kubewizard.answers.Spec.Topology;
import io.kubewizard.render.PackageRepos;
import io.kubewizard.render.RenderedFile;
import io.kubewizard.render.RenderedFile.OsFamily;

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
        String crictl = Etcdctl.crictl(runtime) + " exec \"$(" + Etcdctl.container(runtime) + ")\" ";
        d.add(new StepId(prefix() + "/backup"), etcd, "Take an etcd snapshot, check it and keep it on the jump host")
                .run(Etcdctl.run(runtime, "snapshot save " + file),
                        // etcdutl reads snapshots from etcd 3.5 on; older images only have etcdctl's status
                        crictl + "etcdutl snapshot status " + file + " -w table || " + crictl + "etcdctl snapshot status "
                                + file + " -w table")
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
        String previous = d.add(prefix() + "/apply", lead, "Run kubeadm upgrade apply v" + to)
                .check(upgraded)
                .run("kubeadm upgrade plan v" + to, "kubeadm upgrade apply v" + to + " --yes")
                .key();
        for (Host h : d.spec.controlPlanes()) {
            if (h.equals(lead)) continue;
            previous = d.add(prefix() + "/node", h, "Run kubeadm upgrade node")
                    .after(previous)
                    .check(upgraded)
                    .run("kubeadm upgrade node")
                    .key();
        }
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
                String node = d.add(prefix() + "/node", w, "Run kubeadm upgrade node")
                        .after(before)
                        .check("test \"$(kubelet --version 2>/dev/null)\" = 'Kubernetes v" + to + "'")
                        .run("kubeadm upgrade node")
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
        String kubelet = d.add(prefix() + "/kubelet", h, "Install kubelet and kubectl " + to + ", restart the kubelet")
                .after(drain)
                .check("test \"$(kubelet --version 2>/dev/null)\" = 'Kubernetes v" + to + "'")
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
