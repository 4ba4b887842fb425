package org.meshfold.replication;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whether a folder holds the same tree as its connected peers, seen from each device. */
class PeerProgressTest {
    @TempDir
    Path tmp;

    private static byte[] text(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void inSyncWithPeers_noPeerConnected_isFalse() {
        try (TestCluster c = new TestCluster(tmp, 2)) {
            c.get(0).write("a.txt", text("alone"));
            c.awaitIdle();

            assertThat(c.get(0).status().inSync()).isTrue();
            assertThat(c.get(0).sync.peerProgress()).isEmpty();
            assertThat(c.get(0).sync.inSyncWithPeers()).isFalse();
        }
    }

    @Test
    void inSyncWithPeers_peerLacksOurFile_falseUntilItHasTakenIt() {
        try (TestCluster c = new TestCluster(tmp, 2)) {
            TestDevice first = c.get(0);
            TestDevice second = c.get(1);
            first.write("from-first.txt", text("one"));
            second.write("from-second.txt", text("two"));
            // The first device cannot fetch the second's file: the second needs nothing, but is not in sync.
            c.connect(0, 1, link -> link.peerSeenBy(first.id).refuseBlocks = true);
            Await.until(TestCluster.TIMEOUT, () -> second.status().inSync() && second.path("from-first.txt").toFile().exists()
                    && second.sync.peerProgress().stream().allMatch(PeerProgress::indexReceived)
                    && second.sync.peerProgress().size() == 1, c::describe);

            PeerProgress firstSeenBySecond = second.sync.peerProgress().getFirst();
            assertThat(firstSeenBySecond.device()).isEqualTo(first.id);
            assertThat(firstSeenBySecond.differences()).isEqualTo(1);
            assertThat(second.sync.inSyncWithPeers()).isFalse();
            assertThat(first.sync.inSyncWithPeers()).isFalse();

            c.connect(0, 1);
            Await.until(TestCluster.TIMEOUT, () -> first.sync.inSyncWithPeers() && second.sync.inSyncWithPeers(),
                    c::describe);

            assertThat(first.read("from-second.txt")).isEqualTo(text("two"));
            assertThat(second.read("from-first.txt")).isEqualTo(text("one"));
            assertThat(c.converged()).isTrue();
            assertThat(second.sync.peerProgress()).singleElement().satisfies(p -> {
                assertThat(p.indexReceived()).isTrue();
                assertThat(p.differences()).isZero();
            });
        }
    }
}
