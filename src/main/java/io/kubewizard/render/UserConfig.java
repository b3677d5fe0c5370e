package io.kubewizard.render;

import io.kubewizard.answers.Spec.ClusterSpec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The files {@code kubewizard user add} puts on the lead control plane (plan/AddUser). */
public final class UserConfig {
    private UserConfig() {}

    static final String RBAC = "rbac.authorization.k8s.io";

    /**
     * The ClusterConfiguration {@code kubeadm kubeconfig user --config} reads: the cluster's name, its
     * endpoint (the kubeconfig's server), where the CA is, and with v1beta4 the key algorithm.
     */
    public static String kubeadm(ClusterSpec spec) {
        Map<String, Object> c = new LinkedHashMap<>();
        boolean v1beta4 = spec.version().kubeadmApiVersion().endsWith("v1beta4");
        c.put("apiVersion", spec.version().kubeadmApiVersion());
        c.put("kind", "ClusterConfiguration");
        c.put("clusterName", spec.cluster().name());
        c.put("kubernetesVersion", "v" + spec.version());
        String endpoint = spec.cluster().controlPlaneEndpoint();
        if (endpoint != null && !endpoint.isEmpty()) c.put("controlPlaneEndpoint", endpoint);
        c.put("certificatesDir", "/etc/kubernetes/pki");
        if (v1beta4) c.put("encryptionAlgorithm", spec.pki().keyAlgorithm().yaml());
        return Yaml.dump(c);
    }

    /** The user's ClusterRoleBinding, or RoleBinding in its namespace, with the user as its one subject. */
    /**
     * @param roleKind  "ClusterRole" (a ClusterRoleBinding) or "Role" (a RoleBinding in {@code namespace})
     * @param namespace null for a ClusterRoleBinding
     */
    public static String binding(String user, String name, String roleKind, String role, String namespace) {
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("name", name);
        if (namespace != null) meta.put("namespace", namespace);
        meta.put("labels", new LinkedHashMap<>(Map.of("app.kubernetes.io/managed-by", "kubewizard")));
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("apiVersion", RBAC + "/v1");
        doc.put("kind", roleKind + "Binding");
        doc.put("metadata", meta);
        Map<String, Object> roleRef = new LinkedHashMap<>();
        roleRef.put("apiGroup", RBAC);
        roleRef.put("kind", roleKind);
        roleRef.put("name", role);
        doc.put("roleRef", roleRef);
        Map<String, Object> subject = new LinkedHashMap<>();
        subject.put("apiGroup", RBAC);
        subject.put("kind", "User");
        subject.put("name", user);
        doc.put("subjects", new ArrayList<>(List.of(subject)));
        return Yaml.dump(doc);
    }
}
