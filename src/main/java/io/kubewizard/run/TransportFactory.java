package io.kubewizard.run;

import io.kubewizard.answers.Spec.ClusterSpec;
import io.kubewizard.answers.Spec.Host;

/**
 * Opens a host's {@link Transport}. The ssh package provides the real one; tests provide fakes.
 * Implementations ask for passwords and passphrases through {@link Prompter}, never from the answers.
 */
public interface TransportFactory {
    Transport connect(ClusterSpec spec, Host host) throws TransportException, InterruptedException;

    /**
     * As {@link #connect(ClusterSpec, Host)}, with somewhere for the connection's own diagnostics to go
     * (the SSH library's debug log under {@code --verbose}): the run's per-host log. A transport with
     * nothing to say ignores it.
     */
    default Transport connect(ClusterSpec spec, Host host, Diagnostics diagnostics)
            throws TransportException, InterruptedException {
        return connect(spec, host);
    }

    /** Lines about a host's connection, unmasked: the receiver masks them like every other log line. */
    @FunctionalInterface
    interface Diagnostics {
        Diagnostics NONE = (host, line) -> { };

        void line(String host, String line);
    }

    /** Questions a connection may need answered by a person (TUI dialog or console prompt). */
    interface Prompter {
        /** A secret (password, passphrase, sudo password); null when the user declines. Never logged. */
        char[] secret(String question);

        /** A yes/no question such as confirming an unknown host key; false when nobody can answer. */
        boolean confirm(String question);

        /** A secret asked by code; a prompter that words questions in its own language overrides this. */
        default char[] secret(Question question) { return secret(question.english()); }

        /** A yes/no question asked by code; a prompter that words questions in its own language overrides this. */
        default boolean confirm(Question question) { return confirm(question.english()); }

        Prompter NON_INTERACTIVE = new Prompter() {
            public char[] secret(String question) { return null; }

            public boolean confirm(String question) { return false; }
        };
    }
}
