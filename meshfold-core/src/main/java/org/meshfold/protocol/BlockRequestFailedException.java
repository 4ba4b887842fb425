package org.meshfold.protocol;

import java.io.IOException;
import org.meshfold.identity.DeviceId;
import org.meshfold.replication.BlockRequest;

/** The peer answered a block request with an error code instead of data. */
public final class BlockRequestFailedException extends IOException {
    private final int code;

    public BlockRequestFailedException(DeviceId peer, BlockRequest request, int code) {
        super("device " + peer.shortText() + " could not serve " + request.folderId() + ":" + request.name() + " @"
                + request.offset() + "+" + request.size() + ": " + Message.Response.describe(code));
        this.code = code;
    }

    /** The {@link Message.Response} code the peer sent. */
    public int code() {
        return code;
    }
}
