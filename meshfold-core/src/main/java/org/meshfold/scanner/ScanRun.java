package org.meshfold.scanner;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import java.util.function.Predicate;
import org.meshfold.clock.Hlc;
import org.meshfold.clock.HlcClock;
import org.meshfold.clock.VersionVector;
import org.meshfold.fs.PathNames;
import org.meshfold.index.FileRecord;
import org.meshfold.index.FileType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state of one scan: which names were seen on disk, the records made so far, and the files
 * being hashed. Compares each entry with the local record, starts hashing for changed files,
 * makes tombstones for names that are gone, and at the end re-checks every hashed file.
 * Used by the scanning thread only; hashing runs elsewhere.
 */
final class ScanRun implements FolderWalker.Visitor {
    private static final Logger log = LoggerFactory.getLogger(ScanRun.class);

    private final ScanIndex index;
    private final IgnoreMatcher ignores;
    private final HlcClock clock;
    private final long self;
    private final Function<Path, CompletableFuture<HashedContent>> hashing;
    private final Predicate<String> present;
    private final Set<String> seen = new HashSet<>();
    private final Set<String> unreadable = new HashSet<>();
    private final List<FileRecord> changes = new ArrayList<>();
    private final List<Hashing> hashes = new ArrayList<>();
    private final Set<String> changedWhileHashing = new HashSet<>();
    private final Set<String> tempFiles = new HashSet<>();

    /**
     * @param present tells whether an entry is on disk now under a name (true if unknown)
     */
    ScanRun(ScanIndex index, IgnoreMatcher ignores, HlcClock clock, long self,
            Function<Path, CompletableFuture<HashedContent>> hashing, Predicate<String> present) {
        this.index = index;
        this.ignores = ignores;
        this.clock = clock;
        this.self = self;
        this.hashing = hashing;
        this.present = present;
    }

    private record Hashing(FolderWalker.Entry entry, Optional<FileRecord> previous,
                           CompletableFuture<HashedContent> content) {
    }

    @Override
    public void entry(FolderWalker.Entry e) {
        if (!seen.add(e.name())) {
            return;
        }
        Optional<FileRecord> previous = index.local(e.name());
        if (previous.isPresent() && e.stat().unchangedFrom(previous.get())
                || index.installing(e.name()).filter(e.stat()::unchangedFrom).isPresent()) {
            return;
        }
        if (e.stat().type() == FileType.FILE) {
            hashes.add(new Hashing(e, previous, hashing.apply(e.path())));
        } else {
            changes.add(record(e.name(), e.stat(), null, previous));
        }
    }

    @Override
    public void tempFile(String name) {
        tempFiles.add(name);
    }

    @Override
    public void unreadable(String name) {
        unreadable.add(name);
    }

    /** Records a tombstone for {@code r} if it is live here but was neither seen nor left alone. */
    void checkDeleted(FileRecord r) {
        if (r.deleted() || seen.contains(r.name()) || insideUnreadable(r.name())
                || ignores.ignored(r.name(), r.type() == FileType.DIRECTORY)) {
            return;
        }
        if (present.test(r.name())) {
            // Sync put it in place after the walk passed its directory (it writes the disk before
            // it commits the record, so whatever it committed meanwhile is on disk now): not deleted.
            return;
        }
        seen.add(r.name());
        Hlc now = clock.now();
        changes.add(r.asDeleted(r.version().bump(self, now), now, self));
    }

    /** Waits for the hashing, re-checks the hashed files, and orders the changes. */
    ScanResult finish() {
        for (Hashing h : hashes) {
            FolderWalker.Entry e = h.entry();
            HashedContent content;
            try {
                content = h.content().get();
                FileStat after = FileStat.read(e.path());
                if (!e.stat().sameFile(after) || content.size() != e.stat().size()) {
                    changedWhileHashing.add(e.name());
                    continue;
                }
            } catch (ExecutionException | CompletionException ex) {
                handleHashFailure(e, ex.getCause());
                continue;
            } catch (IOException ex) {
                handleHashFailure(e, ex);
                continue;
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for hashes of " + e.path(), ex);
            }
            changes.add(record(e.name(), e.stat(), content, h.previous()));
        }
        List<FileRecord> ordered = new ArrayList<>(changes.size());
        changes.stream().filter(FileRecord::deleted)
                .sorted(Comparator.comparing(FileRecord::name).reversed()).forEach(ordered::add);
        changes.stream().filter(r -> !r.deleted())
                .sorted(Comparator.comparing(FileRecord::name)).forEach(ordered::add);
        return new ScanResult(ordered, changedWhileHashing, tempFiles);
    }

    private void handleHashFailure(FolderWalker.Entry e, Throwable cause) {
        if (cause instanceof NoSuchFileException) {
            changedWhileHashing.add(e.name()); // removed or renamed meanwhile: the rescan records it
        } else if (cause instanceof IOException) {
            log.warn("Cannot read {}: {}; skipping it this scan", e.path(), cause.toString());
        } else {
            throw new IllegalStateException("hashing " + e.path() + " failed", cause);
        }
    }

    private FileRecord record(String name, FileStat st, HashedContent content, Optional<FileRecord> previous) {
        Hlc now = clock.now();
        VersionVector version = previous.map(FileRecord::version).orElse(VersionVector.EMPTY).bump(self, now);
        return new FileRecord(name, st.type(), st.size(), st.permissions(), st.mtimeNanos(),
                content == null ? List.of() : content.blocks(),
                content == null ? FileRecord.EMPTY_CONTENT : content.blocksHash(),
                st.symlinkTarget(), false, version, now, self, 0);
    }

    private boolean insideUnreadable(String name) {
        if (unreadable.isEmpty()) {
            return false;
        }
        for (String n = name; !n.isEmpty(); n = PathNames.parent(n)) {
            if (unreadable.contains(n)) {
                return true;
            }
        }
        return unreadable.contains("");
    }
}
