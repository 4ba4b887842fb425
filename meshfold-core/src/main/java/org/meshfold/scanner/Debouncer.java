package org.meshfold.scanner;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Collects names and hands them over as one set once no name was added for the quiet period,
 * or at the latest {@code maxDelay} after the first one, so a file written without pause still
 * gets scanned. Deliveries run on the scheduler and never overlap. Thread-safe.
 */
final class Debouncer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Debouncer.class);

    private final long quietNanos;
    private final long maxDelayNanos;
    private final ScheduledExecutorService scheduler;
    private final LongSupplier nanoTime;
    private final Consumer<Set<String>> sink;
    private final Object deliveryLock = new Object();
    private Set<String> pending = new HashSet<>();
    private long firstNanos;
    private long lastNanos;
    private ScheduledFuture<?> timer;
    private boolean closed;

    Debouncer(long quietNanos, long maxDelayNanos, ScheduledExecutorService scheduler, LongSupplier nanoTime,
              Consumer<Set<String>> sink) {
        this.quietNanos = quietNanos;
        this.maxDelayNanos = Math.max(quietNanos, maxDelayNanos);
        this.scheduler = scheduler;
        this.nanoTime = nanoTime;
        this.sink = sink;
    }

    synchronized void add(String name) {
        if (closed) {
            return;
        }
        long now = nanoTime.getAsLong();
        if (pending.isEmpty()) {
            firstNanos = now;
        }
        pending.add(name);
        lastNanos = now;
        if (timer == null) {
            schedule(quietNanos);
        }
    }

    /** Caller holds the lock. */
    private void schedule(long delayNanos) {
        try {
            timer = scheduler.schedule(this::fire, delayNanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            log.debug("Scheduler shut down; dropping {} changed names", pending.size());
            closed = true;
            pending.clear();
        }
    }

    private void fire() {
        Set<String> batch;
        synchronized (this) {
            timer = null;
            if (closed || pending.isEmpty()) {
                return;
            }
            long now = nanoTime.getAsLong();
            long untilQuiet = lastNanos + quietNanos - now;
            long untilMax = firstNanos + maxDelayNanos - now;
            if (untilQuiet > 0 && untilMax > 0) {
                schedule(Math.min(untilQuiet, untilMax));
                return;
            }
            batch = Set.copyOf(pending);
            pending = new HashSet<>();
        }
        synchronized (deliveryLock) {
            try {
                sink.accept(batch);
            } catch (RuntimeException e) {
                log.warn("Change handler failed for {} names: {}", batch.size(), e.toString(), e);
            }
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        pending.clear();
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }
}
