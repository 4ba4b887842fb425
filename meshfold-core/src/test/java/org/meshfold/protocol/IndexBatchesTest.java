package org.meshfold.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.meshfold.index.FileRecord;

class IndexBatchesTest {

    @Test
    void split_manySmallRecords_atMost2000PerBatchInOrder() {
        List<FileRecord> records = new ArrayList<>();
        for (int i = 0; i < 4001; i++) {
            records.add(SampleRecords.directory("d" + i));
        }

        List<List<FileRecord>> batches = IndexBatches.split(records);

        assertThat(batches).extracting(List::size).containsExactly(2000, 2000, 1);
        assertThat(batches.stream().flatMap(List::stream).toList()).isEqualTo(records);
    }

    @Test
    void split_recordsWithManyBlocks_atMostAbout8MiB() {
        List<FileRecord> records = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            records.add(SampleRecords.file("f" + i, 40_000));
        }

        List<List<FileRecord>> batches = IndexBatches.split(records);

        assertThat(batches).hasSizeGreaterThan(2);
        for (List<FileRecord> batch : batches) {
            assertThat(batch.stream().mapToLong(IndexBatches::estimate).sum()).isLessThanOrEqualTo(IndexBatches.MAX_BYTES);
        }
    }

    @Test
    void split_empty_noBatches() {
        assertThat(IndexBatches.split(List.of())).isEmpty();
    }

    @Test
    void estimate_isAnUpperBoundOfTheEncodedSize() {
        for (FileRecord r : List.of(SampleRecords.file("a/b/ü", 1000), SampleRecords.directory("d"),
                SampleRecords.symlink("s", "target/x"), SampleRecords.deleted("gone"))) {
            int encoded = org.meshfold.protocol.codec.WireCodecAccess.encodedSize(r);
            assertThat(IndexBatches.estimate(r)).as(r.name()).isGreaterThanOrEqualTo(encoded);
        }
    }
}
