package org.meshfold.transport;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.meshfold.identity.DeviceId;
import org.meshfold.identity.DeviceIdentity;

/**
 * A way to reach devices: accepts and dials authenticated, encrypted byte streams, delivered as
 * netty {@link Channel}s. The protocol layer runs on top without knowing which transport it is.
 *
 * <p>Contract for every channel, accepted or dialed: {@code setup} is called once on the channel's
 * event loop, after the transport installed its own handlers, so the protocol can append its
 * handlers. When the peer has proven its identity, an {@link AuthenticatedPeer} user event travels
 * down the pipeline; no application data flows before it. If authentication fails, the failure is
 * fired through {@code exceptionCaught} and the channel closes: an untrusted peer never produces
 * an {@link AuthenticatedPeer} event.
 */
public interface Transport extends AutoCloseable {

    /** Starts accepting connections on {@code address} (port 0: any free port); returns the bound address. */
    InetSocketAddress listen(InetSocketAddress address, Consumer<Channel> setup);

    /**
     * Connects to {@code address}, accepting the peer only if it is {@code expected}. The future
     * completes when the stream is connected, before authentication.
     */
    ChannelFuture dial(DeviceId expected, InetSocketAddress address, Consumer<Channel> setup);

    /**
     * Dials a lane to {@code expected}: an extra connection that, once authenticated, carries
     * {@link AuthenticatedPeer#lane} on both sides. Empty if this transport has no lanes (the
     * caller then keeps to the one connection). A peer too old to know lanes completes the
     * handshake without the flag, and the caller must close that connection.
     */
    default Optional<ChannelFuture> dialLane(DeviceId expected, InetSocketAddress address, Consumer<Channel> setup) {
        return Optional.empty();
    }

    /**
     * Whether this transport can dial {@code address} at all (a {@link VirtualAddress} only
     * through the shared UDP socket's managed paths); others may, so a racing transport leaves
     * this one out instead of letting it fail.
     */
    default boolean canDial(InetSocketAddress address) {
        return !VirtualAddress.isVirtual(address);
    }

    /** Stops listening, closes every channel and releases the threads. */
    @Override
    void close();

    /** Makes a transport for this device that admits only peers {@code trusted} accepts during the handshake. */
    @FunctionalInterface
    interface Factory {
        Transport create(DeviceIdentity identity, Predicate<DeviceId> trusted);
    }
}
