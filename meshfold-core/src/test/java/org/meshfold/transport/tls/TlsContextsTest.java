package org.meshfold.transport.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.ssl.SslProvider;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshfold.identity.DeviceId;
import org.meshfold.identity.DeviceIdentity;

/** Real TLS handshakes over loopback sockets. */
class TlsContextsTest {
    private static EventLoopGroup group;
    private static DeviceIdentity alice;
    private static DeviceIdentity bob;
    private static DeviceIdentity mallory;

    @BeforeAll
    static void setUp(@TempDir Path tmp) throws Exception {
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        alice = DeviceIdentity.loadOrCreate(tmp.resolve("alice"));
        bob = DeviceIdentity.loadOrCreate(tmp.resolve("bob"));
        mallory = DeviceIdentity.loadOrCreate(tmp.resolve("mallory"));
    }

    @AfterAll
    static void tearDown() throws Exception {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }

    @Test
    void handshake_pairedDevices_negotiateTls13WithEd25519() throws Exception {
        Handshake server = new Handshake();
        Channel listener = listen(TlsContexts.server(alice, bob.deviceId()::equals), server);
        try {
            Handshake client = dial(TlsContexts.client(bob, alice.deviceId()), listener);

            SSLSession clientSession = client.session.get(5, TimeUnit.SECONDS);
            SSLSession serverSession = server.session.get(5, TimeUnit.SECONDS);
            assertThat(clientSession.getProtocol()).isEqualTo("TLSv1.3");
            assertThat(TlsContexts.peerOf(clientSession)).isEqualTo(alice.deviceId());
            assertThat(TlsContexts.peerOf(serverSession)).isEqualTo(bob.deviceId());
            assertThat(clientSession.getPeerCertificates()[0].getPublicKey().getAlgorithm()).isIn("EdDSA", "Ed25519");
            // An Ed25519 certificate can only be proven with the ed25519 scheme; both ends offered it.
            assertThat(((ExtendedSSLSession) clientSession).getPeerSupportedSignatureAlgorithms()).contains("Ed25519");
            assertThat(((ExtendedSSLSession) serverSession).getPeerSupportedSignatureAlgorithms()).contains("Ed25519");
        } finally {
            listener.close().sync();
        }
    }

    @Test
    void handshake_unpairedClient_rejectedByServerNamingTheDevice() throws Exception {
        Handshake server = new Handshake();
        Channel listener = listen(TlsContexts.server(alice, bob.deviceId()::equals), server);
        try {
            Handshake client = dial(TlsContexts.client(mallory, alice.deviceId()), listener);

            assertThatThrownBy(() -> server.session.get(5, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .rootCause()
                    .isInstanceOf(UntrustedPeerException.class)
                    .hasMessageContaining(mallory.deviceId().toString())
                    .hasMessageContaining("not paired");
            // TLS 1.3: the client may finish its side before the server judges its certificate,
            // but the connection then dies with the server's alert.
            client.closed.get(5, TimeUnit.SECONDS);
        } finally {
            listener.close().sync();
        }
    }

    @Test
    void handshake_serverIsNotTheExpectedDevice_rejectedByClient() throws Exception {
        Handshake server = new Handshake();
        Channel listener = listen(TlsContexts.server(mallory, d -> true), server);
        try {
            Handshake client = dial(TlsContexts.client(bob, alice.deviceId()), listener);

            assertThatThrownBy(() -> client.session.get(5, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .rootCause()
                    .isInstanceOf(UntrustedPeerException.class)
                    .hasMessageContaining(mallory.deviceId().toString())
                    .hasMessageContaining(alice.deviceId() + " was expected");
            assertThatThrownBy(() -> server.session.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
        } finally {
            listener.close().sync();
        }
    }

    @Test
    void handshake_tls12Client_refused() throws Exception {
        Handshake server = new Handshake();
        Channel listener = listen(TlsContexts.server(alice, d -> true), server);
        try {
            SslContext tls12 = SslContextBuilder.forClient().sslProvider(SslProvider.JDK).protocols("TLSv1.2")
                    .keyManager(new IdentityKeyManager(bob))
                    .trustManager(new PinningTrustManager(d -> true, "unused")).build();
            Handshake client = dial(tls12, listener);

            assertThatThrownBy(() -> client.session.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
            assertThatThrownBy(() -> server.session.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
        } finally {
            listener.close().sync();
        }
    }

    @Test
    void verify_nonEd25519Key_rejected() throws Exception {
        var ecKeys = java.security.KeyPairGenerator.getInstance("EC").generateKeyPair();
        var cert = new org.bouncycastle.cert.jcajce.JcaX509CertificateConverter().getCertificate(
                new org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder(
                        new org.bouncycastle.asn1.x500.X500Name("CN=ec"), java.math.BigInteger.ONE,
                        new java.util.Date(0), new java.util.Date(4_000_000_000_000L),
                        new org.bouncycastle.asn1.x500.X500Name("CN=ec"), ecKeys.getPublic())
                        .build(new org.bouncycastle.operator.jcajce.JcaContentSignerBuilder("SHA256withECDSA")
                                .build(ecKeys.getPrivate())));
        PinningTrustManager trust = new PinningTrustManager(d -> true, "unused");

        assertThatThrownBy(() -> trust.verify(new java.security.cert.X509Certificate[] {cert}))
                .hasMessageContaining("meshfold devices use Ed25519");
        assertThatThrownBy(() -> trust.verify(new java.security.cert.X509Certificate[0]))
                .hasMessageContaining("no certificate");
    }

    @Test
    void verify_acceptedDevice_returnsItsId() throws Exception {
        PinningTrustManager trust = new PinningTrustManager(bob.deviceId()::equals, "unused");

        DeviceId id = trust.verify(new java.security.cert.X509Certificate[] {bob.certificate()});

        assertThat(id).isEqualTo(bob.deviceId());
    }

    private static Channel listen(SslContext context, Handshake handshake) throws InterruptedException {
        return new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(initializer(context, handshake))
                .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
    }

    private static Handshake dial(SslContext context, Channel listener) {
        Handshake handshake = new Handshake();
        new Bootstrap().group(group).channel(NioSocketChannel.class).handler(initializer(context, handshake))
                .connect(listener.localAddress());
        return handshake;
    }

    private static ChannelInitializer<Channel> initializer(SslContext context, Handshake handshake) {
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline().addLast(context.newHandler(ch.alloc()), handshake);
                ch.closeFuture().addListener(f -> handshake.closed.complete(null));
            }
        };
    }

    /** Records the outcome of one handshake. */
    private static final class Handshake extends ChannelInboundHandlerAdapter {
        final CompletableFuture<SSLSession> session = new CompletableFuture<>();
        final CompletableFuture<Void> closed = new CompletableFuture<>();

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof SslHandshakeCompletionEvent e) {
                if (e.isSuccess()) {
                    session.complete(ctx.pipeline().get(SslHandler.class).engine().getSession());
                } else {
                    session.completeExceptionally(e.cause());
                }
            }
            ctx.fireUserEventTriggered(evt);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            session.completeExceptionally(cause);
            ctx.close();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            session.completeExceptionally(new IllegalStateException("closed before the handshake completed"));
            ctx.fireChannelInactive();
        }
    }
}
