package org.meshfold.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.meshfold.bench.CompareOptions.Scenario;
import org.meshfold.bench.CompareOptions.Tool;

/**
 * meshfold side by side with Syncthing and rsync, same machine, same run, same data. Scenarios
 * (deterministic data, generated once per invocation and hard-linked into every sender folder):
 * <ul>
 *   <li>large: initial sync of a 1 GiB incompressible file; then 1 MiB inserted at an unaligned
 *       offset near 300 MiB (a new copy renamed over the file); then, in the first run, 20 new
 *       1 KiB files one at a time, each timed until it is visible on the peer (p50, p95);
 *   <li>medium: initial sync of 2,000 files totalling 500 MiB in 20 directories;
 *   <li>small: initial sync of 20,000 files of 1-4 KiB in 200 directories.
 * </ul>
 * Tools: meshfold (two {@code meshfold run} daemons with default settings, {@link DevicePair});
 * Syncthing (two instances, file watcher on, discovery, relays and NAT off, {@link SyncthingPair});
 * rsync pushing to an rsync daemon, without and with {@code --fsync} ({@link RsyncBench}). Every
 * run of every scenario with every tool uses fresh homes and folders, and ends by comparing the
 * receiver's tree hash (relative paths and content) with the data's. Runs interleave the tools, so
 * load that changes over time affects all of them alike.
 *
 * <p>Measured: time per scenario (for the daemons from starting the sender, so both start-ups,
 * the scan and hashing are included; for rsync the client's wall time against a running daemon);
 * meshfold's scan+hash throughput from its log (the full scan at start-up, the re-hash after the
 * insert); bytes on the wire, counted by a TCP relay between the two sides ({@link CountingRelay}); peak
 * RSS ({@code VmHWM}) of each side. Printed: a table of medians with meshfold/other ratios, then
 * every run's values.
 *
 * <p>Run from the repository root with {@code bench/compare.sh [options]} (installs Syncthing,
 * rsync and GNU time when missing, builds, then runs this class); {@code --help} lists the options.
 * The default, 3 runs, takes 18-26 minutes on 2 cores (more under other load) and needs about
 * 6 GiB free in the work directory. Progress goes to stderr, the table to stdout.
 */
public final class CompareBench {
    private static final String MESHFOLD = "meshfold";
    static final int MEDIUM_DIRS = 20;

    private CompareBench() {
    }

    public static void main(String[] args) throws Exception {
        CompareOptions options;
        try {
            options = CompareOptions.parse(List.of(args));
        } catch (BenchOptions.UsageException e) {
            if (!e.getMessage().isEmpty()) {
                System.err.println(e.getMessage());
            }
            System.err.println(CompareOptions.USAGE);
            System.exit(e.getMessage().isEmpty() ? 0 : 2);
            return;
        }
        // Ctrl-C or a kill of this harness must not leave daemons behind.
        Runtime.getRuntime().addShutdownHook(new Thread(() ->
                ProcessHandle.current().descendants().forEach(ProcessHandle::destroy)));
        System.exit(run(options, System.out, System.err));
    }

    static int run(CompareOptions options, PrintStream out, PrintStream progress) throws Exception {
        long started = System.nanoTime();
        Map<Tool, String> columns = columns(options.tools());
        Map<String, String> shortNames = new LinkedHashMap<>();
        columns.forEach((tool, column) -> shortNames.put(column, tool == Tool.MESHFOLD ? "mf" : tool == Tool.SYNCTHING
                ? "Syncthing" : column));
        Comparison table = new Comparison(List.copyOf(columns.values()),
                columns.containsKey(Tool.MESHFOLD) ? MESHFOLD : null, shortNames);
        CompareRows rows = new CompareRows(options, table);

        Files.createDirectories(options.workDir());
        Path base = Files.createTempDirectory(options.workDir(), "meshfold-compare-");
        List<String> failures = new ArrayList<>();
        try {
            Map<Scenario, MasterData> data = generate(options, base.resolve("data"), progress);
            DirtyPages.flush();
            for (int run = 1; run <= options.runs(); run++) {
                for (Scenario scenario : Scenario.values()) {
                    if (!data.containsKey(scenario)) {
                        continue;
                    }
                    progress.printf("run %d/%d, %s: %s%n", run, options.runs(), scenario.id,
                            describe(scenario, options));
                    for (Tool tool : options.tools()) {
                        Path dir = Files.createDirectories(base.resolve("run-" + run).resolve(scenario.id + "-"
                                + tool.id));
                        try {
                            session(tool, columns.get(tool), scenario, data.get(scenario), run, dir, options, rows,
                                    table, progress);
                            cleanUp(options, dir);
                        } catch (Exception e) {
                            String failure = String.format(Locale.ROOT, "run %d, %s, %s: %s (its data, homes and"
                                    + " logs are kept in %s)", run, scenario.id, columns.get(tool), e, dir);
                            failures.add(failure);
                            progress.println("  FAILED " + failure);
                        }
                    }
                }
            }
        } finally {
            if (!options.keep()) {
                FileTrees.delete(base.resolve("data"));
            }
        }
        CompareHeader.print(out, options, columns, Duration.ofNanos(System.nanoTime() - started));
        table.printMedians(out);
        out.println();
        out.println("every run:");
        table.printRuns(out);
        if (!failures.isEmpty()) {
            out.println();
            out.println("FAILED (" + failures.size() + "):");
            failures.forEach(f -> out.println("  " + f));
        } else if (!options.keep()) {
            FileTrees.delete(base);
        }
        if (options.keep()) {
            progress.println("data, homes, folders and logs kept in " + base);
        }
        return failures.isEmpty() ? 0 : 1;
    }

    private static void session(Tool tool, String column, Scenario scenario, MasterData data, int run, Path dir,
            CompareOptions options, CompareRows rows, Comparison table, PrintStream progress) throws Exception {
        int latencyFiles = run == 1 ? options.latencyFiles() : 0;
        switch (tool) {
            case MESHFOLD, SYNCTHING -> {
                PairBench bench = new PairBench(column, tool == Tool.MESHFOLD ? DevicePair::create
                        : SyncthingPair::create, options, rows, table, progress);
                switch (scenario) {
                    case LARGE -> bench.large(dir, data, latencyFiles);
                    case MEDIUM -> bench.files(dir, data, rows.medium, rows.mediumRss);
                    case SMALL -> bench.files(dir, data, rows.small, rows.smallRss);
                }
            }
            case RSYNC, RSYNC_FSYNC -> {
                RsyncBench bench = new RsyncBench(column, tool == Tool.RSYNC_FSYNC, options, rows, table, progress);
                switch (scenario) {
                    case LARGE -> bench.large(dir, data);
                    case MEDIUM -> bench.files(dir, data, rows.medium, rows.mediumRss);
                    case SMALL -> bench.files(dir, data, rows.small, rows.smallRss);
                }
            }
        }
    }

    private static Map<Tool, String> columns(List<Tool> tools) throws IOException, InterruptedException {
        Map<Tool, String> columns = new LinkedHashMap<>();
        for (Tool tool : tools) {
            columns.put(tool, switch (tool) {
                case MESHFOLD -> MESHFOLD;
                case SYNCTHING -> "Syncthing " + SyncthingPair.version();
                case RSYNC -> "rsync";
                case RSYNC_FSYNC -> "rsync --fsync";
            });
        }
        return columns;
    }

    private static Map<Scenario, MasterData> generate(CompareOptions o, Path root, PrintStream progress)
            throws IOException {
        Map<Scenario, MasterData> data = new EnumMap<>(Scenario.class);
        for (Scenario s : o.scenarios()) {
            long start = System.nanoTime();
            Path dir = root.resolve(s.id);
            data.put(s, switch (s) {
                case LARGE -> MasterData.generate(dir, d -> Datasets.largeFile(d, o.largeBytes()));
                case MEDIUM -> MasterData.generate(dir, d -> Datasets.mediumFiles(d, o.mediumFiles(), o.mediumBytes(),
                        Math.min(MEDIUM_DIRS, o.mediumFiles())));
                case SMALL -> MasterData.generate(dir, d -> Datasets.smallFiles(d, o.smallFiles(),
                        Math.min(SmallFilesScenario.DIRS, o.smallFiles())));
            });
            progress.printf(Locale.ROOT, "data set %s generated in %.1f s: %s, tree hash %s%n", s.id,
                    (System.nanoTime() - start) / 1e9, describe(s, o), data.get(s).treeHash().shortHex());
        }
        return data;
    }

    static String describe(Scenario s, CompareOptions o) {
        return switch (s) {
            case LARGE -> String.format(Locale.ROOT, "%s incompressible file; 1 MiB inserted at offset %,d;"
                    + " %d new 1 KiB files in the first run", Sizes.binary(o.largeBytes()), o.insertOffset(),
                    o.latencyFiles());
            case MEDIUM -> String.format(Locale.ROOT, "%,d incompressible files totalling %s in %d directories",
                    o.mediumFiles(), Sizes.binary(o.mediumBytes()), Math.min(MEDIUM_DIRS, o.mediumFiles()));
            case SMALL -> String.format(Locale.ROOT, "%,d incompressible files of 1-4 KiB in %d directories",
                    o.smallFiles(), Math.min(SmallFilesScenario.DIRS, o.smallFiles()));
        };
    }

    /** Frees the space of a finished session; its many small files go with the rest at the end. */
    private static void cleanUp(CompareOptions options, Path dir) throws IOException, InterruptedException {
        if (!options.keep()) {
            FileTrees.deleteLargeFiles(dir);
        }
        DirtyPages.flush();
    }
}
