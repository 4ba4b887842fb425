package org.meshfold.cli;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.meshfold.daemon.NodeStatus;

/**
 * Polls a device's status until one folder holds the same tree as every connected device that
 * shares it ({@link NodeStatus.Folder#inSyncWithPeers()}), or until a deadline. The status comes
 * from a running daemon's API or from a device started in this process; both look the same here.
 */
final class SyncWait {
    /** Where the status comes from. */
    interface Source {
        NodeStatus read() throws IOException;
    }

    /**
     * How the wait ended.
     *
     * @param inSync  the folder was in sync with its connected devices before the deadline
     * @param reason  why it was not (null when in sync)
     * @param first   the folder as first seen
     * @param last    the folder as last seen
     * @param devices the devices sharing the folder, as last seen
     * @param elapsed time spent waiting
     */
    record Outcome(boolean inSync, String reason, NodeStatus.Folder first, NodeStatus.Folder last,
                   List<NodeStatus.Device> devices, Duration elapsed) {
    }

    private final Source source;
    private final String folderId;
    private final Clock clock;
    private final Duration interval;

    SyncWait(Source source, String folderId, Clock clock, Duration interval) {
        this.source = source;
        this.folderId = folderId;
        this.clock = clock;
        this.interval = interval;
    }

    /**
     * Waits at most {@code timeout}. {@code settled} must hold as well (e.g. the first scan of a
     * device started here is committed, so its own files are in its index); {@code progress} sees
     * every status read.
     */
    Outcome await(Duration timeout, BooleanSupplier settled, Consumer<NodeStatus.Folder> progress) throws IOException {
        Instant start = clock.instant();
        Instant deadline = start.plus(timeout);
        NodeStatus.Folder first = null;
        while (true) {
            NodeStatus status = source.read();
            NodeStatus.Folder folder = folder(status);
            first = first == null ? folder : first;
            progress.accept(folder);
            List<NodeStatus.Device> devices = status.devices().stream()
                    .filter(d -> d.folders().contains(folderId)).toList();
            boolean ready = settled.getAsBoolean();
            if (ready && Boolean.TRUE.equals(folder.inSyncWithPeers())) {
                return new Outcome(true, null, first, folder, devices, Duration.between(start, clock.instant()));
            }
            Instant now = clock.instant();
            if (!now.isBefore(deadline)) {
                return new Outcome(false, reason(ready, folder, devices), first, folder, devices,
                        Duration.between(start, now));
            }
            // A status poll interval, bounded by the deadline: the status has no change notification here.
            LockSupport.parkNanos(Math.min(interval.toNanos(), Duration.between(now, deadline).toNanos()));
            if (Thread.interrupted()) {
                throw new IOException("interrupted while waiting for folder " + folderId + " to be in sync");
            }
        }
    }

    private NodeStatus.Folder folder(NodeStatus status) throws IOException {
        return status.folders().stream().filter(f -> f.id().equals(folderId)).findFirst()
                .orElseThrow(() -> new IOException("the device's status has no folder " + folderId
                        + " (was it removed from the configuration?)"));
    }

    /** The most useful explanation of why the folder is not in sync yet. */
    static String reason(boolean settled, NodeStatus.Folder f, List<NodeStatus.Device> devices) {
        int connected = f.connectedDevices() == null ? 0 : f.connectedDevices();
        if (connected == 0) {
            List<String> tried = devices.stream().map(d -> d.name() + (d.configuredAddresses().isEmpty()
                    ? " (no address known; it must dial this device)"
                    : " at " + String.join(", ", d.configuredAddresses()))).toList();
            return "no paired device reachable" + (tried.isEmpty() ? "" : " (tried " + String.join("; ", tried) + ")");
        }
        if (!settled || "scanning".equals(f.state())) {
            return "still scanning the folder";
        }
        int need = f.needFiles() == null ? 0 : f.needFiles();
        if (need > 0) {
            return "still transferring: " + need + " name(s) to pull from " + connected + " connected device(s)";
        }
        int behind = connected - (f.peersInSync() == null ? 0 : f.peersInSync());
        return "still transferring: " + behind + " connected device(s) have not taken all of this device's changes yet";
    }
}
