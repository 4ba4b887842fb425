package org.meshfold.it.traversal;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.meshfold.it.Await;
import org.meshfold.it.natlab.Host;
import org.meshfold.it.natlab.NatLab;

/**
 * One cut of a lab host's link: down for a while, then up again, and how soon the two devices of
 * a {@link FaultPair} heard each other once it was back ({@link FaultPair#awaitHeardAfter}).
 *
 * @param label          what the cut was, for the report
 * @param outage         how long the link was down
 * @param resumedAfter   from the link's return until both devices had heard each other
 * @param sameConnection the connection that was cut carried on (no new connection was needed)
 */
record Outage(String label, Duration outage, Duration resumedAfter, boolean sameConnection) {
    private static final Duration RESUME_TIMEOUT = Duration.ofSeconds(60);

    /** Cuts {@code host}'s link for {@code outage}, restores it and measures the reconnection. */
    static Outage cut(String label, NatLab lab, Host host, FaultPair pair, Duration outage) {
        Instant before = pair.link(pair.b).connectedSince();
        lab.linkDown(host);
        long down = System.nanoTime();
        // The fault's schedule, not a synchronization: the link stays down for exactly this long.
        Await.until("the outage of " + host + " to last " + outage, outage.plusSeconds(5),
                () -> System.nanoTime() - down >= outage.toNanos());
        lab.linkUp(host);
        Instant up = Instant.now();
        Duration resumed = pair.awaitHeardAfter(up, RESUME_TIMEOUT);
        Instant after = pair.link(pair.b).connectedSince();
        return new Outage(label, outage, resumed, Objects.equals(before, after));
    }

    @Override
    public String toString() {
        return String.format("%-12s link down %d s, both devices heard again %4d ms after it returned, %s", label,
                outage.toSeconds(), resumedAfter.toMillis(), sameConnection ? "same connection" : "new connection");
    }

    /** The {@code p}-th percentile (nearest rank) of the reconnection times. */
    static Duration percentile(List<Outage> cuts, int p) {
        List<Duration> sorted = cuts.stream().map(Outage::resumedAfter).sorted().toList();
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(0, rank - 1));
    }
}
