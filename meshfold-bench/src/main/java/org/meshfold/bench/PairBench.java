package org.meshfold.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeoutException;

/**
 * The scenarios for a tool that runs as two daemons ({@link SyncPair}). Every session starts
 * from fresh homes, an empty receiver and a sender folder linked from the master data; an initial
 * sync is timed from starting the sender until the receiver holds exactly the expected names and
 * sizes (both start-ups, the sender's scan and hashing included), then the traffic must stop for
 * a second and the receiver's tree hash must match.
 */
final class PairBench {
    /** Creates a pair's homes and folders under a directory. */
    interface Factory {
        SyncPair create(Path dir) throws IOException, InterruptedException;
    }

    private static final Duration QUIET = Duration.ofSeconds(1);

    private final String tool;
    private final Factory factory;
    private final CompareOptions options;
    private final CompareRows rows;
    private final Comparison table;
    private final PrintStream progress;

    PairBench(String tool, Factory factory, CompareOptions options, CompareRows rows, Comparison table,
            PrintStream progress) {
        this.tool = tool;
        this.factory = factory;
        this.options = options;
        this.rows = rows;
        this.table = table;
        this.progress = progress;
    }

    /**
     * The large file: initial sync; then, both daemons still running, the 1 MiB insert (a new copy
     * renamed over the sender's file, timed from the rename); then {@code latencyFiles} new files.
     */
    void large(Path dir, MasterData data, int latencyFiles) throws Exception {
        try (SyncPair pair = factory.create(dir)) {
            Initial initial = initialSync(pair, data, rows.large);
            Optional<ScanLog.Scan> scan = pair.senderFullScan(options.timeout());
            scan.ifPresent(s -> table.add(rows.largeScan, tool, s.mibPerSecond()));

            long before = pair.relay().totalBytes();
            Map<String, Datasets.Expected> expected = new TreeMap<>(data.files());
            expected.putAll(Datasets.insert(pair.senderFolder(), Datasets.LARGE_NAME, options.insertOffset(),
                    LargeFileScenario.INSERT_BYTES, dir));
            long renamed = System.nanoTime();
            FolderProbe.Timeline insert = FolderProbe.awaitMatch(pair.receiverFolder(), expected, renamed,
                    options.timeout(), pair::checkAlive, pair::isToolFile);
            long insertWire = pair.relay().awaitQuiet(QUIET, options.timeout()) - before;
            TreeHash.verify(pair.receiverFolder(), expected, pair::isToolFile);
            table.add(rows.insertSync, tool, insert.matchedSeconds());
            table.add(rows.insertWire, tool, insertWire / Sizes.KIB);
            Optional<ScanLog.Scan> rehash = pair.senderChangeScan(options.timeout());
            rehash.ifPresent(s -> table.add(rows.insertRehash, tool, s.mibPerSecond()));

            String latency = "";
            if (latencyFiles > 0) {
                List<Double> millis = LatencyProbe.run(pair, latencyFiles, expected, options.timeout());
                pair.relay().awaitQuiet(QUIET, options.timeout());
                TreeHash.verify(pair.receiverFolder(), expected, pair::isToolFile);
                table.add(rows.latencyP50, tool, Comparison.percentile(millis, 50));
                table.add(rows.latencyP95, tool, Comparison.percentile(millis, 95));
                latency = String.format(Locale.ROOT, "; new file p50 %.0f ms, p95 %.0f ms", Comparison.percentile(
                        millis, 50), Comparison.percentile(millis, 95));
            }
            SyncPair.PeakRss rss = pair.stop();
            addRss(rows.largeRss, rss);
            progress.printf(Locale.ROOT, "  %s: %s%s; insert %.2f s, %,.0f KiB%s%s; peak RSS %.0f / %.0f MiB%n",
                    tool, initial, scan.map(s -> String.format(Locale.ROOT, " (scan %.0f MiB/s)", s.mibPerSecond()))
                            .orElse(""), insert.matchedSeconds(), insertWire / Sizes.KIB,
                    rehash.map(s -> String.format(Locale.ROOT, " (re-hash %.0f MiB/s)", s.mibPerSecond())).orElse(""),
                    latency,
                    rss.senderBytes() / Sizes.MIB, rss.receiverBytes() / Sizes.MIB);
        }
    }

    /** A set of files: initial sync only. */
    void files(Path dir, MasterData data, CompareRows.Initial initialRows, CompareRows.Rss rssRows) throws Exception {
        try (SyncPair pair = factory.create(dir)) {
            Initial initial = initialSync(pair, data, initialRows);
            SyncPair.PeakRss rss = pair.stop();
            addRss(rssRows, rss);
            progress.printf(Locale.ROOT, "  %s: %s; peak RSS %.0f / %.0f MiB%n", tool, initial,
                    rss.senderBytes() / Sizes.MIB, rss.receiverBytes() / Sizes.MIB);
        }
    }

    private record Initial(double seconds, double connectedSeconds, long wireBytes, TreeHash hash) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "initial sync %.2f s (connected after %.2f s), %,.1f MiB on the wire,"
                    + " tree %s", seconds, connectedSeconds, wireBytes / Sizes.MIB, hash.shortHex());
        }
    }

    private Initial initialSync(SyncPair pair, MasterData data, CompareRows.Initial initialRows)
            throws IOException, InterruptedException, TimeoutException {
        data.linkInto(pair.senderFolder());
        DirtyPages.flush();
        long start = System.nanoTime();
        pair.start(options.timeout());
        FolderProbe.Timeline t = FolderProbe.awaitMatch(pair.receiverFolder(), data.files(), start,
                options.timeout(), pair::checkAlive, pair::isToolFile);
        long wire = pair.relay().awaitQuiet(QUIET, options.timeout());
        TreeHash hash = TreeHash.verify(pair.receiverFolder(), data.files(), pair::isToolFile);
        long connected = pair.relay().firstConnectedNanos().orElseThrow(() -> new IllegalStateException(
                "the receiver synced without a connection through the relay: check that the sender has no address"
                        + " for it"));
        Initial initial = new Initial(t.matchedSeconds(), (connected - start) / 1e9, wire, hash);
        table.add(initialRows.sync(), tool, initial.seconds());
        table.add(initialRows.connected(), tool, initial.connectedSeconds());
        table.add(initialRows.wire(), tool, wire / Sizes.MIB);
        return initial;
    }

    private void addRss(CompareRows.Rss rssRows, SyncPair.PeakRss rss) {
        table.add(rssRows.sender(), tool, rss.senderBytes() / Sizes.MIB);
        table.add(rssRows.receiver(), tool, rss.receiverBytes() / Sizes.MIB);
    }
}
