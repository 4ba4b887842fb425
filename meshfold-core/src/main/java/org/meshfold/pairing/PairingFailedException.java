package org.meshfold.pairing;

import java.util.Objects;

/**
 * Joining with an invite code failed. The message is meant for the joiner's user: it says what
 * happened, where, and what to do.
 */
public final class PairingFailedException extends Exception {

    /** Why joining failed. */
    public enum Reason {
        /** The inviter answered and refused the code: already used, expired, or unknown or wrong. */
        REFUSED,
        /** This device is paired with the inviter already; codes are for new devices. */
        ALREADY_PAIRED,
        /** The inviter refused the connection itself: it has no open invite at the moment. */
        NOT_ACCEPTING,
        /** No address of the code could be connected to. */
        UNREACHABLE,
        /** A device other than the inviter answered at the code's address. */
        WRONG_DEVICE,
        /** The inviter did not finish the conversation in time. */
        TIMEOUT,
        /** The connection broke, or the inviter sent something it should not have. */
        BROKEN
    }

    private final Reason reason;

    public PairingFailedException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public Reason reason() {
        return reason;
    }
}
