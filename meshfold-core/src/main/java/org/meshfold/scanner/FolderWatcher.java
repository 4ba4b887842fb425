package org.meshfold.scanner;

import io.methvin.watcher.DirectoryChangeEvent;
import io.methvin.watcher.DirectoryChangeListener;
import io.methvin.watcher.DirectoryWatcher;
import java.io.IOException;
import java.nio.file.Path;
import java.text.Normalizer;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import org.meshfold.fs.PathNames;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches a folder and everything below it, and reports the names of changed entries in
 * batches: a batch is handed to the consumer once no change came for the debounce period (at
 * the latest ten periods after its first change). Names are folder-relative, '/'-separated and
 * NFC; names with the temp prefix are dropped; "" means "rescan the whole folder" (the event
 * queue overflowed or the root itself changed). A batch is meant for
 * {@link Scanner#scan(ScanIndex, java.util.Collection)}; events can be missed (e.g. on network
 * file systems), so callers still run periodic full scans.
 *
 * <p>Built on io.methvin directory-watcher rather than the JDK WatchService alone: it registers
 * directories created after the start and reports the files already inside them (closing the race
 * between a mkdir and its registration), and uses the native recursive watchers on macOS
 * (FSEvents) and Windows, with inotify through the JDK on Linux. Its own content hashing is
 * switched off: the scanner decides what changed.
 *
 * <p>Threads: events are read on one daemon thread owned by this watcher; the consumer is called
 * on the injected scheduler, one batch at a time.
 */
public final class FolderWatcher implements AutoCloseable {
    public static final Duration DEFAULT_DEBOUNCE = Duration.ofMillis(100);
    private static final Logger log = LoggerFactory.getLogger(FolderWatcher.class);

    private final Path root;
    private final Debouncer debouncer;
    private final DirectoryWatcher watcher;
    private final CompletableFuture<Void> ready = new CompletableFuture<>();
    private volatile boolean closed;

    private FolderWatcher(Path root, Duration debounce, ScheduledExecutorService scheduler,
                          Consumer<Set<String>> onChange) throws IOException {
        this.root = root;
        long quiet = debounce.toNanos();
        this.debouncer = new Debouncer(quiet, 10 * quiet, scheduler, System::nanoTime, onChange);
        this.watcher = DirectoryWatcher.builder()
                .path(root)
                .fileHashing(false)
                .listener(new Listener())
                .build();
    }

    /**
     * Starts watching {@code root}. Registering every directory happens in the background;
     * {@link #ready()} completes when changes from then on are seen.
     */
    public static FolderWatcher start(Path root, Duration debounce, ScheduledExecutorService scheduler,
                                      Consumer<Set<String>> onChange) throws IOException {
        Path dir = root.toAbsolutePath().normalize();
        FolderWatcher w = new FolderWatcher(dir, debounce, scheduler, onChange);
        String threadName = "meshfold-watch-" + dir.getFileName();
        w.watcher.watchAsync(r -> Thread.ofPlatform().daemon().name(threadName).start(r))
                .whenComplete((v, e) -> w.stopped(e));
        return w;
    }

    /** Completes once every directory is registered; fails if watching could not start. */
    public CompletableFuture<Void> ready() {
        return ready;
    }

    @Override
    public void close() {
        closed = true;
        debouncer.close();
        try {
            watcher.close();
        } catch (IOException e) {
            log.warn("Closing the watcher of {} failed: {}", root, e.toString());
        }
    }

    private void stopped(Throwable failure) {
        if (closed) {
            return;
        }
        String why = failure != null ? failure.toString() : "the folder was removed or is no longer watchable";
        log.warn("Watching {} stopped: {}; changes are only found by full scans now", root, why);
        ready.completeExceptionally(failure != null ? failure : new IOException("watching " + root + " stopped: " + why));
    }

    /** The folder name of {@code p}, "" for the root, or null if it is outside or a temp name. */
    static String nameOf(Path root, Path p) {
        if (p == null || p.equals(root)) {
            return "";
        }
        if (!p.startsWith(root)) {
            return null;
        }
        StringBuilder name = new StringBuilder();
        for (Path component : root.relativize(p)) {
            String s = component.toString();
            if (PathNames.isTemp(s)) {
                return null;
            }
            if (!name.isEmpty()) {
                name.append('/');
            }
            name.append(s);
        }
        return Normalizer.normalize(name, Normalizer.Form.NFC);
    }

    private final class Listener implements DirectoryChangeListener {
        @Override
        public void onEvent(DirectoryChangeEvent event) {
            String name = event.eventType() == DirectoryChangeEvent.EventType.OVERFLOW ? "" : nameOf(root, event.path());
            if (name != null) {
                debouncer.add(name);
            }
        }

        @Override
        public void onIdle(int count) {
            ready.complete(null);
        }

        @Override
        public void onException(Exception e) {
            log.warn("Error while watching {}: {}; the next full scan catches up", root, e.toString());
        }
    }
}
