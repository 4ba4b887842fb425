package org.meshfold.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The hot queries are index lookups, never table scans. */
class IndexQueryPlanTest {
    @TempDir
    Path dir;
    private Path db;

    @BeforeEach
    void createSchema() {
        db = dir.resolve("index.db");
        IndexStore.open(db).close();
    }

    @Test
    void findBlock_searchesTheHashIndex() throws SQLException {
        List<String> steps = plan(BlockIndexTable.FIND, new byte[32], 1L);
        assertThat(steps.getFirst()).as("outer loop over the matching hash only")
                .matches("SEARCH b USING (COVERING )?INDEX \\S+ \\(hash=\\?\\)");
        assertThat(steps).noneMatch(step -> step.startsWith("SCAN") || step.contains("TEMP B-TREE"));
    }

    @Test
    void replaceBlocks_deletesThroughTheFileIndex() throws SQLException {
        assertThat(plan(BlockIndexTable.DELETE_FOR_NAME, 1L, "a"))
                .anyMatch(step -> step.contains("block_index_by_file"))
                .noneMatch(step -> step.startsWith("SCAN"));
    }

    @Test
    void recordQueries_useIndexes() throws SQLException {
        assertThat(plan(SqliteFolderIndex.SELECT_ONE, 1L, 0L, "a")).noneMatch(step -> step.startsWith("SCAN"));
        assertThat(plan(SqliteFolderIndex.SELECT_LOCAL_SINCE, 1L, 0L, 10))
                .anyMatch(step -> step.contains("files_by_sequence"))
                .noneMatch(step -> step.contains("TEMP B-TREE"));
        assertThat(plan(SqliteFolderIndex.SELECT_LOCAL_PAGE, 1L, "")).noneMatch(step -> step.contains("TEMP B-TREE"));
        assertThat(plan(SqliteFolderIndex.SELECT_REMOTES, 1L, "a")).noneMatch(step -> step.startsWith("SCAN"));
        assertThat(plan(SqliteFolderIndex.SELECT_NAMES, 1L)).noneMatch(step -> step.contains("TEMP B-TREE"));
        assertThat(plan(SqliteFolderIndex.COUNT_DIFFERENCES, 1L, 2L))
                .as("each half walks one device's rows by index and looks names up in the other's")
                .noneMatch(step -> step.startsWith("SCAN") && !step.equals("SCAN CONSTANT ROW")
                        || step.contains("TEMP B-TREE") || step.contains("AUTOMATIC"));
    }

    private List<String> plan(String sql, Object... params) throws SQLException {
        List<String> steps = new ArrayList<>();
        try (Connection c = MigrationsTest.raw(db); PreparedStatement ps = c.prepareStatement("EXPLAIN QUERY PLAN " + sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    steps.add(rs.getString(4));
                }
            }
        }
        assertThat(steps).as("plan of " + sql).isNotEmpty();
        return steps;
    }
}
