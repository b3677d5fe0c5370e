package io.kubewizard.tui;

import io.kubewizard.sim.Call;
import io.kubewizard.sim.Cmd;
import io.kubewizard.sim.Kubewizard;
import io.kubewizard.sim.SimCluster;
import io.kubewizard.sim.SimNode;
import io.kubewizard.testsupport.SystemDeps;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The upgrade journey in a real terminal: a single-node cluster installed at 1.35.2 by {@code apply},
 * then the packaged wizard on the jump host: Welcome's "Upgrade an installed cluster", the cluster
 * of the state directory and 1.36.1 picked, Review with the upgrade's legs, back to the Hosts page and
 * its Certificates (F6) as the node has them, Install, the live Run page and Finish; the node runs
 * 1.36.1 afterwards and no answers file was written.
 */
@Tag("system")
class WizardUpgradeTmuxSystemTest {
    @TempDir Path work;

    @Test
    void upgradesAnInstalledClusterFromWelcomeToFinish() throws Exception {
        SystemDeps.requireRoot();
        String java = SystemDeps.require("java", "openjdk-17-jre-headless").toString();
        try (SimCluster cluster = SimCluster.start(List.of(SimNode.Spec.debian("node1").withHost(11)));
             Tmux t = new Tmux()) {
            Kubewizard kw = new Kubewizard(cluster, work);
            Path answers = kw.answers("single-node", work.resolve("known_hosts"));
            Cmd.Result installed = kw.run(Duration.ofMinutes(5), "install", "apply", "-f", answers.toString(), "--plain",
                    "--yes", "--accept-new-host-keys");
            assertEquals(0, installed.exitCode(), installed::toString);
            byte[] answersBefore = Files.readAllBytes(answers);
            SimNode node = cluster.node("node1");
            int callsBefore = node.calls().size();

            t.start(work, "NO_COLOR=1 ip netns exec " + cluster.jumpNamespace() + " " + java + " -jar " + Tmux.jar()
                    + " wizard --accept-new-host-keys");
            t.await("kubewizard · 1/13 Welcome");
            // The fifth start; the one installed cluster is already chosen, the newest version too.
            t.keys("Down", "Down", "Down", "Down", "Enter");
            t.await("(*) Upgrade an installed cluster");
            t.await(" Installed    single");
            t.await(" Upgrade to   1.37.0 │▼ ✓");
            // Past the file, the preset, the cluster and the directory to the version, and one older.
            t.keys("Tab", "Tab", "Tab", "Tab", "Tab", "Enter");
            t.await("│1.36.1");
            t.keys("Down", "Enter");
            t.await(" Upgrade to   1.36.1 │▼ ✓");
            t.keys("M-n");
            String review = t.awaitSteady(s -> s.contains("kubewizard · 11/13 Review") && s.contains("✓ Ready to upgrade: 1 host,"),
                    "Review with the upgrade", Duration.ofSeconds(30));
            assertTrue(review.contains("\n Upgrade: 1.35.2 → 1.36.1\n"), review);
            assertTrue(review.contains(" Show  Plan: 27 steps in 12 phases"), review);

            // Back to the Hosts page: the installed cluster as it is now, and F6 its certificates, read on the node.
            for (int page = 10; page >= 4; page--) {
                t.keys("M-b");
                t.await("kubewizard · " + page + "/13 ");
            }
            t.await(s -> s.contains("node1") && s.contains("Ready") && s.contains("<Certificates (F6)>"), "the Hosts page read",
                    Duration.ofSeconds(60));
            t.keys("F6");
            String certs = t.awaitSteady(s -> s.contains("Certificates on the nodes of cluster single"), "the certificates",
                    Duration.ofSeconds(60));
            assertTrue(certs.contains("node1 /etc/kubernetes/pki/apiserver.crt") || certs.contains("node1  /etc/kubernetes/pki/apiserver.crt"),
                    certs);
            assertFalse(certs.contains("PRIVATE KEY"), certs);
            t.keys("Tab", "Enter");
            t.await(s -> !s.contains("Certificates on the nodes"), "the dialog closed", Duration.ofSeconds(10));
            for (int page = 5; page <= 11; page++) {
                t.keys("M-n");
                t.await("kubewizard · " + page + "/13 ");
            }
            t.awaitSteady(s -> s.contains("kubewizard · 11/13 Review") && s.contains("✓ Ready to upgrade: 1 host,"),
                    "Review again", Duration.ofSeconds(30));

            List<String> screens = new ArrayList<>();
            t.keys("M-n");
            screens.add(t.await("kubewizard · 12/13 Run"));
            String done = t.await(s -> {
                screens.add(s);
                return s.contains("✓ The upgrade finished.");
            }, "the end of the upgrade", Duration.ofMinutes(4));
            // The probe's three phases, the check of every drain, the leg's four (no workers), the files, the pod network,
            // the check and the kubeconfig: 12 phases (the list scrolls past the first).
            assertTrue(done.contains("12/12 phases done · ✓ finished") && done.contains(" ✓ Observe the cluster "), done);
            assertTrue(done.contains("✓ Back up etcd before 1.35.2 "), done);
            assertTrue(done.lines().anyMatch(l -> l.contains("✓ node1") && l.strip().endsWith("done")), done);
            // Some screen showed the run while it ran: a step of the upgrade in progress.
            assertTrue(screens.stream().anyMatch(s -> s.contains("▶ ") || s.contains("… ")), String.join("\n----\n", screens));
            t.keys("M-n");
            String finish = t.awaitSteady(s -> s.contains("kubewizard · 13/13 Finish") && s.contains("Next steps:"),
                    "the Finish page", Duration.ofSeconds(30));
            assertTrue(finish.contains("✓ Cluster single is upgraded to 1.36.1."), finish);
            assertTrue(finish.lines().anyMatch(l -> l.contains("node1") && l.contains("upgraded")), finish);

            // What the screens said is so on the node, and the answers file was left alone.
            List<String> upgrades = node.calls().subList(callsBefore, node.calls().size()).stream().map(Call::line)
                    .filter(l -> l.startsWith("kubeadm upgrade apply")).toList();
            assertEquals(List.of("kubeadm upgrade apply --config /etc/kubernetes/kubeadm/upgrade.yaml --yes"), upgrades);
            assertTrue(Files.readString(node.path("/etc/kubernetes/kubeadm/upgrade.yaml")).contains("  kubernetesVersion: v1.36.1\n"));
            Cmd.Result kubelet = node.ssh("kubelet --version");
            assertEquals("Kubernetes v1.36.1\n", kubelet.stdout(), kubelet::toString);
            // Quitting asks about the answers, which now say 1.36.1 and were never saved; not saving writes none.
            t.keys("Escape");
            t.await("<Save and quit> <Quit without saving> <Cancel>");
            t.keys("Right", "Enter");
            String after = t.await("exit=0");
            assertFalse(after.contains("kubewizard · "), "the screen is given back:\n" + after);
            assertTrue(Arrays.equals(answersBefore, Files.readAllBytes(answers)), "the answers file is not rewritten");
            try (var files = Files.list(work)) {
                assertEquals(List.of(), files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml")
                        && !n.equals("single-node.yaml")).toList(), "no answers file is written behind the user's back");
            }
        }
    }
}
