package org.meshfold.protocol;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiFunction;
import org.meshfold.index.FileRecord;
import org.meshfold.replication.BlockRequest;
import org.meshfold.replication.ClusterConfig;
import org.meshfold.replication.Peer;
import org.meshfold.replication.PeerListener;

/** A listener that records every event and serves blocks from a function. */
final class RecordingListener implements PeerListener {
    record Index(Peer peer, String folder, List<FileRecord> records) {
    }

    record Disconnect(Peer peer, Throwable reason) {
    }

    final List<Peer> connected = new CopyOnWriteArrayList<>();
    final List<ClusterConfig> configs = new CopyOnWriteArrayList<>();
    final List<Index> indexes = new CopyOnWriteArrayList<>();
    final List<BlockRequest> requests = new CopyOnWriteArrayList<>();
    final List<Disconnect> disconnected = new CopyOnWriteArrayList<>();
    volatile BiFunction<Peer, BlockRequest, CompletableFuture<byte[]>> blocks =
            (peer, request) -> CompletableFuture.completedFuture(new byte[request.size()]);

    @Override
    public void connected(Peer peer) {
        connected.add(peer);
    }

    @Override
    public void clusterConfig(Peer peer, ClusterConfig config) {
        configs.add(config);
    }

    @Override
    public void index(Peer peer, String folderId, List<FileRecord> records) {
        indexes.add(new Index(peer, folderId, records));
    }

    @Override
    public CompletableFuture<byte[]> blockRequested(Peer peer, BlockRequest request) {
        requests.add(request);
        return blocks.apply(peer, request);
    }

    @Override
    public void disconnected(Peer peer, Throwable reason) {
        disconnected.add(new Disconnect(peer, reason));
    }

    boolean sawConnected(org.meshfold.identity.DeviceId device) {
        return connected.stream().anyMatch(p -> p.deviceId().equals(device));
    }
}
