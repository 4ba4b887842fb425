package org.meshfold.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import org.meshfold.clock.VersionVector;

class BlobCodecTest {

    @Property
    void encodeVersion_roundTripsAnyVector(@ForAll @Size(max = 20) Map<Long, @LongRange(min = 0) Long> entries) {
        VersionVector v = VersionVector.of(entries);
        assertThat(BlobCodec.decodeVersion(BlobCodec.encodeVersion(v))).isEqualTo(v);
    }

    @Property
    void encodeBlocks_roundTripsAnyList(@ForAll @Size(max = 50) List<@LongRange(min = 0) Long> offsets,
                                        @ForAll @IntRange(min = 0) int size) {
        List<Block> blocks = new ArrayList<>();
        for (long offset : offsets) {
            blocks.add(new Block(offset, size, TestRecords.hash(offset + "/" + size)));
        }
        byte[] blob = BlobCodec.encodeBlocks(blocks);
        assertThat(blob).hasSize(blocks.size() * BlobCodec.BLOCK_BYTES);
        assertThat(BlobCodec.decodeBlocks(blob)).isEqualTo(blocks);
    }

    @Test
    void encodeVersion_exactBytes() {
        VersionVector v = VersionVector.of(Map.of(0x0102030405060708L, 300L, -1L, 1L));
        // count 2; device -1 (sorted first) counter 1; device 0x0102..08 counter 300 = varint ac 02
        assertThat(HexFormat.of().formatHex(BlobCodec.encodeVersion(v)))
                .isEqualTo("02" + "ffffffffffffffff" + "01" + "0102030405060708" + "ac02");
        assertThat(BlobCodec.encodeVersion(VersionVector.EMPTY)).containsExactly(0);
    }

    @Test
    void encodeBlocks_exactLayout() {
        BlockHash h = TestRecords.hash("x");
        byte[] blob = BlobCodec.encodeBlocks(List.of(new Block(0x0102, 0x0304, h)));
        assertThat(HexFormat.of().formatHex(blob, 0, 12)).isEqualTo("0000000000000102" + "00000304");
        assertThat(HexFormat.of().formatHex(blob, 12, 44)).isEqualTo(h.toString());
    }

    @Test
    void encodeBlocks_largeFileStaysCompact() {
        List<Block> blocks = new ArrayList<>();
        for (int i = 0; i < 16_384; i++) {
            blocks.add(new Block(i * 65_536L, 65_536, TestRecords.hash("b" + i)));
        }
        byte[] blob = BlobCodec.encodeBlocks(blocks);
        assertThat(blob).hasSize(16_384 * 44);
        assertThat(BlobCodec.decodeBlocks(blob)).isEqualTo(blocks);
    }

    @Test
    void decodeVersion_rejectsMalformedInput() {
        assertThatThrownBy(() -> BlobCodec.decodeVersion(new byte[] {1, 0, 0}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("entries");
        byte[] truncated = HexFormat.of().parseHex("01" + "0000000000000001");
        assertThatThrownBy(() -> BlobCodec.decodeVersion(truncated))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("truncated");
        byte[] unsorted = HexFormat.of().parseHex("02" + "0000000000000002" + "01" + "0000000000000001" + "01");
        assertThatThrownBy(() -> BlobCodec.decodeVersion(unsorted))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ascending");
        byte[] zero = HexFormat.of().parseHex("01" + "0000000000000001" + "00");
        assertThatThrownBy(() -> BlobCodec.decodeVersion(zero))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not positive");
        byte[] trailing = HexFormat.of().parseHex("00ff");
        assertThatThrownBy(() -> BlobCodec.decodeVersion(trailing))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("trailing");
    }

    @Test
    void decodeBlocks_rejectsPartialBlock() {
        assertThatThrownBy(() -> BlobCodec.decodeBlocks(new byte[45]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("multiple of 44");
    }
}
