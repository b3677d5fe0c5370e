package io.kubewizard.cli;

/** The exit-code contract (docs/architecture.md, "Conventions"): scripts and CI branch on these. */
public final class ExitCodes {
    private ExitCodes() {}

    public static final int OK = 0;
    /** The run started and failed (a step, a write, an unexpected error). */
    public static final int RUN_FAILED = 1;
    /** The answers file or the command line is wrong; nothing was touched. */
    public static final int INVALID_INPUT = 2;
    /** Refused for safety: a changed host key, an unconfirmed destructive step. */
    public static final int REFUSED = 3;
    /** 128 + SIGINT, as a shell reports a Ctrl-C. */
    public static final int INTERRUPTED = 130;
}
