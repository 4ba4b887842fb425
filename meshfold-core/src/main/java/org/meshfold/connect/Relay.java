package org.meshfold.connect;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * This device's TURN allocation as the {@link PathSwitch} uses it: a way to send to and receive
 * from peers through the relay. Data from peers arrives at {@link PathSwitch#fromRelay}.
 */
public interface Relay {
    /** The relayed transport address peers send to. */
    InetSocketAddress relayedAddress();

    /** Sends {@code data} to {@code peer} through the relay (needs a permission for its address). */
    void send(InetSocketAddress peer, ByteBuffer data) throws IOException;

    /** Lets {@code peer} reach us through the relay (asynchronous; refreshed while the relay lives). */
    void permit(InetAddress peer);

    /** Binds a channel to a peer that carries a lot of traffic (4-byte instead of 36-byte overhead). */
    void bind(InetSocketAddress peer);
}
