package io.kubewizard.plan;

import java.util.List;

/**
 * A named list of phases: what one kubewizard command does to a cluster. Every workflow is planned
 * the same way ({@link Plan#build}), from the answers, the rendered files and the observed cluster,
 * and run by the one executor. A new phase is one class and its entry in the lists below.
 */
public final class Workflow {
    private final String id;
    private final String title;
    private final List<PlanPhase> phases;

    private Workflow(String id, String title, List<PlanPhase> phases) {
        this.id = id;
        this.title = title;
        this.phases = List.copyOf(phases);
    }

    /** Read-only, first thing in every run: what each host is and what the cluster is made of. */
    public static final Workflow PROBE = new Workflow("probe", "Observe the hosts and the cluster",
            List.of(new Connect(), new GatherFacts(), new ObserveCluster()));

    /** A new cluster: every host prepared, the first control plane initialised, the others joined. */
    public static final Workflow INSTALL = new Workflow("install", "Install the cluster", List.of(new RunPreflight(),
            new PrepareNodes(), new InstallRuntime(), new InstallPackages(), new StartLoadBalancer(),
            new StartExternalEtcd(), new InitControlPlane(), new JoinControlPlanes(), new JoinWorkers(), new InstallCni(),
            new VerifyCluster(), new FetchKubeconfig()));

    /**
     * An existing cluster brought to the answers file: hosts new to it join, hosts gone from it (or
     * marked {@code remove: true}) leave, and the rest are reconfigured where they refer to them.
     * Whether a budget would block a drain is known before anything changes.
     */
    public static final Workflow SCALE = new Workflow("scale", "Bring the cluster to the answers file", List.of(
            new RunPreflight(), new CheckRemovals(), new PrepareNodes(), new InstallRuntime(), new InstallPackages(),
            new StartLoadBalancer(), new StartExternalEtcd(), new InitControlPlane(), new JoinControlPlanes(), new JoinWorkers(),
            new UpdateEtcdEndpoints(), new RemoveNodes(), new InstallCni(), new VerifyCluster(), new FetchKubeconfig()));

    /** kubeadm reset and kubewizard's files removed, workers first, control planes one at a time, etcd last. */
    public static final Workflow RESET = new Workflow("reset", "Reset the cluster", List.of(
            new ResetNodes(ResetNodes.Kind.WORKERS), new ResetNodes(ResetNodes.Kind.CONTROL_PLANES),
            new ResetNodes(ResetNodes.Kind.ETCD)));

    public static final List<Workflow> ALL = List.of(PROBE, INSTALL, SCALE, RESET);

    public String id() { return id; }

    public String title() { return title; }

    List<PlanPhase> phases() { return phases; }

    /** Every phase id in run order, whether or not a given cluster has steps in it. */
    public List<String> phaseIds() { return phases.stream().map(PlanPhase::id).toList(); }

    /** @throws IllegalArgumentException for an id no workflow has */
    public static Workflow byId(String id) {
        for (Workflow w : ALL) if (w.id.equals(id)) return w;
        throw new IllegalArgumentException("unknown workflow '" + id + "'; known: "
                + String.join(", ", ALL.stream().map(Workflow::id).toList()));
    }

    @Override
    public String toString() { return id; }
}
