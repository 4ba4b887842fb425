package org.meshfold.replication.merge;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.meshfold.clock.VersionVector;

class GlobalSelectorTest {
    /** A generic record, as an application store would have. */
    record Doc(String value, Version version) {
    }

    private final GlobalSelector<Doc> selector =
            new GlobalSelector<>(Doc::version, (a, b) -> Objects.equals(a.value(), b.value()), (a, b) -> 0);

    private static Doc doc(String value, Map<Long, Long> vector, long millis, long device) {
        return new Doc(value, MergeRulesTest.v(vector, millis, device, value == null));
    }

    @Test
    void select_noCandidates_isEmpty() {
        assertThat(selector.select(null, List.of())).isEmpty();
    }

    @Test
    void select_dominatingRemote_winsWithoutConflict() {
        Doc local = doc("old", Map.of(1L, 1L), 1, 1);
        Doc remote = doc("new", Map.of(1L, 1L, 2L, 1L), 2, 2);
        var sel = selector.select(local, List.of(remote)).orElseThrow();
        assertThat(sel.winner()).isEqualTo(remote);
        assertThat(sel.conflict()).isFalse();
        assertThat(sel.localMaximal()).isFalse();
    }

    @Test
    void select_concurrentDifferentContent_laterHlcWinsAndReportsConflict() {
        Doc local = doc("mine", Map.of(1L, 2L), 5, 1);
        Doc remote = doc("theirs", Map.of(1L, 1L, 2L, 1L), 9, 2);
        var sel = selector.select(local, List.of(remote)).orElseThrow();
        assertThat(sel.winner()).isEqualTo(remote);
        assertThat(sel.vector()).isEqualTo(remote.version().vector());
        assertThat(sel.conflict()).isTrue();
        assertThat(sel.localMaximal()).isTrue();
    }

    @Test
    void select_concurrentSameContent_mergesVectorsWithoutConflict() {
        Doc a = doc("same", Map.of(1L, 1L), 5, 1);
        Doc b = doc("same", Map.of(2L, 1L), 6, 2);
        var sel = selector.select(a, List.of(b)).orElseThrow();
        assertThat(sel.conflict()).isFalse();
        assertThat(sel.winner()).isEqualTo(b);
        assertThat(sel.vector()).isEqualTo(VersionVector.of(Map.of(1L, 1L, 2L, 1L)));
    }

    @Test
    void select_editVersusDelete_editWinsAlthoughOlder() {
        Doc edit = doc("edit", Map.of(1L, 2L), 1, 1);
        Doc delete = doc(null, Map.of(1L, 1L, 2L, 1L), 99, 2);
        assertThat(selector.select(delete, List.of(edit)).orElseThrow().winner()).isEqualTo(edit);
    }

    @Test
    void select_sameCandidatesInAnyOrder_sameWinnerEverywhere() {
        Doc a = doc("a", Map.of(1L, 1L), 7, 1);
        Doc b = doc("b", Map.of(2L, 1L), 7, 2);
        Doc c = doc("c", Map.of(3L, 1L), 7, 3);
        Doc w1 = selector.select(a, List.of(b, c)).orElseThrow().winner();
        Doc w2 = selector.select(c, List.of(a, b)).orElseThrow().winner();
        Doc w3 = selector.select(null, List.of(b, c, a)).orElseThrow().winner();
        assertThat(w1).isEqualTo(c).isEqualTo(w2).isEqualTo(w3);
    }
}
