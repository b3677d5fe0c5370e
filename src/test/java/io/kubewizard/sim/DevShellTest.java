package io.kubewizard.sim;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

@Tag("system")
class DevShellTest {
    @Test
    void shell() throws Exception {
        List<SimNode.Spec> specs = new ArrayList<>();
        for (String n : System.getProperty("dev.nodes", "cp1:d,w1:r").split(",")) {
            String[] p = n.split(":");
            specs.add(p[1].equals("r") ? SimNode.Spec.rocky(p[0]) : SimNode.Spec.debian(p[0]));
        }
        try (SimCluster c = SimCluster.start(specs)) {
            StringBuilder sb = new StringBuilder();
            for (SimNode n : c.nodes()) {
                sb.append(n.name()).append(' ').append(String.join(" ", n.sshCommand("")).replace(" -- ", " ")).append('\n');
            }
            Files.writeString(Path.of("/tmp/kwdev/nodes.txt"), sb.toString());
            Files.writeString(Path.of("/tmp/kwdev/cluster.txt"), c.id() + " " + c.sharedState() + "\n");
            while (!Files.exists(Path.of("/tmp/kwdev/stop"))) Thread.sleep(200);
            Files.delete(Path.of("/tmp/kwdev/stop"));
        }
    }
}
