package org.meshfold.discovery;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Where announcements are sent. Asked before every send, so interfaces that come and go (Wi-Fi,
 * docking, VPN) are followed without a restart.
 */
@FunctionalInterface
public interface AnnouncementTargets {

    /**
     * One destination.
     *
     * @param address            unicast, broadcast or multicast address with the discovery port
     * @param multicastInterface for a multicast group: the interface to send on and to join the
     *                           group on; empty for other addresses, which the routing table places
     */
    record Target(InetSocketAddress address, Optional<NetworkInterface> multicastInterface) {
        public Target {
            Objects.requireNonNull(address, "address");
            Objects.requireNonNull(multicastInterface, "multicastInterface");
            if (multicastInterface.isPresent() && !address.getAddress().isMulticastAddress()) {
                throw new IllegalArgumentException("an interface is only given for a multicast group, not " + address);
            }
        }

        /** A unicast or broadcast destination. */
        public static Target of(InetSocketAddress address) {
            return new Target(address, Optional.empty());
        }
    }

    /** The destinations for the next announcement; an empty list sends nothing. */
    List<Target> current() throws IOException;

    /** Always the same unicast or broadcast destinations, e.g. loopback addresses in tests. */
    static AnnouncementTargets fixed(List<InetSocketAddress> addresses) {
        List<Target> targets = addresses.stream().map(Target::of).toList();
        return () -> targets;
    }

    /**
     * The LAN: the multicast group and each interface's broadcast address, on every interface
     * that is up and not loopback, with {@code port}.
     */
    static AnnouncementTargets lan(int port) {
        return new LanTargets(DiscoveryOptions.MULTICAST_GROUP, port);
    }
}
