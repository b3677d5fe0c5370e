package io.kubewizard.cli;

import io.kubewizard.answers.AnswersLoader;
import io.kubewizard.answers.Spec.ClusterSpec;
import io.kubewizard.console.Console;
import io.kubewizard.pki.PkiMaterial;
import io.kubewizard.run.Engine;
import io.kubewizard.run.FakeCluster;
import io.kubewizard.run.TransportFactory;
import io.kubewizard.testsupport.Presets;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line run in-process with fake hosts behind the commands that connect, a console
 * of plain lines, a clock that stands still and waits that do not wait.
 */
final class CommandHarness {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-01T10:00:00Z"), ZoneOffset.UTC);

    final ClusterSpec spec;
    final FakeCluster hosts;
    /** How often and with what the transports were asked for: "open acceptNewHostKeys=false". */
    final List<String> opened = new ArrayList<>();
    final List<String> questions = new ArrayList<>();
    boolean interactive;
    boolean answer;

    record Result(int code, String out, String err) {}

    CommandHarness(String preset) {
        spec = AnswersLoader.load(Presets.path(preset)).spec();
        hosts = new FakeCluster(spec, Engine.whole(spec, PkiMaterial.NONE))
                .kubeadmWritesFiles();
    }

    private final TransportFactory.Prompter prompter = new TransportFactory.Prompter() {
        public char[] secret(String question) {
            questions.add(question);
            return null;
        }

        public boolean confirm(String question) {
            questions.add(question);
            return answer;
        }
    };

    RunEnvironment env() {
        Transports transports = new Transports() {
            @Override
            public TransportFactory open(ClusterSpec spec, boolean accept, TransportFactory.Prompter p) {
                return open(spec, accept, p, false);
            }

            @Override
            public TransportFactory open(ClusterSpec spec, boolean accept, TransportFactory.Prompter p, boolean verbose) {
                opened.add("open acceptNewHostKeys=" + accept + (verbose ? " verbose" : ""));
                return hosts.prompter(p);
            }
        };
        return new RunEnvironment(transports, (plain, out) -> Console.lines(out, prompter, interactive), CLOCK, d -> { });
    }

    Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine(new PrintWriter(out, true), new PrintWriter(err, true));
        RunEnvironment env = env();
        ((ApplyCommand) cl.getSubcommands().get("apply").getCommand()).env = env;
        ((PreflightCommand) cl.getSubcommands().get("preflight").getCommand()).env = env;
        ((ResetCommand) cl.getSubcommands().get("reset").getCommand()).env = env;
        ((PlanCommand) cl.getSubcommands().get("plan").getCommand()).env = env;
        ((ApplyCommand) cl.getSubcommands().get("user").getSubcommands().get("add").getCommand()).env = env;
        int code = cl.execute(args);
        return new Result(code, out.toString(), err.toString());
    }
}
