package org.meshfold.replication;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.meshfold.index.FileRecord;
import org.meshfold.index.FolderIndex;

/**
 * Reconciles scanner results with local records the folder loop committed meanwhile. The scanner
 * bumps the version it read; if a pull committed a newer local record before the scan result
 * arrived, the scanned record no longer dominates it. Then either the scan saw the same content
 * (nothing changed: dropped) or the user changed the file after the pull, and the change gets a
 * version that dominates both, since it is the newest state of the disk.
 */
final class LocalChangeGuard {
    private final FolderIndex index;
    private final long self;

    LocalChangeGuard(FolderIndex index, long self) {
        this.index = index;
        this.self = self;
    }

    List<FileRecord> accept(List<FileRecord> changes) {
        List<FileRecord> out = new ArrayList<>(changes.size());
        for (FileRecord r : changes) {
            Optional<FileRecord> current = index.local(r.name());
            if (current.isEmpty() || r.version().dominates(current.get().version())) {
                out.add(r);
            } else if (!(r.sameContent(current.get()) && r.mtimeNanos() == current.get().mtimeNanos())) {
                out.add(r.withVersion(current.get().version().merge(r.version()).bump(self, r.hlc())));
            }
        }
        return out;
    }
}
