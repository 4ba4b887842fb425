package org.meshfold.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteIndexStoreTest {
    @TempDir
    Path dir;

    @Test
    void open_setsWalFullSyncForeignKeysAndBusyTimeout() throws SQLException {
        Path db = dir.resolve("home/index.db");
        try (SqliteIndexStore store = SqliteIndexStore.open(db, new SplittableRandom(1))) {
            assertThat(store.pragma("journal_mode")).isEqualTo("wal");
            assertThat(store.pragma("synchronous")).isEqualTo("2"); // FULL
            assertThat(store.pragma("foreign_keys")).isEqualTo("1");
            assertThat(Integer.parseInt(store.pragma("busy_timeout"))).isGreaterThanOrEqualTo(1000);
        }
        try (Connection c = MigrationsTest.raw(db); Statement st = c.createStatement();
             var rs = st.executeQuery("PRAGMA journal_mode")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("wal");
        }
    }

    @Test
    void folder_epochIsPositiveAndStableAcrossReopen() {
        Path db = dir.resolve("index.db");
        long epoch;
        try (IndexStore store = IndexStore.open(db)) {
            epoch = store.folder("photos").epoch();
            assertThat(epoch).isPositive();
            assertThat(store.folder("photos").epoch()).isEqualTo(epoch);
        }
        try (IndexStore store = IndexStore.open(db)) {
            assertThat(store.folder("photos").epoch()).isEqualTo(epoch);
        }
    }

    @Test
    void folder_eachFolderHasItsOwnEpochAndRecords() {
        try (IndexStore store = IndexStore.open(dir.resolve("index.db"))) {
            FolderIndex a = store.folder("a");
            FolderIndex b = store.folder("b");
            assertThat(a.epoch()).isNotEqualTo(b.epoch());
            a.commitLocal(List.of(TestRecords.file("x", "1")));
            assertThat(b.local("x")).isEmpty();
            assertThat(b.maxSequence()).isZero();
            assertThat(b.findBlock(TestRecords.hash("1"))).isEmpty();
            assertThat(a.findBlock(TestRecords.hash("1"))).hasSize(1);
        }
    }

    @Test
    void folder_returnsSameInstanceForSameId() {
        try (IndexStore store = IndexStore.open(dir.resolve("index.db"))) {
            assertThat(store.folder("a")).isSameAs(store.folder("a"));
            assertThatThrownBy(() -> store.folder("")).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void close_laterCallsFailWithContext() {
        IndexStore store = IndexStore.open(dir.resolve("index.db"));
        FolderIndex f = store.folder("a");
        store.close();
        store.close();
        assertThatThrownBy(f::maxSequence)
                .isInstanceOf(IndexStoreException.class)
                .hasMessageContaining("is closed")
                .hasMessageContaining("folder 'a'");
    }
}
