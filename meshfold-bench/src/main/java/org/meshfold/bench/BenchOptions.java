package org.meshfold.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Options of {@link EndToEndBench}.
 *
 * @param largeRuns  runs of the large-file scenario (0 skips it)
 * @param smallRuns  runs of the small-files scenario (0 skips it)
 * @param largeBytes size of the large file
 * @param smallFiles number of small files
 * @param workDir    where each run's homes and folders are created (and deleted after)
 * @param timeout    limit for each phase to complete
 * @param keep       keep every run's homes, folders and device logs instead of deleting them
 */
record BenchOptions(int largeRuns, int smallRuns, long largeBytes, int smallFiles, Path workDir, Duration timeout,
        boolean keep) {

    static final String USAGE = """
            Usage: EndToEndBench [options]
              --runs N             runs of each scenario (default 3)
              --large-runs N       runs of the large-file scenario (default: --runs; 0 skips it)
              --small-runs N       runs of the small-files scenario (default: --runs; 0 skips it)
              --large-mib N        size of the large file in MiB (default 1024)
              --small-files N      number of small files (default 20000)
              --work-dir DIR       where runs create their data (default: java.io.tmpdir)
              --timeout-seconds N  limit for each phase (default 600)
              --keep               keep each run's homes, folders and device logs""";

    /** Thrown for a bad command line; the message says which option and what is expected. */
    static final class UsageException extends Exception {
        UsageException(String message) {
            super(message);
        }
    }

    static BenchOptions parse(List<String> args) throws UsageException {
        Integer runs = null;
        Integer large = null;
        Integer small = null;
        long largeMib = 1024;
        int smallFiles = 20_000;
        Path workDir = Path.of(System.getProperty("java.io.tmpdir"));
        long timeoutSeconds = 600;
        boolean keep = false;
        for (int i = 0; i < args.size(); i++) {
            String option = args.get(i);
            if (option.equals("--help") || option.equals("-h")) {
                throw new UsageException("");
            }
            if (option.equals("--keep")) {
                keep = true;
                continue;
            }
            if (i + 1 >= args.size()) {
                throw new UsageException("unknown option or missing value: " + option);
            }
            String value = args.get(++i);
            switch (option) {
                case "--runs" -> runs = number(option, value, 1);
                case "--large-runs" -> large = number(option, value, 0);
                case "--small-runs" -> small = number(option, value, 0);
                case "--large-mib" -> largeMib = number(option, value, 4);
                case "--small-files" -> smallFiles = number(option, value, 1);
                case "--work-dir" -> workDir = Path.of(value);
                case "--timeout-seconds" -> timeoutSeconds = number(option, value, 1);
                default -> throw new UsageException("unknown option: " + option);
            }
        }
        int defaultRuns = runs == null ? 3 : runs;
        return new BenchOptions(large == null ? defaultRuns : large, small == null ? defaultRuns : small,
                largeMib << 20, smallFiles, workDir, Duration.ofSeconds(timeoutSeconds), keep);
    }

    private static int number(String option, String value, int min) throws UsageException {
        try {
            int n = Integer.parseInt(value);
            if (n < min) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new UsageException(option + " needs a whole number of at least " + min + ", got '" + value + "'");
        }
    }
}
