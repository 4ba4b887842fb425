package org.meshfold.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.meshfold.identity.DeviceId;
import org.meshfold.index.FileRecord;
import org.meshfold.replication.BlockRequest;
import org.meshfold.replication.ClusterConfig;
import org.meshfold.replication.Peer;
import org.meshfold.replication.PeerListener;

class PeerActivityTest {
    private static final DeviceId ID = DeviceId.of(new byte[32]);

    private Instant now = Instant.parse("2030-01-01T00:00:00Z");
    private final PeerActivity activity = new PeerActivity(new Ignoring(), new Clock() {
        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    });

    @Test
    void downtime_firstConnection_none() {
        activity.connected(new TestPeer());

        assertThat(activity.downtime(ID)).isEmpty();
        assertThat(activity.connectedSince(ID)).contains(now);
    }

    @Test
    void downtime_reconnected_fromTheCloseToTheNewConnection() {
        TestPeer first = new TestPeer();
        activity.connected(first);
        now = now.plusSeconds(60);
        activity.disconnected(first, null);

        now = now.plusMillis(7_500);
        activity.connected(new TestPeer());

        assertThat(activity.downtime(ID)).contains(Duration.ofMillis(7_500));
    }

    @Test
    void downtime_replacedWithoutAGap_none() {
        TestPeer old = new TestPeer();
        activity.connected(old);
        now = now.plusSeconds(60);
        TestPeer successor = new TestPeer();

        activity.connected(successor);
        activity.disconnected(old, null); // the replaced one reports its close afterwards

        assertThat(activity.downtime(ID)).isEmpty();
        assertThat(activity.connectedSince(ID)).contains(now);
    }

    /** A connection of {@link #ID}; each instance is another connection. */
    private static final class TestPeer implements Peer {
        @Override
        public DeviceId deviceId() {
            return ID;
        }

        @Override
        public String describePath() {
            return "lan tcp 192.0.2.1:22000";
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

    private static final class Ignoring implements PeerListener {
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
            return new CompletableFuture<>();
        }

        @Override
        public void disconnected(Peer peer, Throwable reason) {
        }
    }
}
