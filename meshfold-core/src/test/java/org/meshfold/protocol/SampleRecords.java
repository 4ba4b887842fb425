package org.meshfold.protocol;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.meshfold.clock.Hlc;
import org.meshfold.clock.VersionVector;
import org.meshfold.index.Block;
import org.meshfold.index.BlockHash;
import org.meshfold.index.FileRecord;
import org.meshfold.index.FileType;

/** Valid records for protocol and codec tests. */
public final class SampleRecords {
    private SampleRecords() {
    }

    /** A file of {@code blockCount} blocks of 1,000 bytes each, every field set to a distinct value. */
    public static FileRecord file(String name, int blockCount) {
        List<Block> blocks = new ArrayList<>(blockCount);
        for (int i = 0; i < blockCount; i++) {
            blocks.add(new Block(i * 1000L, 1000, hash(name.hashCode() * 31L + i)));
        }
        return new FileRecord(name, FileType.FILE, blockCount * 1000L, 0644, 1_700_000_000_123_456_789L, blocks, null,
                "", false, VersionVector.of(Map.of(0x1122334455667788L, 3L, 0x0123456789abcdefL, 9L)),
                new Hlc(1_700_000_000_123L, 7), 0x1122334455667788L, 42);
    }

    public static FileRecord directory(String name) {
        return new FileRecord(name, FileType.DIRECTORY, 0, 0755, 5L, List.of(), null, "", false,
                VersionVector.of(Map.of(7L, 1L)), new Hlc(10, 0), 7, 1);
    }

    public static FileRecord symlink(String name, String target) {
        return new FileRecord(name, FileType.SYMLINK, 0, 0, 6L, List.of(), null, target, false,
                VersionVector.of(Map.of(7L, 2L)), new Hlc(11, 1), 7, 2);
    }

    public static FileRecord deleted(String name) {
        return file(name, 2).asDeleted(VersionVector.of(Map.of(7L, 5L, 8L, 1L)), new Hlc(12, 3), 8).withSequence(9);
    }

    /** A deterministic, random-looking 32-byte hash derived from {@code seed}. */
    public static BlockHash hash(long seed) {
        return BlockHash.sha256(ByteBuffer.allocate(8).putLong(seed).array(), 0, 8);
    }
}
