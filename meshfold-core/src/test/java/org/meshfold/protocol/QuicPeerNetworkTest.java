package org.meshfold.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.meshfold.index.FileRecord;
import org.meshfold.replication.BlockRequest;
import org.meshfold.replication.ClusterConfig;
import org.meshfold.replication.Peer;
import org.meshfold.transport.quic.QuicTransport;

/** The unchanged protocol over QUIC: two or three real networks on loopback UDP sockets. */
class QuicPeerNetworkTest extends NetworkFixture {
    QuicPeerNetworkTest() {
        super(QuicTransport::create);
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
        assertThat(aliceToBob.describePath()).startsWith("lan quic ").endsWith(" 127.0.0.1:" + b.listenAddress().getPort());
        Await.until("bob sees alice", () -> bobEvents.sawConnected(alice.deviceId()));
        Peer bobToAlice = b.connected(alice.deviceId()).orElseThrow();

        ClusterConfig config = new ClusterConfig(List.of(new ClusterConfig.Folder("photos", "Photos", 5, 10, 0, 0)));
        aliceToBob.sendClusterConfig(config);
        List<FileRecord> records = List.of(SampleRecords.directory("a"), SampleRecords.file("a/small", 2),
                SampleRecords.file("a/huge", 20_000), SampleRecords.deleted("old"));
        aliceToBob.sendIndex("photos", records);
        Await.until("bob has the index", () -> !bobEvents.indexes.isEmpty());
        assertThat(bobEvents.configs).containsExactly(config);
        assertThat(bobEvents.indexes.getFirst().records()).isEqualTo(records);

        BlockRequest request = new BlockRequest("photos", "a/huge", 0, block.length, SampleRecords.hash(1));
        byte[] received = bobToAlice.request(request).get(10, TimeUnit.SECONDS);

        assertThat(received).isEqualTo(block);
        assertThat(aliceEvents.disconnected).isEmpty();
        assertThat(bobEvents.disconnected).isEmpty();
    }

    @Test
    void close_peerHearsTheReason() throws Exception {
        RecordingListener bobEvents = new RecordingListener();
        PeerNetwork a = start(alice, new RecordingListener(), d -> true);
        PeerNetwork b = start(bob, bobEvents, d -> true);
        Peer aliceToBob = a.connect(bob.deviceId(), b.listenAddress()).get(10, TimeUnit.SECONDS);
        Await.until("bob sees alice", () -> bobEvents.sawConnected(alice.deviceId()));

        aliceToBob.close("user removed the device");

        Await.until("bob reports the disconnect", () -> bobEvents.disconnected.size() == 1);
        assertThat(bobEvents.disconnected.getFirst().reason()).isInstanceOf(PeerClosedException.class)
                .hasMessageContaining("user removed the device");
    }

    @Test
    void connect_unpairedDevice_refusedAndNeverConnected() throws Exception {
        RecordingListener aliceEvents = new RecordingListener();
        RecordingListener carolEvents = new RecordingListener();
        PeerNetwork a = start(alice, aliceEvents, bob.deviceId()::equals);
        PeerNetwork c = start(carol, carolEvents, d -> true);

        CompletableFuture<Peer> attempt = c.connect(alice.deviceId(), a.listenAddress());

        assertThatThrownBy(() -> attempt.get(10, TimeUnit.SECONDS)).cause()
                .isInstanceOf(PeerConnectException.class)
                .hasMessageContaining("cannot connect to device " + alice.deviceId().shortText())
                .hasMessageContaining("refused this device's certificate");
        assertThat(carolEvents.connected).isEmpty();
        assertThat(aliceEvents.connected).isEmpty();
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
    void connect_simultaneousDials_oneConnectionSurvives() throws Exception {
        RecordingListener aliceEvents = new RecordingListener();
        RecordingListener bobEvents = new RecordingListener();
        PeerNetwork a = start(alice, aliceEvents, d -> true);
        PeerNetwork b = start(bob, bobEvents, d -> true);

        CompletableFuture<Peer> fromAlice = a.connect(bob.deviceId(), b.listenAddress());
        CompletableFuture<Peer> fromBob = b.connect(alice.deviceId(), a.listenAddress());

        Peer aliceToBob = fromAlice.get(10, TimeUnit.SECONDS);
        Peer bobToAlice = fromBob.get(10, TimeUnit.SECONDS);
        Await.until("one live connection each way", () -> aliceToBob.isOpen() && bobToAlice.isOpen()
                && a.connected(bob.deviceId()).orElseThrow() == aliceToBob
                && b.connected(alice.deviceId()).orElseThrow() == bobToAlice);
    }
}
