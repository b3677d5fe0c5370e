package io.kubewizard.cli;

import picocli.CommandLine.Option;

/**
 * {@code --format text|json}, shared by validate, plan, preflight and certs: one option, one spelling,
 * one error for a bad value. Every JSON document is described in docs/json-output.md.
 */
final class FormatOption {
    enum Format { TEXT, JSON }

    /** The name ErrorHandler looks for in the parse result, to answer a failure in JSON too. */
    static final String NAME = "--format";

    @Option(names = NAME, defaultValue = "text", paramLabel = "text|json",
            description = "text for people (default), json for programs (docs/json-output.md).")
    Format format = Format.TEXT;

    boolean json() { return format == Format.JSON; }
}
