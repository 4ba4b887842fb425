package org.meshfold.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshfold.identity.DeviceIdentity;
import org.meshfold.protocol.ProtocolException.Kind;
import org.meshfold.replication.BlockRequest;
import org.meshfold.replication.Peer;
import org.meshfold.transport.TcpTlsTransport;

/** A peer that breaks the protocol is closed with the specific reason; other connections carry on. */
class HostilePeerTest extends NetworkFixture {
    static DeviceIdentity mallory;

    private RecordingListener aliceEvents;
    private PeerNetwork a;
    private PeerNetwork b;
    private Peer bobToAlice;
    private HostilePeer hostile;

    HostilePeerTest() {
        super(TcpTlsTransport::create);
    }

    @BeforeAll
    static void malloryIdentity(@TempDir Path tmp) throws Exception {
        mallory = DeviceIdentity.loadOrCreate(tmp.resolve("mallory"));
    }

    @BeforeEach
    void connectHonestPeers() throws Exception {
        aliceEvents = new RecordingListener();
        // Honest peers ping well within the deadline; the hostile one never does.
        Timeouts fast = new Timeouts(Duration.ofMillis(200), Duration.ofMillis(1500), Duration.ofSeconds(10));
        a = start(alice, aliceEvents, d -> true, fast);
        b = start(bob, new RecordingListener(), d -> true, fast);
        bobToAlice = b.connect(alice.deviceId(), a.listenAddress()).get(10, TimeUnit.SECONDS);
        hostile = closedAfterTest(new HostilePeer(mallory, alice, a.listenAddress()));
    }

    @Test
    void frameOverTheLimit_closedWithReason() {
        connectHostile();

        hostile.sendRaw(Unpooled.buffer().writeInt(70_000_000).writeZero(100));

        assertClosedFor(Kind.FRAME_TOO_LARGE, "frame of 70000000 bytes exceeds the 67108864-byte limit");
    }

    @Test
    void garbageAfterHandshake_closedWithReason() {
        connectHostile();

        hostile.sendRaw(Unpooled.buffer().writeInt(4).writeBytes(new byte[] {(byte) 0xff, (byte) 0xff, 7, 0}));

        assertClosedFor(Kind.MALFORMED, "is not a message envelope");
    }

    @Test
    void badName_closedWithReason() {
        connectHostile();

        hostile.send(new Message.IndexUpdate("f", List.of(SampleRecords.file("../../x", 1))));

        assertClosedFor(Kind.INVALID_NAME, "invalid name '../../x': '.' or '..' component");
        assertThat(aliceEvents.indexes).isEmpty();
    }

    @Test
    void responseToUnknownRequest_closedWithReason() {
        connectHostile();

        hostile.send(new Message.Response(999, 0, new byte[1]));

        assertClosedFor(Kind.UNEXPECTED_MESSAGE, "response to unknown request id 999");
    }

    @Test
    void messageBeforeHello_closedWithoutEverBeingReported() {
        hostile.send(new Message.Ping(1));

        Await.until("the hostile connection is closed", hostile::isClosed);
        assertThat(hostile.closeReason()).isEqualTo("Ping before Hello");
        assertThat(aliceEvents.connected).hasSize(1);
        assertThat(aliceEvents.disconnected).isEmpty();
        assertOtherConnectionWorks();
    }

    @Test
    void silentPeer_closedAfterTheDeadline() {
        connectHostile();

        Await.until("the silent connection is closed", hostile::isClosed);

        assertThat(hostile.closeReason()).contains("no data from device " + mallory.deviceId().shortText());
        Await.until("alice reports it", () -> aliceEvents.disconnected.size() == 1);
        assertThat(aliceEvents.disconnected.getFirst().peer().deviceId()).isEqualTo(mallory.deviceId());
        assertThat(aliceEvents.disconnected.getFirst().reason()).isInstanceOf(PeerClosedException.class);
        assertOtherConnectionWorks();
    }

    private void connectHostile() {
        hostile.sayHello();
        Await.until("alice accepts the hostile peer", () -> aliceEvents.sawConnected(mallory.deviceId()));
    }

    private void assertClosedFor(Kind kind, String reason) {
        Await.until("the hostile connection is closed", hostile::isClosed);
        assertThat(hostile.closeReason()).contains(reason);
        Await.until("alice reports the disconnect", () -> aliceEvents.disconnected.size() == 1);
        RecordingListener.Disconnect d = aliceEvents.disconnected.getFirst();
        assertThat(d.peer().deviceId()).isEqualTo(mallory.deviceId());
        assertThat(d.reason()).isInstanceOf(ProtocolException.class).hasMessageContaining(reason);
        assertThat(((ProtocolException) d.reason()).kind()).isEqualTo(kind);
        assertThat(a.connected(mallory.deviceId())).isEmpty();
        assertOtherConnectionWorks();
    }

    private void assertOtherConnectionWorks() {
        assertThat(bobToAlice.isOpen()).isTrue();
        byte[] data = bobToAlice.request(new BlockRequest("f", "x", 0, 1000, SampleRecords.hash(1))).join();
        assertThat(data).hasSize(1000);
    }

}
