package org.meshfold.nat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TurnClient over UDP against real coturn servers on 127.0.0.1, relaying between local sockets. */
class TurnCoturnTest {
    private static final InetSocketAddress ANY_LOOPBACK = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    private static final String SECRET = "north-wind-secret";
    private static final TurnOptions FAST = TurnOptions.udp()
            .withRetransmission(new StunRetransmission(Duration.ofMillis(100), 5, 4));

    @TempDir
    static Path dir;
    private static Coturn longTerm;
    private static Coturn rest;

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final List<AutoCloseable> closeables = new ArrayList<>();

    record Received(InetSocketAddress from, byte[] data) {
        String text() {
            return new String(data, StandardCharsets.UTF_8);
        }
    }

    /** Our side: a UDP socket carrying a TurnClient, recording what peers send through the relay. */
    final class TurnSide {
        final UdpDatagramSocket socket;
        final TurnClient client;
        final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
        final AtomicInteger refreshes = new AtomicInteger();
        final AtomicInteger staleNonces = new AtomicInteger();
        final AtomicLong receivedBytes = new AtomicLong();
        final List<Throwable> refreshFailures = new CopyOnWriteArrayList<>();

        TurnSide(Coturn server, TurnCredentials credentials, TurnOptions options) throws Exception {
            TurnClient[] holder = new TurnClient[1];
            socket = UdpDatagramSocket.open(ANY_LOOPBACK, Thread.ofPlatform().daemon().factory(), (d, s) -> {
                countStaleNonce(d);
                holder[0].onDatagram(d, s);
            });
            client = new TurnClient(socket, server.address(), credentials, options, scheduler, new SecureRandom(),
                    new TurnListener() {
                        @Override
                        public void onPeerData(InetSocketAddress peer, ByteBuffer data) {
                            receivedBytes.addAndGet(data.remaining());
                            if (received.size() < 100) {
                                byte[] b = new byte[data.remaining()];
                                data.get(b);
                                received.add(new Received(peer, b));
                            }
                        }

                        @Override
                        public void onRefreshed(Duration lifetime) {
                            refreshes.incrementAndGet();
                        }

                        @Override
                        public void onRefreshFailed(Throwable cause) {
                            refreshFailures.add(cause);
                        }
                    });
            holder[0] = client;
            closeables.add(client);
            closeables.add(socket);
        }

        private void countStaleNonce(ByteBuffer d) {
            if (StunCodec.looksLikeStun(d)) {
                byte[] raw = new byte[d.remaining()];
                d.duplicate().get(raw);
                try {
                    StunCodec.decode(raw).error().filter(e -> e.code() == 438).ifPresent(e -> staleNonces.incrementAndGet());
                } catch (StunFormatException e) {
                    throw new AssertionError("coturn sent malformed STUN", e);
                }
            }
        }
    }

    /** A peer without TURN: a plain UDP socket on loopback. */
    final class Peer {
        final UdpDatagramSocket socket;
        final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
        final AtomicLong receivedBytes = new AtomicLong();

        Peer() throws Exception {
            socket = UdpDatagramSocket.open(ANY_LOOPBACK, Thread.ofPlatform().daemon().factory(), (d, s) -> {
                receivedBytes.addAndGet(d.remaining());
                if (received.size() < 100) {
                    byte[] b = new byte[d.remaining()];
                    d.get(b);
                    received.add(new Received(s, b));
                }
            });
            closeables.add(socket);
        }

        InetSocketAddress address() throws Exception {
            return socket.localAddress();
        }
    }

    @BeforeAll
    static void startCoturn() throws Exception {
        longTerm = Coturn.withUser(dir.resolve(mkdir("lt")), "u", "p", "--stale-nonce=1");
        rest = Coturn.withSecret(dir.resolve(mkdir("rest")), SECRET);
    }

    private static String mkdir(String name) throws Exception {
        java.nio.file.Files.createDirectories(dir.resolve(name));
        return name;
    }

    @AfterAll
    static void stopCoturn() throws Exception {
        for (Coturn c : new Coturn[] {longTerm, rest}) {
            if (c != null) {
                c.close();
            }
        }
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closeables.reversed()) {
            c.close();
        }
        scheduler.shutdownNow();
    }

    @Test
    void allocate_longTermCredentials_relayedAddressOnLoopback() throws Exception {
        TurnSide side = new TurnSide(longTerm, new TurnCredentials("u", "p"), FAST);

        TurnAllocation allocation = side.client.allocate().get(10, TimeUnit.SECONDS);

        assertThat(allocation.relayed().getAddress().isLoopbackAddress()).isTrue();
        assertThat(allocation.relayed().getPort()).isNotEqualTo(longTerm.address().getPort());
        assertThat(allocation.reflexive()).isEqualTo(side.socket.localAddress());
        assertThat(allocation.lifetime()).isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void allocate_restApiCredentials_relayedAddress() throws Exception {
        TurnCredentials credentials = TurnCredentials.timeLimited(SECRET, "alice", Clock.systemUTC(), Duration.ofHours(1));
        TurnSide side = new TurnSide(rest, credentials, FAST);

        assertThat(side.client.allocate().get(10, TimeUnit.SECONDS).relayed().getAddress().isLoopbackAddress()).isTrue();
    }

    @Test
    void allocate_wrongPassword_turnAuthenticationException() throws Exception {
        TurnSide side = new TurnSide(longTerm, new TurnCredentials("u", "not-p"), FAST);

        assertThatThrownBy(() -> side.client.allocate().get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).cause().isInstanceOf(TurnAuthenticationException.class)
                .hasMessageContaining("401").hasMessageContaining("check the TURN user and password");
    }

    @Test
    void allocate_expiredRestCredentials_turnAuthenticationException() throws Exception {
        TurnCredentials expired = TurnCredentials.timeLimited(SECRET, "alice", Clock.systemUTC(), Duration.ofMinutes(-1));
        TurnSide side = new TurnSide(rest, expired, FAST);

        assertThatThrownBy(() -> side.client.allocate().get(10, TimeUnit.SECONDS))
                .cause().isInstanceOf(TurnAuthenticationException.class);
    }

    @Test
    void bindChannel_relaysBothDirections_andPrintsThroughput() throws Exception {
        TurnSide side = new TurnSide(longTerm, new TurnCredentials("u", "p"), FAST);
        Peer peer = new Peer();
        TurnAllocation allocation = side.client.allocate().get(10, TimeUnit.SECONDS);

        int channel = side.client.bindChannel(peer.address()).get(10, TimeUnit.SECONDS);
        peer.socket.send(ByteBuffer.wrap("hello relay".getBytes(StandardCharsets.UTF_8)), allocation.relayed());
        side.client.send(peer.address(), ByteBuffer.wrap("hello peer".getBytes(StandardCharsets.UTF_8)));

        assertThat(channel).isBetween(ChannelData.MIN_CHANNEL, ChannelData.MAX_CHANNEL);
        Received atUs = side.received.poll(10, TimeUnit.SECONDS);
        assertThat(atUs).isNotNull();
        assertThat(atUs.from()).isEqualTo(peer.address());
        assertThat(atUs.text()).isEqualTo("hello relay");
        Received atPeer = peer.received.poll(10, TimeUnit.SECONDS);
        assertThat(atPeer).isNotNull();
        assertThat(atPeer.from()).isEqualTo(allocation.relayed());
        assertThat(atPeer.text()).isEqualTo("hello peer");
        printThroughput(side, peer);
    }

    @Test
    void createPermission_sendAndDataIndications_bothDirections() throws Exception {
        TurnSide side = new TurnSide(longTerm, new TurnCredentials("u", "p"), FAST);
        Peer peer = new Peer();
        TurnAllocation allocation = side.client.allocate().get(10, TimeUnit.SECONDS);

        side.client.createPermission(peer.address().getAddress()).get(10, TimeUnit.SECONDS);
        side.client.send(peer.address(), ByteBuffer.wrap("via send indication".getBytes(StandardCharsets.UTF_8)));
        Received atPeer = peer.received.poll(10, TimeUnit.SECONDS);
        peer.socket.send(ByteBuffer.wrap("via data indication".getBytes(StandardCharsets.UTF_8)), allocation.relayed());
        Received atUs = side.received.poll(10, TimeUnit.SECONDS);

        assertThat(atPeer).isNotNull();
        assertThat(atPeer.text()).isEqualTo("via send indication");
        assertThat(atPeer.from()).isEqualTo(allocation.relayed());
        assertThat(atUs).isNotNull();
        assertThat(atUs).extracting(Received::from, Received::text)
                .containsExactly(peer.address(), "via data indication");
    }

    @Test
    void refresh_periodicAcrossStaleNonces_allocationKept() throws Exception {
        // lifetime 600 s minus a 599.7 s margin: a refresh every 300 ms; coturn's nonces last 1 s
        TurnSide side = new TurnSide(longTerm, new TurnCredentials("u", "p"),
                FAST.withRefreshMargin(Duration.ofMillis(599_700)));
        side.client.allocate().get(10, TimeUnit.SECONDS);

        Await.until(() -> side.staleNonces.get() >= 1 && side.refreshes.get() >= 2 || !side.refreshFailures.isEmpty(),
                Duration.ofSeconds(15), "a refresh after coturn declared our nonce stale");

        assertThat(side.refreshFailures).isEmpty();
        int before = side.refreshes.get();
        Await.until(() -> side.refreshes.get() > before, Duration.ofSeconds(10), "another refresh");
        assertThat(side.client.bindChannel(new Peer().address()).get(10, TimeUnit.SECONDS))
                .isEqualTo(ChannelData.MIN_CHANNEL);
    }

    @Test
    void allocate_secondOnSameSocket_437AndRefreshZeroReleases() throws Exception {
        TurnSide side = new TurnSide(longTerm, new TurnCredentials("u", "p"), FAST);
        side.client.allocate().get(10, TimeUnit.SECONDS);
        assertThatThrownBy(() -> side.client.allocate().get(10, TimeUnit.SECONDS))
                .cause().isInstanceOf(StunErrorResponseException.class)
                .satisfies(e -> assertThat(((StunErrorResponseException) e).code()).isEqualTo(437));

        // coturn frees the allocation on its next timer tick, so only the granted lifetime is checked
        assertThat(side.client.refresh(Duration.ZERO).get(10, TimeUnit.SECONDS)).isZero();
    }

    /** Not asserted: a rough figure for the relay path on loopback. */
    private static void printThroughput(TurnSide side, Peer peer) throws Exception {
        byte[] payload = new byte[1200];
        int count = 20_000;
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            side.client.send(peer.address(), ByteBuffer.wrap(payload));
            if (i % 64 == 63) {
                long sent = (long) (i + 1) * payload.length;
                Await.until(() -> peer.receivedBytes.get() >= sent - 32L * payload.length
                        || System.nanoTime() - start > TimeUnit.SECONDS.toNanos(5), Duration.ofSeconds(6), "relay");
            }
        }
        long total = (long) count * payload.length;
        try {
            Await.until(() -> peer.receivedBytes.get() >= total
                    || System.nanoTime() - start > TimeUnit.SECONDS.toNanos(5), Duration.ofSeconds(6), "relay");
        } finally {
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("TURN relay over UDP via coturn on loopback: %d of %d bytes in %.3f s, %.1f MB/s%n",
                    peer.receivedBytes.get(), total, seconds, peer.receivedBytes.get() / seconds / 1e6);
        }
    }
}
