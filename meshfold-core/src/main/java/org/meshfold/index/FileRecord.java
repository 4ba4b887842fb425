package org.meshfold.index;

import java.security.MessageDigest;
import java.util.List;
import java.util.Objects;
import org.meshfold.clock.Hlc;
import org.meshfold.clock.VersionVector;

/**
 * The state of one name in a folder as one device knows it.
 *
 * @param name          path relative to the folder root, '/'-separated, NFC, validated by
 *                      {@code org.meshfold.fs.PathNames}
 * @param permissions   POSIX mode bits (0777 mask); 0 for symlinks
 * @param mtimeNanos    modification time, nanoseconds since the epoch
 * @param blocks        content chunks in order (empty for directories, symlinks, deletions and empty files)
 * @param blocksHash    SHA-256 over the block hashes: identifies the content; {@link #EMPTY_CONTENT} if none
 * @param symlinkTarget target of a symlink, else empty
 * @param version       version vector of this state
 * @param hlc           when the change was made (hybrid logical clock)
 * @param modifiedBy    short id of the device that made the change
 * @param sequence      position in the owning device's per-folder index sequence (0 = not yet committed)
 */
public record FileRecord(
        String name,
        FileType type,
        long size,
        int permissions,
        long mtimeNanos,
        List<Block> blocks,
        BlockHash blocksHash,
        String symlinkTarget,
        boolean deleted,
        VersionVector version,
        Hlc hlc,
        long modifiedBy,
        long sequence) {

    public static final BlockHash EMPTY_CONTENT = hashOf(List.of());

    public FileRecord {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(hlc, "hlc");
        blocks = List.copyOf(blocks);
        symlinkTarget = symlinkTarget == null ? "" : symlinkTarget;
        blocksHash = blocksHash == null ? hashOf(blocks) : blocksHash;
    }

    /** SHA-256 over the concatenated block hashes. */
    public static BlockHash hashOf(List<Block> blocks) {
        MessageDigest md = BlockHash.newDigest();
        for (Block b : blocks) {
            b.hash().updateDigest(md);
        }
        return BlockHash.wrap(md.digest());
    }

    /** True if both describe the same content on disk (type, bytes, link target, deletion), ignoring versions. */
    public boolean sameContent(FileRecord other) {
        if (deleted || other.deleted) {
            return deleted == other.deleted;
        }
        return type == other.type
                && size == other.size
                && blocksHash.equals(other.blocksHash)
                && symlinkTarget.equals(other.symlinkTarget)
                && (type != FileType.FILE || permissions == other.permissions);
    }

    public FileRecord withSequence(long seq) {
        return new FileRecord(name, type, size, permissions, mtimeNanos, blocks, blocksHash, symlinkTarget,
                deleted, version, hlc, modifiedBy, seq);
    }

    public FileRecord withVersion(VersionVector v) {
        return new FileRecord(name, type, size, permissions, mtimeNanos, blocks, blocksHash, symlinkTarget,
                deleted, v, hlc, modifiedBy, sequence);
    }

    /** A tombstone for this name with the given version. */
    public FileRecord asDeleted(VersionVector v, Hlc when, long by) {
        return new FileRecord(name, type, 0, 0, mtimeNanos, List.of(), EMPTY_CONTENT, "", true, v, when, by, 0);
    }

    @Override
    public String toString() {
        return "FileRecord[" + name + " " + type + (deleted ? " deleted" : " " + size + "B") + " v=" + version
                + " seq=" + sequence + "]";
    }
}
