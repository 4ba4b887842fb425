package org.meshfold.nat;

import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link TurnClient} talks to its server.
 *
 * @param retransmission     request retransmission; one send for TCP
 * @param lifetime           allocation lifetime to ask for (servers grant at least 10 minutes)
 * @param refreshMargin      refresh the allocation this long before it expires
 * @param permissionRefresh  period for re-installing permissions (they last 5 minutes) and
 *                           channel bindings (10 minutes)
 * @param stream             true over TCP: ChannelData is then padded to four bytes
 */
public record TurnOptions(StunRetransmission retransmission, Duration lifetime, Duration refreshMargin,
        Duration permissionRefresh, boolean stream) {
    public TurnOptions {
        Objects.requireNonNull(retransmission, "retransmission");
        Objects.requireNonNull(lifetime, "lifetime");
        Objects.requireNonNull(refreshMargin, "refreshMargin");
        Objects.requireNonNull(permissionRefresh, "permissionRefresh");
        if (permissionRefresh.isZero() || permissionRefresh.isNegative()) {
            throw new IllegalArgumentException("permissionRefresh must be positive");
        }
    }

    /** TURN over UDP with RFC defaults: 10-minute allocations refreshed a minute early. */
    public static TurnOptions udp() {
        return new TurnOptions(StunRetransmission.DEFAULT, Duration.ofMinutes(10), Duration.ofMinutes(1),
                Duration.ofMinutes(4), false);
    }

    /** TURN over TCP: no retransmission, 39.5 s timeout, padded ChannelData. */
    public static TurnOptions tcp() {
        return new TurnOptions(StunRetransmission.reliable(Duration.ofMillis(39_500)), Duration.ofMinutes(10),
                Duration.ofMinutes(1), Duration.ofMinutes(4), true);
    }

    public TurnOptions withRetransmission(StunRetransmission r) {
        return new TurnOptions(r, lifetime, refreshMargin, permissionRefresh, stream);
    }

    public TurnOptions withRefreshMargin(Duration margin) {
        return new TurnOptions(retransmission, lifetime, margin, permissionRefresh, stream);
    }
}
