package dev.bee.cli;

import dev.bee.core.BeeException;
import dev.bee.core.ErrorKind;
import picocli.CommandLine;

import java.io.PrintWriter;

/**
 * The one place user-facing errors are printed: a one-line message and a hint, with the stack trace
 * only under {@code -v}. Maps {@link ErrorKind}s to the documented exit codes.
 */
final class ErrorHandler implements CommandLine.IExecutionExceptionHandler, CommandLine.IParameterExceptionHandler {

    @Override
    public int handleExecutionException(Exception ex, CommandLine cl, CommandLine.ParseResult parsed) {
        PrintWriter err = cl.getErr();
        boolean verbose = isVerbose(parsed);
        if (ex instanceof BeeException be) {
            err.println("bee: error: " + be.getMessage());
            if (be.hint() != null) {
                err.println("hint: " + be.hint());
            }
            if (verbose) {
                be.printStackTrace(err);
            }
            err.flush();
            return be.kind().exitCode();
        }
        err.println("bee: internal error: " + ex);
        if (verbose) {
            ex.printStackTrace(err);
        } else {
            err.println("hint: run again with -v for the stack trace, and report it as a bug");
        }
        err.flush();
        return ErrorKind.INTERNAL.exitCode();
    }

    @Override
    public int handleParseException(CommandLine.ParameterException ex, String[] args) {
        CommandLine cl = ex.getCommandLine();
        PrintWriter err = cl.getErr();
        String where = cl.getCommandSpec().qualifiedName();
        if (ex instanceof CommandLine.UnmatchedArgumentException u && !u.getSuggestions().isEmpty()
                && !u.getUnmatched().isEmpty()) {
            String first = u.getUnmatched().get(0);
            err.println("bee: error: unknown " + (first.startsWith("-") ? "option" : "command") + " '" + first + "'");
            err.println("hint: did you mean " + String.join(" or ", u.getSuggestions().stream()
                    .map(x -> "'" + where + " " + x + "'").toList()) + "? See '" + where + " --help'");
        } else {
            err.println("bee: error: " + ex.getMessage());
            err.println("hint: see '" + where + " --help'");
        }
        err.flush();
        return ErrorKind.USAGE.exitCode();
    }

    private static boolean isVerbose(CommandLine.ParseResult parsed) {
        for (CommandLine.ParseResult p = parsed; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption("-v")) {
                return true;
            }
        }
        return false;
    }
}
