package org.meshfold.daemon;

import java.time.Duration;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A scheduler on simulated time, for tests: nothing runs until {@link #advance} moves the clock,
 * and then every task falls due in time order, on the calling thread. {@link #nanoTime} is its
 * clock, to inject wherever the code under test reads monotonic time.
 */
final class ManualScheduler extends AbstractExecutorService implements ScheduledExecutorService {
    private final PriorityQueue<Task<?>> queue = new PriorityQueue<>();
    private long now = 1_000_000_000L;
    private long sequence;
    private boolean shutdown;

    long nanoTime() {
        return now;
    }

    /** Runs everything due up to {@code now + by}, each at its own time, then sets the clock there. */
    void advance(Duration by) {
        long until = now + by.toNanos();
        while (!queue.isEmpty() && queue.peek().at <= until) {
            Task<?> task = queue.poll();
            now = Math.max(now, task.at);
            task.run();
            if (task.period != 0 && !task.isDone()) {
                task.at = task.period > 0 ? task.at + task.period : now - task.period;
                task.sequence = sequence++;
                queue.add(task);
            }
        }
        now = until;
    }

    /** Runs what is due now (tasks handed to {@link #execute}, for example). */
    void runDue() {
        advance(Duration.ZERO);
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        return add(new Task<>(command, null, unit.toNanos(delay), 0));
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        return add(new Task<>(callable, unit.toNanos(delay), 0));
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        return add(new Task<>(command, null, unit.toNanos(initialDelay), unit.toNanos(period)));
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
        return add(new Task<>(command, null, unit.toNanos(initialDelay), -unit.toNanos(delay)));
    }

    @Override
    public void execute(Runnable command) {
        schedule(command, 0, TimeUnit.NANOSECONDS);
    }

    private <V> Task<V> add(Task<V> task) {
        if (shutdown) {
            throw new RejectedExecutionException("the scheduler is shut down");
        }
        queue.add(task);
        return task;
    }

    @Override
    public void shutdown() {
        shutdown = true;
    }

    @Override
    public List<Runnable> shutdownNow() {
        shutdown = true;
        List<Runnable> pending = List.copyOf(queue);
        queue.clear();
        return pending;
    }

    @Override
    public boolean isShutdown() {
        return shutdown;
    }

    @Override
    public boolean isTerminated() {
        return shutdown && queue.isEmpty();
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        return isTerminated();
    }

    /** One task; a positive period is a fixed rate, a negative one a fixed delay. */
    private final class Task<V> extends FutureTask<V> implements ScheduledFuture<V> {
        private final long period;
        private long at;
        private long sequence;

        Task(Runnable runnable, V result, long delay, long period) {
            super(runnable, result);
            this.at = now + delay;
            this.period = period;
            this.sequence = ManualScheduler.this.sequence++;
        }

        Task(Callable<V> callable, long delay, long period) {
            super(callable);
            this.at = now + delay;
            this.period = period;
            this.sequence = ManualScheduler.this.sequence++;
        }

        /** Runs the task; a failure fails the test rather than vanishing into the future. */
        @Override
        public void run() {
            boolean failed;
            if (period == 0) {
                super.run();
                failed = !isCancelled();
            } else {
                failed = !runAndReset() && !isCancelled();
            }
            if (failed && isDone()) {
                try {
                    get();
                } catch (ExecutionException e) {
                    throw new AssertionError("a scheduled task failed", e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(at - now, TimeUnit.NANOSECONDS);
        }

        @Override
        public int compareTo(Delayed other) {
            Task<?> o = (Task<?>) other;
            return at != o.at ? Long.compare(at, o.at) : Long.compare(sequence, o.sequence);
        }
    }
}
