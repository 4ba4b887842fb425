package org.meshfold.replication.merge;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.meshfold.clock.Hlc;
import org.meshfold.clock.VersionVector;

class MergeRulesTest {
    static Version v(Map<Long, Long> vector, long millis, long device, boolean deleted) {
        return new Version(VersionVector.of(vector), new Hlc(millis, 0), device, deleted);
    }

    @Test
    void resolve_remoteDominates_takesRemote() {
        assertThat(MergeRules.resolve(v(Map.of(1L, 1L), 5, 1, false), v(Map.of(1L, 2L), 1, 1, false)))
                .isEqualTo(Resolution.TAKE_REMOTE);
    }

    @Test
    void resolve_localDominatesOrEqual_keepsLocal() {
        Version local = v(Map.of(1L, 2L, 2L, 1L), 1, 1, false);
        assertThat(MergeRules.resolve(local, v(Map.of(1L, 2L), 9, 2, false))).isEqualTo(Resolution.KEEP_LOCAL);
        assertThat(MergeRules.resolve(local, local)).isEqualTo(Resolution.KEEP_LOCAL);
    }

    @Test
    void resolve_concurrent_isConflict() {
        assertThat(MergeRules.resolve(v(Map.of(1L, 1L), 1, 1, false), v(Map.of(2L, 1L), 1, 2, false)))
                .isEqualTo(Resolution.CONFLICT);
    }

    @Test
    void beats_liveBeatsDeletedEvenIfOlder() {
        assertThat(MergeRules.beats(v(Map.of(1L, 1L), 1, 1, false), v(Map.of(2L, 1L), 99, 2, true))).isTrue();
        assertThat(MergeRules.beats(v(Map.of(2L, 1L), 99, 2, true), v(Map.of(1L, 1L), 1, 1, false))).isFalse();
    }

    @Test
    void beats_higherHlcThenHigherDeviceUnsigned() {
        assertThat(MergeRules.beats(v(Map.of(1L, 1L), 2, 1, false), v(Map.of(2L, 1L), 1, 2, false))).isTrue();
        // Same time: the device id decides, compared as unsigned bytes (0x80.. > 0x7f..).
        Version high = v(Map.of(1L, 1L), 1, 0x8000_0000_0000_0000L, false);
        Version low = v(Map.of(2L, 1L), 1, 0x7fff_ffff_ffff_ffffL, false);
        assertThat(MergeRules.beats(high, low)).isTrue();
        assertThat(MergeRules.beats(low, high)).isFalse();
    }
}
