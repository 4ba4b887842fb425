package org.meshfold.discovery;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What a {@link LanDiscovery} needs besides identity, clock and threads.
 *
 * @param listen        where to receive announcements: the wildcard address and the discovery
 *                      port on a LAN, so that broadcasts and the multicast group arrive; IPv4
 * @param targets       where to send announcements
 * @param interval      time between periodic announcements; entries expire after three
 * @param startupRepeat delay of the one extra announcement after start, for a peer that was
 *                      still binding its socket when the first one went out
 * @param maxClockSkew  how far an announcement's time may differ from ours (replay window)
 */
public record DiscoveryOptions(InetSocketAddress listen, AnnouncementTargets targets, Duration interval,
        Duration startupRepeat, Duration maxClockSkew) {
    /** meshfold's discovery port (Syncthing uses 21027; this one is ours). */
    public static final int DEFAULT_PORT = 21025;
    /** An organization-local group (RFC 2365), so routers do not forward it off site. */
    public static final InetAddress MULTICAST_GROUP = ipv4(239, 255, 77, 77);
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(30);
    public static final Duration DEFAULT_STARTUP_REPEAT = Duration.ofMillis(200);
    public static final Duration DEFAULT_MAX_CLOCK_SKEW = Duration.ofMinutes(5);

    public DiscoveryOptions {
        Objects.requireNonNull(listen, "listen");
        Objects.requireNonNull(targets, "targets");
        if (listen.isUnresolved() || listen.getAddress().getAddress().length != 4) {
            throw new IllegalArgumentException("discovery listens on an IPv4 address, not " + listen);
        }
        requirePositive(interval, "interval");
        requirePositive(startupRepeat, "startupRepeat");
        requirePositive(maxClockSkew, "maxClockSkew");
    }

    /** The production setting: port 21025 on all interfaces, multicast and broadcast, every 30 s. */
    public static DiscoveryOptions lan() {
        return new DiscoveryOptions(new InetSocketAddress(ipv4(0, 0, 0, 0), DEFAULT_PORT),
                AnnouncementTargets.lan(DEFAULT_PORT), DEFAULT_INTERVAL, DEFAULT_STARTUP_REPEAT,
                DEFAULT_MAX_CLOCK_SKEW);
    }

    /** Default timing with explicit addresses, e.g. loopback broadcast {@code 127.255.255.255}. */
    public static DiscoveryOptions fixed(InetSocketAddress listen, List<InetSocketAddress> targets) {
        return new DiscoveryOptions(listen, AnnouncementTargets.fixed(targets), DEFAULT_INTERVAL,
                DEFAULT_STARTUP_REPEAT, DEFAULT_MAX_CLOCK_SKEW);
    }

    public DiscoveryOptions withInterval(Duration newInterval) {
        return new DiscoveryOptions(listen, targets, newInterval, startupRepeat, maxClockSkew);
    }

    /** How long a device stays known without a fresh announcement. */
    public Duration expiry() {
        return interval.multipliedBy(3);
    }

    /** An IPv4 address from its four numbers, without a name lookup. */
    static InetAddress ipv4(int a, int b, int c, int d) {
        try {
            return InetAddress.getByAddress(new byte[] {(byte) a, (byte) b, (byte) c, (byte) d});
        } catch (UnknownHostException e) {
            throw new IllegalStateException("four bytes are always an IPv4 address", e);
        }
    }

    private static void requirePositive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + d);
        }
    }
}
