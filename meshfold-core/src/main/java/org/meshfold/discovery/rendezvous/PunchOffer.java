package org.meshfold.discovery.rendezvous;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.meshfold.identity.DeviceId;

/**
 * A device asks this one, through the rendezvous server, to punch a path to it: both send probes
 * to each other's candidates from {@code startAt} on (simultaneous open).
 *
 * @param from         the asking device (proven to the server by its TLS key)
 * @param candidates   addresses the asking device offers
 * @param fromObserved the asking device's address as the server sees it
 */
public record PunchOffer(DeviceId from, List<InetSocketAddress> candidates, Optional<InetSocketAddress> fromObserved,
        Instant startAt) {
    public PunchOffer {
        Objects.requireNonNull(from, "from");
        candidates = List.copyOf(candidates);
        Objects.requireNonNull(fromObserved, "fromObserved");
        Objects.requireNonNull(startAt, "startAt");
    }
}
