package io.kubewizard.cli;

import io.kubewizard.testsupport.SystemDeps;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code kubewizard completion bash|zsh}: picocli's script of the real command tree, and that bash loads it. */
class CompletionCommandTest {
    @TempDir Path tmp;

    private static final String COMPLETE_LINE =
            "complete -F _complete_kubewizard -o default kubewizard kubewizard.sh kubewizard.bash\n";

    @Test
    void bashPrintsTheScriptOfEveryCommand() {
        Run r = Run.of("completion", "bash");
        assertEquals(0, r.code());
        assertEquals("", r.err());
        assertTrue(r.out().startsWith("#!/usr/bin/env bash\n#\n# kubewizard Bash Completion\n"), r.out());
        assertTrue(r.out().endsWith(COMPLETE_LINE), r.out());
        // the top-level commands are the parser's, in its order
        String commands = String.join(" ", Main.commandLine(new PrintWriter(Writer.nullWriter()), new PrintWriter(Writer.nullWriter())).getSubcommands().keySet());
        assertTrue(r.out().contains("\n  local commands=\"" + commands + "\"\n"), r.out());
        assertTrue(commands.contains(" completion "), commands);
        // subcommands of subcommands get their own function: certs renew, user add
        assertTrue(r.out().contains("\nfunction _picocli_kubewizard_certs_renew() {\n"), r.out());
        assertTrue(r.out().contains("\nfunction _picocli_kubewizard_user_add() {\n"), r.out());
    }

    @Test
    void zshGetsTheSameScriptWhichLoadsBashcompinitItself() {
        Run zsh = Run.of("completion", "zsh");
        assertEquals(new Run(0, Run.of("completion", "bash").out(), ""), zsh);
        assertTrue(zsh.out().contains("\n  autoload -U +X bashcompinit && bashcompinit\n"), zsh.out());
    }

    @Test
    void anotherShellOrNoneIsInvalidInput() {
        assertEquals(new Run(2, "", "error: Invalid value for positional parameter at index 0 (bash|zsh): expected one of "
                + "[bash, zsh] (case-insensitive) but was 'fish'\nTry 'kubewizard completion --help' for more information.\n"),
                Run.of("completion", "fish"));
        assertEquals(new Run(2, "", "error: Missing required parameter: 'bash|zsh'\n"
                + "Try 'kubewizard completion --help' for more information.\n"), Run.of("completion"));
    }

    /**
     * bash loads the script: `complete -p` names its function, and asking that function as bash's
     * completion does (COMP_WORDS, COMP_CWORD) completes "ap" to apply, "apply --dr" to --dry-run
     * and "completion " to the two shells.
     */
    @Test
    @Tag("system")
    void bashLoadsTheScriptAndCompletesCommandsOptionsAndShells() throws Exception {
        String bash = SystemDeps.require("bash", "bash").toString();
        Path script = Files.writeString(tmp.resolve("kubewizard.bash"), Run.of("completion", "bash").out());
        String program = "source " + script + " && complete -p kubewizard && "
                + "ask() { COMP_WORDS=(\"$@\"); COMP_CWORD=$(($# - 1)); COMP_LINE=\"$*\"; COMP_POINT=${#COMP_LINE}; "
                + "COMPREPLY=(); _complete_kubewizard 2>/dev/null; echo \"$*: ${COMPREPLY[*]}\"; }; "
                + "ask kubewizard ap; ask kubewizard apply --dr; ask kubewizard completion ''; ask kubewizard certs re; "
                + "ask kubewizard user a";
        SystemDeps.Result r = SystemDeps.run(Duration.ofSeconds(30), bash, "--norc", "-c", program);
        assertEquals(0, r.exitCode(), r.output());
        assertEquals(List.of("complete -o default -F _complete_kubewizard kubewizard",
                "kubewizard ap: apply",
                "kubewizard apply --dr: --dry-run",
                "kubewizard completion : bash zsh",
                "kubewizard certs re: renew",
                "kubewizard user a: add"), r.output().lines().toList());
    }
}
