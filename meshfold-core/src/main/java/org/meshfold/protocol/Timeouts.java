package org.meshfold.protocol;

import java.time.Duration;
import org.meshfold.pairing.Pairing;

/**
 * Connection timing.
 *
 * @param pingAfter send a Ping after this long without sending anything (keeps NAT bindings and
 *                  proves liveness)
 * @param deadAfter close the connection after this long without receiving anything; the peer's own
 *                  pings guarantee traffic on a healthy connection
 * @param connect   how long {@link PeerNetwork#connect} may take until the peer's Hello arrives,
 *                  and {@link PeerNetwork#pair} until the inviter's answer
 * @param pairing   how long a pairing conversation may take once TLS completed, on either side
 * @param rttProbe  how often an established connection sends a Ping to measure the round-trip time
 *                  (one is also sent as soon as it is established)
 */
record Timeouts(Duration pingAfter, Duration deadAfter, Duration connect, Duration pairing, Duration rttProbe) {
    static final Duration RTT_PROBE = Duration.ofSeconds(10);
    static final Timeouts DEFAULT = new Timeouts(Duration.ofSeconds(30), Duration.ofSeconds(90), Duration.ofSeconds(20));

    Timeouts {
        if (rttProbe.isNegative() || rttProbe.isZero()) {
            throw new IllegalArgumentException("rttProbe must be positive: " + rttProbe);
        }
    }

    Timeouts(Duration pingAfter, Duration deadAfter, Duration connect, Duration pairing) {
        this(pingAfter, deadAfter, connect, pairing, RTT_PROBE);
    }

    Timeouts(Duration pingAfter, Duration deadAfter, Duration connect) {
        this(pingAfter, deadAfter, connect, Pairing.PAIRING_TIMEOUT);
    }
}
