package io.kubewizard.cli;

import io.kubewizard.answers.Spec.ClusterSpec;
import io.kubewizard.run.TransportFactory;
import io.kubewizard.ssh.SshOptions;
import io.kubewizard.ssh.SshTransportFactory;

/**
 * Where commands get their connections. The real one opens SSH connections through the ssh
 * package (MINA SSHD); tests hand in recording fakes.
 */
@FunctionalInterface
interface Transports {
    /**
     * @param acceptNewHostKeys record unknown host keys without asking (a changed key is refused regardless)
     * @param prompter          asks for passwords, passphrases and host-key confirmations
     */
    TransportFactory open(ClusterSpec spec, boolean acceptNewHostKeys, TransportFactory.Prompter prompter)
            throws CliException;

    /** As {@link #open(ClusterSpec, boolean, TransportFactory.Prompter)}; {@code verbose}: the SSH library's debug log into each host's log. */
    default TransportFactory open(ClusterSpec spec, boolean acceptNewHostKeys, TransportFactory.Prompter prompter,
                                  boolean verbose) throws CliException {
        return open(spec, acceptNewHostKeys, prompter);
    }

    /** SSH to every host, with the answers' ssh settings merged with ~/.ssh/config. */
    Transports SSH = ssh(SshOptions.defaults());

    /** SSH with these options (a home of its own, in tests), the flag deciding about new host keys. */
    static Transports ssh(SshOptions options) {
        return new Transports() {
            @Override
            public TransportFactory open(ClusterSpec spec, boolean acceptNewHostKeys, TransportFactory.Prompter prompter) {
                return new SshTransportFactory(options.withAcceptNewHostKeys(acceptNewHostKeys), prompter);
            }

            @Override
            public TransportFactory open(ClusterSpec spec, boolean acceptNewHostKeys, TransportFactory.Prompter prompter,
                                         boolean verbose) {
                return new SshTransportFactory(options.withAcceptNewHostKeys(acceptNewHostKeys)
                        .withVerbose(options.verbose() || verbose), prompter);
            }
        };
    }
}
