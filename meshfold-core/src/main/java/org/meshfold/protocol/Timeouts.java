package org.meshfold.protocol;

import java.time.Duration;
import org.meshfold.pairing.Pairing;

/**
 * Connection timing.
 *
 * @param pingAfter   send a Ping after this long without sending anything (keeps NAT bindings and
 *                    proves liveness)
 * @param deadAfter   close the connection after this long without receiving anything; the peer's own
 *                    pings guarantee traffic on a healthy connection. A backstop for connections not yet
 *                    established: established ones are judged by {@link Liveness}, much sooner
 * @param connect     how long {@link PeerNetwork#connect} may take until the peer's Hello arrives,
 *                    and {@link PeerNetwork#pair} until the inviter's answer
 * @param pairing     how long a pairing conversation may take once TLS completed, on either side
 * @param rttProbe    how often an established connection sends a Ping to measure the round-trip time
 *                    (one is also sent as soon as it is established)
 * @param keepalive   an established connection pings after this long without receiving anything, and
 *                    again after each further such interval (see {@link Liveness})
 * @param missedPongs an established connection is closed as dead when this many such pings in a row
 *                    got no answer within {@code keepalive} each
 */
record Timeouts(Duration pingAfter, Duration deadAfter, Duration connect, Duration pairing, Duration rttProbe,
        Duration keepalive, int missedPongs) {
    static final Duration RTT_PROBE = Duration.ofSeconds(10);
    static final Duration KEEPALIVE = Duration.ofSeconds(5);
    static final int MISSED_PONGS = 3;
    static final Timeouts DEFAULT = new Timeouts(Duration.ofSeconds(30), Duration.ofSeconds(90), Duration.ofSeconds(20));

    Timeouts {
        if (rttProbe.isNegative() || rttProbe.isZero()) {
            throw new IllegalArgumentException("rttProbe must be positive: " + rttProbe);
        }
        if (keepalive.isNegative() || keepalive.isZero() || missedPongs < 1) {
            throw new IllegalArgumentException("keepalive must be positive and missedPongs at least 1: " + keepalive
                    + ", " + missedPongs);
        }
    }

    Timeouts(Duration pingAfter, Duration deadAfter, Duration connect, Duration pairing, Duration rttProbe) {
        this(pingAfter, deadAfter, connect, pairing, rttProbe, KEEPALIVE, MISSED_PONGS);
    }

    Timeouts(Duration pingAfter, Duration deadAfter, Duration connect, Duration pairing) {
        this(pingAfter, deadAfter, connect, pairing, RTT_PROBE);
    }

    Timeouts(Duration pingAfter, Duration deadAfter, Duration connect) {
        this(pingAfter, deadAfter, connect, Pairing.PAIRING_TIMEOUT);
    }

    /** These timeouts with another keepalive interval and number of missed pongs. */
    Timeouts withKeepalive(Duration interval, int missed) {
        return new Timeouts(pingAfter, deadAfter, connect, pairing, rttProbe, interval, missed);
    }
}
