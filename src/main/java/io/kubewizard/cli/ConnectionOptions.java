package io.kubewizard.cli;

import io.kubewizard.answers.Spec.ClusterSpec;
import io.kubewizard.console.Console;
import io.kubewizard.run.Engine;
import io.kubewizard.run.Event;
import io.kubewizard.run.Executor;
import io.kubewizard.run.Masker;
import io.kubewizard.run.TransportFactory;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

import java.util.ArrayList;
import java.util.List;

/** The options of every command that connects to the hosts, and the engine they configure. */
final class ConnectionOptions {
    @Option(names = "--concurrency", paramLabel = "N", defaultValue = "" + Executor.DEFAULT_CONCURRENCY,
            description = "At most N steps at once, each on its own host (default ${DEFAULT-VALUE}). New SSH handshakes "
                    + "are bounded apart from this: at most 10 at once, because sshd's default MaxStartups refuses "
                    + "unauthenticated connections beyond 10, and those through one bastion 100 ms apart.")
    int concurrency;

    @Option(names = "--accept-new-host-keys",
            description = "Record host keys not yet in known_hosts without asking. A changed key is refused regardless.")
    boolean acceptNewHostKeys;

    @Option(names = "--plain", description = "One line per change instead of live progress (for CI and logs).")
    boolean plain;

    /** The engine over these options, reporting to the console and any further listeners. */
    Engine engine(CommandSpec command, RunEnvironment env, ClusterSpec spec, Console console, Masker masker,
                  List<Event.Listener> more) throws CliException {
        if (concurrency < 1) {
            throw new ParameterException(command.commandLine(), "--concurrency must be at least 1, not " + concurrency);
        }
        TransportFactory.Prompter prompter = masker.watching(console.prompter());
        TransportFactory transports = env.transports().open(spec, acceptNewHostKeys, prompter,
                ErrorHandler.verbose(command.root().commandLine().getParseResult()));
        List<Event.Listener> listeners = new ArrayList<>();
        listeners.add(console.progress());
        listeners.addAll(more);
        return new Engine(transports, masker, listeners, env.clock(), env.sleeper(), Executor.Options.defaults(concurrency));
    }

    /** A run refused before it started: the lock is a safety refusal (3), the rest are input problems (2): a resume of
     * another file, a jump-host file changed since the plan. */
    static CliException refused(Engine.RefusedException e) {
        int code = switch (e.refusal()) {
            case LOCKED, UNSAFE, NOT_CONFIRMED -> ExitCodes.REFUSED;
            case NOTHING_TO_RESUME, ANSWERS_CHANGED, FILES_CHANGED -> ExitCodes.INVALID_INPUT;
        };
        return new CliException(code, e.getMessage(), e);
    }

    /** 0 when every step succeeded, 3 when a host was refused for safety (changed host key), else 1. */
    static int exitCode(Executor.Result result) {
        if (result.ok()) return ExitCodes.OK;
        return result.refused() ? ExitCodes.REFUSED : ExitCodes.RUN_FAILED;
    }
}
