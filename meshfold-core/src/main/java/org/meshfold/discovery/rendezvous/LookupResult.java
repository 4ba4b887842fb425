package org.meshfold.discovery.rendezvous;

import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * What a rendezvous server knows about a device: its verified signed record, and the source
 * address of its current session as the server sees it (its server-reflexive address, unsigned:
 * only a hint for hole punching, never a reason to trust a peer).
 */
public record LookupResult(AddressRecord record, Optional<InetSocketAddress> observed) {
    public LookupResult {
        Objects.requireNonNull(record, "record");
        Objects.requireNonNull(observed, "observed");
    }
}
