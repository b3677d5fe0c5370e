package io.kubewizard.sim;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.regex.Pattern;
import java.util.Map;

import static io.kubewizard.sim.NodeScalingSystemTest.at;
import static io.kubewizard.sim.NodeScalingSystemTest.await;
import static io.kubewizard.sim.NodeScalingSystemTest.items;
import static io.kubewizard.sim.NodeScalingSystemTest.json;
import static io.kubewizard.sim.StandInSystemTest.assertFails;
import static io.kubewizard.sim.StandInSystemTest.ok;
import static io.kubewizard.sim.StandInSystemTest.prepared;
import static io.kubewizard.sim.StandInSystemTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What an upgrade asks of the stand-ins, driven by hand (no plan): each minor's package repository
 * with several patches of its own minor only, holds and downgrades as apt keeps them, kubeadm's
 * version skew policy (a skipped minor, a kubeadm older than the target), {@code upgrade apply}
 * without {@code --yes}, {@code upgrade node} before {@code upgrade apply} (it upgrades to the
 * cluster's version, so it changes nothing) and with a kubeadm too new for the cluster, a kubelet
 * newer than the control plane refused at a control-plane join, then apply, node and each kubelet
 * in turn (drain, package, restart, Ready, uncordon), the mirror pods' images and readiness, and
 * kubewizard's etcd snapshot commands against the real etcd.
 */
@Tag("system")
class UpgradeStandInSystemTest {

    static final String KUBECTL = NodeScalingSystemTest.KUBECTL;
    static final String STACK = "To see the stack trace of this error execute with --v=5 or higher\n";
    static final String CRICTL = "crictl --runtime-endpoint unix:///var/run/containerd/containerd.sock";
    static final String ETCD = CRICTL + " exec \"$(" + CRICTL + " ps --quiet --state running --name '^etcd$' | head -n 1)\" ";
    static final SimCluster.Options OPTIONS = SimCluster.Options.defaults().withMaxWait(Duration.ofSeconds(10));

    /** The node's Kubernetes apt source moved to another minor (the same signing key) and read again. */
    static String repository(String minor) {
        return "sed -i 's#/v1\\.[0-9]*/#/v" + minor + "/#' /etc/apt/sources.list.d/kubernetes.list && apt-get update >/dev/null";
    }

    /** As kubewizard installs a held package at a version. */
    static String install(String version, String... packages) {
        StringBuilder pins = new StringBuilder();
        for (String p : packages) pins.append(" '").append(p).append('=').append(version).append("-*'");
        String names = String.join(" ", packages);
        return "apt-mark unhold " + names + " >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y"
                + " --allow-change-held-packages" + pins + " >/dev/null && apt-mark hold " + names + " >/dev/null";
    }

    static String image(SimNode node, String component) throws Exception {
        String manifest = Files.readString(node.path("/etc/kubernetes/manifests/" + component + ".yaml"));
        return manifest.lines().map(String::strip).filter(l -> l.startsWith("image: ")).findFirst().orElseThrow()
                .substring("image: ".length());
    }

    /** The control plane's mirror pods as the probe reads them: name to [image, Ready]. */
    @SuppressWarnings("unchecked")
    static Map<String, List<String>> mirrorPods(SimNode cp) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (Map<String, Object> p : items(ok(cp, KUBECTL + " get pods -n kube-system -l tier=control-plane -o json"))) {
            String ready = null;
            for (Map<String, Object> c : (List<Map<String, Object>>) at(p, "status", "conditions")) {
                if (c.get("type").equals("Ready")) ready = (String) c.get("status");
            }
            String image = (String) ((List<Map<String, Object>>) at(p, "spec", "containers")).get(0).get("image");
            out.put((String) at(p, "metadata", "name"), List.of(image, ready));
        }
        return out;
    }

    static String kubeletVersion(SimNode cp, String node) {
        return (String) at(json(ok(cp, KUBECTL + " get node " + node + " -o json")), "status", "nodeInfo", "kubeletVersion");
    }

    /** The plain refusal kubeadm's phased commands print: the phase, the message, the stack hint. */
    static String phase(String phase, String message) {
        return "error execution phase " + phase + ": " + message + "\n" + STACK;
    }

    static String fatalVersions(String... errors) {
        StringBuilder sb = new StringBuilder("the version argument is invalid due to these fatal errors:\n\n");
        for (String e : errors) sb.append("\t- ").append(e).append('\n');
        return sb.append("\nPlease fix the misalignments highlighted above and try upgrading again").toString();
    }

    @Test
    void eachMinorsRepositoryOffersItsOwnPatchesForAptAndDnf() {
        try (SimCluster cluster = SimCluster.start(List.of(SimNode.Spec.debian("deb"), SimNode.Spec.rocky("rpm")))) {
            SimNode deb = cluster.node("deb");
            ok(deb, prepared(true));
            assertEquals("v1.35.2\n", ok(deb, "kubeadm version -o short"));
            // Several patches of its own minor, and nothing of another.
            ok(deb, "apt-get install -y --allow-downgrades 'kubeadm=1.35.0-*' >/dev/null");
            assertEquals("v1.35.0\n", ok(deb, "kubeadm version -o short"));
            assertFails(100, "E: Version '1.35.3-*' for 'kubeadm' was not found\n", run(deb, "apt-get install -y 'kubeadm=1.35.3-*'"));
            assertFails(100, "E: Version '1.36.1-*' for 'kubeadm' was not found\n", run(deb, "apt-get install -y 'kubeadm=1.36.1-*'"));
            ok(deb, "apt-mark hold kubeadm kubelet kubectl");
            assertFails(100, "E: Held packages were changed and -y was used without --allow-change-held-packages.\n",
                    run(deb, "apt-get install -y 'kubeadm=1.35.2-*'"));
            ok(deb, repository("1.36"));
            ok(deb, install("1.36.1", "kubeadm"));
            assertEquals("v1.36.1\n", ok(deb, "kubeadm version -o short"));
            assertEquals("kubeadm\nkubectl\nkubelet\n", ok(deb, "apt-mark showhold"));
            // A dependency already installed (cri-tools) stays as it is.
            assertTrue(ok(deb, "dpkg -s cri-tools").contains("Version: 1.35.2-1.1\n"));
            // Back one minor: apt wants --allow-downgrades with -y.
            ok(deb, repository("1.35"));
            assertFails(100, "E: Packages were downgraded and -y was used without --allow-downgrades.\n",
                    run(deb, "apt-get install -y --allow-change-held-packages 'kubeadm=1.35.2-*'"));

            SimNode rpm = cluster.node("rpm");
            String repo = "printf '[kubernetes]\\nname=Kubernetes\\nbaseurl=https://pkgs.k8s.io/core:/stable:/v1.35/rpm/\\n"
                    + "enabled=1\\ngpgcheck=1\\ngpgkey=https://pkgs.k8s.io/core:/stable:/v1.35/rpm/repodata/repomd.xml.key\\n"
                    + "exclude=kubelet kubeadm kubectl cri-tools kubernetes-cni\\n' > /etc/yum.repos.d/kubernetes.repo";
            ok(rpm, repo + " && dnf install -y --disableexcludes=kubernetes kubeadm-1.35.2 kubelet-1.35.2 >/dev/null");
            Cmd.Result missing = run(rpm, "dnf install -y --disableexcludes=kubernetes kubeadm-1.36.1");
            assertEquals(1, missing.exitCode(), missing::toString);
            assertEquals("No match for argument: kubeadm-1.36.1\n", missing.stdout());
            assertEquals("Error: Unable to find a match: kubeadm-1.36.1\n", missing.stderr());
            ok(rpm, "sed -i 's#/v1.35/#/v1.36/#g' /etc/yum.repos.d/kubernetes.repo");
            String upgraded = ok(rpm, "dnf install -y --disableexcludes=kubernetes kubeadm-1.36.1");
            assertTrue(upgraded.contains("\nUpgraded:\n  kubeadm-1.36.1-150500.1.1.x86_64\n"), upgraded);
            assertEquals("kubeadm-1.36.1-150500.1.1.x86_64\nv1.36.1\n", ok(rpm, "rpm -q kubeadm; kubeadm version -o short"));
            // dnf install upgrades nothing that is installed unless a version is asked for.
            assertTrue(ok(rpm, "dnf install -y --disableexcludes=kubernetes kubelet")
                    .startsWith("Package kubelet-1.35.2-150500.1.1.x86_64 is already installed.\n"));
            ok(rpm, "dnf install -y --disableexcludes=kubernetes kubelet-1.36.0 >/dev/null");
            assertEquals("Kubernetes v1.36.0\n", ok(rpm, "kubelet --version"));
        }
    }

    @Test
    void refusalsThenApplyNodeAndEachKubeletInTurn() throws Exception {
        try (SimCluster cluster = SimCluster.start(OPTIONS, List.of(SimNode.Spec.debian("cp1"), SimNode.Spec.debian("cp2"),
                SimNode.Spec.debian("w"), SimNode.Spec.debian("cp3")))) {
            SimNode cp1 = cluster.node("cp1");
            SimNode cp2 = cluster.node("cp2");
            SimNode w = cluster.node("w");
            SimNode cp3 = cluster.node("cp3");
            for (SimNode n : cluster.nodes()) ok(n, prepared(true) + "\nmkdir -p /etc/kubernetes/kubeadm && apt-mark hold kubeadm kubelet kubectl >/dev/null");
            ok(cp1, "cat > /etc/kubernetes/kubeadm/init.yaml <<'EOF'\n" + NodeScalingSystemTest.initConfig(cp1) + "EOF\n"
                    + "kubeadm init --config /etc/kubernetes/kubeadm/init.yaml --upload-certs >/dev/null");
            NodeScalingSystemTest.join(cp2, cp1, true);
            NodeScalingSystemTest.join(w, cp1, false);
            ok(cp1, KUBECTL + " apply -f " + NodeScalingSystemTest.FLANNEL + " >/dev/null");

            // A kubeadm of the cluster's minor cannot apply the next one; and from the old source there is none newer.
            assertFails(1, phase("preflight", fatalVersions("Specified version to upgrade to \"v1.36.1\" is at least one minor"
                    + " release higher than the kubeadm minor release (36 > 35). Such an upgrade is not supported")),
                    run(cp1, "kubeadm upgrade apply v1.36.1 --yes"));
            assertFails(100, "E: Version '1.36.1-*' for 'kubeadm' was not found\n",
                    run(cp1, "apt-mark unhold kubeadm >/dev/null && apt-get install -y --allow-change-held-packages 'kubeadm=1.36.1-*'"));
            for (SimNode n : List.of(cp1, cp2, w)) ok(n, repository("1.36") + " && " + install("1.36.1", "kubeadm"));
            assertEquals("v1.36.1\nKubernetes v1.35.2\n", ok(cp1, "kubeadm version -o short; kubelet --version"));

            // kubeadm 1.36.1: a skipped minor, a patch above its own, no --yes.
            assertFails(1, phase("preflight", fatalVersions(
                    "Specified version to upgrade to \"v1.37.0\" is too high; kubeadm can upgrade only 1 minor version at a time",
                    "Specified version to upgrade to \"v1.37.0\" is at least one minor release higher than the kubeadm minor"
                            + " release (37 > 36). Such an upgrade is not supported")),
                    run(cp1, "kubeadm upgrade apply v1.37.0 --yes"));
            assertFails(1, phase("preflight", "the version argument is invalid due to these errors:\n\n\t- Specified version to"
                    + " upgrade to \"v1.36.2\" is higher than the kubeadm version \"v1.36.1\". Upgrade kubeadm first using the tool"
                    + " you used to install kubeadm\n\nCan be bypassed if you pass the --force flag"),
                    run(cp1, "kubeadm upgrade apply v1.36.2 --yes"));
            Cmd.Result unconfirmed = run(cp1, "kubeadm upgrade apply v1.36.1 </dev/null");
            assertFails(1, phase("preflight", "won't proceed; the user didn't answer (Y|y) in order to continue"), unconfirmed);
            assertTrue(unconfirmed.stdout().endsWith("[upgrade/version] You have chosen to upgrade the cluster version to \"v1.36.1\"\n"
                    + "[upgrade/versions] Cluster version: v1.35.2\n[upgrade/versions] kubeadm version: v1.36.1\n"
                    + "[upgrade] Are you sure you want to proceed? [y/N]: "), unconfirmed::toString);
            assertEquals("registry.k8s.io/kube-apiserver:v1.35.2", image(cp1, "kube-apiserver"), "nothing was applied");
            // plan refuses no version (it only notes a kubeadm to update first), but it checks the cluster's health.
            String plan = ok(cp1, "kubeadm upgrade plan v1.36.1");
            assertTrue(plan.contains("\n\tkubeadm upgrade apply v1.36.1\n") && !plan.contains("Note: "), plan);
            assertTrue(ok(cp1, "kubeadm upgrade plan v1.37.0").contains("Note: Before you can perform this upgrade, you have to"
                    + " update kubeadm to v1.37.0.\n"));
            // With every Node cordoned, kubeadm's health-check Job has nowhere to run.
            ok(cp1, KUBECTL + " cordon cp1 cp2 w >/dev/null");
            Cmd.Result unhealthy = run(cp1, "kubeadm upgrade plan v1.36.1");
            assertEquals(1, unhealthy.exitCode(), unhealthy::toString);
            assertTrue(unhealthy.stderr().matches("\\[upgrade/health] FATAL: \\[preflight] Some fatal errors occurred:\n\t\\[ERROR "
                    + "CreateJob]: Job \"upgrade-health-check-\\d{13}\" in the namespace \"kube-system\" did not complete in 15s:"
                    + " no condition of type Complete\n\\[preflight] If you know what you are doing, you can make a check non-fatal"
                    + " with `--ignore-preflight-errors=...`\n" + STACK), unhealthy::toString);
            ok(cp1, KUBECTL + " uncordon cp1 cp2 w >/dev/null");

            // upgrade node before apply upgrades cp2 to the cluster's version: it stays where it is.
            String early = ok(cp2, "kubeadm upgrade node");
            assertTrue(early.contains("[upgrade/control-plane] Upgrading your Static Pod-hosted control plane instance to version"
                    + " \"v1.35.2\"...\n"), early);
            assertTrue(early.contains("[upgrade/staticpods] Current and new manifests of kube-apiserver are equal, skipping upgrade\n"), early);
            assertEquals("registry.k8s.io/kube-apiserver:v1.35.2", image(cp2, "kube-apiserver"));
            // A kubeadm two minors ahead of the cluster refuses upgrade node; going back is a downgrade to apt.
            ok(w, repository("1.37") + " && " + install("1.37.0", "kubeadm"));
            assertFails(1, "this version of kubeadm only supports deploying clusters with the control plane version >= 1.36.0."
                    + " Current version: v1.35.2\n" + STACK, run(w, "kubeadm upgrade node"));
            ok(w, repository("1.36"));
            assertFails(100, "E: Packages were downgraded and -y was used without --allow-downgrades.\n",
                    run(w, "apt-get install -y --allow-change-held-packages 'kubeadm=1.36.1-*'"));
            ok(w, "apt-get install -y --allow-change-held-packages --allow-downgrades 'kubeadm=1.36.1-*' >/dev/null");

            // A kubelet newer than the control plane cannot join it as a control plane.
            ok(cp3, repository("1.36") + " && " + install("1.36.1", "kubelet", "kubeadm"));
            Cmd.Result newer = NodeScalingSystemTest.tryJoin(cp3, cp1, true);
            assertFails(1, phase("preflight", "[preflight] Some fatal errors occurred:\n\t[ERROR KubeletVersion]: the kubelet"
                    + " version is higher than the control plane version. This is not a supported version skew and may lead to a"
                    + " malfunctional cluster. Kubelet version: \"1.36.1\" Control plane version: \"1.35.2\"\n[preflight] If you"
                    + " know what you are doing, you can make a check non-fatal with `--ignore-preflight-errors=...`"), newer);

            // kubewizard's etcd snapshot, as its backup step runs it: etcd 3.4 has no etcdutl, etcdctl answers instead.
            String file = "/var/lib/etcd/kubewizard-before-v1.36.1.db";
            ok(cp1, ETCD + "etcdctl --endpoints=https://127.0.0.1:2379 --cacert=/etc/kubernetes/pki/etcd/ca.crt"
                    + " --cert=/etc/kubernetes/pki/etcd/healthcheck-client.crt --key=/etc/kubernetes/pki/etcd/healthcheck-client.key"
                    + " snapshot save " + file);
            Cmd.Result status = run(cp1, ETCD + "etcdutl snapshot status " + file + " -w table || " + ETCD
                    + "etcdctl snapshot status " + file + " -w table");
            assertEquals(0, status.exitCode(), status::toString);
            // etcdctl sizes the HASH column to the hash it prints (%x: 7 digits when the hash begins with a 0)
            assertTrue(Pattern.compile("\\|\\s+HASH\\s+\\| REVISION \\| TOTAL KEYS \\| TOTAL SIZE \\|").matcher(status.stdout()).find(),
                    status::toString);
            assertTrue(status.stderr().matches("FATA\\[0000] execing command in container: rpc error: code = Unknown desc = failed"
                    + " to exec in container: failed to start exec \"[0-9a-f]{64}\": OCI runtime exec failed: exec failed: unable to"
                    + " start container process: exec: \"etcdutl\": executable file not found in \\$PATH: unknown\n"), status::toString);
            assertTrue(Files.size(cp1.path(file)) > 0);
            List<Call> execs = cp1.calls().stream().filter(c -> c.tool().equals("crictl") && c.words().contains("status")).toList();
            assertEquals(List.of(1, 0), execs.stream().map(Call::exitCode).toList(), execs::toString);

            // From 1.31 the version comes in a v1beta4 UpgradeConfiguration; --config mixes with a few flags only
            // (--yes among them since 1.31).
            for (SimNode n : List.of(cp1, cp2)) {
                ok(n, "cat > /root/upgrade.yaml <<'EOF'\napiVersion: kubeadm.k8s.io/v1beta4\nkind: UpgradeConfiguration\napply:\n"
                        + "  kubernetesVersion: v1.36.1\n  etcdUpgrade: true\nnode:\n  etcdUpgrade: true\nplan:\n"
                        + "  kubernetesVersion: v1.36.1\nEOF");
            }
            assertFails(1, "can not mix '--config' with arguments [etcd-upgrade force]\n" + STACK,
                    run(cp1, "kubeadm upgrade apply --config /root/upgrade.yaml --yes --force --etcd-upgrade=false"));
            ok(cp1, "sed 's/v1beta4/v1beta3/' /root/upgrade.yaml > /root/old.yaml");
            assertFails(1, "no kind \"UpgradeConfiguration\" is registered for version \"kubeadm.k8s.io/v1beta3\" in scheme "
                    + "\"k8s.io/kubernetes/cmd/kubeadm/app/apis/kubeadm/scheme/scheme.go:31\"\n" + STACK,
                    run(cp1, "kubeadm upgrade apply --config /root/old.yaml --yes"));
            // apply on cp1: its manifests, the cluster's version; etcd's tag is the same for 1.35 and 1.36.
            String applied = ok(cp1, "kubeadm upgrade plan --config /root/upgrade.yaml >/dev/null"
                    + " && kubeadm upgrade apply --config /root/upgrade.yaml --yes");
            assertTrue(applied.contains("[upgrade/version] You have chosen to upgrade the cluster version to \"v1.36.1\"\n"), applied);
            assertTrue(applied.contains("[upgrade/staticpods] Current and new manifests of etcd are equal, skipping upgrade\n"), applied);
            assertTrue(applied.endsWith("[upgrade] SUCCESS! A control plane node of your cluster was upgraded to \"v1.36.1\".\n\n"
                    + "[upgrade] Now please proceed with upgrading the rest of the nodes by following the right order.\n"), applied);
            ok(cp1, "grep -q 'kube-apiserver:v1.36.1' /etc/kubernetes/manifests/kube-apiserver.yaml");
            for (String c : List.of("kube-apiserver", "kube-controller-manager", "kube-scheduler")) {
                assertEquals("registry.k8s.io/" + c + ":v1.36.1", image(cp1, c));
                assertEquals("registry.k8s.io/" + c + ":v1.35.2", image(cp2, c));
            }
            assertEquals("registry.k8s.io/etcd:3.6.6-0", image(cp1, "etcd"));
            ok(cp1, "ls /etc/kubernetes/tmp/kubeadm-backup-manifests-*/kube-apiserver.yaml");
            for (SimNode n : List.of(cp1, cp2)) {
                assertEquals("v1.36.1", at(json(ok(n, KUBECTL + " version -o json")), "serverVersion", "gitVersion"));
            }
            Map<String, List<String>> mirrors = mirrorPods(cp1);
            assertEquals(List.of("registry.k8s.io/kube-apiserver:v1.36.1", "True"), mirrors.get("kube-apiserver-cp1"), mirrors::toString);
            assertEquals(List.of("registry.k8s.io/kube-apiserver:v1.35.2", "True"), mirrors.get("kube-apiserver-cp2"), mirrors::toString);
            assertEquals(8, mirrors.size(), mirrors::toString);

            // upgrade node now upgrades cp2, and on the worker writes only the kubelet's configuration.
            ok(cp2, "kubeadm upgrade node --config /root/upgrade.yaml >/dev/null");
            assertEquals("registry.k8s.io/kube-apiserver:v1.36.1", image(cp2, "kube-apiserver"));
            assertEquals(List.of("registry.k8s.io/kube-apiserver:v1.36.1", "True"), mirrorPods(cp1).get("kube-apiserver-cp2"));
            assertTrue(ok(w, "kubeadm upgrade node").contains("[upgrade/control-plane] Skipping phase. Not a control plane node.\n"));

            // Each node in turn: drained, kubelet and kubectl upgraded (the Node says so once the kubelet restarted), uncordoned.
            for (SimNode n : List.of(cp1, cp2, w)) {
                ok(cp1, KUBECTL + " drain " + n.name() + " --ignore-daemonsets --delete-emptydir-data --timeout=60s");
                ok(n, install("1.36.1", "kubelet", "kubectl"));
                assertEquals("Kubernetes v1.36.1\n", ok(n, "kubelet --version"));
                assertEquals("v1.35.2", kubeletVersion(cp1, n.name()), "the running kubelet is the old one until restarted");
                ok(n, "systemctl daemon-reload && systemctl restart kubelet");
                assertEquals("node/" + n.name() + " condition met\n",
                        ok(cp1, KUBECTL + " wait --for=condition=Ready --timeout=30s node/" + n.name()));
                assertEquals("node/" + n.name() + " uncordoned\n", ok(cp1, KUBECTL + " uncordon " + n.name()));
                assertEquals("v1.36.1", kubeletVersion(cp1, n.name()));
                assertTrue(ok(n, "kubectl version --client").startsWith("Client Version: v1.36.1\n"));
            }
            assertFalse(ok(cp1, KUBECTL + " get nodes").contains("SchedulingDisabled"));

            // Now its kubelet is no newer than the control plane, cp3 joins, at the cluster's version.
            NodeScalingSystemTest.join(cp3, cp1, true);
            assertEquals("registry.k8s.io/kube-apiserver:v1.36.1", image(cp3, "kube-apiserver"));
            assertEquals(12, mirrorPods(cp1).size());

            // A static pod that stops makes its mirror pod not Ready; the kubelet starts it again.
            String pid = ok(cp2, "python3 -c \"import json; print([p['pid'] for k, p in json.load(open('/var/lib/kw-sim/machine.json'))"
                    + "['pods'].items() if k.endswith('/etcd.yaml')][0])\"").strip();
            ok(cp2, "kill " + pid);
            await("etcd-cp2 not Ready", Duration.ofSeconds(15), () -> mirrorPods(cp1).get("etcd-cp2").get(1).equals("False"));
            assertEquals("True", mirrorPods(cp1).get("etcd-cp1").get(1));
            // The kubelet syncs its pods now and then; here at each crictl call.
            await("etcd-cp2 Ready again", Duration.ofSeconds(30),
                    () -> !ok(cp2, CRICTL + " ps --quiet").isEmpty() && mirrorPods(cp1).get("etcd-cp2").get(1).equals("True"));
        }
    }
}
