package io.kubewizard.sim;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

@Tag("system")
class SimClusterSystemTest {

    @Test
    void smoke() {
        try (SimCluster c = SimCluster.start(List.of(SimNode.Spec.debian("n1"), SimNode.Spec.rocky("n2")))) {
            System.out.println("started in " + c.startupTime());
            for (SimNode n : c.nodes()) {
                Cmd.Result r = n.ssh("hostname; cat /etc/os-release | head -2; cat /sys/class/dmi/id/product_uuid; cat /sys/class/net/eth0/address; id -u; pwd; echo $PATH");
                System.out.println(r);
                assertEquals(0, r.exitCode());
            }
        }
    }
}
