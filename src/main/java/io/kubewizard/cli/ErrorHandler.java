package io.kubewizard.cli;

import io.kubewizard.answers.Suggest;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.PrintWriter;
import java.nio.channels.ClosedByInterruptException;

/**
 * The one place that turns a failure into a line for the user and an exit code. The stack trace
 * is for {@code --verbose} only: the message must stand on its own.
 */
final class ErrorHandler implements IExecutionExceptionHandler, IParameterExceptionHandler {

    @Override
    public int handleExecutionException(Exception ex, CommandLine commandLine, ParseResult parsed) {
        int code = report(ex, commandLine.getErr(), verbose(parsed));
        if (json(parsed)) {
            // a program reading stdout gets a document even when the command could not do its work
            java.util.Map<String, Object> doc = new java.util.LinkedHashMap<>();
            doc.put("error", message(ex, verbose(parsed)));
            doc.put("exitCode", code);
            commandLine.getOut().print(io.kubewizard.plan.PlanJson.pretty(doc));
            commandLine.getOut().flush();
        }
        return code;
    }

    /** Prints the failure's line (and under --verbose its stack trace) to {@code err}; its exit code. */
    static int report(Exception ex, PrintWriter err, boolean verbose) {
        err.println("error: " + message(ex, verbose));
        if (verbose) ex.printStackTrace(err);
        err.flush();
        return code(ex);
    }

    private static int code(Exception ex) {
        if (ex instanceof CliException e) return e.exitCode();
        if (interrupted(ex)) return ExitCodes.INTERRUPTED;
        return ExitCodes.RUN_FAILED;
    }

    private static String message(Exception ex, boolean verbose) {
        if (ex instanceof CliException e) return e.getMessage();
        if (interrupted(ex)) return "interrupted";
        if (ex instanceof IOException e) return IoMessages.describe(e);
        return "internal error: " + ex.getClass().getName() + (ex.getMessage() != null ? ": " + ex.getMessage() : "")
                + (verbose ? "" : " (--verbose shows where)");
    }

    @Override
    public int handleParseException(ParameterException ex, String[] args) {
        CommandLine cl = ex.getCommandLine();
        PrintWriter err = cl.getErr();
        err.println("error: " + message(ex));
        err.println("Try '" + cl.getCommandSpec().qualifiedName() + " --help' for more information.");
        err.flush();
        return ExitCodes.INVALID_INPUT;
    }

    /** An unknown word where a command is expected is named as such, with the closest command. */
    private static String message(ParameterException ex) {
        CommandLine cl = ex.getCommandLine();
        if (ex instanceof UnmatchedArgumentException unmatched && !cl.getSubcommands().isEmpty()
                && !unmatched.getUnmatched().isEmpty() && !unmatched.getUnmatched().get(0).startsWith("-")
                && cl.getParseResult() != null && cl.getParseResult().subcommand() == null) {
            String word = unmatched.getUnmatched().get(0);
            String closest = Suggest.closest(word, cl.getSubcommands().keySet());
            return "unknown command '" + word + "'" + (closest != null ? ", did you mean '" + closest + "'?"
                    : " (commands: " + String.join(", ", cl.getSubcommands().keySet()) + ")");
        }
        return ex.getMessage();
    }

    /** {@code --verbose} was given, on the root or on any command below it. */
    static boolean verbose(ParseResult parsed) {
        for (ParseResult p = parsed; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption("--verbose")) return true;
        }
        return false;
    }

    /** {@code --format json} was asked for: stdout is for a program. */
    private static boolean json(ParseResult parsed) {
        for (ParseResult p = parsed; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption(FormatOption.NAME)
                    && p.matchedOptionValue(FormatOption.NAME, FormatOption.Format.TEXT) == FormatOption.Format.JSON) {
                return true;
            }
        }
        return false;
    }

    private static boolean interrupted(Throwable t) {
        for (; t != null; t = t.getCause()) {
            if (t instanceof InterruptedException || t instanceof InterruptedIOException
                    || t instanceof ClosedByInterruptException) return true;
        }
        return false;
    }
}
