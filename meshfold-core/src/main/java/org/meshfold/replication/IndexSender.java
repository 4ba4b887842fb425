package org.meshfold.replication;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.meshfold.index.FileRecord;
import org.meshfold.index.FolderIndex;

/**
 * Sends this device's local records of one folder to each connected peer, in sequence order
 * and in pages: on connect everything after what the peer says it has seen (or everything, if
 * the peer saw another epoch of our index), afterwards whatever was committed since the last
 * send. Owned by the folder loop.
 */
final class IndexSender {
    private final FolderIndex index;
    private final int pageSize;
    private final Map<Long, Target> targets = new HashMap<>();

    private static final class Target {
        final Peer peer;
        long lastSent;

        Target(Peer peer, long lastSent) {
            this.peer = peer;
            this.lastSent = lastSent;
        }
    }

    IndexSender(FolderIndex index, int pageSize) {
        this.index = index;
        this.pageSize = pageSize;
    }

    /** Starts sending to a peer that announced {@code theirs} for this folder. */
    void start(long device, Peer peer, ClusterConfig.Folder theirs) {
        boolean sameEpoch = theirs.seenEpoch() == index.epoch();
        // A peer claiming more than we ever assigned holds a stale copy of our index: resend all.
        long from = sameEpoch && theirs.seenSequence() <= index.maxSequence() ? theirs.seenSequence() : 0;
        Target t = new Target(peer, from);
        targets.put(device, t);
        send(t);
    }

    /** Stops sending to {@code peer} if it is still the registered connection of {@code device}. */
    void stop(long device, Peer peer) {
        targets.computeIfPresent(device, (d, t) -> t.peer == peer ? null : t);
    }

    /** Sends newly committed local records to every peer. */
    void sendPending() {
        targets.values().forEach(this::send);
    }

    private void send(Target t) {
        while (t.peer.isOpen()) {
            List<FileRecord> page = index.localSince(t.lastSent, pageSize);
            if (page.isEmpty()) {
                return;
            }
            t.peer.sendIndex(index.folderId(), page);
            t.lastSent = page.get(page.size() - 1).sequence();
        }
    }

    /** Our side of the cluster config for {@code device}: our index position and how far we have theirs. */
    static ClusterConfig.Folder announce(FolderIndex index, String label, long device) {
        FolderIndex.Cursor seen = index.cursor(device);
        return new ClusterConfig.Folder(index.folderId(), label, index.epoch(), index.maxSequence(),
                seen.epoch(), seen.sequence());
    }
}
