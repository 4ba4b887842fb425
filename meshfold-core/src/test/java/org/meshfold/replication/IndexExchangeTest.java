package org.meshfold.replication;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshfold.index.FolderIndex;

class IndexExchangeTest {
    @TempDir
    Path tmp;

    private static byte[] text(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void reconnect_sendsOnlyRecordsChangedSinceLastSeen() {
        try (TestCluster c = new TestCluster(tmp, 2)) {
            for (int i = 0; i < 5; i++) {
                c.get(0).write("f" + i + ".txt", text("file " + i));
            }
            c.connectAll();
            c.awaitConverged();
            c.disconnect(0, 1);
            c.get(0).write("new.txt", text("made while apart"));

            PeerLink again = c.connect(0, 1);
            c.awaitConverged();

            assertThat(again.peerSeenBy(c.get(1).id).indexRecordsSent.get()).isEqualTo(1);
            assertThat(again.peerSeenBy(c.get(0).id).indexRecordsSent.get()).isEqualTo(1); // device 2 pulled new.txt
            assertThat(c.get(1).read("new.txt")).isEqualTo(text("made while apart"));
        }
    }

    @Test
    void reconnect_peerIndexWasReset_dropsItsOldRecordsAndReadsAllAgain() {
        try (TestCluster c = new TestCluster(tmp, 2)) {
            c.get(0).write("a.txt", text("a"));
            c.get(0).write("b.txt", text("b"));
            c.connectAll();
            c.awaitConverged();
            c.disconnect(0, 1);

            long downloaded = c.get(0).status().bytesDownloaded() + c.get(1).status().bytesDownloaded();
            c.get(0).index.reset(777); // device 1 lost its database: new epoch, rescans its files
            c.get(0).scan();
            PeerLink again = c.connect(0, 1);
            long zero = c.get(0).id.shortId();
            Await.until(TestCluster.TIMEOUT, () -> c.get(1).index.cursor(zero).epoch() == 777, c::describe);
            c.awaitConverged();

            assertThat(again.peerSeenBy(c.get(1).id).indexRecordsSent.get()).isGreaterThanOrEqualTo(2);
            // Device 2 sends everything again too: the announced epoch it had seen no longer exists.
            assertThat(again.peerSeenBy(c.get(0).id).indexRecordsSent.get()).isGreaterThanOrEqualTo(2);
            assertThat(c.get(1).read("a.txt")).isEqualTo(text("a"));
            assertThat(c.get(0).status().bytesDownloaded() + c.get(1).status().bytesDownloaded()).isEqualTo(downloaded);
        }
    }

    @Test
    void clusterConfigFor_announcesEpochSequenceAndWhatWeHaveOfThePeer() {
        try (TestCluster c = new TestCluster(tmp, 2)) {
            c.get(0).write("a.txt", text("a"));
            c.get(1).write("b.txt", text("b"));
            c.connectAll();
            c.awaitConverged();
            ClusterConfig.Folder f = c.get(0).sync.clusterConfigFor(c.get(1).id);
            FolderIndex i0 = c.get(0).index;
            assertThat(f.id()).isEqualTo(TestDevice.FOLDER);
            assertThat(f.label()).isEqualTo("Default");
            assertThat(f.epoch()).isEqualTo(i0.epoch());
            assertThat(f.maxSequence()).isEqualTo(i0.maxSequence());
            assertThat(f.seenEpoch()).isEqualTo(c.get(1).index.epoch());
            assertThat(f.seenSequence()).isEqualTo(c.get(1).index.maxSequence());
        }
    }
}
