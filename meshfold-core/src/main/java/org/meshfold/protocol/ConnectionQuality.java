package org.meshfold.protocol;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * How well a device is connected, from the round-trip time and how recently anything arrived from
 * it. While a connection is established the peer is heard at least every few seconds (keepalive
 * pings and their answers), so a long silence means the path is failing before it is closed as
 * dead.
 */
public enum ConnectionQuality {
    /** Round-trip time under 100 ms and the peer heard within 10 s. */
    EXCELLENT,
    /** Round-trip time under 500 ms and the peer heard within 30 s (or not yet measured, just connected). */
    GOOD,
    /** Connected, but slower or quieter than that. */
    POOR,
    /** No connection. */
    DISCONNECTED;

    static final Duration EXCELLENT_RTT = Duration.ofMillis(100);
    static final Duration EXCELLENT_SILENCE = Duration.ofSeconds(10);
    static final Duration GOOD_RTT = Duration.ofMillis(500);
    static final Duration GOOD_SILENCE = Duration.ofSeconds(30);

    /**
     * The quality of an open connection.
     *
     * @param rtt           its smoothed round-trip time, or null before the first measurement: a
     *                      connection that just completed its handshake counts as good until then
     * @param sinceReceived how long ago bytes last arrived from the peer
     */
    public static ConnectionQuality of(Duration rtt, Duration sinceReceived) {
        Objects.requireNonNull(sinceReceived, "sinceReceived");
        boolean heard10 = sinceReceived.compareTo(EXCELLENT_SILENCE) <= 0;
        boolean heard30 = sinceReceived.compareTo(GOOD_SILENCE) <= 0;
        if (rtt != null && rtt.compareTo(EXCELLENT_RTT) < 0 && heard10) {
            return EXCELLENT;
        }
        return (rtt == null || rtt.compareTo(GOOD_RTT) < 0) && heard30 ? GOOD : POOR;
    }

    /** The lower-case name used in status output and events: {@code excellent}, {@code good}, … */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
