package org.meshfold.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.meshfold.clock.Hlc;
import org.meshfold.clock.VersionVector;
import org.meshfold.index.Block;
import org.meshfold.index.BlockHash;
import org.meshfold.index.FileRecord;
import org.meshfold.index.FileType;
import org.meshfold.protocol.ProtocolException;

class FileInfoCodecPropertyTest {

    @Property(tries = 300)
    void decodeOfEncode_anyValidRecord_isTheSameRecord(@ForAll("records") FileRecord record) throws ProtocolException {
        assertThat(FileInfoCodec.decode(FileInfoCodec.encode(record))).isEqualTo(record);
    }

    @Provide
    Arbitrary<FileRecord> records() {
        Arbitrary<String> component = Arbitraries.strings().withChars("abcXYZ019 -_.é€").ofMinLength(1).ofMaxLength(20)
                .filter(s -> !s.equals(".") && !s.equals("..") && !s.startsWith(".meshfold-tmp-"));
        Arbitrary<String> name = component.list().ofMinSize(1).ofMaxSize(4).map(parts -> String.join("/", parts));
        Arbitrary<List<Integer>> blockSizes = Arbitraries.integers().between(1, WireCodec.MAX_BLOCK_SIZE)
                .list().ofMaxSize(40);
        Arbitrary<Map<Long, Long>> vector = Arbitraries.maps(
                Arbitraries.longs().filter(d -> d != 0), Arbitraries.longs().between(1, Long.MAX_VALUE)).ofMaxSize(5);
        Arbitrary<Integer> kind = Arbitraries.integers().between(0, 3);
        return Combinators.combine(name, blockSizes, vector, kind, Arbitraries.longs(),
                Arbitraries.longs().between(0, Long.MAX_VALUE), Arbitraries.integers().between(0, 07777))
                .as((n, sizes, v, k, mtime, seq, perms) -> record(n, sizes, v, k, mtime, seq, perms));
    }

    private static FileRecord record(String name, List<Integer> sizes, Map<Long, Long> vector, int kind, long mtime,
            long sequence, int permissions) {
        VersionVector version = VersionVector.of(new HashMap<>(vector));
        Hlc hlc = new Hlc(Math.abs(mtime % 4_000_000_000_000L), (int) (sequence % 1000));
        return switch (kind) {
            case 0 -> {
                List<Block> blocks = new ArrayList<>();
                long offset = 0;
                for (int s : sizes) {
                    blocks.add(new Block(offset, s, BlockHash.sha256(new byte[] {(byte) s, (byte) offset}, 0, 2)));
                    offset += s;
                }
                yield new FileRecord(name, FileType.FILE, offset, permissions, mtime, blocks, null, "", false,
                        version, hlc, mtime, sequence);
            }
            case 1 -> new FileRecord(name, FileType.DIRECTORY, 0, permissions, mtime, List.of(), null, "", false,
                    version, hlc, mtime, sequence);
            case 2 -> new FileRecord(name, FileType.SYMLINK, 0, 0, mtime, List.of(), null, "../" + name, false,
                    version, hlc, mtime, sequence);
            default -> new FileRecord(name, FileType.FILE, 0, 0, mtime, List.of(), FileRecord.EMPTY_CONTENT, "", true,
                    version, hlc, mtime, sequence);
        };
    }
}
