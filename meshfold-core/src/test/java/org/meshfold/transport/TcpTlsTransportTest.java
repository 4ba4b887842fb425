package org.meshfold.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshfold.identity.DeviceIdentity;
import org.meshfold.transport.tls.UntrustedPeerException;

class TcpTlsTransportTest {
    static DeviceIdentity alice;
    static DeviceIdentity bob;

    @BeforeAll
    static void identities(@TempDir Path tmp) throws Exception {
        alice = DeviceIdentity.loadOrCreate(tmp.resolve("alice"));
        bob = DeviceIdentity.loadOrCreate(tmp.resolve("bob"));
    }

    @Test
    void dial_trustedPeer_bothSidesGetAuthenticatedEventThenData() throws Exception {
        try (TcpTlsTransport server = TcpTlsTransport.create(alice, bob.deviceId()::equals);
                TcpTlsTransport client = TcpTlsTransport.create(bob, d -> true)) {
            Probe accepted = new Probe();
            InetSocketAddress address = server.listen(new InetSocketAddress("127.0.0.1", 0), accepted);
            Probe dialed = new Probe();

            Channel ch = client.dial(alice.deviceId(), address, dialed).sync().channel();
            AuthenticatedPeer clientSees = dialed.peer.get(5, TimeUnit.SECONDS);
            ch.writeAndFlush(Unpooled.copiedBuffer("hi", StandardCharsets.US_ASCII));

            AuthenticatedPeer serverSees = accepted.peer.get(5, TimeUnit.SECONDS);
            assertThat(clientSees.device()).isEqualTo(alice.deviceId());
            assertThat(clientSees.initiator()).isTrue();
            assertThat(clientSees.path()).isEqualTo("lan");
            assertThat(serverSees.device()).isEqualTo(bob.deviceId());
            assertThat(serverSees.initiator()).isFalse();
            assertThat(accepted.data.get(5, TimeUnit.SECONDS)).isEqualTo("hi");
            assertThat(ch.config().getOption(ChannelOption.TCP_NODELAY)).isTrue();
        }
    }

    @Test
    void dial_kernelWithRtoMax_bothEndsCapRetransmissionBackoffAndOutliveLiveness() throws Exception {
        assumeTrue(TcpRecovery.kernelSupports(), "this kernel has no TCP_RTO_MAX_MS (Linux 6.15 and later)");
        try (TcpTlsTransport server = TcpTlsTransport.create(alice, bob.deviceId()::equals);
                TcpTlsTransport client = TcpTlsTransport.create(bob, d -> true)) {
            CompletableFuture<Channel> acceptedChannel = new CompletableFuture<>();
            InetSocketAddress address = server.listen(new InetSocketAddress("127.0.0.1", 0), acceptedChannel::complete);

            Probe handshake = new Probe();
            Channel dialed = client.dial(alice.deviceId(), address, handshake).sync().channel();
            Channel accepted = acceptedChannel.get(5, TimeUnit.SECONDS);
            handshake.peer.get(5, TimeUnit.SECONDS);

            for (Channel ch : new Channel[] {dialed, accepted}) {
                assertThat(ch.config().getOption(TcpRecovery.rtoMaxOption())).as("TCP_RTO_MAX_MS of %s", ch)
                        .isEqualTo((int) TcpRecovery.RTO_MAX.toMillis());
                assertThat(ch.config().getOption(TcpRecovery.userTimeoutOption())).as("TCP_USER_TIMEOUT of %s", ch)
                        .isEqualTo((int) TcpRecovery.USER_TIMEOUT.toMillis());
            }
        }
    }

    @Test
    void dial_wrongDevice_noAuthenticatedEventAndFailure() throws Exception {
        try (TcpTlsTransport server = TcpTlsTransport.create(alice, d -> true);
                TcpTlsTransport client = TcpTlsTransport.create(bob, d -> true)) {
            InetSocketAddress address = server.listen(new InetSocketAddress("127.0.0.1", 0), new Probe());
            Probe dialed = new Probe();

            client.dial(bob.deviceId(), address, dialed);

            assertThatThrownBy(() -> dialed.peer.get(5, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .rootCause().isInstanceOf(UntrustedPeerException.class);
        }
    }

    @Test
    void listen_portInUse_clearError() throws Exception {
        try (TcpTlsTransport first = TcpTlsTransport.create(alice, d -> true);
                TcpTlsTransport second = TcpTlsTransport.create(alice, d -> true)) {
            InetSocketAddress taken = first.listen(new InetSocketAddress("127.0.0.1", 0), ch -> { });

            assertThatThrownBy(() -> second.listen(taken, ch -> { }))
                    .hasMessageContaining("cannot listen on " + taken);
        }
    }

    @Test
    void pathTo_classifiesAddresses() {
        assertThat(AuthenticatedPeer.pathTo(new InetSocketAddress("192.168.1.5", 1))).isEqualTo("lan");
        assertThat(AuthenticatedPeer.pathTo(new InetSocketAddress("10.0.0.1", 1))).isEqualTo("lan");
        assertThat(AuthenticatedPeer.pathTo(new InetSocketAddress("::1", 1))).isEqualTo("lan");
        assertThat(AuthenticatedPeer.pathTo(new InetSocketAddress("fd00::1", 1))).isEqualTo("lan");
        assertThat(AuthenticatedPeer.pathTo(new InetSocketAddress("203.0.113.7", 1))).isEqualTo("direct");
        assertThat(AuthenticatedPeer.hostPort(new InetSocketAddress("::1", 7))).isEqualTo("[0:0:0:0:0:0:0:1]:7");
    }

    /** Appends a handler that records the authentication event, failures and the first data. */
    private static final class Probe implements Consumer<Channel> {
        final CompletableFuture<AuthenticatedPeer> peer = new CompletableFuture<>();
        final CompletableFuture<String> data = new CompletableFuture<>();

        @Override
        public void accept(Channel ch) {
            ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                @Override
                public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                    if (evt instanceof AuthenticatedPeer p) {
                        peer.complete(p);
                    }
                }

                @Override
                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                    ByteBuf buf = (ByteBuf) msg;
                    data.complete(buf.toString(StandardCharsets.US_ASCII));
                    buf.release();
                }

                @Override
                public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                    peer.completeExceptionally(cause);
                }
            });
        }
    }
}
