package org.meshfold.discovery;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.meshfold.identity.DeviceId;

/**
 * What the LAN has told us: per device its addresses, process instance and the time of its
 * newest announcement. Decides which announcements are news. Thread-safe (one lock; the receive
 * thread writes, anyone may read a snapshot).
 */
final class DiscoveryCache {

    /**
     * An announcement that is news.
     *
     * @param addresses   the device's addresses, unspecified hosts replaced by the packet's source
     * @param newInstance the device was unknown (or expired) or restarted, so it may not know us yet
     */
    record News(List<InetSocketAddress> addresses, boolean newInstance) {
    }

    private record Entry(List<InetSocketAddress> addresses, long instanceId, Instant issued, Instant lastSeen) {
    }

    private final Duration expiry;
    private final Map<DeviceId, Entry> entries = new HashMap<>();

    DiscoveryCache(Duration expiry) {
        this.expiry = Objects.requireNonNull(expiry, "expiry");
    }

    /**
     * Records a verified announcement that arrived from {@code source} at {@code now}.
     *
     * @return what to report, or empty for a repeat of what is known, a duplicate copy (the same
     *         announcement through another path) or a replay of an older one
     */
    synchronized Optional<News> record(Announcement a, InetAddress source, Instant now) {
        Entry old = entries.get(a.device());
        if (old != null && isExpired(old, now)) {
            old = null;
        }
        // Issue times only grow per device, across restarts too: anything not newer is a copy or a replay.
        if (old != null && !a.issued().isAfter(old.issued())) {
            return Optional.empty();
        }
        List<InetSocketAddress> addresses = resolve(a.addresses(), source);
        entries.put(a.device(), new Entry(addresses, a.instanceId(), a.issued(), now));
        boolean newInstance = old == null || old.instanceId() != a.instanceId();
        if (newInstance || !old.addresses().equals(addresses)) {
            return Optional.of(new News(addresses, newInstance));
        }
        return Optional.empty();
    }

    /** The devices heard from within the expiry time; forgets the others. */
    synchronized Map<DeviceId, List<InetSocketAddress>> live(Instant now) {
        entries.values().removeIf(e -> isExpired(e, now));
        Map<DeviceId, List<InetSocketAddress>> out = new HashMap<>();
        entries.forEach((id, e) -> out.put(id, e.addresses()));
        return Map.copyOf(out);
    }

    private boolean isExpired(Entry e, Instant now) {
        return e.lastSeen().plus(expiry).isBefore(now);
    }

    /** Replaces each unspecified host (0.0.0.0, ::) by {@code source}, keeping the port. */
    static List<InetSocketAddress> resolve(List<InetSocketAddress> addresses, InetAddress source) {
        return addresses.stream()
                .map(a -> a.getAddress().isAnyLocalAddress() ? new InetSocketAddress(source, a.getPort()) : a)
                .distinct()
                .toList();
    }
}
