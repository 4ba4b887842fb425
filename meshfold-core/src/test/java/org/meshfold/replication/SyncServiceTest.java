package org.meshfold.replication;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshfold.index.FileRecord;
import org.meshfold.index.FolderIndex;

class SyncServiceTest {
    @TempDir
    Path tmp;

    private static byte[] text(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void connected_deviceNotSharingFolder_getsNoFolderAndNoNames() {
        try (TestCluster c = new TestCluster(tmp, 3)) {
            c.get(0).service.setMembers(TestDevice.FOLDER, Set.of(c.get(1).id));
            c.get(0).write("secret.txt", text("for device 2 only"));
            PeerLink toOutsider = c.connect(0, 2);
            c.connect(0, 1);
            c.awaitConverged(0, 1);
            c.awaitIdle();

            assertThat(toOutsider.peerSeenBy(c.get(2).id).indexRecordsSent.get()).isZero();
            assertThat(c.get(2).index.allNames()).isEmpty();
            assertThat(c.get(0).index.remotes("secret.txt")).doesNotContainKey(c.get(2).id.shortId());
            assertThat(c.get(0).status().connectedPeers()).isEqualTo(1);
        }
    }

    @Test
    void index_forUnsharedFolder_closesConnection() {
        try (TestCluster c = new TestCluster(tmp, 2)) {
            c.get(0).service.setMembers(TestDevice.FOLDER, Set.of());
            PeerLink link = c.connect(0, 1);
            c.awaitIdle();
            PeerLink.End zeroSeenByOne = link.peerSeenBy(c.get(1).id);
            zeroSeenByOne.sendIndex(TestDevice.FOLDER, List.of());
            Await.until(TestCluster.TIMEOUT, () -> !link.isOpen(), c::describe);
            assertThat(link.peerSeenBy(c.get(0).id).closeReason).contains("not shared");
        }
    }

    @Test
    void blockRequested_forUnsharedFolder_failsAndCloses() throws Exception {
        try (TestCluster c = new TestCluster(tmp, 2)) {
            c.get(0).write("f.txt", text("content"));
            c.get(0).service.setMembers(TestDevice.FOLDER, Set.of());
            PeerLink link = c.connect(0, 1);
            c.awaitIdle();
            FileRecord f = c.get(0).index.local("f.txt").orElseThrow();
            BlockRequest req =
                    new BlockRequest(TestDevice.FOLDER, "f.txt", 0, (int) f.size(), f.blocks().get(0).hash());
            CompletableFuture<byte[]> answer = link.peerSeenBy(c.get(1).id).request(req);
            Await.until(TestCluster.TIMEOUT, answer::isDone, c::describe);
            assertThat(answer).isCompletedExceptionally();
            assertThat(link.isOpen()).isFalse();
        }
    }

    @Test
    void setMembers_deviceAdded_receivesFolderAfterwards() throws Exception {
        try (TestCluster c = new TestCluster(tmp, 2)) {
            c.get(0).service.setMembers(TestDevice.FOLDER, Set.of());
            c.get(0).write("later.txt", text("shared later"));
            c.connect(0, 1);
            c.awaitIdle();
            assertThat(Files.exists(c.get(1).path("later.txt"))).isFalse();

            c.get(0).service.setMembers(TestDevice.FOLDER, Set.of(c.get(1).id));
            c.awaitConverged();
            assertThat(c.get(1).read("later.txt")).isEqualTo(text("shared later"));
        }
    }

    @Test
    void setMembers_deviceRemoved_forgetsItsRecords() {
        try (TestCluster c = new TestCluster(tmp, 2)) {
            c.get(1).write("theirs.txt", text("from device 2"));
            c.connect(0, 1);
            c.awaitConverged();
            c.get(0).service.setMembers(TestDevice.FOLDER, Set.of());
            Await.until(TestCluster.TIMEOUT,
                    () -> c.get(0).index.remotes("theirs.txt").isEmpty() && c.get(0).status().connectedPeers() == 0,
                    c::describe);
            assertThat(c.get(0).index.cursor(c.get(1).id.shortId())).isEqualTo(FolderIndex.Cursor.NONE);
        }
    }
}
