package io.kubewizard.tui;

import io.kubewizard.sim.Call;
import io.kubewizard.sim.Kubewizard;
import io.kubewizard.sim.SimCluster;
import io.kubewizard.sim.SimNode;
import io.kubewizard.testsupport.SystemDeps;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole journey a first-time user makes, in a real terminal: the packaged jar on the jump host
 * (the simulated cluster's jump namespace), Welcome, an answers file typed in, every page with
 * Next, Review, Install, the live Run page, and Finish with a working kubeconfig, against a
 * simulated node reached over real SSH.
 */
@Tag("system")
class WizardInstallTmuxSystemTest {
    @TempDir Path work;

    @Test
    void installsASingleNodeClusterFromWelcomeToFinish() throws Exception {
        SystemDeps.requireRoot();
        String java = SystemDeps.require("java", "openjdk-17-jre-headless").toString();
        try (SimCluster cluster = SimCluster.start(List.of(SimNode.Spec.debian("node1").withHost(11)));
             Tmux t = new Tmux()) {
            Kubewizard kw = new Kubewizard(cluster, work);
            Path answers = kw.answers("single-node", work.resolve("known_hosts"));
            t.start(work, "NO_COLOR=1 ip netns exec " + cluster.jumpNamespace() + " " + java + " -jar " + Tmux.jar()
                    + " wizard --accept-new-host-keys");
            t.await("kubewizard · 1/13 Welcome");
            // "An answers file", then its path in the field below the choice.
            t.keys("Down", "Enter");
            t.await("(*) An answers file");
            t.keys("Tab");
            // Typed as a user in that directory would: relative to where the wizard was started.
            t.type(answers.getFileName().toString());
            t.await(" Answers file " + answers.getFileName());
            t.keys("M-n");
            t.await("✓ Loaded ");
            t.await("kubewizard · 2/13 Cluster");
            String[] pages = {"Topology", "Hosts", "Runtime", "Network", "Load balancer", "Security", "Advanced", "Sources", "Review"};
            for (int i = 0; i < pages.length; i++) {
                t.keys("M-n");
                t.await("kubewizard · " + (i + 3) + "/13 " + pages[i]);
            }
            t.await("✓ Ready: 1 host, 10 files, ");

            List<String> screens = new ArrayList<>();
            t.keys("M-n");
            screens.add(t.await("kubewizard · 12/13 Run"));
            String done = t.await(s -> {
                screens.add(s);
                return s.contains("✓ The install finished.");
            }, "the end of the run", Duration.ofMinutes(4));
            // One run: the probe's three phases, then the install's eight.
            assertTrue(done.contains("11/11 phases done · ✓ finished"), done);
            assertTrue(done.contains(" ✓ Connect to every host ") && done.contains(" ✓ Gather facts ")
                    && done.contains(" ✓ Observe the cluster "), done);
            assertTrue(done.lines().anyMatch(l -> l.contains("✓ node1") && l.strip().endsWith("done")), done);
            t.keys("M-n");
            String finish = t.awaitSteady(s -> s.contains("kubewizard · 13/13 Finish") && s.contains("Next steps:"),
                    "the Finish page", Duration.ofSeconds(30));
            screens.add(finish);
            Path runDir = kw.runDirectory("single");
            Path kubeconfig = runDir.resolve("kubeconfig");
            assertTrue(finish.contains("Cluster single is installed."), finish);
            assertTrue(finish.contains("Kubeconfig: " + kubeconfig), finish);
            assertTrue(finish.contains("export KUBECONFIG=" + kubeconfig), finish);
            assertTrue(finish.lines().anyMatch(l -> l.contains("node1") && l.contains("installed")), finish);

            // What the screens promised is on disk and on the node.
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(kubeconfig)));
            String config = Files.readString(kubeconfig);
            assertTrue(config.contains("current-context: single\n"), config);
            assertTrue(config.contains("server: https://" + cluster.address(11) + ":6443\n"), config);
            SimNode node = cluster.node("node1");
            List<String> kubeadm = node.calls().stream().map(Call::line)
                    .filter(c -> c.startsWith("kubeadm ")).toList();
            assertEquals(1, kubeadm.stream().filter(c -> c.startsWith("kubeadm init ")).count(), kubeadm.toString());
            assertTrue(Files.isRegularFile(node.path("/etc/kubernetes/admin.conf")));
            assertEquals(List.of("node1"), List.copyOf(((Map<?, ?>) cluster.apiState().get("nodes")).keySet()));

            // Nothing secret was ever painted: the run's token and certificate key, while it ran and after.
            for (String name : List.of("bootstrap-token", "certificate-key")) {
                Path file = runDir.resolve("secrets").resolve(name);
                if (!Files.exists(file)) continue;
                String secret = Files.readString(file).trim();
                assertFalse(secret.isEmpty(), name);
                for (String s : screens) assertFalse(s.contains(secret), name + " on screen:\n" + s);
            }
            assertTrue(Files.exists(runDir.resolve("secrets/bootstrap-token")), "the run kept its token");

            t.keys("Escape");
            String after = t.await("exit=0");
            assertFalse(after.contains("kubewizard · "), "the screen is given back:\n" + after);
        }
    }
}
