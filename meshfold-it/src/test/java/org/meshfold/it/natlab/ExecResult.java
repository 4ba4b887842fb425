package org.meshfold.it.natlab;

import java.util.List;

/** The outcome of one command run to completion inside a lab namespace (stdout and stderr merged). */
public record ExecResult(List<String> command, int exitCode, String output) {

    public boolean ok() {
        return exitCode == 0;
    }

    /** Returns this result if the command succeeded, else throws with the command and its output. */
    public ExecResult requireSuccess() {
        if (!ok()) {
            throw new NatLabException("command failed with exit code " + exitCode + ": "
                    + String.join(" ", command) + "\n" + output.strip());
        }
        return this;
    }
}
