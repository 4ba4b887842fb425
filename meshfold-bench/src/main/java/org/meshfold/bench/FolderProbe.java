package org.meshfold.bench;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import org.meshfold.fs.PathNames;

/**
 * Watches a receiving folder from outside, the way a user would see it: polls its regular files
 * (names and sizes, meshfold temp files aside) until they are exactly the expected ones, then
 * checks every file's SHA-256. A poll costs a directory walk, so polls are spaced at least four
 * walks apart to leave the devices most of the CPU.
 */
final class FolderProbe {
    private static final long MIN_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    /** A check run between polls, e.g. that the devices are still running. */
    interface Check {
        void run() throws IOException;
    }

    /**
     * Seconds from the start until the receiver first had a temp or final file, first had a
     * complete file, and held exactly the expected names and sizes. Resolution: one poll.
     */
    record Timeline(double firstWriteSeconds, double firstFileSeconds, double matchedSeconds) {
    }

    private record Listing(Map<String, Long> sizes, boolean anyTemp) {
    }

    private FolderProbe() {
    }

    static Timeline awaitMatch(Path folder, Map<String, Datasets.Expected> expected, long startNanos,
            Duration timeout, Check check) throws IOException, InterruptedException, TimeoutException {
        return awaitMatch(folder, expected, startNanos, timeout, check,
                relative -> PathNames.isTemp(relative.substring(relative.lastIndexOf('/') + 1)));
    }

    /**
     * As above, for any tool: {@code toolFile} tells which folder-relative paths are the tool's own
     * (in-progress downloads, markers); they count as writes but are not compared.
     */
    static Timeline awaitMatch(Path folder, Map<String, Datasets.Expected> expected, long startNanos,
            Duration timeout, Check check, Predicate<String> toolFile)
            throws IOException, InterruptedException, TimeoutException {
        Map<String, Long> wanted = new HashMap<>();
        expected.forEach((name, e) -> wanted.put(name, e.size()));
        long deadline = startNanos + timeout.toNanos();
        long firstWrite = -1;
        long firstFile = -1;
        while (true) {
            long before = System.nanoTime();
            Listing listing = list(folder, toolFile);
            long now = System.nanoTime();
            if (firstWrite < 0 && (listing.anyTemp() || !listing.sizes().isEmpty())) {
                firstWrite = now;
            }
            if (firstFile < 0 && listing.sizes().entrySet().stream()
                    .anyMatch(e -> e.getValue().equals(wanted.get(e.getKey())))) {
                firstFile = now;
            }
            if (listing.sizes().equals(wanted)) {
                return new Timeline(seconds(firstWrite - startNanos), seconds(firstFile - startNanos),
                        seconds(now - startNanos));
            }
            check.run();
            if (now > deadline) {
                throw new TimeoutException("after " + timeout.toSeconds() + " s, " + folder + " has "
                        + listing.sizes().size() + " of " + wanted.size() + " files with the expected size");
            }
            Thread.sleep(TimeUnit.NANOSECONDS.toMillis(Math.max(MIN_POLL_NANOS, 4 * (now - before))));
        }
    }

    /** Fails with the first file whose content differs from what was expected. */
    static void verifyContent(Path folder, Map<String, Datasets.Expected> expected) throws IOException {
        for (var e : expected.entrySet()) {
            String actual = Datasets.sha256Of(folder.resolve(e.getKey()));
            if (!actual.equals(e.getValue().sha256())) {
                throw new IOException(folder.resolve(e.getKey()) + " has SHA-256 " + actual + ", expected "
                        + e.getValue().sha256() + ": the receiver's content is wrong");
            }
        }
    }

    private static Listing list(Path root, Predicate<String> toolFile) throws IOException {
        Map<String, Long> sizes = new HashMap<>();
        boolean[] anyTemp = {false};
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                String relative = root.relativize(file).toString();
                if (toolFile.test(relative)) {
                    anyTemp[0] = true;
                } else if (attrs.isRegularFile()) {
                    sizes.put(relative, attrs.size());
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                // A temp file renamed or removed between listing and stat: the next poll sees the result.
                return FileVisitResult.CONTINUE;
            }
        });
        return new Listing(sizes, anyTemp[0]);
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }
}
