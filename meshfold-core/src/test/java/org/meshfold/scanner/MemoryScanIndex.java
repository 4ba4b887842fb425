package org.meshfold.scanner;

import java.util.Collection;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.meshfold.index.FileRecord;

/** An in-memory local index for scanner tests; {@link #commit} stores records like the real index. */
final class MemoryScanIndex implements ScanIndex {
    private final TreeMap<String, FileRecord> records = new TreeMap<>();
    private long sequence;

    @Override
    public Optional<FileRecord> local(String name) {
        return Optional.ofNullable(records.get(name));
    }

    @Override
    public void forEachLocal(Consumer<FileRecord> action) {
        records.values().forEach(action);
    }

    void commit(Collection<FileRecord> changes) {
        for (FileRecord r : changes) {
            records.put(r.name(), r.withSequence(++sequence));
        }
    }

    FileRecord get(String name) {
        return records.get(name);
    }
}
