package io.kubewizard.plan;

import java.util.List;

/**
 * What {@code kubewizard user add} is asked for: a person who authenticates with a client certificate
 * (CN {@code name}, O each group) and, optionally, the role bound to them.
 *
 * @param binding the (Cluster)RoleBinding to apply for the user; null for none (their groups may be bound already)
 * @param days    the certificate's validity
 */
public record NewUser(String name, List<String> groups, Binding binding, int days) {
    public NewUser {
        groups = List.copyOf(groups);
    }

    /**
     * A ClusterRole bound cluster-wide ({@code namespace} null), or a Role bound in one namespace.
     */
    public record Binding(String kind, String role, String namespace) {
        public static Binding clusterRole(String role) { return new Binding("ClusterRole", role, null); }

        public static Binding role(String role, String namespace) { return new Binding("Role", role, namespace); }

        /** The object applied: a ClusterRoleBinding or a RoleBinding. */
        public String bindingKind() { return kind + "Binding"; }

        /** How people read it: "clusterrole view", "role edit in team-a". */
        public String describe() {
            return kind.toLowerCase(java.util.Locale.ROOT) + " " + role + (namespace == null ? "" : " in " + namespace);
        }
    }

    /** The groups whose members may do anything: refused unless asked for ({@code --allow-admin-group}). */
    public static final List<String> ADMIN_GROUPS = List.of("system:masters", "kubeadm:cluster-admins");
    /** What a certificate's validity may be: a day to the ten years of the cluster CA. */
    public static final int MAX_DAYS = 3650;

    private static final java.util.regex.Pattern NAME = java.util.regex.Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@+-]{0,127}");
    private static final java.util.regex.Pattern GROUP = java.util.regex.Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@+:-]{0,127}");
    private static final java.util.regex.Pattern ROLE = java.util.regex.Pattern.compile("[a-z0-9]([a-z0-9.:-]{0,251}[a-z0-9])?");
    private static final java.util.regex.Pattern NAMESPACE = java.util.regex.Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

    /** Why this user name cannot be used (it is a certificate's CN, a file name and an RBAC subject); null when it can. */
    public static String nameProblem(String name) {
        if (name == null || name.isEmpty()) return "is empty";
        if (!NAME.matcher(name).matches()) return "'" + name + "' is not a user name: letters, digits and . _ @ + -, "
                + "starting with a letter or digit, at most 128 (a name with ':' such as system:... is Kubernetes' own)";
        return null;
    }

    /** Why this group cannot be used; null when it can. An admin group is allowed here: see {@link #ADMIN_GROUPS}. */
    public static String groupProblem(String group) {
        if (group == null || group.isEmpty()) return "is empty";
        if (!GROUP.matcher(group).matches()) return "'" + group + "' is not a group: letters, digits and . _ @ + : -, "
                + "starting with a letter or digit, at most 128";
        return null;
    }

    /** Why this (Cluster)Role name cannot be used; null when it can. */
    public static String roleProblem(String role) {
        if (role == null || role.isEmpty()) return "is empty";
        if (!ROLE.matcher(role).matches()) return "'" + role + "' is not a role name: lower-case letters, digits and . : -";
        return null;
    }

    /** Why this namespace cannot be used; null when it can. */
    public static String namespaceProblem(String namespace) {
        if (namespace == null || namespace.isEmpty()) return "is empty";
        if (!NAMESPACE.matcher(namespace).matches()) return "'" + namespace + "' is not a namespace: lower-case letters, "
                + "digits and -, at most 63";
        return null;
    }

    /** Why this validity cannot be used; null when it can. */
    public static String daysProblem(int days) {
        if (days < 1 || days > MAX_DAYS) return days + " is not between 1 and " + MAX_DAYS + " (the cluster CA's ten years)";
        return null;
    }

    /** With kubeadm's PKI: where the lead holds the kubeconfig kubeadm made until it is fetched (and removed). */
    public String kubeadmKubeconfig() { return AddUser.kubeconfigOnNode(name); }

    /** The binding's object name: one per user and role, since a binding's roleRef cannot change. */
    public String bindingName() { return "kubewizard:user:" + name + ":" + binding.role(); }
}
