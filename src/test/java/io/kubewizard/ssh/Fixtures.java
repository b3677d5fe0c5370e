package io.kubewizard.ssh;

import io.kubewizard.answers.AnswersLoader;
import io.kubewizard.answers.Spec.Become;
import io.kubewizard.answers.Spec.ClusterSpec;
import io.kubewizard.answers.Spec.Host;
import io.kubewizard.answers.Spec.Role;
import io.kubewizard.answers.Spec.Ssh;
import io.kubewizard.run.TransportFactory.Prompter;
import io.kubewizard.testsupport.Presets;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/** Specs, options and a scripted person for the ssh tests. */
final class Fixtures {
    private Fixtures() {}

    static ClusterSpec spec(Ssh top, Host... hosts) {
        ClusterSpec base = AnswersLoader.parse("single-node.yaml", Presets.text("single-node")).spec();
        return new ClusterSpec(base.cluster(), base.network(), base.runtime(), base.pki(), base.security(),
                base.components(), top, List.of(hosts));
    }

    static Host host(String name, String address, Ssh own) {
        return new Host(name, address, address, List.of(Role.CONTROL_PLANE), "", Map.of(), List.of(), own);
    }

    /** Top-level ssh settings for a test server: the given user and port, known_hosts and key in the test's home. */
    static Ssh ssh(String user, int port, Path home, String identityFile) {
        return new Ssh(user, port, identityFile, false, "", home.resolve("known_hosts").toString(), Become.SUDO);
    }

    static SshOptions options(Path home) {
        return SshOptions.defaults().withHome(home).withAgentSocket(null)
                .withTimeouts(Duration.ofSeconds(10), Duration.ofSeconds(20), Duration.ofSeconds(20));
    }

    /** Answers questions from a script and records every question; an unscripted question gets null / false. */
    static final class ScriptedPrompter implements Prompter {
        final List<String> secretQuestions = new ArrayList<>();
        final List<String> confirmQuestions = new ArrayList<>();
        private final Deque<String> secrets = new ArrayDeque<>();
        private final Deque<Boolean> confirms = new ArrayDeque<>();

        ScriptedPrompter secrets(String... answers) {
            secrets.addAll(List.of(answers));
            return this;
        }

        ScriptedPrompter confirms(Boolean... answers) {
            confirms.addAll(List.of(answers));
            return this;
        }

        @Override
        public synchronized char[] secret(String question) {
            secretQuestions.add(question);
            String s = secrets.poll();
            return s == null ? null : s.toCharArray();
        }

        @Override
        public synchronized boolean confirm(String question) {
            confirmQuestions.add(question);
            Boolean b = confirms.poll();
            return b != null && b;
        }
    }
}
