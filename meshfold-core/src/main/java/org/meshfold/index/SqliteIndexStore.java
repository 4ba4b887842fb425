package org.meshfold.index;

import java.nio.file.Path;

/** SQLite implementation of {@link IndexStore}. */
final class SqliteIndexStore {
    private SqliteIndexStore() {
    }

    static IndexStore open(Path file) {
        throw new UnsupportedOperationException("not built yet");
    }
}
