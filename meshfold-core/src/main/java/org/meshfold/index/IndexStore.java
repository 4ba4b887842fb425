package org.meshfold.index;

import java.nio.file.Path;

/**
 * The device's database: one SQLite file (WAL mode) per meshfold home, holding the index of every
 * folder. Schema and migrations are the numbered resources {@code /db/migrations/NNN-*.sql}.
 */
public interface IndexStore extends AutoCloseable {

    /** Opens (creating and migrating as needed) the database at {@code file}. */
    static IndexStore open(Path file) {
        return SqliteIndexStore.open(file);
    }

    /** The index of {@code folderId}, created empty (with a fresh epoch) on first use. */
    FolderIndex folder(String folderId);

    @Override
    void close();
}
