package org.meshfold.replication;

/** A requested block is not (or no longer) available on this device; the requester should ask another peer. */
public final class BlockUnavailableException extends RuntimeException {
    public BlockUnavailableException(BlockRequest request, String reason) {
        super("block " + request.hash() + " of '" + request.name() + "' at offset " + request.offset()
                + " in folder " + request.folderId() + " is not available: " + reason);
    }
}
