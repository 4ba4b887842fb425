package org.meshfold.index;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.meshfold.clock.Hlc;

/** Maps {@link FileRecord}s to and from rows of the {@code files} table. */
final class FileRows {
    /** The record columns, in the order {@link #read} expects them. */
    static final String COLUMNS = "name, sequence, type, size, permissions, mtime_nanos, deleted, version, "
            + "hlc_physical, hlc_logical, modified_by, blocks_hash, blocks, symlink_target";

    /** Inserts or replaces the record of (folder, device, name), keeping the row id (and so its block index rows' key). */
    static final String UPSERT = "INSERT INTO files (folder, device, " + COLUMNS + ") "
            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
            + "ON CONFLICT (folder, device, name) DO UPDATE SET sequence = excluded.sequence, type = excluded.type, "
            + "size = excluded.size, permissions = excluded.permissions, mtime_nanos = excluded.mtime_nanos, "
            + "deleted = excluded.deleted, version = excluded.version, hlc_physical = excluded.hlc_physical, "
            + "hlc_logical = excluded.hlc_logical, modified_by = excluded.modified_by, "
            + "blocks_hash = excluded.blocks_hash, blocks = excluded.blocks, symlink_target = excluded.symlink_target";

    private FileRows() {
    }

    /** Binds all parameters of {@link #UPSERT}. */
    static void bindUpsert(PreparedStatement ps, long folder, long device, FileRecord r) throws SQLException {
        ps.setLong(1, folder);
        ps.setLong(2, device);
        ps.setString(3, r.name());
        ps.setLong(4, r.sequence());
        ps.setInt(5, r.type().code());
        ps.setLong(6, r.size());
        ps.setInt(7, r.permissions());
        ps.setLong(8, r.mtimeNanos());
        ps.setInt(9, r.deleted() ? 1 : 0);
        ps.setBytes(10, BlobCodec.encodeVersion(r.version()));
        ps.setLong(11, r.hlc().physicalMillis());
        ps.setInt(12, r.hlc().logical());
        ps.setLong(13, r.modifiedBy());
        ps.setBytes(14, r.blocksHash().bytes());
        ps.setBytes(15, BlobCodec.encodeBlocks(r.blocks()));
        ps.setString(16, r.symlinkTarget());
    }

    /** Reads the record at the current row, whose first columns are {@link #COLUMNS} starting at {@code first}. */
    static FileRecord read(ResultSet rs, int first) throws SQLException {
        String name = rs.getString(first);
        int c = first + 1;
        try {
            return new FileRecord(
                    name,
                    FileType.ofCode(rs.getInt(c + 1)),
                    rs.getLong(c + 2),
                    rs.getInt(c + 3),
                    rs.getLong(c + 4),
                    BlobCodec.decodeBlocks(rs.getBytes(c + 11)),
                    BlockHash.wrap(rs.getBytes(c + 10)),
                    rs.getString(c + 12),
                    rs.getInt(c + 5) != 0,
                    BlobCodec.decodeVersion(rs.getBytes(c + 6)),
                    new Hlc(rs.getLong(c + 7), rs.getInt(c + 8)),
                    rs.getLong(c + 9),
                    rs.getLong(c));
        } catch (IllegalArgumentException e) {
            throw new IndexStoreException("corrupt index row for '" + name + "': " + e.getMessage()
                    + "; move the index database away to rebuild it from disk", e);
        }
    }
}
