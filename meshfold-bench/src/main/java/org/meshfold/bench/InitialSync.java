package org.meshfold.bench;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeoutException;

/**
 * The first phase of every scenario: the sender has the data, the receiver's folder is empty;
 * starts both devices and waits until the receiver has every file, verified by SHA-256, and the
 * devices have stopped talking.
 *
 * @param timeline         seconds from the sender's start (receiver's first write, first file, all files)
 * @param connectedSeconds seconds from the sender's start until the receiver's connection reached it
 * @param scan             the sender's full scan of the data
 * @param wireBytes        bytes the devices exchanged, both ways
 */
record InitialSync(FolderProbe.Timeline timeline, double connectedSeconds, ScanLog.Scan scan, long wireBytes) {
    private static final Duration QUIET = Duration.ofSeconds(1);

    static InitialSync run(DevicePair pair, Map<String, Datasets.Expected> expected, Duration timeout)
            throws IOException, InterruptedException, TimeoutException {
        long start = System.nanoTime();
        pair.start(timeout);
        FolderProbe.Timeline timeline = FolderProbe.awaitMatch(pair.receiverFolder(), expected, start, timeout,
                pair::checkAlive);
        FolderProbe.verifyContent(pair.receiverFolder(), expected);
        ScanLog.Scan scan = ScanLog.awaitFirstFullScan(pair.senderLog(), DevicePair.FOLDER_ID, timeout);
        long wire = pair.relay().awaitQuiet(QUIET, timeout);
        long connected = pair.relay().firstConnectedNanos()
                .orElseThrow(() -> new IllegalStateException("the receiver synced without a connection through the"
                        + " relay: check that only the relay's address is configured for the sender"));
        return new InitialSync(timeline, (connected - start) / 1e9, scan, wire);
    }

    /** Seconds from the receiver's connection until it had every file. */
    double afterConnectSeconds() {
        return timeline.matchedSeconds() - connectedSeconds;
    }
}
