package org.meshfold.scanner;

import java.util.List;
import java.util.Set;
import org.meshfold.index.FileRecord;

/**
 * What a scan found.
 *
 * @param changes             new local records to commit, in order: all deletions first (children
 *                            before their parents), then the rest (parents before children)
 * @param changedWhileHashing files that changed while they were being hashed; they are not in
 *                            {@code changes}; rescan them shortly (a targeted scan)
 * @param tempFiles           names that have a temp file of a download next to them on disk
 */
public record ScanResult(List<FileRecord> changes, Set<String> changedWhileHashing, Set<String> tempFiles) {
    public ScanResult {
        changes = List.copyOf(changes);
        changedWhileHashing = Set.copyOf(changedWhileHashing);
        tempFiles = Set.copyOf(tempFiles);
    }

    public boolean isEmpty() {
        return changes.isEmpty() && changedWhileHashing.isEmpty();
    }
}
