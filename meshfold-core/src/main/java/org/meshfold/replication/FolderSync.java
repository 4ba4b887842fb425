package org.meshfold.replication;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.meshfold.clock.HlcClock;
import org.meshfold.identity.DeviceId;
import org.meshfold.index.FileRecord;
import org.meshfold.index.FolderIndex;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one folder on this device in sync with the connected peers that share it.
 *
 * <h2>Design note</h2>
 * One single-threaded loop owns all state of the folder; the public methods only post events to
 * it, and block reads, hashing, writes and fsyncs run on the injected I/O executor, whose results
 * come back as loop events.
 * <ol>
 *   <li><b>Index exchange</b> ({@link IndexSender}): local records go to each peer in sequence
 *       order, from the sequence the peer says it has (delta sync), or from 0 if it saw another
 *       epoch of our index. A peer whose own epoch changed is forgotten and re-read.</li>
 *   <li><b>Need evaluation</b> ({@link NeedEvaluator}): for every name touched by an event, the
 *       global version (merge rules of {@code replication.merge}: causality first, then live
 *       beats deleted, directory beats file, later HLC, higher device) is compared with the local
 *       record. The loser of a conflict is kept as a conflict copy by the devices that hold it:
 *       its file is renamed to the copy name only when the winner's content is ready to replace
 *       it, so the name is never missing and the loser's blocks stay available meanwhile.</li>
 *   <li><b>Applying</b> in pull order ({@link NeedQueue}): directories, then files, then
 *       deletions. Nothing on disk is touched unless it still matches the local record (type,
 *       size, mtime); otherwise the user changed it, the name is skipped and the scanner asked to
 *       rescan it, and its new local version is merged like any other.</li>
 *   <li><b>Pulling</b> ({@link Puller}): into a temp file in the same directory; blocks already in a
 *       leftover temp file or anywhere in the folder are reused, the rest is requested from every
 *       connected peer with that content under a per-peer byte budget ({@link BlockScheduler}),
 *       and verified before it is written.</li>
 *   <li><b>Finishing</b> ({@link BatchFinisher}): fsync, check, rename, directory fsync, then one
 *       index commit per batch of small files, so the index is never ahead of the disk.</li>
 * </ol>
 */
public final class FolderSync implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(FolderSync.class);

    private final FolderSyncOptions options;
    private final FolderIndex index;
    private final ScheduledThreadPoolExecutor executor;
    private final AtomicInteger pendingEvents = new AtomicInteger();
    private final SyncCounters counters = new SyncCounters();
    private final FolderLoop loop;
    private final BlockResponder responder;
    /** The last comparison with each peer, valid while the local sequence and the peer's cursor stay put. */
    private final Map<Long, Compared> compared = new ConcurrentHashMap<>();

    private record Compared(long localSequence, FolderIndex.Cursor cursor, long differences) {
    }

    /**
     * @param options folder and device identity, limits
     * @param index   this folder's index
     * @param hlc     the device's hybrid logical clock (observes every received record)
     * @param clock   wall clock for status times
     * @param io      executor for file reads, hashing, writes and fsyncs; not shut down by this class
     * @param rescan  how to ask the scanner to look at names again
     */
    public FolderSync(FolderSyncOptions options, FolderIndex index, HlcClock hlc, Clock clock, ExecutorService io,
                      RescanRequester rescan) {
        this.options = options;
        this.index = index;
        this.executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "meshfold-folder-" + options.folderId());
            t.setDaemon(true);
            return t;
        });
        this.executor.setRemoveOnCancelPolicy(true);
        this.loop = new FolderLoop(options, index, hlc, clock, io, rescan, new LoopImpl(), counters);
        this.responder = new BlockResponder(options.root(), index, io, rescan, counters);
    }

    public String folderId() {
        return options.folderId();
    }

    /**
     * The local record of {@code name} if a pulled file is being put in place under it and its
     * record is not committed yet: a scanner need not hash a file on disk that matches it, sync has
     * just written and verified it. Any thread.
     */
    public Optional<FileRecord> installing(String name) {
        return loop.installing(name);
    }

    /** Evaluates every known name once (work left from before a restart) and starts pulling. */
    public void start() {
        post(loop::start);
    }

    /**
     * Local changes found by the scanner: committed, announced to peers, and checked for conflicts.
     * The future completes once they are committed, so a scanner can wait before it compares the
     * disk with the index again.
     */
    public CompletableFuture<Void> localChanges(List<FileRecord> changes) {
        List<FileRecord> copy = List.copyOf(changes);
        CompletableFuture<Void> done = new CompletableFuture<>();
        boolean posted = post(() -> {
            try {
                loop.localChanges(copy);
                done.complete(null);
            } catch (RuntimeException e) {
                done.completeExceptionally(e);
                throw e;
            }
        });
        if (!posted) {
            done.completeExceptionally(new IllegalStateException("folder " + options.folderId() + " is closed"));
        }
        return done;
    }

    /**
     * The scanner saw temp files of downloads of {@code names}: those no pull will resume (left
     * by an earlier run for names that need no pull now) are deleted.
     */
    public void tempFilesFound(Set<String> names) {
        Set<String> copy = Set.copyOf(names);
        post(() -> loop.tempFilesFound(copy));
    }

    /** A peer that shares this folder connected and announced {@code theirs}. */
    public void peerConnected(Peer peer, ClusterConfig.Folder theirs) {
        post(() -> loop.peerConnected(peer, theirs));
    }

    public void peerDisconnected(Peer peer) {
        post(() -> loop.peerDisconnected(peer));
    }

    /** {@code device} was removed from this folder: its connection and announced records are dropped. */
    public void peerRemoved(DeviceId device) {
        post(() -> loop.peerRemoved(device.shortId()));
    }

    /** Records a connected peer announced for this folder (already validated by the codec). */
    public void remoteIndex(Peer peer, List<FileRecord> records) {
        List<FileRecord> copy = List.copyOf(records);
        post(() -> loop.remoteIndex(peer, copy));
    }

    /** Reads a requested block from local files on the I/O executor, verified against its hash. */
    public CompletableFuture<byte[]> serveBlock(BlockRequest request) {
        return responder.serve(request);
    }

    /** Our entry of the cluster config sent to {@code device}. Thread-safe. */
    public ClusterConfig.Folder clusterConfigFor(DeviceId device) {
        return IndexSender.announce(index, options.label(), device.shortId());
    }

    /** A snapshot of progress and counters. Thread-safe. */
    public FolderStatus status() {
        int pending = pendingEvents.get();
        FolderLoop.Counts c = loop.counts();
        return new FolderStatus(options.folderId(), c.connectedPeers(), c.queued(), c.active(), c.waiting(),
                c.deferred(), pending, counters.bytesDownloaded.get(), counters.bytesServed.get(),
                counters.bytesReusedFromTemp.get(), counters.filesResumed.get(),
                counters.bytesReusedLocal.get(), counters.filesPulled.get(), counters.conflictsCreated.get(),
                counters.lastPulledMillis.get() == 0 ? null : Instant.ofEpochMilli(counters.lastPulledMillis.get()),
                c.pullBytes());
    }

    /**
     * How each connected peer's copy compares with this device's. Thread-safe; the comparison
     * reads the index, and is recounted only after the local index or the peer's cursor moved.
     */
    public List<PeerProgress> peerProgress() {
        List<PeerProgress> out = new ArrayList<>();
        for (FolderLoop.Connected c : loop.connected()) {
            long device = c.device().shortId();
            long localSequence = index.maxSequence();
            FolderIndex.Cursor cursor = index.cursor(device);
            ClusterConfig.Folder theirs = c.theirs();
            boolean received = theirs.maxSequence() == 0
                    || cursor.epoch() == theirs.epoch() && cursor.sequence() >= theirs.maxSequence();
            Compared known = compared.get(device);
            if (known == null || known.localSequence() != localSequence || !known.cursor().equals(cursor)) {
                known = new Compared(localSequence, cursor, index.countDifferences(device));
                compared.put(device, known);
            }
            out.add(new PeerProgress(c.device(), received, known.differences()));
        }
        return List.copyOf(out);
    }

    /**
     * True if this device and its peers hold the same folder: at least one peer is connected,
     * nothing is needed from them, and each has announced exactly the versions this device holds
     * (so it has also taken this device's changes). Thread-safe.
     */
    public boolean inSyncWithPeers() {
        // Needing nothing both before and after the comparison: an event that arrived meanwhile is not missed.
        boolean needsNothing = status().inSync();
        List<PeerProgress> peers = peerProgress();
        return needsNothing && !peers.isEmpty() && peers.stream().allMatch(PeerProgress::inSync) && status().inSync();
    }

    /** Stops the folder loop; running transfers are abandoned (their temp files are resumed later). */
    @Override
    public void close() {
        post(loop::close);
        executor.shutdown();
        try {
            if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    /** Queues an event for the loop; false if the folder is closed. */
    private boolean post(Runnable event) {
        pendingEvents.incrementAndGet();
        try {
            executor.execute(() -> {
                try {
                    event.run();
                } catch (RuntimeException e) {
                    log.error("folder {}: event failed", options.folderId(), e);
                } finally {
                    pendingEvents.decrementAndGet();
                }
            });
            return true;
        } catch (RejectedExecutionException e) {
            pendingEvents.decrementAndGet(); // closed: late I/O completions are dropped
            return false;
        }
    }

    private final class LoopImpl implements Loop {
        @Override
        public void post(Runnable event) {
            FolderSync.this.post(event);
        }

        @Override
        public Future<?> schedule(Runnable event, Duration delay) {
            return executor.schedule(() -> post(event), delay.toNanos(), TimeUnit.NANOSECONDS);
        }
    }
}
