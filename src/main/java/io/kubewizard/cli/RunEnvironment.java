package io.kubewizard.cli;

import io.kubewizard.console.Console;
import io.kubewizard.run.Executor;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Clock;

/**
 * What the commands that run plans reach outside the process through: connections, the
 * terminal, the clock and waiting. One field per command holds it; tests put fakes there.
 */
record RunEnvironment(Transports transports, ConsoleOpener consoles, Clock clock, Executor.Sleeper sleeper) {

    interface ConsoleOpener {
        Console open(boolean plain, PrintWriter out) throws IOException;
    }

    static RunEnvironment system() {
        return new RunEnvironment(Transports.SSH, Console::system, Clock.systemUTC(), Executor.Sleeper.SYSTEM);
    }
}
