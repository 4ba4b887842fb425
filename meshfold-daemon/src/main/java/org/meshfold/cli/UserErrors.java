package org.meshfold.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.meshfold.config.ConfigException;
import picocli.CommandLine;

/**
 * Maps exceptions to exit codes: a user error prints one clear line (no stack trace); anything
 * else is a bug and prints the trace.
 */
final class UserErrors implements CommandLine.IExecutionExceptionHandler {
    @Override
    public int handleExecutionException(Exception e, CommandLine cl, CommandLine.ParseResult parsed) {
        if (e instanceof ConfigException || e instanceof IllegalArgumentException) {
            cl.getErr().println("meshfold: " + e.getMessage());
            return ExitCodes.INVALID_INPUT;
        }
        if (e instanceof IOException || e instanceof UncheckedIOException) {
            cl.getErr().println("meshfold: " + e.getMessage());
            return ExitCodes.ENVIRONMENT;
        }
        if (e instanceof HomeLockedException) {
            cl.getErr().println("meshfold: " + e.getMessage());
            return ExitCodes.ALREADY_RUNNING;
        }
        cl.getErr().println("meshfold: internal error: " + e);
        e.printStackTrace(cl.getErr());
        return ExitCodes.INTERNAL;
    }
}
