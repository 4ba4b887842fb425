package org.meshfold.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.meshfold.index.TestRecords.PEER;
import static org.meshfold.index.TestRecords.OTHER_PEER;
import static org.meshfold.index.TestRecords.file;
import static org.meshfold.index.TestRecords.hash;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshfold.clock.Hlc;
import org.meshfold.clock.VersionVector;
import org.meshfold.fs.InvalidNameException;
import org.meshfold.index.FolderIndex.BlockLocation;
import org.meshfold.index.FolderIndex.Cursor;

class SqliteFolderIndexTest {
    @TempDir
    Path dir;
    private IndexStore store;
    private FolderIndex index;

    @BeforeEach
    void open() {
        store = IndexStore.open(dir.resolve("index.db"));
        index = store.folder("docs");
    }

    @AfterEach
    void close() {
        store.close();
    }

    private void reopen() {
        store.close();
        open();
    }

    @Test
    void commitLocal_assignsIncreasingSequencesInInputOrder() {
        List<FileRecord> stored = index.commitLocal(List.of(file("b", "1"), file("a", "2")));
        assertThat(stored).extracting(FileRecord::name).containsExactly("b", "a");
        assertThat(stored).extracting(FileRecord::sequence).containsExactly(1L, 2L);
        assertThat(index.commitLocal(List.of(file("c", "3")))).extracting(FileRecord::sequence).containsExactly(3L);
        assertThat(index.maxSequence()).isEqualTo(3);
        assertThat(index.local("a")).contains(stored.get(1));
    }

    @Test
    void commitLocal_replacesByNameWithNewSequence() {
        index.commitLocal(List.of(file("a", "1"), file("b", "2")));
        index.commitLocal(List.of(file("a", "3")));
        FileRecord a = index.local("a").orElseThrow();
        assertThat(a.sequence()).isEqualTo(3);
        assertThat(a.blocks()).extracting(Block::hash).containsExactly(hash("3"));
        assertThat(index.localSince(0, 10)).extracting(FileRecord::name).containsExactly("b", "a");
    }

    @Test
    void commitLocal_sameNameTwiceInOneBatchKeepsTheLast() {
        List<FileRecord> stored = index.commitLocal(List.of(file("a", "1"), file("a", "2")));
        assertThat(stored).extracting(FileRecord::sequence).containsExactly(1L, 2L);
        assertThat(index.local("a")).contains(stored.get(1));
        assertThat(index.findBlock(hash("1"))).isEmpty();
        assertThat(index.findBlock(hash("2"))).containsExactly(new BlockLocation("a", 0, 1000));
    }

    @Test
    void commitLocal_emptyBatchChangesNothing() {
        assertThat(index.commitLocal(List.of())).isEmpty();
        assertThat(index.maxSequence()).isZero();
    }

    @Test
    void commitLocal_sequencesContinueAfterReopen() {
        index.commitLocal(List.of(file("a", "1"), file("b", "2")));
        reopen();
        assertThat(index.maxSequence()).isEqualTo(2);
        assertThat(index.commitLocal(List.of(file("c", "3")))).extracting(FileRecord::sequence).containsExactly(3L);
    }

    @Test
    void commitLocal_failingRecordLeavesNothingWritten() {
        index.commitLocal(List.of(file("keep", "k")));
        FileRecord negativeSize = new FileRecord("bad", FileType.FILE, -1, 0644, 0, List.of(), null, "", false,
                VersionVector.EMPTY, Hlc.ZERO, 1, 0);
        assertThatThrownBy(() -> index.commitLocal(List.of(file("keep", "new"), file("x", "x"), negativeSize)))
                .isInstanceOf(IndexStoreException.class)
                .hasMessageContaining("commit 3 local changes to folder 'docs'");
        assertThat(index.maxSequence()).isEqualTo(1);
        assertThat(index.local("x")).isEmpty();
        assertThat(index.local("keep").orElseThrow().blocks()).extracting(Block::hash).containsExactly(hash("k"));
        assertThat(index.findBlock(hash("k"))).hasSize(1);
        assertThat(index.findBlock(hash("new"))).isEmpty();
        assertThat(index.findBlock(hash("x"))).isEmpty();
        // The index is still usable and sequences have no gap.
        assertThat(index.commitLocal(List.of(file("x", "x")))).extracting(FileRecord::sequence).containsExactly(2L);
    }

    @Test
    void commitLocal_invalidNameIsRejectedBeforeWriting() {
        assertThatThrownBy(() -> index.commitLocal(List.of(file("ok", "1"), file("../escape", "2"))))
                .isInstanceOf(InvalidNameException.class);
        assertThat(index.local("ok")).isEmpty();
    }

    @Test
    void commitLocal_concurrentCallersGetDistinctGaplessSequences() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<FileRecord>>> results = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                results.add(pool.submit(() -> {
                    List<FileRecord> mine = new ArrayList<>();
                    for (int i = 0; i < 25; i++) {
                        mine.addAll(index.commitLocal(List.of(file("t" + thread + "/a" + i, "x"), file("t" + thread + "/b" + i, "y"))));
                    }
                    return mine;
                }));
            }
            Set<Long> sequences = new TreeSet<>();
            for (Future<List<FileRecord>> f : results) {
                f.get(30, TimeUnit.SECONDS).forEach(r -> sequences.add(r.sequence()));
            }
            assertThat(sequences).hasSize(200).first().isEqualTo(1L);
            assertThat(sequences).last().isEqualTo(200L);
            assertThat(index.maxSequence()).isEqualTo(200);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void localSince_pagesInSequenceOrder() {
        List<FileRecord> batch = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            batch.add(file("f" + i, "h" + i));
        }
        index.commitLocal(batch);
        index.commitLocal(List.of(file("f3", "changed")));
        List<Long> seen = new ArrayList<>();
        long after = 0;
        List<FileRecord> page;
        while (!(page = index.localSince(after, 10)).isEmpty()) {
            assertThat(page.size()).isLessThanOrEqualTo(10);
            page.forEach(r -> seen.add(r.sequence()));
            after = page.getLast().sequence();
        }
        assertThat(seen).hasSize(25).isSorted().doesNotContain(4L).endsWith(26L);
        assertThat(index.localSince(26, 10)).isEmpty();
        assertThat(index.localSince(0, 0)).isEmpty();
    }

    @Test
    void forEachLocal_visitsLocalRecordsInNameOrderAcrossPages() {
        List<FileRecord> batch = new ArrayList<>();
        for (int i = 2_499; i >= 0; i--) {
            batch.add(file(String.format("n%05d", i), "h" + i));
        }
        index.commitLocal(batch);
        index.applyRemote(PEER, 7, List.of(file("remote-only", "r").withSequence(1)));
        List<String> names = new ArrayList<>();
        index.forEachLocal(r -> names.add(r.name()));
        assertThat(names).hasSize(2_500).isSorted().doesNotContain("remote-only");
    }

    @Test
    void findBlock_followsReplacementAndDeletion() {
        index.commitLocal(List.of(file("a", "shared", "onlyA"), file("b", "shared")));
        assertThat(index.findBlock(hash("shared"))).containsExactly(
                new BlockLocation("a", 0, 1000), new BlockLocation("b", 0, 1000));
        assertThat(index.findBlock(hash("onlyA"))).containsExactly(new BlockLocation("a", 1000, 1000));

        index.commitLocal(List.of(file("a", "newA")));
        assertThat(index.findBlock(hash("onlyA"))).isEmpty();
        assertThat(index.findBlock(hash("shared"))).containsExactly(new BlockLocation("b", 0, 1000));
        assertThat(index.findBlock(hash("newA"))).containsExactly(new BlockLocation("a", 0, 1000));

        FileRecord b = index.local("b").orElseThrow();
        index.commitLocal(List.of(b.asDeleted(b.version().bump(TestRecords.ME), new Hlc(2, 0), TestRecords.ME)));
        assertThat(index.findBlock(hash("shared"))).isEmpty();
        assertThat(index.local("b").orElseThrow().deleted()).isTrue();
    }

    @Test
    void findBlock_repeatedBlockInOneFileListedOnceAtFirstOffset() {
        index.commitLocal(List.of(file("zeros", "z", "z", "z")));
        assertThat(index.findBlock(hash("z"))).containsExactly(new BlockLocation("zeros", 0, 1000));
    }

    @Test
    void findBlock_ignoresPeerRecords() {
        index.applyRemote(PEER, 7, List.of(file("a", "peerBlock").withSequence(3)));
        assertThat(index.findBlock(hash("peerBlock"))).isEmpty();
    }

    @Test
    void applyRemote_storesRecordsAndAdvancesCursor() {
        assertThat(index.cursor(PEER)).isEqualTo(Cursor.NONE);
        index.applyRemote(PEER, 7, List.of(file("a", "1").withSequence(5), file("b", "2").withSequence(9)));
        assertThat(index.cursor(PEER)).isEqualTo(new Cursor(7, 9));
        assertThat(index.remote(PEER, "a").orElseThrow().sequence()).isEqualTo(5);
        assertThat(index.local("a")).isEmpty();
        assertThat(index.maxSequence()).isZero();

        index.applyRemote(PEER, 7, List.of(file("a", "3").withSequence(4)));
        assertThat(index.cursor(PEER)).as("same epoch never lowers the cursor").isEqualTo(new Cursor(7, 9));
        assertThat(index.remote(PEER, "a").orElseThrow().sequence()).isEqualTo(4);

        index.applyRemote(PEER, 8, List.of(file("c", "4").withSequence(2)));
        assertThat(index.cursor(PEER)).as("a new epoch starts over").isEqualTo(new Cursor(8, 2));
        assertThat(index.cursor(OTHER_PEER)).isEqualTo(Cursor.NONE);
    }

    @Test
    void applyRemote_cursorSurvivesReopen() {
        index.applyRemote(PEER, 42, List.of(file("a", "1").withSequence(11)));
        reopen();
        assertThat(index.cursor(PEER)).isEqualTo(new Cursor(42, 11));
        assertThat(index.remote(PEER, "a")).isPresent();
    }

    @Test
    void applyRemote_failingRecordLeavesRecordsAndCursorUnchanged() {
        index.applyRemote(PEER, 7, List.of(file("a", "1").withSequence(1)));
        FileRecord negativeSize = new FileRecord("bad", FileType.FILE, -1, 0644, 0, List.of(), null, "", false,
                VersionVector.EMPTY, Hlc.ZERO, PEER, 9);
        assertThatThrownBy(() -> index.applyRemote(PEER, 7, List.of(file("b", "2").withSequence(2), negativeSize)))
                .isInstanceOf(IndexStoreException.class);
        assertThat(index.cursor(PEER)).isEqualTo(new Cursor(7, 1));
        assertThat(index.remote(PEER, "b")).isEmpty();
    }

    @Test
    void applyRemote_rejectsLocalDeviceAndZeroEpoch() {
        assertThatThrownBy(() -> index.applyRemote(0, 7, List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> index.applyRemote(PEER, 0, List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void dropRemote_forgetsRecordsAndCursorOfThatDeviceOnly() {
        index.applyRemote(PEER, 7, List.of(file("a", "1").withSequence(1)));
        index.applyRemote(OTHER_PEER, 8, List.of(file("a", "1").withSequence(4)));
        index.dropRemote(PEER);
        assertThat(index.remote(PEER, "a")).isEmpty();
        assertThat(index.cursor(PEER)).isEqualTo(Cursor.NONE);
        assertThat(index.remote(OTHER_PEER, "a")).isPresent();
        assertThat(index.cursor(OTHER_PEER)).isEqualTo(new Cursor(8, 4));
    }

    @Test
    void countDifferences_sameVersionsAtOtherSequences_agree() {
        index.commitLocal(List.of(file("a", "1"), file("b", "2")));
        index.applyRemote(PEER, 7, List.of(file("b", "2").withSequence(40), file("a", "1").withSequence(41)));
        assertThat(index.countDifferences(PEER)).isZero();
    }

    @Test
    void countDifferences_countsMissingExtraAndOtherVersions() {
        index.commitLocal(List.of(file("same", "1"), file("newer", "2"), file("missing", "3")));
        VersionVector other = VersionVector.of(Map.of(TestRecords.ME, 1L, PEER, 1L));
        index.applyRemote(PEER, 7, List.of(file("same", "1").withSequence(1),
                file("newer", List.of(), other).withSequence(2), file("extra", "4").withSequence(3)));
        assertThat(index.countDifferences(PEER)).isEqualTo(3);
    }

    @Test
    void countDifferences_tombstoneAgreesWithAbsenceAndAnotherTombstone() {
        VersionVector v1 = VersionVector.of(Map.of(TestRecords.ME, 2L));
        VersionVector v2 = VersionVector.of(Map.of(PEER, 5L));
        index.commitLocal(List.of(file("goneHere", "1").asDeleted(v1, new Hlc(2, 0), TestRecords.ME),
                file("goneBoth", "2").asDeleted(v1, new Hlc(2, 0), TestRecords.ME),
                file("goneHereLiveThere", "3").asDeleted(v1, new Hlc(2, 0), TestRecords.ME)));
        index.applyRemote(PEER, 7, List.of(file("goneThere", "4").asDeleted(v2, new Hlc(3, 0), PEER).withSequence(1),
                file("goneBoth", "2").asDeleted(v2, new Hlc(3, 0), PEER).withSequence(2),
                file("goneHereLiveThere", "3").withSequence(3)));
        assertThat(index.countDifferences(PEER)).isEqualTo(1);
    }

    @Test
    void countDifferences_onlyThatDeviceInThatFolder() {
        index.commitLocal(List.of(file("a", "1")));
        index.applyRemote(PEER, 7, List.of(file("a", "1").withSequence(1)));
        index.applyRemote(OTHER_PEER, 8, List.of(file("b", "2").withSequence(1)));
        FolderIndex elsewhere = store.folder("elsewhere");
        elsewhere.commitLocal(List.of(file("c", "3")));
        elsewhere.applyRemote(PEER, 9, List.of(file("d", "4").withSequence(1)));
        assertThat(index.countDifferences(PEER)).isZero();
        assertThat(index.countDifferences(OTHER_PEER)).isEqualTo(2);
        assertThat(elsewhere.countDifferences(PEER)).isEqualTo(2);
        assertThatThrownBy(() -> index.countDifferences(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void remotes_mapsEachPeerToItsRecord() {
        index.commitLocal(List.of(file("a", "local")));
        FileRecord fromPeer = file("a", "p").withSequence(1);
        FileRecord fromOther = file("a", "o").withSequence(2);
        index.applyRemote(PEER, 7, List.of(fromPeer));
        index.applyRemote(OTHER_PEER, 8, List.of(fromOther, file("b", "x").withSequence(3)));
        assertThat(index.remotes("a")).isEqualTo(Map.of(PEER, fromPeer, OTHER_PEER, fromOther));
        assertThat(index.remotes("missing")).isEmpty();
    }

    @Test
    void allNames_unionOfLocalAndRemoteNames() {
        index.commitLocal(List.of(file("b", "1"), file("a", "2")));
        index.applyRemote(PEER, 7, List.of(file("a", "3").withSequence(1), file("c", "4").withSequence(2)));
        store.folder("elsewhere").commitLocal(List.of(file("z", "5")));
        assertThat(index.allNames()).containsExactly("a", "b", "c");
    }

    @Test
    void commitLocal_roundTripsEveryField() {
        VersionVector v = VersionVector.of(Map.of(TestRecords.ME, 3L, -5L, 1L << 40, PEER, 1L));
        FileRecord file = new FileRecord("dir/ünïcode file.bin", FileType.FILE, 2_500, 0755, 1_700_000_000_987_654_321L,
                List.of(new Block(0, 2_000, hash("x")), new Block(2_000, 500, hash("y"))), null, "", false, v,
                new Hlc(1_700_000_000_987L, 65_535), PEER, 0);
        FileRecord link = new FileRecord("dir/link", FileType.SYMLINK, 0, 0, -1_000L, List.of(), null,
                "../target with space", false, v, new Hlc(5, 1), TestRecords.ME, 0);
        FileRecord directory = new FileRecord("dir", FileType.DIRECTORY, 0, 0700, 12, List.of(), null, "", false,
                VersionVector.EMPTY, Hlc.ZERO, Long.MIN_VALUE, 0);
        FileRecord tombstone = file("gone", "g").asDeleted(v, new Hlc(9, 9), -1L);
        List<FileRecord> stored = index.commitLocal(List.of(file, link, directory, tombstone));
        reopen();
        for (FileRecord expected : stored) {
            assertThat(index.local(expected.name())).contains(expected);
        }
        index.applyRemote(PEER, 3, List.of(file.withSequence(77), tombstone.withSequence(78)));
        assertThat(index.remote(PEER, file.name())).contains(file.withSequence(77));
        assertThat(index.remote(PEER, "gone")).contains(tombstone.withSequence(78));
    }
}
