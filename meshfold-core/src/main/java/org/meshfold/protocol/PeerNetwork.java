package org.meshfold.protocol;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.channel.ChannelHandler;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import org.meshfold.identity.DeviceId;
import org.meshfold.pairing.Invite;
import org.meshfold.pairing.PairingFailedException;
import org.meshfold.pairing.PairingOutcome;
import org.meshfold.pairing.PairingResponder;
import org.meshfold.protocol.codec.WireCodec;
import org.meshfold.replication.Peer;
import org.meshfold.transport.AuthenticatedPeer;
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
 * <p>Pairing (see {@link org.meshfold.pairing.Pairing}): with a {@link PairingResponder} in the
 * options, a device that is not trusted gets through TLS while the responder accepts joiners; its
 * connection is pairing-only (an {@link InviterConversation}) and never reaches the listener.
 * {@link #pair} is the joiner's side.
 *
 * <p>Threading: the listener is called on the network's event loop threads (netty), one thread per
 * connection at a time, and must return quickly, handing work to its own executors. A replaced
 * connection's {@code disconnected} may arrive after its successor's {@code connected}; the
 * {@link Peer} object identifies the connection. All methods here are thread-safe.
 */
public final class PeerNetwork implements AutoCloseable {
    private static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(1 << 20, 4 << 20);
    /** A closed lane is dialed again after this, unless it failed to join {@value #LANE_ATTEMPTS} times in a row. */
    private static final Duration LANE_REDIAL = Duration.ofSeconds(5);
    private static final int LANE_ATTEMPTS = 5;
    /** Pairing-only connections open at once, at most: each comes from a device nobody vouched for. */
    static final int MAX_PAIRING_CONNECTIONS = 8;

    private final NetworkOptions options;
    private final Timeouts timeouts;
    private final Transport transport;
    private final ConnectionRegistry registry;
    private final Message.Hello hello;
    private final SecureRandom random = new SecureRandom();
    /** Monotonic time for round-trip measurements and liveness. */
    private final LongSupplier nanoTime = System::nanoTime;
    private final Semaphore pairingSlots = new Semaphore(MAX_PAIRING_CONNECTIONS);
    private volatile Duration laneMinRtt = Lanes.MIN_RTT;
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

    /**
     * Starts listening on {@code options.listen()} over the transport {@code transports} makes,
     * for example {@code QuicTransport::create}; the network owns and closes it.
     */
    public static PeerNetwork start(NetworkOptions options, Transport.Factory transports) {
        return start(options, Timeouts.DEFAULT, transports);
    }

    static PeerNetwork start(NetworkOptions options, Timeouts timeouts) {
        return start(options, timeouts, TcpTlsTransport::create);
    }

    static PeerNetwork start(NetworkOptions options, Timeouts timeouts, Transport.Factory transports) {
        PairingResponder pairing = options.pairing();
        Predicate<DeviceId> admitted = pairing == null ? options.trusted()
                : device -> options.trusted().test(device) || pairing.acceptingJoiners();
        Transport transport = transports.create(options.identity(), admitted);
        try {
            PeerNetwork network = new PeerNetwork(options, timeouts, transport);
            network.listenAddress = transport.listen(options.listen(), network::setUpAccepted);
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

    /**
     * Joins a folder with {@code invite} (the joiner's side of pairing): dials the invite's
     * addresses with TLS pinned to the inviter, proves the secret, and closes the pairing
     * connection. Completes with the folder the inviter accepted this device into, or fails with
     * a {@link PairingFailedException} whose message is meant for the user. The sync connection
     * is not made here: once both sides list each other as paired, {@link #connect} makes it.
     *
     * @param deviceName this device's name, shown to the inviter's user (up to 1024 characters,
     *                   no control characters)
     */
    public CompletableFuture<PairingOutcome> pair(Invite invite, String deviceName) {
        Objects.requireNonNull(invite, "invite");
        if (deviceName.length() > 1024 || deviceName.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("device name must be at most 1024 characters without control "
                    + "characters");
        }
        if (closed) {
            return CompletableFuture.failedFuture(new PairingFailedException(PairingFailedException.Reason.BROKEN,
                    "the network is closed", null));
        }
        PairingDial dial = new PairingDial(transport, options.identity(), invite, deviceName, random, timeouts);
        dial.start(ch -> WireCodec.addTo(ch.pipeline(), options.maxFrameBytes()));
        return dial.result;
    }

    /**
     * Traffic and round-trip time of {@code peer}'s connection (open or closed), or empty if
     * {@code peer} did not come from this network.
     */
    public Optional<ConnectionStats> stats(Peer peer) {
        return peer instanceof Connection c && c.registry() == registry ? Optional.of(c.stats()) : Optional.empty();
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

    /** A dialed connection: always to a device we trust, so straight to the sync protocol. */
    private void setUp(Channel ch, ConnectionRegistry.Dial dial) {
        setUpCommon(ch);
        ch.pipeline().addLast("connection", attach(ch, dial));
    }

    /** An accepted connection: the handler is chosen once the peer is authenticated. */
    private void setUpAccepted(Channel ch) {
        setUpCommon(ch);
        ch.pipeline().addLast("admission", new AdmissionGate(peer -> route(ch, peer)));
    }

    private void setUpCommon(Channel ch) {
        ch.config().setWriteBufferWaterMark(WATER_MARK);
        ch.pipeline().addFirst(ByteCounter.NAME, new ByteCounter(nanoTime));
        WireCodec.addTo(ch.pipeline(), options.maxFrameBytes());
        ch.pipeline().addLast("idle", new IdleStateHandler(false, timeouts.deadAfter().toMillis(),
                timeouts.pingAfter().toMillis(), 0, TimeUnit.MILLISECONDS));
    }

    /** Trust is asked again: the handshake admitted the peer as trusted or as a joiner, and now it matters which. */
    private ChannelHandler route(Channel ch, AuthenticatedPeer peer) {
        if (options.trusted().test(peer.device())) {
            return peer.lane() ? lane(ch, registry::established) : attach(ch, null);
        }
        // The pairing conversation has its own deadline and sends no pings.
        ch.pipeline().remove("idle");
        return new InviterConversation(options.pairing(), random, timeouts.pairing(), pairingSlots);
    }

    private Lane lane(Channel ch, Function<DeviceId, Optional<Connection>> mainOf) {
        return new Lane(ch, mainOf, options.listener(), (ByteCounter) ch.pipeline().get(ByteCounter.NAME), timeouts,
                nanoTime);
    }

    /** Opens lanes beside dialed TCP connections whose round trip reaches {@code rtt} (tests: 0 for always). */
    void laneMinRtt(Duration rtt) {
        laneMinRtt = rtt;
    }

    /** Dials the lanes of {@code main} if its round trip is long enough (see {@link Lanes}); true if it did. */
    private boolean openLanes(Connection main, Duration rtt) {
        if (rtt.compareTo(laneMinRtt) < 0) {
            return false;
        }
        for (int i = 0; i < Lanes.EXTRA; i++) {
            dialLane(main, 0);
        }
        return true;
    }

    /**
     * Dials one lane for {@code main}, and again {@link #LANE_REDIAL} after it closes while
     * {@code main} is open, until it failed to join {@value #LANE_ATTEMPTS} times in a row; never
     * again if the peer does not know lanes.
     */
    private void dialLane(Connection main, int failures) {
        if (closed || !main.isOpen() || failures >= LANE_ATTEMPTS) {
            return;
        }
        transport.dialLane(main.deviceId(), main.dialedAddress(), ch -> {
            setUpCommon(ch);
            Lane lane = lane(ch, device -> device.equals(main.deviceId()) ? Optional.of(main) : Optional.empty());
            ch.pipeline().addLast("connection", lane);
            ch.closeFuture().addListener(f -> {
                if (lane.unsupported() || closed || !main.isOpen()) {
                    return;
                }
                int failed = lane.attached() ? 0 : failures + 1;
                ch.eventLoop().schedule(() -> dialLane(main, failed), LANE_REDIAL.toMillis(), TimeUnit.MILLISECONDS);
            });
        });
    }

    private ChannelHandler attach(Channel ch, ConnectionRegistry.Dial dial) {
        Connection connection = new Connection(ch, registry, options.listener(), hello, dial,
                (ByteCounter) ch.pipeline().get(ByteCounter.NAME), new RttEstimator(nanoTime), timeouts, nanoTime,
                this::openLanes);
        ch.closeFuture().addListener(f -> connection.onClosed());
        return new ConnectionHandler(connection);
    }
}
