package org.meshfold.replication;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshfold.index.FileRecord;

class PullTransferTest {
    @TempDir
    Path tmp;

    @Test
    void pull_largeFile_fetchedFromTwoPeersAtOnce() {
        FolderSyncOptions.Tuning tuning = FolderSyncOptions.Tuning.DEFAULT.withPeerBudgetBytes(1 << 20);
        try (TestCluster c = new TestCluster(tmp, 3, tuning, TestScanner.BLOCK)) {
            byte[] data = FolderSyncTest.random(8 << 20, 3);
            c.get(0).write("big.bin", data);
            c.advanceClock(Duration.ofSeconds(1));
            c.get(1).write("big.bin", data); // same content made independently: merged, not a conflict

            PeerLink from0 = c.connect(2, 0);
            PeerLink from1 = c.connect(2, 1);
            c.connect(0, 1);
            c.awaitConverged();

            assertThat(c.get(2).read("big.bin")).isEqualTo(data);
            long blocks0 = from0.peerSeenBy(c.get(2).id).blocksServed.get();
            long blocks1 = from1.peerSeenBy(c.get(2).id).blocksServed.get();
            assertThat(blocks0).isPositive();
            assertThat(blocks1).isPositive();
            assertThat(blocks0 + blocks1).isEqualTo(128);
            assertThat(c.get(2).status().bytesDownloaded()).isEqualTo(data.length);
            assertThat(c.devices).allMatch(d -> d.status().conflictsCreated() == 0);
        }
    }

    @Test
    void pull_peerSendsCorruptBlock_isDisconnectedAndFileCompletesFromOther() {
        FolderSyncOptions.Tuning tuning = FolderSyncOptions.Tuning.DEFAULT.withPeerBudgetBytes(256 << 10);
        try (TestCluster c = new TestCluster(tmp, 3, tuning, TestScanner.BLOCK)) {
            byte[] data = FolderSyncTest.random(2 << 20, 4);
            c.get(0).write("big.bin", data);
            c.connect(0, 1);
            c.awaitConverged(0, 1);

            PeerLink bad = c.connect(2, 1, link -> link.peerSeenBy(c.get(2).id).tamper = block -> {
                byte[] copy = block.clone();
                copy[0] ^= 1;
                return copy;
            });
            Await.until(TestCluster.TIMEOUT, () -> c.get(2).index.remote(c.get(1).id.shortId(), "big.bin").isPresent(),
                    c::describe);
            c.connect(2, 0);
            Await.until(TestCluster.TIMEOUT, () -> !bad.isOpen(), c::describe);
            c.awaitConverged(0, 2);

            assertThat(bad.peerSeenBy(c.get(2).id).closeReason)
                    .startsWith("sent block with wrong hash for big.bin at ");
            assertThat(c.get(2).read("big.bin")).isEqualTo(data);
            assertThat(c.get(2).status().bytesDownloaded()).isEqualTo(data.length);
        }
    }

    @Test
    void pull_halfWrittenTempFile_downloadsOnlyMissingBlocks() throws Exception {
        try (TestCluster c = new TestCluster(tmp, 2)) {
            byte[] data = FolderSyncTest.random(1 << 20, 5);
            c.get(0).write("sub/big.bin", data);
            Path temp = c.get(1).root.resolve("sub/.meshfold-tmp-big.bin");
            Files.createDirectories(temp.getParent());
            Files.write(temp, Arrays.copyOf(data, data.length / 2 + 1000)); // a partial block at the end

            c.connectAll();
            c.awaitConverged();

            FolderStatus s = c.get(1).status();
            assertThat(c.get(1).read("sub/big.bin")).isEqualTo(data);
            assertThat(s.bytesReusedFromTemp()).isEqualTo(data.length / 2);
            assertThat(s.filesResumed()).isEqualTo(1);
            assertThat(s.bytesDownloaded()).isEqualTo(data.length / 2);
            assertThat(Files.exists(temp)).isFalse();
        }
    }

    @Test
    void pull_noPeerCanServe_waitsWithoutPollingUntilOneConnects() {
        try (TestCluster c = new TestCluster(tmp, 3)) {
            byte[] data = FolderSyncTest.random(300_000, 6);
            c.get(0).write("f.bin", data);
            c.connect(0, 1);
            c.awaitConverged(0, 1);
            c.disconnect(0, 1);

            PeerLink refusing = c.connect(2, 0, link -> link.peerSeenBy(c.get(2).id).refuseBlocks = true);
            PeerLink.End zero = refusing.peerSeenBy(c.get(2).id);
            Await.until(TestCluster.TIMEOUT, () -> c.get(2).status().waitingNames() == 1, c::describe);
            c.awaitIdle();
            long asked = zero.blocksRequested.get();
            assertThat(asked).isEqualTo(5); // each block once, then the job waits instead of retrying
            assertThat(c.get(2).status().inSync()).isFalse();
            assertThat(Files.exists(c.get(2).path("f.bin"))).isFalse();

            c.connect(2, 1);
            c.awaitConverged(1, 2);
            assertThat(c.get(2).read("f.bin")).isEqualTo(data);
        }
    }

    @Test
    void pull_waitingNameDeletedByPeer_removesItsTempFile() throws Exception {
        try (TestCluster c = new TestCluster(tmp, 2)) {
            byte[] data = FolderSyncTest.random(300_000, 7);
            c.get(0).write("dir/f.bin", data);
            c.connect(1, 0, link -> link.peerSeenBy(c.get(1).id).refuseBlocks = true);
            Await.until(TestCluster.TIMEOUT, () -> c.get(1).status().waitingNames() == 1, c::describe);
            Path temp = c.get(1).root.resolve("dir/.meshfold-tmp-f.bin");
            assertThat(temp).exists();

            c.get(0).delete("dir/f.bin");
            c.awaitConverged();

            assertThat(temp).doesNotExist();
            assertThat(c.get(1).path("dir/f.bin")).doesNotExist();
        }
    }

    @Test
    void pull_sourceResetItsIndexWhileWaiting_resumesFromTheKeptTempFile() throws Exception {
        try (TestCluster c = new TestCluster(tmp, 2)) {
            byte[] data = FolderSyncTest.random(1 << 20, 8);
            c.get(0).write("big.bin", data);
            c.connect(1, 0, link -> link.peerSeenBy(c.get(1).id).refuseBlocks = true);
            Await.until(TestCluster.TIMEOUT, () -> c.get(1).status().waitingNames() == 1, c::describe);
            c.disconnect(0, 1);
            // Half of the file arrived before the interruption.
            Files.write(c.get(1).root.resolve(".meshfold-tmp-big.bin"), Arrays.copyOf(data, data.length / 2));

            c.get(0).index.reset(777);
            c.get(0).scan();
            c.connect(0, 1);
            c.awaitConverged();

            assertThat(c.get(1).read("big.bin")).isEqualTo(data);
            assertThat(c.get(1).status().bytesReusedFromTemp()).isEqualTo(data.length / 2);
            assertThat(c.get(1).status().bytesDownloaded()).isEqualTo(data.length / 2);
        }
    }

    @Test
    void tempFilesFound_leftByAnEarlierRun_uselessOneDeletedNeededOneResumed() throws Exception {
        try (TestCluster c = new TestCluster(tmp, 2)) {
            byte[] data = FolderSyncTest.random(1 << 20, 9);
            c.get(0).write("big.bin", data);
            FileRecord announced = c.get(0).index.local("big.bin").orElseThrow();
            // As after a restart: device 1 knows device 0's record from its index, and its disk holds
            // half of that download and the temp file of a name no device has any more.
            c.get(1).index.applyRemote(c.get(0).id.shortId(), c.get(0).index.epoch(), List.of(announced));
            Path half = c.get(1).root.resolve(".meshfold-tmp-big.bin");
            Files.write(half, Arrays.copyOf(data, data.length / 2));
            Path stale = c.get(1).root.resolve(".meshfold-tmp-gone.txt");
            Files.writeString(stale, "left by an earlier run");

            c.get(1).sync.tempFilesFound(Set.of("big.bin", "gone.txt"));
            Await.until(TestCluster.TIMEOUT, () -> !Files.exists(stale), c::describe);
            assertThat(half).exists();

            c.connectAll();
            c.awaitConverged();
            assertThat(c.get(1).read("big.bin")).isEqualTo(data);
            assertThat(c.get(1).status().bytesDownloaded()).isEqualTo(data.length / 2);
        }
    }
}
