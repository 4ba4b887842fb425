package org.meshfold.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Options of {@link CompareBench}.
 *
 * @param runs              runs of every scenario with every tool
 * @param tools             tools to run, in table order
 * @param scenarios         scenarios to run
 * @param latencyFiles      new 1 KiB files timed one by one after the large-file insert, in the first
 *                          run only (0 skips)
 * @param largeBytes        size of the large file
 * @param insertOffset      where the 1 MiB is inserted into the large file
 * @param mediumFiles       number of files of the medium data set
 * @param mediumBytes       total size of the medium data set
 * @param smallFiles        number of small files
 * @param workDir           where the data sets and every run's homes and folders are created
 * @param timeout           limit for each phase
 * @param keep              keep all data, homes and logs instead of deleting them
 */
record CompareOptions(int runs, List<Tool> tools, Set<Scenario> scenarios, int latencyFiles, long largeBytes,
        long insertOffset, int mediumFiles, long mediumBytes, int smallFiles, Path workDir, Duration timeout,
        boolean keep) {

    /** A tool under test; {@code id} is its name on the command line. */
    enum Tool {
        MESHFOLD("meshfold"), SYNCTHING("syncthing"), RSYNC("rsync"), RSYNC_FSYNC("rsync-fsync");

        final String id;

        Tool(String id) {
            this.id = id;
        }
    }

    /** A data set and what is timed with it; {@code id} is its name on the command line. */
    enum Scenario {
        LARGE("large"), MEDIUM("medium"), SMALL("small");

        final String id;

        Scenario(String id) {
            this.id = id;
        }
    }

    static final int DEFAULT_RUNS = 3;
    /** Off every page, block and power-of-two boundary. */
    static final long OFFSET_SKEW = 12_345;

    static final String USAGE = """
            Usage: CompareBench [options]
              --runs N               runs of every scenario with every tool (default %d)
              --tools LIST           comma-separated, in table order (default meshfold,syncthing,rsync,rsync-fsync)
              --scenarios LIST       comma-separated: large (1 GiB file, 1 MiB insert, new-file latency),
                                     medium (2,000 files), small (20,000 files) (default: all)
              --latency-files N      new 1 KiB files timed one by one, first run only (default 20; 0 skips)
              --large-mib N          size of the large file in MiB (default 1024)
              --insert-offset-mib N  where the 1 MiB goes, plus 12,345 bytes (default 300)
              --medium-files N       files of the medium set (default 2000)
              --medium-mib N         total size of the medium set in MiB (default 500)
              --small-files N        files of the small set, 1-4 KiB each (default 20000)
              --work-dir DIR         where data, homes and folders are created (default: java.io.tmpdir)
              --timeout-seconds N    limit for each phase (default 300)
              --keep                 keep data, homes and logs""".formatted(DEFAULT_RUNS);

    static CompareOptions parse(List<String> args) throws BenchOptions.UsageException {
        int runs = DEFAULT_RUNS;
        List<Tool> tools = List.of(Tool.values());
        Set<Scenario> scenarios = EnumSet.allOf(Scenario.class);
        int latencyFiles = 20;
        long largeMib = 1024;
        long insertMib = 300;
        int mediumFiles = 2_000;
        long mediumMib = 500;
        int smallFiles = 20_000;
        Path workDir = Path.of(System.getProperty("java.io.tmpdir"));
        long timeoutSeconds = 300;
        boolean keep = false;
        for (int i = 0; i < args.size(); i++) {
            String option = args.get(i);
            if (option.equals("--help") || option.equals("-h")) {
                throw new BenchOptions.UsageException("");
            }
            if (option.equals("--keep")) {
                keep = true;
                continue;
            }
            if (i + 1 >= args.size()) {
                throw new BenchOptions.UsageException("unknown option or missing value: " + option);
            }
            String value = args.get(++i);
            switch (option) {
                case "--runs" -> runs = number(option, value, 1);
                case "--tools" -> tools = tools(value);
                case "--scenarios" -> scenarios = scenarios(value);
                case "--latency-files" -> latencyFiles = number(option, value, 0);
                case "--large-mib" -> largeMib = number(option, value, 4);
                case "--insert-offset-mib" -> insertMib = number(option, value, 0);
                case "--medium-files" -> mediumFiles = number(option, value, 1);
                case "--medium-mib" -> mediumMib = number(option, value, 1);
                case "--small-files" -> smallFiles = number(option, value, 1);
                case "--work-dir" -> workDir = Path.of(value);
                case "--timeout-seconds" -> timeoutSeconds = number(option, value, 1);
                default -> throw new BenchOptions.UsageException("unknown option: " + option);
            }
        }
        long largeBytes = largeMib << 20;
        long insertOffset = (insertMib << 20) + OFFSET_SKEW;
        if (insertOffset >= largeBytes) {
            throw new BenchOptions.UsageException("--insert-offset-mib " + insertMib + " is not inside the "
                    + largeMib + " MiB file");
        }
        return new CompareOptions(runs, tools, scenarios, latencyFiles, largeBytes, insertOffset, mediumFiles,
                mediumMib << 20, smallFiles, workDir, Duration.ofSeconds(timeoutSeconds), keep);
    }

    private static List<Tool> tools(String value) throws BenchOptions.UsageException {
        List<Tool> tools = new ArrayList<>();
        for (String id : value.split(",")) {
            Tool tool = null;
            for (Tool t : Tool.values()) {
                if (t.id.equals(id.strip().toLowerCase(Locale.ROOT))) {
                    tool = t;
                }
            }
            if (tool == null) {
                throw new BenchOptions.UsageException("--tools: unknown tool '" + id + "'; known: meshfold, syncthing,"
                        + " rsync, rsync-fsync");
            }
            if (!tools.contains(tool)) {
                tools.add(tool);
            }
        }
        return List.copyOf(tools);
    }

    private static Set<Scenario> scenarios(String value) throws BenchOptions.UsageException {
        Set<Scenario> scenarios = EnumSet.noneOf(Scenario.class);
        for (String id : value.split(",")) {
            Scenario scenario = null;
            for (Scenario s : Scenario.values()) {
                if (s.id.equals(id.strip().toLowerCase(Locale.ROOT))) {
                    scenario = s;
                }
            }
            if (scenario == null) {
                throw new BenchOptions.UsageException("--scenarios: unknown scenario '" + id + "'; known: large,"
                        + " medium, small");
            }
            scenarios.add(scenario);
        }
        return scenarios;
    }

    private static int number(String option, String value, int min) throws BenchOptions.UsageException {
        try {
            int n = Integer.parseInt(value);
            if (n < min) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new BenchOptions.UsageException(option + " needs a whole number of at least " + min + ", got '"
                    + value + "'");
        }
    }
}
