package org.meshfold.transport;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.ssl.SslContext;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.meshfold.identity.DeviceId;
import org.meshfold.identity.DeviceIdentity;
import org.meshfold.transport.tls.TlsContexts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TCP + TLS 1.3 with mutual Ed25519 authentication ({@link TlsContexts}). Uses native epoll when
 * available, NIO otherwise; {@code TCP_NODELAY} because messages are framed and small requests
 * should not wait for Nagle; retransmission backoff capped so that connections resume soon after
 * an outage ({@link TcpRecovery}). Socket buffer sizes are left to the kernel: setting them on Linux
 * turns off autotuning, which grows buffers further than a fixed value would.
 *
 * <p>Owns its event loop threads; all channel callbacks run on them.
 */
public final class TcpTlsTransport implements Transport {
    private static final Logger log = LoggerFactory.getLogger(TcpTlsTransport.class);
    private static final int CONNECT_TIMEOUT_MILLIS = 10_000;

    private final DeviceIdentity identity;
    private final SslContext serverContext;
    private final EventLoops loops;
    private final ChannelGroup channels;

    private TcpTlsTransport(DeviceIdentity identity, Predicate<DeviceId> trusted, int threads) {
        this.identity = identity;
        this.serverContext = TlsContexts.server(identity, trusted);
        this.loops = EventLoops.create(threads, "meshfold-tcp");
        this.channels = new DefaultChannelGroup("meshfold-tcp", loops.group().next());
        log.debug("TCP transport for {} uses {}", identity.deviceId().shortText(), loops.isNative() ? "epoll" : "NIO");
    }

    /** A transport accepting only peers that {@code trusted} accepts (consulted during each handshake). */
    public static TcpTlsTransport create(DeviceIdentity identity, Predicate<DeviceId> trusted) {
        return new TcpTlsTransport(identity, trusted, Math.max(2, Runtime.getRuntime().availableProcessors()));
    }

    @Override
    public InetSocketAddress listen(InetSocketAddress address, Consumer<Channel> setup) {
        Objects.requireNonNull(setup, "setup");
        ServerBootstrap server = new ServerBootstrap();
        TcpRecovery.applyToAccepted(server, loops);
        ChannelFuture bound = server
                .group(loops.group())
                .channel(loops.serverChannel())
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        channels.add(ch);
                        ch.pipeline().addLast("tls", serverContext.newHandler(ch.alloc()));
                        ch.pipeline().addLast("authenticator", new TlsPeerAuthenticator(false));
                        setup.accept(ch);
                    }
                })
                .bind(address)
                .awaitUninterruptibly();
        if (!bound.isSuccess()) {
            throw new UncheckedIOException("cannot listen on " + address + ": " + bound.cause().getMessage(),
                    bound.cause() instanceof java.io.IOException io ? io : new java.io.IOException(bound.cause()));
        }
        channels.add(bound.channel());
        return (InetSocketAddress) bound.channel().localAddress();
    }

    @Override
    public ChannelFuture dial(DeviceId expected, InetSocketAddress address, Consumer<Channel> setup) {
        return dial(TlsContexts.client(identity, expected), address, setup);
    }

    @Override
    public Optional<ChannelFuture> dialLane(DeviceId expected, InetSocketAddress address, Consumer<Channel> setup) {
        return Optional.of(dial(TlsContexts.client(identity, expected, true), address, setup));
    }

    private ChannelFuture dial(SslContext clientContext, InetSocketAddress address, Consumer<Channel> setup) {
        Bootstrap client = new Bootstrap();
        TcpRecovery.apply(client, loops);
        return client
                .group(loops.group())
                .channel(loops.socketChannel())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_KEEPALIVE, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MILLIS)
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        channels.add(ch);
                        ch.pipeline().addLast("tls", clientContext.newHandler(ch.alloc()));
                        ch.pipeline().addLast("authenticator", new TlsPeerAuthenticator(true));
                        setup.accept(ch);
                    }
                })
                .connect(address);
    }

    @Override
    public void close() {
        channels.close().awaitUninterruptibly();
        loops.group().shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
    }
}
