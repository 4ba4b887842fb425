package org.meshfold.cli;

/** Exit codes of every command (listed in {@code meshfold --help} and the README). */
public final class ExitCodes {
    public static final int OK = 0;
    public static final int INTERNAL = 1;
    public static final int INVALID_INPUT = 2;
    public static final int ENVIRONMENT = 3;
    public static final int ALREADY_RUNNING = 4;
    public static final int PAIRING_FAILED = 5;
    /** {@code sync}: the folder was not in sync with the reachable devices before the timeout. */
    public static final int NOT_IN_SYNC = 6;

    private ExitCodes() {
    }
}
