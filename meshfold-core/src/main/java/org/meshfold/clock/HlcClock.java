package org.meshfold.clock;

import java.time.Clock;

/**
 * Issues {@link Hlc} timestamps that never go backwards, even when the wall clock does, and
 * that move past any timestamp received from a peer. Thread-safe.
 */
public final class HlcClock {
    private final Clock wall;
    private long physical;
    private int logical;

    public HlcClock(Clock wall) {
        this.wall = wall;
    }

    /** A timestamp for a local event. */
    public synchronized Hlc now() {
        long pt = wall.millis();
        if (pt > physical) {
            physical = pt;
            logical = 0;
        } else {
            logical++;
        }
        return new Hlc(physical, logical);
    }

    /** Merges a timestamp seen from a peer, so later local events order after it. */
    public synchronized void observe(Hlc remote) {
        long pt = wall.millis();
        long max = Math.max(pt, Math.max(physical, remote.physicalMillis()));
        if (max == physical && max == remote.physicalMillis()) {
            logical = Math.max(logical, remote.logical()) + 1;
        } else if (max == physical) {
            logical++;
        } else if (max == remote.physicalMillis()) {
            logical = remote.logical() + 1;
        } else {
            logical = 0;
        }
        physical = max;
    }
}
