package org.meshfold.pairing;

import java.util.Objects;

/**
 * An invite code that cannot be used. The message is meant for the user: it says what is wrong
 * with the code and what to do, and never contains the code's secret.
 */
public final class InvalidInviteException extends Exception {
    static final String ASK_AGAIN = "ask the other device for a new code with 'meshfold invite'";

    /** Why the code was refused. */
    public enum Reason {
        /** Not a meshfold invite at all (no {@code mf1:} prefix). */
        NOT_AN_INVITE,
        /** A meshfold invite of a format this version does not know. */
        UNSUPPORTED_VERSION,
        /** The code ends early: part of it was not copied. */
        TRUNCATED,
        /** The check does not match: the code was mistyped or altered. */
        CORRUPTED,
        /** The check matches but a field is invalid. */
        MALFORMED,
        /** The code was valid but its time is up. */
        EXPIRED
    }

    private final Reason reason;

    InvalidInviteException(Reason reason, String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public Reason reason() {
        return reason;
    }
}
