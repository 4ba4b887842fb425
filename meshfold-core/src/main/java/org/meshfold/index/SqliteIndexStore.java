package org.meshfold.index;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.sqlite.SQLiteConfig;

/**
 * SQLite implementation of {@link IndexStore}: one connection to one database file.
 *
 * <p>Threading: every database access holds this store's monitor, so the single connection and
 * its cached prepared statements are used by one thread at a time. Index work is short
 * (milliseconds per batch) and each folder is mutated from its own loop, so one lock is simpler
 * than a connection pool and costs little.
 *
 * <p>Durability: WAL journal with {@code synchronous=FULL}, so a transaction is on stable storage
 * when commit returns. {@code NORMAL} would be enough for the records themselves (losing the last
 * commits on power loss only leaves the index behind the disk, and the scanner re-detects
 * that), but not for sequences: once a peer has been sent local sequence N, losing the commit
 * that assigned N would let a later change be given N again under the same epoch, and that
 * peer's cursor would skip it. Commits are batched, so the extra fsync per transaction is cheap.
 */
final class SqliteIndexStore implements IndexStore {
    private static final int BUSY_TIMEOUT_MILLIS = 10_000;

    private final Path file;
    private final Connection connection;
    private final RandomGenerator random;
    private final Map<String, PreparedStatement> statements = new HashMap<>();
    private final Map<String, SqliteFolderIndex> folders = new HashMap<>();
    private boolean closed;

    private SqliteIndexStore(Path file, Connection connection, RandomGenerator random) {
        this.file = file;
        this.connection = connection;
        this.random = random;
    }

    static IndexStore open(Path file) {
        return open(file, new SecureRandom());
    }

    /** Opens with {@code random} as the source of new folders' epochs. */
    static SqliteIndexStore open(Path file, RandomGenerator random) {
        Path absolute = file.toAbsolutePath();
        try {
            Path parent = absolute.getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
        } catch (IOException e) {
            throw new IndexStoreException("cannot create the directory of index database " + absolute, e);
        }
        Connection connection;
        try {
            connection = config().createConnection("jdbc:sqlite:" + absolute);
        } catch (SQLException e) {
            throw new IndexStoreException("cannot open index database " + absolute + ": " + e.getMessage(), e);
        }
        try {
            Migrations.apply(connection, absolute);
        } catch (SQLException | RuntimeException e) {
            closeQuietly(connection, e);
            if (e instanceof IndexStoreException ise) {
                throw ise;
            }
            throw new IndexStoreException("cannot prepare index database " + absolute + ": " + e.getMessage(), e);
        }
        return new SqliteIndexStore(absolute, connection, random);
    }

    private static SQLiteConfig config() {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        config.setBusyTimeout(BUSY_TIMEOUT_MILLIS);
        config.enforceForeignKeys(true);
        // Take the write lock at BEGIN: a deferred transaction that upgrades later can fail with
        // SQLITE_BUSY despite busy_timeout if another process holds a read snapshot.
        config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        return config;
    }

    @Override
    public synchronized FolderIndex folder(String folderId) {
        if (folderId == null || folderId.isEmpty()) {
            throw new IllegalArgumentException("folder id must not be empty");
        }
        SqliteFolderIndex existing = folders.get(folderId);
        if (existing != null) {
            return existing;
        }
        long freshEpoch = random.nextLong(1, Long.MAX_VALUE);
        SqliteFolderIndex created = write("open the index of folder '" + folderId + "'", () -> {
            PreparedStatement insert = prepare("INSERT INTO folders (id, epoch) VALUES (?, ?) ON CONFLICT (id) DO NOTHING");
            insert.setString(1, folderId);
            insert.setLong(2, freshEpoch);
            insert.executeUpdate();
            PreparedStatement select = prepare("SELECT idx, epoch FROM folders WHERE id = ?");
            select.setString(1, folderId);
            try (ResultSet rs = select.executeQuery()) {
                rs.next();
                return new SqliteFolderIndex(this, folderId, rs.getLong(1), rs.getLong(2));
            }
        });
        folders.put(folderId, created);
        return created;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            for (PreparedStatement ps : statements.values()) {
                ps.close();
            }
            connection.close();
        } catch (SQLException e) {
            throw new IndexStoreException("closing index database " + file + " failed: " + e.getMessage(), e);
        }
    }

    /** One unit of database work; runs with the store's lock held. */
    interface SqlWork<T> {
        T run() throws SQLException;
    }

    /** Runs a read in autocommit mode (each statement sees one consistent snapshot). */
    synchronized <T> T read(String what, SqlWork<T> work) {
        ensureOpen(what);
        try {
            return work.run();
        } catch (SQLException e) {
            throw failure(what, e);
        }
    }

    /** Runs {@code work} in one transaction: committed if it returns, rolled back if it throws. */
    synchronized <T> T write(String what, SqlWork<T> work) {
        ensureOpen(what);
        try {
            connection.setAutoCommit(false);
            T result = work.run();
            connection.commit();
            connection.setAutoCommit(true);
            return result;
        } catch (SQLException | RuntimeException e) {
            abort(e);
            throw e instanceof SQLException sql ? failure(what, sql) : (RuntimeException) e;
        }
    }

    /** A cached prepared statement for {@code sql}; only valid while holding the lock. */
    PreparedStatement prepare(String sql) throws SQLException {
        PreparedStatement ps = statements.get(sql);
        if (ps == null) {
            ps = connection.prepareStatement(sql);
            statements.put(sql, ps);
        }
        return ps;
    }

    /** The value of a per-connection pragma, such as {@code synchronous} or {@code foreign_keys}. */
    synchronized String pragma(String name) {
        return read("read pragma " + name, () -> {
            try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery("PRAGMA " + name)) {
                return rs.next() ? rs.getString(1) : null;
            }
        });
    }

    Path file() {
        return file;
    }

    private void abort(Exception cause) {
        try {
            if (!connection.getAutoCommit()) {
                connection.rollback();
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
        for (PreparedStatement ps : statements.values()) {
            try {
                ps.clearBatch();
            } catch (SQLException e) {
                cause.addSuppressed(e);
            }
        }
    }

    private void ensureOpen(String what) {
        if (closed) {
            throw new IndexStoreException("cannot " + what + ": index database " + file + " is closed");
        }
    }

    private IndexStoreException failure(String what, SQLException e) {
        return new IndexStoreException("cannot " + what + " in index database " + file + ": " + e.getMessage(), e);
    }

    private static void closeQuietly(Connection connection, Exception cause) {
        try {
            connection.close();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }
}
