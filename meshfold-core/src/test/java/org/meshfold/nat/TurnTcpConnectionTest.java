package org.meshfold.nat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TURN over TCP: stream framing against a fake server, and a relay through real coturn. */
class TurnTcpConnectionTest {
    private static final InetSocketAddress ANY_LOOPBACK = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    @TempDir
    static Path dir;
    private static Coturn coturn;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();

    @BeforeAll
    static void startCoturn() throws Exception {
        coturn = Coturn.withUser(dir, "u", "p");
    }

    @AfterAll
    static void stopCoturn() throws Exception {
        if (coturn != null) {
            coturn.close();
        }
    }

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    @Test
    void readLoop_splitAndPaddedFrames_deliveredWhole_thenGarbageCloses() throws Exception {
        BlockingQueue<byte[]> frames = new LinkedBlockingQueue<>();
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            InetSocketAddress address = (InetSocketAddress) server.getLocalSocketAddress();
            try (TurnTcpConnection connection = TurnTcpConnection.connect(address, Duration.ofSeconds(5),
                    Thread.ofPlatform().daemon().factory(), (d, s) -> {
                        byte[] b = new byte[d.remaining()];
                        d.get(b);
                        frames.add(b);
                    });
                    Socket accepted = server.accept()) {
                byte[] stun = StunCodec.encode(new StunMessage(StunClass.SUCCESS, StunMethod.BINDING,
                        new TransactionId(new byte[12]), java.util.List.of()));
                byte[] channelData = new ChannelData(0x4001, new byte[] {1, 2, 3, 4, 5}).encode(true);
                var out = accepted.getOutputStream();
                out.write(stun, 0, 7);
                out.flush();
                out.write(stun, 7, stun.length - 7);
                out.write(channelData);
                out.write(new byte[] {(byte) 0xC3, 0, 0, 0});
                out.flush();

                assertThat(frames.poll(5, TimeUnit.SECONDS)).isEqualTo(stun);
                assertThat(HexFormat.of().formatHex(frames.poll(5, TimeUnit.SECONDS))).isEqualTo("400100050102030405");
                assertThatThrownBy(() -> connection.closed().get(5, TimeUnit.SECONDS))
                        .cause().isInstanceOf(StunFormatException.BadCookie.class);
            }
        }
    }

    @Test
    void bindChannel_overTcp_relaysBothDirections() throws Exception {
        BlockingQueue<String> atUs = new LinkedBlockingQueue<>();
        AtomicLong peerBytes = new AtomicLong();
        BlockingQueue<String> atPeer = new LinkedBlockingQueue<>();
        TurnClient[] holder = new TurnClient[1];
        try (TurnTcpConnection tcp = TurnTcpConnection.connect(coturn.address(), Duration.ofSeconds(5),
                Thread.ofPlatform().daemon().factory(), (d, s) -> holder[0].onDatagram(d, s));
                UdpDatagramSocket peer = UdpDatagramSocket.open(ANY_LOOPBACK, Thread.ofPlatform().daemon().factory(),
                        (d, s) -> {
                            if (peerBytes.getAndAdd(d.remaining()) == 0) {
                                atPeer.add(StandardCharsets.UTF_8.decode(d).toString());
                            }
                        });
                TurnClient client = new TurnClient(tcp, coturn.address(), new TurnCredentials("u", "p"),
                        TurnOptions.tcp(), scheduler, new SecureRandom(),
                        (from, data) -> atUs.add(from.getPort() + ":" + StandardCharsets.UTF_8.decode(data)))) {
            holder[0] = client;
            TurnAllocation allocation = client.allocate().get(10, TimeUnit.SECONDS);

            client.bindChannel(peer.localAddress()).get(10, TimeUnit.SECONDS);
            client.send(peer.localAddress(), ByteBuffer.wrap("odd-sized".getBytes(StandardCharsets.UTF_8)));
            peer.send(ByteBuffer.wrap("back".getBytes(StandardCharsets.UTF_8)), allocation.relayed());

            assertThat(atPeer.poll(10, TimeUnit.SECONDS)).isEqualTo("odd-sized");
            assertThat(atUs.poll(10, TimeUnit.SECONDS)).isEqualTo(peer.localAddress().getPort() + ":back");
            printThroughput(client, peer.localAddress(), peerBytes);
        }
    }

    @Test
    void allocate_wrongPasswordOverTcp_turnAuthenticationException() throws Exception {
        TurnClient[] holder = new TurnClient[1];
        try (TurnTcpConnection tcp = TurnTcpConnection.connect(coturn.address(), Duration.ofSeconds(5),
                Thread.ofPlatform().daemon().factory(), (d, s) -> holder[0].onDatagram(d, s));
                TurnClient client = new TurnClient(tcp, coturn.address(), new TurnCredentials("u", "wrong"),
                        TurnOptions.tcp(), scheduler, new SecureRandom(), (from, data) -> { })) {
            holder[0] = client;

            assertThatThrownBy(() -> client.allocate().get(10, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).cause().isInstanceOf(TurnAuthenticationException.class);
        }
    }

    /** Not asserted: a rough figure for the TCP-to-UDP relay path on loopback. */
    private static void printThroughput(TurnClient client, InetSocketAddress peer, AtomicLong peerBytes)
            throws Exception {
        byte[] payload = new byte[1200];
        int count = 20_000;
        long base = peerBytes.get();
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            client.send(peer, ByteBuffer.wrap(payload));
            if (i % 64 == 63) {
                long sent = base + (long) (i + 1) * payload.length;
                Await.until(() -> peerBytes.get() >= sent - 32L * payload.length
                        || System.nanoTime() - start > TimeUnit.SECONDS.toNanos(5), Duration.ofSeconds(6), "relay");
            }
        }
        long total = base + (long) count * payload.length;
        Await.until(() -> peerBytes.get() >= total || System.nanoTime() - start > TimeUnit.SECONDS.toNanos(5),
                Duration.ofSeconds(6), "relay");
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("TURN relay over TCP via coturn on loopback: %d of %d bytes in %.3f s, %.1f MB/s%n",
                peerBytes.get() - base, total - base, seconds, (peerBytes.get() - base) / seconds / 1e6);
    }
}
