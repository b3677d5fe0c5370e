package io.kubewizard.plan;

import io.kubewizard.answers.Spec.ClusterSpec;
import io.kubewizard.answers.Spec.RuntimeType;
import io.kubewizard.render.PackageRepos;
import io.kubewizard.render.Render;
import io.kubewizard.render.RenderedFile;
import io.kubewizard.render.VerifyManifests;
import io.kubewizard.render.RenderedFile.OsFamily;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PlanTest {

    private static Plan plan(String preset) {
        ClusterSpec spec = Fixtures.preset(preset);
        return Plan.build(spec, Fixtures.files(spec, Fixtures.SECRETS));
    }

    private static List<String> keys(Plan plan) {
        return plan.steps().stream().map(Step::key).toList();
    }

    private static Step step(Plan plan, String key) {
        return plan.steps().stream().filter(s -> s.key().equals(key)).findFirst()
                .orElseThrow(() -> new AssertionError("no step " + key + " in " + keys(plan)));
    }

    private static int index(Plan plan, String key) {
        int i = keys(plan).indexOf(key);
        assertTrue(i >= 0, () -> "no step " + key);
        return i;
    }

    @Test
    void phasesComeInTheOrderOfARun() {
        assertEquals(List.of("preflight", "prepare", "runtime", "packages", "load-balancer", "etcd",
                "control-plane/init", "control-plane/join", "workers/join", "cni", "verify", "kubeconfig"),
                Workflow.INSTALL.phaseIds());
        assertEquals(Workflow.INSTALL.phaseIds(), plan("ha-external-etcd").phases().stream().map(Phase::id).toList());
        // Nothing to balance, no external etcd, no joins; calico's operator comes from its release even with no files.
        ClusterSpec single = Fixtures.preset("single-node");
        assertEquals(List.of("preflight", "prepare", "runtime", "packages", "control-plane/init",
                "cni", "verify", "kubeconfig"), Plan.build(single, List.of()).phases().stream().map(Phase::id).toList());
    }

    @Test
    void singleNodeWithoutFilesHasExactlyTheseSteps() {
        ClusterSpec spec = Fixtures.preset("single-node");
        List<String> expected = new java.util.ArrayList<>(List.of("preflight/host@node1", "preflight/across-hosts@*",
                "prepare/tools@node1", "prepare/kernel-modules@node1", "prepare/sysctl@node1", "prepare/swap@node1", "runtime/repository@node1",
                "runtime/install@node1",
                "runtime/config@node1", "packages/install@node1", "packages/kubelet@node1", "control-plane/init@node1",
                "cni/apply@node1"));
        expected.addAll(VerifyPlanTest.keys("node1", List.of("node1"), List.of("node1")));
        expected.add("kubeconfig/fetch@node1");
        assertEquals(expected, keys(Plan.build(spec, List.of())));
    }

    @Test
    void haStackedStepsAreExactlyTheseInThisOrder() {
        List<String> expected = new ArrayList<>();
        List<String> hosts = List.of("cp1", "cp2", "cp3", "worker1", "worker2");
        hosts.forEach(h -> expected.add("preflight/host@" + h));
        expected.add("preflight/across-hosts@*");
        hosts.forEach(h -> expected.add("files/upload@" + h));
        for (String h : hosts) {
            expected.addAll(List.of("prepare/tools@" + h, "prepare/kernel-modules@" + h, "prepare/sysctl@" + h, "prepare/swap@" + h));
        }
        // Docker's apt source for containerd.io is written on every deb host, whatever the rendered files.
        hosts.forEach(h -> expected.addAll(List.of("runtime/repository@" + h, "runtime/install@" + h, "runtime/config@" + h)));
        for (String h : hosts) {
            expected.addAll(List.of("packages/repository@" + h, "packages/install@" + h, "packages/kubelet@" + h));
        }
        expected.addAll(List.of("load-balancer/static-pods@cp1", "control-plane/init@cp1",
                "control-plane/static-pods-admin-conf@cp1", "control-plane/upload-certs@cp1",
                "control-plane/bootstrap-token@cp1", "control-plane/join@cp2", "control-plane/join/static-pods@cp2",
                "control-plane/join@cp3", "control-plane/join/static-pods@cp3", "workers/join@worker1",
                "workers/join@worker2", "cni/apply@cp1"));
        expected.addAll(VerifyPlanTest.keys("cp1", List.of("cp1", "cp2", "cp3", "worker1", "worker2"), List.of("cp1", "cp2", "cp3")));
        expected.add("kubeconfig/fetch@cp1");
        assertEquals(expected, keys(plan("ha-stacked")));
    }

    @Test
    void keysAreUniqueAndTheSameOnEveryBuild() {
        for (String preset : List.of("single-node", "ha-stacked", "ha-external-etcd")) {
            List<String> keys = keys(plan(preset));
            assertEquals(keys.size(), new HashSet<>(keys).size(), preset + ": duplicate keys in " + keys);
            assertEquals(plan(preset), plan(preset), preset);
        }
    }

    @Test
    void initComesBeforeEveryJoinAndControlPlanesJoinOneAtATimeInFileOrder() {
        Plan plan = plan("ha-external-etcd");
        int init = index(plan, "control-plane/init@cp1");
        for (Step s : plan.steps()) {
            if (s.id().endsWith("/join")) assertTrue(index(plan, s.key()) > init, s.key());
        }
        List<Step> joins = plan.steps().stream().filter(s -> s.id().equals("control-plane/join")).toList();
        assertEquals(List.of("cp2", "cp3"), joins.stream().map(Step::host).toList());
        assertEquals(List.of("load-balancer/config@cp2", "control-plane/bootstrap-token@cp1"), joins.get(0).dependsOn());
        assertTrue(joins.get(1).dependsOn().contains("control-plane/join@cp2"), joins.get(1).dependsOn()::toString);
        // kubewizard-made PKI: every control plane has the certificates as files, nothing to upload.
        assertFalse(keys(plan).contains("control-plane/upload-certs@cp1"));
        assertEquals(List.of("kubeadm init --config /etc/kubernetes/kubeadm/init.yaml"),
                step(plan, "control-plane/init@cp1").run(OsFamily.DEB));
    }

    @Test
    void workersJoinOnceTheTokenIsThereBesideTheControlPlanesAndTheCniAfterInit() {
        Plan plan = plan("ha-stacked");
        int lastControlPlane = 0;
        for (Step s : plan.steps()) {
            if (s.id().startsWith("control-plane/")) lastControlPlane = index(plan, s.key());
        }
        for (String worker : List.of("worker1", "worker2")) {
            Step join = step(plan, "workers/join@" + worker);
            assertTrue(index(plan, join.key()) > lastControlPlane);
            // the worker's own packages, then the token: not the other control planes' joins
            assertEquals(List.of("packages/kubelet@" + worker, "control-plane/bootstrap-token@cp1"), join.dependsOn());
            assertFalse(join.idempotent());
        }
        assertTrue(index(plan, "cni/apply@cp1") > index(plan, "control-plane/init@cp1"));
        assertEquals(List.of(
                "kubectl --kubeconfig /etc/kubernetes/admin.conf apply --server-side --force-conflicts -f "
                        + "https://raw.githubusercontent.com/projectcalico/calico/v3.32.2/manifests/operator-crds.yaml",
                "kubectl --kubeconfig /etc/kubernetes/admin.conf apply --server-side --force-conflicts -f "
                        + "https://raw.githubusercontent.com/projectcalico/calico/v3.32.2/manifests/tigera-operator.yaml",
                "kubectl --kubeconfig /etc/kubernetes/admin.conf wait --for=condition=Established --timeout=120s crd --all",
                "kubectl --kubeconfig /etc/kubernetes/admin.conf apply --server-side --force-conflicts -f /etc/kubernetes/cni/10-tigera-operator.yaml",
                "kubectl --kubeconfig /etc/kubernetes/admin.conf wait --for=condition=Established --timeout=120s crd --all",
                "kubectl --kubeconfig /etc/kubernetes/admin.conf apply --server-side --force-conflicts -f /etc/kubernetes/cni/20-installation.yaml"),
                step(plan, "cni/apply@cp1").run(OsFamily.ANY));
    }

    @Test
    void everyDependencyIsAnEarlierStepSoTheOrderIsATopologicalOne() {
        for (String preset : List.of("single-node", "ha-stacked", "ha-external-etcd")) {
            Plan plan = plan(preset);
            Set<String> earlier = new HashSet<>();
            for (Step s : plan.steps()) {
                for (String dep : s.dependsOn()) assertTrue(earlier.contains(dep), preset + ": " + s.key() + " needs " + dep);
                earlier.add(s.key());
            }
        }
    }

    @Test
    void everyRenderedFileIsUploadedByExactlyOneStepOfItsHost() {
        for (String preset : List.of("single-node", "ha-stacked", "ha-external-etcd")) {
            ClusterSpec spec = Fixtures.preset(preset);
            List<RenderedFile> files = Fixtures.files(spec, Fixtures.SECRETS);
            Set<RenderedFile> rendered = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
            rendered.addAll(files);
            Map<RenderedFile, Integer> uploads = new IdentityHashMap<>();
            for (Step s : Plan.build(spec, files).steps()) {
                for (RenderedFile f : s.uploads()) {
                    assertEquals(s.host(), f.host(), f.path());
                    // The files the plan writes that render did not: kube-vip back on admin.conf after init, and
                    // verify's test manifests on the lead (render/VerifyManifests, made for the nodes the run verifies).
                    if (!rendered.contains(f)) {
                        assertEquals(f.path().startsWith(VerifyManifests.DIR + "/") ? "verify/test-pods"
                                : "control-plane/static-pods-admin-conf", s.id(), f.path());
                    }
                    else uploads.merge(f, 1, Integer::sum);
                }
            }
            assertEquals(files.size(), uploads.size(), preset);
            for (RenderedFile f : files) assertEquals(1, uploads.get(f), () -> preset + ": " + f.host() + " " + f.path());
        }
    }

    @Test
    void familyFilesOnlyGoToHostsOfThatFamily() {
        Step kubelet = step(plan("ha-stacked"), "packages/kubelet@worker1");
        assertEquals(List.of("/etc/default/kubelet"), kubelet.uploads(OsFamily.DEB).stream().map(RenderedFile::path).toList());
        assertEquals(List.of("/etc/sysconfig/kubelet"), kubelet.uploads(OsFamily.RPM).stream().map(RenderedFile::path).toList());
        Step repository = step(plan("ha-stacked"), "packages/repository@worker1");
        assertEquals(List.of("/etc/apt/sources.list.d/kubernetes.list"),
                repository.uploads(OsFamily.DEB).stream().map(RenderedFile::path).toList());
        assertEquals(List.of("/etc/yum.repos.d/kubernetes.repo"),
                repository.uploads(OsFamily.RPM).stream().map(RenderedFile::path).toList());
        assertEquals(List.of("install -d -m 0755 /etc/apt/keyrings",
                "curl -fsSL https://pkgs.k8s.io/core:/stable:/v1.35/deb/Release.key | gpg --batch --yes --dearmor -o "
                        + "/etc/apt/keyrings/kubernetes-apt-keyring.gpg && test -s /etc/apt/keyrings/kubernetes-apt-keyring.gpg"),
                repository.run(OsFamily.DEB));
        assertEquals(List.of(), repository.run(OsFamily.RPM));
        assertEquals("! command -v apt-get >/dev/null 2>&1 || { test -s /etc/apt/keyrings/kubernetes-apt-keyring.gpg; }", repository.check());
    }

    @Test
    void packagesArePinnedToTheClusterVersionAndHeld() {
        Step install = step(plan("ha-stacked"), "packages/install@cp2");
        assertEquals(List.of("apt-get update",
                // The revision is a glob (render's kubernetesPackages), quoted so no shell expands it.
                "DEBIAN_FRONTEND=noninteractive apt-get install -y --allow-change-held-packages 'kubelet=1.35.2-*' "
                        + "'kubeadm=1.35.2-*' 'kubectl=1.35.2-*'",
                "apt-mark hold kubelet kubeadm kubectl"), install.run(OsFamily.DEB));
        assertEquals(List.of("dnf install -y --disableexcludes=kubernetes kubelet-1.35.2 kubeadm-1.35.2 kubectl-1.35.2"),
                install.run(OsFamily.RPM));
        assertTrue(install.runVariesByFamily());
    }

    @Test
    void noSecretValueAppearsInAnyCommand() {
        for (String preset : List.of("single-node", "ha-stacked", "ha-external-etcd")) {
            ClusterSpec spec = Fixtures.preset(preset);
            List<RenderedFile> files = Fixtures.files(spec, Fixtures.SECRETS);
            assertTrue(files.stream().anyMatch(f -> f.content().contains(Fixtures.SECRETS.bootstrapToken())));
            String token = Fixtures.SECRETS.bootstrapToken();
            List<String> secrets = List.of(token, token.substring(token.indexOf('.') + 1),
                    Fixtures.SECRETS.certificateKey(), Fixtures.SECRETS.caCertHash(),
                    Fixtures.SECRETS.caCertHash().substring("sha256:".length()));
            for (Step s : Plan.build(spec, files).steps()) {
                for (String command : s.commands()) {
                    for (String secret : secrets) assertFalse(command.contains(secret), s.key() + ": " + command);
                }
            }
        }
    }

    @Test
    void filesUnderPathsNoPhaseKnowsAreUploadedFirstWhenPreparingTheHost() {
        Plan plan = plan("ha-stacked");
        Phase prepare = plan.phases().stream().filter(p -> p.id().equals("prepare")).findFirst().orElseThrow();
        Step first = prepare.steps().get(0);
        assertEquals("files/upload@cp1", first.key());
        assertEquals(List.of("/opt/site/motd"), first.uploads().stream().map(RenderedFile::path).toList());
        assertEquals(Map.of(), first.run());
        assertEquals(List.of("preflight/across-hosts@*"), first.dependsOn());
    }

    @Test
    void aFileForAHostTheSpecDoesNotHaveIsRefused() {
        ClusterSpec spec = Fixtures.preset("single-node");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Plan.build(spec,
                List.of(RenderedFile.of("ghost", "/etc/motd", 0644, "boo\n"))));
        assertEquals("rendered file /etc/motd is for 'ghost', which is not a host of the answers file", e.getMessage());
    }

    @Test
    void kubeVipBorrowsSuperAdminOnlyDuringInitAndJoiningControlPlanesGetStaticPodsAfterJoining() {
        Plan plan = plan("ha-stacked");
        assertEquals(List.of("/etc/kubernetes/manifests/kube-vip.yaml"), step(plan, "load-balancer/static-pods@cp1")
                .uploads().stream().map(RenderedFile::path).toList());
        assertTrue(index(plan, "load-balancer/static-pods@cp1") < index(plan, "control-plane/init@cp1"));
        // The init-time manifest is written only while init is still to run: rewriting it on a later
        // apply would point kube-vip at super-admin.conf again until the step below put it back.
        Step borrow = step(plan, "load-balancer/static-pods@cp1");
        assertEquals("test -f /etc/kubernetes/manifests/kube-apiserver.yaml", borrow.check());
        assertFalse(borrow.idempotent());
        Step back = step(plan, "control-plane/static-pods-admin-conf@cp1");
        RenderedFile during = borrow.uploads().get(0);
        RenderedFile after = back.uploads().get(0);
        assertTrue(during.content().contains("path: /etc/kubernetes/super-admin.conf"), during.content());
        assertEquals(List.of(during.path()), back.uploads().stream().map(RenderedFile::path).toList());
        assertEquals(during.content().replace("/etc/kubernetes/super-admin.conf", "/etc/kubernetes/admin.conf"), after.content());
        assertEquals(during.mode(), after.mode());
        assertEquals(List.of(), back.run(OsFamily.ANY));
        assertEquals(null, back.check());
        assertEquals(List.of("control-plane/init@cp1"), back.dependsOn());
        // kubeadm join refuses a non-empty /etc/kubernetes/manifests.
        assertEquals(List.of("control-plane/join@cp2"), step(plan, "control-plane/join/static-pods@cp2").dependsOn());
        assertEquals(List.of("kubeadm init --config /etc/kubernetes/kubeadm/init.yaml --upload-certs"),
                step(plan, "control-plane/init@cp1").run(OsFamily.ANY));
        assertEquals(List.of("kubeadm init phase upload-certs --upload-certs --config /etc/kubernetes/kubeadm/init.yaml"),
                step(plan, "control-plane/upload-certs@cp1").run(OsFamily.ANY));
    }

    @Test
    void externalEtcdStartsEveryMemberAndWaitsForTheirHealthBeforeInit() {
        Plan plan = plan("ha-external-etcd");
        for (String h : List.of("etcd1", "etcd2", "etcd3")) {
            Step config = step(plan, "etcd/config@" + h);
            assertEquals(List.of("kubeadm init phase etcd local --config /etc/kubernetes/kubeadm/etcd.yaml"),
                    config.run(OsFamily.ANY));
            assertEquals(List.of("/etc/kubernetes/kubeadm/etcd.yaml", "/etc/kubernetes/pki/etcd/ca.crt",
                    "/etc/kubernetes/pki/etcd/server.key"), config.uploads().stream().map(RenderedFile::path).toList());
            assertEquals(List.of("/etc/systemd/system/kubelet.service.d/20-etcd-service-manager.conf"),
                    step(plan, "etcd/kubelet@" + h).uploads().stream().map(RenderedFile::path).toList());
            assertFalse(keys(plan).contains("packages/kubelet@" + h));
        }
        assertEquals(List.of("etcd/config@etcd1", "etcd/config@etcd2", "etcd/config@etcd3"),
                step(plan, "etcd/health@etcd1").dependsOn());
        assertTrue(step(plan, "control-plane/init@cp1").dependsOn().contains("etcd/health@etcd1"));
        assertEquals("etcd1", plan.steps().stream().filter(s -> s.id().equals("verify/etcd")).findFirst().orElseThrow().host());
        assertEquals(List.of("kubectl --kubeconfig /etc/kubernetes/admin.conf wait --for=condition=Ready --timeout=600s "
                        + "node/cp1 node/cp2 node/cp3 node/worker1 node/worker2 node/worker3"),
                step(plan, "verify/nodes@cp1").run(OsFamily.ANY));
    }

    @Test
    void haproxyAndKeepalivedWithoutStaticPodsRunAsServices() {
        ClusterSpec spec = Fixtures.preset("ha-external-etcd");
        List<RenderedFile> files = Fixtures.files(spec, Fixtures.SECRETS).stream()
                .filter(f -> !f.path().startsWith("/etc/kubernetes/manifests/")).toList();
        Plan plan = Plan.build(spec, files);
        Step install = step(plan, "load-balancer/install@cp2");
        assertEquals(List.of("apt-get update", "DEBIAN_FRONTEND=noninteractive apt-get install -y haproxy keepalived"),
                install.run(OsFamily.DEB));
        assertEquals(List.of("dnf install -y haproxy keepalived"), install.run(OsFamily.RPM));
        Step config = step(plan, "load-balancer/config@cp2");
        assertEquals(List.of("systemctl enable haproxy", "systemctl restart haproxy", "systemctl enable keepalived",
                "systemctl restart keepalived"), config.run(OsFamily.ANY));
        assertEquals("systemctl is-active --quiet haproxy && systemctl is-active --quiet keepalived", config.check());
        assertFalse(keys(plan).contains("load-balancer/static-pods@cp1"));
    }

    @Test
    void kubeProxyIsSkippedOnTheCommandLineOnlyWhereTheConfigApiCannotSayIt() {
        String[] cilium = {"cni: calico", "cni: cilium", "kubeProxyMode: iptables", "kubeProxyMode: disabled"};
        ClusterSpec v1beta3 = Fixtures.presetWith("single-node", concat(cilium, "kubernetesVersion: 1.35.2",
                "kubernetesVersion: 1.30.14"));
        assertEquals(List.of("kubeadm init --config /etc/kubernetes/kubeadm/init.yaml --skip-phases=addon/kube-proxy"),
                step(Plan.build(v1beta3, List.of()), "control-plane/init@node1").run(OsFamily.ANY));
        ClusterSpec v1beta4 = Fixtures.presetWith("single-node", cilium);
        assertEquals(List.of("kubeadm init --config /etc/kubernetes/kubeadm/init.yaml"),
                step(Plan.build(v1beta4, List.of()), "control-plane/init@node1").run(OsFamily.ANY));
    }

    @Test
    void runtimeRepositoriesComeBeforeTheRuntimeAndTheirKeysFromTheSourceLine() {
        ClusterSpec spec = Fixtures.presetWith("single-node", "type: containerd", "type: cri-o");
        String crio = "deb [signed-by=/etc/apt/keyrings/cri-o-apt-keyring.gpg] "
                + "https://download.opensuse.org/repositories/isv:/cri-o:/stable:/v1.35/deb/ /\n";
        Plan plan = Plan.build(spec, List.of(
                RenderedFile.of("node1", "/etc/apt/sources.list.d/cri-o.list", 0644, crio).onlyFor(OsFamily.DEB),
                RenderedFile.of("node1", "/etc/crio/crio.conf.d/10-kubewizard.conf", 0644, "[crio.runtime]\n")));
        assertTrue(index(plan, "runtime/repository@node1") < index(plan, "runtime/install@node1"));
        assertEquals("curl -fsSL https://download.opensuse.org/repositories/isv:/cri-o:/stable:/v1.35/deb/Release.key"
                        + " | gpg --batch --yes --dearmor -o /etc/apt/keyrings/cri-o-apt-keyring.gpg"
                        + " && test -s /etc/apt/keyrings/cri-o-apt-keyring.gpg",
                step(plan, "runtime/repository@node1").run(OsFamily.DEB).get(1));
        assertEquals(List.of("systemctl daemon-reload", "systemctl enable crio", "systemctl restart crio"),
                step(plan, "runtime/config@node1").run(OsFamily.ANY));
        assertEquals(List.of("/etc/crio/crio.conf.d/10-kubewizard.conf"),
                step(plan, "runtime/config@node1").uploads().stream().map(RenderedFile::path).toList());
        assertEquals(List.of("dnf install -y cri-o"), step(plan, "runtime/install@node1").run(OsFamily.RPM));
    }

    @Test
    void deb822SourcesNameTheirKeysToo() {
        RenderedFile deb822 = RenderedFile.of("h", "/etc/apt/sources.list.d/kubernetes.sources", 0644,
                "Types: deb\nURIs: https://pkgs.k8s.io/core:/stable:/v1.36/deb/\nSuites: /\n"
                        + "Signed-By: /etc/apt/keyrings/kubernetes-apt-keyring.gpg\n");
        assertEquals(List.of(new AptKeys.Key("https://pkgs.k8s.io/core:/stable:/v1.36/deb/Release.key",
                "/etc/apt/keyrings/kubernetes-apt-keyring.gpg")), AptKeys.of(List.of(deb822)));
    }

    /**
     * On a finished cluster nothing is installed again: the pod network once calico's Installation
     * exists (its file names the release, so a new cniVersion runs the step again), the token and
     * the shared certificates once every host they are for is a node.
     */
    @Test
    void calicoTheTokenAndTheCertificatesAreDoneOnceEveryHostHasJoined() {
        ClusterSpec spec = Fixtures.preset("ha-stacked");
        Plan plan = Plan.build(spec, Render.render(spec, Fixtures.SECRETS));
        Step cni = step(plan, "cni/apply@cp1");
        assertEquals("kubectl --kubeconfig /etc/kubernetes/admin.conf get -f /etc/kubernetes/cni/calico-installation.yaml"
                + " >/dev/null 2>&1", cni.check());
        assertTrue(cni.idempotent());
        assertTrue(cni.uploads().get(0).content().startsWith("# Calico v3.32.2: "), cni.uploads().get(0).content());
        ClusterSpec newer = Fixtures.presetWith("ha-stacked", "cniVersion: ''", "cniVersion: v3.33.0");
        assertTrue(step(Plan.build(newer, Render.render(newer, Fixtures.SECRETS)), "cni/apply@cp1").uploads().get(0).content()
                .startsWith("# Calico v3.33.0: "));
        assertEquals("kubectl --kubeconfig /etc/kubernetes/admin.conf get node cp2 cp3 >/dev/null 2>&1",
                step(plan, "control-plane/upload-certs@cp1").check());
        assertEquals("kubectl --kubeconfig /etc/kubernetes/admin.conf get node cp2 cp3 worker1 worker2 >/dev/null 2>&1",
                step(plan, "control-plane/bootstrap-token@cp1").check());

        ClusterSpec flannel = Fixtures.presetWith("ha-stacked", "cni: calico", "cni: flannel", "podSubnet: 192.168.0.0/16",
                "podSubnet: 10.244.0.0/16");
        assertEquals(null, step(Plan.build(flannel, Render.render(flannel, Fixtures.SECRETS)), "cni/apply@cp1").check(),
                "flannel is applied again on every run");
    }

    /** The plan of a single node with this runtime, from what render really produces for it. */
    private static Plan rendered(String runtime) {
        ClusterSpec spec = Fixtures.presetWith("single-node", "type: containerd", "type: " + runtime);
        return Plan.build(spec, Render.render(spec, Fixtures.SECRETS));
    }

    private static final String DOCKER_SOURCE = ". /etc/os-release"
            + " && case \"$ID\" in debian|ubuntu) ;; *) echo \"Docker publishes apt repositories for debian and ubuntu,"
            + " not '$ID' (ID in /etc/os-release)\" >&2; exit 1 ;; esac"
            + " && case \"$VERSION_CODENAME\" in ''|*[!a-z]*) echo \"'$VERSION_CODENAME' is not a distribution codename"
            + " such as bookworm or noble (VERSION_CODENAME in /etc/os-release)\" >&2; exit 1 ;; esac"
            + " && curl -fsSL \"https://download.docker.com/linux/$ID/gpg\" | gpg --batch --yes --dearmor -o"
            + " /etc/apt/keyrings/docker-apt-keyring.gpg && test -s /etc/apt/keyrings/docker-apt-keyring.gpg"
            + " && printf '%s\\n' '# Written by kubewizard: containerd.io (and docker-ce) come from the Docker repository,"
            + " because' '# distributions ship containerd 1.x, which Kubernetes after 1.35 no longer supports.'"
            + " \"deb [signed-by=/etc/apt/keyrings/docker-apt-keyring.gpg] https://download.docker.com/linux/$ID"
            + " $VERSION_CODENAME stable\" >/etc/apt/sources.list.d/docker.list";

    @Test
    void containerdComesFromDockersRepositoryOnBothFamilies() {
        Plan plan = rendered("containerd");
        Step repository = step(plan, "runtime/repository@node1");
        assertEquals(List.of(), repository.uploads(OsFamily.DEB));
        assertEquals(List.of("/etc/yum.repos.d/docker-ce.repo"),
                repository.uploads(OsFamily.RPM).stream().map(RenderedFile::path).toList());
        assertEquals(List.of("install -d -m 0755 /etc/apt/keyrings", DOCKER_SOURCE), repository.run(OsFamily.DEB));
        assertEquals(List.of(), repository.run(OsFamily.RPM));
        assertEquals("! command -v apt-get >/dev/null 2>&1 || { test -s /etc/apt/keyrings/docker-apt-keyring.gpg && test -s /etc/apt/sources.list.d/docker.list; }",
                repository.check());

        Step install = step(plan, "runtime/install@node1");
        assertEquals(List.of("apt-get update", "DEBIAN_FRONTEND=noninteractive apt-get install -y containerd.io"),
                install.run(OsFamily.DEB));
        assertEquals(List.of("dnf install -y containerd.io"), install.run(OsFamily.RPM));
        assertEquals("command -v containerd >/dev/null"
                + " && { dpkg -s containerd.io >/dev/null 2>&1 || rpm -q containerd.io >/dev/null 2>&1; }", install.check());
    }

    @Test
    void dockerGetsDockersRepositoryItsPackagesAndCriDockerdFromTheReleaseWithTheRenderedUnits() {
        Plan plan = rendered("docker");
        Step repository = step(plan, "runtime/repository@node1");
        assertEquals(List.of("/etc/yum.repos.d/docker-ce.repo"),
                repository.uploads(OsFamily.RPM).stream().map(RenderedFile::path).toList());
        assertEquals(DOCKER_SOURCE, repository.run(OsFamily.DEB).get(1));

        String criDockerd = "case \"$(uname -m)\" in"
                + " x86_64) url=https://github.com/Mirantis/cri-dockerd/releases/download/v0.4.10/cri-dockerd-0.4.10.amd64.tgz ;;"
                + " aarch64) url=https://github.com/Mirantis/cri-dockerd/releases/download/v0.4.10/cri-dockerd-0.4.10.arm64.tgz ;;"
                + " *) echo \"cri-dockerd 0.4.10 has no build for $(uname -m), only for x86_64, aarch64\" >&2; exit 1 ;; esac"
                + " && tmp=\"$(mktemp -d)\" && trap 'rm -rf \"$tmp\"' EXIT"
                + " && curl -fsSL -o \"$tmp/cri-dockerd.tgz\" \"$url\""
                + " && tar -xzf \"$tmp/cri-dockerd.tgz\" -C \"$tmp\" cri-dockerd/cri-dockerd"
                + " && install -m 0755 \"$tmp/cri-dockerd/cri-dockerd\" /usr/local/bin/cri-dockerd";
        Step install = step(plan, "runtime/install@node1");
        assertEquals(List.of("apt-get update",
                "DEBIAN_FRONTEND=noninteractive apt-get install -y docker-ce docker-ce-cli containerd.io", criDockerd),
                install.run(OsFamily.DEB));
        assertEquals(List.of("dnf install -y docker-ce docker-ce-cli containerd.io", criDockerd), install.run(OsFamily.RPM));
        assertEquals("command -v dockerd >/dev/null && command -v /usr/local/bin/cri-dockerd >/dev/null"
                + " && { dpkg -s docker-ce docker-ce-cli containerd.io >/dev/null 2>&1"
                + " || rpm -q docker-ce docker-ce-cli containerd.io >/dev/null 2>&1; }"
                + " && /usr/local/bin/cri-dockerd --version 2>/dev/null | grep -qF 'cri-dockerd 0.4.10 ('", install.check());

        Step config = step(plan, "runtime/config@node1");
        assertEquals(List.of("/etc/crictl.yaml", "/etc/docker/daemon.json", "/etc/systemd/system/cri-docker.service",
                "/etc/systemd/system/cri-docker.socket"),
                config.uploads().stream().map(RenderedFile::path).toList());
        assertEquals(List.of("systemctl daemon-reload", "systemctl enable docker cri-docker.socket cri-docker",
                "systemctl restart docker", "systemctl restart cri-docker"), config.run(OsFamily.ANY));
        assertEquals("systemctl is-active --quiet docker && systemctl is-enabled --quiet docker"
                + " && systemctl is-active --quiet cri-docker.socket && systemctl is-enabled --quiet cri-docker.socket"
                + " && systemctl is-active --quiet cri-docker && systemctl is-enabled --quiet cri-docker", config.check());
    }

    @Test
    void crioNeedsNoDockerSourceAndEveryRuntimeInstallsThePackagesRenderNames() {
        Step repository = step(rendered("cri-o"), "runtime/repository@node1");
        assertEquals("! command -v apt-get >/dev/null 2>&1 || { test -s /etc/apt/keyrings/cri-o-apt-keyring.gpg; }", repository.check());
        assertFalse(repository.commands().stream().anyMatch(c -> c.contains("docker")), repository.commands()::toString);
        for (RuntimeType type : RuntimeType.values()) {
            Step install = step(rendered(type.yaml()), "runtime/install@node1");
            for (OsFamily family : List.of(OsFamily.DEB, OsFamily.RPM)) {
                String packages = String.join(" ", PackageRepos.runtimePackages(type, family));
                assertTrue(install.run(family).stream().anyMatch(c -> c.endsWith(" install -y " + packages)),
                        type + " " + family + ": " + install.run(family));
            }
        }
    }

    @Test
    void selectAndSkipTakePhaseIdsStepIdsAndTheirLeadingSegments() {
        Plan plan = plan("ha-stacked");
        assertEquals(List.of("control-plane/init@cp1", "control-plane/static-pods-admin-conf@cp1",
                "control-plane/upload-certs@cp1", "control-plane/bootstrap-token@cp1", "control-plane/join@cp2",
                "control-plane/join/static-pods@cp2", "control-plane/join@cp3", "control-plane/join/static-pods@cp3"),
                keys(plan.select(List.of("control-plane"))));
        Plan joins = plan.select(List.of("control-plane/join"));
        assertEquals(List.of("control-plane/upload-certs@cp1", "control-plane/bootstrap-token@cp1", "control-plane/join@cp2",
                "control-plane/join/static-pods@cp2", "control-plane/join@cp3", "control-plane/join/static-pods@cp3"),
                keys(joins));
        // Dependencies on steps left out are dropped: the caller treats them as done.
        assertEquals(List.of("control-plane/bootstrap-token@cp1", "control-plane/upload-certs@cp1"),
                step(joins, "control-plane/join@cp2").dependsOn());
        Plan skipped = plan.skip(List.of("verify", "prepare/swap"));
        assertFalse(keys(skipped).stream().anyMatch(k -> k.startsWith("verify/") || k.startsWith("prepare/swap@")));
        // verify: its checks and the three control planes' certificates; prepare/swap on each of the five hosts
        assertEquals(keys(plan).size() - VerifyPlanTest.keys("cp1", List.of("cp1", "cp2", "cp3", "worker1", "worker2"),
                List.of("cp1", "cp2", "cp3")).size() - 5, keys(skipped).size());
        // A phase this cluster has no step in is still a known id.
        assertEquals(keys(plan), keys(plan.skip(List.of("etcd"))));
    }

    @Test
    void unknownIdsAreRejectedWithTheClosestKnownOne() {
        Plan plan = Plan.build(Fixtures.preset("single-node"), List.of());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> plan.skip(List.of("prepare/swpa")));
        assertEquals("unknown step or phase id 'prepare/swpa' (did you mean 'prepare/swap'?); known ids: "
                + "preflight, prepare, runtime, packages, load-balancer, etcd, control-plane/init, control-plane/join, "
                + "workers/join, cni, verify, kubeconfig, preflight/host, preflight/across-hosts, prepare/tools, prepare/kernel-modules, "
                + "prepare/sysctl, prepare/swap, runtime/repository, runtime/install, runtime/config, packages/install, packages/kubelet, "
                + "control-plane, cni/apply, verify/nodes, verify/node-state, verify/etcd, verify/kube-system, verify/test-pods, "
                + "verify/dns, verify/dns/node1, verify/pod-network, verify/pod-network/node1, verify/service, verify/service/node1, "
                + "verify/node-port, verify/node-port/node1, verify/pod-security, verify/cleanup, verify/certificates, kubeconfig/fetch",
                e.getMessage());
        IllegalArgumentException far = assertThrows(IllegalArgumentException.class, () -> plan.select(List.of("xyzzy-plugh")));
        assertTrue(far.getMessage().startsWith("unknown step or phase id 'xyzzy-plugh'; known ids: preflight, "), far.getMessage());
    }

    @Test
    void stepsRejectMixingSharedAndPerFamilyCommands() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Step("x", "X", "h", "p", null,
                Map.of(OsFamily.ANY, List.of("true"), OsFamily.DEB, List.of("false")), List.of(), List.of(), true, List.of()));
        assertEquals("x: commands are either for any family or per family, not both", e.getMessage());
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
