package org.meshfold.scanner;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.meshfold.index.Block;

/**
 * Hashes one large file: the calling thread reads and chunks window after window while the
 * windows already cut are hashed in parallel on the executor.
 *
 * <p>At most {@link #BUFFERS} read buffers exist per file. A window job is queued here and one
 * executor task per job polls the queue, so whoever gets to a job first (an executor thread or
 * the reading thread, when it needs a buffer back) runs it, and no thread ever blocks on a job
 * that has not started. One instance per file, used by one reading thread.
 */
final class HashPipeline {
    static final int BUFFERS = 4;

    private final ChunkStream stream;
    private final Executor executor;
    private final BlockingQueue<byte[]> free = new ArrayBlockingQueue<>(BUFFERS);
    private final Queue<Job> queued = new ConcurrentLinkedQueue<>();
    private final List<Job> jobs = new ArrayList<>();
    private int allocated;
    private long bytesRead;

    HashPipeline(ChunkStream stream, Executor executor) {
        this.stream = stream;
        this.executor = executor;
    }

    /** Hashes {@code first} and every following window; returns all blocks in file order. */
    List<Block> run(ChunkStream.Window first) throws IOException {
        if (first.buffer().length == ChunkStream.BUFFER_SIZE) {
            allocated = 1;
        }
        ChunkStream.Window w = first;
        submit(w);
        while (!w.last()) {
            w = stream.next(takeBuffer());
            submit(w);
        }
        bytesRead = w.offset() + w.end();
        for (Job j; (j = queued.poll()) != null; ) {
            j.run();
        }
        List<Block> blocks = new ArrayList<>();
        for (Job job : jobs) {
            blocks.addAll(job.await());
        }
        return blocks;
    }

    long bytesRead() {
        return bytesRead;
    }

    private void submit(ChunkStream.Window w) {
        Job job = new Job(w);
        jobs.add(job);
        queued.add(job);
        try {
            executor.execute(() -> {
                Job j = queued.poll();
                if (j != null) {
                    j.run();
                }
            });
        } catch (RejectedExecutionException e) {
            // The reading thread runs the job itself when it needs the buffer or at the end.
        }
    }

    private byte[] takeBuffer() throws InterruptedIOException {
        while (true) {
            byte[] b = free.poll();
            if (b != null) {
                return b;
            }
            if (allocated < BUFFERS) {
                allocated++;
                return new byte[ChunkStream.BUFFER_SIZE];
            }
            Job j = queued.poll();
            if (j != null) {
                j.run();
                continue;
            }
            try {
                // Every job is running on another thread and will hand its buffer back.
                return free.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while hashing");
            }
        }
    }

    private final class Job implements Runnable {
        private final ChunkStream.Window window;
        private final CountDownLatch done = new CountDownLatch(1);
        private final List<Block> blocks;
        private volatile RuntimeException failure;

        Job(ChunkStream.Window window) {
            this.window = window;
            this.blocks = new ArrayList<>(window.count());
        }

        @Override
        public void run() {
            try {
                FileHasher.hashWindow(window, blocks);
            } catch (RuntimeException e) {
                failure = e;
            } finally {
                if (window.buffer().length == ChunkStream.BUFFER_SIZE) {
                    free.offer(window.buffer());
                }
                done.countDown();
            }
        }

        List<Block> await() throws InterruptedIOException {
            try {
                done.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while hashing");
            }
            if (failure != null) {
                throw failure;
            }
            return blocks;
        }
    }
}
