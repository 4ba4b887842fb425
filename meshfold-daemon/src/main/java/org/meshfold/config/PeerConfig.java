package org.meshfold.config;

import java.net.InetSocketAddress;
import java.util.List;
import org.meshfold.identity.DeviceId;

/** A paired device and the addresses it can be dialed at (may be empty: it dials us). */
public record PeerConfig(DeviceId id, String name, List<InetSocketAddress> addresses) {
    public PeerConfig {
        addresses = List.copyOf(addresses);
    }
}
