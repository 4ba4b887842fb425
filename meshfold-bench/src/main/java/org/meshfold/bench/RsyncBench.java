package org.meshfold.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeoutException;

/**
 * The scenarios for rsync pushing to an rsync daemon ({@link RsyncPeer}), with or without
 * {@code --fsync}. Every session starts a fresh daemon on an empty module, with a source folder
 * linked from the master data; a sync is the wall time of one {@code rsync -a} run (the daemon is
 * already running; rsync has no watcher, so it is started right after a change), then the
 * module's tree hash must match.
 */
final class RsyncBench {
    private static final Duration QUIET = Duration.ofMillis(200);

    private final String tool;
    private final boolean fsync;
    private final CompareOptions options;
    private final CompareRows rows;
    private final Comparison table;
    private final PrintStream progress;

    RsyncBench(String tool, boolean fsync, CompareOptions options, CompareRows rows, Comparison table,
            PrintStream progress) {
        this.tool = tool;
        this.fsync = fsync;
        this.options = options;
        this.rows = rows;
        this.table = table;
        this.progress = progress;
    }

    /** The large file: initial push, then the 1 MiB insert (a new copy renamed over the source) pushed again. */
    void large(Path dir, MasterData data) throws Exception {
        Path source = Files.createDirectories(dir.resolve("source"));
        try (RsyncPeer peer = new RsyncPeer(dir, Files.createDirectories(dir.resolve("module")))) {
            String initial = initialSync(peer, source, data, rows.large);
            long before = peer.relay().totalBytes();
            Map<String, Datasets.Expected> expected = new TreeMap<>(data.files());
            expected.putAll(Datasets.insert(source, Datasets.LARGE_NAME, options.insertOffset(),
                    LargeFileScenario.INSERT_BYTES, dir));
            double seconds = peer.push(source, fsync, options.timeout());
            long wire = peer.relay().awaitQuiet(QUIET, options.timeout()) - before;
            TreeHash.verify(peer.destination(), expected, path -> false);
            table.add(rows.insertSync, tool, seconds);
            table.add(rows.insertWire, tool, wire / Sizes.KIB);
            SyncPair.PeakRss rss = stop(peer, rows.largeRss);
            progress.printf(Locale.ROOT, "  %s: %s; insert %.2f s, %,.0f KiB; peak RSS %.0f / %.0f MiB%n", tool,
                    initial, seconds, wire / Sizes.KIB, rss.senderBytes() / Sizes.MIB, rss.receiverBytes() / Sizes.MIB);
        }
    }

    /** A set of files: initial push only. */
    void files(Path dir, MasterData data, CompareRows.Initial initialRows, CompareRows.Rss rssRows) throws Exception {
        Path source = Files.createDirectories(dir.resolve("source"));
        try (RsyncPeer peer = new RsyncPeer(dir, Files.createDirectories(dir.resolve("module")))) {
            String initial = initialSync(peer, source, data, initialRows);
            SyncPair.PeakRss rss = stop(peer, rssRows);
            progress.printf(Locale.ROOT, "  %s: %s; peak RSS %.0f / %.0f MiB%n", tool, initial,
                    rss.senderBytes() / Sizes.MIB, rss.receiverBytes() / Sizes.MIB);
        }
    }

    private String initialSync(RsyncPeer peer, Path source, MasterData data, CompareRows.Initial initialRows)
            throws IOException, InterruptedException, TimeoutException {
        data.linkInto(source);
        peer.start(options.timeout());
        DirtyPages.flush();
        double seconds = peer.push(source, fsync, options.timeout());
        long wire = peer.relay().awaitQuiet(QUIET, options.timeout());
        TreeHash hash = TreeHash.verify(peer.destination(), data.files(), path -> false);
        table.add(initialRows.sync(), tool, seconds);
        table.add(initialRows.wire(), tool, wire / Sizes.MIB);
        return String.format(Locale.ROOT, "initial sync %.2f s, %,.1f MiB on the wire, tree %s", seconds,
                wire / Sizes.MIB, hash.shortHex());
    }

    /** Sender: the rsync client; receiver: the daemon side. */
    private SyncPair.PeakRss stop(RsyncPeer peer, CompareRows.Rss rssRows) throws IOException, InterruptedException {
        SyncPair.PeakRss rss = new SyncPair.PeakRss(peer.clientPeakRssBytes(), peer.stopDaemon());
        table.add(rssRows.sender(), tool, rss.senderBytes() / Sizes.MIB);
        table.add(rssRows.receiver(), tool, rss.receiverBytes() / Sizes.MIB);
        return rss;
    }
}
