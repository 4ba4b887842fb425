package org.meshfold.replication;

import java.util.List;

/**
 * What a device tells a peer right after connecting: the folders it shares with that peer, its
 * own index position for each, and how far it has already received the peer's index (so the
 * peer sends only what changed since: delta sync).
 */
public record ClusterConfig(List<Folder> folders) {
    public ClusterConfig {
        folders = List.copyOf(folders);
    }

    /**
     * @param epoch        the sender's index epoch for this folder
     * @param maxSequence  the sender's highest local sequence
     * @param seenEpoch    the recipient's epoch as last received by the sender (0 = none)
     * @param seenSequence the highest sequence of the recipient's index the sender has stored
     */
    public record Folder(String id, String label, long epoch, long maxSequence, long seenEpoch, long seenSequence) {
    }
}
