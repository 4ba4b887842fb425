package org.meshfold.scanner;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DebouncerTest {
    private static final long MS = 1_000_000;

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final BlockingQueue<Set<String>> batches = new LinkedBlockingQueue<>();
    /** Decides what the debouncer thinks the time is; the scheduler still runs in real time. */
    private final AtomicLong now = new AtomicLong();
    private final Debouncer debouncer = new Debouncer(20 * MS, 40 * MS, scheduler, now::get, batches::add);

    @AfterEach
    void stop() throws InterruptedException {
        debouncer.close();
        scheduler.shutdownNow();
        assertThat(scheduler.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void add_quietPeriodPassed_deliversOneBatch() throws InterruptedException {
        now.set(100 * MS);
        debouncer.add("a");
        debouncer.add("b");
        debouncer.add("a");
        now.set(125 * MS);
        assertThat(batches.poll(10, TimeUnit.SECONDS)).containsExactlyInAnyOrder("a", "b");
    }

    @Test
    void add_changesKeepComing_deliversAtMaxDelay() throws InterruptedException {
        debouncer.add("a");
        now.set(15 * MS);
        debouncer.add("b");
        // Not quiet yet and not at the maximum delay: the timer keeps re-arming without delivering.
        assertThat(batches.poll(150, TimeUnit.MILLISECONDS)).isNull();
        now.set(40 * MS);
        assertThat(batches.poll(10, TimeUnit.SECONDS)).containsExactlyInAnyOrder("a", "b");
    }

    @Test
    void close_dropsPendingNames() throws InterruptedException {
        debouncer.add("a");
        debouncer.close();
        now.set(1000 * MS);
        debouncer.add("b");
        // Any delivery would be due 20 ms after the add; the marker runs after it on the same thread.
        scheduler.schedule(() -> batches.add(Set.of("marker")), 100, TimeUnit.MILLISECONDS);
        assertThat(batches.poll(10, TimeUnit.SECONDS)).containsExactly("marker");
    }
}
