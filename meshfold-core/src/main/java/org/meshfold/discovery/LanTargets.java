package org.meshfold.discovery;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.meshfold.discovery.AnnouncementTargets.Target;

/**
 * Multicast and broadcast on every interface that is up and not loopback.
 *
 * <p>Both, because some access points drop multicast and some networks filter broadcast. The
 * broadcast goes to each interface's directed broadcast address (192.168.1.255 on a /24), as
 * Syncthing does: the limited broadcast 255.255.255.255 leaves only through the interface of the
 * default route, so it is used only when no interface has a broadcast address (point-to-point
 * links, some VPNs). IPv4 only: every LAN that has IPv6 also has IPv4 link-local or private
 * addresses, and the announced sync addresses may still be IPv6.
 */
final class LanTargets implements AnnouncementTargets {
    private static final InetAddress LIMITED_BROADCAST = DiscoveryOptions.ipv4(255, 255, 255, 255);

    private final InetAddress group;
    private final int port;

    LanTargets(InetAddress group, int port) {
        if (!group.isMulticastAddress()) {
            throw new IllegalArgumentException("not a multicast group: " + group);
        }
        this.group = group;
        this.port = port;
    }

    @Override
    public List<Target> current() throws SocketException {
        Set<InetAddress> broadcasts = new LinkedHashSet<>();
        List<Target> multicast = new ArrayList<>();
        boolean anyIpv4 = false;
        for (NetworkInterface nif : NetworkInterface.networkInterfaces().toList()) {
            if (!nif.isUp() || nif.isLoopback()) {
                continue;
            }
            boolean ipv4 = false;
            for (InterfaceAddress ia : nif.getInterfaceAddresses()) {
                if (ia.getAddress() instanceof Inet4Address) {
                    ipv4 = true;
                    if (ia.getBroadcast() != null) {
                        broadcasts.add(ia.getBroadcast());
                    }
                }
            }
            anyIpv4 |= ipv4;
            if (ipv4 && nif.supportsMulticast()) {
                multicast.add(new Target(new InetSocketAddress(group, port), Optional.of(nif)));
            }
        }
        if (broadcasts.isEmpty() && anyIpv4) {
            broadcasts.add(LIMITED_BROADCAST);
        }
        List<Target> targets = new ArrayList<>(multicast);
        broadcasts.forEach(b -> targets.add(Target.of(new InetSocketAddress(b, port))));
        return targets;
    }
}
