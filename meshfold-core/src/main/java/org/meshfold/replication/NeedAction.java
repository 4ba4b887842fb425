package org.meshfold.replication;

import org.meshfold.index.FileRecord;

/**
 * What must happen on this device to bring one name up to its global version. {@code local} is
 * the record the disk is expected to match before anything is touched (null if none);
 * {@code target} is the record committed as local afterwards.
 */
sealed interface NeedAction {
    FileRecord local();

    FileRecord target();

    default String name() {
        return target().name();
    }

    /** Same content; only the version (and perhaps mtime or permissions) changes. */
    record UpdateMeta(FileRecord local, FileRecord target) implements NeedAction {
    }

    /** Create a directory; a local file or symlink in the way is removed or, on conflict, kept as a copy. */
    record MakeDir(FileRecord local, FileRecord target, ConflictCopy copy) implements NeedAction {
    }

    /** Fetch a file's content (or create a symlink) and put it in place. */
    record Pull(FileRecord local, FileRecord target, ConflictCopy copy) implements NeedAction {
    }

    /** Remove the name from disk and commit the tombstone. */
    record Delete(FileRecord local, FileRecord target) implements NeedAction {
    }

    /**
     * The local content loses a conflict and is kept under {@code name}.
     *
     * @param present true if a record with that name and the same content already exists locally
     *                (another device made the copy first), so the local file can simply be replaced
     */
    record ConflictCopy(String name, boolean present) {
    }
}
