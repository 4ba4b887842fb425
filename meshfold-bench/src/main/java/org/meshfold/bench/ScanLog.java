package org.meshfold.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the full-scan figures that a device logs (FolderRuntime's "full scan hashed" line). */
final class ScanLog {
    private static final long POLL_MILLIS = 100;
    private static final Pattern FULL_SCAN = Pattern.compile(
            "folder (\\S+): full scan hashed (\\d+) new or changed file\\(s\\), (\\d+) bytes, in (\\d+) ms; "
                    + "(\\d+) change\\(s\\) committed in (\\d+) ms");

    /** One full scan: files and bytes hashed, walk-and-hash time, index commit time. */
    record FullScan(long files, long bytes, long scanMillis, long commitMillis) {
        double mibPerSecond() {
            return bytes / (1024.0 * 1024.0) / Math.max(scanMillis, 1) * 1000.0;
        }

        double filesPerSecond() {
            return files * 1000.0 / Math.max(scanMillis, 1);
        }
    }

    private ScanLog() {
    }

    /**
     * The first full scan of {@code folderId} in {@code log}, waiting for the line up to
     * {@code timeout} (the daemon logs it just after the scan's changes are committed).
     */
    static FullScan awaitFirstFullScan(Path log, String folderId, Duration timeout)
            throws IOException, InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (Files.exists(log)) {
                for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
                    Matcher m = FULL_SCAN.matcher(line);
                    if (m.find() && m.group(1).equals(folderId)) {
                        return new FullScan(Long.parseLong(m.group(2)), Long.parseLong(m.group(3)),
                                Long.parseLong(m.group(4)), Long.parseLong(m.group(6)));
                    }
                }
            }
            if (System.nanoTime() > deadline) {
                throw new TimeoutException(log + " has no full-scan line for folder " + folderId + " after "
                        + timeout.toSeconds() + " s");
            }
            Thread.sleep(POLL_MILLIS);
        }
    }
}
