package org.meshfold.protocol;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Round-trip time from Ping/Pong pairs. Each Ping carries a random nonce; the Pong echoing the
 * newest one gives a sample R, the time between handing the Ping to the channel and reading the
 * Pong (so it includes queueing behind data already being sent, as a user waiting would see).
 * A Pong for an older Ping, or one nobody asked for, is ignored.
 *
 * <p>The smoothed value follows RFC 6298 §2: "When the first RTT measurement R is made, the host
 * MUST set SRTT &lt;- R", and after that "SRTT &lt;- (1 - alpha) * SRTT + alpha * R'" with
 * alpha = 1/8.
 *
 * <p>Thread-safe: pings may be sent from any thread, pongs arrive on the event loop, and status
 * reads from anywhere; the lock is never contended for long.
 */
final class RttEstimator {
    private final LongSupplier nanoTime;
    private boolean awaiting;
    private long nonce;
    private long sentAt;
    private long latestNanos = -1;
    private long smoothedNanos = -1;

    /** @param nanoTime a monotonic time source in nanoseconds, like {@link System#nanoTime} */
    RttEstimator(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    /** A Ping with {@code nonce} goes out now; it replaces any Ping still unanswered. */
    synchronized void pingSent(long nonce) {
        this.nonce = nonce;
        this.sentAt = nanoTime.getAsLong();
        this.awaiting = true;
    }

    /** A Pong with {@code nonce} arrived now; returns true if it answered the newest Ping and gave a sample. */
    synchronized boolean pongReceived(long nonce) {
        if (!awaiting || nonce != this.nonce) {
            return false;
        }
        awaiting = false;
        long sample = Math.max(0, nanoTime.getAsLong() - sentAt);
        latestNanos = sample;
        smoothedNanos = smoothedNanos < 0 ? sample : smoothedNanos + (sample - smoothedNanos) / 8;
        return true;
    }

    /** The latest sample, or null before the first. */
    synchronized Duration latest() {
        return latestNanos < 0 ? null : Duration.ofNanos(latestNanos);
    }

    /** SRTT, or null before the first sample. */
    synchronized Duration smoothed() {
        return smoothedNanos < 0 ? null : Duration.ofNanos(smoothedNanos);
    }
}
