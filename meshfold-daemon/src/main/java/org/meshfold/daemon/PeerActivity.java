package org.meshfold.daemon;

import java.time.Clock;
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
 * start time is kept per connection object.
 */
final class PeerActivity implements PeerListener {
    private record Session(Peer peer, Instant since) {
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

    /** When the device's last connection closed, if one did since start. */
    Optional<Instant> lastClosed(DeviceId device) {
        return Optional.ofNullable(lastClosed.get(device));
    }

    @Override
    public void connected(Peer peer) {
        sessions.put(peer.deviceId(), new Session(peer, clock.instant()));
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
