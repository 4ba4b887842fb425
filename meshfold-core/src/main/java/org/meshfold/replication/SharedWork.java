package org.meshfold.replication;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs numbered tasks on the calling thread and on helper tasks of an executor, each thread
 * taking the next number until none is left. The caller waits only for helpers that took a
 * number: a helper still queued behind other work starts too late to find one and ends at once,
 * so a busy executor (even the one the caller runs on) never makes the caller wait for it.
 */
final class SharedWork {
    /** One numbered task; returns whether it did its work. */
    interface Task {
        boolean run(int i) throws IOException;
    }

    private final int count;
    private final Task task;
    private final boolean[] done;
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicInteger working = new AtomicInteger();
    private final AtomicReference<IOException> failure = new AtomicReference<>();

    private SharedWork(int count, Task task) {
        this.count = count;
        this.task = task;
        this.done = new boolean[count];
    }

    /**
     * Runs {@code task} for 0 .. {@code count - 1}, here and on up to {@code helpers} tasks of
     * {@code executor}; returns which returned true. The first {@link IOException} stops the
     * rest and is thrown once no task is running.
     */
    static boolean[] run(int count, int helpers, Executor executor, Task task) throws IOException {
        SharedWork work = new SharedWork(count, task);
        for (int h = 0; h < helpers && h < count - 1; h++) {
            try {
                executor.execute(work::help);
            } catch (RejectedExecutionException e) {
                break; // the caller does it alone
            }
        }
        work.takeUntilNoneLeft();
        work.awaitHelpers();
        IOException e = work.failure.get();
        if (e != null) {
            throw e;
        }
        return work.done;
    }

    private void help() {
        working.incrementAndGet();
        try {
            takeUntilNoneLeft();
        } finally {
            if (working.decrementAndGet() == 0) {
                synchronized (this) {
                    notifyAll();
                }
            }
        }
    }

    private void takeUntilNoneLeft() {
        for (int i; (i = next.getAndIncrement()) < count; ) {
            try {
                done[i] = task.run(i);
            } catch (IOException e) {
                failure.compareAndSet(null, e);
                next.set(count);
            } catch (RuntimeException e) {
                failure.compareAndSet(null, new IOException("task " + i + " failed", e));
                next.set(count);
            }
        }
    }

    private synchronized void awaitHelpers() throws InterruptedIOException {
        // Every number is taken: a helper that starts from now on finds none and touches nothing.
        while (working.get() > 0) {
            try {
                wait();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting for block copies");
            }
        }
    }
}
