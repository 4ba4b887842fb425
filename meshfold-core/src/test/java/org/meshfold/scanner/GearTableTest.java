package org.meshfold.scanner;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GearTableTest {

    @Test
    void gear_isSplitMix64FromTheFixedSeed() {
        long state = GearTable.SEED;
        assertThat(GearTable.GEAR).hasSize(256);
        for (int i = 0; i < 256; i++) {
            state += 0x9E3779B97F4A7C15L;
            long z = state;
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            z ^= z >>> 31;
            assertThat(GearTable.GEAR[i]).as("gear[%d]", i).isEqualTo(z);
        }
    }

    @Test
    void masks_haveTheNormalizedBitCounts() {
        assertThat(Long.bitCount(Chunker.MASK_S)).isEqualTo(18);
        assertThat(Long.bitCount(Chunker.MASK_L)).isEqualTo(14);
        // Every mask bit sits at position 16 or higher so each depends on at least 17 input bytes.
        assertThat(Long.numberOfTrailingZeros(Chunker.MASK_S)).isGreaterThanOrEqualTo(16);
        assertThat(Long.numberOfTrailingZeros(Chunker.MASK_L)).isGreaterThanOrEqualTo(16);
    }
}
