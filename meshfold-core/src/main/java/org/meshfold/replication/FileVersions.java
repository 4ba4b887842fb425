package org.meshfold.replication;

import java.util.Comparator;
import org.meshfold.index.FileRecord;
import org.meshfold.index.FileType;
import org.meshfold.replication.merge.GlobalSelector;
import org.meshfold.replication.merge.Version;

/** Applies the generic merge rules to file records. */
final class FileVersions {
    /** Between concurrent versions of a name, a directory beats a file or symlink: the file side keeps a copy. */
    static final Comparator<FileRecord> DIRECTORY_FIRST =
            Comparator.comparing((FileRecord r) -> r.type() == FileType.DIRECTORY);

    static final GlobalSelector<FileRecord> SELECTOR =
            new GlobalSelector<>(FileVersions::of, FileRecord::sameContent, DIRECTORY_FIRST);

    private FileVersions() {
    }

    /** True if both are live and hold the same bytes (or link target), whatever their permissions. */
    static boolean sameBytes(FileRecord a, FileRecord b) {
        return !a.deleted() && !b.deleted() && a.type() == b.type() && a.size() == b.size()
                && a.blocksHash().equals(b.blocksHash()) && a.symlinkTarget().equals(b.symlinkTarget());
    }

    static Version of(FileRecord r) {
        return new Version(r.version(), r.hlc(), r.modifiedBy(), r.deleted());
    }
}
