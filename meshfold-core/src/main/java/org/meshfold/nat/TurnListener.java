package org.meshfold.nat;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;

/**
 * Receives what a {@link TurnClient} gets from its server. Called on the thread that offered the
 * datagram ({@code onPeerData}) or on the client's scheduler (refresh outcomes); must not block.
 */
public interface TurnListener {
    /** Application data a peer sent to our relayed address; {@code data} is ours to keep. */
    void onPeerData(InetSocketAddress peer, ByteBuffer data);

    /** The allocation was refreshed and now lives {@code lifetime} longer. */
    default void onRefreshed(Duration lifetime) {
    }

    /** A periodic refresh of the allocation, a permission or a channel failed. */
    default void onRefreshFailed(Throwable cause) {
    }
}
