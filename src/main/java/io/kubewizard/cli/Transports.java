package io.kubewizard.cli;

import io.kubewizard.answers.Spec.ClusterSpec;
import io.kubewizard.run.TransportFactory;

/**
 * Where commands get their connections. The real one opens SSH connections (the ssh package,
 * joined to this build when it is merged); tests hand in recording fakes.
 */
@FunctionalInterface
interface Transports {
    /**
     * @param acceptNewHostKeys record unknown host keys without asking (a changed key is refused regardless)
     * @param prompter          asks for passwords, passphrases and host-key confirmations
     */
    TransportFactory open(ClusterSpec spec, boolean acceptNewHostKeys, TransportFactory.Prompter prompter)
            throws CliException;

    /** Replaced by io.kubewizard.ssh.SshTransportFactory when the ssh package joins the build. */
    Transports SSH = (spec, acceptNewHostKeys, prompter) -> {
        throw new CliException(ExitCodes.RUN_FAILED, "this build of kubewizard has no SSH transport yet");
    };
}
