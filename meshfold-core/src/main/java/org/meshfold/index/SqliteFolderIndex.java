package org.meshfold.index;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.meshfold.fs.PathNames;

/**
 * {@link FolderIndex} over the tables of a {@link SqliteIndexStore}. Rows of this device have
 * {@code device = 0}; a peer's rows carry its short id. All database access goes through the
 * store, which serializes it on its lock.
 */
final class SqliteFolderIndex implements FolderIndex {
    static final long LOCAL = 0;
    /** A page of {@link #forEachLocal} ends after this many rows or this many block-list bytes. */
    private static final int PAGE_ROWS = 1_000;
    private static final int PAGE_BLOCK_BYTES = 4 << 20;

    static final String SELECT_ONE = "SELECT " + FileRows.COLUMNS + " FROM files WHERE folder = ? AND device = ? AND name = ?";
    static final String SELECT_LOCAL_PAGE = "SELECT " + FileRows.COLUMNS
            + " FROM files WHERE folder = ? AND device = 0 AND name > ? ORDER BY name LIMIT " + PAGE_ROWS;
    static final String SELECT_LOCAL_SINCE = "SELECT " + FileRows.COLUMNS
            + " FROM files WHERE folder = ? AND device = 0 AND sequence > ? ORDER BY sequence LIMIT ?";
    static final String SELECT_REMOTES = "SELECT device, " + FileRows.COLUMNS
            + " FROM files WHERE folder = ? AND name = ? AND device <> 0";
    static final String SELECT_NAMES = "SELECT DISTINCT name FROM files WHERE folder = ? ORDER BY name";
    static final String SELECT_MAX_SEQUENCE = "SELECT max_sequence FROM folders WHERE idx = ?";
    static final String UPDATE_MAX_SEQUENCE = "UPDATE folders SET max_sequence = ? WHERE idx = ?";
    static final String SELECT_CURSOR = "SELECT epoch, sequence FROM cursors WHERE folder = ? AND device = ?";
    /** Same epoch: the sequence never goes down. New epoch: the peer's index was reset, start over. */
    static final String UPSERT_CURSOR = "INSERT INTO cursors (folder, device, epoch, sequence) VALUES (?, ?, ?, ?) "
            + "ON CONFLICT (folder, device) DO UPDATE SET epoch = excluded.epoch, sequence = CASE "
            + "WHEN cursors.epoch = excluded.epoch THEN max(cursors.sequence, excluded.sequence) "
            + "ELSE excluded.sequence END";
    /**
     * A full outer join of the local rows and the peer's rows on name, as two index-driven halves:
     * local names the peer lacks or holds in another version, then live peer names with no local
     * row. Version vectors are compared as their canonical blobs.
     */
    static final String COUNT_DIFFERENCES = "SELECT "
            + "(SELECT count(*) FROM files l LEFT JOIN files r ON r.folder = l.folder AND r.device = ?2 AND r.name = l.name "
            + "WHERE l.folder = ?1 AND l.device = 0 AND CASE WHEN r.id IS NULL THEN l.deleted = 0 "
            + "ELSE l.version <> r.version AND (l.deleted = 0 OR r.deleted = 0) END) + "
            + "(SELECT count(*) FROM files r WHERE r.folder = ?1 AND r.device = ?2 AND r.deleted = 0 AND NOT EXISTS "
            + "(SELECT 1 FROM files l WHERE l.folder = ?1 AND l.device = 0 AND l.name = r.name))";
    static final String DELETE_DEVICE_FILES = "DELETE FROM files WHERE folder = ? AND device = ?";
    static final String DELETE_CURSOR = "DELETE FROM cursors WHERE folder = ? AND device = ?";

    private final SqliteIndexStore store;
    private final String folderId;
    private final long key;
    private final long epoch;
    private final BlockIndexTable blocks;

    SqliteFolderIndex(SqliteIndexStore store, String folderId, long key, long epoch) {
        this.store = store;
        this.folderId = folderId;
        this.key = key;
        this.epoch = epoch;
        this.blocks = new BlockIndexTable(store, key);
    }

    @Override
    public String folderId() {
        return folderId;
    }

    @Override
    public long epoch() {
        return epoch;
    }

    @Override
    public long maxSequence() {
        return store.read("read the max sequence of folder '" + folderId + "'", this::readMaxSequence);
    }

    @Override
    public Optional<FileRecord> local(String name) {
        return record(LOCAL, name);
    }

    /** Streams in pages keyed by name; {@code action} runs without the store lock, so it may use the index. */
    @Override
    public void forEachLocal(Consumer<FileRecord> action) {
        String after = "";
        while (true) {
            List<FileRecord> page = localPage(after);
            if (page.isEmpty()) {
                return;
            }
            page.forEach(action);
            after = page.getLast().name();
        }
    }

    private List<FileRecord> localPage(String after) {
        return store.read("list local records of folder '" + folderId + "'", () -> {
            PreparedStatement ps = store.prepare(SELECT_LOCAL_PAGE);
            ps.setLong(1, key);
            ps.setString(2, after);
            List<FileRecord> page = new ArrayList<>();
            long blockBytes = 0;
            try (ResultSet rs = ps.executeQuery()) {
                while (blockBytes < PAGE_BLOCK_BYTES && rs.next()) {
                    FileRecord r = FileRows.read(rs, 1);
                    page.add(r);
                    blockBytes += (long) r.blocks().size() * BlobCodec.BLOCK_BYTES;
                }
            }
            return page;
        });
    }

    @Override
    public List<FileRecord> localSince(long afterSequence, int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("negative limit " + limit);
        }
        return store.read("list local changes of folder '" + folderId + "' after sequence " + afterSequence, () -> {
            PreparedStatement ps = store.prepare(SELECT_LOCAL_SINCE);
            ps.setLong(1, key);
            ps.setLong(2, afterSequence);
            ps.setInt(3, limit);
            List<FileRecord> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(FileRows.read(rs, 1));
                }
            }
            return out;
        });
    }

    @Override
    public List<FileRecord> commitLocal(Collection<FileRecord> changes) {
        if (changes.isEmpty()) {
            return List.of();
        }
        changes.forEach(r -> PathNames.validate(r.name()));
        return store.write("commit " + changes.size() + " local changes to folder '" + folderId + "'", () -> {
            long sequence = readMaxSequence();
            List<FileRecord> stored = new ArrayList<>(changes.size());
            PreparedStatement upsert = store.prepare(FileRows.UPSERT);
            for (FileRecord change : changes) {
                FileRecord r = change.withSequence(++sequence);
                FileRows.bindUpsert(upsert, key, LOCAL, r);
                upsert.addBatch();
                stored.add(r);
            }
            upsert.executeBatch();
            blocks.replace(lastPerName(stored));
            PreparedStatement update = store.prepare(UPDATE_MAX_SEQUENCE);
            update.setLong(1, sequence);
            update.setLong(2, key);
            update.executeUpdate();
            return Collections.unmodifiableList(stored);
        });
    }

    /** The final record of each name: a batch may change one name more than once. */
    private static Collection<FileRecord> lastPerName(List<FileRecord> records) {
        Map<String, FileRecord> last = new LinkedHashMap<>();
        records.forEach(r -> last.put(r.name(), r));
        return last.values();
    }

    @Override
    public Optional<FileRecord> remote(long device, String name) {
        requirePeer(device);
        return record(device, name);
    }

    private Optional<FileRecord> record(long device, String name) {
        return store.read("read '" + name + "' of folder '" + folderId + "'", () -> {
            PreparedStatement ps = store.prepare(SELECT_ONE);
            ps.setLong(1, key);
            ps.setLong(2, device);
            ps.setString(3, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(FileRows.read(rs, 1)) : Optional.empty();
            }
        });
    }

    @Override
    public Map<Long, FileRecord> remotes(String name) {
        return store.read("read peers' records of '" + name + "' in folder '" + folderId + "'", () -> {
            PreparedStatement ps = store.prepare(SELECT_REMOTES);
            ps.setLong(1, key);
            ps.setString(2, name);
            Map<Long, FileRecord> out = new TreeMap<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getLong(1), FileRows.read(rs, 2));
                }
            }
            return Collections.unmodifiableMap(out);
        });
    }

    @Override
    public void applyRemote(long device, long epoch, List<FileRecord> records) {
        requirePeer(device);
        if (epoch == 0) {
            throw new IllegalArgumentException("index epoch 0 from device " + Long.toHexString(device) + " is not valid");
        }
        records.forEach(r -> PathNames.validate(r.name()));
        store.write("store " + records.size() + " records from device " + Long.toHexString(device)
                + " in folder '" + folderId + "'", () -> {
            PreparedStatement upsert = store.prepare(FileRows.UPSERT);
            long highest = 0;
            for (FileRecord r : records) {
                FileRows.bindUpsert(upsert, key, device, r);
                upsert.addBatch();
                highest = Math.max(highest, r.sequence());
            }
            upsert.executeBatch();
            PreparedStatement cursor = store.prepare(UPSERT_CURSOR);
            cursor.setLong(1, key);
            cursor.setLong(2, device);
            cursor.setLong(3, epoch);
            cursor.setLong(4, highest);
            cursor.executeUpdate();
            return null;
        });
    }

    @Override
    public Cursor cursor(long device) {
        requirePeer(device);
        return store.read("read the cursor of device " + Long.toHexString(device) + " in folder '" + folderId + "'", () -> {
            PreparedStatement ps = store.prepare(SELECT_CURSOR);
            ps.setLong(1, key);
            ps.setLong(2, device);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new Cursor(rs.getLong(1), rs.getLong(2)) : Cursor.NONE;
            }
        });
    }

    @Override
    public void dropRemote(long device) {
        requirePeer(device);
        store.write("forget device " + Long.toHexString(device) + " in folder '" + folderId + "'", () -> {
            for (String sql : List.of(DELETE_DEVICE_FILES, DELETE_CURSOR)) {
                PreparedStatement ps = store.prepare(sql);
                ps.setLong(1, key);
                ps.setLong(2, device);
                ps.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public long countDifferences(long device) {
        requirePeer(device);
        return store.read("compare device " + Long.toHexString(device) + "'s records of folder '" + folderId
                + "' with the local ones", () -> {
            PreparedStatement ps = store.prepare(COUNT_DIFFERENCES);
            ps.setLong(1, key);
            ps.setLong(2, device);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0L;
            }
        });
    }

    @Override
    public List<String> allNames() {
        return store.read("list names of folder '" + folderId + "'", () -> {
            PreparedStatement ps = store.prepare(SELECT_NAMES);
            ps.setLong(1, key);
            List<String> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        });
    }

    @Override
    public List<BlockLocation> findBlock(BlockHash hash) {
        return store.read("look up block " + hash + " in folder '" + folderId + "'", () -> blocks.find(hash));
    }

    private long readMaxSequence() throws SQLException {
        PreparedStatement ps = store.prepare(SELECT_MAX_SEQUENCE);
        ps.setLong(1, key);
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    private static void requirePeer(long device) {
        if (device == LOCAL) {
            throw new IllegalArgumentException("device short id 0 denotes this device, not a peer");
        }
    }

    @Override
    public String toString() {
        return "FolderIndex[" + folderId + " epoch=" + Long.toHexString(epoch) + "]";
    }
}
