package org.meshfold.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshfold.identity.DeviceIdentity;
import org.meshfold.transport.quic.QuicTransport;
import org.meshfold.transport.tls.UntrustedPeerException;

/** TCP + TLS raced with QUIC on loopback. */
class RacingTransportTest {
    private static final InetSocketAddress ANY_PORT = new InetSocketAddress("127.0.0.1", 0);

    static DeviceIdentity alice;
    static DeviceIdentity bob;

    @BeforeAll
    static void identities(@TempDir Path tmp) throws Exception {
        alice = DeviceIdentity.loadOrCreate(tmp.resolve("alice"));
        bob = DeviceIdentity.loadOrCreate(tmp.resolve("bob"));
    }

    private static Transport racing(DeviceIdentity identity, Duration headStart) {
        return RacingTransport.factory(headStart, List.of(TcpTlsTransport::create, QuicTransport::create))
                .create(identity, d -> true);
    }

    @Test
    void dial_bothReachable_firstTransportWinsAndAloneReachesSetup() throws Exception {
        try (Transport server = racing(alice, Duration.ofSeconds(2));
                Transport client = racing(bob, Duration.ofSeconds(2))) {
            Probe accepted = new Probe();
            InetSocketAddress address = server.listen(ANY_PORT, accepted);
            Probe dialed = new Probe();

            ChannelFuture race = client.dial(alice.deviceId(), address, dialed);

            assertThat(dialed.peer.get(5, TimeUnit.SECONDS).transport()).isEqualTo(AuthenticatedPeer.TCP);
            assertThat(race.await(5, TimeUnit.SECONDS) && race.isSuccess()).isTrue();
            assertThat(accepted.peer.get(5, TimeUnit.SECONDS).transport()).isEqualTo(AuthenticatedPeer.TCP);
            assertThat(dialed.setups.get()).isEqualTo(1);
        }
    }

    @Test
    void dial_onlyQuicListening_fallsBackAtOnceWhenTcpFails() throws Exception {
        try (Transport server = QuicTransport.create(alice, d -> true);
                Transport client = racing(bob, Duration.ofMinutes(5))) {
            InetSocketAddress address = server.listen(ANY_PORT, new Probe());
            client.listen(ANY_PORT, new Probe());
            Probe dialed = new Probe();

            client.dial(alice.deviceId(), address, dialed);

            AuthenticatedPeer peer = dialed.peer.get(5, TimeUnit.SECONDS);
            assertThat(peer.transport()).isEqualTo(AuthenticatedPeer.QUIC);
            assertThat(peer.device()).isEqualTo(alice.deviceId());
            assertThat(dialed.setups.get()).isEqualTo(1);
        }
    }

    @Test
    void dial_wrongDevice_failsWithTheFirstTransportsCauseAndNoSetup() throws Exception {
        try (Transport server = racing(alice, Duration.ofMillis(50));
                Transport client = racing(bob, Duration.ofMillis(50))) {
            InetSocketAddress address = server.listen(ANY_PORT, new Probe());
            client.listen(ANY_PORT, new Probe());
            Probe dialed = new Probe();

            ChannelFuture race = client.dial(bob.deviceId(), address, dialed);

            assertThat(race.await(15, TimeUnit.SECONDS)).isTrue();
            assertThat(race.cause()).hasRootCauseInstanceOf(UntrustedPeerException.class);
            assertThat(dialed.setups.get()).isZero();
        }
    }

    @Test
    void listen_udpPortTaken_listensOnTcpAlone() throws Exception {
        try (DatagramSocket taken = new DatagramSocket(0, InetAddress.getLoopbackAddress());
                Transport server = racing(alice, Duration.ofMillis(50));
                Transport client = racing(bob, Duration.ofMillis(50))) {
            InetSocketAddress address = server.listen(new InetSocketAddress("127.0.0.1", taken.getLocalPort()),
                    new Probe());
            client.listen(ANY_PORT, new Probe());
            Probe dialed = new Probe();

            client.dial(alice.deviceId(), address, dialed);

            assertThat(address.getPort()).isEqualTo(taken.getLocalPort());
            assertThat(dialed.peer.get(5, TimeUnit.SECONDS).transport()).isEqualTo(AuthenticatedPeer.TCP);
        }
    }

    /** Counts setups and records the authentication event or the failure. */
    private static final class Probe implements Consumer<Channel> {
        final CompletableFuture<AuthenticatedPeer> peer = new CompletableFuture<>();
        final AtomicInteger setups = new AtomicInteger();

        @Override
        public void accept(Channel ch) {
            setups.incrementAndGet();
            ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                @Override
                public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                    if (evt instanceof AuthenticatedPeer p) {
                        peer.complete(p);
                    }
                }

                @Override
                public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                    peer.completeExceptionally(cause);
                }
            });
        }
    }
}
