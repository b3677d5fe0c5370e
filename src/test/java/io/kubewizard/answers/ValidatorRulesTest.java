package io.kubewizard.answers;

import io.kubewizard.answers.Spec.ClusterSpec;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.kubewizard.answers.Fixtures.HA;
import static io.kubewizard.answers.Fixtures.SINGLE;
import static io.kubewizard.answers.Fixtures.assertProblems;
import static io.kubewizard.answers.Fixtures.edit;
import static io.kubewizard.answers.Fixtures.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One test per validation rule of docs/answers.md and of Validator: each edits a valid file so that exactly
 * that rule fires, and asserts the complete problem list (severity, file:line:col, field, message).
 */
class ValidatorRulesTest {

    @Test
    void fixturesAreValidWithoutWarnings() {
        assertProblems(HA);
        assertProblems(SINGLE);
    }

    @Nested
    class Cluster {
        @Test
        void nameMustBeADnsLabel() {
            assertProblems(edit(HA, "name: prod", "name: Prod_1"),
                    "error answers.yaml:4:9: cluster.name: 'Prod_1' is not a valid cluster name: use a DNS-1123 label "
                            + "(lowercase letters, digits and '-', starting and ending with a letter or digit, at most "
                            + "63 characters)");
        }

        @Test
        void versionMustBeXyz() {
            assertProblems(edit(HA, "kubernetesVersion: 1.35.2", "kubernetesVersion: 1.35"),
                    "error answers.yaml:5:22: cluster.kubernetesVersion: '1.35' is not a version of the form x.y.z, "
                            + "e.g. 1.35.2 (quote it in YAML)");
        }

        @Test
        void versionOlderThanKubewizardKnowsIsAnError() {
            assertProblems(edit(HA, "kubernetesVersion: 1.35.2", "kubernetesVersion: 1.29.9"),
                    "error answers.yaml:5:22: cluster.kubernetesVersion: kubewizard does not know Kubernetes 1.29: it "
                            + "installs 1.30 to 1.37 (maintained: 1.35 and newer)");
        }

        @Test
        void versionNewerThanKubewizardKnowsIsAnError() {
            assertProblems(edit(HA, "kubernetesVersion: 1.35.2", "kubernetesVersion: 1.38.0"),
                    "error answers.yaml:5:22: cluster.kubernetesVersion: kubewizard does not know Kubernetes 1.38: it "
                            + "installs 1.30 to 1.37 (maintained: 1.35 and newer)");
        }

        @Test
        void outOfSupportVersionWarnsAndNamesV1beta3For130() {
            assertProblems(edit(HA, "kubernetesVersion: 1.35.2", "kubernetesVersion: 1.30.14"),
                    "warning answers.yaml:5:22: cluster.kubernetesVersion: Kubernetes 1.30 is out of support "
                            + "(maintained: 1.35 to 1.37); it is installed with the kubeadm.k8s.io/v1beta3 config API");
        }

        @Test
        void outOfSupportVersionWarnsAndNamesV1beta4For131() {
            assertProblems(edit(HA, "kubernetesVersion: 1.35.2", "kubernetesVersion: 1.31.0"),
                    "warning answers.yaml:5:22: cluster.kubernetesVersion: Kubernetes 1.31 is out of support "
                            + "(maintained: 1.35 to 1.37); it is installed with the kubeadm.k8s.io/v1beta4 config API");
        }

        @Test
        void maintainedVersionsPassSilently() {
            for (String v : List.of("1.35.0", "1.36.3", "1.37.1", "v1.36.0")) {
                assertProblems(edit(HA, "kubernetesVersion: 1.35.2", "kubernetesVersion: " + v));
            }
        }

        @Test
        void imageRepositoryMustBeARepository() {
            assertProblems(edit(HA, "  name: prod\n", "  name: prod\n  imageRepository: Registry.Example.com\n"),
                    "error answers.yaml:5:20: cluster.imageRepository: 'Registry.Example.com' is not an image "
                            + "repository such as registry.k8s.io or registry.example.com/k8s");
        }

        @Test
        void featureGateNamesAreCamelCase() {
            assertProblems(edit(HA, "  name: prod\n", "  name: prod\n  featureGates: {nodeSwap: true}\n"),
                    "error answers.yaml:5:28: cluster.featureGates.nodeSwap: 'nodeSwap' is not a feature gate name "
                            + "(they are CamelCase, e.g. NodeSwap)");
        }
    }

    @Nested
    class Hosts {
        @Test
        void atLeastOneHost() {
            assertProblems(SINGLE.substring(0, SINGLE.indexOf("hosts:")) + "hosts: []\n",
                    "error answers.yaml:4:1: hosts: no hosts: list at least one control-plane host");
        }

        @Test
        void hostsMayNotBeLeftOut() {
            assertProblems(SINGLE.substring(0, SINGLE.indexOf("hosts:")),
                    "error answers.yaml:1:1: hosts: no hosts: list at least one control-plane host");
        }

        @Test
        void nameIsRequired() {
            assertProblems(edit(HA, "{name: w1, ", "{"),
                    "error answers.yaml:17:5: hosts[3].name: required: the node name");
        }

        @Test
        void nameMustBeAValidNodeName() {
            assertProblems(edit(HA, "name: w1", "name: Worker_1"),
                    "error answers.yaml:17:12: hosts[3].name: 'Worker_1' is not a valid node name: use lowercase "
                            + "letters, digits, '-' and '.' (a DNS-1123 subdomain)");
        }

        @Test
        void namesAreUnique() {
            assertProblems(edit(HA, "name: w1", "name: cp2"),
                    "error answers.yaml:17:12: hosts[3].name: name 'cp2' is already used by hosts[1]");
        }

        @Test
        void addressIsRequired() {
            assertProblems(edit(HA, "address: 10.0.0.21, ", ""),
                    "error answers.yaml:17:5: hosts[3].address: required: the IP address or DNS name SSH connects to");
        }

        @Test
        void addressMustBeAnIpOrDnsName() {
            assertProblems(edit(HA, "address: 10.0.0.21", "address: 'w1 host'"),
                    "error answers.yaml:17:25: hosts[3].address: 'w1 host' is neither an IP address nor a DNS name");
        }

        @Test
        void addressesAreUniqueAsTheMachineSeesThem() {
            String dns = edit(HA, "address: 10.0.0.11", "address: cp1.example.com, internalAddress: 10.0.0.11",
                    "address: 10.0.0.21", "address: CP1.Example.com., internalAddress: 10.0.0.21");
            assertProblems(dns, "error answers.yaml:17:25: hosts[3].address: address 'CP1.Example.com.' is already "
                    + "used by hosts[0]");
        }

        @Test
        void internalAddressMustBeAnIp() {
            assertProblems(edit(HA, "address: 10.0.0.21", "address: w1.example.com"),
                    "error answers.yaml:17:5: hosts[3].internalAddress: 'w1.example.com' is not an IP address; the "
                            + "node IP must be one (set internalAddress when address is a DNS name)");
        }

        @Test
        void internalAddressesAreUnique() {
            assertProblems(edit(HA, "address: 10.0.0.21", "address: 192.0.2.21, internalAddress: 10.0.0.13"),
                    "error answers.yaml:17:54: hosts[3].internalAddress: internal address '10.0.0.13' is already used "
                            + "by hosts[2]");
        }

        @Test
        void everyHostHasARole() {
            assertProblems(edit(HA, "roles: [worker]", "roles: []"),
                    "warning answers.yaml:13:1: hosts: no host has the worker role, so the control planes keep their "
                            + "taint and ordinary pods will not schedule: add 'worker' to a control plane's roles to "
                            + "run workloads there",
                    "error answers.yaml:17:36: hosts[3].roles: no roles: give one or more of control-plane, worker, etcd");
        }

        @Test
        void rolesAreKnown() {
            assertProblems(edit(HA, "roles: [worker]", "roles: [worker, master]"),
                    "error answers.yaml:17:52: hosts[3].roles[1]: expected one of control-plane, worker, etcd, got "
                            + "'master'");
        }

        @Test
        void aRoleIsListedOnce() {
            assertProblems(edit(HA, "roles: [worker]", "roles: [worker, worker]"),
                    "error answers.yaml:17:52: hosts[3].roles[1]: role 'worker' listed twice");
        }

        @Test
        void etcdHostsCarryNoOtherRole() {
            String text = externalEtcd(3, "roles: [etcd, worker]");
            assertProblems(text, "error answers.yaml:21:39: hosts[6].roles: an etcd host carries no other role "
                    + "(external etcd members are dedicated hosts)");
        }

        @Test
        void theEtcdRoleNeedsExternalEtcd() {
            assertProblems(edit(HA, "roles: [worker]", "roles: [etcd]"),
                    "warning answers.yaml:13:1: hosts: no host has the worker role, so the control planes keep their "
                            + "taint and ordinary pods will not schedule: add 'worker' to a control plane's roles to "
                            + "run workloads there",
                    "error answers.yaml:17:36: hosts[3].roles: the etcd role needs cluster.topology: external-etcd "
                            + "(with stacked etcd every control plane runs its own member)");
        }

        @Test
        void zoneIsALabelValue() {
            assertProblems(edit(HA, "roles: [worker]", "roles: [worker], zone: 'eu west'"),
                    "error answers.yaml:17:59: hosts[3].zone: 'eu west' is not a valid label value");
        }

        @Test
        void labelKeysAreValid() {
            assertProblems(edit(HA, "roles: [worker]", "roles: [worker], labels: {'-bad': x}"),
                    "error answers.yaml:17:70: hosts[3].labels.-bad: '-bad' is not a valid label key ([prefix/]name, "
                            + "name at most 63 characters)");
        }

        @Test
        void labelValuesAreValid() {
            assertProblems(edit(HA, "roles: [worker]", "roles: [worker], labels: {disk: 'fast ssd'}"),
                    "error answers.yaml:17:68: hosts[3].labels.disk: 'fast ssd' is not a valid label value");
        }

        @Test
        void labelsKubeletMayNotSetOnItselfAreAppliedWithKubectlAfterTheInstall() {
            assertProblems(edit(HA, "roles: [worker]", "roles: [worker], labels: {node-role.kubernetes.io/worker: ''}"),
                    "error answers.yaml:17:94: hosts[3].labels.node-role.kubernetes.io/worker: kubelet may not set "
                            + "node-role.kubernetes.io/worker on its own node (NodeRestriction allows it only "
                            + "kubelet.kubernetes.io/, node.kubernetes.io/ and a few well-known labels in the "
                            + "kubernetes.io and k8s.io namespaces): apply it with kubectl after the install instead, "
                            + "e.g. kubectl label node w1 node-role.kubernetes.io/worker=");
        }

        @Test
        void nodeRestrictionNamespacesFollowKubelet() {
            for (String allowed : List.of("disk", "example.com/disk", "kubelet.kubernetes.io/x", "a.kubelet.kubernetes.io/x",
                    "node.kubernetes.io/exclude-from-external-load-balancers", "b.node.kubernetes.io/x",
                    "topology.kubernetes.io/zone", "topology.kubernetes.io/region", "kubernetes.io/hostname",
                    "kubernetes.io/os", "kubernetes.io/arch", "beta.kubernetes.io/arch", "beta.kubernetes.io/os",
                    "beta.kubernetes.io/instance-type", "node.kubernetes.io/instance-type",
                    "failure-domain.beta.kubernetes.io/zone", "failure-domain.beta.kubernetes.io/region",
                    "kubernetes.io.example.com/x", "notk8s.io/x")) {
                assertTrue(Validator.kubeletMaySet(allowed), allowed);
            }
            for (String refused : List.of("node-role.kubernetes.io/worker", "node-role.kubernetes.io/control-plane",
                    "kubernetes.io/role", "node-restriction.kubernetes.io/pool", "a.node-restriction.kubernetes.io/x",
                    "k8s.io/x", "sub.k8s.io/x", "topology.kubernetes.io/rack", "kubelet.kubernetes.io.evil.kubernetes.io/x")) {
                assertFalse(Validator.kubeletMaySet(refused), refused);
            }
        }

        @Test
        void zoneAndTheZoneLabelAreNotBothSet() {
            assertProblems(edit(HA, "roles: [worker]",
                            "roles: [worker], zone: a, labels: {topology.kubernetes.io/zone: b}"),
                    "error answers.yaml:17:100: hosts[3].labels.topology.kubernetes.io/zone: zone already sets "
                            + "topology.kubernetes.io/zone: keep one of the two");
        }

        @Test
        void taintsAreKeyValueEffect() {
            assertProblems(edit(HA, "roles: [worker]", "roles: [worker], taints: ['gpu=true:NoScheduleX']"),
                    "error answers.yaml:17:62: hosts[3].taints[0]: 'gpu=true:NoScheduleX' is not a taint: write "
                            + "key[=value]:Effect, Effect one of NoSchedule, PreferNoSchedule, NoExecute");
        }

        @Test
        void hostSshOverridesAreCheckedMergedWithTheFileWideSsh() {
            assertProblems(edit(HA, "roles: [worker]", "roles: [worker], ssh: {user: admin, become: none}"),
                    "error answers.yaml:17:80: hosts[3].ssh.become: user 'admin' is not root, so become must be sudo: "
                            + "kubeadm and package installs need root");
        }

        private static String externalEtcd(int etcdHosts, String lastEtcdRoles) {
            StringBuilder sb = new StringBuilder(edit(HA, "  kubernetesVersion: 1.35.2\n",
                    "  kubernetesVersion: 1.35.2\n  topology: external-etcd\n"));
            for (int i = 1; i <= etcdHosts; i++) {
                sb.append("  - {name: etcd").append(i).append(", address: 10.0.0.3").append(i).append(", ")
                        .append(i == etcdHosts ? lastEtcdRoles : "roles: [etcd]").append("}\n");
            }
            return sb.toString();
        }
    }

    @Nested
    class Topology {
        @Test
        void atLeastOneControlPlane() {
            assertProblems(edit(SINGLE, "roles: [control-plane, worker]", "roles: [worker]"),
                    "error answers.yaml:4:1: hosts: no control-plane host: give at least one host the control-plane "
                            + "role");
        }

        @Test
        void twoStackedControlPlanesWarn() {
            assertProblems(edit(HA, "  - {name: cp3, address: 10.0.0.13, roles: [control-plane]}\n", ""),
                    "warning answers.yaml:13:1: hosts: 2 stacked control planes run 2 etcd members, which tolerate no "
                            + "failure: use 3 (or 1) for high availability");
        }

        @Test
        void anEvenNumberOfStackedControlPlanesWarns() {
            assertProblems(edit(HA, "  - {name: w1,", "  - {name: cp4, address: 10.0.0.14, roles: [control-plane]}\n"
                            + "  - {name: w1,"),
                    "warning answers.yaml:13:1: hosts: 4 stacked control planes run an even number of etcd members, "
                            + "which tolerate no more failures than 3: an odd number is recommended");
        }

        /** HA with zones: the control planes in {@code a, b, c} and the worker in {@code w}. */
        private static String zoned(String a, String b, String c, String w) {
            return edit(HA, "10.0.0.11, roles: [control-plane]}", "10.0.0.11, roles: [control-plane], zone: " + a + "}",
                    "10.0.0.12, roles: [control-plane]}", "10.0.0.12, roles: [control-plane], zone: " + b + "}",
                    "10.0.0.13, roles: [control-plane]}", "10.0.0.13, roles: [control-plane], zone: " + c + "}",
                    "10.0.0.21, roles: [worker]}", "10.0.0.21, roles: [worker], zone: " + w + "}");
        }

        @Test
        void threeZonesForThreeControlPlanesAndOneWorkerWarnNothing() {
            assertProblems(zoned("a", "b", "c", "a"));
            assertProblems(edit(zoned("a", "b", "c", "a"), ", zone: c}", "}"));
        }

        @Test
        void controlPlanesInTwoZonesWarnOfTheSpreadAndTheEtcdMajority() {
            List<Problem> problems = parse(zoned("a", "b", "a", "b")).problems();
            assertEquals(List.of(
                    "warning answers.yaml:13:1: hosts: 3 control planes span 2 zone(s) (a: 2, b: 1): spread them over "
                            + "at least 3 zones, so that losing one zone leaves the others serving",
                    "warning answers.yaml:13:1: hosts: zone a holds 2 of the 3 etcd members: losing that zone loses "
                            + "the etcd quorum"), problems.stream().map(Fixtures::line).toList());
            assertEquals(List.of(
                    "컨트롤 플레인 3개가 영역 2개(a: 2, b: 1)에만 있다: 한 영역을 잃어도 나머지가 서비스하도록 3개 이상의 영역에 분산한다",
                    "영역 a에 etcd 멤버 3개 중 2개가 있다: 그 영역을 잃으면 etcd 쿼럼을 잃는다"),
                    problems.stream().map(p -> ProblemTexts.text(p, java.util.Locale.KOREAN)).toList());
        }

        @Test
        void allWorkersInOneZoneWarn() {
            List<Problem> problems = parse(edit(zoned("a", "b", "c", "a"), "  - {name: w1,",
                    "  - {name: w0, address: 10.0.0.20, roles: [worker], zone: a}\n  - {name: w1,")).problems();
            assertEquals(List.of("warning answers.yaml:13:1: hosts: all 2 workers are in zone a: losing that zone stops "
                    + "every workload; spread the workers over zones"), problems.stream().map(Fixtures::line).toList());
            assertEquals(List.of("워커 2개가 모두 영역 a에 있다: 그 영역을 잃으면 모든 워크로드가 멈춘다. 워커를 여러 영역에 분산한다"),
                    problems.stream().map(p -> ProblemTexts.text(p, java.util.Locale.KOREAN)).toList());
        }

        @Test
        void externalEtcdMembersAreJudgedOnTheirOwnZones() {
            String file = edit(Hosts.externalEtcd(3, "roles: [etcd], zone: y"), "10.0.0.31, roles: [etcd]}",
                    "10.0.0.31, roles: [etcd], zone: x}", "10.0.0.32, roles: [etcd]}", "10.0.0.32, roles: [etcd], zone: x}");
            List<Problem> problems = parse(file).problems();
            assertEquals(List.of(
                    "warning answers.yaml:14:1: hosts: 3 etcd members span 2 zone(s) (x: 2, y: 1): spread them over at "
                            + "least 3 zones, so that losing one zone keeps the etcd quorum",
                    "warning answers.yaml:14:1: hosts: zone x holds 2 of the 3 etcd members: losing that zone loses the "
                            + "etcd quorum"), problems.stream().map(Fixtures::line).toList());
            assertEquals("etcd 멤버 3개가 영역 2개(x: 2, y: 1)에만 있다: 한 영역을 잃어도 etcd 쿼럼이 유지되도록 3개 이상의 영역에 분산한다",
                    ProblemTexts.text(problems.get(0), java.util.Locale.KOREAN));
        }

        @Test
        void externalEtcdNeedsAnOddNumberOfEtcdHosts() {
            assertProblems(Hosts.externalEtcd(2, "roles: [etcd]"),
                    "error answers.yaml:14:1: hosts: external-etcd needs an odd number of etcd hosts (3, 5 or 7), "
                            + "found 2");
        }

        @Test
        void externalEtcdWithOneControlPlaneWarns() {
            String text = edit(Hosts.externalEtcd(3, "roles: [etcd]"),
                    "  - {name: cp2, address: 10.0.0.12, roles: [control-plane]}\n", "",
                    "  - {name: cp3, address: 10.0.0.13, roles: [control-plane]}\n", "",
                    "  controlPlaneEndpoint: 10.0.0.100:6443\n  loadBalancer:\n    type: kube-vip\n"
                            + "    vip: 10.0.0.100\n    interface: eth0\n", "");
            assertProblems(text, "warning answers.yaml:9:1: hosts: external-etcd with 1 control plane keeps the API "
                    + "server a single point of failure: HA means 3 or more control planes");
        }

        @Test
        void externalEtcdWithTwoControlPlanesWarns() {
            String text = edit(Hosts.externalEtcd(3, "roles: [etcd]"),
                    "  - {name: cp3, address: 10.0.0.13, roles: [control-plane]}\n", "");
            assertProblems(text, "warning answers.yaml:14:1: hosts: external-etcd with 2 control planes falls short "
                    + "of HA, which means 3 or more control planes");
        }

        @Test
        void withoutAWorkerNothingSchedules() {
            assertProblems(edit(SINGLE, "roles: [control-plane, worker]", "roles: [control-plane]"),
                    "warning answers.yaml:4:1: hosts: no host has the worker role, so the control planes keep their "
                            + "taint and ordinary pods will not schedule: add 'worker' to a control plane's roles to "
                            + "run workloads there");
        }
    }

    /** Kubernetes' large-cluster limits and guidance: 5,000 nodes, 110 pods per node, 150,000 pods in all. */
    @Nested
    class Limits {
        /** HA with {@code workers} more workers (w1 included in HA's count: 3 control planes and 1 worker). */
        static String withWorkers(String text, int workers) {
            StringBuilder sb = new StringBuilder(text);
            for (int i = 0; i < workers; i++) {
                sb.append("  - {name: n").append(i).append(", address: 10.1.").append(i / 250).append('.')
                        .append(i % 250 + 1).append(", roles: [worker]}\n");
            }
            return sb.toString();
        }

        static final String LARGE_EN = "warning answers.yaml:13:1: hosts: %d nodes make a large cluster, and its 3 control "
                + "plane(s) need ample CPU and memory: run one or two control planes per failure zone, give them more CPU "
                + "and memory first, and add control planes only when that stops helping";
        static final String STACKED_EN = "warning answers.yaml:13:1: hosts: %d nodes with stacked etcd: for a large cluster "
                + "run etcd on hosts of its own (cluster.topology: external-etcd with 3 or 5 etcd hosts), so that etcd does "
                + "not compete with the API server for CPU, memory and disk";
        static final String EVENTS_EN = "warning answers.yaml:13:1: hosts: %d nodes: large clusters keep Event objects in an "
                + "etcd of their own; run one and point the API server at it with components.apiServer.extraArgs "
                + "etcd-servers-overrides: /events#https://EVENTS-ETCD:2379";
        static final String ADDONS_EN = "warning answers.yaml:13:1: hosts: %d nodes: add-ons' default requests and limits "
                + "(CoreDNS, the CNI, log collectors) come from small and medium clusters; raise them as the cluster grows, "
                + "or they are OOM-killed or throttled, and autoscale the cluster DNS";

        private static List<String> korean(List<Problem> problems) {
            return problems.stream().map(p -> ProblemTexts.text(p, java.util.Locale.KOREAN)).toList();
        }

        @Test
        void fiveHundredNodesAreNotYetLarge() {
            assertProblems(withWorkers(HA, 496));
        }

        @Test
        void pastFiveHundredNodesTheControlPlaneEtcdAndAddOnGuidanceIsWarned() {
            List<Problem> problems = parse(withWorkers(HA, 497)).problems();
            assertEquals(List.of(String.format(LARGE_EN, 501), String.format(STACKED_EN, 501), String.format(EVENTS_EN, 501),
                    String.format(ADDONS_EN, 501)), problems.stream().map(Fixtures::line).toList());
            assertEquals(List.of(
                    "노드 501개는 대형 클러스터이며, 컨트롤 플레인 3개에 충분한 CPU와 메모리가 필요하다: 장애 영역당 컨트롤 플레인을 하나 "
                            + "또는 두 개 실행하고, 먼저 CPU와 메모리를 늘려 수직으로 확장한 다음 그 효과가 줄어들 때 컨트롤 플레인을 더한다",
                    "노드 501개에 중첩된(stacked) etcd: 대형 클러스터에서는 etcd를 전용 호스트에서 실행해(cluster.topology: "
                            + "external-etcd, etcd 호스트 3개 또는 5개) etcd가 API 서버와 CPU, 메모리, 디스크를 다투지 않게 한다",
                    "노드 501개: 대형 클러스터는 이벤트 오브젝트를 전용 etcd 인스턴스에 저장한다. 하나를 실행하고 "
                            + "components.apiServer.extraArgs의 etcd-servers-overrides: /events#https://EVENTS-ETCD:2379로 API "
                            + "서버가 그곳을 쓰게 한다",
                    "노드 501개: 애드온(CoreDNS, CNI, 로그 수집기)의 기본 요청과 제한은 중소형 클러스터에서 얻은 값이다. 클러스터가 "
                            + "커지면 늘려야 하며, 그러지 않으면 메모리 제한에 걸려 종료되거나 CPU 제한으로 느려진다. 클러스터 DNS는 "
                            + "오토스케일링한다"), korean(problems));
        }

        @Test
        void externalEtcdWithAnEventsOverrideLeavesOnlyTheControlPlaneAndAddOnGuidance() {
            String file = withWorkers(Hosts.externalEtcd(3, "roles: [etcd]"), 497) + "components:\n  apiServer:\n"
                    + "    extraArgs: {etcd-servers-overrides: '/events#https://10.0.0.41:2379'}\n";
            // the 3 etcd hosts are no Nodes: 3 control planes, 1 worker and 497 more
            assertEquals(List.of(String.format(LARGE_EN, 501).replace(":13:1:", ":14:1:"),
                    String.format(ADDONS_EN, 501).replace(":13:1:", ":14:1:")), Fixtures.problems(file));
            assertProblems(withWorkers(Hosts.externalEtcd(3, "roles: [etcd]"), 496));
        }

        @Test
        void moreThanFiveThousandNodesIsAnErrorAndTheirPodCapacityIsWarned() {
            List<Problem> problems = parse(withWorkers(HA, 4997)).problems();
            assertEquals(List.of(
                    "error answers.yaml:13:1: hosts: 5001 nodes (control planes and workers) exceed the 5,000 nodes one "
                            + "Kubernetes cluster supports: split them over more than one cluster",
                    "warning answers.yaml:13:1: hosts: 5001 nodes of 110 pods each (kubelet maxPods) can schedule up to "
                            + "550110 pods, past the 150,000 pods in all (and 300,000 containers) that Kubernetes' "
                            + "large-cluster limits were tested with: keep the running pods below that, or lower maxPods",
                    String.format(LARGE_EN, 5001), String.format(STACKED_EN, 5001), String.format(EVENTS_EN, 5001),
                    String.format(ADDONS_EN, 5001)), problems.stream().map(Fixtures::line).toList());
            assertEquals(List.of(
                    "노드 5001개(컨트롤 플레인과 워커)는 쿠버네티스 클러스터 하나가 지원하는 노드 5,000개를 넘는다: 여러 클러스터로 나눈다",
                    "노드 5001개에 노드당 파드 110개(kubelet maxPods)면 파드를 550110개까지 스케줄할 수 있어, 쿠버네티스의 대형 클러스터 "
                            + "기준(전체 파드 150,000개, 전체 컨테이너 300,000개)을 넘는다: 실행하는 파드를 그 아래로 유지하거나 "
                            + "maxPods를 낮춘다"), korean(problems).subList(0, 2));
            assertEquals(5000, parse(withWorkers(HA, 4996)).spec().hosts().size());
            assertFalse(Fixtures.problems(withWorkers(HA, 4996)).stream().anyMatch(l -> l.startsWith("error ")));
        }

        @Test
        void aMaxPodsAbove110IsWarnedAndCountsInThePodCapacity() {
            List<Problem> problems = parse(HA + "components:\n  kubelet: {maxPods: 40000}\n").problems();
            assertEquals(List.of(
                    "warning answers.yaml:13:1: hosts: 4 nodes of 40000 pods each (kubelet maxPods) can schedule up to "
                            + "160000 pods, past the 150,000 pods in all (and 300,000 containers) that Kubernetes' "
                            + "large-cluster limits were tested with: keep the running pods below that, or lower maxPods",
                    "warning answers.yaml:19:22: components.kubelet.maxPods: maxPods 40000 exceeds the 110 pods per node "
                            + "Kubernetes is designed and tested for: keep 110 or fewer unless you have tested more on these "
                            + "nodes"), problems.stream().map(Fixtures::line).toList());
            assertEquals("maxPods 40000은(는) 쿠버네티스가 설계되고 시험된 노드당 파드 110개를 넘는다: 이 노드들에서 더 많이 "
                    + "시험해 보지 않았다면 110개 이하로 둔다", korean(problems).get(1));
            assertProblems(HA + "components:\n  kubelet: {maxPods: 110}\n");
            assertProblems(HA + "components:\n  kubelet: {maxPods: 250}\n", "warning answers.yaml:19:22: "
                    + "components.kubelet.maxPods: maxPods 250 exceeds the 110 pods per node Kubernetes is designed and "
                    + "tested for: keep 110 or fewer unless you have tested more on these nodes");
        }

        @Test
        void aMaxPodsThatIsNoCountIsAnError() {
            for (String value : List.of("'110'", "-1", "1.5", "[110]")) {
                List<Problem> problems = parse(HA + "components:\n  kubelet: {maxPods: " + value + "}\n").problems();
                String shown = value.equals("'110'") ? "110" : value.equals("[110]") ? "[110]" : value;
                // a scalar is found at its value, a list (no scalar to point at) at its key
                String column = value.startsWith("[") ? "13" : "22";
                assertEquals(List.of("error answers.yaml:19:" + column + ": components.kubelet.maxPods: '" + shown + "' is not a pod "
                        + "count: maxPods takes a whole number from 0 (kubelet's default is 110)"),
                        problems.stream().map(Fixtures::line).toList(), value);
                assertEquals("'" + shown + "'은(는) 파드 수가 아니다: maxPods는 0 이상의 정수다(kubelet 기본값 110)",
                        korean(problems).get(0));
            }
        }
    }

    @Nested
    class Endpoint {
        @Test
        void moreThanOneControlPlaneNeedsAnEndpoint() {
            assertProblems(edit(HA, "  controlPlaneEndpoint: 10.0.0.100:6443\n", "",
                            "  loadBalancer:\n    type: kube-vip\n    vip: 10.0.0.100\n    interface: eth0\n",
                            "  loadBalancer: {type: external}\n"),
                    "error answers.yaml:3:1: cluster.controlPlaneEndpoint: required with 3 control planes: the "
                            + "load-balanced address all nodes use to reach the API server, e.g. api.example.com:6443");
        }

        @Test
        void aLoadBalancerNeedsAnEndpointEvenWithOneControlPlane() {
            assertProblems(edit(SINGLE, "  name: single\n", "  name: single\n  loadBalancer: {type: external}\n"),
                    "error answers.yaml:1:1: cluster.controlPlaneEndpoint: required with loadBalancer.type external: "
                            + "the load balancer's address and port");
        }

        @Test
        void endpointIsHostAndPort() {
            assertProblems(edit(HA, "controlPlaneEndpoint: 10.0.0.100:6443", "controlPlaneEndpoint: '10.0.0.100:http'"),
                    "error answers.yaml:6:25: cluster.controlPlaneEndpoint: '10.0.0.100:http' is not host[:port] (an "
                            + "IP address or DNS name, then an optional port from 1 to 65535)");
        }

        @Test
        void vipAndInterfaceAreIgnoredByUnmanagedLoadBalancers() {
            assertProblems(edit(HA, "type: kube-vip", "type: external"),
                    "warning answers.yaml:7:3: cluster.loadBalancer: vip and interface are used only by kube-vip and "
                            + "haproxy-keepalived; with type external they are ignored");
        }

        @Test
        void typeNoneWithSeveralControlPlanesWarns() {
            assertProblems(edit(HA, "  loadBalancer:\n    type: kube-vip\n    vip: 10.0.0.100\n    interface: eth0\n", "",
                            "controlPlaneEndpoint: 10.0.0.100:6443", "controlPlaneEndpoint: api.prod.example.com"),
                    "warning answers.yaml:3:1: cluster.loadBalancer.type: type none with 3 control planes: "
                            + "controlPlaneEndpoint must already be load balanced (use external, or let kubewizard run "
                            + "kube-vip or haproxy-keepalived)");
        }

        @Test
        void managedLoadBalancerNeedsAVip() {
            assertProblems(edit(HA, "    vip: 10.0.0.100\n", ""),
                    "error answers.yaml:7:3: cluster.loadBalancer.vip: required with kube-vip: the virtual IP the "
                            + "control planes share");
        }

        @Test
        void vipIsAnIpAddress() {
            assertProblems(edit(HA, "vip: 10.0.0.100", "vip: vip.example.com"),
                    "error answers.yaml:9:10: cluster.loadBalancer.vip: 'vip.example.com' is not an IP address");
        }

        @Test
        void managedLoadBalancerNeedsAnInterface() {
            assertProblems(edit(HA, "    interface: eth0\n", ""),
                    "error answers.yaml:7:3: cluster.loadBalancer.interface: required with kube-vip: the network "
                            + "interface that carries the VIP, e.g. eth0");
        }

        @Test
        void interfaceIsAnInterfaceName() {
            assertProblems(edit(HA, "interface: eth0", "interface: 'eth0 eth1'"),
                    "error answers.yaml:10:16: cluster.loadBalancer.interface: 'eth0 eth1' is not a network interface "
                            + "name");
        }

        @Test
        void haproxyBesideTheApiServerNeedsAnotherPort() {
            assertProblems(edit(HA, "type: kube-vip", "type: haproxy-keepalived"),
                    "error answers.yaml:7:3: cluster.loadBalancer.port: haproxy runs beside the API server on every "
                            + "control plane, which already listens on 6443: choose another port, e.g. 8443");
        }

        @Test
        void kubeVipForwardsNoPortSoItMustBeTheApiServers() {
            assertProblems(edit(HA, "interface: eth0", "interface: eth0\n    port: 8443",
                            "controlPlaneEndpoint: 10.0.0.100:6443", "controlPlaneEndpoint: 10.0.0.100:8443"),
                    "error answers.yaml:11:11: cluster.loadBalancer.port: kube-vip moves the VIP to a control plane, where "
                            + "the API server listens on 6443: use port 6443 (haproxy-keepalived can serve another port)");
        }

        @Test
        void endpointIpIsTheVip() {
            assertProblems(edit(HA, "controlPlaneEndpoint: 10.0.0.100:6443", "controlPlaneEndpoint: 10.0.0.101:6443"),
                    "error answers.yaml:6:25: cluster.controlPlaneEndpoint: the endpoint host 10.0.0.101 must be the "
                            + "load balancer's vip 10.0.0.100");
        }

        @Test
        void endpointDnsNameWarnsThatItWasNotResolved() {
            assertProblems(edit(HA, "controlPlaneEndpoint: 10.0.0.100:6443", "controlPlaneEndpoint: api.prod.example.com"),
                    "warning answers.yaml:6:25: cluster.controlPlaneEndpoint: 'api.prod.example.com' must resolve to "
                            + "the vip 10.0.0.100 on every node; kubewizard did not check it");
        }

        @Test
        void endpointPortIsTheLoadBalancerPort() {
            assertProblems(edit(HA, "controlPlaneEndpoint: 10.0.0.100:6443", "controlPlaneEndpoint: 10.0.0.100:8443"),
                    "error answers.yaml:6:25: cluster.controlPlaneEndpoint: the endpoint port 8443 must be the load "
                            + "balancer's port 6443");
        }

        @Test
        void vipIsNoControlPlaneAddress() {
            assertProblems(edit(HA, "vip: 10.0.0.100", "vip: 10.0.0.12", "10.0.0.100:6443", "10.0.0.12:6443"),
                    "error answers.yaml:9:10: cluster.loadBalancer.vip: the vip 10.0.0.12 is the address of control "
                            + "plane cp2: it must be a free address in the control planes' subnet");
        }

        @Test
        void vipIsNoOtherHostsAddressEither() {
            assertProblems(edit(HA, "vip: 10.0.0.100", "vip: 10.0.0.21", "10.0.0.100:6443", "10.0.0.21:6443"),
                    "error answers.yaml:9:10: cluster.loadBalancer.vip: the vip 10.0.0.21 is the address of host w1: "
                            + "it must be a free address in the control planes' subnet");
        }

        @Test
        void vipLiesInTheControlPlanesSubnet() {
            assertProblems(edit(HA, "vip: 10.0.0.100", "vip: 10.0.1.100", "10.0.0.100:6443", "10.0.1.100:6443"),
                    "error answers.yaml:9:10: cluster.loadBalancer.vip: the vip 10.0.1.100 is not in the control "
                            + "planes' subnet 10.0.0.0/24");
        }

        @Test
        void vipHasTheControlPlanesAddressFamily() {
            assertProblems(edit(HA, "vip: 10.0.0.100", "vip: 'fd00::100'", "10.0.0.100:6443", "'[fd00::100]:6443'"),
                    "error answers.yaml:9:10: cluster.loadBalancer.vip: the vip fd00::100 is an IPv6 address but "
                            + "control plane cp1 has IPv4 address 10.0.0.11: the vip must lie in the control planes' "
                            + "subnet");
        }
    }

    @Nested
    class Network {
        private String network(String lines) {
            return edit(HA, "network:\n  podSubnet: 192.168.0.0/16\n", "network:\n" + lines);
        }

        @Test
        void podSubnetIsACidr() {
            assertProblems(network("  podSubnet: 192.168.0.0\n"),
                    "error answers.yaml:12:14: network.podSubnet: '192.168.0.0' is not a CIDR such as 10.96.0.0/12");
        }

        @Test
        void cidrsHaveNoHostBits() {
            assertProblems(network("  podSubnet: 192.168.1.0/16\n"),
                    "error answers.yaml:12:14: network.podSubnet: '192.168.1.0/16' has host bits set: did you mean "
                            + "192.168.0.0/16?");
        }

        @Test
        void podSubnetHoldsAtLeastOneNodeShare() {
            assertProblems(network("  podSubnet: 192.168.0.0/25\n"),
                    "error answers.yaml:12:14: network.podSubnet: 192.168.0.0/25 is too small: every node takes a /24 "
                            + "from it (kube-controller-manager's node-cidr-mask-size-ipv4), so use a prefix of /24 or "
                            + "shorter");
        }

        @Test
        void podSubnetIsAtMost16BitsLargerThanANodeShare() {
            assertProblems(network("  podSubnet: 172.0.0.0/7\n"),
                    "error answers.yaml:12:14: network.podSubnet: 172.0.0.0/7 is too large: kubeadm allows at most 16 "
                            + "bits between it and each node's /24 (node-cidr-mask-size-ipv4), so use a prefix of /8 or "
                            + "longer");
        }

        @Test
        void ipv6PodSubnetsUseANodeShareOf64() {
            assertProblems(network("  podSubnet: 'fd00:10::/48'\n"));
            assertProblems(network("  podSubnet: 'fd00:10::/65'\n"),
                    "error answers.yaml:12:14: network.podSubnet: fd00:10::/65 is too small: every node takes a /64 "
                            + "from it (kube-controller-manager's node-cidr-mask-size-ipv6), so use a prefix of /64 or "
                            + "shorter");
            assertProblems(network("  podSubnet: 'fd00::/47'\n"),
                    "error answers.yaml:12:14: network.podSubnet: fd00::/47 is too large: kubeadm allows at most 16 "
                            + "bits between it and each node's /64 (node-cidr-mask-size-ipv6), so use a prefix of /48 or "
                            + "longer");
        }

        @Test
        void theNodeShareFollowsTheControllerManagerFlag() {
            String cm = "  podSubnet: 10.244.0.0/16\ncomponents:\n  controllerManager:\n    extraArgs: {%s}\n";
            assertProblems(network(cm.formatted("node-cidr-mask-size-ipv4: 26")));
            assertProblems(network(cm.formatted("node-cidr-mask-size-ipv4: 8")),
                    "error answers.yaml:12:14: network.podSubnet: 10.244.0.0/16 is too small: every node takes a /8 "
                            + "from it (kube-controller-manager's node-cidr-mask-size-ipv4), so use a prefix of /8 or "
                            + "shorter");
            assertProblems(network(cm.formatted("node-cidr-mask-size-ipv4: 33")),
                    "error answers.yaml:15:43: components.controllerManager.extraArgs.node-cidr-mask-size-ipv4: '33' "
                            + "is not a prefix length from 1 to 32");
            assertProblems(network("  podSubnet: 172.16.0.0/28\ncomponents:\n  controllerManager:\n"
                    + "    extraArgs: {allocate-node-cidrs: 'false'}\n"));
        }

        @Test
        void flannelNeedsAPodSubnetItCanCarry() {
            assertProblems(network("  cni: flannel\n  podSubnet: 10.244.0.0/24\n"),
                    "error answers.yaml:13:14: network.podSubnet: flannel gives each node a /24 from an IPv4 network; "
                            + "10.244.0.0/24 cannot carry that: use its default 10.244.0.0/16 or another IPv4 /23 or "
                            + "larger");
        }

        @Test
        void flannelWithoutAPodSubnetGetsItsDefault() {
            var result = parse(network("  cni: flannel\n"));
            assertEquals(List.of(), result.problems());
            assertEquals("10.244.0.0/16", result.spec().network().podSubnet());
        }

        @Test
        void serviceSubnetNotLargerThanKubeadmAccepts() {
            assertProblems(network("  podSubnet: 192.168.0.0/16\n  serviceSubnet: 10.96.0.0/11\n"),
                    "error answers.yaml:13:18: network.serviceSubnet: 10.96.0.0/11 is larger than kubeadm accepts: use "
                            + "a /12 or smaller (e.g. 10.96.0.0/12)");
            assertProblems(network("  podSubnet: 'fd00:10::/48'\n  serviceSubnet: 'fd00:20::/107'\n"),
                    "error answers.yaml:13:18: network.serviceSubnet: fd00:20::/107 is larger than kubeadm accepts: "
                            + "use a /108 or smaller (e.g. 10.96.0.0/12)");
        }

        @Test
        void podAndServiceSubnetsAreDisjoint() {
            assertProblems(network("  podSubnet: 10.96.0.0/16\n"),
                    "error answers.yaml:11:1: network.serviceSubnet: service subnet 10.96.0.0/12 overlaps the pod "
                            + "subnet 10.96.0.0/16");
        }

        @Test
        void noNodeAddressInThePodSubnet() {
            assertProblems(network("  podSubnet: 10.0.0.0/16\n"),
                    "error answers.yaml:9:10: cluster.loadBalancer.vip: the vip 10.0.0.100 lies inside the pod subnet "
                            + "10.0.0.0/16",
                    "error answers.yaml:14:26: hosts[0].address: cp1's address 10.0.0.11 lies inside the pod subnet "
                            + "10.0.0.0/16: choose a pod subnet that no node uses",
                    "error answers.yaml:15:26: hosts[1].address: cp2's address 10.0.0.12 lies inside the pod subnet "
                            + "10.0.0.0/16: choose a pod subnet that no node uses",
                    "error answers.yaml:16:26: hosts[2].address: cp3's address 10.0.0.13 lies inside the pod subnet "
                            + "10.0.0.0/16: choose a pod subnet that no node uses",
                    "error answers.yaml:17:25: hosts[3].address: w1's address 10.0.0.21 lies inside the pod subnet "
                            + "10.0.0.0/16: choose a pod subnet that no node uses");
        }

        @Test
        void noNodeAddressInTheServiceSubnet() {
            assertProblems(edit(HA, "address: 10.0.0.21", "address: 192.0.2.21, internalAddress: 10.96.0.21"),
                    "error answers.yaml:17:54: hosts[3].internalAddress: w1's address 10.96.0.21 lies inside the "
                            + "service subnet 10.96.0.0/12: choose a service subnet that no node uses");
        }

        @Test
        void vipOutsidePodAndServiceSubnets() {
            assertProblems(network("  podSubnet: 192.168.0.0/16\n  serviceSubnet: 10.0.0.96/28\n"),
                    "error answers.yaml:9:10: cluster.loadBalancer.vip: the vip 10.0.0.100 lies inside the service "
                            + "subnet 10.0.0.96/28");
        }

        @Test
        void dnsDomainIsADomain() {
            assertProblems(network("  podSubnet: 192.168.0.0/16\n  dnsDomain: Cluster_Local\n"),
                    "error answers.yaml:13:14: network.dnsDomain: 'Cluster_Local' is not a DNS domain such as "
                            + "cluster.local");
        }

        @Test
        void kubeProxyDisabledOnlyWithCilium() {
            assertProblems(network("  podSubnet: 192.168.0.0/16\n  kubeProxyMode: disabled\n"),
                    "error answers.yaml:13:18: network.kubeProxyMode: disabled needs cni: cilium, which replaces "
                            + "kube-proxy; calico relies on kube-proxy for Services");
            assertProblems(network("  cni: cilium\n  kubeProxyMode: disabled\n"));
        }

        @Test
        void cniVersionIsAVersion() {
            assertProblems(network("  podSubnet: 192.168.0.0/16\n  cniVersion: latest\n"),
                    "error answers.yaml:13:15: network.cniVersion: 'latest' is not a version like v3.29.1; leave it "
                            + "empty for the version kubewizard was tested with");
        }

        @Test
        void noCniWarns() {
            assertProblems(network("  cni: none\n"),
                    "warning answers.yaml:12:8: network.cni: no CNI: nodes stay NotReady until you install a network "
                            + "plugin yourself");
        }
    }

    @Nested
    class RuntimeAndPki {
        private String append(String yaml) { return HA + yaml; }

        @Test
        void sandboxImageIsAnImage() {
            assertProblems(append("runtime: {sandboxImage: 'pause 3.10'}\n"),
                    "error answers.yaml:18:25: runtime.sandboxImage: 'pause 3.10' is not an image reference such as "
                            + "registry.k8s.io/pause:3.10.1");
        }

        @Test
        void certificateValidityIsADuration() {
            assertProblems(append("pki: {certificateValidity: 1y}\n"),
                    "error answers.yaml:18:28: pki.certificateValidity: '1y' is not a duration such as 8760h (hours, "
                            + "minutes, seconds: 1h30m)");
        }

        @Test
        void caCertificateValidityIsADuration() {
            assertProblems(append("pki: {caCertificateValidity: 30m1h}\n"),
                    "error answers.yaml:18:30: pki.caCertificateValidity: '30m1h' is not a duration such as 87600h "
                            + "(hours, minutes, seconds: 1h30m)");
        }

        @Test
        void certificatesDoNotOutliveTheirCa() {
            assertProblems(append("pki: {certificateValidity: 87601h}\n"),
                    "error answers.yaml:18:28: pki.certificateValidity: 87601h outlives the CA (87600h): a "
                            + "certificate cannot be valid after its CA");
        }

        @Test
        void v1beta3KubeadmCannotSetKeyAlgorithmOrValidity() {
            assertProblems(edit(append("pki: {keyAlgorithm: ECDSA-P256}\n"), "1.35.2", "1.30.2"),
                    "warning answers.yaml:5:22: cluster.kubernetesVersion: Kubernetes 1.30 is out of support "
                            + "(maintained: 1.35 to 1.37); it is installed with the kubeadm.k8s.io/v1beta3 config API",
                    "error answers.yaml:18:1: pki.generatedBy: kubeadm 1.30 (config API v1beta3) cannot set the key "
                            + "algorithm or validity periods: use Kubernetes 1.31 or newer, or pki.generatedBy: "
                            + "kubewizard");
            assertProblems(edit(append("pki: {generatedBy: kubewizard, keyAlgorithm: ECDSA-P256}\n"), "1.35.2", "1.30.2"),
                    "warning answers.yaml:5:22: cluster.kubernetesVersion: Kubernetes 1.30 is out of support "
                            + "(maintained: 1.35 to 1.37); it is installed with the kubeadm.k8s.io/v1beta3 config API");
        }

        @Test
        void extraCertSansAreIpsOrDnsNames() {
            assertProblems(append("pki: {extraCertSANs: [api.example.com, '*.example.com', 10.1.2.3, 'not a name']}\n"),
                    "error answers.yaml:18:67: pki.extraCertSANs[3]: 'not a name' is neither an IP address nor a DNS "
                            + "name");
        }

        @Test
        void exemptNamespacesAreNamespaceNames() {
            assertProblems(append("security: {podSecurity: {exemptNamespaces: [kube-system, Kube_Public]}}\n"),
                    "error answers.yaml:18:58: security.podSecurity.exemptNamespaces[1]: 'Kube_Public' is not a "
                            + "namespace name (a DNS-1123 label)");
        }
    }

    @Nested
    class Security {
        @Test
        void anonymousAuthOffNeedsAnAuthenticationConfigurationSo132OrNewer() {
            String off = edit(HA, "hosts:", "security:\n  apiServer: {anonymousAuth: false}\nhosts:");
            assertProblems(off);
            assertProblems(edit(off, "kubernetesVersion: 1.35.2", "kubernetesVersion: 1.32.0"),
                    "warning answers.yaml:5:22: cluster.kubernetesVersion: Kubernetes 1.32 is out of support (maintained: "
                            + "1.35 to 1.37); it is installed with the kubeadm.k8s.io/v1beta4 config API");
            assertProblems(edit(off, "kubernetesVersion: 1.35.2", "kubernetesVersion: 1.31.4"),
                    "warning answers.yaml:5:22: cluster.kubernetesVersion: Kubernetes 1.31 is out of support (maintained: "
                            + "1.35 to 1.37); it is installed with the kubeadm.k8s.io/v1beta4 config API",
                    "error answers.yaml:14:30: security.apiServer.anonymousAuth: false needs Kubernetes 1.32 or newer, "
                            + "which can keep anonymous access to the health checks and join discovery only; 1.31 would "
                            + "lose them");
        }
    }

    @Nested
    class Components {
        private String components(String yaml) { return HA + "components:\n" + yaml; }

        @Test
        void flagsAreWrittenWithoutDashes() {
            assertProblems(components("  apiServer: {extraArgs: {--audit-log-maxage: '30'}}\n"),
                    "error answers.yaml:19:47: components.apiServer.extraArgs.--audit-log-maxage: write the flag name "
                            + "without dashes: 'audit-log-maxage'");
        }

        @Test
        void flagNamesAreFlagNames() {
            assertProblems(components("  scheduler: {extraArgs: {Bind_Address: 0.0.0.0}}\n"),
                    "error answers.yaml:19:41: components.scheduler.extraArgs.Bind_Address: 'Bind_Address' is not a "
                            + "flag name");
        }

        @Test
        void volumesHaveAName() {
            assertProblems(components("  apiServer:\n    extraVolumes:\n      - {hostPath: /var/log/k, mountPath: /k}\n"),
                    "error answers.yaml:21:9: components.apiServer.extraVolumes[0].name: required: a volume name (a "
                            + "DNS-1123 label)");
            assertProblems(components("  apiServer:\n    extraVolumes:\n"
                            + "      - {name: Logs, hostPath: /var/log/k, mountPath: /k}\n"),
                    "error answers.yaml:21:16: components.apiServer.extraVolumes[0].name: 'Logs' is not a volume name "
                            + "(a DNS-1123 label)");
        }

        @Test
        void volumePathsAreAbsolute() {
            assertProblems(components("  controllerManager:\n    extraVolumes:\n      - {name: logs, hostPath: var/log}\n"),
                    "error answers.yaml:21:9: components.controllerManager.extraVolumes[0].mountPath: required: an "
                            + "absolute path in the container",
                    "error answers.yaml:21:32: components.controllerManager.extraVolumes[0].hostPath: 'var/log' is not "
                            + "an absolute path on the host");
        }

        @Test
        void volumePathTypesAreKnown() {
            assertProblems(components("  scheduler:\n    extraVolumes:\n"
                            + "      - {name: k, hostPath: /k, mountPath: /k, pathType: Dir}\n"),
                    "error answers.yaml:21:58: components.scheduler.extraVolumes[0].pathType: 'Dir' is not a hostPath "
                            + "type: use one of DirectoryOrCreate, Directory, FileOrCreate, File, Socket, CharDevice, "
                            + "BlockDevice");
        }

        @Test
        void kubeletAndKubeProxyApiVersionAndKindAreKubewizards() {
            assertProblems(components("  kubelet: {apiVersion: v1}\n  kubeProxy: {kind: KubeProxyConfiguration}\n"),
                    "error answers.yaml:19:25: components.kubelet.apiVersion: set by kubewizard; leave it out",
                    "error answers.yaml:20:21: components.kubeProxy.kind: set by kubewizard; leave it out");
        }

        @Test
        void kubeletCgroupDriverIsTheRuntimes() {
            assertProblems(components("  kubelet: {cgroupDriver: cgroupfs}\n"),
                    "error answers.yaml:19:27: components.kubelet.cgroupDriver: 'cgroupfs' differs from "
                            + "runtime.cgroupDriver systemd: kubelet and the runtime must use the same driver; set "
                            + "runtime.cgroupDriver instead");
        }

        @Test
        void kubeProxyModeIsNetworkKubeProxyMode() {
            assertProblems(components("  kubeProxy: {mode: ipvs}\n"),
                    "error answers.yaml:19:21: components.kubeProxy.mode: set network.kubeProxyMode instead");
        }
    }

    @Nested
    class Ssh {
        private String ssh(String yaml) { return HA + "ssh: {" + yaml + "}\n"; }

        @Test
        void userIsAUserName() {
            assertProblems(ssh("user: 'Bad User'"),
                    "error answers.yaml:18:13: ssh.user: 'Bad User' is not a user name");
        }

        @Test
        void bastionIsUserAtHostPort() {
            assertProblems(ssh("bastion: 'ops@jump:22:22'"),
                    "error answers.yaml:18:16: ssh.bastion: 'ops@jump:22:22' is not [user@]host[:port]");
            assertProblems(ssh("bastion: ops@jump.example.com:2222"));
        }

        @Test
        void identityFileIsNotEmpty() {
            assertProblems(ssh("identityFile: ''"),
                    "error answers.yaml:18:21: ssh.identityFile: empty: give a key file, or remove the key to use the "
                            + "default");
        }

        @Test
        void knownHostsFileIsNotEmpty() {
            assertProblems(ssh("knownHostsFile: ' '"),
                    "error answers.yaml:18:23: ssh.knownHostsFile: empty: give a known_hosts file, or remove the key "
                            + "to use ~/.ssh/known_hosts");
        }

        @Test
        void nonRootUsersBecomeRootWithSudo() {
            assertProblems(ssh("user: admin, become: none"),
                    "error answers.yaml:18:28: ssh.become: user 'admin' is not root, so become must be sudo: kubeadm "
                            + "and package installs need root");
        }
    }

    @Nested
    class WithoutAFile {
        @Test
        void aSpecBuiltInMemoryGetsTheSameProblemsWithoutLocations() {
            ClusterSpec spec = parse(edit(HA, "name: prod", "name: Prod")).spec();
            List<Problem> problems = Validator.validate(spec);
            assertEquals(List.of(new Problem(Problem.Severity.ERROR, "cluster.name", "'Prod' is not a valid cluster "
                    + "name: use a DNS-1123 label (lowercase letters, digits and '-', starting and ending with a letter or "
                    + "digit, at most 63 characters)", null, "cluster.name.invalid", List.of("'Prod'"))), problems);
            assertEquals("cluster.name: 'Prod' is not a valid cluster name: use a DNS-1123 label (lowercase letters, "
                    + "digits and '-', starting and ending with a letter or digit, at most 63 characters)",
                    problems.get(0).toString());
        }

        @Test
        void aFieldPrefixSelectsThatFieldAndItsChildren() {
            ClusterSpec spec = parse(edit(HA, "name: w1", "name: W1", "podSubnet: 192.168.0.0/16", "podSubnet: x",
                    "address: 10.0.0.12", "address: 'a b'")).spec();
            assertEquals(List.of("hosts[1].address", "hosts[3].name"),
                    Validator.validate(spec, "hosts").stream().map(Problem::field).toList());
            assertEquals(List.of("hosts[3].name"),
                    Validator.validate(spec, "hosts[3]").stream().map(Problem::field).toList());
            assertEquals(List.of("network.podSubnet"),
                    Validator.validate(spec, "network").stream().map(Problem::field).toList());
            assertEquals(List.of(), Validator.validate(spec, "hosts[3].nam"));
        }
    }
}
