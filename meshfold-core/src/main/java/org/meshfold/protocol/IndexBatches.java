package org.meshfold.protocol;

import java.util.ArrayList;
import java.util.List;
import org.meshfold.index.FileRecord;

/**
 * Splits index records into IndexUpdate-sized batches, so no frame grows large and the receiver
 * can commit progressively. The size estimate is an upper bound of the protobuf encoding (before
 * compression), cheap enough to compute per record.
 */
final class IndexBatches {
    static final int MAX_RECORDS = 2_000;
    static final long MAX_BYTES = 8L << 20;

    private IndexBatches() {
    }

    static List<List<FileRecord>> split(List<FileRecord> records) {
        List<List<FileRecord>> batches = new ArrayList<>();
        List<FileRecord> current = new ArrayList<>();
        long bytes = 0;
        for (FileRecord r : records) {
            long size = estimate(r);
            if (!current.isEmpty() && (current.size() == MAX_RECORDS || bytes + size > MAX_BYTES)) {
                batches.add(current);
                current = new ArrayList<>();
                bytes = 0;
            }
            current.add(r);
            bytes += size;
        }
        if (!current.isEmpty()) {
            batches.add(current);
        }
        return batches;
    }

    /** Upper bound of one record's encoded size: fixed fields, UTF-8 text, 50 bytes a block, 24 a counter. */
    static long estimate(FileRecord r) {
        return 128 + 3L * (r.name().length() + r.symlinkTarget().length()) + 50L * r.blocks().size()
                + 24L * r.version().size();
    }
}
