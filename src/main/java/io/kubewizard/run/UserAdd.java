package io.kubewizard.run;

import io.kubewizard.answers.Spec.ClusterSpec;
import io.kubewizard.answers.Spec.PkiGeneratedBy;
import io.kubewizard.pki.PkiException;
import io.kubewizard.pki.PkiStore;
import io.kubewizard.pki.UserAccess;
import io.kubewizard.plan.NewUser;
import io.kubewizard.plan.Plan;
import io.kubewizard.plan.Workflow;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

/**
 * What {@code user add} does around its run, the same for the command line and the wizard: before it,
 * with kubewizard's PKI, the certificate issued from the stored CA (kept in memory); the run applies
 * the binding and, with kubeadm's PKI, fetches the kubeconfig kubeadm made (plan/AddUser); after it the
 * kubeconfig written to the person's file (0600, context {@code NAME@<cluster>}), the fetched copy
 * deleted, and the user recorded in {@link Users} without any key.
 */
public final class UserAdd {
    private final ClusterSpec spec;
    private final RunDirectory dir;
    private final NewUser user;
    private final UserAccess.Issued issuedHere;

    private UserAdd(ClusterSpec spec, RunDirectory dir, NewUser user, UserAccess.Issued issuedHere) {
        this.spec = spec;
        this.dir = dir;
        this.user = user;
        this.issuedHere = issuedHere;
    }

    /** Whether kubeadm makes the certificate on the lead (pki.generatedBy: kubeadm) rather than kubewizard here. */
    public static boolean byKubeadm(ClusterSpec spec) { return spec.pki().generatedBy() == PkiGeneratedBy.KUBEADM; }

    /** Ready to run; with kubewizard's PKI the certificate is issued now. */
    public static UserAdd prepare(ClusterSpec spec, RunDirectory dir, NewUser user, Clock clock) throws PkiException {
        UserAccess.Issued issued = byKubeadm(spec) ? null
                : UserAccess.issue(spec, PkiStore.ofRun(dir.path()), user.name(), user.groups(), user.days(), clock);
        return new UserAdd(spec, dir, user, issued);
    }

    public Workflow workflow() { return Workflow.userAdd(user); }

    public NewUser user() { return user; }

    /** The context the written kubeconfig selects. */
    public String context() { return user.name() + "@" + spec.cluster().name(); }

    /**
     * After the run succeeded: the kubeconfig written to {@code output} (0600) and the user recorded.
     *
     * @param plan the plan that ran (its lead holds kubeadm's kubeconfig)
     */
    public Users.Issued finish(Plan plan, Path output) throws IOException, PkiException {
        UserAccess.Issued issued = issuedHere;
        if (issued == null) {
            Path fetched = dir.path().resolve("fetched").resolve(plan.lead())
                    .resolve(user.kubeadmKubeconfig().substring(1));
            try {
                issued = UserAccess.adopt(spec, Files.readString(fetched, StandardCharsets.UTF_8), user.name(), user.groups(), fetched);
            } finally {
                Files.deleteIfExists(fetched);
                // its directory too (named after the user), so nothing of the key's way stays in the run directory
                try (var left = Files.list(fetched.getParent())) {
                    if (left.findAny().isEmpty()) Files.delete(fetched.getParent());
                }
            }
        }
        Kubeconfigs.write(output, issued.kubeconfig());
        Users.Issued record = new Users.Issued(user.name(), user.groups(), user.binding() == null ? "" : user.binding().describe(),
                issued.notBefore(), issued.notAfter(), byKubeadm(spec) ? "kubeadm" : "kubewizard");
        Users.record(dir.path(), record);
        return record;
    }
}
