package org.meshfold.protocol;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.meshfold.identity.DeviceId;
import org.meshfold.protocol.ProtocolException.Kind;
import org.meshfold.replication.BlockRequest;
import org.meshfold.replication.PeerListener;
import org.meshfold.transport.AuthenticatedPeer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An extra connection to a device that carries only block requests, their responses and
 * keep-alive pings, for the device's main {@link Connection}, which spreads its requests over
 * itself and its lanes ({@link Lanes}). A lane has no Hello: both sides know it is one from the
 * TLS handshake ({@link AuthenticatedPeer#lane}), and it attaches to the main connection of the
 * device that authenticated. Requests served on a lane are answered for the main connection's
 * {@link org.meshfold.replication.Peer}, so the sync logic never sees lanes.
 *
 * <p>A lane that closes fails its pending requests with a {@link PeerClosedException}; the main
 * connection sends them again on itself. Dead lanes are found like dead connections
 * ({@link Liveness}).
 *
 * <p>Also the channel's last inbound handler. Lifecycle on the channel's event loop; {@link #request}
 * from any thread.
 */
final class Lane extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(Lane.class);

    private final Channel channel;
    private final Function<DeviceId, Optional<Connection>> mainOf;
    private final PeerListener listener;
    private final ByteCounter bytes;
    private final Timeouts timeouts;
    private final LongSupplier nanoTime;
    private volatile Connection main;
    private volatile PendingRequests pending;
    private InboundRequests inbound;
    private Liveness liveness;
    private ScheduledFuture<?> livenessCheck;
    private boolean closing;
    private volatile boolean unsupported;

    /** @param mainOf the open main connection a lane from this device attaches to, if any */
    Lane(Channel channel, Function<DeviceId, Optional<Connection>> mainOf, PeerListener listener, ByteCounter bytes,
            Timeouts timeouts, LongSupplier nanoTime) {
        this.channel = channel;
        this.mainOf = mainOf;
        this.listener = listener;
        this.bytes = bytes;
        this.timeouts = timeouts;
        this.nanoTime = nanoTime;
    }

    /** Sends a block request on this lane; fails with a {@link PeerClosedException} if the lane closes first. */
    CompletableFuture<byte[]> request(BlockRequest request) {
        return pending.send(channel, request, this);
    }

    /** Requests sent here and not yet answered. */
    int pendingRequests() {
        return pending.size();
    }

    long bytesIn() {
        return bytes.bytesIn();
    }

    long bytesOut() {
        return bytes.bytesOut();
    }

    /** When bytes last arrived on this lane, or when it was made if none did yet. */
    long lastReadNanos() {
        return bytes.lastReadNanos();
    }

    /** True once the lane joined a main connection (it may have closed since). */
    boolean attached() {
        return main != null;
    }

    /** True if the peer turned out not to know lanes: dialing it another lane is pointless. */
    boolean unsupported() {
        return unsupported;
    }

    void close(String reason) {
        channel.eventLoop().execute(() -> closeWith(reason));
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof AuthenticatedPeer peer) {
            attach(peer);
        } else if (evt instanceof IdleStateEvent idle && idle.state() == IdleState.READER_IDLE) {
            closeWith("no data for too long");
        }
        ReferenceCountUtil.release(evt);
    }

    private void attach(AuthenticatedPeer peer) {
        if (!peer.lane()) {
            // Only a dialed lane can meet this: the peer predates lanes and took it for a main connection.
            log.debug("device {} does not support lanes", peer.device().shortText());
            unsupported = true;
            closeNow();
            return;
        }
        Connection found = mainOf.apply(peer.device()).filter(Connection::isOpen).orElse(null);
        if (found == null) {
            closeWith("no connection with this device for the lane to join");
            return;
        }
        if (found.lanes().size() >= Lanes.EXTRA) {
            closeWith("this device takes at most " + Lanes.EXTRA + " lanes per connection");
            return;
        }
        main = found;
        pending = new PendingRequests(peer.device());
        inbound = new InboundRequests(channel, found, listener);
        liveness = new Liveness(timeouts.keepalive(), timeouts.missedPongs(), timeouts.rttProbe(),
                nanoTime.getAsLong(), bytes.lastReadNanos());
        scheduleLivenessCheck();
        found.lanes().add(this);
        if (!found.isOpen()) {
            closeWith("the main connection closed");
        } else {
            found.laneJoined(this);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof Message message) || closing || main == null) {
            ReferenceCountUtil.release(msg);
            return;
        }
        try {
            switch (message) {
                case Message.Request r -> inbound.accept(r);
                case Message.Response r -> pending.complete(r);
                case Message.Ping p -> channel.writeAndFlush(new Message.Pong(p.nonce()), channel.voidPromise());
                case Message.Pong p -> {
                }
                case Message.Close c -> closeNow();
                default -> throw new ProtocolException(Kind.UNEXPECTED_MESSAGE,
                        message.getClass().getSimpleName() + " on a lane");
            }
        } catch (ProtocolException e) {
            log.warn("closing lane {}: {}", this, e.getMessage());
            closeWith(e.getMessage());
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (inbound != null) {
            inbound.drain();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("lane {} failed: {}", this, cause.toString());
        closeNow();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closing = true;
        if (livenessCheck != null) {
            livenessCheck.cancel(false);
        }
        if (inbound != null) {
            inbound.close();
        }
        Connection m = main;
        if (m != null) {
            m.lanes().remove(this);
            pending.closeAll(new PeerClosedException("lane " + this + " closed", null));
        }
    }

    private void scheduleLivenessCheck() {
        long delay = Math.max(0, liveness.nextCheck() - nanoTime.getAsLong());
        livenessCheck = channel.eventLoop().schedule(this::checkLiveness, delay, TimeUnit.NANOSECONDS);
    }

    private void checkLiveness() {
        if (closing) {
            return;
        }
        switch (liveness.tick(nanoTime.getAsLong(), bytes.lastReadNanos())) {
            case PING -> channel.writeAndFlush(new Message.Ping(ThreadLocalRandom.current().nextLong()),
                    channel.voidPromise());
            case DEAD -> {
                log.info("closing lane {}: the peer stopped answering", this);
                closeNow();
                return;
            }
            case NONE -> {
            }
        }
        scheduleLivenessCheck();
    }

    /** Closes without telling the peer: it closed first, cannot be reached, or does not know lanes. */
    private void closeNow() {
        closing = true;
        channel.close();
    }

    private void closeWith(String reason) {
        if (closing) {
            return;
        }
        closing = true;
        channel.writeAndFlush(new Message.Close(reason)).addListener(f -> channel.close());
    }

    @Override
    public String toString() {
        Connection m = main;
        return (m != null ? m.toString() : "(unattached)") + " via " + channel.localAddress();
    }
}
