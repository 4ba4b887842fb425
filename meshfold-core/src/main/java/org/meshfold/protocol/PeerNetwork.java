package org.meshfold.protocol;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.timeout.IdleStateHandler;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.meshfold.identity.DeviceId;
import org.meshfold.protocol.codec.WireCodec;
import org.meshfold.replication.Peer;
import org.meshfold.transport.TcpTlsTransport;
import org.meshfold.transport.Transport;

/**
 * This device on the network: accepts connections from trusted devices, dials peers, and runs the
 * protocol on each connection (Hello exchange, messages, keep-alive, validation), reporting to the
 * {@link org.meshfold.replication.PeerListener}.
 *
 * <p>At most one connection per device is live; when two devices dial each other at once, the
 * connection initiated by the smaller device id is kept and the other closed unreported (see
 * {@link ConnectionRegistry}).
 *
 * <p>Threading: the listener is called on the network's event loop threads (netty), one thread per
 * connection at a time, and must return quickly, handing work to its own executors. A replaced
 * connection's {@code disconnected} may arrive after its successor's {@code connected}; the
 * {@link Peer} object identifies the connection. All methods here are thread-safe.
 */
public final class PeerNetwork implements AutoCloseable {
    private static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(1 << 20, 4 << 20);

    private final NetworkOptions options;
    private final Timeouts timeouts;
    private final Transport transport;
    private final ConnectionRegistry registry;
    private final Message.Hello hello;
    private volatile InetSocketAddress listenAddress;
    private volatile boolean closed;

    private PeerNetwork(NetworkOptions options, Timeouts timeouts, Transport transport) {
        this.options = options;
        this.timeouts = timeouts;
        this.transport = transport;
        this.registry = new ConnectionRegistry(options.identity().deviceId());
        String version = Objects.requireNonNullElse(PeerNetwork.class.getPackage().getImplementationVersion(), "dev");
        this.hello = new Message.Hello("", "meshfold", version, Message.Hello.PROTOCOL_VERSION);
    }

    /** Starts listening on {@code options.listen()} over TCP + TLS 1.3. */
    public static PeerNetwork start(NetworkOptions options) {
        return start(options, Timeouts.DEFAULT);
    }

    static PeerNetwork start(NetworkOptions options, Timeouts timeouts) {
        Transport transport = TcpTlsTransport.create(options.identity(), options.trusted());
        try {
            PeerNetwork network = new PeerNetwork(options, timeouts, transport);
            network.listenAddress = transport.listen(options.listen(), ch -> network.setUp(ch, null));
            return network;
        } catch (RuntimeException e) {
            transport.close();
            throw e;
        }
    }

    public InetSocketAddress listenAddress() {
        return listenAddress;
    }

    /**
     * Connects to {@code expected} at {@code address}. Completes with the device's connection once
     * both sides said Hello, or at once if one is already established; fails if the address is
     * unreachable, the device there is not {@code expected}, or it does not accept us.
     */
    public CompletableFuture<Peer> connect(DeviceId expected, InetSocketAddress address) {
        if (closed) {
            return CompletableFuture.failedFuture(new PeerConnectException("the network is closed", null));
        }
        ConnectionRegistry.Dial dial = registry.startDial(expected, address);
        if (dial.future.isDone()) {
            return dial.future;
        }
        ChannelFuture connecting = transport.dial(expected, address, ch -> setUp(ch, dial));
        connecting.addListener(f -> {
            if (!f.isSuccess() && registry.abandon(dial)) {
                dial.future.completeExceptionally(PeerConnectException.of(expected, address, f.cause()));
            }
        });
        connecting.channel().eventLoop().schedule(() -> {
            if (registry.abandon(dial)) {
                dial.future.completeExceptionally(new PeerConnectException("no connection with device "
                        + expected.shortText() + " at " + address + " within " + timeouts.connect().toSeconds()
                        + " s", null));
            }
        }, timeouts.connect().toMillis(), TimeUnit.MILLISECONDS);
        return dial.future;
    }

    /** The established connection with {@code device}, if any. */
    public Optional<Peer> connected(DeviceId device) {
        return registry.established(device).map(Peer.class::cast);
    }

    /** Closes every connection (telling peers) and stops listening. */
    @Override
    public void close() {
        closed = true;
        for (Connection c : registry.allEstablished()) {
            c.close("shutting down");
        }
        transport.close();
    }

    private void setUp(Channel ch, ConnectionRegistry.Dial dial) {
        ch.config().setWriteBufferWaterMark(WATER_MARK);
        WireCodec.addTo(ch.pipeline(), options.maxFrameBytes());
        ch.pipeline().addLast("idle", new IdleStateHandler(false, timeouts.deadAfter().toMillis(),
                timeouts.pingAfter().toMillis(), 0, TimeUnit.MILLISECONDS));
        Connection connection = new Connection(ch, registry, options.listener(), hello, dial);
        ch.pipeline().addLast("connection", new ConnectionHandler(connection));
        ch.closeFuture().addListener(f -> connection.onClosed());
    }
}
