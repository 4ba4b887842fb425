package org.meshfold.nat;

import java.io.IOException;
import java.net.InetSocketAddress;

/** No response to a STUN/TURN request after every retransmission. */
public final class StunTimeoutException extends IOException {
    StunTimeoutException(String method, InetSocketAddress server, int sends) {
        super(method + " request to " + server + " got no response after " + sends
                + " sends; the server is down, unreachable, or UDP is blocked on this network");
    }
}
