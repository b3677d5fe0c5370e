package io.kubewizard.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** {@code kubewizard user add|list}: people's access to an installed cluster by client certificates. */
@Command(name = "user", header = "Give people access to the cluster", mixinStandardHelpOptions = true, subcommands = {UserAddCommand.class, UserListCommand.class},
        description = "Give people access to the cluster: 'user add' issues a kubeconfig with a client certificate signed "
        + "by the cluster CA and binds a role to it; 'user list' shows the users issued.")
final class UserCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return ExitCodes.OK;
    }
}
