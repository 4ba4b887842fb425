package org.meshfold.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * End-to-end benchmark: two meshfold devices, each its own {@code meshfold run} process with a
 * fresh home, syncing one folder over loopback TLS. Figures, printed as a table (median and every
 * run) — not pass/fail checks:
 * <ul>
 *   <li>initial sync time of a 1 GiB incompressible file: the sender has the file but has never
 *       scanned it, the receiver's folder is empty; timed from starting the sender (the receiver
 *       is started as soon as the sender listens, so its first dial connects) until the receiver's
 *       folder holds the file, then verified by SHA-256. Both start-ups and the sender's full scan
 *       are included; the time the receiver connected and started writing are shown too;
 *   <li>the sender's scan and hash throughput for that file, from the daemon's full-scan log line;
 *   <li>bytes on the wire and sync time for a 1 MiB insertion at an unaligned offset in the middle
 *       of the already synced 1 GiB file, with both devices still running;
 *   <li>initial sync time of 20,000 files of 1-4 KiB in 200 directories, timed the same way, and
 *       the receiver's time to its first complete file;
 *   <li>peak RSS ({@code VmHWM}) of each device process over each run.
 * </ul>
 * Only the receiver dials, and it dials a counting TCP relay inside this process that forwards to
 * the sender, so the traffic of every phase passes the relay: the byte counts are TLS ciphertext,
 * without TCP/IP headers. Data sets come from fixed seeds. Each run uses fresh homes and folders
 * under the work directory and deletes them afterwards.
 *
 * <p>Run from the repository root with {@code bench/e2e.sh [options]}, which builds and then runs
 * <pre>
 * $JAVA_HOME/bin/java --enable-native-access=ALL-UNNAMED \
 *     -cp "meshfold-bench/target/meshfold-bench-0.1.0-SNAPSHOT.jar:meshfold-bench/target/lib/*" \
 *     org.meshfold.bench.EndToEndBench [--runs 3] [--large-runs N] [--small-runs N] [--large-mib 1024] \
 *     [--small-files 20000] [--work-dir /tmp] [--timeout-seconds 600] [--keep]
 * </pre>
 * The devices are started with this JVM's {@code java} and class path and the launcher's JVM flags
 * ({@code MESHFOLD_JAVA_OPTS} is passed on). The default (3 runs of each) takes about 4 minutes on
 * 2 cores and needs about 3.5 GiB free in the work directory. Progress goes to stderr, the table to
 * stdout.
 */
public final class EndToEndBench {
    private EndToEndBench() {
    }

    public static void main(String[] args) throws Exception {
        BenchOptions options;
        try {
            options = BenchOptions.parse(List.of(args));
        } catch (BenchOptions.UsageException e) {
            if (!e.getMessage().isEmpty()) {
                System.err.println(e.getMessage());
            }
            System.err.println(BenchOptions.USAGE);
            System.exit(e.getMessage().isEmpty() ? 0 : 2);
            return;
        }
        System.exit(run(options, System.out, System.err));
    }

    static int run(BenchOptions options, PrintStream out, PrintStream progress) throws Exception {
        Results results = new Results();
        LargeFileScenario large = options.largeRuns() > 0
                ? new LargeFileScenario(options.largeBytes(), options.timeout(), results) : null;
        SmallFilesScenario small = options.smallRuns() > 0
                ? new SmallFilesScenario(options.smallFiles(), options.timeout(), results) : null;
        Files.createDirectories(options.workDir());
        Path base = Files.createTempDirectory(options.workDir(), "meshfold-e2e-");
        int status = 0;
        try {
            for (int i = 1; large != null && i <= options.largeRuns(); i++) {
                progress.printf("large file, run %d/%d: %s%n", i, options.largeRuns(), large.description());
                large.run(Files.createDirectory(base.resolve("large-" + i)), results, progress);
                cleanUp(options, base.resolve("large-" + i));
            }
            for (int i = 1; small != null && i <= options.smallRuns(); i++) {
                progress.printf("small files, run %d/%d: %s%n", i, options.smallRuns(), small.description());
                small.run(Files.createDirectory(base.resolve("small-" + i)), results, progress);
                cleanUp(options, base.resolve("small-" + i));
            }
        } catch (Exception e) {
            progress.println("benchmark run failed: " + e + " (data kept in " + base + ")");
            status = 1;
        }
        printHeader(out, options, large, small);
        results.print(out);
        if (status == 0 && !options.keep()) {
            FileTrees.delete(base);
        }
        if (options.keep()) {
            progress.println("homes, folders and device logs kept in " + base);
        }
        return status;
    }

    /** Frees the space of a finished run; its many small files go with the rest at the end. */
    private static void cleanUp(BenchOptions options, Path dir) throws IOException, InterruptedException {
        if (!options.keep()) {
            FileTrees.deleteLargeFiles(dir);
        }
        DirtyPages.flush();
    }

    private static void printHeader(PrintStream out, BenchOptions options, LargeFileScenario large,
            SmallFilesScenario small) {
        out.println();
        out.println("meshfold end-to-end benchmark, " + Instant.now());
        out.println("2 devices on loopback, each a separate JVM: " + System.getProperty("java.vm.name") + " "
                + System.getProperty("java.version") + ", flags " + String.join(" ", DaemonProcess.jvmOptions())
                + "; " + Runtime.getRuntime().availableProcessors() + " CPU(s)");
        if (large != null) {
            out.println("large file: " + options.largeRuns() + " run(s): " + large.description());
        }
        if (small != null) {
            out.println("small files: " + options.smallRuns() + " run(s): " + small.description());
        }
        out.println("initial syncs are timed from the sender's start (receiver started once the sender listens):"
                + " both JVM start-ups and the sender's full scan are included");
        out.println("the traffic of every phase passes a counting relay (receiver -> relay -> sender); wire bytes are"
                + " TLS ciphertext without TCP/IP headers");
        out.println();
    }
}
