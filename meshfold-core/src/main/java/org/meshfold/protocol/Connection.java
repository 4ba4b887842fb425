package org.meshfold.protocol;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.timeout.IdleState;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BiPredicate;
import java.util.function.LongSupplier;
import org.meshfold.identity.DeviceId;
import org.meshfold.index.FileRecord;
import org.meshfold.protocol.ProtocolException.Kind;
import org.meshfold.protocol.codec.WireCodec;
import org.meshfold.replication.BlockRequest;
import org.meshfold.replication.ClusterConfig;
import org.meshfold.replication.Peer;
import org.meshfold.replication.PeerListener;
import org.meshfold.transport.AuthenticatedPeer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection to a peer, and the {@link Peer} the sync logic uses for it.
 *
 * <p>Lifecycle: authenticating (transport handshake) → awaiting Hello (ours sent) → established
 * (theirs received; reported to the listener) → closed. Any protocol violation closes the
 * connection after telling the peer why; the listener hears {@code disconnected} only for a
 * connection it heard {@code connected} for.
 *
 * <p>Threading: the {@code on*} methods run on the channel's event loop, which owns the lifecycle
 * state; the {@link Peer} methods may be called from any thread (netty queues the writes in order).
 *
 * <p>Once established, the connection pings the peer at once and then every {@code rttProbe} to
 * measure the round-trip time ({@link RttEstimator}); {@link #stats} reports it with the byte
 * counts of the channel's {@link ByteCounter}. It also pings when the peer has been silent for a
 * keepalive interval, and closes itself when the peer stays silent through several such pings
 * ({@link Liveness}), rather than waiting for TCP to give up.
 */
final class Connection implements Peer {
    private static final Logger log = LoggerFactory.getLogger(Connection.class);
    private static final long CLOSE_GRACE_SECONDS = 5;

    private enum State { AUTHENTICATING, AWAITING_HELLO, ESTABLISHED, CLOSED }

    private final Channel channel;
    private final ConnectionRegistry registry;
    private final PeerListener listener;
    private final Message.Hello hello;
    private final ConnectionRegistry.Dial dial;
    private final ByteCounter bytes;
    private final RttEstimator rtt;
    private final Timeouts timeouts;
    private final LongSupplier nanoTime;
    private final BiPredicate<Connection, Duration> openLanes;
    private final Lanes lanes = new Lanes();
    private boolean lanesOpened;
    private Liveness liveness;
    private ScheduledFuture<?> livenessCheck;
    private volatile State state = State.AUTHENTICATING;
    private volatile AuthenticatedPeer peer;
    private volatile PendingRequests pending;
    private volatile boolean closing;
    private InboundRequests inbound;
    private Throwable closeCause;
    private boolean closedLocally;
    private boolean duplicate;
    private boolean reported;

    /**
     * @param dial     the dial this connection answers, or null for an accepted connection
     * @param bytes    counts the channel's bytes (installed in its pipeline)
     * @param timeouts how often to ping once established, and when the peer counts as gone
     * @param nanoTime the monotonic time source of {@code bytes} and {@code rtt}
     */
    Connection(Channel channel, ConnectionRegistry registry, PeerListener listener, Message.Hello hello,
            ConnectionRegistry.Dial dial, ByteCounter bytes, RttEstimator rtt, Timeouts timeouts,
            LongSupplier nanoTime) {
        this(channel, registry, listener, hello, dial, bytes, rtt, timeouts, nanoTime, (c, r) -> false);
    }

    /**
     * @param openLanes asked on the event loop with each new smoothed round trip of this connection,
     *                  if dialed over TCP, until it opened lanes ({@link Lanes}) and returned true
     */
    Connection(Channel channel, ConnectionRegistry registry, PeerListener listener, Message.Hello hello,
            ConnectionRegistry.Dial dial, ByteCounter bytes, RttEstimator rtt, Timeouts timeouts,
            LongSupplier nanoTime, BiPredicate<Connection, Duration> openLanes) {
        this.openLanes = openLanes;
        this.channel = channel;
        this.registry = registry;
        this.listener = listener;
        this.hello = hello;
        this.dial = dial;
        this.bytes = bytes;
        this.rtt = rtt;
        this.timeouts = timeouts;
        this.nanoTime = nanoTime;
    }

    // ---- Peer ----

    @Override
    public DeviceId deviceId() {
        return peer == null ? null : peer.device();
    }

    @Override
    public String describePath() {
        AuthenticatedPeer p = peer;
        return p == null ? "connecting" : p.path() + " " + p.transport() + " " + AuthenticatedPeer.hostPort(p.remote());
    }

    @Override
    public void sendClusterConfig(ClusterConfig config) {
        channel.writeAndFlush(new Message.ClusterConfigMsg(config), channel.voidPromise());
    }

    @Override
    public void sendIndex(String folderId, List<FileRecord> records) {
        for (List<FileRecord> batch : IndexBatches.split(records)) {
            channel.write(new Message.IndexUpdate(folderId, batch), channel.voidPromise());
        }
        channel.flush();
    }

    /**
     * Sends the request on this connection or on the lane with the fewest unanswered requests; a
     * request whose lane closes before the answer is sent again here.
     */
    @Override
    public CompletableFuture<byte[]> request(BlockRequest request) {
        Lane lane = lanes.pick(pending.size());
        if (lane == null) {
            return send(request);
        }
        return lane.request(request).exceptionallyCompose(e ->
                InboundRequests.unwrap(e) instanceof PeerClosedException && isOpen()
                        ? send(request) : CompletableFuture.failedFuture(e));
    }

    private CompletableFuture<byte[]> send(BlockRequest request) {
        return pending.send(channel, request, this);
    }

    @Override
    public void close(String reason) {
        try {
            channel.eventLoop().execute(() -> closeLocally(reason));
        } catch (RejectedExecutionException e) {
            // The network is shutting down and closes every connection itself.
        }
    }

    @Override
    public boolean isOpen() {
        return state == State.ESTABLISHED && !closing && channel.isActive();
    }

    /** This connection's lanes. */
    Lanes lanes() {
        return lanes;
    }

    /**
     * {@code lane} joined: requests already waiting here (sent before there were lanes, behind a
     * slow window) are asked on it too, its share of them, and the first answer counts. Without
     * this, a transfer whose requests all went out before the lanes opened would not use them.
     */
    void laneJoined(Lane lane) {
        int share = (pending.size() + Lanes.EXTRA - 1) / Lanes.EXTRA;
        for (PendingRequests.Pending p : pending.takeUnshared(share)) {
            lane.request(p.request()).thenAccept(p.future()::complete);
        }
    }

    /** The address this device dialed, or null for an accepted connection. */
    InetSocketAddress dialedAddress() {
        return dial == null ? null : dial.address;
    }

    /** The registry of the network this connection belongs to. */
    ConnectionRegistry registry() {
        return registry;
    }

    boolean initiator() {
        return dial != null;
    }

    /** Not closed or closing. */
    boolean isLive() {
        return state != State.CLOSED && !closing && channel.isActive();
    }

    /** Sends a Ping now: if the connection is dead, the write or the missing reply will show it. */
    void probe() {
        sendPing();
    }

    /** Bytes in and out so far, the round-trip time and how long the peer has been silent; from any thread. */
    ConnectionStats stats() {
        return new ConnectionStats(bytes.bytesIn() + lanes.bytesIn(), bytes.bytesOut() + lanes.bytesOut(),
                rtt.latest(), rtt.smoothed(),
                Duration.ofNanos(Math.max(0, nanoTime.getAsLong() - lastHeardNanos())));
    }

    /**
     * When the peer was last heard from, here or on one of this connection's lanes. A lane's bytes
     * prove the peer and the path alive as well: on a lossy path this connection's own answers can
     * wait many seconds behind the block data queued on it, while the lanes keep delivering.
     */
    private long lastHeardNanos() {
        return Math.max(bytes.lastReadNanos(), lanes.lastReadNanos(Long.MIN_VALUE));
    }

    private void sendPing() {
        long nonce = ThreadLocalRandom.current().nextLong();
        rtt.pingSent(nonce);
        channel.writeAndFlush(new Message.Ping(nonce), channel.voidPromise());
    }

    /** Authenticated but not yet established, and not on its way out. */
    boolean isNegotiating() {
        return (state == State.AUTHENTICATING || state == State.AWAITING_HELLO) && !closing && channel.isActive();
    }

    // ---- lifecycle, on the event loop ----

    void onAuthenticated(AuthenticatedPeer authenticated) {
        peer = authenticated;
        pending = new PendingRequests(authenticated.device());
        inbound = new InboundRequests(channel, this, listener);
        if (dial != null) {
            registry.landed(dial);
        }
        switch (registry.admit(this)) {
            case ACCEPT -> {
                state = State.AWAITING_HELLO;
                channel.writeAndFlush(hello, channel.voidPromise());
            }
            case DUPLICATE -> {
                duplicate = true;
                log.debug("dropping duplicate connection with {}", this);
                closeLocally(ConnectionRegistry.DUPLICATE);
                if (dial == null) {
                    // The peer may be re-dialing because it lost the established one: check it.
                    registry.established(authenticated.device()).ifPresent(Connection::probe);
                }
            }
            case SELF -> fail(new ProtocolException(Kind.UNEXPECTED_MESSAGE, "connected to this device itself"));
        }
    }

    void onMessage(Message message) throws ProtocolException {
        if (closing) {
            return;
        }
        if (message instanceof Message.Close close) {
            onPeerClose(close.reason());
        } else if (state != State.ESTABLISHED) {
            if (!(message instanceof Message.Hello h) || state != State.AWAITING_HELLO) {
                throw new ProtocolException(Kind.UNEXPECTED_MESSAGE,
                        message.getClass().getSimpleName() + " before Hello");
            }
            onHello(h);
        } else {
            dispatch(message);
        }
    }

    private void dispatch(Message message) throws ProtocolException {
        switch (message) {
            case Message.ClusterConfigMsg c -> notifyListener(() -> listener.clusterConfig(this, c.config()));
            case Message.IndexUpdate u -> notifyListener(() -> listener.index(this, u.folder(), u.records()));
            case Message.Request r -> inbound.accept(r);
            case Message.Response r -> pending.complete(r);
            case Message.Ping p -> channel.writeAndFlush(new Message.Pong(p.nonce()), channel.voidPromise());
            case Message.Pong p -> {
                rtt.pongReceived(p.nonce());
                considerLanes();
            }
            case Message.Hello h -> throw new ProtocolException(Kind.UNEXPECTED_MESSAGE, "second Hello");
            case Message.Close c -> onPeerClose(c.reason());
            case Message.PairingMessage p -> throw new ProtocolException(Kind.UNEXPECTED_MESSAGE,
                    p.getClass().getSimpleName() + " on a connection between paired devices");
        }
    }

    private void onHello(Message.Hello h) {
        state = State.ESTABLISHED;
        if (h.protocolVersion() >= Message.Hello.BLOCK_LIST_DELTAS) {
            WireCodec.sendBlockListDeltas(channel.pipeline());
        }
        log.debug("connected to {} ({} {})", this, h.clientName(), h.clientVersion());
        ConnectionRegistry.Established result = registry.establish(this);
        sendPing();
        liveness = new Liveness(timeouts.keepalive(), timeouts.missedPongs(), timeouts.rttProbe(),
                nanoTime.getAsLong(), lastHeardNanos());
        scheduleLivenessCheck();
        reported = true;
        notifyListener(() -> listener.connected(this));
        result.waiters().forEach(f -> f.complete(this));
        if (result.replaced() != null) {
            result.replaced().close("replaced by a newer connection");
        }
    }

    private void considerLanes() {
        Duration smoothed = rtt.smoothed();
        if (!lanesOpened && dial != null && AuthenticatedPeer.TCP.equals(peer.transport()) && smoothed != null
                && openLanes.test(this, smoothed)) {
            lanesOpened = true;
            log.info("round trip to {} is {} ms: opening {} lanes for block transfers", this, smoothed.toMillis(),
                    Lanes.EXTRA);
        }
    }

    private void scheduleLivenessCheck() {
        long delay = Math.max(0, liveness.nextCheck() - nanoTime.getAsLong());
        livenessCheck = channel.eventLoop().schedule(this::checkLiveness, delay, TimeUnit.NANOSECONDS);
    }

    private void checkLiveness() {
        if (!isOpen()) {
            return;
        }
        long now = nanoTime.getAsLong();
        switch (liveness.tick(now, lastHeardNanos())) {
            case PING -> sendPing();
            case DEAD -> {
                closeDead("nothing from device " + shortId() + " for " + liveness.silence(now).toSeconds() + " s, "
                        + timeouts.missedPongs() + " pings unanswered: the connection is dead");
                return;
            }
            case NONE -> {
            }
        }
        scheduleLivenessCheck();
    }

    /**
     * Closes at once: a silent peer would not answer a Close, so waiting for it (as
     * {@link #sendCloseAndClose} does) would only delay the reconnection. The Close still goes out
     * in case the peer is merely slow.
     */
    private void closeDead(String reason) {
        closing = true;
        closeCause = new PeerClosedException(reason, null);
        log.warn("closing connection with {}: {}", this, reason);
        channel.writeAndFlush(new Message.Close(reason), channel.voidPromise());
        channel.close();
    }

    private void onPeerClose(String reason) {
        if (reason.equals(ConnectionRegistry.DUPLICATE)) {
            duplicate = true;
        }
        closeCause = new PeerClosedException("device " + shortId() + " closed the connection: " + reason, null);
        if (state == State.ESTABLISHED) {
            log.info("{} closed the connection: {}", this, reason);
        }
        closing = true;
        channel.close();
    }

    void onIdle(IdleState idle) {
        if (closing) {
            return;
        }
        if (idle == IdleState.WRITER_IDLE && state == State.ESTABLISHED) {
            sendPing();
        } else if (idle == IdleState.READER_IDLE) {
            fail(new PeerClosedException("no data from device " + shortId() + " for too long", null));
        }
    }

    void onWritabilityChanged() {
        if (inbound != null) {
            inbound.drain();
        }
    }

    /** Closes because of {@code cause}, telling the peer why when the failure is theirs. */
    void fail(Throwable cause) {
        if (closing) {
            return;
        }
        closing = true;
        closeCause = cause;
        if (cause instanceof ProtocolException || cause instanceof PeerClosedException) {
            if (state == State.ESTABLISHED || cause instanceof ProtocolException) {
                log.warn("closing connection with {}: {}", this, cause.getMessage());
            }
            sendCloseAndClose(cause.getMessage());
        } else {
            if (state == State.ESTABLISHED) {
                log.info("connection with {} failed: {}", this, cause.toString());
            } else {
                log.debug("connection with {} failed: {}", this, cause.toString());
            }
            channel.close();
        }
    }

    private void closeLocally(String reason) {
        if (closing) {
            return;
        }
        closing = true;
        closedLocally = true;
        sendCloseAndClose(reason);
    }

    /**
     * Sends Close, then half-closes: closing at once while the peer is still sending would reset
     * the connection and could discard the Close (and its reason) before the peer reads it. Input
     * is read and dropped until the peer closes too, or the grace period ends.
     */
    private void sendCloseAndClose(String reason) {
        channel.writeAndFlush(new Message.Close(reason)).addListener(f -> {
            if (f.isSuccess() && channel instanceof DuplexChannel duplex) {
                duplex.shutdownOutput();
            } else {
                channel.close();
            }
        });
        // A peer that stops reading must not keep the connection half-open forever.
        channel.eventLoop().schedule(() -> channel.close(), CLOSE_GRACE_SECONDS, TimeUnit.SECONDS);
    }

    void onClosed() {
        state = State.CLOSED;
        closing = true;
        lanes.closeAll("the main connection closed");
        if (livenessCheck != null) {
            livenessCheck.cancel(false);
        }
        if (inbound != null) {
            inbound.close();
        }
        Throwable reason = closedLocally ? null : closeCause != null ? closeCause
                : new PeerClosedException("connection with device " + shortId() + " was closed by the peer", null);
        if (pending != null) {
            pending.closeAll(reason != null ? reason
                    : new PeerClosedException("connection with device " + shortId() + " was closed", null));
        }
        registry.closed(this);
        if (reported) {
            notifyListener(() -> listener.disconnected(this, reason));
        }
        if (dial != null && !duplicate && registry.abandon(dial)) {
            dial.future.completeExceptionally(PeerConnectException.of(dial.expected, dial.address, reason));
        } else if (dial != null) {
            registry.landed(dial);
        }
    }

    private void notifyListener(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            log.error("peer listener failed on an event from {}", this, e);
        }
    }

    private String shortId() {
        AuthenticatedPeer p = peer;
        return p != null ? p.device().shortText() : dial != null ? dial.expected.shortText() : "(unauthenticated)";
    }

    @Override
    public String toString() {
        AuthenticatedPeer p = peer;
        Object remote = p != null ? p.remote() : channel.remoteAddress();
        return (p != null ? p.device().toString() : shortId()) + " at "
                + (remote instanceof InetSocketAddress a ? AuthenticatedPeer.hostPort(a) : String.valueOf(remote));
    }
}
