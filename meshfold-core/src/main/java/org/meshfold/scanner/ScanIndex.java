package org.meshfold.scanner;

import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import org.meshfold.index.FileRecord;

/**
 * What the scanner needs from the folder index: this device's own records. The methods have the
 * signatures of {@code org.meshfold.index.FolderIndex}, so an index is adapted with
 * {@code ScanIndex.of(folderIndex::local, folderIndex::forEachLocal)}.
 */
public interface ScanIndex {

    /** The local record of {@code name} (possibly a tombstone), if any. */
    Optional<FileRecord> local(String name);

    /** Calls {@code action} for every local record, tombstones included. */
    void forEachLocal(Consumer<FileRecord> action);

    /**
     * The record sync is about to commit for {@code name} while it puts a pulled file in place
     * there. A file on disk that matches it is not hashed: sync wrote and verified it.
     */
    default Optional<FileRecord> installing(String name) {
        return Optional.empty();
    }

    static ScanIndex of(Function<String, Optional<FileRecord>> local, Consumer<Consumer<FileRecord>> forEachLocal) {
        return of(local, forEachLocal, name -> Optional.empty());
    }

    /** As {@link #of(Function, Consumer)}, with {@link #installing} answered by {@code installing}. */
    static ScanIndex of(Function<String, Optional<FileRecord>> local, Consumer<Consumer<FileRecord>> forEachLocal,
                        Function<String, Optional<FileRecord>> installing) {
        Objects.requireNonNull(local, "local");
        Objects.requireNonNull(forEachLocal, "forEachLocal");
        Objects.requireNonNull(installing, "installing");
        return new ScanIndex() {
            @Override
            public Optional<FileRecord> local(String name) {
                return local.apply(name);
            }

            @Override
            public void forEachLocal(Consumer<FileRecord> action) {
                forEachLocal.accept(action);
            }

            @Override
            public Optional<FileRecord> installing(String name) {
                return installing.apply(name);
            }
        };
    }
}
