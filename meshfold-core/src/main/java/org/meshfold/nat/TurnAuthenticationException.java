package org.meshfold.nat;

import java.net.InetSocketAddress;

/** The TURN server refused our credentials (401 after authenticating, or 441 Wrong Credentials). */
public final class TurnAuthenticationException extends StunErrorResponseException {
    TurnAuthenticationException(InetSocketAddress server, StunMessage response) {
        super(server, response, "check the TURN user and password, or that time-limited credentials"
                + " come from the server's current shared secret and have not expired");
    }
}
