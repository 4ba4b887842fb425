package org.meshfold.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;

/**
 * Change propagation latency: writes new small files into the sender's folder one at a time and
 * times each until it is visible on the receiver with its full size. Before each file the devices
 * must have been quiet on the wire for a moment, so every file starts from an idle pair.
 */
final class LatencyProbe {
    static final int FILE_BYTES = 1024;
    private static final Duration IDLE = Duration.ofMillis(300);
    private static final long POLL_MILLIS = 5;

    private LatencyProbe() {
    }

    /**
     * Times {@code files} new files; adds each to {@code expected} and returns the latencies in
     * milliseconds. Resolution: {@value #POLL_MILLIS} ms (one stat of the file per poll).
     */
    static List<Double> run(SyncPair pair, int files, Map<String, Datasets.Expected> expected, Duration timeout)
            throws IOException, InterruptedException, TimeoutException {
        List<Double> millis = new ArrayList<>();
        for (int i = 0; i < files; i++) {
            pair.relay().awaitQuiet(IDLE, timeout);
            long start = System.nanoTime();
            Datasets.Expected file = Datasets.newFile(pair.senderFolder(), i, FILE_BYTES);
            String name = Datasets.newFileName(i);
            awaitVisible(pair, pair.receiverFolder().resolve(name), file.size(), start + timeout.toNanos());
            millis.add((System.nanoTime() - start) / 1e6);
            expected.put(name, file);
        }
        return millis;
    }

    private static void awaitVisible(SyncPair pair, Path file, long size, long deadline)
            throws IOException, InterruptedException, TimeoutException {
        while (true) {
            try {
                if (Files.size(file) == size) {
                    return;
                }
            } catch (NoSuchFileException notYet) {
                // Not there yet.
            }
            pair.checkAlive();
            if (System.nanoTime() > deadline) {
                throw new TimeoutException(file + " did not appear with " + size + " bytes in time");
            }
            Thread.sleep(POLL_MILLIS);
        }
    }
}
