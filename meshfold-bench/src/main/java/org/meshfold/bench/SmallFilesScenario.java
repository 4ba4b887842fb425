package org.meshfold.bench;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import org.meshfold.bench.Results.Metric;

/**
 * Many small incompressible files (1-4 KiB, uniform) spread over {@code DIRS} directories, synced
 * to an empty receiver ({@link InitialSync}); timed from the sender's start, so its start-up and
 * full scan are included.
 */
final class SmallFilesScenario {
    static final int DIRS = 200;

    private final int files;
    private final Duration timeout;
    private final Metric sync;
    private final Metric connected;
    private final Metric firstFile;
    private final Metric afterConnect;
    private final Metric scanTime;
    private final Metric scanRate;
    private final Metric commitTime;
    private final Metric wire;
    private final Metric rssSender;
    private final Metric rssReceiver;

    SmallFilesScenario(int files, Duration timeout, Results results) {
        this.files = files;
        this.timeout = timeout;
        String label = String.format(Locale.ROOT, "%,d small files", files);
        sync = results.declare(new Metric(label + ": initial sync", "s", 2));
        connected = results.declare(new Metric(label + ":   receiver connected", "s", 2));
        firstFile = results.declare(new Metric(label + ":   receiver's first complete file", "s", 2));
        afterConnect = results.declare(new Metric(label + ":   files per second after connecting", "file/s", 0));
        scanTime = results.declare(new Metric(label + ":   sender full scan", "s", 2));
        scanRate = results.declare(new Metric(label + ":   sender scan+hash rate", "file/s", 0));
        commitTime = results.declare(new Metric(label + ":   sender index commit of the scan", "s", 2));
        wire = results.declare(new Metric(label + ":   bytes on the wire, both ways", "MiB", 1));
        rssSender = results.declare(new Metric(label + " run: peak RSS sender", "MiB", 0));
        rssReceiver = results.declare(new Metric(label + " run: peak RSS receiver", "MiB", 0));
    }

    String description() {
        return String.format(Locale.ROOT, "%,d incompressible files of 1-4 KiB in %d directories", files,
                Math.min(DIRS, files));
    }

    void run(Path dir, Results results, PrintStream progress) throws Exception {
        try (DevicePair pair = DevicePair.create(dir)) {
            Map<String, Datasets.Expected> expected = Datasets.smallFiles(pair.senderFolder(), files,
                    Math.min(DIRS, files));
            InitialSync initial = InitialSync.run(pair, expected, timeout);
            SyncPair.PeakRss rss = pair.stop();

            FolderProbe.Timeline t = initial.timeline();
            results.add(sync, t.matchedSeconds());
            results.add(connected, initial.connectedSeconds());
            results.add(firstFile, t.firstFileSeconds());
            results.add(afterConnect, files / initial.afterConnectSeconds());
            results.add(scanTime, initial.scan().scanMillis() / 1000.0);
            results.add(scanRate, initial.scan().filesPerSecond());
            results.add(commitTime, initial.scan().commitMillis() / 1000.0);
            results.add(wire, initial.wireBytes() / Sizes.MIB);
            results.add(rssSender, rss.senderBytes() / Sizes.MIB);
            results.add(rssReceiver, rss.receiverBytes() / Sizes.MIB);
            progress.printf(Locale.ROOT, "  initial sync %.2f s (connected %.2f s, first file %.2f s, scan %.2f s),"
                            + " %.1f MiB on the wire, peak RSS %.0f / %.0f MiB%n", t.matchedSeconds(),
                    initial.connectedSeconds(), t.firstFileSeconds(), initial.scan().scanMillis() / 1000.0,
                    initial.wireBytes() / Sizes.MIB, rss.senderBytes() / Sizes.MIB, rss.receiverBytes() / Sizes.MIB);
        }
    }
}
