package io.kubewizard.plan;

import io.kubewizard.answers.KubernetesVersion;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A named list of phases: what one kubewizard command does to a cluster. Every workflow is planned
 * the same way ({@link Plan#build}), from the answers, the rendered files and the observed cluster,
 * and run by the one executor. A new phase is one class and its entry in the lists below.
 */
public final class Workflow {
    private final String id;
    private final String title;
    private final Function<Change, List<PlanPhase>> phases;
    private final Function<Change, List<String>> refusals;

    private Workflow(String id, String title, List<PlanPhase> phases, Function<Change, List<String>> refusals) {
        this(id, title, change -> phases, refusals);
    }

    /**
     * @param phases   the phases for a change: most workflows have a fixed list; an upgrade has one
     *                 set of phases per minor it passes through
     * @param refusals why this workflow must not start for a change (the run is then refused whole)
     */
    private Workflow(String id, String title, Function<Change, List<PlanPhase>> phases,
                     Function<Change, List<String>> refusals) {
        this.id = id;
        this.title = title;
        this.phases = phases;
        this.refusals = refusals;
    }

    /** Read-only, first thing in every run: what each host is and what the cluster is made of. */
    public static final Workflow PROBE = new Workflow("probe", "Observe the hosts and the cluster",
            List.of(new Connect(), new GatherFacts(), new ObserveCluster()), change -> List.of());

    /** A new cluster: every host prepared, the first control plane initialised, the others joined. */
    public static final Workflow INSTALL = new Workflow("install", "Install the cluster", List.of(new RunPreflight(),
            new PrepareNodes(), new InstallRuntime(), new InstallPackages(), new StartLoadBalancer(),
            new StartExternalEtcd(), new InitControlPlane(), new JoinControlPlanes(), new JoinWorkers(), new InstallCni(),
            new VerifyCluster(), new FetchKubeconfig()), Workflow::applyRefusals);

    /**
     * An existing cluster brought to the answers file: hosts new to it join, hosts gone from it (or
     * marked {@code remove: true}) leave, and the rest are reconfigured where they refer to them.
     * Whether a budget would block a drain is known before anything changes.
     */
    public static final Workflow SCALE = new Workflow("scale", "Bring the cluster to the answers file", List.of(
            new RunPreflight(), CheckDrains.leaving(), new PrepareNodes(), new InstallRuntime(), new InstallPackages(),
            new StartLoadBalancer(), new StartExternalEtcd(), new InitControlPlane(), new JoinControlPlanes(), new JoinWorkers(),
            new UpdateEtcdEndpoints(), new RemoveNodes(), new InstallCni(), new VerifyCluster(), new FetchKubeconfig()),
            Workflow::applyRefusals);

    /**
     * The cluster moved to the answers' {@code kubernetesVersion}, one minor at a time: per minor an
     * etcd snapshot kept on the jump host, kubeadm from the new minor's repository everywhere,
     * {@code kubeadm upgrade apply} on the lead and {@code upgrade node} on the others one at a time,
     * then each node drained, its kubelet and kubectl upgraded, Ready again and uncordoned (workers
     * {@code upgrade.maxUnavailable} at a time). Every drain is tried as a dry run before the first cordon.
     * After the last leg kubewizard's kubeadm and load balancer files are brought to the new version
     * ({@link UpgradeFiles}), then the pod network, the check and the kubeconfig as after an install.
     */
    public static final Workflow UPGRADE = new Workflow("upgrade", "Upgrade Kubernetes", Workflow::upgradePhases,
            change -> {
                List<String> out = new ArrayList<>(change.upgradeRefusals());
                if (change.exists() && (!change.joining().isEmpty() || !change.leaving().isEmpty())) {
                    out.add("hosts would " + (change.joining().isEmpty() ? "" : "join (" + names(change.joining()) + ")")
                            + (!change.joining().isEmpty() && !change.leaving().isEmpty() ? " and " : "")
                            + (change.leaving().isEmpty() ? "" : "leave (" + names(change.leaving()) + ")")
                            + ": an upgrade changes versions only; run kubewizard apply at the cluster's version first");
                }
                return out;
            });

    /** Where the backup's snapshot is on its node while the backup runs. */
    public static final String BACKUP_SNAPSHOT = BackupEtcd.FILE;

    /** An etcd snapshot and the control planes' CAs fetched into the run directory ({@link BackupEtcd}); nothing else changes. */
    public static final Workflow BACKUP = new Workflow("backup", "Back up etcd", List.of(new BackupEtcd()),
            change -> change.exists() ? List.of()
                    : List.of("no control plane of the answers file runs a cluster yet: there is nothing to back up"));

    /** Every node's certificates read for {@code certs --live}: reads only, run without a journal. */
    public static final Workflow CERTS = new Workflow("certs", "Read the certificates", List.of(new ReadCertificates()),
            change -> List.of());

    /**
     * {@code certs renew}: kubeadm's certificates renewed on each control plane in turn, its static pods
     * restarted and healthy before the next ({@link RenewCertificates}), then the admin kubeconfig fetched.
     */
    public static final Workflow CERTS_RENEW = new Workflow("certs-renew", "Renew the certificates",
            List.of(new RenewCertificates(), new VerifyCluster(), new FetchKubeconfig()), change -> {
                List<String> out = new ArrayList<>();
                if (!change.exists()) out.add("no control plane of the answers file runs a cluster yet: there is nothing to renew");
                return out;
            });

    /**
     * {@code restore}: stacked etcd brought back from a backup on every control plane ({@link RestoreEtcd}),
     * then the nodes verified and the admin kubeconfig fetched.
     */
    public static final Workflow RESTORE = new Workflow("restore", "Restore etcd from a backup",
            List.of(new RestoreEtcd(), new VerifyCluster(), new FetchKubeconfig()), change -> {
                List<String> out = new ArrayList<>();
                if (!change.exists()) out.add("no control plane of the answers file answers as a cluster member: restore brings "
                        + "back the etcd of control planes kubewizard installed");
                return out;
            });

    /** kubeadm reset and kubewizard's files removed, workers first, control planes one at a time, etcd last. */
    public static final Workflow RESET = new Workflow("reset", "Reset the cluster", List.of(
            new ResetNodes(ResetNodes.Kind.WORKERS), new ResetNodes(ResetNodes.Kind.CONTROL_PLANES),
            new ResetNodes(ResetNodes.Kind.ETCD)), change -> List.of());

    /** The template of {@link #userAdd}: its id and phases for the journal and step ids, no steps. */
    public static final Workflow USER_ADD = userAddOf(null);

    /**
     * {@code user add}: the user's binding applied and, with kubeadm's PKI, the certificate made on the lead
     * ({@link AddUser}). The user is part of the workflow, so the preview, the run and the journal plan the same.
     */
    public static Workflow userAdd(NewUser user) { return userAddOf(user); }

    private static Workflow userAddOf(NewUser user) {
        return new Workflow("user-add", "Add a user", List.of(new AddUser(user)), change -> change.exists() ? List.of()
                : List.of("no control plane of the answers file runs a cluster yet: a user is added to an installed cluster"));
    }

    public static final List<Workflow> ALL = List.of(PROBE, INSTALL, SCALE, UPGRADE, BACKUP, CERTS, CERTS_RENEW, RESTORE, RESET,
            USER_ADD);

    public String id() { return id; }

    public String title() { return title; }

    /** Whether a run that succeeded records the answers as the cluster's (a backup changes no answer). */
    public boolean recordsAnswers() {
        return this != BACKUP && this != CERTS && this != CERTS_RENEW && this != RESTORE && !id.equals(USER_ADD.id);
    }

    List<PlanPhase> phases(Change change) { return phases.apply(change); }

    /** Why this workflow must not run for the change; empty when it may. */
    public List<String> refusals(Change change) { return refusals.apply(change); }

    /** Every phase id of a plain cluster in run order, whether or not a given cluster has steps in it. */
    public List<String> phaseIds() { return phaseIds(null); }

    List<String> phaseIds(Change change) {
        List<PlanPhase> list;
        try {
            list = phases.apply(change);
        } catch (NullPointerException e) {
            return List.of();
        }
        return list.stream().map(PlanPhase::id).toList();
    }

    /** @throws IllegalArgumentException for an id no workflow has */
    public static Workflow byId(String id) {
        for (Workflow w : ALL) if (w.id.equals(id)) return w;
        throw new IllegalArgumentException("unknown workflow '" + id + "'; known: "
                + String.join(", ", ALL.stream().map(Workflow::id).toList()));
    }

    /** install and scale: the change's own refusals, and a cluster at another version than the file's. */
    private static List<String> applyRefusals(Change change) {
        List<String> out = new ArrayList<>(change.refusals());
        if (change.current() != null && change.exists()) {
            int cmp = change.current().compareTo(change.target());
            if (cmp < 0) {
                out.add("the cluster runs Kubernetes " + change.current() + " and the answers file asks for "
                        + change.target() + ": apply does not upgrade; run kubewizard upgrade with the same file");
            } else if (cmp > 0) {
                out.add("the cluster runs Kubernetes " + change.current() + ", newer than the answers file's "
                        + change.target() + ": kubewizard does not downgrade; set kubernetesVersion to " + change.current());
            }
        }
        return out;
    }

    private static List<PlanPhase> upgradePhases(Change change) {
        List<PlanPhase> out = new ArrayList<>();
        if (change == null) return out;
        KubernetesVersion from = change.current();
        boolean first = true;
        for (KubernetesVersion to : change.legs()) {
            if (first) out.add(CheckDrains.all());
            for (UpgradeLeg.Part part : UpgradeLeg.Part.values()) out.add(new UpgradeLeg(from, to, part));
            from = to;
            first = false;
        }
        if (!out.isEmpty()) {
            out.add(new UpgradeFiles());
            out.add(new InstallCni());
            out.add(new VerifyCluster());
            out.add(new FetchKubeconfig());
        }
        return out;
    }

    private static String names(List<io.kubewizard.answers.Spec.Host> hosts) {
        return String.join(", ", hosts.stream().map(io.kubewizard.answers.Spec.Host::name).toList());
    }

    @Override
    public String toString() { return id; }
}
