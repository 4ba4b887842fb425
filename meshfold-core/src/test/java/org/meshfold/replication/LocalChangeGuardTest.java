package org.meshfold.replication;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.meshfold.clock.Hlc;
import org.meshfold.clock.VersionVector;
import org.meshfold.index.FileRecord;
import org.meshfold.index.FileType;

class LocalChangeGuardTest {
    private static final long SELF = 1;
    private static final long PEER = 2;

    private static FileRecord file(String content, long mtime, Map<Long, Long> vector) {
        byte[] data = content.getBytes(StandardCharsets.UTF_8);
        return new FileRecord("f", FileType.FILE, data.length, 0644, mtime, TestScanner.blocks(data, 1024), null, "",
                false, VersionVector.of(vector), new Hlc(1, 0), SELF, 0);
    }

    @Test
    void accept_scanBasedOnCurrentRecord_committedAsIs() {
        MemoryFolderIndex index = new MemoryFolderIndex("f", 1);
        index.commitLocal(List.of(file("v1", 1, Map.of(SELF, 1L))));
        FileRecord scanned = file("v2", 2, Map.of(SELF, 2L));
        assertThat(new LocalChangeGuard(index, SELF).accept(List.of(scanned))).containsExactly(scanned);
    }

    @Test
    void accept_pullCommittedMeanwhileAndScanSawItsContent_dropped() {
        MemoryFolderIndex index = new MemoryFolderIndex("f", 1);
        index.commitLocal(List.of(file("pulled", 5, Map.of(SELF, 1L, PEER, 1L))));
        FileRecord stale = file("pulled", 5, Map.of(SELF, 2L)); // bumped from the record before the pull
        assertThat(new LocalChangeGuard(index, SELF).accept(List.of(stale))).isEmpty();
    }

    @Test
    void accept_userChangedFileAfterPull_getsVersionDominatingBoth() {
        MemoryFolderIndex index = new MemoryFolderIndex("f", 1);
        FileRecord pulled = file("pulled", 5, Map.of(SELF, 1L, PEER, 1L));
        index.commitLocal(List.of(pulled));
        FileRecord edit = file("user edit", 6, Map.of(SELF, 2L));
        List<FileRecord> out = new LocalChangeGuard(index, SELF).accept(List.of(edit));
        assertThat(out).hasSize(1);
        assertThat(out.get(0).version().dominates(pulled.version())).isTrue();
        assertThat(out.get(0).version().dominates(edit.version())).isTrue();
        assertThat(out.get(0).blocksHash()).isEqualTo(edit.blocksHash());
    }
}
