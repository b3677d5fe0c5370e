package io.kubewizard.tui;

import io.kubewizard.answers.Spec.ClusterSpec;
import io.kubewizard.answers.Spec.Host;
import io.kubewizard.run.HostCheck;
import io.kubewizard.run.TransportFactory;

/**
 * The Hosts page's Test connection: one host reached as an install would reach it. The wizard only
 * shows the report; connecting is the engine's (cli wires the real transport in).
 */
public interface ConnectionTester {
    /**
     * Connects and gathers the host's facts; blocks, so the wizard calls it off its GUI thread.
     * Questions (passwords, an unknown host key) come through {@code prompter}.
     */
    HostCheck.Report test(ClusterSpec spec, Host host, TransportFactory.Prompter prompter) throws InterruptedException;
}
