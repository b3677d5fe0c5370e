package io.kubewizard.cli;

import io.kubewizard.answers.AnswersLoader;
import io.kubewizard.run.Users;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "list", header = "List the users issued for the cluster", mixinStandardHelpOptions = true,
        description = "List the users 'user add' issued for the cluster (from <run dir>/users.ndjson): name, groups, "
        + "binding, expiry, who signed. Connects to nothing.")
final class UserListCommand implements Callable<Integer> {
    @Mixin AnswersOption answers;
    @Mixin RunDirOption state;
    @Spec CommandSpec spec;

    @Override
    public Integer call() throws CliException, IOException {
        AnswersLoader.Result result = answers.loadValid(spec);
        if (result == null) return ExitCodes.INVALID_INPUT;
        List<Users.Issued> users = Users.list(state.of(result.spec()).path());
        PrintWriter out = spec.commandLine().getOut();
        if (users.isEmpty()) {
            out.println("No users were added to cluster '" + result.spec().cluster().name() + "' (kubewizard user add adds one).");
            return ExitCodes.OK;
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"NAME", "GROUPS", "BINDING", "EXPIRES", "SIGNED BY"});
        for (Users.Issued u : users) {
            rows.add(new String[] {u.name(), String.join(",", u.groups()), u.binding().isEmpty() ? "-" : u.binding(),
                    u.notAfter().toString(), u.pki()});
        }
        int[] widths = new int[rows.get(0).length];
        for (String[] r : rows) for (int i = 0; i < r.length; i++) widths[i] = Math.max(widths[i], r[i].length());
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < r.length; i++) {
                line.append(r[i]);
                if (i < r.length - 1) line.append(" ".repeat(widths[i] - r[i].length() + 2));
            }
            out.println(line);
        }
        return ExitCodes.OK;
    }
}
