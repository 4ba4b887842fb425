package org.meshfold.bench;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import org.meshfold.bench.Results.Metric;

/**
 * One large incompressible file. Phase 1 ({@link InitialSync}): the receiver gets the file; timed
 * from the sender's start, so its start-up and full scan are included. Phase 2, with both devices
 * still running: {@code INSERT_BYTES} new bytes are inserted at an unaligned offset in the middle
 * of the sender's file (a new copy renamed over it, as an editor saves); timed from the rename
 * until the receiver has the new content, with the bytes the devices exchanged meanwhile.
 */
final class LargeFileScenario {
    static final int INSERT_BYTES = 1 << 20;
    /** Off every page, block and power-of-two boundary. */
    private static final long OFFSET_SKEW = 12_345;
    private static final Duration QUIET = Duration.ofSeconds(1);

    private final long size;
    private final long insertOffset;
    private final Duration timeout;
    private final Metric sync;
    private final Metric connected;
    private final Metric firstWrite;
    private final Metric transferRate;
    private final Metric scanTime;
    private final Metric scanRate;
    private final Metric wire;
    private final Metric insertSync;
    private final Metric insertDown;
    private final Metric insertUp;
    private final Metric insertTotal;
    private final Metric rssSender;
    private final Metric rssReceiver;

    LargeFileScenario(long size, Duration timeout, Results results) {
        this.size = size;
        this.insertOffset = size / 2 + OFFSET_SKEW;
        this.timeout = timeout;
        String file = Sizes.binary(size) + " file";
        String insert = "1 MiB insert";
        sync = results.declare(new Metric(file + ": initial sync", "s", 2));
        connected = results.declare(new Metric(file + ":   receiver connected", "s", 2));
        firstWrite = results.declare(new Metric(file + ":   receiver starts writing", "s", 2));
        transferRate = results.declare(new Metric(file + ":   transfer rate (first write to done)", "MiB/s", 0));
        scanTime = results.declare(new Metric(file + ":   sender full scan", "s", 2));
        scanRate = results.declare(new Metric(file + ":   sender scan+hash throughput", "MiB/s", 0));
        wire = results.declare(new Metric(file + ":   bytes on the wire, both ways", "MiB", 1));
        insertSync = results.declare(new Metric(insert + ": sync time after the rename", "s", 2));
        insertDown = results.declare(new Metric(insert + ":   wire sender->receiver", "KiB", 0));
        insertUp = results.declare(new Metric(insert + ":   wire receiver->sender", "KiB", 0));
        insertTotal = results.declare(new Metric(insert + ":   wire total", "KiB", 0));
        rssSender = results.declare(new Metric(file + " run: peak RSS sender", "MiB", 0));
        rssReceiver = results.declare(new Metric(file + " run: peak RSS receiver", "MiB", 0));
    }

    String description() {
        return Sizes.binary(size) + " incompressible file, then a 1 MiB insert at offset "
                + String.format(Locale.ROOT, "%,d", insertOffset);
    }

    void run(Path dir, Results results, PrintStream progress) throws Exception {
        try (DevicePair pair = DevicePair.create(dir)) {
            Map<String, Datasets.Expected> expected = Datasets.largeFile(pair.senderFolder(), size);
            InitialSync initial = InitialSync.run(pair, expected, timeout);

            CountingRelay relay = pair.relay();
            long downBefore = relay.bytesFromTarget();
            long upBefore = relay.bytesToTarget();
            Map<String, Datasets.Expected> edited = Datasets.insert(pair.senderFolder(), Datasets.LARGE_NAME,
                    insertOffset, INSERT_BYTES, dir);
            long renamed = System.nanoTime();
            FolderProbe.Timeline insert = FolderProbe.awaitMatch(pair.receiverFolder(), edited, renamed, timeout,
                    pair::checkAlive);
            FolderProbe.verifyContent(pair.receiverFolder(), edited);
            relay.awaitQuiet(QUIET, timeout);
            long down = relay.bytesFromTarget() - downBefore;
            long up = relay.bytesToTarget() - upBefore;
            SyncPair.PeakRss rss = pair.stop();

            FolderProbe.Timeline t = initial.timeline();
            results.add(sync, t.matchedSeconds());
            results.add(connected, initial.connectedSeconds());
            results.add(firstWrite, t.firstWriteSeconds());
            results.add(transferRate, size / Sizes.MIB / (t.matchedSeconds() - t.firstWriteSeconds()));
            results.add(scanTime, initial.scan().scanMillis() / 1000.0);
            results.add(scanRate, initial.scan().mibPerSecond());
            results.add(wire, initial.wireBytes() / Sizes.MIB);
            results.add(insertSync, insert.matchedSeconds());
            results.add(insertDown, down / Sizes.KIB);
            results.add(insertUp, up / Sizes.KIB);
            results.add(insertTotal, (down + up) / Sizes.KIB);
            results.add(rssSender, rss.senderBytes() / Sizes.MIB);
            results.add(rssReceiver, rss.receiverBytes() / Sizes.MIB);
            progress.printf(Locale.ROOT, "  initial sync %.2f s (connected %.2f s, scan %.2f s), insert %.2f s /"
                            + " %,.0f KiB on the wire, peak RSS %.0f / %.0f MiB%n", t.matchedSeconds(),
                    initial.connectedSeconds(), initial.scan().scanMillis() / 1000.0, insert.matchedSeconds(),
                    (down + up) / Sizes.KIB, rss.senderBytes() / Sizes.MIB, rss.receiverBytes() / Sizes.MIB);
        }
    }
}
