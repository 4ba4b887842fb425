package org.meshfold.scanner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.Collection;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.function.Function;
import org.meshfold.clock.HlcClock;
import org.meshfold.fs.InvalidNameException;
import org.meshfold.fs.PathNames;
import org.meshfold.index.FileRecord;
import org.meshfold.index.FileType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds what changed in a folder on disk since the local index was last updated, and returns
 * the changes as new local records (not yet committed, sequence 0).
 *
 * <p>An entry whose type, size, mtime and permissions (a symlink: its target) match its local
 * record is unchanged and not read. A changed file is hashed ({@link FileHasher}, in parallel on
 * the injected executor) and then checked again: if it changed while being hashed it is left out
 * and reported in {@link ScanResult#changedWhileHashing()}. A changed entry gets the local
 * version bumped for this device, even if only its metadata changed. A live local record whose
 * name is gone from disk becomes a tombstone; names that are now ignored are left alone, and so
 * are names inside a directory that could not be read. A name is only recorded as deleted if it is
 * still gone when the walk is over: sync may put an entry in place and commit it while a scan
 * walks past its directory.
 *
 * <p>Symbolic links are recorded with their target and never followed. Names are recorded in
 * Unicode NFC; names that are not UTF-8 or not valid ({@link PathNames#validate}) are skipped
 * with a warning.
 *
 * <p>Threads: a scan walks on the calling thread; callers run one scan of a folder at a time.
 */
public final class Scanner {
    private static final Logger log = LoggerFactory.getLogger(Scanner.class);

    private final HlcClock clock;
    private final long self;
    private final Path root;
    private final IgnoreMatcher ignores;
    private final FolderWalker walker;
    private final Function<Path, CompletableFuture<HashedContent>> hashing;

    /**
     * @param hashExecutor runs file hashing; several files (and the chunks of one large file) are
     *                     hashed in parallel
     * @param self         this device's short id, for versions and {@code modifiedBy}
     */
    public Scanner(HlcClock clock, ExecutorService hashExecutor, long self, Path root, IgnoreMatcher ignores) {
        this(clock, self, root, ignores, new FileHasher(hashExecutor)::hashAsync);
    }

    /** With the hashing step replaceable, so tests can act on a file while it is being hashed. */
    Scanner(HlcClock clock, long self, Path root, IgnoreMatcher ignores,
            Function<Path, CompletableFuture<HashedContent>> hashing) {
        this.clock = clock;
        this.self = self;
        this.root = root.toAbsolutePath().normalize();
        this.ignores = ignores;
        this.walker = new FolderWalker(ignores);
        this.hashing = hashing;
    }

    /** Scans the whole folder. */
    public ScanResult scan(ScanIndex index) throws FolderUnavailableException {
        Path dir = realRoot();
        ScanRun run = newRun(index, dir);
        walker.walkChildren("", dir, run);
        index.forEachLocal(run::checkDeleted);
        return run.finish();
    }

    /**
     * Scans only {@code names} and everything inside them (e.g. what the watcher reported):
     * each is recorded if it changed, and it or anything inside it that is gone from disk
     * becomes a tombstone. Missing parent directories of a name are recorded too. The name ""
     * means the whole folder.
     */
    public ScanResult scan(ScanIndex index, Collection<String> names) throws FolderUnavailableException {
        Set<String> targets = targets(names);
        if (targets.contains("")) {
            return scan(index);
        }
        Path dir = realRoot();
        ScanRun run = newRun(index, dir);
        Set<String> subtrees = new HashSet<>();
        for (String name : targets) {
            scanTarget(index, dir, name, run, subtrees);
        }
        if (!subtrees.isEmpty()) {
            index.forEachLocal(r -> {
                if (insideAny(subtrees, r.name())) {
                    run.checkDeleted(r);
                }
            });
        }
        return run.finish();
    }

    private void scanTarget(ScanIndex index, Path dir, String name, ScanRun run, Set<String> subtrees) {
        FolderWalker.Entry found;
        try {
            found = walker.locate(dir, name);
        } catch (IOException e) {
            log.warn("Cannot read {}: {}; skipping it this scan", dir.resolve(name), e.toString());
            run.unreadable(name);
            return;
        }
        Optional<FileRecord> previous = index.local(name).filter(r -> !r.deleted());
        boolean isDirectory = found != null ? found.stat().type() == FileType.DIRECTORY
                : previous.map(r -> r.type() == FileType.DIRECTORY).orElse(false);
        if (ignores.ignored(name, isDirectory)) {
            return;
        }
        if (found != null) {
            addMissingParents(index, dir, name, run);
            run.entry(found);
            if (found.stat().type() == FileType.DIRECTORY) {
                walker.walkChildren(name, found.path(), run);
            }
        } else {
            previous.ifPresent(run::checkDeleted);
        }
        if (isDirectory || previous.map(r -> r.type() == FileType.DIRECTORY).orElse(false)) {
            subtrees.add(name);
        }
    }

    /** Parents that the index does not have as live directories (new, or replacing a file). */
    private void addMissingParents(ScanIndex index, Path dir, String name, ScanRun run) {
        for (String p = PathNames.parent(name); !p.isEmpty(); p = PathNames.parent(p)) {
            boolean known = index.local(p).filter(r -> !r.deleted() && r.type() == FileType.DIRECTORY).isPresent();
            if (known) {
                return;
            }
            try {
                FolderWalker.Entry parent = walker.locate(dir, p);
                if (parent != null) {
                    run.entry(parent);
                }
            } catch (IOException e) {
                log.warn("Cannot read {}: {}; skipping it this scan", dir.resolve(p), e.toString());
            }
        }
    }

    private ScanRun newRun(ScanIndex index, Path dir) {
        return new ScanRun(index, ignores, clock, self, hashing, name -> present(dir, name));
    }

    /** True if an entry is at {@code name} now, or if that cannot be told. */
    private boolean present(Path dir, String name) {
        try {
            return walker.locate(dir, name) != null;
        } catch (IOException e) {
            return true;
        }
    }

    private Path realRoot() throws FolderUnavailableException {
        Path real;
        try {
            real = root.toRealPath();
        } catch (IOException e) {
            throw new FolderUnavailableException(root, e.toString());
        }
        if (!Files.isDirectory(real, LinkOption.NOFOLLOW_LINKS)) {
            throw new FolderUnavailableException(root, "not a directory");
        }
        return real;
    }

    /** Normalized, valid target names with those inside another target dropped. */
    private static Set<String> targets(Collection<String> names) {
        TreeSet<String> sorted = new TreeSet<>();
        for (String raw : names) {
            String n = Normalizer.normalize(raw, Normalizer.Form.NFC);
            while (n.endsWith("/")) {
                n = n.substring(0, n.length() - 1);
            }
            if (n.isEmpty() || n.equals(".")) {
                return Set.of("");
            }
            try {
                sorted.add(PathNames.validate(n));
            } catch (InvalidNameException e) {
                log.warn("Not rescanning {}: {}", raw, e.getMessage());
            }
        }
        Set<String> kept = new HashSet<>();
        for (String n : sorted) {
            if (!insideAny(kept, n)) {
                kept.add(n);
            }
        }
        return kept;
    }

    /** True if {@code name} is strictly inside one of {@code dirs}. */
    private static boolean insideAny(Set<String> dirs, String name) {
        for (String p = PathNames.parent(name); !p.isEmpty(); p = PathNames.parent(p)) {
            if (dirs.contains(p)) {
                return true;
            }
        }
        return false;
    }
}
