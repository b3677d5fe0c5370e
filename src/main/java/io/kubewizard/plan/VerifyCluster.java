package io.kubewizard.plan;

import io.kubewizard.answers.Spec.Cni;
import io.kubewizard.answers.Spec.Host;
import io.kubewizard.answers.Spec.PodSecurityLevel;
import io.kubewizard.answers.Spec.Role;
import io.kubewizard.plan.VerifyCheck.Expect;
import io.kubewizard.render.VerifyManifests;

import java.util.ArrayList;
import java.util.List;

/**
 * The run's definition of done, the last phase of install, scale, upgrade, restore and certificate
 * renewal, and all that {@code verify} runs: every node registered and Ready as the answers file
 * describes it (kubelet version, role, zone, taints), every kube-system pod Ready, every etcd member
 * healthy; then, from a short-lived test pod on every node (render/VerifyManifests), DNS, pod-to-pod
 * traffic to the next node's pod, the ClusterIP Service and the node's NodePort; and Pod Security
 * refusing a privileged pod in a namespace under the cluster's enforce level. The test namespace is
 * deleted by a step that always runs once the test pods were applied, whether the checks passed or
 * not. Each check is a step of its own ({@code verify/dns/worker1}), so the results are the steps'
 * outcomes. Last, the control planes' and etcd hosts' certificates are read for the run's record of
 * the earliest expiry. Asked for, the node conformance test runs on one node (plan/NodeConformance).
 *
 * <p>Without a pod network (cni: none) nodes stay NotReady and no pod can run: only registration is checked.
 */
final class VerifyCluster implements PlanPhase {
    static final StepId NODES = new StepId("verify/nodes");
    static final StepId NODE_STATE = new StepId("verify/node-state");
    static final StepId KUBE_SYSTEM = new StepId("verify/kube-system");
    static final StepId ETCD = new StepId("verify/etcd");
    static final StepId TEST_PODS = new StepId("verify/test-pods");
    static final StepId DNS = new StepId("verify/dns");
    static final StepId POD_NETWORK = new StepId("verify/pod-network");
    static final StepId SERVICE = new StepId("verify/service");
    static final StepId NODE_PORT = new StepId("verify/node-port");
    static final StepId POD_SECURITY = new StepId("verify/pod-security");
    static final StepId CLEANUP = new StepId("verify/cleanup");
    static final StepId CERTIFICATES = new StepId("verify/certificates");

    public String id() { return "verify"; }

    public String title() { return "Verify the cluster"; }

    public void addSteps(Draft d) {
        Host first = d.lead();
        if (first == null) return;
        List<Host> nodeHosts = d.spec.hosts().stream().filter(h -> !h.is(Role.ETCD)).toList();
        List<String> nodes = nodeHosts.stream().map(h -> "node/" + h.name()).toList();
        List<String> joins = new ArrayList<>(d.keys(JoinControlPlanes.JOIN));
        joins.addAll(d.keys(JoinWorkers.JOIN));
        List<String> removals = new ArrayList<>(d.family(RemoveNodes.DELETE));
        removals.addAll(d.family(RemoveNodes.ETCD_MEMBER));
        joins.addAll(removals);
        boolean network = d.spec.network().cni() != Cni.NONE;
        String registered;
        if (!network) {
            // Without a pod network nodes stay NotReady until the user installs one.
            registered = d.add(NODES, first, "Check that every node registered (no CNI: they stay NotReady)")
                    .after(joins).run(Paths.KUBECTL + " get " + String.join(" ", nodes)).key();
        } else {
            registered = d.add(NODES, first, "Wait until every node is Ready")
                    .after(joins)
                    .run(Paths.KUBECTL + " wait --for=condition=Ready --timeout=600s " + String.join(" ", nodes)).key();
        }
        d.add(NODE_STATE, first, "Check every node's kubelet version, role, zone and taints")
                .reads(new NodeState(nodeHosts.stream().map(h -> expected(d, h)).toList(), network))
                .judge(Judge.READ_PROBLEMS);
        List<Host> etcd = d.spec.etcdHosts();
        d.add(ETCD, etcd.isEmpty() ? first : etcd.get(0), "Check that every etcd member is healthy")
                .after(removals)
                .run(Etcdctl.health(d.spec.runtime().type()));
        if (network) {
            d.add(KUBE_SYSTEM, first, "Check that every kube-system pod is Ready").reads(new KubeSystemPods())
                    .judge(Judge.READ_PROBLEMS);
            testPods(d, first, nodeHosts);
        }
        // Only when asked (verify --node-conformance NODE): the node conformance test on that node.
        NodeConformance.addSteps(d, registered);
        // The certificates of the control planes and etcd hosts, for the run directory's record of the
        // earliest expiry (run/ExpiryRecord), which later runs warn about.
        for (Host h : d.spec.hosts()) {
            if (!h.is(Role.CONTROL_PLANE) && !h.is(Role.ETCD)) continue;
            d.add(CERTIFICATES, h, "Read the certificates: the run records the earliest expiry").reads(new NodeCertificates());
        }
    }

    /**
     * The test pods, the checks made from them, and the namespace deleted after, however they went.
     * The checks are independent of one another: they run side by side on the lead (within the
     * executor's concurrency and the connection's commands per host), each its own step, a failed one
     * stopping none of the others, so a run reports every check; the clean-up runs after all of them.
     */
    private static void testPods(Draft d, Host lead, List<Host> nodeHosts) {
        String ns = " -n " + VerifyManifests.NAMESPACE + " ";
        String kubectl = Paths.KUBECTL;
        String applied = d.add(TEST_PODS, lead, "Start a test pod on every node, and Services over them")
                .upload(VerifyManifests.files(d.spec, lead.name(), nodeHosts.stream().map(Host::name).toList()))
                .run(kubectl + " apply -f " + VerifyManifests.TEST_PODS,
                        kubectl + " wait --for=condition=Ready --timeout=300s" + ns + "pod --all")
                .key();
        List<String> checks = new ArrayList<>();
        for (int i = 0; i < nodeHosts.size(); i++) {
            Host h = nodeHosts.get(i);
            Host next = nodeHosts.get((i + 1) % nodeHosts.size());
            String exec = kubectl + " exec" + ns + VerifyManifests.podName(h.name()) + " -- ";
            checks.add(check(d, lead, DNS, h, "Resolve kubernetes.default from the test pod on " + h.name(),
                    exec + "nslookup kubernetes.default", "kubernetes.default does not resolve"));
            checks.add(check(d, lead, POD_NETWORK, h, "Reach the test pod on " + next.name() + " from the one on " + h.name(),
                    "ip=$(" + kubectl + " get pod" + ns + VerifyManifests.podName(next.name())
                            + " -o jsonpath='{.status.podIP}') && test -n \"$ip\" && " + exec + "/agnhost connect --timeout=5s "
                            + "\"$ip:" + VerifyManifests.POD_PORT + "\"",
                    "the test pod on " + next.name() + " does not answer on its pod IP"));
            checks.add(check(d, lead, SERVICE, h, "Reach the ClusterIP Service from the test pod on " + h.name(),
                    "ip=$(" + kubectl + " get service" + ns + VerifyManifests.SERVICE + " -o jsonpath='{.spec.clusterIP}') && "
                            + "test -n \"$ip\" && " + exec + "/agnhost connect --timeout=5s \"$ip:" + VerifyManifests.SERVICE_PORT + "\"",
                    "the ClusterIP Service does not answer"));
            checks.add(check(d, lead, NODE_PORT, h, "Reach the NodePort on " + h.name() + "'s address",
                    "port=$(" + kubectl + " get service" + ns + VerifyManifests.NODE_PORT_SERVICE
                            + " -o jsonpath='{.spec.ports[0].nodePort}') && test -n \"$port\" && " + exec
                            + "/agnhost connect --timeout=5s \"" + hostPort(h.internalAddress()) + ":$port\"",
                    "the NodePort does not answer on " + h.internalAddress()));
        }
        PodSecurityLevel level = d.spec.security().podSecurity().enforce();
        if (level != PodSecurityLevel.PRIVILEGED) {
            VerifyCheck refused = new VerifyCheck("pod-security", VerifyCheck.CLUSTER, kubectl + " apply --dry-run=server -f "
                    + VerifyManifests.PRIVILEGED_POD, "a privileged pod was not refused under enforce=" + level.yaml(),
                    Expect.REFUSED_BY_POD_SECURITY);
            checks.add(d.add(POD_SECURITY, lead, "Check that a privileged pod is refused (server dry run, enforce="
                    + level.yaml() + ")").reads(refused).judge(Judge.READ_PROBLEMS).alongside().key());
        }
        List<String> after = new ArrayList<>();
        after.add(applied);
        after.addAll(checks);
        d.add(CLEANUP, lead, "Delete the test namespace")
                .always().after(after)
                .run(kubectl + " delete namespace " + VerifyManifests.NAMESPACE + " --ignore-not-found --timeout=300s");
    }

    private static String check(Draft d, Host lead, StepId id, Host node, String title, String command, String expectation) {
        VerifyCheck c = new VerifyCheck(id.value().substring("verify/".length()), node.name(), command, expectation, Expect.SUCCEEDS);
        return d.add(id, node.name(), lead, title).reads(c).judge(Judge.READ_PROBLEMS).alongside().key();
    }

    private static String hostPort(String address) {
        return address.contains(":") ? "[" + address + "]" : address;
    }

    /** What the Node of a host should look like, as render/KubeadmConfig registers it. */
    private static NodeState.Expected expected(Draft d, Host h) {
        List<String> taints = new ArrayList<>();
        for (String t : h.taints()) taints.add(normalTaint(t));
        if (h.is(Role.CONTROL_PLANE) && !h.is(Role.WORKER)) taints.add(0, NodeState.CONTROL_PLANE_LABEL + ":NoSchedule");
        return new NodeState.Expected(h.name(), "v" + d.spec.version(), h.is(Role.CONTROL_PLANE), h.zone(), taints);
    }

    /** "key=:Effect" is "key:Effect": an empty value is no value. */
    private static String normalTaint(String t) {
        int colon = t.lastIndexOf(':');
        String keyValue = t.substring(0, colon);
        if (keyValue.endsWith("=")) keyValue = keyValue.substring(0, keyValue.length() - 1);
        return keyValue + t.substring(colon);
    }
}
