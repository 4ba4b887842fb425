package org.meshfold.pairing;

import java.util.Objects;

/**
 * The inviter refused a joiner's proof. The message is meant for the joiner's user (it travels
 * back in the pairing result) and never contains the secret.
 */
public final class InviteRejectedException extends Exception {

    /** Why the proof was refused. */
    public enum Reason {
        /** No pending invite for that folder matches the proof: a wrong or cancelled code. */
        UNKNOWN,
        /** The matching invite's time is up. */
        EXPIRED,
        /** The matching invite was already used by a device. */
        ALREADY_USED
    }

    private final Reason reason;

    InviteRejectedException(Reason reason, String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public Reason reason() {
        return reason;
    }
}
