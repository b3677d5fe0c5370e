package io.kubewizard.plan;

import io.kubewizard.answers.Spec.Host;
import io.kubewizard.answers.Spec.PkiGeneratedBy;
import io.kubewizard.render.RenderedFile;
import io.kubewizard.render.UserConfig;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code kubewizard user add} on the lead control plane: the user's (Cluster)RoleBinding applied from
 * an uploaded manifest, then, with kubeadm's PKI, the client certificate made there by
 * {@code kubeadm kubeconfig user}. kubeadm prints the kubeconfig, key included, on stdout: it is
 * redirected into a 0600 file in a 0700 directory (never through the log), fetched over SFTP and the
 * directory removed, also after a failure. With kubewizard's PKI the certificate is issued on the jump
 * host (pki/UserAccess) and nothing of it goes to a node.
 */
final class AddUser implements PlanPhase {
    static final StepId BIND = new StepId("user/bind");
    static final StepId ISSUE = new StepId("user/issue");
    static final StepId CLEAN = new StepId("user/clean");
    /** kubeadm's own scratch directory on a control plane (it keeps its upgrade backups there too). */
    static final String TMP = "/etc/kubernetes/tmp/";
    static final String USERS_DIR = "/etc/kubernetes/kubewizard/users/";

    private final NewUser user;

    /** @param user null for the workflow's template (its ids, its refusals): no steps */
    AddUser(NewUser user) { this.user = user; }

    public String id() { return "user"; }

    public String title() { return "Add a user"; }

    /** Where kubeadm's kubeconfig for the user is left on the lead until it is fetched. */
    static String kubeconfigOnNode(String name) { return workDir(name) + "/kubeconfig"; }

    static String workDir(String name) { return TMP + "kubewizard-user-" + name; }

    public void addSteps(Draft d) {
        Host lead = d.lead();
        if (user == null || lead == null) return;
        List<String> before = new ArrayList<>();
        if (user.binding() != null) {
            String manifest = USERS_DIR + user.name() + ".yaml";
            before.add(d.add(BIND, lead, "Bind " + user.binding().describe() + " to " + user.name())
                    .upload(List.of(RenderedFile.of(lead.name(), manifest, 0600, UserConfig.binding(user.name(), user.bindingName(),
                            user.binding().kind(), user.binding().role(), user.binding().namespace()))))
                    .run(Paths.KUBECTL + " apply -f " + Shell.quote(manifest))
                    .key());
        }
        if (d.spec.pki().generatedBy() != PkiGeneratedBy.KUBEADM) return;
        String dir = Shell.quote(workDir(user.name()));
        String config = Shell.quote(workDir(user.name()) + ".yaml");
        StringBuilder kubeadm = new StringBuilder("kubeadm kubeconfig user --config " + config + " --client-name "
                + Shell.quote(user.name()));
        for (String g : user.groups()) kubeadm.append(" --org ").append(Shell.quote(g));
        kubeadm.append(" --validity-period ").append(user.days() * 24).append('h');
        String issue = d.add(ISSUE, lead, "Make " + user.name() + "'s client certificate with kubeadm and fetch it")
                .after(before)
                .upload(List.of(RenderedFile.of(lead.name(), workDir(user.name()) + ".yaml", 0600, UserConfig.kubeadm(d.spec))))
                // the kubeconfig holds the key: made unreadable to others from its first byte, never on stdout
                .run("rm -rf " + dir + " && install -d -m 0700 " + dir,
                        "umask 077 && " + kubeadm + " > " + Shell.quote(kubeconfigOnNode(user.name())))
                .download(kubeconfigOnNode(user.name()))
                .once()
                .key();
        d.add(CLEAN, lead, "Remove the user's kubeconfig and kubeadm's configuration from the node (also after a failure)")
                .after(issue)
                .run("rm -rf " + dir + " " + config)
                .always();
    }
}
