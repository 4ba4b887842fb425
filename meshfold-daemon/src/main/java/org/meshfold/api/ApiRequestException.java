package org.meshfold.api;

import java.util.Optional;

/** The daemon answered a request with an error: its HTTP status, message (for the user) and reason, if any. */
public final class ApiRequestException extends Exception {
    private final int status;
    private final String reason;

    public ApiRequestException(int status, String message, String reason) {
        super(message);
        this.status = status;
        this.reason = reason;
    }

    public int status() {
        return status;
    }

    /** The refusal or pairing failure reason the daemon named ({@link ControlMessages.Error#reason}). */
    public Optional<String> reason() {
        return Optional.ofNullable(reason);
    }
}
