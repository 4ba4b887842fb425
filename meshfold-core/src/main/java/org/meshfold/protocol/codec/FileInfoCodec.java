package org.meshfold.protocol.codec;

import com.google.protobuf.UnsafeByteOperations;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.meshfold.clock.Hlc;
import org.meshfold.clock.VersionVector;
import org.meshfold.index.Block;
import org.meshfold.index.BlockHash;
import org.meshfold.index.FileRecord;
import org.meshfold.index.FileType;
import org.meshfold.protocol.ProtocolException;
import org.meshfold.protocol.ProtocolException.Kind;
import org.meshfold.protocol.codec.pb.BlockInfo;
import org.meshfold.protocol.codec.pb.Counter;
import org.meshfold.protocol.codec.pb.FileInfo;

/**
 * Converts {@link FileRecord} to and from the wire {@code FileInfo}, field for field. Decoding
 * checks every field a peer could use against us (as Syncthing's checkFileInfoConsistency): the
 * name, ranges, the version vector, and that the block list exactly tiles the file.
 */
final class FileInfoCodec {
    static final int MAX_VECTOR_ENTRIES = 10_000;
    static final long MAX_FILE_SIZE = 1L << 50;
    static final int MAX_SYMLINK_TARGET_BYTES = 4096;

    private FileInfoCodec() {
    }

    static FileInfo encode(FileRecord r) {
        return encode(r, null);
    }

    /** As {@link #encode(FileRecord)}, with the block list written as {@code delta} if not null. */
    static FileInfo encode(FileRecord r, BlockListDelta delta) {
        FileInfo.Builder b = FileInfo.newBuilder()
                .setName(r.name())
                .setType(r.type().code())
                .setSize(r.size())
                .setPermissions(r.permissions())
                .setMtimeNanos(r.mtimeNanos())
                .setBlocksHash(UnsafeByteOperations.unsafeWrap(r.blocksHash().bytes()))
                .setSymlinkTarget(r.symlinkTarget())
                .setDeleted(r.deleted())
                .setHlcPhysical(r.hlc().physicalMillis())
                .setHlcLogical(r.hlc().logical())
                .setModifiedBy(r.modifiedBy())
                .setSequence(r.sequence());
        List<Block> blocks = r.blocks();
        if (delta != null) {
            b.setDeltaBase(UnsafeByteOperations.unsafeWrap(delta.base().bytes()))
                    .setDeltaPrefix(delta.prefix())
                    .setDeltaSuffix(delta.suffix());
            blocks = delta.middle();
        }
        for (Block block : blocks) {
            b.addBlocks(BlockInfo.newBuilder().setOffset(block.offset()).setSize(block.size())
                    .setHash(UnsafeByteOperations.unsafeWrap(block.hash().bytes())));
        }
        r.version().asMap().forEach((device, counter) ->
                b.addVersion(Counter.newBuilder().setDevice(device).setValue(counter)));
        return b.build();
    }

    static FileRecord decode(FileInfo f) throws ProtocolException {
        return decode(f, name -> null);
    }

    /**
     * As {@link #decode(FileInfo)}; a block list written as a change is applied to the list
     * {@code bases} holds for the name, which must be the one the change names.
     */
    static FileRecord decode(FileInfo f, Function<String, BlockListMemory.Entry> bases) throws ProtocolException {
        String name = FieldRules.name(f.getName());
        FileType type = type(f, name);
        long size = f.getSize();
        if (size < 0 || size > MAX_FILE_SIZE) {
            throw invalid(Kind.INVALID_RECORD, name, "size " + Long.toUnsignedString(size) + " is outside 0..2^50");
        }
        if ((f.getPermissions() & ~07777) != 0) {
            throw invalid(Kind.INVALID_RECORD, name, "permissions 0" + Integer.toOctalString(f.getPermissions())
                    + " are not POSIX mode bits");
        }
        String target = symlinkTarget(f, name, type);
        if (f.getDeltaBase().isEmpty() && (f.getDeltaPrefix() != 0 || f.getDeltaSuffix() != 0)) {
            throw invalid(Kind.INVALID_BLOCKS, name, "keeps blocks of a block list change without naming its base");
        }
        List<Block> blocks = f.getDeltaBase().isEmpty() ? blocks(f, name, type, size)
                : changedBlocks(f, name, type, size, bases.apply(name));
        BlockHash blocksHash = FieldRules.hash(f.getBlocksHash(), Kind.INVALID_BLOCKS, "file '" + name + "': blocks hash");
        if (!blocksHash.equals(FileRecord.hashOf(blocks))) {
            throw invalid(Kind.INVALID_BLOCKS, name, "blocks hash does not match the block list");
        }
        VersionVector version = version(f, name);
        if (f.getHlcPhysical() < 0 || f.getHlcLogical() < 0) {
            throw invalid(Kind.INVALID_RECORD, name, "timestamp " + Long.toUnsignedString(f.getHlcPhysical()) + "/"
                    + Integer.toUnsignedString(f.getHlcLogical()) + " is out of range");
        }
        if (f.getSequence() < 0) {
            throw invalid(Kind.INVALID_RECORD, name, "sequence " + Long.toUnsignedString(f.getSequence())
                    + " is out of range");
        }
        return new FileRecord(name, type, size, f.getPermissions(), f.getMtimeNanos(), blocks, blocksHash, target,
                f.getDeleted(), version, new Hlc(f.getHlcPhysical(), f.getHlcLogical()), f.getModifiedBy(),
                f.getSequence());
    }

    private static FileType type(FileInfo f, String name) throws ProtocolException {
        for (FileType t : FileType.values()) {
            if (t.code() == f.getType()) {
                return t;
            }
        }
        throw invalid(Kind.INVALID_RECORD, name, "unknown file type code " + Integer.toUnsignedString(f.getType()));
    }

    private static String symlinkTarget(FileInfo f, String name, FileType type) throws ProtocolException {
        String target = f.getSymlinkTarget();
        if (target.isEmpty()) {
            return target;
        }
        if (type != FileType.SYMLINK) {
            throw invalid(Kind.INVALID_RECORD, name, "a " + type + " record has a symlink target");
        }
        if (target.indexOf('\0') >= 0 || target.getBytes(StandardCharsets.UTF_8).length > MAX_SYMLINK_TARGET_BYTES) {
            throw invalid(Kind.INVALID_RECORD, name, "symlink target contains NUL or is longer than "
                    + MAX_SYMLINK_TARGET_BYTES + " bytes");
        }
        return target;
    }

    private static List<Block> blocks(FileInfo f, String name, FileType type, long size) throws ProtocolException {
        int count = f.getBlocksCount();
        if (count == 0) {
            if (type == FileType.FILE && !f.getDeleted() && size != 0) {
                throw invalid(Kind.INVALID_BLOCKS, name, "has " + size + " bytes but no blocks");
            }
            return List.of();
        }
        if (type != FileType.FILE || f.getDeleted()) {
            throw invalid(Kind.INVALID_BLOCKS, name, "a " + (f.getDeleted() ? "deleted" : type.toString())
                    + " record lists " + count + " blocks");
        }
        if (count > size) {
            throw invalid(Kind.INVALID_BLOCKS, name, count + " blocks cannot tile " + size + " bytes");
        }
        List<Block> blocks = new ArrayList<>(count);
        long expectedOffset = 0;
        for (int i = 0; i < count; i++) {
            BlockInfo b = f.getBlocks(i);
            if (b.getOffset() != expectedOffset) {
                throw invalid(Kind.INVALID_BLOCKS, name, "block " + i + " starts at "
                        + Long.toUnsignedString(b.getOffset()) + ", expected " + expectedOffset
                        + " (blocks must be contiguous from 0)");
            }
            blocks.add(block(b, name, "block " + i, expectedOffset));
            expectedOffset += b.getSize();
        }
        requireCovers(name, expectedOffset, size);
        return blocks;
    }

    /** The full list of a record whose blocks are a change to {@code base}; checked like a full list. */
    private static List<Block> changedBlocks(FileInfo f, String name, FileType type, long size,
            BlockListMemory.Entry base) throws ProtocolException {
        BlockHash baseHash = FieldRules.hash(f.getDeltaBase(), Kind.INVALID_BLOCKS, "file '" + name + "': delta base");
        if (base == null || !base.blocksHash().equals(baseHash)) {
            throw invalid(Kind.INVALID_BLOCKS, name, "block list is a change to a version of the file that was not "
                    + "sent on this connection");
        }
        if (type != FileType.FILE || f.getDeleted()) {
            throw invalid(Kind.INVALID_BLOCKS, name, "a " + (f.getDeleted() ? "deleted" : type.toString())
                    + " record has a block list change");
        }
        long kept = Integer.toUnsignedLong(f.getDeltaPrefix()) + Integer.toUnsignedLong(f.getDeltaSuffix());
        if (kept > base.blocks().size() || f.getBlocksCount() > size) {
            throw invalid(Kind.INVALID_BLOCKS, name, "block list change keeps " + kept + " of "
                    + base.blocks().size() + " blocks and adds " + f.getBlocksCount() + " for " + size + " bytes");
        }
        List<Block> middle = new ArrayList<>(f.getBlocksCount());
        for (int i = 0; i < f.getBlocksCount(); i++) {
            middle.add(block(f.getBlocks(i), name, "new block " + i, 0)); // offsets follow from the sizes
        }
        List<Block> blocks = new BlockListDelta(baseHash, f.getDeltaPrefix(), f.getDeltaSuffix(), middle)
                .applyTo(base.blocks());
        requireCovers(name, blocks.isEmpty() ? 0 : blocks.getLast().offset() + blocks.getLast().size(), size);
        return blocks;
    }

    /** One block of a list, at {@code offset}, if its size and hash are valid; {@code which} names it for the error. */
    private static Block block(BlockInfo b, String name, String which, long offset) throws ProtocolException {
        if (b.getSize() < 1 || b.getSize() > WireCodec.MAX_BLOCK_SIZE) {
            throw invalid(Kind.INVALID_BLOCKS, name, which + " has size "
                    + Integer.toUnsignedString(b.getSize()) + " (must be 1.." + WireCodec.MAX_BLOCK_SIZE + ")");
        }
        return new Block(offset, b.getSize(),
                FieldRules.hash(b.getHash(), Kind.INVALID_BLOCKS, "file '" + name + "': " + which + " hash"));
    }

    private static void requireCovers(String name, long covered, long size) throws ProtocolException {
        if (covered != size) {
            throw invalid(Kind.INVALID_BLOCKS, name, "blocks cover " + covered + " bytes but the file has " + size);
        }
    }

    private static VersionVector version(FileInfo f, String name) throws ProtocolException {
        int count = f.getVersionCount();
        if (count > MAX_VECTOR_ENTRIES) {
            throw invalid(Kind.INVALID_VERSION_VECTOR, name, "version vector has " + count + " entries (max "
                    + MAX_VECTOR_ENTRIES + ")");
        }
        Map<Long, Long> entries = new HashMap<>(count * 2);
        for (Counter c : f.getVersionList()) {
            if (c.getDevice() == 0) {
                throw invalid(Kind.INVALID_VERSION_VECTOR, name, "version vector has a zero device id");
            }
            if (c.getValue() <= 0) {
                throw invalid(Kind.INVALID_VERSION_VECTOR, name, "version vector counter "
                        + Long.toUnsignedString(c.getValue()) + " of device " + Long.toHexString(c.getDevice())
                        + " is not in 1..2^63-1");
            }
            if (entries.put(c.getDevice(), c.getValue()) != null) {
                throw invalid(Kind.INVALID_VERSION_VECTOR, name, "version vector lists device "
                        + Long.toHexString(c.getDevice()) + " twice");
            }
        }
        return VersionVector.of(entries);
    }

    private static ProtocolException invalid(Kind kind, String name, String problem) {
        return new ProtocolException(kind, "file '" + FieldRules.printable(name) + "': " + problem);
    }
}
