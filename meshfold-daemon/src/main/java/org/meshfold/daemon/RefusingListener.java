package org.meshfold.daemon;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.meshfold.index.FileRecord;
import org.meshfold.replication.BlockRequest;
import org.meshfold.replication.ClusterConfig;
import org.meshfold.replication.Peer;
import org.meshfold.replication.PeerListener;

/** For networks that only pair: a paired device that connects is told no daemon runs here. */
final class RefusingListener implements PeerListener {
    @Override
    public void connected(Peer peer) {
        peer.close("this device is pairing, not syncing: start 'meshfold run' on it");
    }

    @Override
    public void clusterConfig(Peer peer, ClusterConfig config) {
    }

    @Override
    public void index(Peer peer, String folderId, List<FileRecord> records) {
    }

    @Override
    public CompletableFuture<byte[]> blockRequested(Peer peer, BlockRequest request) {
        return CompletableFuture.failedFuture(new IllegalStateException("not syncing"));
    }

    @Override
    public void disconnected(Peer peer, Throwable reason) {
    }
}
