package org.meshfold.clock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class VersionVectorTest {
    private static final long A = 1;
    private static final long B = 2;

    @Test
    void compare_coversAllFourOrders() {
        VersionVector a1 = VersionVector.of(Map.of(A, 1L));
        VersionVector a2 = VersionVector.of(Map.of(A, 2L));
        VersionVector b1 = VersionVector.of(Map.of(B, 1L));

        assertThat(a1.compare(VersionVector.of(Map.of(A, 1L)))).isEqualTo(VersionVector.Order.EQUAL);
        assertThat(a1.compare(a2)).isEqualTo(VersionVector.Order.BEFORE);
        assertThat(a2.compare(a1)).isEqualTo(VersionVector.Order.AFTER);
        assertThat(a1.compare(b1)).isEqualTo(VersionVector.Order.CONCURRENT);
        assertThat(VersionVector.EMPTY.compare(a1)).isEqualTo(VersionVector.Order.BEFORE);
    }

    @Test
    void merge_dominatesBothConcurrentInputs() {
        VersionVector x = VersionVector.of(Map.of(A, 3L, B, 1L));
        VersionVector y = VersionVector.of(Map.of(A, 1L, B, 4L));

        VersionVector m = x.merge(y);

        assertThat(m.asMap()).isEqualTo(Map.of(A, 3L, B, 4L));
        assertThat(m.dominates(x)).isTrue();
        assertThat(m.dominates(y)).isTrue();
    }

    @Test
    void bump_exceedsEveryCounter() {
        VersionVector v = VersionVector.of(Map.of(A, 7L, B, 2L));

        assertThat(v.bump(B).counter(B)).isEqualTo(8);
        assertThat(v.bump(B).dominates(v)).isTrue();
    }

    @Test
    void bumpAt_usesTheWallClockSecondWhenLarger() {
        VersionVector v = VersionVector.of(Map.of(A, 7L));

        assertThat(v.bump(B, new Hlc(1_700_000_000_123L, 0)).counter(B)).isEqualTo(1_700_000_000L);
        assertThat(v.bump(B, new Hlc(3_000, 0)).counter(B)).isEqualTo(8);
    }

    @Test
    void bumpAt_afterALostIndex_isNotDominatedByOwnOlderEdits() {
        VersionVector older = VersionVector.EMPTY.bump(A, new Hlc(1_000_000, 0)).bump(A, new Hlc(2_000_000, 0));
        VersionVector afterReset = VersionVector.EMPTY.bump(A, new Hlc(3_000_000, 0));

        assertThat(afterReset.compare(older)).isEqualTo(VersionVector.Order.AFTER);
    }

    @Test
    void of_rejectsNegativeCountersAndDropsZeros() {
        assertThatThrownBy(() -> VersionVector.of(Map.of(A, -1L))).hasMessageContaining("negative counter");
        assertThat(VersionVector.of(Map.of(A, 0L))).isEqualTo(VersionVector.EMPTY);
    }

    @Property(tries = 300)
    void compare_isAntisymmetric(@ForAll @Size(max = 4) Map<@LongRange(min = 1, max = 5) Long, @LongRange(min = 1, max = 4) Long> x,
                                 @ForAll @Size(max = 4) Map<@LongRange(min = 1, max = 5) Long, @LongRange(min = 1, max = 4) Long> y) {
        VersionVector a = VersionVector.of(x);
        VersionVector b = VersionVector.of(y);
        VersionVector.Order ab = a.compare(b);
        VersionVector.Order ba = b.compare(a);
        switch (ab) {
            case EQUAL -> assertThat(ba).isEqualTo(VersionVector.Order.EQUAL);
            case BEFORE -> assertThat(ba).isEqualTo(VersionVector.Order.AFTER);
            case AFTER -> assertThat(ba).isEqualTo(VersionVector.Order.BEFORE);
            case CONCURRENT -> assertThat(ba).isEqualTo(VersionVector.Order.CONCURRENT);
        }
        assertThat(a.merge(b).compare(a)).isIn(VersionVector.Order.AFTER, VersionVector.Order.EQUAL);
    }
}
