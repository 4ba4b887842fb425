package org.meshfold.config;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import org.meshfold.discovery.AnnouncementTargets;
import org.meshfold.discovery.DiscoveryOptions;

/**
 * How a device finds paired devices on its local network.
 *
 * @param lan     whether to announce and listen for LAN announcements at all
 * @param port    the UDP discovery port, on all interfaces; every device of a LAN uses the same one
 * @param targets where announcements go; empty means the LAN (the multicast group and each
 *                interface's broadcast address on {@code port}). Set, announcements go only there,
 *                e.g. the loopback broadcast {@code 127.255.255.255} for devices on one machine.
 */
public record DiscoveryConfig(boolean lan, int port, List<InetSocketAddress> targets) {
    /** The production setting: on, port 21025, multicast and broadcast on every interface. */
    public static final DiscoveryConfig DEFAULT = new DiscoveryConfig(true, DiscoveryOptions.DEFAULT_PORT, List.of());
    /** No discovery: no socket, no announcements; paired devices are reached at configured addresses only. */
    public static final DiscoveryConfig OFF = new DiscoveryConfig(false, DiscoveryOptions.DEFAULT_PORT, List.of());

    public DiscoveryConfig {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("discovery port must be 1-65535, got " + port);
        }
        targets = List.copyOf(targets);
        for (InetSocketAddress t : targets) {
            if (t.isUnresolved() || t.getPort() == 0) {
                throw new IllegalArgumentException("discovery target must be a resolved address with a port: " + t);
            }
        }
    }

    /** On, announcing only to the loopback broadcast on {@code port}: devices on this machine find each other. */
    public static DiscoveryConfig loopback(int port) {
        return new DiscoveryConfig(true, port, List.of(new InetSocketAddress(loopbackBroadcast(), port)));
    }

    /** What {@link org.meshfold.discovery.LanDiscovery} runs with: listening on all interfaces at {@link #port}. */
    public DiscoveryOptions options() {
        InetSocketAddress listen = new InetSocketAddress(anyIpv4(), port);
        DiscoveryOptions timing = DiscoveryOptions.lan();
        AnnouncementTargets where = targets.isEmpty() ? AnnouncementTargets.lan(port) : AnnouncementTargets.fixed(targets);
        return new DiscoveryOptions(listen, where, timing.interval(), timing.startupRepeat(), timing.maxClockSkew());
    }

    private static InetAddress anyIpv4() {
        return ipv4((byte) 0, (byte) 0, (byte) 0, (byte) 0);
    }

    private static InetAddress loopbackBroadcast() {
        return ipv4((byte) 127, (byte) 255, (byte) 255, (byte) 255);
    }

    private static InetAddress ipv4(byte... bytes) {
        try {
            return InetAddress.getByAddress(bytes);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException("four bytes are always an IPv4 address", e);
        }
    }
}
