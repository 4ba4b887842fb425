package org.meshfold.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.meshfold.identity.DeviceId;
import org.meshfold.transport.AuthenticatedPeer;

/** The connection lifecycle and duplicate rules, without sockets. */
class ConnectionTest {
    private static final DeviceId SMALL = id(1);
    private static final DeviceId LARGE = id(2);
    private static final Message.Hello HELLO = new Message.Hello("", "meshfold", "test", 1);
    private final RecordingListener listener = new RecordingListener();
    private long nanos;

    @Test
    void onAuthenticated_accepted_sendsHelloButReportsNothingYet() {
        EmbeddedChannel ch = new EmbeddedChannel();
        Connection c = connection(ch, new ConnectionRegistry(LARGE), null);

        c.onAuthenticated(authenticated(SMALL, false));

        assertThat((Object) ch.readOutbound()).isEqualTo(HELLO);
        assertThat(listener.connected).isEmpty();
        assertThat(c.isOpen()).isFalse();
    }

    @Test
    void onMessage_peerHello_establishesAndCompletesDials() throws Exception {
        EmbeddedChannel ch = new EmbeddedChannel();
        ConnectionRegistry registry = new ConnectionRegistry(LARGE);
        ConnectionRegistry.Dial dial = registry.startDial(SMALL, new InetSocketAddress(1));
        Connection c = connection(ch, registry, dial);
        c.onAuthenticated(authenticated(SMALL, true));

        c.onMessage(HELLO);

        assertThat(listener.connected).containsExactly(c);
        assertThat(dial.future.join()).isSameAs(c);
        assertThat(registry.established(SMALL)).containsSame(c);
        assertThat(c.isOpen()).isTrue();
        ch.finishAndReleaseAll();
    }

    @Test
    void onAuthenticated_smallerSideWhileDialing_refusesTheInboundConnection() {
        EmbeddedChannel ch = new EmbeddedChannel();
        ConnectionRegistry registry = new ConnectionRegistry(SMALL);
        registry.startDial(LARGE, new InetSocketAddress(1));
        Connection inbound = connection(ch, registry, null);

        inbound.onAuthenticated(authenticated(LARGE, false));

        assertThat((Object) ch.readOutbound()).isEqualTo(new Message.Close(ConnectionRegistry.DUPLICATE));
        assertThat(ch.isActive()).isFalse();
        assertThat(listener.connected).isEmpty();
        assertThat(listener.disconnected).isEmpty();
    }

    @Test
    void onAuthenticated_smallerSideWithAnotherConnectionNegotiating_refusesTheNewOne() {
        ConnectionRegistry registry = new ConnectionRegistry(SMALL);
        EmbeddedChannel first = new EmbeddedChannel();
        connection(first, registry, null).onAuthenticated(authenticated(LARGE, false));
        EmbeddedChannel second = new EmbeddedChannel();

        connection(second, registry, null).onAuthenticated(authenticated(LARGE, false));

        assertThat((Object) first.readOutbound()).isEqualTo(HELLO);
        assertThat((Object) second.readOutbound()).isEqualTo(new Message.Close(ConnectionRegistry.DUPLICATE));
        first.finishAndReleaseAll();
    }

    @Test
    void onAuthenticated_smallerSideWithItsOwnConnectionEstablished_refusesLateDialAndProbes() throws Exception {
        ConnectionRegistry registry = new ConnectionRegistry(SMALL);
        EmbeddedChannel ownChannel = new EmbeddedChannel();
        Connection own = connection(ownChannel, registry, registry.startDial(LARGE, new InetSocketAddress(1)));
        own.onAuthenticated(authenticated(LARGE, true));
        own.onMessage(HELLO);
        ownChannel.readOutbound();
        ownChannel.readOutbound(); // the first round-trip Ping
        EmbeddedChannel late = new EmbeddedChannel();

        connection(late, registry, null).onAuthenticated(authenticated(LARGE, false));

        assertThat((Object) late.readOutbound()).isEqualTo(new Message.Close(ConnectionRegistry.DUPLICATE));
        assertThat((Object) ownChannel.readOutbound()).isInstanceOf(Message.Ping.class);
        assertThat(registry.established(LARGE)).containsSame(own);
        assertThat(listener.connected).containsExactly(own);
        ownChannel.finishAndReleaseAll();
    }

    @Test
    void onAuthenticated_smallerSide_newDialFromLargerReplacesItsOldConnection() throws Exception {
        ConnectionRegistry registry = new ConnectionRegistry(SMALL);
        EmbeddedChannel oldChannel = new EmbeddedChannel();
        Connection old = connection(oldChannel, registry, null);
        old.onAuthenticated(authenticated(LARGE, false));
        old.onMessage(HELLO);
        EmbeddedChannel newChannel = new EmbeddedChannel();
        Connection replacement = connection(newChannel, registry, null);

        replacement.onAuthenticated(authenticated(LARGE, false));
        replacement.onMessage(HELLO);
        oldChannel.runPendingTasks();

        assertThat((Object) newChannel.readOutbound()).isEqualTo(HELLO);
        assertThat(registry.established(LARGE)).containsSame(replacement);
        assertThat(oldChannel.isActive()).isFalse();
        assertThat(listener.connected).containsExactly(old, replacement);
        newChannel.finishAndReleaseAll();
    }

    @Test
    void onAuthenticated_largerSide_acceptsEveryConnection() {
        ConnectionRegistry registry = new ConnectionRegistry(LARGE);
        registry.startDial(SMALL, new InetSocketAddress(1));
        EmbeddedChannel ch = new EmbeddedChannel();

        connection(ch, registry, null).onAuthenticated(authenticated(SMALL, false));

        assertThat((Object) ch.readOutbound()).isEqualTo(HELLO);
        ch.finishAndReleaseAll();
    }

    @Test
    void onAuthenticated_ownDevice_refused() {
        EmbeddedChannel ch = new EmbeddedChannel();

        connection(ch, new ConnectionRegistry(SMALL), null).onAuthenticated(authenticated(SMALL, false));

        assertThat((Object) ch.readOutbound()).isEqualTo(new Message.Close("connected to this device itself"));
    }

    @Test
    void onMessage_beforeHello_protocolViolation() {
        EmbeddedChannel ch = new EmbeddedChannel();
        Connection c = connection(ch, new ConnectionRegistry(LARGE), null);
        c.onAuthenticated(authenticated(SMALL, false));

        assertThatThrownBy(() -> c.onMessage(new Message.Ping(1)))
                .isInstanceOf(ProtocolException.class)
                .hasMessage("Ping before Hello");
        ch.finishAndReleaseAll();
    }

    @Test
    void onMessage_secondHello_protocolViolation() throws Exception {
        EmbeddedChannel ch = new EmbeddedChannel();
        Connection c = connection(ch, new ConnectionRegistry(LARGE), null);
        c.onAuthenticated(authenticated(SMALL, false));
        c.onMessage(HELLO);

        assertThatThrownBy(() -> c.onMessage(HELLO)).hasMessage("second Hello");
        ch.finishAndReleaseAll();
    }

    @Test
    void onMessage_pairingMessageBetweenPairedDevices_protocolViolation() throws Exception {
        EmbeddedChannel ch = new EmbeddedChannel();
        Connection c = connection(ch, new ConnectionRegistry(LARGE), null);
        c.onAuthenticated(authenticated(SMALL, false));
        c.onMessage(HELLO);

        assertThatThrownBy(() -> c.onMessage(new Message.PairProof(new byte[32])))
                .isInstanceOf(ProtocolException.class)
                .hasMessage("PairProof on a connection between paired devices")
                .extracting(e -> ((ProtocolException) e).kind()).isEqualTo(ProtocolException.Kind.UNEXPECTED_MESSAGE);
        ch.finishAndReleaseAll();
    }

    @Test
    void onMessage_ping_answeredWithPong() throws Exception {
        EmbeddedChannel ch = new EmbeddedChannel();
        Connection c = connection(ch, new ConnectionRegistry(LARGE), null);
        c.onAuthenticated(authenticated(SMALL, false));
        c.onMessage(HELLO);
        ch.readOutbound();
        ch.readOutbound(); // the first round-trip Ping

        c.onMessage(new Message.Ping(42));

        assertThat((Object) ch.readOutbound()).isEqualTo(new Message.Pong(42));
        ch.finishAndReleaseAll();
    }

    @Test
    void onMessage_peerHello_pingsAndTheMatchingPongGivesTheRoundTripTime() throws Exception {
        EmbeddedChannel ch = new EmbeddedChannel();
        Connection c = connection(ch, new ConnectionRegistry(LARGE), null);
        c.onAuthenticated(authenticated(SMALL, false));
        nanos = 1_000_000;
        c.onMessage(HELLO);
        ch.readOutbound();
        Message.Ping ping = ch.readOutbound();
        assertThat(c.stats().rtt()).isNull();

        nanos = 4_000_000;
        c.onMessage(new Message.Pong(ping.nonce() + 1));
        assertThat(c.stats().rtt()).isNull();
        c.onMessage(new Message.Pong(ping.nonce()));

        assertThat(c.stats().rtt()).isEqualTo(Duration.ofMillis(3));
        assertThat(c.stats().smoothedRtt()).isEqualTo(Duration.ofMillis(3));
        ch.finishAndReleaseAll();
    }

    @Test
    void onMessage_peerHello_busyPeerIsPingedEveryProbeIntervalOnly() throws Exception {
        EmbeddedChannel ch = new EmbeddedChannel();
        ByteCounter bytes = new ByteCounter(() -> nanos);
        ch.pipeline().addFirst(bytes);
        Connection c = new Connection(ch, new ConnectionRegistry(LARGE), listener, HELLO, null, bytes,
                new RttEstimator(() -> nanos), Timeouts.DEFAULT, () -> nanos);
        c.onAuthenticated(authenticated(SMALL, false));
        c.onMessage(HELLO);
        ch.readOutbound();
        assertThat((Object) ch.readOutbound()).isInstanceOf(Message.Ping.class);
        List<Integer> pingedAt = new ArrayList<>();

        for (int second = 1; second <= 25; second++) {
            nanos += Duration.ofSeconds(1).toNanos();
            ch.advanceTimeBy(1, java.util.concurrent.TimeUnit.SECONDS);
            if (second % 2 == 0) {
                ch.writeInbound(Unpooled.wrappedBuffer(new byte[100])); // the peer sends data every 2 s
            }
            ch.runScheduledPendingTasks();
            for (Object m = ch.readOutbound(); m != null; m = ch.readOutbound()) {
                assertThat(m).isInstanceOf(Message.Ping.class);
                pingedAt.add(second);
            }
        }

        assertThat(pingedAt).containsExactly(10, 20);
        assertThat(c.isOpen()).isTrue();
        ch.finishAndReleaseAll();
    }

    @Test
    void onMessage_peerHello_silentPeerGetsKeepalivesThenTheConnectionClosesAsDead() throws Exception {
        EmbeddedChannel ch = new EmbeddedChannel();
        Connection c = connection(ch, new ConnectionRegistry(LARGE), null);
        c.onAuthenticated(authenticated(SMALL, false));
        c.onMessage(HELLO);
        ch.readOutbound();
        ch.readOutbound(); // the first round-trip Ping
        int pings = 0;

        for (int second = 1; second <= 25 && ch.isOpen(); second++) {
            nanos += Duration.ofSeconds(1).toNanos();
            ch.advanceTimeBy(1, java.util.concurrent.TimeUnit.SECONDS);
            ch.runScheduledPendingTasks();
            for (Object m = ch.readOutbound(); m != null; m = ch.readOutbound()) {
                if (m instanceof Message.Ping) {
                    pings++;
                } else {
                    assertThat(second).as("closed after 20 s of silence").isEqualTo(20);
                    assertThat(m).isInstanceOf(Message.Close.class);
                }
            }
        }

        assertThat(ch.isOpen()).isFalse();
        assertThat(pings).isEqualTo(3);
        c.onClosed();
        assertThat(listener.disconnected).hasSize(1);
        assertThat(listener.disconnected.getFirst().reason()).isInstanceOf(PeerClosedException.class)
                .hasMessageContaining("for 20 s, 3 pings unanswered");
        ch.finishAndReleaseAll();
    }

    @Test
    void stats_sinceReceived_timeSinceTheLastBytesArrived() {
        EmbeddedChannel ch = new EmbeddedChannel();
        ByteCounter bytes = new ByteCounter(() -> nanos);
        ch.pipeline().addFirst(bytes);
        Connection c = new Connection(ch, new ConnectionRegistry(LARGE), listener, HELLO, null, bytes,
                new RttEstimator(() -> nanos), Timeouts.DEFAULT, () -> nanos);
        nanos = Duration.ofSeconds(3).toNanos();
        ch.writeInbound(Unpooled.wrappedBuffer(new byte[10]));

        nanos += Duration.ofMillis(1500).toNanos();

        assertThat(c.stats().sinceReceived()).isEqualTo(Duration.ofMillis(1500));
        assertThat(c.stats().bytesIn()).isEqualTo(10);
        ch.finishAndReleaseAll();
    }

    @Test
    void onClosed_reportsDisconnectOnlyForAnEstablishedConnection() throws Exception {
        ConnectionRegistry registry = new ConnectionRegistry(LARGE);
        EmbeddedChannel negotiating = new EmbeddedChannel();
        Connection never = connection(negotiating, registry, null);
        never.onAuthenticated(authenticated(SMALL, false));
        EmbeddedChannel established = new EmbeddedChannel();
        Connection c = connection(established, registry, null);
        c.onAuthenticated(authenticated(SMALL, false));
        c.onMessage(HELLO);

        never.onClosed();
        c.fail(new ProtocolException(ProtocolException.Kind.MALFORMED, "bad"));
        c.onClosed();

        assertThat(listener.disconnected).hasSize(1);
        assertThat(listener.disconnected.getFirst().peer()).isSameAs(c);
        assertThat(listener.disconnected.getFirst().reason()).hasMessage("bad");
        assertThat(registry.established(SMALL)).isEmpty();
        negotiating.finishAndReleaseAll();
        established.finishAndReleaseAll();
    }

    private Connection connection(EmbeddedChannel ch, ConnectionRegistry registry, ConnectionRegistry.Dial dial) {
        return new Connection(ch, registry, listener, HELLO, dial, new ByteCounter(() -> nanos),
                new RttEstimator(() -> nanos), Timeouts.DEFAULT, () -> nanos);
    }

    private static AuthenticatedPeer authenticated(DeviceId device, boolean initiator) {
        return new AuthenticatedPeer(device, initiator, "lan", new InetSocketAddress("127.0.0.1", 1),
                AuthenticatedPeer.TCP);
    }

    private static DeviceId id(int first) {
        byte[] b = new byte[32];
        b[0] = (byte) first;
        return DeviceId.of(b);
    }
}
