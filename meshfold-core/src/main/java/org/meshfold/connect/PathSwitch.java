package org.meshfold.connect;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.BiPredicate;
import java.util.function.LongSupplier;
import org.meshfold.connect.PeerPaths.Path;
import org.meshfold.connect.PeerPaths.Route;
import org.meshfold.identity.DeviceId;
import org.meshfold.nat.DatagramPort;
import org.meshfold.transport.VirtualAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first handler of the shared UDP socket (DESIGN §8, iroh's "magicsock"): QUIC talks to a
 * device at its {@link VirtualAddress}; this handler sends each of those packets on the device's
 * best proven path — straight to an address, or through this device's TURN {@link Relay} — and
 * presents every packet from a known path as coming from the virtual address. So QUIC never
 * knows whether a path is direct or relayed, and a path can change (relayed → direct, a new NAT
 * mapping) under a live connection without interrupting it.
 *
 * <p>Paths are found and proven with {@link Probe}s: {@link #punch} makes both devices (each told
 * by the rendezvous server to start at the same moment) ping every candidate of the other over
 * every route for a while; a ping from an unknown address teaches a peer-reflexive path; a pong
 * proves a path. While the best path is relayed, or none is proven, candidates are retried every
 * {@link #SLOW_PROBE}; the active path is pinged every {@link #KEEPALIVE} (which also keeps NAT
 * mappings open: Linux drops an unanswered UDP mapping after 30 s) and forgotten after {@link
 * #PATH_TIMEOUT} without a pong. Only devices registered through {@link #punch} are answered.
 *
 * <p>Threading: the state belongs to the socket's event loop; public methods may be called from
 * any thread and hop there. {@link #activePath} reads a concurrent snapshot.
 */
public final class PathSwitch extends ChannelDuplexHandler {
    private static final Logger log = LoggerFactory.getLogger(PathSwitch.class);
    static final Duration TICK = Duration.ofMillis(250);
    static final Duration SLOW_PROBE = Duration.ofSeconds(2);
    static final Duration KEEPALIVE = Duration.ofSeconds(10);
    static final Duration PATH_TIMEOUT = Duration.ofSeconds(32);
    private static final Duration PING_MEMORY = Duration.ofSeconds(10);
    private static final int MAX_PEERS = 4096;

    /** Told when a device's active path appears, changes kind or address, or vanishes (on the event loop). */
    public interface Listener {
        void pathChanged(DeviceId device, Optional<PathKind> kind);
    }

    private record Sent(DeviceId device, Path path, long atNanos) {
    }

    /** A device's active path as {@code status} shows it. */
    public record Active(PathKind kind, InetSocketAddress address, boolean throughOwnRelay) {
    }

    private final DeviceId self;
    private final LongSupplier nanoTime;
    private final SecureRandom random = new SecureRandom();
    private final Map<DeviceId, PeerPaths> peers = new HashMap<>();
    private final Map<InetSocketAddress, DeviceId> byVirtual = new HashMap<>();
    private final Map<Path, DeviceId> byPath = new HashMap<>();
    private final Map<Long, Sent> pings = new HashMap<>();
    private final Map<DeviceId, Active> actives = new ConcurrentHashMap<>();
    private volatile Listener listener = (d, k) -> { };
    private final List<BiPredicate<ByteBuffer, InetSocketAddress>> sinks = new CopyOnWriteArrayList<>();
    private volatile ChannelHandlerContext ctx;
    private Relay relay;
    private boolean udpBlocked;
    private ScheduledFuture<?> ticker;

    public PathSwitch(DeviceId self) {
        this(self, System::nanoTime);
    }

    PathSwitch(DeviceId self, LongSupplier nanoTime) {
        this.self = self;
        this.nanoTime = nanoTime;
    }

    /** Added once, to one socket; declared sharable so a socket that failed to bind can be retried. */
    @Override
    public boolean isSharable() {
        return true;
    }

    public void listener(Listener l) {
        this.listener = l;
    }

    /**
     * Offers every datagram that is not a probe to {@code sink} first (STUN and TURN clients on
     * this socket); the sink returns true for those it consumed. Called on the event loop.
     */
    public void addSink(BiPredicate<ByteBuffer, InetSocketAddress> sink) {
        sinks.add(sink);
    }

    public void removeSink(BiPredicate<ByteBuffer, InetSocketAddress> sink) {
        sinks.remove(sink);
    }

    /** Raw datagrams from the shared socket, past path switching (STUN and TURN over UDP). */
    public DatagramPort socketPort() {
        return (datagram, recipient) -> {
            ChannelHandlerContext c = requireSocket();
            c.writeAndFlush(new DatagramPacket(Unpooled.copiedBuffer(datagram), recipient), c.voidPromise());
        };
    }

    /** The address of the shared socket, once bound. */
    public Optional<InetSocketAddress> localAddress() {
        ChannelHandlerContext c = ctx;
        return c == null ? Optional.empty() : Optional.ofNullable((InetSocketAddress) c.channel().localAddress());
    }

    /** Uses {@code r} (null: none) for relayed paths; with {@code blocked}, UDP goes only through the relay. */
    public void relay(Relay r, boolean blocked) {
        onLoop(() -> {
            relay = r;
            udpBlocked = blocked;
        });
    }

    /**
     * Starts (or refreshes) probing {@code device}: its candidates are pinged over every route
     * from {@code startNanos} (on this switch's clock) for {@code burst}, then retried slowly
     * until a direct path is proven. Also makes the device known, so its probes are answered.
     */
    public void punch(DeviceId device, Collection<InetSocketAddress> candidates, long startNanos, Duration burst) {
        List<InetSocketAddress> copy = List.copyOf(candidates);
        onLoop(() -> {
            PeerPaths p = peer(device);
            if (p == null) {
                return;
            }
            p.addCandidates(copy);
            if (relay != null) {
                copy.forEach(a -> relay.permit(a.getAddress()));
            }
            p.punchUntilNanos = Math.max(p.punchUntilNanos, startNanos + burst.toNanos());
            long delay = Math.max(0, startNanos - nanoTime.getAsLong());
            ctx.executor().schedule(() -> probe(p, true), delay, TimeUnit.NANOSECONDS);
        });
    }

    /** Stops probing {@code device} and drops its paths. */
    public void forget(DeviceId device) {
        onLoop(() -> {
            PeerPaths p = peers.remove(device);
            if (p != null) {
                byVirtual.remove(VirtualAddress.of(device));
                byPath.values().removeIf(device::equals);
                setActive(device, Optional.empty());
            }
        });
    }

    /** The kind of {@code device}'s active path, if one is proven. */
    public Optional<PathKind> activePath(DeviceId device) {
        return active(device).map(Active::kind);
    }

    /** {@code device}'s active path, if one is proven. */
    public Optional<Active> active(DeviceId device) {
        return Optional.ofNullable(actives.get(device));
    }

    /** A datagram from {@code peer} that arrived through our relay (any thread). */
    public void fromRelay(InetSocketAddress peer, ByteBuffer data) {
        ChannelHandlerContext c = ctx;
        if (c == null) {
            return;
        }
        if (c.executor().inEventLoop()) {
            receive(Unpooled.wrappedBuffer(data), new Path(Route.OWN_RELAY, peer), false);
        } else {
            c.executor().execute(() -> receive(Unpooled.wrappedBuffer(data), new Path(Route.OWN_RELAY, peer), true));
        }
    }

    // ---- the pipeline ----

    @Override
    public void handlerAdded(ChannelHandlerContext context) {
        ctx = context;
    }

    @Override
    public void channelActive(ChannelHandlerContext context) {
        long tick = TICK.toNanos();
        ticker = context.executor().scheduleAtFixedRate(this::tick, tick, tick, TimeUnit.NANOSECONDS);
        context.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext context) {
        if (ticker != null) {
            ticker.cancel(false);
        }
        context.fireChannelInactive();
    }

    @Override
    public void channelRead(ChannelHandlerContext context, Object msg) {
        if (!(msg instanceof DatagramPacket packet)) {
            context.fireChannelRead(msg);
            return;
        }
        ByteBuf content = packet.content();
        if (!Probe.looksLikeProbe(content)) {
            for (BiPredicate<ByteBuffer, InetSocketAddress> sink : sinks) {
                if (sink.test(content.nioBuffer(), packet.sender())) {
                    packet.release();
                    return;
                }
            }
        }
        receive(content, new Path(Route.DIRECT, packet.sender()), false);
    }

    @Override
    public void write(ChannelHandlerContext context, Object msg, ChannelPromise promise) {
        if (!(msg instanceof DatagramPacket packet)) {
            context.write(msg, promise);
            return;
        }
        InetSocketAddress to = packet.recipient();
        if (VirtualAddress.isVirtual(to)) {
            DeviceId device = byVirtual.get(to);
            Optional<Path> path = device == null ? Optional.empty() : peers.get(device).active();
            if (path.isEmpty()) {
                packet.release(); // no proven path yet: QUIC retransmits once one is
                promise.trySuccess();
                return;
            }
            send(path.get(), packet.content(), promise);
        } else if (udpBlocked && relay != null) {
            send(new Path(Route.OWN_RELAY, to), packet.content(), promise);
        } else {
            context.write(msg, promise);
        }
    }

    // ---- receiving ----

    /** Takes ownership of {@code content}. */
    private void receive(ByteBuf content, Path path, boolean flush) {
        if (Probe.looksLikeProbe(content)) {
            Optional<Probe> probe = Probe.decode(content);
            content.release();
            probe.ifPresent(p -> onProbe(p, path));
            return;
        }
        DeviceId device = byPath.get(path);
        if (device == null && path.route() == Route.OWN_RELAY) {
            content.release(); // relayed data from a path nobody proved: nowhere to put it
            return;
        }
        InetSocketAddress sender = device == null ? path.address() : VirtualAddress.of(device);
        ctx.fireChannelRead(new DatagramPacket(content, (InetSocketAddress) ctx.channel().localAddress(), sender));
        if (flush) {
            ctx.fireChannelReadComplete();
        }
    }

    private void onProbe(Probe probe, Path path) {
        PeerPaths p = peers.get(probe.sender());
        if (p == null || probe.sender().equals(self)) {
            return;
        }
        byPath.put(path, probe.sender());
        if (probe.ping()) {
            if (p.learn(path)) {
                log.debug("{} pings from {} via {}", probe.sender().shortText(), path.address(), path.route());
            }
            sendProbe(new Probe(false, path.route() == Route.OWN_RELAY, path.route() == Route.OWN_RELAY,
                    probe.nonce(), self), path);
            if (!p.active().map(path::equals).orElse(false)) {
                // The peer uses this path: prove it ourselves, so we can follow it there.
                ping(p, path);
            }
            return;
        }
        Sent sent = pings.remove(probe.nonce());
        if (sent == null || !sent.device().equals(probe.sender()) || !sent.path().equals(path)) {
            return;
        }
        long now = nanoTime.getAsLong();
        boolean relayed = path.route() == Route.OWN_RELAY || probe.viaTargetRelay();
        PathKind kind = relayed ? PathKind.RELAYED : PathKind.ofDirect(path.address().getAddress());
        if (path.route() == Route.OWN_RELAY && relay != null && !p.provenPaths().contains(path)) {
            relay.bind(path.address());
        }
        if (p.proven(path, kind, now, now - sent.atNanos())) {
            setActive(p.device(), p.activeKind());
        }
    }

    // ---- probing ----

    private void tick() {
        long now = nanoTime.getAsLong();
        pings.values().removeIf(s -> now - s.atNanos() > PING_MEMORY.toNanos());
        for (PeerPaths p : peers.values()) {
            if (p.expire(now - PATH_TIMEOUT.toNanos())) {
                setActive(p.device(), p.activeKind());
            }
            boolean punching = now - p.punchUntilNanos < 0;
            boolean wantBetter = p.activeKind().map(k -> k == PathKind.RELAYED).orElse(true);
            if (punching || (wantBetter && now - p.nextSlowProbeNanos >= 0)) {
                probe(p, false);
                p.nextSlowProbeNanos = now + SLOW_PROBE.toNanos();
            }
            if (now - p.nextKeepaliveNanos >= 0) {
                p.nextKeepaliveNanos = now + KEEPALIVE.toNanos();
                p.active().ifPresent(path -> ping(p, path));
            }
        }
    }

    private void probe(PeerPaths p, boolean first) {
        if (!peers.containsKey(p.device())) {
            return;
        }
        for (Path path : p.targets(!udpBlocked, relay != null)) {
            ping(p, path);
        }
        if (first) {
            log.debug("punching to {}: {}", p.device().shortText(), p.targets(!udpBlocked, relay != null));
        }
    }

    private void ping(PeerPaths p, Path path) {
        long nonce = random.nextLong() & ((1L << 56) - 1);
        pings.put(nonce, new Sent(p.device(), path, nanoTime.getAsLong()));
        sendProbe(new Probe(true, path.route() == Route.OWN_RELAY, false, nonce, self), path);
    }

    private void sendProbe(Probe probe, Path path) {
        if (path.route() == Route.DIRECT && !sameFamily(path.address())) {
            return;
        }
        ChannelPromise sent = ctx.newPromise();
        sent.addListener(f -> {
            if (!f.isSuccess()) {
                log.debug("probe to {} not sent: {}", path.address(), f.cause().toString());
            }
        });
        send(path, probe.encode(ctx.alloc()), sent);
    }

    /** Whether the socket can send to {@code address} (an IPv4 socket cannot reach IPv6 addresses). */
    private boolean sameFamily(InetSocketAddress address) {
        InetSocketAddress local = (InetSocketAddress) ctx.channel().localAddress();
        return local == null || local.getAddress().isAnyLocalAddress()
                || (local.getAddress() instanceof java.net.Inet6Address) == (address.getAddress() instanceof java.net.Inet6Address);
    }

    /** Takes ownership of {@code content}. */
    private void send(Path path, ByteBuf content, ChannelPromise promise) {
        if (path.route() == Route.DIRECT) {
            if (udpBlocked) {
                content.release();
                promise.trySuccess();
                return;
            }
            ctx.write(new DatagramPacket(content, path.address()), promise);
            ctx.flush();
            return;
        }
        try {
            Relay r = relay;
            if (r != null) {
                r.send(path.address(), content.nioBuffer());
            }
            promise.trySuccess();
        } catch (IOException e) {
            promise.tryFailure(e);
        } finally {
            content.release();
        }
    }

    // ---- state ----

    private PeerPaths peer(DeviceId device) {
        PeerPaths p = peers.get(device);
        if (p == null && peers.size() < MAX_PEERS) {
            p = new PeerPaths(device);
            peers.put(device, p);
            byVirtual.put(VirtualAddress.of(device), device);
        }
        return p;
    }

    private void setActive(DeviceId device, Optional<PathKind> kind) {
        PeerPaths p = peers.get(device);
        Optional<Path> path = p == null ? Optional.empty() : p.active();
        Active now = kind.isPresent() && path.isPresent()
                ? new Active(kind.get(), path.get().address(), path.get().route() == Route.OWN_RELAY) : null;
        Optional<PathKind> before = Optional.ofNullable(now != null ? actives.put(device, now) : actives.remove(device))
                .map(Active::kind);
        log.info("path to {}: {}", device.shortText(), p == null ? "none" : p.active().map(a -> kind.get().label()
                + " via " + a.route().name().toLowerCase(java.util.Locale.ROOT) + " to " + a.address()).orElse("none"));
        if (!before.equals(kind) || kind.isPresent()) {
            listener.pathChanged(device, kind);
        }
    }

    private ChannelHandlerContext requireSocket() {
        ChannelHandlerContext c = ctx;
        if (c == null) {
            throw new IllegalStateException("the shared UDP socket is not open yet");
        }
        return c;
    }

    private void onLoop(Runnable r) {
        ChannelHandlerContext c = requireSocket();
        if (c.executor().inEventLoop()) {
            r.run();
        } else {
            c.executor().execute(r);
        }
    }
}
