package org.meshfold.discovery.rendezvous;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import org.meshfold.identity.DeviceId;

/**
 * A device's signed statement "reach me at these addresses until {@code expires}", as published
 * to rendezvous servers. Only a record whose signature verifies with a key hashing to
 * {@code device} is ever built from the wire ({@link SignedRecords#verify}).
 *
 * @param addresses at most {@link #MAX_ADDRESSES}, resolved, port not 0
 * @param expires   truncated to milliseconds (the wire precision)
 */
public record AddressRecord(DeviceId device, List<InetSocketAddress> addresses, Instant expires) {
    public static final int MAX_ADDRESSES = 16;

    public AddressRecord {
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(expires, "expires");
        addresses = List.copyOf(addresses);
        if (addresses.size() > MAX_ADDRESSES) {
            throw new IllegalArgumentException("an address record carries at most " + MAX_ADDRESSES
                    + " addresses, got " + addresses.size());
        }
        for (InetSocketAddress a : addresses) {
            if (a.isUnresolved() || a.getPort() == 0) {
                throw new IllegalArgumentException("recorded address must be resolved and have a port: " + a);
            }
        }
        expires = expires.truncatedTo(ChronoUnit.MILLIS);
    }
}
