package org.meshfold.replication;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * Finishes pulled files in batches (DESIGN §6): small files are collected (up to
 * {@code batchMaxFiles}, or {@code batchMaxDelay} after the first, or as soon as no other pull is
 * running), their temp files are fsynced in parallel on the I/O executor so the file system can
 * overlap the journal commits, then all are renamed, each directory is fsynced once, and the
 * folder loop commits the whole batch to the index in one transaction. A large file is finished
 * on its own as soon as it is complete. Owned by the folder loop.
 */
final class BatchFinisher {
    private final FolderSyncOptions.Tuning tuning;
    private final FinishStep step;
    private final Executor io;
    private final Loop loop;
    private final Consumer<FinishStep.Result> done;
    private final List<PullJob> pending = new ArrayList<>();
    private Future<?> timer;
    private int running;

    BatchFinisher(FolderSyncOptions.Tuning tuning, FinishStep step, Executor io, Loop loop,
                  Consumer<FinishStep.Result> done) {
        this.tuning = tuning;
        this.step = step;
        this.io = io;
        this.loop = loop;
        this.done = done;
    }

    /** Takes a job whose content is complete in its temp file. */
    void add(PullJob job) {
        job.stage = PullJob.Stage.FINISHING;
        if (job.global().size() > tuning.smallFileBytes()) {
            run(List.of(job));
            return;
        }
        pending.add(job);
        if (pending.size() >= tuning.batchMaxFiles()) {
            flush();
        } else if (timer == null) {
            timer = loop.schedule(this::flush, tuning.batchMaxDelay());
        }
    }

    /** Finishes the collected files now. */
    void flush() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
        if (!pending.isEmpty()) {
            List<PullJob> batch = List.copyOf(pending);
            pending.clear();
            run(batch);
        }
    }

    /** Files collected or being finished. */
    int size() {
        return pending.size() + running;
    }

    private void run(List<PullJob> batch) {
        running += batch.size();
        Map<PullJob, Exception> syncErrors = new ConcurrentHashMap<>();
        CompletableFuture<?>[] syncs = batch.stream().map(job -> CompletableFuture.runAsync(() -> {
            try {
                FinishStep.makeDurable(job);
            } catch (Exception e) {
                syncErrors.put(job, e);
            }
        }, io)).toArray(CompletableFuture[]::new);
        CompletableFuture.allOf(syncs)
                .thenApplyAsync(v -> step.install(batch, syncErrors), io)
                .whenComplete((result, error) -> loop.post(() -> {
                    running -= batch.size();
                    done.accept(error == null ? result : failedAll(batch, error));
                }));
    }

    private static FinishStep.Result failedAll(List<PullJob> batch, Throwable error) {
        Exception e = error instanceof Exception ex ? ex : new RuntimeException(error);
        Map<PullJob, Exception> failed = new LinkedHashMap<>();
        batch.forEach(j -> failed.put(j, e));
        return new FinishStep.Result(List.of(), Map.of(), failed);
    }
}
