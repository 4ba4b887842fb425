package org.meshfold.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.meshfold.replication.BlockRequest;
import org.meshfold.replication.Peer;
import org.meshfold.transport.TcpTlsTransport;

/** Lanes between real networks on loopback, opened at any round trip. */
class LaneTest extends NetworkFixture {
    LaneTest() {
        super(TcpTlsTransport::create);
    }

    @Test
    void connect_shortRoundTrip_noLanes() throws Exception {
        PeerNetwork a = start(alice, new RecordingListener(), d -> true);
        PeerNetwork b = start(bob, new RecordingListener(), d -> true);

        Connection main = (Connection) a.connect(bob.deviceId(), b.listenAddress()).get(10, TimeUnit.SECONDS);

        Await.until("a round trip measured and bob sees alice",
                () -> main.stats().smoothedRtt() != null && b.connected(alice.deviceId()).isPresent());
        assertThat(main.lanes().size()).isZero();
        assertThat(((Connection) b.connected(alice.deviceId()).orElseThrow()).lanes().size()).isZero();
    }

    @Test
    void lanes_requestsFromEitherSide_spreadOverLanesAndAnsweredForTheMainConnection() throws Exception {
        RecordingListener aliceEvents = new RecordingListener();
        List<Peer> askedBy = new CopyOnWriteArrayList<>();
        aliceEvents.blocks = (peer, request) -> {
            askedBy.add(peer);
            return CompletableFuture.completedFuture(content(request));
        };
        Pair pair = connectWithLanes(aliceEvents);
        Connection aliceToBob = pair.aliceToBob();
        Connection bobToAlice = pair.bobToAlice();


        long bytesBefore = bobToAlice.stats().bytesIn();
        List<CompletableFuture<byte[]>> results = new ArrayList<>();
        List<BlockRequest> requests = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            BlockRequest r = new BlockRequest("f", "big", i * 65_536L, 65_536, SampleRecords.hash(i));
            requests.add(r);
            results.add(bobToAlice.request(r));
        }

        for (int i = 0; i < results.size(); i++) {
            assertThat(results.get(i).get(10, TimeUnit.SECONDS)).isEqualTo(content(requests.get(i)));
        }
        assertThat(askedBy).hasSize(64).allMatch(p -> p == aliceToBob);
        assertThat(bobToAlice.lanes().bytesIn()).as("bytes that came over lanes").isGreaterThan(32L * 65_536);
        assertThat(bobToAlice.stats().bytesIn() - bytesBefore).as("all bytes, lanes included")
                .isGreaterThan(64L * 65_536);
        assertThat(aliceToBob.isOpen()).isTrue();
    }

    @Test
    void lanesClose_pendingRequestsSentAgainOnTheMainConnection() throws Exception {
        RecordingListener aliceEvents = new RecordingListener();
        List<CompletableFuture<byte[]>> held = new ArrayList<>();
        boolean[] hold = {true};
        aliceEvents.blocks = (peer, request) -> {
            synchronized (held) {
                if (!hold[0]) {
                    return CompletableFuture.completedFuture(content(request));
                }
                CompletableFuture<byte[]> f = new CompletableFuture<>();
                held.add(f);
                return f.thenApply(x -> content(request));
            }
        };
        Pair pair = connectWithLanes(aliceEvents);
        Connection aliceToBob = pair.aliceToBob();
        Connection bobToAlice = pair.bobToAlice();
        List<BlockRequest> requests = new ArrayList<>();
        List<CompletableFuture<byte[]>> results = new ArrayList<>();
        for (int i = 0; i < Lanes.EXTRA + 1; i++) {
            BlockRequest r = new BlockRequest("f", "x", i * 1024L, 1024, SampleRecords.hash(i));
            requests.add(r);
            results.add(bobToAlice.request(r));
        }
        Await.until("alice holds every request", () -> aliceEvents.requests.size() == Lanes.EXTRA + 1);

        aliceToBob.lanes().closeAll("test");
        Await.until("the lanes' requests asked again on the main connection",
                () -> aliceEvents.requests.size() == 2 * Lanes.EXTRA + 1);
        synchronized (held) {
            hold[0] = false;
            held.forEach(f -> f.complete(null));
        }

        for (int i = 0; i < results.size(); i++) {
            assertThat(results.get(i).get(10, TimeUnit.SECONDS)).isEqualTo(content(requests.get(i)));
        }
        assertThat(bobToAlice.isOpen()).isTrue();
    }

    @Test
    void mainConnectionCloses_itsLanesCloseOnBothSides() throws Exception {
        Pair pair = connectWithLanes(new RecordingListener());
        Connection aliceToBob = pair.aliceToBob();
        Connection bobToAlice = pair.bobToAlice();

        bobToAlice.close("test");

        Await.until("no lanes left", () -> aliceToBob.lanes().size() == 0 && bobToAlice.lanes().size() == 0);
        assertThat(aliceToBob.isOpen()).isFalse();
    }

    private record Pair(Connection aliceToBob, Connection bobToAlice) {
    }

    /** Alice dials bob, opening lanes at any round trip; returns once all lanes are open on both sides. */
    private Pair connectWithLanes(RecordingListener aliceEvents) throws Exception {
        PeerNetwork a = start(alice, aliceEvents, d -> true);
        PeerNetwork b = start(bob, new RecordingListener(), d -> true);
        a.laneMinRtt(Duration.ZERO);
        Connection aliceToBob = (Connection) a.connect(bob.deviceId(), b.listenAddress()).get(10, TimeUnit.SECONDS);
        Await.until("bob sees alice", () -> b.connected(alice.deviceId()).isPresent());
        Connection bobToAlice = (Connection) b.connected(alice.deviceId()).orElseThrow();
        Await.until("all lanes open on both sides",
                () -> aliceToBob.lanes().size() == Lanes.EXTRA && bobToAlice.lanes().size() == Lanes.EXTRA);
        return new Pair(aliceToBob, bobToAlice);
    }

    /** The bytes alice serves for {@code request}: its offset repeated. */
    private static byte[] content(BlockRequest request) {
        byte[] data = new byte[request.size()];
        Arrays.fill(data, (byte) (request.offset() / 1024));
        return data;
    }
}
