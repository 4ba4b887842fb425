package org.meshfold.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshfold.clock.VersionVector;

/**
 * Measures the index's batch paths on a real database file and prints the timings. Targets:
 * 20,000 small files in one commit under a second; a 1 GiB file's 16,384 blocks quickly.
 * Timings are printed, not asserted (shared machines vary); results are checked.
 */
class IndexPerformanceTest {
    @TempDir
    Path dir;

    @Test
    void commitLocal_manySmallFilesAndOneHugeFile() {
        try (IndexStore store = IndexStore.open(dir.resolve("index.db"))) {
            FolderIndex index = store.folder("perf");
            VersionVector v = VersionVector.of(Map.of(TestRecords.ME, 1L));

            List<FileRecord> small = new ArrayList<>(20_000);
            for (int i = 0; i < 20_000; i++) {
                small.add(TestRecords.file("dir" + i % 100 + "/file" + i + ".txt",
                        List.of(new Block(0, 900, TestRecords.hash("small" + i))), v));
            }
            long t0 = System.nanoTime();
            List<FileRecord> stored = index.commitLocal(small);
            long smallNanos = System.nanoTime() - t0;
            assertThat(stored.getLast().sequence()).isEqualTo(20_000);

            List<FileRecord> replaced = new ArrayList<>(20_000);
            for (FileRecord r : small) {
                replaced.add(TestRecords.file(r.name(), List.of(new Block(0, 901, TestRecords.hash("new" + r.name()))), v));
            }
            t0 = System.nanoTime();
            index.commitLocal(replaced);
            long replaceNanos = System.nanoTime() - t0;

            List<Block> blocks = new ArrayList<>(16_384);
            for (int i = 0; i < 16_384; i++) {
                blocks.add(new Block(i * 65_536L, 65_536, TestRecords.hash("huge" + i)));
            }
            FileRecord huge = TestRecords.file("huge.iso", blocks, v);
            t0 = System.nanoTime();
            index.commitLocal(List.of(huge));
            long hugeNanos = System.nanoTime() - t0;
            t0 = System.nanoTime();
            FileRecord readBack = index.local("huge.iso").orElseThrow();
            long readHugeNanos = System.nanoTime() - t0;
            assertThat(readBack.blocks()).hasSize(16_384);

            int lookups = 10_000;
            t0 = System.nanoTime();
            int found = 0;
            for (int i = 0; i < lookups; i++) {
                found += index.findBlock(TestRecords.hash("huge" + i)).size();
            }
            long findNanos = System.nanoTime() - t0;
            assertThat(found).isEqualTo(lookups);

            t0 = System.nanoTime();
            int[] count = {0};
            index.forEachLocal(r -> count[0]++);
            long scanNanos = System.nanoTime() - t0;
            assertThat(count[0]).isEqualTo(20_001);

            System.out.printf("index perf: commitLocal 20,000 new small files %d ms; replace 20,000 %d ms; "
                            + "commit 16,384-block file %d ms; read it back %d ms; findBlock %.1f us/lookup; "
                            + "forEachLocal 20,001 records %d ms%n",
                    smallNanos / 1_000_000, replaceNanos / 1_000_000, hugeNanos / 1_000_000,
                    readHugeNanos / 1_000_000, findNanos / 1_000.0 / lookups, scanNanos / 1_000_000);
        }
    }
}
