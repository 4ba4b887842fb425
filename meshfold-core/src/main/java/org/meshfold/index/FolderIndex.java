package org.meshfold.index;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The index of one folder on this device: the local records (what this device has on disk, each
 * with the local sequence at which it last changed), the records each peer announced, the
 * per-peer cursors, and the block index over local files.
 *
 * <p>Contract: every mutating call is one SQLite transaction; a failure leaves the index as it
 * was. Implementations are thread-safe, but callers are expected to mutate one folder from a
 * single thread (the folder's loop).
 */
public interface FolderIndex {

    String folderId();

    /** Random non-zero id of this device's index for the folder; changes only if the index is reset. */
    long epoch();

    /** Highest local sequence assigned so far (0 if none). */
    long maxSequence();

    Optional<FileRecord> local(String name);

    /** Calls {@code action} for every local record (including tombstones), in name order. */
    void forEachLocal(Consumer<FileRecord> action);

    /** Local records whose sequence is greater than {@code afterSequence}, in sequence order, at most {@code limit}. */
    List<FileRecord> localSince(long afterSequence, int limit);

    /**
     * Stores local changes in one transaction: each record replaces the local record of the same
     * name and gets the next sequence number; the block index follows the new block lists.
     *
     * @return the stored records, carrying their assigned sequences, in input order
     */
    List<FileRecord> commitLocal(Collection<FileRecord> changes);

    /** The record {@code device} announced for {@code name}, if any. */
    Optional<FileRecord> remote(long device, String name);

    /** All peers' records for {@code name}, by device short id. */
    Map<Long, FileRecord> remotes(String name);

    /**
     * Stores records a peer announced (each carries the peer's own sequence) and advances that
     * peer's cursor to {@code (epoch, highest sequence in records)}, in one transaction.
     */
    void applyRemote(long device, long epoch, List<FileRecord> records);

    /** Where this device is in {@code device}'s index: the epoch and highest sequence received. */
    Cursor cursor(long device);

    /** Forgets everything {@code device} announced (its index epoch changed or it was removed). */
    void dropRemote(long device);

    /**
     * How many names {@code device}'s announced records and the local records disagree on: one
     * side has a version the other lacks, or both have different version vectors. A tombstone on
     * one side and no record on the other agree (neither has the name), as do two tombstones.
     * Zero means the peer has announced exactly this device's versions: it holds what we hold.
     */
    long countDifferences(long device);

    /** Every name that has a local or a remote record. */
    List<String> allNames();

    /** Local files whose current content contains a block with this hash (not deleted). */
    List<BlockLocation> findBlock(BlockHash hash);

    /** A position in a peer's index sequence. */
    record Cursor(long epoch, long sequence) {
        public static final Cursor NONE = new Cursor(0, 0);
    }

    /** Where a block can be read locally. */
    record BlockLocation(String name, long offset, int size) {
    }
}
