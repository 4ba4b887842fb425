package org.meshfold.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

class SharedWorkTest {

    @Test
    void run_helpersOnOtherThreads_everyTaskOnceWithItsResult() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            AtomicIntegerArray calls = new AtomicIntegerArray(1_000);

            boolean[] done = SharedWork.run(1_000, 3, pool, i -> {
                calls.incrementAndGet(i);
                return i % 3 == 0;
            });

            for (int i = 0; i < 1_000; i++) {
                assertThat(calls.get(i)).as("calls of task %d", i).isEqualTo(1);
                assertThat(done[i]).isEqualTo(i % 3 == 0);
            }
        } finally {
            pool.shutdownNow();
            assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void run_helpersNeverStarted_callerDoesEverythingAndLateHelpersDoNothing() throws Exception {
        List<Runnable> queued = new ArrayList<>();
        AtomicIntegerArray calls = new AtomicIntegerArray(50);

        boolean[] done = SharedWork.run(50, 2, queued::add, i -> {
            calls.incrementAndGet(i);
            return true;
        });
        queued.forEach(Runnable::run);

        assertThat(queued).hasSize(2);
        assertThat(done).containsOnly(true);
        for (int i = 0; i < 50; i++) {
            assertThat(calls.get(i)).isEqualTo(1);
        }
    }

    @Test
    void run_taskFails_itsExceptionThrownAndNoFurtherTasksStart() {
        AtomicIntegerArray calls = new AtomicIntegerArray(100);

        assertThatThrownBy(() -> SharedWork.run(100, 0, Runnable::run, i -> {
            calls.incrementAndGet(i);
            if (i == 10) {
                throw new IOException("disk full");
            }
            return true;
        })).isInstanceOf(IOException.class).hasMessage("disk full");
        assertThat(calls.get(11)).isZero();
    }
}
