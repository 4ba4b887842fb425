package org.meshfold.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeviceNodeTest {
    private static final Duration DEADLINE = Duration.ofSeconds(20);

    @TempDir
    Path base;

    @Test
    void start_listenPortTaken_listensOnAFreePortOfTheSameHost() throws Exception {
        TestNode a = new TestNode(base, "a");
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             DeviceNode node = DeviceNode.start(a.home,
                     a.configure().withListen(new InetSocketAddress("127.0.0.1", taken.getLocalPort())), Clock.systemUTC())) {
            assertThat(node.listenAddress().getAddress()).isEqualTo(InetAddress.getLoopbackAddress());
            assertThat(node.listenAddress().getPort()).isPositive().isNotEqualTo(taken.getLocalPort());
            assertThat(node.snapshot().listenAddress()).isEqualTo("127.0.0.1:" + node.listenAddress().getPort());
        }
    }

    @Test
    void snapshot_twoConnectedDevices_reportConnectionAndProgress() throws Exception {
        try (TestNode a = new TestNode(base, "a"); TestNode b = new TestNode(base, "b")) {
            Files.writeString(a.folder.resolve("note.txt"), "twelve bytes");
            DeviceNode nodeA = a.start(b);
            nodeA.scanNow().get(20, TimeUnit.SECONDS);
            DeviceNode nodeB = b.start(a);

            TestNode.await("b has a's file and is in sync", DEADLINE, () -> {
                NodeStatus.Folder f = nodeB.snapshot().folders().get(0);
                return Files.exists(b.folder.resolve("note.txt")) && f.inSync() && f.localFiles() == 1;
            });

            NodeStatus status = nodeB.snapshot();
            NodeStatus.Folder folder = status.folders().get(0);
            assertThat(folder.state()).isIn("idle", "scanning");
            assertThat(folder.percentComplete()).isEqualTo(100.0);
            assertThat(folder.needFiles()).isZero();
            assertThat(folder.localBytes()).isEqualTo(12);
            assertThat(folder.filesPulled()).isEqualTo(1);
            assertThat(folder.bytesDownloaded()).isEqualTo(12);
            assertThat(folder.connectedDevices()).isEqualTo(1);
            NodeStatus.Device device = status.devices().get(0);
            assertThat(device.id()).isEqualTo(a.id.toString());
            assertThat(device.connected()).isTrue();
            assertThat(device.path()).isEqualTo("lan");
            assertThat(device.address()).isEqualTo("127.0.0.1:" + nodeA.listenAddress().getPort());
            assertThat(device.connectedSince()).isNotNull();
            assertThat(device.configuredAddresses()).containsExactly(device.address());
            TestNode.await("b has measured the round trip and rates", DEADLINE, () -> {
                NodeStatus.Device d = nodeB.snapshot().devices().get(0);
                return d.rttMillis() != null && d.inBytesPerSecond() != null;
            });
            NodeStatus.Device measured = nodeB.snapshot().devices().get(0);
            assertThat(measured.rttMillis()).isPositive().isLessThan(1000.0);
            assertThat(measured.bytesIn()).isGreaterThan(12);
            assertThat(measured.bytesOut()).isPositive();
            assertThat(measured.inBytesPerSecond()).isNotNegative();
            assertThat(measured.outBytesPerSecond()).isNotNegative();
            assertThat(measured.quality()).isIn("excellent", "good"); // good only if a cold JVM slowed the first ping
            assertThat(Duration.between(Instant.parse(measured.lastActivity()), Instant.now()))
                    .isLessThan(Duration.ofSeconds(10));
            assertThat(measured.downtimeMillis()).isNull();

            a.close();
            TestNode.await("b sees a gone", DEADLINE, () -> !nodeB.snapshot().devices().get(0).connected());
            NodeStatus.Device gone = nodeB.snapshot().devices().get(0);
            assertThat(gone.lastSeen()).isNotNull();
            assertThat(gone.connectedSince()).isNull();
            assertThat(gone.path()).isNull();
            assertThat(gone.rttMillis()).isNull();
            assertThat(gone.bytesIn()).isNull();
            assertThat(gone.inBytesPerSecond()).isNull();
            assertThat(gone.quality()).isEqualTo("disconnected");
            assertThat(gone.lastActivity()).isNull();
        }
    }

    @Test
    void snapshot_deviceLostAndBack_reportsTheRedialingThenTheDowntime() throws Exception {
        try (TestNode a = new TestNode(base, "a"); TestNode b = new TestNode(base, "b")) {
            a.start(b);
            DeviceNode nodeB = b.start(a);
            TestNode.await("b connected to a", DEADLINE, () -> nodeB.connectedTo(a.id));

            a.close();
            Instant lost = Instant.now();
            TestNode.await("b redials a at its old address, refused twice", DEADLINE, () -> {
                Integer attempts = nodeB.snapshot().devices().get(0).reconnectAttempts();
                return attempts != null && attempts >= 2;
            });
            NodeStatus.Device redialing = nodeB.snapshot().devices().get(0);
            assertThat(redialing.connected()).isFalse();
            assertThat(redialing.quality()).isEqualTo("disconnected");
            assertThat(Instant.parse(redialing.nextAttempt())).isAfter(lost);

            a.start(b); // on another port: a dials b
            TestNode.await("a is back at b", DEADLINE, () -> nodeB.connectedTo(a.id));
            Instant back = Instant.now();

            NodeStatus.Device reconnected = nodeB.snapshot().devices().get(0);
            assertThat(reconnected.reconnectAttempts()).isNull();
            assertThat(reconnected.nextAttempt()).isNull();
            assertThat(reconnected.downtimeMillis()).isPositive()
                    .isLessThanOrEqualTo(Duration.between(lost, back).toMillis() + 1000);
            assertThat(reconnected.quality()).isIn("excellent", "good");
        }
    }
}
