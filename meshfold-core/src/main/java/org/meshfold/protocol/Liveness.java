package org.meshfold.protocol;

import java.time.Duration;

/**
 * When an established connection pings, and when it is dead.
 *
 * <p>Design note: a connection is alive while bytes arrive from the peer, any bytes, not only
 * Pongs. Under load a Pong waits in the peer's send queue behind megabytes of data, and on a slow
 * link one large frame takes seconds to arrive, but those bytes prove the peer is still there. Once
 * nothing has arrived for one {@code interval}, the connection pings, and pings again at each
 * further interval of silence. A live peer answers within a round trip, even when idle. When
 * {@code missedPongs} pings in a row got no answer (nothing at all arrived), each within an
 * interval, the peer is dead: {@code (missedPongs + 1) × interval} after it last sent anything,
 * 20 s with the defaults (5 s, 3). TCP alone keeps retransmitting to a vanished peer for about
 * 15 minutes ({@code tcp_retries2}) before it gives up. The bound closes a working connection only
 * if no answer gets through for 15 s after a ping: a round-trip time that long is unusable anyway,
 * and a fresh connection starts with empty queues.
 *
 * <p>Every deadline counts from when bytes last arrived, so {@link #nextCheck} names the exact
 * moment the next decision is due, and the owner need not poll. Independently of traffic, a Ping
 * goes out every {@code rttProbe} to keep the round-trip time current.
 *
 * <p>Not thread-safe: owned by the connection's event loop. Times are on one monotonic nanosecond
 * scale, like {@link System#nanoTime}.
 */
final class Liveness {
    /** What the connection should do after a {@link #tick}. */
    enum Action { NONE, PING, DEAD }

    private final long interval;
    private final int missedPongs;
    private final long rttProbe;
    private long lastReceived;
    private long lastPing;
    private int unanswered;

    /**
     * @param now          the time the connection was established; a Ping is sent then
     * @param lastReceived when bytes last arrived from the peer
     */
    Liveness(Duration interval, int missedPongs, Duration rttProbe, long now, long lastReceived) {
        if (interval.isNegative() || interval.isZero() || missedPongs < 1) {
            throw new IllegalArgumentException("keepalive interval must be positive and missed pongs at least 1: "
                    + interval + ", " + missedPongs);
        }
        this.interval = interval.toNanos();
        this.missedPongs = missedPongs;
        this.rttProbe = rttProbe.toNanos();
        this.lastPing = now;
        this.lastReceived = lastReceived;
    }

    /**
     * Decides what to do now; to be called at {@link #nextCheck} (earlier or later calls are
     * harmless). Returns {@link Action#PING} if the caller must send a Ping now.
     *
     * @param lastReceived when bytes last arrived from the peer
     */
    Action tick(long now, long lastReceived) {
        if (lastReceived != this.lastReceived) {
            this.lastReceived = lastReceived;
            unanswered = 0;
        }
        long silence = now - lastReceived;
        if (unanswered >= missedPongs) {
            if (silence >= (missedPongs + 1L) * interval) {
                return Action.DEAD;
            }
        } else if (silence >= (unanswered + 1L) * interval) {
            unanswered++;
            lastPing = now;
            return Action.PING;
        }
        if (now - lastPing >= rttProbe) {
            lastPing = now;
            return Action.PING;
        }
        return Action.NONE;
    }

    /** When the next {@link #tick} is due, if nothing arrives meanwhile. */
    long nextCheck() {
        long silent = lastReceived + (Math.min(unanswered, missedPongs) + 1L) * interval;
        return Math.min(silent, lastPing + rttProbe);
    }

    /** Pings sent since bytes last arrived, unanswered so far. */
    int unanswered() {
        return unanswered;
    }

    /** How long nothing has arrived, as of {@code now}. */
    Duration silence(long now) {
        return Duration.ofNanos(Math.max(0, now - lastReceived));
    }
}
