package org.meshfold.discovery.rendezvous;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The answer to a punch request: the target device has been sent a {@link PunchOffer} with the same
 * {@code startAt}, and the server saw the target's session come from {@code targetObserved}.
 */
public record PunchScheduled(Instant startAt, Optional<InetSocketAddress> targetObserved) {
    public PunchScheduled {
        Objects.requireNonNull(startAt, "startAt");
        Objects.requireNonNull(targetObserved, "targetObserved");
    }
}
