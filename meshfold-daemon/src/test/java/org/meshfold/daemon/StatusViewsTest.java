package org.meshfold.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.meshfold.config.NodeConfig;
import org.meshfold.config.PeerConfig;
import org.meshfold.identity.DeviceId;
import org.meshfold.index.FileRecord;
import org.meshfold.protocol.ConnectionStats;
import org.meshfold.replication.BlockRequest;
import org.meshfold.replication.ClusterConfig;
import org.meshfold.replication.Peer;

class StatusViewsTest {
    private static final DeviceId ID = DeviceId.of(new byte[32]);
    private static final PeerConfig PEER = new PeerConfig(ID, "desk", List.of(new InetSocketAddress("192.0.2.1", 22000)));
    private static final NodeConfig CONFIG = NodeConfig.defaults("laptop").withPeer(PEER);
    private static final Instant NOW = Instant.parse("2030-01-01T00:00:10Z");

    @Test
    void device_connected_qualityLastActivityAndDowntime() {
        ConnectionStats stats = new ConnectionStats(5_000, 4_000, Duration.ofMillis(30), Duration.ofMillis(20),
                Duration.ofMillis(1_500));

        NodeStatus.Device d = StatusViews.device(CONFIG, PEER, Optional.of(new PathPeer("lan tcp 192.0.2.1:22000")),
                new StatusViews.Live(NOW, NOW.minusSeconds(5), NOW, stats, new TrafficRates.Rate(100, 200),
                        Duration.ofMillis(2_250), new Dialer.Retry(4, Duration.ofSeconds(8))));

        assertThat(d.quality()).isEqualTo("excellent");
        assertThat(d.lastActivity()).isEqualTo("2030-01-01T00:00:08.500Z");
        assertThat(d.downtimeMillis()).isEqualTo(2_250);
        assertThat(d.reconnectAttempts()).isNull();
        assertThat(d.nextAttempt()).isNull();
        assertThat(d.rttMillis()).isEqualTo(20.0);
        assertThat(d.path()).isEqualTo("lan");
        assertThat(d.transport()).isEqualTo("tcp");
    }

    @Test
    void device_connectedButSilentFor12s_good() {
        ConnectionStats stats = new ConnectionStats(5_000, 4_000, Duration.ofMillis(3), Duration.ofMillis(3),
                Duration.ofSeconds(12));

        NodeStatus.Device d = StatusViews.device(CONFIG, PEER, Optional.of(new PathPeer("lan tcp 192.0.2.1:22000")),
                new StatusViews.Live(NOW, NOW, NOW, stats, null, null, null));

        assertThat(d.quality()).isEqualTo("good");
    }

    @Test
    void device_beingRedialed_disconnectedWithAttemptsAndNextAttempt() {
        NodeStatus.Device d = StatusViews.device(CONFIG, PEER, Optional.empty(), new StatusViews.Live(NOW, null,
                NOW.minusSeconds(60), null, null, Duration.ofSeconds(3), new Dialer.Retry(4, Duration.ofSeconds(8))));

        assertThat(d.connected()).isFalse();
        assertThat(d.quality()).isEqualTo("disconnected");
        assertThat(d.reconnectAttempts()).isEqualTo(4);
        assertThat(d.nextAttempt()).isEqualTo("2030-01-01T00:00:18Z");
        assertThat(d.downtimeMillis()).isNull();
        assertThat(d.lastActivity()).isNull();
        assertThat(d.lastSeen()).isEqualTo("2029-12-31T23:59:10Z");
    }

    @Test
    void device_withoutDaemon_disconnectedWithoutFigures() {
        NodeStatus.Device d = StatusViews.device(CONFIG, PEER, Optional.empty());

        assertThat(d.quality()).isEqualTo("disconnected");
        assertThat(d.reconnectAttempts()).isNull();
        assertThat(d.rttMillis()).isNull();
    }

    private record PathPeer(String describePath) implements Peer {
        @Override
        public DeviceId deviceId() {
            return ID;
        }

        @Override
        public void sendClusterConfig(ClusterConfig config) {
        }

        @Override
        public void sendIndex(String folderId, List<FileRecord> records) {
        }

        @Override
        public CompletableFuture<byte[]> request(BlockRequest request) {
            return new CompletableFuture<>();
        }

        @Override
        public void close(String reason) {
        }

        @Override
        public boolean isOpen() {
            return true;
        }
    }
}
