package org.meshfold.nat;

import java.io.IOException;
import java.net.InetSocketAddress;

/** The server answered a request with an error response (RFC 8489 §14.8). */
public class StunErrorResponseException extends IOException {
    private final int code;

    StunErrorResponseException(InetSocketAddress server, StunMessage response, String hint) {
        super(response.describe() + " from " + server + (hint.isEmpty() ? "" : ": " + hint));
        this.code = response.error().map(ErrorCodeAttribute::code).orElse(0);
    }

    /** The ERROR-CODE, or 0 if the response carried none. */
    public int code() {
        return code;
    }
}
