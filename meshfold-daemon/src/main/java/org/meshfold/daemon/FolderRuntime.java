package org.meshfold.daemon;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.meshfold.clock.HlcClock;
import org.meshfold.config.FolderConfig;
import org.meshfold.fs.PathNames;
import org.meshfold.index.FileRecord;
import org.meshfold.index.FileType;
import org.meshfold.index.FolderIndex;
import org.meshfold.replication.FolderSync;
import org.meshfold.scanner.FolderUnavailableException;
import org.meshfold.scanner.FolderWatcher;
import org.meshfold.scanner.IgnoreMatcher;
import org.meshfold.scanner.IgnorePatternException;
import org.meshfold.scanner.ScanIndex;
import org.meshfold.scanner.ScanResult;
import org.meshfold.scanner.Scanner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scanning for one folder: a full scan at start and periodically, targeted scans for what the
 * watcher or the sync logic reports. All scans run one at a time on this folder's scan thread,
 * and their changes go to the {@link FolderSync}, which commits them on its loop.
 */
final class FolderRuntime implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(FolderRuntime.class);
    private static final Duration CHANGED_WHILE_HASHING_RETRY = Duration.ofSeconds(1);
    private static final long LOGGED_HASHING = 64L << 20;

    private final FolderConfig config;
    private final FolderIndex index;
    private final HlcClock hlc;
    private final ExecutorService hashers;
    private final long self;
    private final ScheduledThreadPoolExecutor scanThread;
    private final Set<String> pending = new LinkedHashSet<>();
    private FolderSync sync;
    private Scanner scanner;
    private FolderWatcher watcher;
    private boolean fullPending;
    private volatile boolean scanning;
    private final List<CompletableFuture<Void>> fullWaiters = new ArrayList<>();

    FolderRuntime(FolderConfig config, FolderIndex index, HlcClock hlc, ExecutorService hashers, long self) {
        this.config = config;
        this.index = index;
        this.hlc = hlc;
        this.hashers = hashers;
        this.self = self;
        this.scanThread = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "meshfold-scan-" + config.id());
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts watching and scanning; scan results go to {@code target}. */
    void start(FolderSync target, ScheduledExecutorService scheduler, Duration watchDelay, Duration fullRescan)
            throws IOException {
        this.sync = target;
        this.scanner = newScanner();
        this.watcher = FolderWatcher.start(config.path(), watchDelay, scheduler, this::requestScan);
        requestFullScan();
        if (!fullRescan.isZero()) {
            scanThread.scheduleWithFixedDelay(() -> requestFullScan(), fullRescan.toMillis(), fullRescan.toMillis(),
                    TimeUnit.MILLISECONDS);
        }
    }

    /** True while a scan of this folder runs (read from any thread, for status output). */
    boolean scanning() {
        return scanning;
    }

    /** Asks for a full scan; the future completes when a full scan that started after this call is committed. */
    CompletableFuture<Void> requestFullScan() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        synchronized (pending) {
            fullPending = true;
            fullWaiters.add(done);
        }
        scanThread.execute(this::runScan);
        return done;
    }

    /** Asks for a targeted scan of these names (coalesced with other pending requests). */
    void requestScan(Collection<String> names) {
        synchronized (pending) {
            pending.addAll(names);
        }
        scanThread.execute(this::runScan);
    }

    private void runScan() {
        Set<String> names;
        boolean full;
        List<CompletableFuture<Void>> waiters;
        synchronized (pending) {
            full = fullPending || pending.contains("");
            names = Set.copyOf(pending);
            pending.clear();
            fullPending = false;
            waiters = List.copyOf(fullWaiters);
            fullWaiters.clear();
        }
        if (!full && names.isEmpty()) {
            return;
        }
        scanning = true;
        try {
            scan(full, names);
        } finally {
            scanning = false;
            waiters.forEach(w -> w.complete(null));
        }
    }

    private void scan(boolean full, Set<String> names) {
        try {
            if (names.contains(PathNames.IGNORE_FILE)) {
                scanner = newScanner();
                full = true;
            }
            ScanIndex view = ScanIndex.of(index::local, index::forEachLocal, sync::installing);
            long started = System.nanoTime();
            ScanResult result = full ? scanner.scan(view) : scanner.scan(view, names);
            long scanned = System.nanoTime();
            if (!result.changes().isEmpty()) {
                log.debug("folder {}: {} local changes", config.id(), result.changes().size());
                sync.localChanges(result.changes()).join();
            }
            if (!result.tempFiles().isEmpty()) {
                sync.tempFilesFound(result.tempFiles());
            }
            logHashing(full, names.size(), result, scanned - started, System.nanoTime() - scanned);
            if (!result.changedWhileHashing().isEmpty()) {
                scanThread.schedule(() -> requestScan(result.changedWhileHashing()),
                        CHANGED_WHILE_HASHING_RETRY.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (FolderUnavailableException e) {
            log.warn("folder {} is unavailable, not scanning it: {}", config.id(), e.getMessage());
        } catch (IOException | RuntimeException e) {
            if (scanThread.isShutdown()) {
                log.debug("folder {}: scan abandoned at shutdown: {}", config.id(), e.toString());
                return;
            }
            log.error("folder {}: scan failed: {}", config.id(), e.toString(), e);
        }
    }

    /**
     * Every file among a scan's changes was hashed (unchanged files are not read): this is the
     * hashing work done. Logged for every full scan, and for a scan of changed names once it has
     * hashed {@link #LOGGED_HASHING} bytes or more (a large file edited).
     */
    private void logHashing(boolean full, int names, ScanResult result, long scanNanos, long commitNanos) {
        long files = 0;
        long bytes = 0;
        for (FileRecord r : result.changes()) {
            if (r.type() == FileType.FILE && !r.deleted()) {
                files++;
                bytes += r.size();
            }
        }
        if (!full && bytes < LOGGED_HASHING) {
            return;
        }
        log.info("folder {}: {} hashed {} new or changed file(s), {} bytes, in {} ms; "
                + "{} change(s) committed in {} ms", config.id(),
                full ? "full scan" : "scan of " + names + " changed name(s)", files, bytes,
                TimeUnit.NANOSECONDS.toMillis(scanNanos), result.changes().size(),
                TimeUnit.NANOSECONDS.toMillis(commitNanos));
    }

    private Scanner newScanner() {
        IgnoreMatcher ignores;
        try {
            ignores = IgnoreMatcher.load(config.path());
        } catch (IgnorePatternException | IOException e) {
            log.error("folder {}: {} (nothing is ignored until it is fixed)", config.id(), e.getMessage());
            ignores = IgnoreMatcher.NONE;
        }
        return new Scanner(hlc, hashers, self, config.path(), ignores);
    }

    @Override
    public void close() {
        if (watcher != null) {
            watcher.close();
        }
        scanThread.shutdownNow();
        try {
            scanThread.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
