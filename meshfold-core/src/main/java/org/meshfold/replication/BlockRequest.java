package org.meshfold.replication;

import org.meshfold.index.BlockHash;

/** A request for one block of a file version a peer announced. */
public record BlockRequest(String folderId, String name, long offset, int size, BlockHash hash) {
}
