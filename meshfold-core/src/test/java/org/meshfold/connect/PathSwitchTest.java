package org.meshfold.connect;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshfold.identity.DeviceIdentity;
import org.meshfold.index.BlockHash;
import org.meshfold.index.FileRecord;
import org.meshfold.nat.Coturn;
import org.meshfold.nat.TurnCredentials;
import org.meshfold.protocol.NetworkOptions;
import org.meshfold.protocol.PeerNetwork;
import org.meshfold.replication.BlockRequest;
import org.meshfold.replication.ClusterConfig;
import org.meshfold.replication.Peer;
import org.meshfold.replication.PeerListener;
import org.meshfold.transport.VirtualAddress;
import org.meshfold.transport.quic.QuicTransport;

/**
 * Two real peer networks over QUIC behind path switches on loopback, one of them relayed through
 * a real coturn: punching proves paths, QUIC connects to virtual addresses, and a relayed
 * connection moves to the direct path under a running transfer.
 */
class PathSwitchTest {
    private static final Duration DEADLINE = Duration.ofSeconds(20);
    private static DeviceIdentity alice;
    private static DeviceIdentity bob;

    @TempDir
    Path dir;
    private final List<AutoCloseable> open = new ArrayList<>();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final byte[] block = new byte[256 << 10];

    @BeforeAll
    static void identities(@TempDir Path tmp) throws Exception {
        alice = DeviceIdentity.loadOrCreate(tmp.resolve("alice"));
        bob = DeviceIdentity.loadOrCreate(tmp.resolve("bob"));
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open.reversed()) {
            c.close();
        }
        scheduler.shutdownNow();
    }

    @Test
    void punch_bothSides_connectOverTheProvenLanPath() throws Exception {
        PathSwitch aliceSwitch = new PathSwitch(alice.deviceId());
        PathSwitch bobSwitch = new PathSwitch(bob.deviceId());
        PeerNetwork a = network(alice, aliceSwitch, new Listener());
        PeerNetwork b = network(bob, bobSwitch, new Listener());

        aliceSwitch.punch(bob.deviceId(), List.of(a.listenAddress(), b.listenAddress()), System.nanoTime(),
                Duration.ofSeconds(2));
        bobSwitch.punch(alice.deviceId(), List.of(a.listenAddress()), System.nanoTime(), Duration.ofSeconds(2));
        await("both sides prove a path", () -> aliceSwitch.activePath(bob.deviceId()).isPresent()
                && bobSwitch.activePath(alice.deviceId()).isPresent());
        Peer peer = a.connect(bob.deviceId(), VirtualAddress.of(bob.deviceId())).get(10, TimeUnit.SECONDS);

        assertThat(aliceSwitch.activePath(bob.deviceId())).contains(PathKind.LAN);
        assertThat(aliceSwitch.active(bob.deviceId()).orElseThrow().address()).isEqualTo(b.listenAddress());
        assertThat(peer.request(request()).get(10, TimeUnit.SECONDS)).isEqualTo(block);
    }

    @Test
    void relayedConnection_movesToTheDirectPath_withoutInterruptingATransfer() throws Exception {
        new Random(3).nextBytes(block);
        Coturn coturn = Coturn.withUser(dir, "u", "p");
        open.add(coturn::close);
        PathSwitch aliceSwitch = new PathSwitch(alice.deviceId());
        PathSwitch bobSwitch = new PathSwitch(bob.deviceId());
        Listener aliceEvents = new Listener();
        Listener bobEvents = new Listener();
        PeerNetwork a = network(alice, aliceSwitch, aliceEvents);
        PeerNetwork b = network(bob, bobSwitch, bobEvents);
        TurnRelay relay = TurnRelay.overUdp(aliceSwitch, coturn.address(), new TurnCredentials("u", "p"), scheduler)
                .get(10, TimeUnit.SECONDS);
        open.add(0, relay);
        // Alice's UDP "is blocked": everything she sends goes through her relay.
        aliceSwitch.relay(relay, true);
        aliceSwitch.punch(bob.deviceId(), List.of(b.listenAddress()), System.nanoTime(), Duration.ofSeconds(2));
        bobSwitch.punch(alice.deviceId(), List.of(relay.relayedAddress()), System.nanoTime(), Duration.ofSeconds(2));
        await("relayed paths on both sides", () -> aliceSwitch.activePath(bob.deviceId()).isPresent()
                && bobSwitch.activePath(alice.deviceId()).isPresent());
        assertThat(aliceSwitch.activePath(bob.deviceId())).contains(PathKind.RELAYED);
        assertThat(bobSwitch.activePath(alice.deviceId())).contains(PathKind.RELAYED);
        Peer peer = a.connect(bob.deviceId(), VirtualAddress.of(bob.deviceId())).get(10, TimeUnit.SECONDS);
        assertThat(peer.request(request()).get(10, TimeUnit.SECONDS)).isEqualTo(block);

        // A transfer runs while UDP comes back: the slow probes find the direct path and move to it.
        CompletableFuture<Integer> transfer = CompletableFuture.supplyAsync(() -> {
            int blocks = 0;
            while (bobSwitch.activePath(alice.deviceId()).orElse(PathKind.RELAYED) == PathKind.RELAYED
                    || blocks < 4) {
                assertThat(peer.request(request()).join()).isEqualTo(block);
                blocks++;
            }
            return blocks;
        });
        aliceSwitch.relay(relay, false);
        await("both sides on the direct path", () -> aliceSwitch.activePath(bob.deviceId()).equals(
                java.util.Optional.of(PathKind.LAN)) && bobSwitch.activePath(alice.deviceId()).equals(
                java.util.Optional.of(PathKind.LAN)));
        int blocks = transfer.get(30, TimeUnit.SECONDS);

        assertThat(blocks).isGreaterThanOrEqualTo(4);
        assertThat(peer.isOpen()).isTrue();
        assertThat(a.connected(bob.deviceId())).containsSame(peer);
        assertThat(aliceEvents.disconnected).isEmpty();
        assertThat(bobEvents.disconnected).isEmpty();
        assertThat(aliceSwitch.active(bob.deviceId()).orElseThrow().throughOwnRelay()).isFalse();
    }

    private PeerNetwork network(DeviceIdentity identity, PathSwitch paths, Listener listener) {
        DeviceIdentity other = identity == alice ? bob : alice;
        PeerNetwork n = PeerNetwork.start(new NetworkOptions(identity, new InetSocketAddress("127.0.0.1", 0),
                other.deviceId()::equals, listener), QuicTransport.withFront(paths, false));
        open.add(n);
        return n;
    }

    private BlockRequest request() {
        return new BlockRequest("f", "big", 0, block.length, BlockHash.sha256(block, 0, block.length));
    }

    private static void await(String what, BooleanSupplier condition) {
        long end = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - end > 0) {
                throw new AssertionError("timed out waiting until " + what);
            }
            LockSupport.parkNanos(5_000_000);
        }
    }

    private final class Listener implements PeerListener {
        final List<Peer> disconnected = new CopyOnWriteArrayList<>();

        @Override
        public void connected(Peer peer) {
        }

        @Override
        public void clusterConfig(Peer peer, ClusterConfig config) {
        }

        @Override
        public void index(Peer peer, String folderId, List<FileRecord> records) {
        }

        @Override
        public CompletableFuture<byte[]> blockRequested(Peer peer, BlockRequest request) {
            return CompletableFuture.completedFuture(block);
        }

        @Override
        public void disconnected(Peer peer, Throwable reason) {
            disconnected.add(peer);
        }
    }
}
