package io.kubewizard.sim;

import java.util.List;

/** A JVM that starts a cluster and then waits to be killed: the lifecycle test kills it with SIGKILL. */
final class SimClusterChild {
    private SimClusterChild() {}

    public static void main(String[] args) throws InterruptedException {
        SimCluster cluster = SimCluster.start(List.of(SimNode.Spec.debian("a"), SimNode.Spec.rocky("b")));
        System.out.println("started " + cluster.id());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
