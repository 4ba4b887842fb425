package org.meshfold.transport.quic;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPromise;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicClientCodecBuilder;
import io.netty.handler.codec.quic.QuicCodecBuilder;
import io.netty.handler.codec.quic.QuicConnectionAddress;
import io.netty.handler.codec.quic.QuicCongestionControlAlgorithm;
import io.netty.handler.codec.quic.QuicServerCodecBuilder;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.security.SecureRandom;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.meshfold.identity.DeviceId;
import org.meshfold.identity.DeviceIdentity;
import org.meshfold.transport.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * QUIC (RFC 9000, netty's native quiche codec) with the same Ed25519 mutual authentication and
 * pinning as {@link org.meshfold.transport.TcpTlsTransport}, on one UDP socket that is QUIC server
 * and client at once and can carry other protocols (STUN, probes) beside QUIC.
 *
 * <p>Design:
 * <ul>
 * <li><b>One socket.</b> {@link #listen} binds the socket; {@link #dial} uses the same socket, so
 *     the address peers learn (through a NAT too) is the one they can reach us at, and two devices
 *     can dial each other at once. A {@link DatagramDemux} in front of the two codecs routes each
 *     datagram: non-QUIC ones to the handler set with {@link #divertNonQuic}, QUIC packets for our
 *     dials (by destination connection id) to the client codec, everything else to the server
 *     codec.</li>
 * <li><b>One connection, one stream.</b> Each meshfold connection is one QUIC connection carrying
 *     one bidirectional stream with exactly the TCP framing; the stream channel is what
 *     {@code setup} receives. Servers allow a single client-opened stream and clients none.
 *     Closing the stream closes the connection.</li>
 * <li><b>Authentication.</b> BoringSSL runs the handshake with the {@link
 *     org.meshfold.transport.tls.TlsContexts} key and trust managers ({@link QuicContexts}). A
 *     one-byte exchange on the stream ({@link StreamGreeting}) makes the dialer wait until the
 *     server has accepted its certificate before the {@link
 *     org.meshfold.transport.AuthenticatedPeer} event fires.</li>
 * <li><b>Ending a stream.</b> {@code shutdownOutput()} on a QUIC stream sends FIN at once, past
 *     writes still queued for flow control, which truncates the stream. A stream is ended only
 *     after its last write completed (as the protocol's Close does), or with FIN on the last
 *     frame ({@link StreamEnd}).</li>
 * <li><b>Buffers.</b> 4 MiB socket buffers: the default lost packets on loopback at full speed.</li>
 * </ul>
 *
 * <p>Threading: one event loop thread owns the socket, both codecs and every QUIC channel; all
 * channel callbacks run on it. {@link #dial} from another thread waits for that thread briefly.
 * Needs {@code --enable-native-access=ALL-UNNAMED} for the native codec.
 */
public final class QuicTransport implements Transport {
    private static final Logger log = LoggerFactory.getLogger(QuicTransport.class);
    static final int CONNECTION_ID_LENGTH = 20;
    private static final int SOCKET_BUFFER_BYTES = 4 << 20;
    private static final long CONNECT_TIMEOUT_MILLIS = 10_000;
    /** Above the protocol's 30 s ping interval, so a quiet healthy connection stays open. */
    private static final long IDLE_TIMEOUT_SECONDS = 60;
    /*
     * Codec tuning, all in one place. Flow-control windows far above the bandwidth-delay product of
     * a LAN or loopback path, so they never throttle a transfer (small windows stall the sender
     * every round trip); one connection carries one stream, hence connection = 2 x stream window.
     * Datagram sizes: we send at most 1200 bytes, the size every QUIC path must carry (RFC 9000
     * §14), because the socket also carries TURN ChannelData and we do no path MTU discovery;
     * larger packets would be much cheaper on loopback (8 KiB: half the CPU per byte) but can
     * vanish on tunnels. We accept up to 2 KiB, and the socket's receive buffers are exactly that
     * large: a bigger datagram would be truncated by the read, so we must not advertise more.
     * Congestion control: CUBIC; BBR measured no different on loopback.
     */
    private static final long MAX_DATA = 32L << 20;
    private static final long MAX_STREAM_DATA = 16L << 20;
    private static final int MAX_SEND_UDP_PAYLOAD = 1200;
    private static final int MAX_RECV_UDP_PAYLOAD = 2048;
    private static final AttributeKey<DialAttempt> DIAL = AttributeKey.valueOf(QuicTransport.class, "dial");

    private final DeviceIdentity identity;
    private final Predicate<DeviceId> trusted;
    private final EventLoopGroup group;
    private final DatagramDemux demux = new DatagramDemux(CONNECTION_ID_LENGTH);
    private final SecureRandom random = new SecureRandom();
    private final ChannelHandler front;
    private final boolean realAddresses;
    private volatile Channel socket;

    private QuicTransport(DeviceIdentity identity, Predicate<DeviceId> trusted, ChannelHandler front,
            boolean realAddresses) {
        this.identity = Objects.requireNonNull(identity, "identity");
        this.trusted = Objects.requireNonNull(trusted, "trusted");
        this.front = front;
        this.realAddresses = realAddresses;
        this.group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("meshfold-quic", true),
                NioIoHandler.newFactory());
    }

    /** A transport accepting only peers that {@code trusted} accepts (consulted during each handshake). */
    public static QuicTransport create(DeviceIdentity identity, Predicate<DeviceId> trusted) {
        return new QuicTransport(identity, trusted, null, true);
    }

    /**
     * A factory of transports whose socket pipeline starts with {@code front} (which sees every
     * datagram first and every outgoing one last: the path manager of {@link
     * org.meshfold.transport.VirtualAddress}es). With {@code realAddresses} false the transport
     * dials only virtual addresses, leaving real ones to other transports.
     */
    public static Transport.Factory withFront(ChannelHandler front, boolean realAddresses) {
        Objects.requireNonNull(front, "front");
        return (identity, trusted) -> new QuicTransport(identity, trusted, front, realAddresses);
    }

    @Override
    public boolean canDial(InetSocketAddress address) {
        return realAddresses || org.meshfold.transport.VirtualAddress.isVirtual(address);
    }

    /** Binds the UDP socket, which also carries this transport's dials; call once, before {@link #dial}. */
    @Override
    public InetSocketAddress listen(InetSocketAddress address, Consumer<Channel> setup) {
        Objects.requireNonNull(setup, "setup");
        if (socket != null) {
            throw new IllegalStateException("the QUIC transport already listens on " + socket.localAddress());
        }
        ChannelHandler server = configure(new QuicServerCodecBuilder())
                .sslContext(QuicContexts.server(identity, trusted))
                // No Retry round trip (address validation token): peers must pass mutual TLS anyway.
                .tokenHandler(null)
                .initialMaxStreamsBidirectional(1)
                .handler(new QuietConnection())
                .streamHandler(new ChannelInitializer<QuicStreamChannel>() {
                    @Override
                    protected void initChannel(QuicStreamChannel ch) {
                        // As TCP in netty: the peer's FIN closes the stream (QUIC streams default to half-closure).
                        ch.config().setAllowHalfClosure(false);
                        ch.pipeline().addLast("greeting", new StreamGreeting(null));
                        ch.closeFuture().addListener(f -> ch.parent().close());
                        setup.accept(ch);
                    }
                })
                .build();
        ChannelHandler client = configure(new QuicClientCodecBuilder())
                .sslEngineProvider(ch -> ch.attr(DIAL).get().context.newEngine(ch.alloc()))
                .initialMaxStreamsBidirectional(0)
                .build();
        ChannelFuture bound = new Bootstrap()
                .group(group)
                .channel(NioDatagramChannel.class)
                .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(MAX_RECV_UDP_PAYLOAD))
                .option(ChannelOption.SO_RCVBUF, SOCKET_BUFFER_BYTES)
                .option(ChannelOption.SO_SNDBUF, SOCKET_BUFFER_BYTES)
                .handler(new ChannelInitializer<DatagramChannel>() {
                    @Override
                    protected void initChannel(DatagramChannel ch) {
                        if (front != null) {
                            ch.pipeline().addLast("paths", front);
                        }
                        ch.pipeline().addLast("demux", demux)
                                .addLast("quic-server", server)
                                .addLast("client-entry", new ChannelInboundHandlerAdapter())
                                .addLast("quic-client", client);
                        demux.clientEntry(ch.pipeline().context("client-entry"));
                    }
                })
                .bind(address)
                .awaitUninterruptibly();
        if (!bound.isSuccess()) {
            throw new UncheckedIOException("cannot listen for QUIC on " + address + ": " + bound.cause().getMessage(),
                    bound.cause() instanceof IOException io ? io : new IOException(bound.cause()));
        }
        socket = bound.channel();
        DatagramChannel udp = (DatagramChannel) socket;
        log.debug("QUIC transport for {} on {} (receive buffer {} bytes)", identity.deviceId().shortText(),
                udp.localAddress(), udp.config().getReceiveBufferSize());
        return udp.localAddress();
    }

    /**
     * Connects to {@code expected} at {@code address} over the listening socket. The future's
     * channel is the QUIC connection that carries the stream {@code setup} receives (closing it
     * closes the stream); it completes once the stream is open, before authentication.
     */
    @Override
    public ChannelFuture dial(DeviceId expected, InetSocketAddress address, Consumer<Channel> setup) {
        Objects.requireNonNull(expected, "expected");
        Objects.requireNonNull(setup, "setup");
        Channel udp = socket;
        if (udp == null) {
            throw new IllegalStateException("the QUIC transport dials from its listening socket: call listen first");
        }
        DialAttempt dial = new DialAttempt(identity, expected, address, setup);
        if (udp.eventLoop().inEventLoop()) {
            return start(udp, dial);
        }
        return udp.eventLoop().submit(() -> start(udp, dial)).syncUninterruptibly().getNow();
    }

    private ChannelFuture start(Channel udp, DialAttempt dial) {
        byte[] id = new byte[CONNECTION_ID_LENGTH];
        random.nextBytes(id);
        ByteBuffer key = ByteBuffer.wrap(id.clone());
        demux.addClientId(key);
        // Registration is synchronous on the event loop, so the channel exists when connect() returns.
        var connecting = QuicChannel.newBootstrap(udp)
                .attr(DIAL, dial)
                .handler(dial)
                .streamHandler(new RefuseStreams())
                .localConnectionAddress(new QuicConnectionAddress(id))
                .remoteAddress(dial.address)
                .connect();
        QuicChannel connection = dial.connection();
        if (connection == null) {
            demux.removeClientId(key);
            throw new IllegalStateException("QUIC connection channel was not registered on its event loop");
        }
        ChannelPromise result = dial.promise();
        connection.closeFuture().addListener(f -> {
            demux.removeClientId(key);
            result.tryFailure(dial.explain(new ClosedChannelException()));
        });
        var deadline = connection.eventLoop().schedule(() -> {
            if (result.tryFailure(new ConnectTimeoutException("no QUIC handshake with " + dial.address + " within "
                    + CONNECT_TIMEOUT_MILLIS / 1000 + " s"))) {
                connection.close();
            }
        }, CONNECT_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        result.addListener(f -> deadline.cancel(false));
        connecting.addListener(f -> {
            if (!f.isSuccess()) {
                result.tryFailure(dial.explain(f.cause()));
                connection.close();
                return;
            }
            connection.createStream(QuicStreamType.BIDIRECTIONAL, new ChannelInitializer<QuicStreamChannel>() {
                @Override
                protected void initChannel(QuicStreamChannel ch) {
                    ch.config().setAllowHalfClosure(false);
                    ch.pipeline().addLast("greeting", new StreamGreeting(dial));
                    ch.closeFuture().addListener(c -> connection.close());
                    dial.setup.accept(ch);
                }
            }).addListener(s -> {
                if (s.isSuccess()) {
                    result.trySuccess();
                } else {
                    result.tryFailure(s.cause());
                    connection.close();
                }
            });
        });
        return result;
    }

    /**
     * Sends {@code handler} every datagram on the socket that is not QUIC (first byte's fixed bit
     * {@code 0x40} clear, as in STUN), on the transport's event loop; the handler takes ownership
     * of each packet and must release it. Null drops them again.
     */
    public void divertNonQuic(Consumer<DatagramPacket> handler) {
        demux.nonQuic(handler);
    }

    /** Sends one raw datagram from the transport's socket (STUN, probes); takes ownership of {@code content}. */
    public ChannelFuture sendDatagram(ByteBuf content, InetSocketAddress to) {
        Channel udp = socket;
        if (udp == null) {
            content.release();
            throw new IllegalStateException("the QUIC transport has no socket: call listen first");
        }
        return udp.writeAndFlush(new DatagramPacket(content, to));
    }

    /** Closes every connection, the socket and the event loop thread. */
    @Override
    public void close() {
        Channel udp = socket;
        if (udp != null) {
            udp.close().awaitUninterruptibly();
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
    }

    private static <B extends QuicCodecBuilder<B>> B configure(B builder) {
        return builder.localConnectionIdLength(CONNECTION_ID_LENGTH)
                .maxIdleTimeout(IDLE_TIMEOUT_SECONDS, TimeUnit.SECONDS)
                .initialMaxData(MAX_DATA)
                .initialMaxStreamDataBidirectionalLocal(MAX_STREAM_DATA)
                .initialMaxStreamDataBidirectionalRemote(MAX_STREAM_DATA)
                .initialMaxStreamsUnidirectional(0)
                .congestionControlAlgorithm(QuicCongestionControlAlgorithm.CUBIC)
                .maxSendUdpPayloadSize(MAX_SEND_UDP_PAYLOAD)
                .maxRecvUdpPayloadSize(MAX_RECV_UDP_PAYLOAD);
    }

    /**
     * Handshake failures of accepted connections were logged by the trust manager already; quiche
     * closes the connection itself, sending the TLS alert (closing here could free it unsent).
     */
    private static final class QuietConnection extends ChannelInboundHandlerAdapter {
        @Override
        public boolean isSharable() {
            return true;
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            log.debug("QUIC connection from {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        }
    }

    /** Dialed connections carry only the stream we open; a server opening one is closed. */
    private static final class RefuseStreams extends ChannelInboundHandlerAdapter {
        @Override
        public boolean isSharable() {
            return true;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            ctx.close();
        }
    }
}
