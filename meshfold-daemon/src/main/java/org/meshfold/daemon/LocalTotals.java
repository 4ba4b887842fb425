package org.meshfold.daemon;

import org.meshfold.index.FileType;
import org.meshfold.index.FolderIndex;

/** How many regular files this device has in a folder, and their total size, per the index. */
public record LocalTotals(long files, long bytes) {

    /** Counts the live (not deleted) regular files of {@code index}; reads every local record. */
    public static LocalTotals of(FolderIndex index) {
        long[] counts = new long[2];
        index.forEachLocal(r -> {
            if (r.type() == FileType.FILE && !r.deleted()) {
                counts[0]++;
                counts[1] += r.size();
            }
        });
        return new LocalTotals(counts[0], counts[1]);
    }

    /** Percent of the files present, given how many are still needed; one decimal. */
    public double percentComplete(long needFiles) {
        if (needFiles <= 0) {
            return 100.0;
        }
        return Math.floor(1000.0 * files / (files + needFiles)) / 10.0;
    }
}
