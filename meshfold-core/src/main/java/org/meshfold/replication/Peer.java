package org.meshfold.replication;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.meshfold.identity.DeviceId;
import org.meshfold.index.FileRecord;

/**
 * One connected, authenticated peer, as the sync logic sees it. Implemented by the protocol
 * layer; the sync logic never sees a socket. Methods are thread-safe and do not block: sends are
 * queued in order.
 */
public interface Peer {

    DeviceId deviceId();

    /** "lan", "direct" or "relayed"; plus the remote address, for status output. */
    String describePath();

    void sendClusterConfig(ClusterConfig config);

    /** Sends index records (in sequence order) of {@code folderId}; large lists are split into frames. */
    void sendIndex(String folderId, List<FileRecord> records);

    /**
     * Asks the peer for a block. The future completes with exactly the bytes sent (not yet
     * verified: the caller checks the hash), or exceptionally if the peer answers with an error or
     * the connection closes.
     */
    CompletableFuture<byte[]> request(BlockRequest request);

    /** Closes the connection, telling the peer why. */
    void close(String reason);

    boolean isOpen();
}
