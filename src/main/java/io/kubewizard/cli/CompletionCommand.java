package io.kubewizard.cli;

import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/**
 * {@code kubewizard completion bash|zsh}: the shell completion script, written by picocli's
 * AutoComplete from the same command tree the parser uses, so it completes exactly the commands,
 * options and enum values that exist. The script is a bash one; zsh runs it through bashcompinit
 * (the script loads compinit and bashcompinit itself under zsh), so both shells get the same text.
 * The deb installs it as /usr/share/bash-completion/completions/kubewizard (jpackage/build.sh).
 */
@Command(name = "completion", header = "Print the shell completion script for bash or zsh", mixinStandardHelpOptions = true,
        description = {"Print the shell completion script for bash or zsh (zsh through bashcompinit).",
                "Load it in the running shell with: source <(kubewizard completion bash)",
                "or keep it: kubewizard completion bash > ~/.local/share/bash-completion/completions/kubewizard"})
final class CompletionCommand implements Callable<Integer> {
    enum Shell { bash, zsh }

    @Parameters(paramLabel = "bash|zsh", description = "The shell: bash or zsh.")
    Shell shell;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        // the root's name, not "kubewizard" spelled here: the function and `complete` line follow it
        CommandSpec root = spec.root();
        spec.commandLine().getOut().print(AutoComplete.bash(root.name(), root.commandLine()));
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }
}
