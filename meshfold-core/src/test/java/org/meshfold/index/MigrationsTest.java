package org.meshfold.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MigrationsTest {
    @TempDir
    Path dir;

    @Test
    void open_freshDatabaseGetsLatestSchema() throws SQLException {
        Path db = dir.resolve("index.db");
        IndexStore.open(db).close();
        try (Connection c = raw(db)) {
            assertThat(Migrations.userVersion(c)).isEqualTo(Migrations.latest());
            assertThat(tables(c)).contains("folders", "files", "block_index", "cursors");
        }
    }

    @Test
    void open_reopenKeepsDataAndVersion() throws SQLException {
        Path db = dir.resolve("index.db");
        try (IndexStore store = IndexStore.open(db)) {
            store.folder("f").commitLocal(List.of(TestRecords.file("a.txt", "x")));
        }
        try (IndexStore store = IndexStore.open(db)) {
            assertThat(store.folder("f").local("a.txt")).isPresent();
        }
        try (Connection c = raw(db)) {
            assertThat(Migrations.userVersion(c)).isEqualTo(Migrations.latest());
        }
    }

    @Test
    void open_databaseFromNewerVersionIsRefusedUnchanged() throws SQLException {
        Path db = dir.resolve("index.db");
        IndexStore.open(db).close();
        try (Connection c = raw(db); Statement st = c.createStatement()) {
            st.executeUpdate("PRAGMA user_version = " + (Migrations.latest() + 5));
        }
        assertThatThrownBy(() -> IndexStore.open(db))
                .isInstanceOf(IndexSchemaTooNewException.class)
                .hasMessageContaining(db.getFileName().toString())
                .hasMessageContaining("schema version " + (Migrations.latest() + 5))
                .hasMessageContaining("Upgrade meshfold");
        try (Connection c = raw(db)) {
            assertThat(Migrations.userVersion(c)).isEqualTo(Migrations.latest() + 5);
        }
    }

    @Test
    void open_fileThatIsNotADatabaseFailsWithPath() throws Exception {
        Path db = dir.resolve("index.db");
        Files.writeString(db, "this is not an sqlite database, just some text that is long enough to be a header");
        assertThatThrownBy(() -> IndexStore.open(db))
                .isInstanceOf(IndexStoreException.class)
                .hasMessageContaining(db.toString());
    }

    @Test
    void scripts_matchNumberedResources() throws URISyntaxException, Exception {
        Path folder = Path.of(Migrations.class.getResource("/db/migrations/").toURI());
        List<String> files;
        try (Stream<Path> s = Files.list(folder)) {
            files = s.map(p -> p.getFileName().toString()).sorted().toList();
        }
        assertThat(files).isEqualTo(Migrations.SCRIPTS);
        for (int i = 0; i < files.size(); i++) {
            assertThat(files.get(i)).startsWith(String.format("%03d-", i + 1)).endsWith(".sql");
        }
    }

    @Test
    void statements_splitsAtLineEndingSemicolonsAndSkipsComments() {
        String script = "-- a comment; with a semicolon\nCREATE TABLE a (x TEXT DEFAULT ';');\n\nCREATE INDEX i\n  ON a (x);\n";
        assertThat(Migrations.statements(script))
                .containsExactly("CREATE TABLE a (x TEXT DEFAULT ';');", "CREATE INDEX i\n  ON a (x);");
    }

    @Test
    void statements_rejectsUnterminatedStatement() {
        assertThatThrownBy(() -> Migrations.statements("CREATE TABLE a (x)"))
                .hasMessageContaining("without ';'");
    }

    static Connection raw(Path db) throws SQLException {
        return DriverManager.getConnection("jdbc:sqlite:" + db);
    }

    private static List<String> tables(Connection c) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement st = c.createStatement(); var rs = st.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table'")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }
}
