package org.meshfold.scanner;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshfold.fs.PathNames;

class FolderWatcherTest {
    private static final Duration DEADLINE = Duration.ofSeconds(10);

    @TempDir
    Path root;

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final BlockingQueue<Set<String>> batches = new LinkedBlockingQueue<>();
    private final List<Set<String>> seen = new ArrayList<>();

    @AfterEach
    void stop() throws InterruptedException {
        scheduler.shutdownNow();
        assertThat(scheduler.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    private FolderWatcher start() throws Exception {
        FolderWatcher w = FolderWatcher.start(root, Duration.ofMillis(50), scheduler, batches::add);
        w.ready().get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
        return w;
    }

    /** Waits until a batch containing {@code name} arrives; returns that batch. */
    private Set<String> awaitName(String name) throws InterruptedException {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (true) {
            Set<String> batch = nextBatch(deadline, name);
            if (batch.contains(name)) {
                return batch;
            }
        }
    }

    private Set<String> nextBatch(long deadline, String awaited) throws InterruptedException {
        Set<String> batch = batches.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
        if (batch == null) {
            throw new AssertionError("no batch with '" + awaited + "' within " + DEADLINE + "; got " + seen);
        }
        seen.add(batch);
        return batch;
    }

    @Test
    void start_createModifyDelete_reportsNames() throws Exception {
        try (FolderWatcher w = start()) {
            assertThat(w.ready()).isDone();
            Files.writeString(root.resolve("a.txt"), "one");
            awaitName("a.txt");

            Files.createDirectories(root.resolve("d/e"));
            Files.writeString(root.resolve("d/e/b.txt"), "two");
            awaitName("d/e/b.txt");

            Files.writeString(root.resolve("a.txt"), "three");
            awaitName("a.txt");

            Files.delete(root.resolve("d/e/b.txt"));
            awaitName("d/e/b.txt");
            Files.delete(root.resolve("a.txt"));
            awaitName("a.txt");
        }
    }

    @Test
    void start_burstOfChanges_deliveredInFewBatches() throws Exception {
        try (FolderWatcher w = start()) {
            assertThat(w.ready()).isDone();
            Set<String> expected = new HashSet<>();
            for (int i = 0; i < 20; i++) {
                Files.writeString(root.resolve("f" + i), "x");
                expected.add("f" + i);
            }
            long deadline = System.nanoTime() + DEADLINE.toNanos();
            Set<String> all = new HashSet<>();
            while (!all.containsAll(expected)) {
                all.addAll(nextBatch(deadline, "f0..f19"));
            }
            assertThat(seen.size()).as("batches for 20 quick writes").isLessThan(20);
        }
    }

    @Test
    void start_tempNames_notReported() throws Exception {
        try (FolderWatcher w = start()) {
            assertThat(w.ready()).isDone();
            Files.writeString(root.resolve(PathNames.tempName("partial")), "x");
            Files.createDirectories(root.resolve("sub"));
            Files.writeString(root.resolve("sub/" + PathNames.tempName("inner")), "x");
            Files.writeString(root.resolve("after"), "x");
            awaitName("after");
            assertThat(seen).allSatisfy(batch -> assertThat(batch).noneMatch(n -> n.contains(PathNames.TEMP_PREFIX)));
        }
    }

    @Test
    void close_stopsDelivery() throws Exception {
        FolderWatcher w = start();
        w.close();
        Files.writeString(root.resolve("late"), "x");
        // The scheduler runs tasks in order: once this marker ran, any delivery would have too.
        scheduler.schedule(() -> batches.add(Set.of("marker")), 200, TimeUnit.MILLISECONDS);
        assertThat(awaitName("marker")).containsExactly("marker");
        assertThat(seen).hasSize(1);
    }

    @Test
    void nameOf_mapsPathsToFolderNames() throws IOException {
        Path r = root.toAbsolutePath();
        assertThat(FolderWatcher.nameOf(r, r)).isEmpty();
        assertThat(FolderWatcher.nameOf(r, r.resolve("a/b"))).isEqualTo("a/b");
        assertThat(FolderWatcher.nameOf(r, r.resolve("e\u0301"))).isEqualTo("\u00e9");
        assertThat(FolderWatcher.nameOf(r, r.resolve("a/" + PathNames.tempName("x")))).isNull();
        assertThat(FolderWatcher.nameOf(r, r.getParent())).isNull();
    }
}
