package io.kubewizard.render;

import io.kubewizard.answers.Spec.ClusterSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.kubewizard.render.Yaml.map;

/**
 * The short-lived objects {@code verify} proves the cluster with (plan/VerifyCluster): a namespace
 * under the cluster's Pod Security enforce level, one {@code agnhost netexec} pod pinned to each
 * node (tolerating every taint, so control planes get one too), a ClusterIP Service and a NodePort
 * Service over them; and a privileged pod that Pod Security admission must refuse in that namespace,
 * tried as a server-side dry run only. The image comes from the cluster's image repository (kubeadm's
 * {@code imageRepository}, or the registry.k8s.io mirror: render/Images#repository), so a cluster that pulls from a mirror is tested with the mirror. The test
 * pods run as restricted asks (non-root, no privilege escalation, every capability dropped, the
 * runtime's seccomp profile): they are admitted under any enforce level.
 */
public final class VerifyManifests {
    private VerifyManifests() {}

    public static final String NAMESPACE = "kubewizard-verify";
    public static final String DIR = "/etc/kubernetes/verify";
    public static final String TEST_PODS = DIR + "/test-pods.yaml";
    public static final String PRIVILEGED_POD = DIR + "/privileged-pod.yaml";
    /** The ClusterIP Service over every test pod, and the NodePort one. */
    public static final String SERVICE = "agnhost";
    public static final String NODE_PORT_SERVICE = "agnhost-nodeport";
    /** Where {@code agnhost netexec} listens in each pod, and the ClusterIP Service's port. */
    public static final int POD_PORT = 8080;
    public static final int SERVICE_PORT = 80;
    public static final String PRIVILEGED_POD_NAME = "kubewizard-privileged";
    /** The e2e test image's path under an image repository, and its tag: the one place it is pinned. */
    public static final String AGNHOST = "e2e-test-images/agnhost:2.53";

    /** The image as the cluster's nodes pull it. */
    public static String image(ClusterSpec spec) {
        return Images.repository(spec) + "/" + AGNHOST;
    }

    /** The test pod on a node. */
    public static String podName(String node) {
        return "agnhost-" + node;
    }

    /** The manifests, written to {@code host} (the lead, where kubectl runs), for the nodes named. */
    public static List<RenderedFile> files(ClusterSpec spec, String host, List<String> nodes) {
        return List.of(RenderedFile.of(host, TEST_PODS, 0644, testPods(spec, nodes)),
                RenderedFile.of(host, PRIVILEGED_POD, 0644, privilegedPod(spec)));
    }

    static String testPods(ClusterSpec spec, List<String> nodes) {
        String level = spec.security().podSecurity().enforce().yaml();
        List<Object> docs = new ArrayList<>();
        docs.add(map("apiVersion", "v1", "kind", "Namespace",
                "metadata", map("name", NAMESPACE, "labels", map(
                        "app.kubernetes.io/managed-by", "kubewizard",
                        "pod-security.kubernetes.io/enforce", level,
                        "pod-security.kubernetes.io/enforce-version", "latest"))));
        for (String node : nodes) docs.add(testPod(spec, node));
        docs.add(service(SERVICE, "ClusterIP"));
        docs.add(service(NODE_PORT_SERVICE, "NodePort"));
        return Yaml.dumpAll(docs);
    }

    private static Map<String, Object> testPod(ClusterSpec spec, String node) {
        return map("apiVersion", "v1", "kind", "Pod",
                "metadata", map("name", podName(node), "namespace", NAMESPACE, "labels", map("app", SERVICE)),
                "spec", map(
                        "nodeName", node,
                        "tolerations", new ArrayList<>(List.of(map("operator", "Exists"))),
                        "securityContext", map("runAsNonRoot", true, "runAsUser", 65534,
                                "seccompProfile", map("type", "RuntimeDefault")),
                        "terminationGracePeriodSeconds", 1,
                        "containers", new ArrayList<>(List.of(map(
                                "name", "agnhost",
                                "image", image(spec),
                                "args", new ArrayList<>(List.of("netexec", "--http-port=" + POD_PORT)),
                                "ports", new ArrayList<>(List.of(map("containerPort", POD_PORT))),
                                "readinessProbe", map("tcpSocket", map("port", POD_PORT)),
                                "securityContext", map("allowPrivilegeEscalation", false,
                                        "capabilities", map("drop", new ArrayList<>(List.of("ALL")))))))));
    }

    private static Map<String, Object> service(String name, String type) {
        return map("apiVersion", "v1", "kind", "Service",
                "metadata", map("name", name, "namespace", NAMESPACE),
                "spec", map("type", type, "selector", map("app", SERVICE),
                        "ports", new ArrayList<>(List.of(map("port", SERVICE_PORT, "targetPort", POD_PORT)))));
    }

    static String privilegedPod(ClusterSpec spec) {
        return Yaml.dump(map("apiVersion", "v1", "kind", "Pod",
                "metadata", map("name", PRIVILEGED_POD_NAME, "namespace", NAMESPACE),
                "spec", map("containers", new ArrayList<>(List.of(map(
                        "name", "c",
                        "image", image(spec),
                        "args", new ArrayList<>(List.of("pause")),
                        "securityContext", map("privileged", true)))))));
    }
}
