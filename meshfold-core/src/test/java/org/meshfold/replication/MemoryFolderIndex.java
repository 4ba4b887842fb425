package org.meshfold.replication;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.meshfold.index.Block;
import org.meshfold.index.BlockHash;
import org.meshfold.index.FileRecord;
import org.meshfold.index.FileType;
import org.meshfold.index.FolderIndex;

/** An in-memory {@link FolderIndex} with the same contract as the SQLite one; every call is atomic. */
final class MemoryFolderIndex implements FolderIndex {
    private final String folderId;
    private long epoch;
    private long sequence;
    private final TreeMap<String, FileRecord> local = new TreeMap<>();
    private final Map<Long, Map<String, FileRecord>> remote = new HashMap<>();
    private final Map<Long, Cursor> cursors = new HashMap<>();
    /** Called with every local commit before it is stored. */
    private volatile Consumer<Collection<FileRecord>> beforeLocalCommit = changes -> { };
    private int localCommits;

    MemoryFolderIndex(String folderId, long epoch) {
        this.folderId = folderId;
        this.epoch = epoch;
    }

    @Override
    public String folderId() {
        return folderId;
    }

    @Override
    public synchronized long epoch() {
        return epoch;
    }

    /** Simulates a reset index: a new epoch and no records at all. */
    synchronized void reset(long newEpoch) {
        epoch = newEpoch;
        sequence = 0;
        local.clear();
        remote.clear();
        cursors.clear();
    }

    @Override
    public synchronized long maxSequence() {
        return sequence;
    }

    @Override
    public synchronized Optional<FileRecord> local(String name) {
        return Optional.ofNullable(local.get(name));
    }

    @Override
    public void forEachLocal(Consumer<FileRecord> action) {
        List<FileRecord> copy;
        synchronized (this) {
            copy = List.copyOf(local.values());
        }
        copy.forEach(action);
    }

    @Override
    public synchronized List<FileRecord> localSince(long afterSequence, int limit) {
        return local.values().stream().filter(r -> r.sequence() > afterSequence)
                .sorted(Comparator.comparingLong(FileRecord::sequence)).limit(limit).toList();
    }

    @Override
    public synchronized List<FileRecord> commitLocal(Collection<FileRecord> changes) {
        beforeLocalCommit.accept(changes);
        localCommits++;
        List<FileRecord> out = new ArrayList<>();
        for (FileRecord r : changes) {
            FileRecord stored = r.withSequence(++sequence);
            local.put(r.name(), stored);
            out.add(stored);
        }
        return out;
    }

    void beforeLocalCommit(Consumer<Collection<FileRecord>> hook) {
        beforeLocalCommit = hook;
    }

    /** How many times {@link #commitLocal} was called (each is one transaction). */
    synchronized int localCommits() {
        return localCommits;
    }

    @Override
    public synchronized Optional<FileRecord> remote(long device, String name) {
        return Optional.ofNullable(remote.getOrDefault(device, Map.of()).get(name));
    }

    @Override
    public synchronized Map<Long, FileRecord> remotes(String name) {
        Map<Long, FileRecord> out = new HashMap<>();
        remote.forEach((device, records) -> {
            FileRecord r = records.get(name);
            if (r != null) {
                out.put(device, r);
            }
        });
        return out;
    }

    @Override
    public synchronized void applyRemote(long device, long remoteEpoch, List<FileRecord> records) {
        Map<String, FileRecord> m = remote.computeIfAbsent(device, d -> new HashMap<>());
        long max = cursors.getOrDefault(device, Cursor.NONE).epoch() == remoteEpoch
                ? cursors.get(device).sequence() : 0;
        for (FileRecord r : records) {
            m.put(r.name(), r);
            max = Math.max(max, r.sequence());
        }
        cursors.put(device, new Cursor(remoteEpoch, max));
    }

    @Override
    public synchronized Cursor cursor(long device) {
        return cursors.getOrDefault(device, Cursor.NONE);
    }

    @Override
    public synchronized void dropRemote(long device) {
        remote.remove(device);
        cursors.remove(device);
    }

    @Override
    public synchronized long countDifferences(long device) {
        Map<String, FileRecord> theirs = remote.getOrDefault(device, Map.of());
        TreeSet<String> names = new TreeSet<>(local.keySet());
        names.addAll(theirs.keySet());
        return names.stream().filter(n -> differ(local.get(n), theirs.get(n))).count();
    }

    private static boolean differ(FileRecord mine, FileRecord theirs) {
        if (mine == null || theirs == null) {
            FileRecord present = mine != null ? mine : theirs;
            return !present.deleted();
        }
        return !(mine.deleted() && theirs.deleted()) && !mine.version().equals(theirs.version());
    }

    @Override
    public synchronized List<String> allNames() {
        TreeSet<String> names = new TreeSet<>(local.keySet());
        remote.values().forEach(m -> names.addAll(m.keySet()));
        return List.copyOf(names);
    }

    @Override
    public synchronized List<BlockLocation> findBlock(BlockHash hash) {
        List<BlockLocation> out = new ArrayList<>();
        for (FileRecord r : local.values()) {
            if (r.deleted() || r.type() != FileType.FILE) {
                continue;
            }
            for (Block b : r.blocks()) {
                if (b.hash().equals(hash)) {
                    out.add(new BlockLocation(r.name(), b.offset(), b.size()));
                }
            }
        }
        return out;
    }
}
