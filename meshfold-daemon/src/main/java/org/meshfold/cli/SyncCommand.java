package org.meshfold.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.meshfold.api.ApiClient;
import org.meshfold.api.DaemonUnreachableException;
import org.meshfold.api.Json;
import org.meshfold.config.ConfigFile;
import org.meshfold.config.FolderConfig;
import org.meshfold.config.NodeConfig;
import org.meshfold.daemon.DeviceNode;
import org.meshfold.daemon.HomeLock;
import org.meshfold.daemon.NodeStatus;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * One-shot sync of a folder: waits until this device and every reachable device sharing the
 * folder hold the same tree, then exits 0; exits {@link ExitCodes#NOT_IN_SYNC} with the reason if
 * that does not happen within {@code --timeout}. With a daemon running on the home it watches the
 * daemon through the REST API; otherwise it runs the device in this process (the folder only,
 * under the home's lock) and shuts it down cleanly at the end.
 */
@Command(name = "sync", mixinStandardHelpOptions = true,
        description = "Sync FOLDER now with every reachable paired device, showing progress; exit 0 once this device "
                + "and the connected devices hold the same files, 6 if that does not happen within --timeout. "
                + "Uses the running daemon if there is one; otherwise runs the device until done.")
final class SyncCommand implements Callable<Integer> {
    /** How often the status is read while waiting. */
    static final Duration POLL_INTERVAL = Duration.ofMillis(200);

    @Mixin
    HomeOption home;

    @Parameters(paramLabel = "FOLDER", description = "Folder id or path (see 'meshfold folders').")
    String folder;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "1h", converter = DurationOption.class,
            description = "Give up after this long, e.g. 90s, 10m, 2h (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = "--json", description = "Print a JSON summary when done (field names are stable; see the README).")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /**
     * The JSON summary.
     *
     * @param mode          {@code daemon} (a running daemon did the work) or {@code standalone}
     * @param devicesInSync connected devices holding the same tree as this one
     * @param filesPulled   files put in place from other devices while the command ran
     */
    record Summary(String folder, String path, boolean inSync, String reason, String mode, double seconds,
                   Integer connectedDevices, Integer devicesInSync, Integer needFiles, long filesPulled,
                   long bytesDownloaded, int exitCode) {
    }

    @Override
    public Integer call() throws IOException {
        Path homeDir = home.resolve();
        NodeConfig config = ConfigFile.load(homeDir);
        FolderConfig target = FolderArgument.find(config, folder);
        if (target.devices().isEmpty()) {
            throw new IllegalArgumentException("folder " + target.id() + " is not shared with any device: pair one with "
                    + "'meshfold invite " + target.path() + "' first");
        }
        if (timeout.isZero()) {
            throw new IllegalArgumentException("--timeout must be at least 1s");
        }
        Clock clock = Clock.systemUTC();
        PrintWriter err = spec.commandLine().getErr();
        SyncProgress progress = new SyncProgress(err, SyncProgress.onTerminal(), clock);
        Optional<ApiClient> daemon = answeringDaemon(homeDir);
        String mode = daemon.isPresent() ? "daemon" : "standalone";
        SyncWait.Outcome outcome;
        try {
            outcome = daemon.isPresent()
                    ? new SyncWait(daemon.get()::status, target.id(), clock, POLL_INTERVAL)
                            .await(timeout, () -> true, progress::update)
                    : standalone(homeDir, config, target, clock, progress);
        } finally {
            progress.finish();
        }
        return report(target, mode, outcome);
    }

    private static Optional<ApiClient> answeringDaemon(Path homeDir) throws IOException {
        Optional<ApiClient> client = ApiClient.forHome(homeDir);
        if (client.isEmpty()) {
            return Optional.empty();
        }
        try {
            client.get().status();
            return client;
        } catch (DaemonUnreachableException e) {
            return Optional.empty(); // left by a daemon that stopped; the home lock tells whether one still runs
        }
    }

    /** Runs the device for just this folder in this process, under the home's lock, until the wait ends. */
    private SyncWait.Outcome standalone(Path homeDir, NodeConfig config, FolderConfig target, Clock clock,
                                        SyncProgress progress) throws IOException {
        NodeConfig only = new NodeConfig(config.deviceName(), config.listen(), java.util.List.of(target),
                config.peers().stream().filter(p -> target.devices().contains(p.id())).toList(),
                config.fullRescanInterval(), config.watchDelay(), config.discovery(), config.rendezvous(),
                config.quic());
        try (HomeLock lock = HomeLock.acquire(homeDir).orElseThrow(() -> new HomeLockedException(
                "a meshfold daemon holds " + homeDir + " but its API does not answer: wait until it has started, "
                        + "or stop it, then run 'meshfold sync' again"))) {
            Logging.quietConsole();
            DeviceNode node = DeviceNode.start(homeDir, only, clock);
            AtomicBoolean closed = new AtomicBoolean();
            Runnable close = () -> {
                if (closed.compareAndSet(false, true)) {
                    node.close();
                }
            };
            Thread hook = new Thread(close, "meshfold-sync-shutdown");
            Runtime.getRuntime().addShutdownHook(hook); // Ctrl-C still closes the index cleanly
            try {
                // The device's own files must be in its index before "same tree" means anything.
                CompletableFuture<Void> scanned = node.scanNow();
                return new SyncWait(node::snapshot, target.id(), clock, POLL_INTERVAL)
                        .await(timeout, scanned::isDone, progress::update);
            } finally {
                close.run();
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException e) {
                    // the JVM is already shutting down; the hook found the device closed
                }
            }
        }
    }

    private int report(FolderConfig target, String mode, SyncWait.Outcome o) {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        NodeStatus.Folder last = o.last();
        long files = orZero(last.filesPulled()) - orZero(o.first().filesPulled());
        long bytes = orZero(last.bytesDownloaded()) - orZero(o.first().bytesDownloaded());
        int exit = o.inSync() ? ExitCodes.OK : ExitCodes.NOT_IN_SYNC;
        String seconds = String.format(Locale.ROOT, "%.1fs", o.elapsed().toMillis() / 1000.0);
        if (json) {
            out.println(Json.pretty(new Summary(target.id(), target.path().toString(), o.inSync(), o.reason(), mode,
                    o.elapsed().toMillis() / 1000.0, last.connectedDevices(), last.peersInSync(), last.needFiles(),
                    files, bytes, exit)));
        } else if (o.inSync()) {
            out.println("folder " + target.id() + " is in sync with " + last.connectedDevices() + " device(s): "
                    + files + " file(s), " + StatusText.bytes(bytes) + " pulled in " + seconds);
        }
        out.flush();
        if (!o.inSync()) {
            err.println("meshfold: folder " + target.id() + " is not in sync after " + seconds + " (--timeout "
                    + timeout.toSeconds() + "s): " + o.reason());
            err.flush();
        }
        return exit;
    }

    private static long orZero(Long n) {
        return n == null ? 0 : n;
    }
}
