package org.meshfold.rendezvous;

import java.time.Duration;
import java.time.Instant;

/**
 * A token bucket: {@code burst} requests at once, then {@code perSecond} on average. Confined to
 * the event loop of the session that owns it.
 */
final class TokenBucket {
    private final double perSecond;
    private final int burst;
    private double tokens;
    private Instant refilled;

    TokenBucket(double perSecond, int burst, Instant now) {
        this.perSecond = perSecond;
        this.burst = burst;
        this.tokens = burst;
        this.refilled = now;
    }

    /** Takes one token if there is one. */
    boolean tryTake(Instant now) {
        if (now.isAfter(refilled)) {
            double elapsed = Duration.between(refilled, now).toNanos() / 1e9;
            tokens = Math.min(burst, tokens + elapsed * perSecond);
            refilled = now;
        }
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }
}
