package org.meshfold.index;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Brings a database to the current schema. Migration {@code N} is the resource
 * {@code /db/migrations/NNN-*.sql} listed N-th in {@link #SCRIPTS}; {@code PRAGMA user_version}
 * records how many have been applied. Each migration runs in its own transaction together with
 * the version bump, so a crash leaves the database at a whole version.
 *
 * <p>Scripts are split into statements at a ';' that ends a line; they must not contain
 * triggers or other compound statements.
 */
final class Migrations {
    static final List<String> SCRIPTS = List.of("001-initial.sql");

    private Migrations() {
    }

    static int latest() {
        return SCRIPTS.size();
    }

    /** Applies every migration the database at {@code file} has not seen yet. */
    static void apply(Connection connection, Path file) throws SQLException {
        int current = userVersion(connection);
        if (current > latest()) {
            throw new IndexSchemaTooNewException(file, current, latest());
        }
        for (int version = current + 1; version <= latest(); version++) {
            String script = SCRIPTS.get(version - 1);
            connection.setAutoCommit(false);
            try (Statement st = connection.createStatement()) {
                for (String sql : statements(load(script))) {
                    st.executeUpdate(sql);
                }
                st.executeUpdate("PRAGMA user_version = " + version);
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw new IndexStoreException("migration " + script + " of index database " + file
                        + " failed; the database is left at schema version " + (version - 1), e);
            } finally {
                connection.setAutoCommit(true);
            }
        }
    }

    static int userVersion(Connection connection) throws SQLException {
        try (Statement st = connection.createStatement(); var rs = st.executeQuery("PRAGMA user_version")) {
            return rs.next() ? rs.getInt(1) : 0;
        }
    }

    static List<String> statements(String script) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : script.split("\n")) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("--")) {
                continue;
            }
            current.append(line).append('\n');
            if (trimmed.endsWith(";")) {
                out.add(current.toString().strip());
                current.setLength(0);
            }
        }
        if (!current.isEmpty()) {
            throw new IllegalStateException("migration script ends without ';': " + current.toString().strip());
        }
        return out;
    }

    private static String load(String script) {
        String resource = "/db/migrations/" + script;
        try (InputStream in = Migrations.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("migration resource " + resource + " is missing from the build");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read migration resource " + resource, e);
        }
    }
}
