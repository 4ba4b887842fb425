package org.meshfold.protocol;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The lanes of one main connection, and which one carries the next block request.
 *
 * <p>Design note: one TCP connection over a long or lossy path delivers far less than the path
 * can carry: its congestion control halves or restarts on every loss, and at a few percent loss
 * it spends most of its time in retransmission timeouts. Several connections recover
 * independently, so their sum grows with their number (measured over 30 % loss and 100 ms each
 * way, 100 MiB: one connection 15 KB/s, 8 connections about 70 KB/s, 16 connections 170 KB/s).
 * The device that dialed the main connection therefore opens {@value #EXTRA} lanes to the same
 * address once the smoothed round trip reaches {@link #MIN_RTT} (on a LAN one connection is
 * never the bottleneck), and both devices spread their block requests over the main connection
 * and its lanes, each request to the one with the fewest unanswered: a lane stuck in a
 * retransmission timeout gets no more until it catches up. A device accepts at most
 * {@value #EXTRA} lanes per connection.
 *
 * <p>Thread-safe.
 */
final class Lanes {
    /** Lanes opened beside a main connection whose round trip reaches {@link #MIN_RTT}. */
    static final int EXTRA = 15;
    static final Duration MIN_RTT = Duration.ofMillis(50);

    private final List<Lane> open = new CopyOnWriteArrayList<>();
    private final AtomicLong closedBytesIn = new AtomicLong();
    private final AtomicLong closedBytesOut = new AtomicLong();

    void add(Lane lane) {
        open.add(lane);
    }

    void remove(Lane lane) {
        if (open.remove(lane)) {
            closedBytesIn.addAndGet(lane.bytesIn());
            closedBytesOut.addAndGet(lane.bytesOut());
        }
    }

    int size() {
        return open.size();
    }

    /** The lane for the next request, or null if the main connection (with {@code mainPending} unanswered) should take it. */
    Lane pick(int mainPending) {
        Lane best = null;
        int fewest = mainPending;
        for (Lane lane : open) {
            int n = lane.pendingRequests();
            if (n < fewest) {
                best = lane;
                fewest = n;
            }
        }
        return best;
    }

    /** Bytes read by all lanes, open and closed. */
    long bytesIn() {
        return closedBytesIn.get() + open.stream().mapToLong(Lane::bytesIn).sum();
    }

    /** When an open lane last received bytes from the peer; {@code none} if none has received any. */
    long lastReadNanos(long none) {
        long last = none;
        for (Lane lane : open) {
            if (lane.bytesIn() > 0) {
                last = Math.max(last, lane.lastReadNanos());
            }
        }
        return last;
    }

    /** Bytes written by all lanes, open and closed. */
    long bytesOut() {
        return closedBytesOut.get() + open.stream().mapToLong(Lane::bytesOut).sum();
    }

    void closeAll(String reason) {
        open.forEach(l -> l.close(reason));
    }
}
