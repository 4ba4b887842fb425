package org.meshfold.it.traversal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.meshfold.it.Await;
import org.meshfold.it.TestData;

/**
 * Keeps a sync going: writes a new 4 KiB file into a directory of the sender's folder every
 * {@value #PERIOD_MILLIS} ms until closed, so that there is always something in flight between the
 * devices (index updates, requests, blocks) when a fault strikes.
 */
final class SteadyWriter implements AutoCloseable {
    static final long PERIOD_MILLIS = 100;
    private static final int SIZE = 4096;

    private final Path dir;
    private final String subdirectory;
    private final AtomicInteger written = new AtomicInteger();
    private final ScheduledExecutorService writer = Executors.newSingleThreadScheduledExecutor();

    private SteadyWriter(Path folder, String subdirectory) {
        this.dir = folder.resolve(subdirectory);
        this.subdirectory = subdirectory;
    }

    /** Starts writing into {@code subdirectory} of {@code folder}. */
    static SteadyWriter start(Path folder, String subdirectory) throws IOException {
        SteadyWriter w = new SteadyWriter(folder, subdirectory);
        Files.createDirectories(w.dir);
        w.writer.scheduleAtFixedRate(w::writeNext, 0, PERIOD_MILLIS, TimeUnit.MILLISECONDS);
        return w;
    }

    private void writeNext() {
        int n = written.get() + 1;
        try {
            TestData.writeFile(dir.resolve(String.format("s%05d.bin", n)), n, SIZE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the steady file " + n + " in " + dir, e);
        }
        written.set(n);
    }

    /** Files written so far. */
    int written() {
        return written.get();
    }

    /** Stops writing, then waits until {@code receiverFolder} holds every file written. */
    void stopAndAwaitAll(Path receiverFolder, Duration timeout, FaultPair pair) {
        close();
        Path there = receiverFolder.resolve(subdirectory);
        Await.until("the receiver to hold all " + written() + " files of " + subdirectory, timeout,
                Duration.ofMillis(250), () -> count(there) == written(), pair::describe);
    }

    private static long count(Path dir) {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> !p.getFileName().toString().startsWith(".meshfold-tmp-")).count();
        } catch (IOException e) {
            return -1;
        }
    }

    @Override
    public void close() {
        writer.shutdown();
        try {
            if (!writer.awaitTermination(10, TimeUnit.SECONDS)) {
                throw new AssertionError("the steady writer of " + dir + " did not stop");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
