package org.meshfold.replication;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.meshfold.index.FileRecord;

/**
 * What the protocol layer reports to the sync logic (as Syncthing's {@code protocol.Model}).
 * Called on network threads: implementations hand work to their own executors and return quickly.
 * Everything passed in has already been validated by the codec (names, sizes, vectors).
 */
public interface PeerListener {

    void connected(Peer peer);

    void clusterConfig(Peer peer, ClusterConfig config);

    void index(Peer peer, String folderId, List<FileRecord> records);

    /** The peer asks for a block; complete with its bytes, or exceptionally if it is not available. */
    CompletableFuture<byte[]> blockRequested(Peer peer, BlockRequest request);

    /** The connection closed; {@code reason} is null for a clean close. */
    void disconnected(Peer peer, Throwable reason);
}
