package org.meshfold.replication;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import org.meshfold.index.Block;
import org.meshfold.index.FileRecord;
import org.meshfold.index.FolderIndex;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs pull jobs: prepare the temp file (resume, local copies) on the I/O executor, fetch the
 * remaining blocks from all connected peers that have the content, verify and write them, then
 * hand the job to the {@link BatchFinisher}. A job with blocks left and no peer to ask ends as
 * waiting (its temp file is kept) instead of polling; the loop starts it again when a peer with
 * the content appears. A peer that sends a block with a wrong hash is disconnected and its blocks
 * go back to the queue. Owned by the folder loop; every method runs on the loop thread, except
 * {@link #installing}.
 */
final class Puller {
    private static final Logger log = LoggerFactory.getLogger(Puller.class);

    /** How a job ended without being installed. */
    enum End { WAITING, CANCELLED, FAILED }

    /** Callbacks to the folder loop. */
    interface Events {
        void ended(PullJob job, End end, Throwable error);

        /** A job's content is complete and it waits to be finished: another job may start. */
        void completed(PullJob job);

        void finished(FinishStep.Result result);
    }

    private enum BlockResult { WRITTEN, CORRUPT, REQUEST_FAILED, WRITE_FAILED }

    private final FolderSyncOptions options;
    private final FolderIndex index;
    private final Executor io;
    private final Loop loop;
    private final TempFileWriter writer;
    private final BlockScheduler scheduler;
    private final BatchFinisher finisher;
    private final SyncCounters counters;
    private final Events events;
    private final Map<String, PullJob> jobs = new LinkedHashMap<>();
    /** Local records of complete jobs until they are committed; read by the scanner's thread. */
    private final Map<String, FileRecord> installing = new ConcurrentHashMap<>();

    Puller(FolderSyncOptions options, FolderIndex index, Executor io, Loop loop, SyncCounters counters, Events events) {
        this.options = options;
        this.index = index;
        this.io = io;
        this.loop = loop;
        this.counters = counters;
        this.events = events;
        this.writer = new TempFileWriter(options.root(), index, counters, io,
                Math.max(1, Runtime.getRuntime().availableProcessors() - 1));
        this.scheduler = new BlockScheduler(options.tuning().peerBudgetBytes());
        this.finisher = new BatchFinisher(options.tuning(), new FinishStep(options.root()), io, loop, this::finished);
    }

    /** True if another job may start (jobs being finished in a batch do not count). */
    boolean hasRoom() {
        return active() < options.tuning().maxActivePulls();
    }

    /** Jobs preparing or transferring. */
    int active() {
        return (int) jobs.values().stream().filter(j -> j.stage != PullJob.Stage.FINISHING).count();
    }

    /** All jobs, including those waiting in a finishing batch. */
    int size() {
        return jobs.size();
    }

    /** Total size of the files being pulled (whole files: progress within a file is not subtracted). */
    long bytes() {
        return jobs.values().stream().mapToLong(j -> j.global().size()).sum();
    }

    PullJob job(String name) {
        return jobs.get(name);
    }

    /**
     * The local record a complete job of {@code name} is about to commit, from the moment its
     * content is complete until the commit, so the scanner does not hash a file just put in place
     * before its record reaches the index. Any thread.
     */
    Optional<FileRecord> installing(String name) {
        return Optional.ofNullable(installing.get(name));
    }

    void start(NeedAction.Pull action) {
        PullJob job = new PullJob(action, options.root());
        jobs.put(job.name(), job);
        refreshSources(job);
        CompletableFuture.supplyAsync(() -> {
            try {
                return writer.prepare(job);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, io).whenComplete((missing, error) -> loop.post(() -> prepared(job, missing, error)));
    }

    /** Stops a job whose target is no longer what the folder needs; it ends once no I/O is pending. */
    void cancel(PullJob job) {
        job.cancelled = true;
        if (job.stage == PullJob.Stage.TRANSFERRING && job.inFlight == 0) {
            end(job, End.CANCELLED, null);
        }
    }

    void peerConnected(long device, Peer peer) {
        scheduler.addPeer(device, peer);
        jobs.values().forEach(j -> {
            j.excluded.remove(device);
            refreshSources(j);
        });
        dispatch();
    }

    void peerDisconnected(long device, Peer peer) {
        if (scheduler.removePeer(device, peer)) {
            for (PullJob j : List.copyOf(jobs.values())) {
                j.sources.remove(device);
                endIfStuck(j);
            }
        }
    }

    /** {@code device} announced a new record for {@code name}: it may now (or no longer) be a source. */
    void remoteUpdated(long device, String name) {
        PullJob job = jobs.get(name);
        if (job != null) {
            job.excluded.remove(device);
            refreshSources(job);
            endIfStuck(job);
        }
    }

    void dispatch() {
        for (BlockScheduler.Assignment a : scheduler.assign(jobs.values())) {
            BlockRequest req = new BlockRequest(options.folderId(), a.job().name(), a.block().offset(),
                    a.block().size(), a.block().hash());
            a.peer().request(req).handleAsync((data, error) -> receive(a, data, error), io)
                    .thenAccept(result -> loop.post(() -> blockDone(a, result)));
        }
    }

    /** Finishes the files collected for a batch now (called when no other pull is running). */
    void flushFinished() {
        finisher.flush();
    }

    /** Abandons all jobs: their temp files stay and are resumed by the next pull. */
    void closeAll() {
        jobs.values().forEach(j -> {
            j.cancelled = true;
            j.closeChannel();
        });
        jobs.clear();
        installing.clear();
    }

    private void dropUncommitted(PullJob job) {
        jobs.remove(job.name(), job);
        installing.remove(job.name());
    }

    private BlockResult receive(BlockScheduler.Assignment a, byte[] data, Throwable error) {
        if (error != null) {
            return BlockResult.REQUEST_FAILED;
        }
        if (a.job().cancelled) {
            return BlockResult.WRITTEN;
        }
        try {
            return writer.writeVerified(a.job(), a.block(), data) ? BlockResult.WRITTEN : BlockResult.CORRUPT;
        } catch (IOException e) {
            log.warn("folder {}: cannot write to the temp file of '{}': {}", options.folderId(), a.job().name(),
                    e.toString());
            return BlockResult.WRITE_FAILED;
        }
    }

    private void prepared(PullJob job, List<Block> missing, Throwable error) {
        if (error != null || job.cancelled) {
            end(job, error != null ? End.FAILED : End.CANCELLED, rootCause(error));
        } else {
            job.missing.addAll(missing);
            job.stage = PullJob.Stage.TRANSFERRING;
            if (job.missing.isEmpty()) {
                complete(job);
            } else {
                endIfStuck(job);
            }
        }
        dispatch();
    }

    private void blockDone(BlockScheduler.Assignment a, BlockResult result) {
        scheduler.released(a);
        PullJob job = a.job();
        job.inFlight--;
        switch (result) {
            case WRITTEN -> counters.bytesDownloaded.addAndGet(job.cancelled ? 0 : a.block().size());
            case CORRUPT -> {
                job.missing.addFirst(a.block());
                if (a.peer().isOpen()) {
                    String reason = "sent block with wrong hash for " + job.name() + " at " + a.block().offset();
                    log.warn("folder {}: device {} {}; disconnecting it", options.folderId(), a.peer().deviceId(),
                            reason);
                    a.peer().close(reason);
                }
                peerDisconnected(a.device(), a.peer());
            }
            case REQUEST_FAILED -> {
                job.missing.addFirst(a.block());
                job.excluded.add(a.device());
            }
            case WRITE_FAILED -> {
                job.missing.addFirst(a.block());
                job.cancelled = true;
            }
        }
        if (job.cancelled) {
            if (job.inFlight == 0) {
                end(job, result == BlockResult.WRITE_FAILED ? End.FAILED : End.CANCELLED, null);
            }
        } else if (job.missing.isEmpty() && job.inFlight == 0) {
            complete(job);
        } else {
            endIfStuck(job);
        }
        dispatch();
    }

    private void complete(PullJob job) {
        job.closeChannel();
        installing.put(job.name(), job.action.target());
        finisher.add(job);
        events.completed(job);
    }

    private void endIfStuck(PullJob job) {
        if (job.stage == PullJob.Stage.TRANSFERRING && jobs.get(job.name()) == job && !job.canProgress()) {
            end(job, End.WAITING, null);
        }
    }

    private void end(PullJob job, End end, Throwable error) {
        job.closeChannel();
        jobs.remove(job.name(), job);
        events.ended(job, end, error);
    }

    private void finished(FinishStep.Result result) {
        result.installed().forEach(j -> jobs.remove(j.name(), j));
        // Not committed: the scanner must see these names as the index has them (and is asked to).
        result.deferred().keySet().forEach(this::dropUncommitted);
        result.failed().keySet().forEach(this::dropUncommitted);
        try {
            events.finished(result);
        } finally {
            // Committed, or the commit failed and the scanner must judge these files by the index again.
            result.installed().forEach(j -> installing.remove(j.name()));
        }
        dispatch();
    }

    /** The I/O error behind the executor's wrappers, for a readable log line. */
    private static Throwable rootCause(Throwable error) {
        Throwable t = error;
        while ((t instanceof CompletionException || t instanceof UncheckedIOException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private void refreshSources(PullJob job) {
        job.sources.clear();
        FileRecord g = job.global();
        for (long device : scheduler.devices()) {
            if (index.remote(device, job.name()).filter(r -> FileVersions.sameBytes(r, g)).isPresent()) {
                job.sources.add(device);
            }
        }
    }
}
