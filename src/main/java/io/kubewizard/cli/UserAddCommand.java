package io.kubewizard.cli;

import io.kubewizard.answers.Spec.ClusterSpec;
import io.kubewizard.pki.PkiException;
import io.kubewizard.plan.NewUser;
import io.kubewizard.plan.Workflow;
import io.kubewizard.run.Engine;
import io.kubewizard.run.RunDirectory;
import io.kubewizard.run.UserAdd;
import io.kubewizard.run.Users;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code kubewizard user add NAME}: runs as apply does (probe, plan, run, --dry-run) with the
 * user-add workflow (plan/AddUser); run/UserAdd does what comes before and after the run.
 */
@Command(name = "add", header = "Add a user with a client-certificate kubeconfig", mixinStandardHelpOptions = true,
        description = "Add a user: a client certificate (CN the name, O each group, client auth) signed by the cluster "
        + "CA, written with its key into a kubeconfig (0600, context NAME@<cluster>, the cluster's API endpoint), and the "
        + "role bound to the user. With pki.generatedBy: kubewizard it is issued here from the run directory's CA; with "
        + "kubeadm's PKI by kubeadm kubeconfig user on the first control plane, fetched over SFTP and removed there. "
        + "The binding is applied with kubectl on that control plane. The groups system:masters and "
        + "kubeadm:cluster-admins are refused (exit 3) unless --allow-admin-group is given.")
final class UserAddCommand extends ApplyCommand {
    @Parameters(index = "0", paramLabel = "NAME", description = "The user: the certificate's common name.")
    String name;

    @Option(names = "--group", paramLabel = "G", split = ",", required = true,
            description = "A group the user is in (the certificate's O); repeat or separate with commas.")
    List<String> groups = new ArrayList<>();

    @Option(names = "--clusterrole", paramLabel = "ROLE", description = "Bind this ClusterRole to the user, cluster-wide.")
    String clusterRole;

    @Option(names = "--role", paramLabel = "ROLE", description = "Bind this Role to the user in --namespace.")
    String role;

    @Option(names = "--namespace", paramLabel = "NS", description = "With --role: the namespace of the Role and its binding.")
    String namespace;

    @Option(names = "--days", paramLabel = "D", defaultValue = "365", description = "How long the certificate is valid (default 365).")
    int days;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE", description = "Where to write the kubeconfig (0600).")
    Path output;

    @Option(names = "--allow-admin-group", description = "Allow system:masters and kubeadm:cluster-admins: the user can do anything.")
    boolean allowAdminGroup;

    private NewUser user;
    private UserAdd adding;

    @Override
    Workflow workflow() { return adding != null ? adding.workflow() : Workflow.userAdd(user); }

    @Override
    String verb() { return "user add"; }

    @Override
    String question(ClusterSpec cluster) { return null; }

    @Override
    void checkOptions() throws CliException {
        user = UserOptions.user(name, groups, clusterRole, role, namespace, days, allowAdminGroup);
        String outputProblem = UserOptions.outputProblem(output);
        if (outputProblem != null) throw new CliException(ExitCodes.INVALID_INPUT, "-o " + outputProblem);
    }

    @Override
    void checkSpec(ClusterSpec cluster) throws CliException {
        if (dryRun) return;
        try {
            adding = UserAdd.prepare(cluster, state.of(cluster), user, env.clock());
        } catch (PkiException e) {
            throw new CliException(ExitCodes.INVALID_INPUT, e.userMessage(), e);
        }
    }

    @Override
    void succeeded(Engine.Outcome outcome, ClusterSpec cluster, RunDirectory dir, PrintWriter out) throws IOException, CliException {
        Users.Issued issued;
        try {
            issued = adding.finish(outcome.plan(), output);
        } catch (PkiException e) {
            throw new CliException(ExitCodes.RUN_FAILED, e.userMessage(), e);
        }
        out.println(UserOptions.wrote(output, adding.context(), issued));
    }

    /** The user add options checked the same way for the command line and the wizard's dialog. */
    static final class UserOptions {
        private UserOptions() {}

        static NewUser user(String name, List<String> groups, String clusterRole, String role, String namespace, int days,
                            boolean allowAdminGroup) throws CliException {
            String problem = NewUser.nameProblem(name);
            if (problem != null) throw new CliException(ExitCodes.INVALID_INPUT, "NAME " + problem);
            if (groups.isEmpty()) throw new CliException(ExitCodes.INVALID_INPUT, "--group is required: at least one group");
            for (String g : groups) {
                problem = NewUser.groupProblem(g);
                if (problem != null) throw new CliException(ExitCodes.INVALID_INPUT, "--group " + problem);
            }
            if (clusterRole != null && role != null) {
                throw new CliException(ExitCodes.INVALID_INPUT, "--clusterrole and --role exclude each other: bind one role");
            }
            if (role != null && namespace == null) {
                throw new CliException(ExitCodes.INVALID_INPUT, "--role needs --namespace: a Role lives in one namespace");
            }
            if (namespace != null && role == null) {
                throw new CliException(ExitCodes.INVALID_INPUT, "--namespace is for --role only (a ClusterRole is bound cluster-wide)");
            }
            if (clusterRole != null && (problem = NewUser.roleProblem(clusterRole)) != null) {
                throw new CliException(ExitCodes.INVALID_INPUT, "--clusterrole " + problem);
            }
            if (role != null && (problem = NewUser.roleProblem(role)) != null) {
                throw new CliException(ExitCodes.INVALID_INPUT, "--role " + problem);
            }
            if (namespace != null && (problem = NewUser.namespaceProblem(namespace)) != null) {
                throw new CliException(ExitCodes.INVALID_INPUT, "--namespace " + problem);
            }
            problem = NewUser.daysProblem(days);
            if (problem != null) throw new CliException(ExitCodes.INVALID_INPUT, "--days " + problem);
            for (String g : groups) {
                if (NewUser.ADMIN_GROUPS.contains(g) && !allowAdminGroup) {
                    throw new CliException(ExitCodes.REFUSED, "--group " + g + " makes " + name + " an administrator who "
                            + "can do anything in the cluster" + (g.equals("system:masters") ? ", past any RBAC rule and "
                            + "until the certificate expires" : "") + ": refused for safety, and nothing was changed. Add "
                            + "--allow-admin-group if that is meant");
                }
            }
            NewUser.Binding binding = clusterRole != null ? NewUser.Binding.clusterRole(clusterRole)
                    : role != null ? NewUser.Binding.role(role, namespace) : null;
            return new NewUser(name, groups, binding, days);
        }

        /** Why the kubeconfig cannot be written there (before anything is connected to); null when it can. */
        static String outputProblem(Path output) {
            Path abs = output.toAbsolutePath();
            if (Files.exists(abs)) return abs + " exists: kubewizard does not overwrite a kubeconfig, choose another file";
            if (abs.getParent() == null || !Files.isDirectory(abs.getParent())) return abs.getParent() + " is not a directory";
            return null;
        }

        static String wrote(Path output, String context, Users.Issued u) {
            return "Wrote " + output + " (context " + context + "): " + u.name() + " in " + String.join(", ", u.groups())
                    + (u.binding().isEmpty() ? ", no role bound" : ", bound to " + u.binding()) + ", valid until "
                    + u.notAfter() + ".";
        }
    }
}
