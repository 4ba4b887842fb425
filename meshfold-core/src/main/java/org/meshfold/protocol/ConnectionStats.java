package org.meshfold.protocol;

import java.time.Duration;
import java.util.Objects;

/**
 * Traffic and round-trip time of one connection, as of the moment it was taken.
 *
 * @param bytesIn       bytes read from the socket since the connection opened: TLS records as they
 *                      arrive, so the handshake and record overhead count (TCP/IP headers do not)
 * @param bytesOut      bytes the socket accepted for sending since the connection opened, counted the same way
 * @param rtt           the latest round-trip time measured with a Ping/Pong pair, or null before the first Pong
 * @param smoothedRtt   the smoothed round-trip time (RFC 6298 SRTT, α = 1/8), or null before the first Pong
 * @param sinceReceived how long ago bytes last arrived from the peer (keepalive pings and pongs count)
 */
public record ConnectionStats(long bytesIn, long bytesOut, Duration rtt, Duration smoothedRtt, Duration sinceReceived) {
    public ConnectionStats {
        if (bytesIn < 0 || bytesOut < 0) {
            throw new IllegalArgumentException("byte counts must not be negative: in " + bytesIn + ", out " + bytesOut);
        }
        Objects.requireNonNull(sinceReceived, "sinceReceived");
    }

    /** The connection's quality from its smoothed round-trip time and how recently the peer was heard. */
    public ConnectionQuality quality() {
        return ConnectionQuality.of(smoothedRtt, sinceReceived);
    }
}
