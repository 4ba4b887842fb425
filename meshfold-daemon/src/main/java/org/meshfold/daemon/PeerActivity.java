package org.meshfold.daemon;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.meshfold.identity.DeviceId;
import org.meshfold.index.FileRecord;
import org.meshfold.replication.BlockRequest;
import org.meshfold.replication.ClusterConfig;
import org.meshfold.replication.Peer;
import org.meshfold.replication.PeerListener;

/**
 * Passes every network event on to the sync logic and notes when each device's connection
 * started and when the device was last seen, for status output. Thread-safe: called on network
 * threads. A replaced connection may report its close after its successor connected, so the
 * start time is kept per connection object; such a successor took over without a gap, so it has
 * no downtime.
 */
final class PeerActivity implements PeerListener {
    /** One connection; {@code downtime} is how long the device was unreachable before it, or null. */
    private record Session(Peer peer, Instant since, Duration downtime) {
    }

    private final PeerListener next;
    private final Clock clock;
    private final Map<DeviceId, Session> sessions = new ConcurrentHashMap<>();
    private final Map<DeviceId, Instant> lastClosed = new ConcurrentHashMap<>();

    PeerActivity(PeerListener next, Clock clock) {
        this.next = next;
        this.clock = clock;
    }

    /** When the device's current connection was established. */
    Optional<Instant> connectedSince(DeviceId device) {
        return Optional.ofNullable(sessions.get(device)).map(Session::since);
    }

    /**
     * How long the device was disconnected before its current connection: from the close of its
     * previous connection (since start) to this one's start. Empty for a first connection, or one
     * that replaced its predecessor without a gap.
     */
    Optional<Duration> downtime(DeviceId device) {
        return Optional.ofNullable(sessions.get(device)).map(Session::downtime);
    }

    /** When the device's last connection closed, if one did since start. */
    Optional<Instant> lastClosed(DeviceId device) {
        return Optional.ofNullable(lastClosed.get(device));
    }

    @Override
    public void connected(Peer peer) {
        Instant now = clock.instant();
        sessions.compute(peer.deviceId(), (id, current) -> {
            Instant closed = lastClosed.get(id);
            Duration downtime = current == null && closed != null && !closed.isAfter(now)
                    ? Duration.between(closed, now) : null;
            return new Session(peer, now, downtime);
        });
        next.connected(peer);
    }

    @Override
    public void clusterConfig(Peer peer, ClusterConfig config) {
        next.clusterConfig(peer, config);
    }

    @Override
    public void index(Peer peer, String folderId, List<FileRecord> records) {
        next.index(peer, folderId, records);
    }

    @Override
    public CompletableFuture<byte[]> blockRequested(Peer peer, BlockRequest request) {
        return next.blockRequested(peer, request);
    }

    @Override
    public void disconnected(Peer peer, Throwable reason) {
        lastClosed.put(peer.deviceId(), clock.instant());
        sessions.computeIfPresent(peer.deviceId(), (id, s) -> s.peer() == peer ? null : s);
        next.disconnected(peer, reason);
    }
}
