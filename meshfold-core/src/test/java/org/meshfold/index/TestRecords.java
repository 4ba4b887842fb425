package org.meshfold.index;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.meshfold.clock.Hlc;
import org.meshfold.clock.VersionVector;

/** Builds records for index tests. */
final class TestRecords {
    static final long ME = 0x1111_2222_3333_4444L;
    static final long PEER = 0x5555_6666_7777_8888L;
    static final long OTHER_PEER = 0x9999_aaaa_bbbb_ccccL;

    private TestRecords() {
    }

    static BlockHash hash(String seed) {
        byte[] data = seed.getBytes(StandardCharsets.UTF_8);
        return BlockHash.sha256(data, 0, data.length);
    }

    /** A file whose blocks have hashes of {@code seeds}, 1000 bytes each. */
    static FileRecord file(String name, String... seeds) {
        List<Block> blocks = new ArrayList<>();
        for (String seed : seeds) {
            blocks.add(new Block(blocks.size() * 1000L, 1000, hash(seed)));
        }
        return file(name, blocks, VersionVector.of(Map.of(ME, 1L)));
    }

    static FileRecord file(String name, List<Block> blocks, VersionVector version) {
        long size = blocks.stream().mapToLong(Block::size).sum();
        return new FileRecord(name, FileType.FILE, size, 0644, 1_700_000_000_123_456_789L, blocks, null, "", false,
                version, new Hlc(1_700_000_000_123L, 0), ME, 0);
    }

    static FileRecord withSeq(FileRecord r, long sequence) {
        return r.withSequence(sequence);
    }
}
