package org.meshfold.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the hashing figures that a device logs: FolderRuntime's "full scan hashed" line, and its
 * "scan of N changed name(s) hashed" line for a watcher-triggered scan that hashed a lot.
 */
final class ScanLog {
    private static final long POLL_MILLIS = 100;
    private static final Pattern SCAN = Pattern.compile(
            "folder (\\S+): (full scan|scan of \\d+ changed name\\(s\\)) hashed (\\d+) new or changed file\\(s\\), (\\d+) bytes, in (\\d+) ms; "
                    + "(\\d+) change\\(s\\) committed in (\\d+) ms");

    /** One scan: files and bytes hashed, walk-and-hash time, index commit time. */
    record Scan(long files, long bytes, long scanMillis, long commitMillis) {
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
    static Scan awaitFirstFullScan(Path log, String folderId, Duration timeout)
            throws IOException, InterruptedException, TimeoutException {
        return awaitFirst(log, folderId, true, timeout);
    }

    /** The first scan of changed names of {@code folderId} that the daemon logged (one that hashed a lot). */
    static Scan awaitFirstChangeScan(Path log, String folderId, Duration timeout)
            throws IOException, InterruptedException, TimeoutException {
        return awaitFirst(log, folderId, false, timeout);
    }

    private static Scan awaitFirst(Path log, String folderId, boolean full, Duration timeout)
            throws IOException, InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (Files.exists(log)) {
                for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
                    Matcher m = SCAN.matcher(line);
                    if (m.find() && m.group(1).equals(folderId) && m.group(2).equals("full scan") == full) {
                        return new Scan(Long.parseLong(m.group(3)), Long.parseLong(m.group(4)),
                                Long.parseLong(m.group(5)), Long.parseLong(m.group(7)));
                    }
                }
            }
            if (System.nanoTime() > deadline) {
                throw new TimeoutException(log + " has no " + (full ? "full-scan" : "changed-name scan")
                        + " line for folder " + folderId + " after " + timeout.toSeconds() + " s");
            }
            Thread.sleep(POLL_MILLIS);
        }
    }
}
