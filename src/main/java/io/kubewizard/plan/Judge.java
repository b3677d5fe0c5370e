package io.kubewizard.plan;

/**
 * A check the jump host makes over what steps learnt, declared on the step that needs it. The
 * executor holds one implementation for each (they read the run's facts); the plan only names them.
 */
public enum Judge {
    /** One host's facts against what its roles need (CPUs, memory, programs, ports, swap). */
    HOST_PREFLIGHT,
    /** Every host's facts together: hostnames, MAC addresses and product_uuids unique. */
    ACROSS_HOSTS_PREFLIGHT,
    /**
     * The step's {@link Reading} gave a list of problems, or {@link Reading.Findings} with problems:
     * any problem fails the step, naming them all.
     */
    READ_PROBLEMS
}
