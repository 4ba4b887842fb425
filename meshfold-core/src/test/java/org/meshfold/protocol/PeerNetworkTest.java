package org.meshfold.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.meshfold.index.Block;
import org.meshfold.index.FileRecord;
import org.meshfold.index.FileType;
import org.meshfold.replication.BlockRequest;
import org.meshfold.replication.ClusterConfig;
import org.meshfold.replication.Peer;
import org.meshfold.transport.TcpTlsTransport;

/** Two or more real networks on loopback sockets. */
class PeerNetworkTest extends NetworkFixture {
    PeerNetworkTest() {
        super(TcpTlsTransport::create);
    }

    @Test
    void connect_pairedDevices_exchangeConfigIndexAndBlocks() throws Exception {
        RecordingListener aliceEvents = new RecordingListener();
        RecordingListener bobEvents = new RecordingListener();
        byte[] block = new byte[256 << 10];
        new Random(7).nextBytes(block);
        aliceEvents.blocks = (peer, request) -> CompletableFuture.completedFuture(block);
        PeerNetwork a = start(alice, aliceEvents, bob.deviceId()::equals);
        PeerNetwork b = start(bob, bobEvents, alice.deviceId()::equals);

        Peer aliceToBob = a.connect(bob.deviceId(), b.listenAddress()).get(10, TimeUnit.SECONDS);

        assertThat(aliceToBob.deviceId()).isEqualTo(bob.deviceId());
        assertThat(aliceToBob.isOpen()).isTrue();
        assertThat(aliceToBob.describePath()).isEqualTo("lan tcp 127.0.0.1:" + b.listenAddress().getPort());
        Await.until("bob sees alice", () -> bobEvents.sawConnected(alice.deviceId()));
        assertThat(aliceEvents.connected).containsExactly(aliceToBob);
        Peer bobToAlice = b.connected(alice.deviceId()).orElseThrow();
        assertThat(bobEvents.connected).containsExactly(bobToAlice);

        ClusterConfig config = new ClusterConfig(List.of(new ClusterConfig.Folder("photos", "Photos", 5, 10, 0, 0)));
        aliceToBob.sendClusterConfig(config);
        List<FileRecord> records = List.of(SampleRecords.directory("a"), SampleRecords.file("a/small", 2),
                SampleRecords.file("a/huge", 20_000), SampleRecords.symlink("l", "a/small"),
                SampleRecords.deleted("old"));
        aliceToBob.sendIndex("photos", records);
        Await.until("bob has the index", () -> !bobEvents.indexes.isEmpty());
        assertThat(bobEvents.configs).containsExactly(config);
        assertThat(bobEvents.indexes.getFirst().folder()).isEqualTo("photos");
        assertThat(bobEvents.indexes.getFirst().records()).isEqualTo(records);
        assertThat(bobEvents.indexes.getFirst().peer()).isSameAs(bobToAlice);

        BlockRequest request = new BlockRequest("photos", "a/huge", 0, block.length, SampleRecords.hash(1));
        byte[] received = bobToAlice.request(request).get(10, TimeUnit.SECONDS);

        assertThat(received).isEqualTo(block);
        assertThat(aliceEvents.requests).containsExactly(request);
        assertThat(aliceEvents.disconnected).isEmpty();
        assertThat(bobEvents.disconnected).isEmpty();
    }

    @Test
    void request_peerAnswersWithError_failsWithTheCode() throws Exception {
        RecordingListener aliceEvents = new RecordingListener();
        aliceEvents.blocks = (peer, request) -> CompletableFuture.failedFuture(new NoSuchFileException(request.name()));
        PeerNetwork a = start(alice, aliceEvents, d -> true);
        PeerNetwork b = start(bob, new RecordingListener(), d -> true);
        Peer bobToAlice = b.connect(alice.deviceId(), a.listenAddress()).get(10, TimeUnit.SECONDS);

        CompletableFuture<byte[]> result = bobToAlice.request(
                new BlockRequest("f", "missing", 0, 10, SampleRecords.hash(2)));

        assertThatThrownBy(() -> result.get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(BlockRequestFailedException.class)
                .hasMessageContaining("f:missing @0+10: no such file or block");
        assertThat(((BlockRequestFailedException) result.exceptionNow()).code())
                .isEqualTo(Message.Response.NO_SUCH_BLOCK);
        assertThat(bobToAlice.isOpen()).isTrue();
    }

    @Test
    void close_pendingRequestsFailAndBothSidesReport() throws Exception {
        RecordingListener aliceEvents = new RecordingListener();
        RecordingListener bobEvents = new RecordingListener();
        aliceEvents.blocks = (peer, request) -> new CompletableFuture<>();
        PeerNetwork a = start(alice, aliceEvents, d -> true);
        PeerNetwork b = start(bob, bobEvents, d -> true);
        Peer bobToAlice = b.connect(alice.deviceId(), a.listenAddress()).get(10, TimeUnit.SECONDS);
        CompletableFuture<byte[]> pending = bobToAlice.request(new BlockRequest("f", "x", 0, 10, SampleRecords.hash(3)));
        Await.until("alice got the request", () -> !aliceEvents.requests.isEmpty());

        a.connected(bob.deviceId()).orElseThrow().close("user removed the device");

        assertThatThrownBy(() -> pending.get(10, TimeUnit.SECONDS)).cause()
                .isInstanceOf(PeerClosedException.class)
                .hasMessageContaining("user removed the device");
        Await.until("both report the disconnect",
                () -> aliceEvents.disconnected.size() == 1 && bobEvents.disconnected.size() == 1);
        assertThat(aliceEvents.disconnected.getFirst().reason()).isNull();
        assertThat(bobEvents.disconnected.getFirst().reason()).isInstanceOf(PeerClosedException.class)
                .hasMessageContaining("user removed the device");
        assertThat(bobToAlice.isOpen()).isFalse();
        assertThat(b.connected(alice.deviceId())).isEmpty();
        assertThatThrownBy(() -> bobToAlice.request(new BlockRequest("f", "x", 0, 1, SampleRecords.hash(4)))
                .get(10, TimeUnit.SECONDS)).cause().isInstanceOf(PeerClosedException.class);
    }

    @Test
    void connect_unpairedDevice_refusedDuringHandshake() throws Exception {
        RecordingListener aliceEvents = new RecordingListener();
        PeerNetwork a = start(alice, aliceEvents, bob.deviceId()::equals);
        PeerNetwork c = start(carol, new RecordingListener(), d -> true);

        CompletableFuture<Peer> attempt = c.connect(alice.deviceId(), a.listenAddress());

        assertThatThrownBy(() -> attempt.get(10, TimeUnit.SECONDS)).cause()
                .isInstanceOf(PeerConnectException.class)
                .hasMessageContaining("cannot connect to device " + alice.deviceId().shortText());
        assertThat(aliceEvents.connected).isEmpty();
        assertThat(aliceEvents.disconnected).isEmpty();
        assertThat(a.connected(carol.deviceId())).isEmpty();
        assertThat(c.connected(alice.deviceId())).isEmpty();
    }

    @Test
    void connect_otherDeviceAtTheAddress_fails() throws Exception {
        RecordingListener bobEvents = new RecordingListener();
        PeerNetwork a = start(alice, new RecordingListener(), d -> true);
        PeerNetwork b = start(bob, bobEvents, d -> true);

        CompletableFuture<Peer> attempt = a.connect(carol.deviceId(), b.listenAddress());

        assertThatThrownBy(() -> attempt.get(10, TimeUnit.SECONDS)).cause()
                .isInstanceOf(PeerConnectException.class)
                .hasMessageContaining(bob.deviceId().toString())
                .hasMessageContaining(carol.deviceId() + " was expected");
        assertThat(bobEvents.connected).isEmpty();
    }

    @Test
    void connect_nobodyListening_fails() throws Exception {
        PeerNetwork a = start(alice, new RecordingListener(), d -> true);
        PeerNetwork b = start(bob, new RecordingListener(), d -> true);
        InetSocketAddress gone = b.listenAddress();
        b.close();

        assertThatThrownBy(() -> a.connect(bob.deviceId(), gone).get(10, TimeUnit.SECONDS)).cause()
                .isInstanceOf(PeerConnectException.class)
                .hasMessageContaining("at " + gone);
    }

    @Test
    void connect_alreadyConnected_returnsTheSameConnection() throws Exception {
        PeerNetwork a = start(alice, new RecordingListener(), d -> true);
        PeerNetwork b = start(bob, new RecordingListener(), d -> true);
        Peer first = a.connect(bob.deviceId(), b.listenAddress()).get(10, TimeUnit.SECONDS);

        Peer second = a.connect(bob.deviceId(), b.listenAddress()).get(10, TimeUnit.SECONDS);

        assertThat(second).isSameAs(first);
    }

    @Test
    void connect_simultaneousDials_keepOnlyTheConnectionOfTheSmallerDevice() throws Exception {
        for (int round = 0; round < 5; round++) {
            RecordingListener aliceEvents = new RecordingListener();
            RecordingListener bobEvents = new RecordingListener();
            PeerNetwork a = start(alice, aliceEvents, d -> true);
            PeerNetwork b = start(bob, bobEvents, d -> true);

            CompletableFuture<Peer> fromAlice = a.connect(bob.deviceId(), b.listenAddress());
            CompletableFuture<Peer> fromBob = b.connect(alice.deviceId(), a.listenAddress());
            Peer aliceSide = fromAlice.get(10, TimeUnit.SECONDS);
            Peer bobSide = fromBob.get(10, TimeUnit.SECONDS);

            boolean aliceSmaller = alice.deviceId().compareTo(bob.deviceId()) < 0;
            assertThat(((Connection) aliceSide).initiator()).isEqualTo(aliceSmaller);
            assertThat(((Connection) bobSide).initiator()).isEqualTo(!aliceSmaller);
            assertThat(a.connected(bob.deviceId())).containsSame(aliceSide);
            assertThat(b.connected(alice.deviceId())).containsSame(bobSide);
            // The surviving connection works, and the loser was never reported on either side.
            assertThat(aliceSide.request(new BlockRequest("f", "x", 0, 5, SampleRecords.hash(5)))
                    .get(10, TimeUnit.SECONDS)).hasSize(5);
            assertThat(aliceEvents.connected).containsExactly(aliceSide);
            assertThat(bobEvents.connected).containsExactly(bobSide);
            assertThat(aliceEvents.disconnected).isEmpty();
            assertThat(bobEvents.disconnected).isEmpty();
            b.close();
            a.close();
        }
    }

    @Test
    void sendIndex_manyRecords_splitIntoOrderedBatches() throws Exception {
        RecordingListener bobEvents = new RecordingListener();
        PeerNetwork a = start(alice, new RecordingListener(), d -> true);
        PeerNetwork b = start(bob, bobEvents, d -> true);
        Peer aliceToBob = a.connect(bob.deviceId(), b.listenAddress()).get(10, TimeUnit.SECONDS);
        List<FileRecord> records = new ArrayList<>();
        for (int i = 0; i < 4_500; i++) {
            records.add(SampleRecords.directory("dir-" + i).withSequence(i + 1));
        }

        aliceToBob.sendIndex("f", records);

        Await.until("three batches arrive", () -> bobEvents.indexes.size() == 3);
        assertThat(bobEvents.indexes).extracting(i -> i.records().size()).containsExactly(2000, 2000, 500);
        assertThat(bobEvents.indexes.stream().flatMap(i -> i.records().stream()).toList()).isEqualTo(records);
    }

    @Test
    void sendIndex_largeFileChangedAgain_onlyTheChangedBlocksCrossTheWire() throws Exception {
        RecordingListener bobEvents = new RecordingListener();
        PeerNetwork a = start(alice, new RecordingListener(), d -> true);
        PeerNetwork b = start(bob, bobEvents, d -> true);
        Connection aliceToBob = (Connection) a.connect(bob.deviceId(), b.listenAddress()).get(10, TimeUnit.SECONDS);
        FileRecord before = SampleRecords.file("big", 16_384);
        List<Block> blocks = new ArrayList<>(before.blocks());
        blocks.set(8_000, new Block(8_000 * 1000L, 1000, SampleRecords.hash(-1)));
        FileRecord after = new FileRecord("big", FileType.FILE, before.size(), 0644, 5, blocks, null, "", false,
                before.version(), before.hlc(), 7, 43);

        long start = aliceToBob.stats().bytesOut();
        aliceToBob.sendIndex("f", List.of(before));
        Await.until("bob has the first version", () -> bobEvents.indexes.size() == 1);
        long whole = aliceToBob.stats().bytesOut() - start;
        aliceToBob.sendIndex("f", List.of(after));
        Await.until("bob has the second version", () -> bobEvents.indexes.size() == 2);
        long change = aliceToBob.stats().bytesOut() - start - whole;

        assertThat(bobEvents.indexes.get(0).records()).containsExactly(before);
        assertThat(bobEvents.indexes.get(1).records()).containsExactly(after);
        assertThat(whole).isGreaterThan(500_000);
        assertThat(change).isLessThan(2_000);
    }

    @Test
    void maxFrameBytes_configuredLimit_enforcedOnTheReceiver() throws Exception {
        RecordingListener aliceEvents = new RecordingListener();
        RecordingListener bobEvents = new RecordingListener();
        PeerNetwork a = start(alice, aliceEvents, d -> true);
        PeerNetwork b = start(new NetworkOptions(bob, new InetSocketAddress("127.0.0.1", 0), d -> true,
                bobEvents, 64 << 10), Timeouts.DEFAULT);
        Peer aliceToBob = a.connect(bob.deviceId(), b.listenAddress()).get(10, TimeUnit.SECONDS);

        aliceToBob.sendIndex("f", List.of(SampleRecords.file("big", 5_000)));

        Await.until("alice is disconnected", () -> aliceEvents.disconnected.size() == 1);
        assertThat(aliceEvents.disconnected.getFirst().reason()).isInstanceOf(PeerClosedException.class)
                .hasMessageContaining("exceeds the 65536-byte limit");
        assertThat(bobEvents.indexes).isEmpty();
        Await.until("bob reports the violation", () -> bobEvents.disconnected.size() == 1);
        assertThat(bobEvents.disconnected.getFirst().reason()).isInstanceOf(ProtocolException.class);
    }

    @Test
    void idle_pingsKeepAQuietConnectionAlive() throws Exception {
        // Dead after 400 ms of silence by either rule: the idle reader, or four keepalive intervals.
        Timeouts fast = new Timeouts(java.time.Duration.ofMillis(100), java.time.Duration.ofMillis(400),
                java.time.Duration.ofSeconds(10)).withKeepalive(java.time.Duration.ofMillis(100), 3);
        RecordingListener aliceEvents = new RecordingListener();
        PeerNetwork a = start(alice, aliceEvents, d -> true, fast);
        PeerNetwork b = start(bob, new RecordingListener(), d -> true, fast);
        Peer aliceToBob = a.connect(bob.deviceId(), b.listenAddress()).get(10, TimeUnit.SECONDS);
        long quietUntil = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1200);

        Await.until("three dead-peer periods have passed", () -> System.nanoTime() > quietUntil);

        assertThat(aliceToBob.isOpen()).isTrue();
        assertThat(aliceEvents.disconnected).isEmpty();
    }

    @Test
    void keepalive_peerStopsAnswering_closedAsDeadAfterThreeMissedPongs() throws Exception {
        java.time.Duration interval = java.time.Duration.ofMillis(250);
        RecordingListener aliceEvents = new RecordingListener();
        // The idle reader would wait 60 s: only missing pongs can close the connection this soon.
        PeerNetwork a = start(alice, aliceEvents, d -> true, new Timeouts(java.time.Duration.ofSeconds(30),
                java.time.Duration.ofSeconds(60), java.time.Duration.ofSeconds(10)).withKeepalive(interval, 3));
        HostilePeer silent = closedAfterTest(new HostilePeer(carol, alice, a.listenAddress()));
        silent.sayHello(); // and never a Pong
        long lastSent = System.nanoTime();
        Await.until("alice establishes the connection", () -> aliceEvents.connected.size() == 1);

        Await.until("alice closes the silent connection", () -> aliceEvents.disconnected.size() == 1);
        long detectedMillis = (System.nanoTime() - lastSent) / 1_000_000;

        assertThat(detectedMillis).as("(3 + 1) keepalive intervals of silence").isBetween(1_000L, 3_000L);
        assertThat(aliceEvents.disconnected.getFirst().reason()).isInstanceOf(PeerClosedException.class)
                .hasMessageContaining("3 pings unanswered: the connection is dead");
        assertThat(silent.received.stream().filter(m -> m instanceof Message.Ping).count()).isGreaterThanOrEqualTo(4);
        Await.until("the silent peer sees the close", silent::isClosed);
        assertThat(a.connected(carol.deviceId())).isEmpty();
    }

    @Test
    void stats_afterTransfer_bytesMatchAcrossTheConnectionAndRoundTripIsMeasured() throws Exception {
        RecordingListener aliceEvents = new RecordingListener();
        byte[] block = new byte[200 << 10];
        new Random(3).nextBytes(block);
        aliceEvents.blocks = (peer, request) -> CompletableFuture.completedFuture(block);
        PeerNetwork a = start(alice, aliceEvents, d -> true);
        PeerNetwork b = start(bob, new RecordingListener(), d -> true);
        Peer bobToAlice = b.connect(alice.deviceId(), a.listenAddress()).get(10, TimeUnit.SECONDS);
        Await.until("alice sees bob", () -> a.connected(bob.deviceId()).isPresent());
        Peer aliceToBob = a.connected(bob.deviceId()).orElseThrow();

        bobToAlice.request(new BlockRequest("f", "x", 0, block.length, SampleRecords.hash(4))).get(10, TimeUnit.SECONDS);

        // Counts settle once nothing is in flight (pings may still cross): then each side's out is the other's in.
        Await.until("both sides measured the round trip and agree on the bytes", () -> {
            ConnectionStats sa = a.stats(aliceToBob).orElseThrow();
            ConnectionStats sb = b.stats(bobToAlice).orElseThrow();
            return sa.smoothedRtt() != null && sb.smoothedRtt() != null
                    && sa.bytesOut() == sb.bytesIn() && sb.bytesOut() == sa.bytesIn();
        });
        ConnectionStats aliceStats = a.stats(aliceToBob).orElseThrow();
        ConnectionStats bobStats = b.stats(bobToAlice).orElseThrow();
        assertThat(aliceStats.bytesOut()).isGreaterThan(block.length).isLessThan(block.length + (64 << 10));
        assertThat(bobStats.bytesOut()).isPositive().isLessThan(aliceStats.bytesOut());
        for (ConnectionStats s : List.of(aliceStats, bobStats)) {
            assertThat(s.sinceReceived()).isLessThan(java.time.Duration.ofSeconds(5));
            assertThat(s.quality()).isEqualTo(ConnectionQuality.EXCELLENT);
            assertThat(s.rtt()).isPositive().isLessThan(java.time.Duration.ofSeconds(1));
            assertThat(s.smoothedRtt()).isPositive().isLessThan(java.time.Duration.ofSeconds(1));
        }
        assertThat(a.stats(bobToAlice)).isEmpty();
    }
}
