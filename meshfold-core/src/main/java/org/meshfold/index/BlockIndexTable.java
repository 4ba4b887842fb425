package org.meshfold.index;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import org.meshfold.index.FolderIndex.BlockLocation;

/**
 * The {@code block_index} rows of one folder: for every local, non-deleted file, where each
 * distinct block hash first occurs in it. Rows hang off the file's row id, which an upsert keeps,
 * so replacing a record means deleting its rows and inserting the new block list's. Callers hold
 * the store lock and, for changes, an open transaction.
 */
final class BlockIndexTable {
    static final String DELETE_FOR_NAME = "DELETE FROM block_index "
            + "WHERE file = (SELECT id FROM files WHERE folder = ? AND device = 0 AND name = ?)";
    static final String INSERT = "INSERT OR IGNORE INTO block_index (hash, file, file_offset, size) "
            + "SELECT ?, id, ?, ? FROM files WHERE folder = ? AND device = 0 AND name = ?";
    /** No ORDER BY: sorting by name would tempt the planner to walk all files of the folder in name order. */
    static final String FIND = "SELECT f.name, b.file_offset, b.size FROM block_index b "
            + "JOIN files f ON f.id = b.file WHERE b.hash = ? AND f.folder = ?";

    private final SqliteIndexStore store;
    private final long folder;

    BlockIndexTable(SqliteIndexStore store, long folder) {
        this.store = store;
        this.folder = folder;
    }

    /** Makes the rows of each record's name match its block list; {@code records} hold one record per name. */
    void replace(Collection<FileRecord> records) throws SQLException {
        PreparedStatement delete = store.prepare(DELETE_FOR_NAME);
        for (FileRecord r : records) {
            delete.setLong(1, folder);
            delete.setString(2, r.name());
            delete.addBatch();
        }
        delete.executeBatch();
        PreparedStatement insert = store.prepare(INSERT);
        for (FileRecord r : records) {
            if (r.deleted() || r.type() != FileType.FILE) {
                continue;
            }
            for (Block b : r.blocks()) {
                insert.setBytes(1, b.hash().bytes());
                insert.setLong(2, b.offset());
                insert.setInt(3, b.size());
                insert.setLong(4, folder);
                insert.setString(5, r.name());
                insert.addBatch();
            }
        }
        insert.executeBatch();
    }

    List<BlockLocation> find(BlockHash hash) throws SQLException {
        PreparedStatement ps = store.prepare(FIND);
        ps.setBytes(1, hash.bytes());
        ps.setLong(2, folder);
        List<BlockLocation> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new BlockLocation(rs.getString(1), rs.getLong(2), rs.getInt(3)));
            }
        }
        out.sort(Comparator.comparing(BlockLocation::name));
        return out;
    }
}
