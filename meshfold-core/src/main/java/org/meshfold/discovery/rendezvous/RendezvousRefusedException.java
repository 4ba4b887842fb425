package org.meshfold.discovery.rendezvous;

import java.util.Locale;

/** The rendezvous server answered a request with an error. */
public final class RendezvousRefusedException extends Exception {
    /** Why the server refused; {@code OTHER} for a code this build does not know. */
    public enum Reason {
        BAD_REQUEST, BAD_RECORD, NOT_CONNECTED, RATE_LIMITED, SERVER_FULL, FRAME_TOO_LARGE, TURN_NOT_CONFIGURED, OTHER;

        static Reason of(String wireName) {
            try {
                return valueOf(wireName.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                return OTHER;
            }
        }
    }

    private final Reason reason;

    public RendezvousRefusedException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
