package org.meshfold.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshfold.index.Block;
import org.meshfold.index.FileRecord;

class BlockResponderTest {
    @TempDir
    Path tmp;

    private BlockRequest requestFor(FileRecord r, int block) {
        Block b = r.blocks().get(block);
        return new BlockRequest(TestDevice.FOLDER, r.name(), b.offset(), b.size(), b.hash());
    }

    @Test
    void serveBlock_blockOfLocalFile_returnsItsBytes() {
        try (TestCluster c = new TestCluster(tmp, 1)) {
            byte[] data = FolderSyncTest.random(200_000, 7);
            c.get(0).write("f.bin", data);
            FileRecord r = c.get(0).index.local("f.bin").orElseThrow();
            byte[] second = c.get(0).sync.serveBlock(requestFor(r, 1)).join();
            assertThat(second).isEqualTo(Arrays.copyOfRange(data, TestScanner.BLOCK, 2 * TestScanner.BLOCK));
            assertThat(c.get(0).status().bytesServed()).isEqualTo(TestScanner.BLOCK);
        }
    }

    @Test
    void serveBlock_fileChangedSinceScan_failsAndAsksForRescan() throws Exception {
        try (TestCluster c = new TestCluster(tmp, 1)) {
            c.get(0).write("f.bin", FolderSyncTest.random(100_000, 8));
            FileRecord r = c.get(0).index.local("f.bin").orElseThrow();
            Files.write(c.get(0).path("f.bin"), FolderSyncTest.random(100_000, 9)); // not scanned yet

            assertThatThrownBy(() -> c.get(0).sync.serveBlock(requestFor(r, 0)).join())
                    .isInstanceOf(CompletionException.class).hasCauseInstanceOf(BlockUnavailableException.class)
                    .hasMessageContaining("changed since the last scan");
            assertThat(c.get(0).rescans).containsExactly("f.bin");
        }
    }

    @Test
    void serveBlock_nameNoLongerHoldsBlock_servesSameBlockFromAnotherFile() throws Exception {
        try (TestCluster c = new TestCluster(tmp, 1)) {
            byte[] data = FolderSyncTest.random(70_000, 10);
            c.get(0).write("old.bin", data);
            FileRecord old = c.get(0).index.local("old.bin").orElseThrow();
            Files.move(c.get(0).path("old.bin"), c.get(0).path("new.bin"));
            c.get(0).scan();
            assertThat(c.get(0).sync.serveBlock(requestFor(old, 0)).join())
                    .isEqualTo(Arrays.copyOf(data, TestScanner.BLOCK));
        }
    }

    @Test
    void serveBlock_blockInSeveralFiles_readsNamedFileFirst() throws Exception {
        try (TestCluster c = new TestCluster(tmp, 1)) {
            byte[] data = FolderSyncTest.random(70_000, 13);
            c.get(0).write("a.bin", data);
            c.get(0).write("b.bin", data);
            FileRecord b = c.get(0).index.local("b.bin").orElseThrow();
            Files.write(c.get(0).path("a.bin"), FolderSyncTest.random(70_000, 14)); // not scanned yet

            assertThat(c.get(0).sync.serveBlock(requestFor(b, 0)).join()).isEqualTo(Arrays.copyOf(data, TestScanner.BLOCK));
            assertThat(c.get(0).rescans).isEqualTo(List.of());
        }
    }

    @Test
    void serveBlock_blockNotInIndex_isUnavailable() {
        try (TestCluster c = new TestCluster(tmp, 1)) {
            byte[] data = FolderSyncTest.random(1000, 11);
            c.get(0).write("f.bin", data);
            FileRecord r = c.get(0).index.local("f.bin").orElseThrow();
            Block other = TestScanner.blocks(FolderSyncTest.random(1000, 12), 1000).get(0);
            BlockRequest req = new BlockRequest(TestDevice.FOLDER, "f.bin", 0, other.size(), other.hash());
            assertThatThrownBy(() -> c.get(0).sync.serveBlock(req).join())
                    .hasCauseInstanceOf(BlockUnavailableException.class).hasMessageContaining("no local file holds it");
            assertThat(r.blocks()).hasSize(1);
            assertThat(c.get(0).rescans).isEqualTo(List.of());
        }
    }
}
