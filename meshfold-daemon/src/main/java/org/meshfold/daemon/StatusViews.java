package org.meshfold.daemon;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.meshfold.connect.PathSwitch;
import org.meshfold.config.FolderConfig;
import org.meshfold.config.NodeConfig;
import org.meshfold.config.PeerConfig;
import org.meshfold.protocol.ConnectionQuality;
import org.meshfold.protocol.ConnectionStats;
import org.meshfold.replication.FolderStatus;
import org.meshfold.replication.Peer;
import org.meshfold.replication.PeerProgress;

/** Turns configuration and live figures into the records of {@link NodeStatus}. */
final class StatusViews {
    private StatusViews() {
    }

    /** A running folder; {@code peers} compares it with each connected device (taken after {@code s}). */
    static NodeStatus.Folder running(FolderConfig f, FolderStatus s, boolean scanning, LocalTotals totals,
                                     List<PeerProgress> peers) {
        int need = s.queuedNames() + s.activePulls() + s.waitingNames() + s.deferredNames();
        String state = scanning ? "scanning" : !s.idle() ? "syncing" : s.inSync() ? "idle" : "waiting";
        int peersInSync = (int) peers.stream().filter(PeerProgress::inSync).count();
        boolean withPeers = !scanning && s.inSync() && !peers.isEmpty() && peersInSync == peers.size();
        return new NodeStatus.Folder(f.id(), f.label(), f.path().toString(), state, s.inSync(), totals.files(),
                totals.bytes(), need, totals.percentComplete(need), s.connectedPeers(), s.bytesDownloaded(),
                s.bytesServed(), s.filesPulled(), s.conflictsCreated(), text(s.lastPulled()), peersInSync, withPeers,
                s.needBytes(), s.filesResumed(), s.bytesReusedFromTemp());
    }

    static NodeStatus.Folder stopped(FolderConfig f, Optional<LocalTotals> totals) {
        return new NodeStatus.Folder(f.id(), f.label(), f.path().toString(), "stopped", null,
                totals.map(LocalTotals::files).orElse(null), totals.map(LocalTotals::bytes).orElse(null),
                null, null, null, null, null, null, null, null);
    }

    /**
     * What a running daemon knows about one device now; any part may be null where it is not known.
     *
     * @param now      the time of the snapshot
     * @param since    when the current connection was established
     * @param lastSeen when the device was last connected
     * @param stats    the current connection's figures
     * @param rate     the current connection's traffic rates
     * @param downtime how long the device was unreachable before the current connection
     * @param retry    the dialer's attempts while it is not connected
     */
    record Live(Instant now, Instant since, Instant lastSeen, ConnectionStats stats, TrafficRates.Rate rate,
                Duration downtime, Dialer.Retry retry, PathSwitch.Active managed) {
        Live(Instant now, Instant since, Instant lastSeen, ConnectionStats stats, TrafficRates.Rate rate,
                Duration downtime, Dialer.Retry retry) {
            this(now, since, lastSeen, stats, rate, downtime, retry, null);
        }
    }

    /** A device not connected, or without a daemon. */
    static NodeStatus.Device device(NodeConfig config, PeerConfig p, Optional<Instant> lastSeen) {
        return device(config, p, Optional.empty(), new Live(null, null, lastSeen.orElse(null), null, null, null, null));
    }

    /**
     * A device; {@code peer} is its live connection, if any. Connection figures are reported only
     * while connected, reconnection figures only while not.
     */
    static NodeStatus.Device device(NodeConfig config, PeerConfig p, Optional<Peer> peer, Live live) {
        String pathType = null;
        String transport = null;
        String address = null;
        if (peer.isPresent()) {
            // describePath() is "<path type> <transport> <host:port>", e.g. "lan tcp 10.0.0.2:22000".
            String[] words = peer.get().describePath().trim().split("\\s+");
            if (words.length >= 2) {
                pathType = words[0];
                transport = words.length >= 3 ? words[1] : null;
                address = words[words.length - 1];
            }
            PathSwitch.Active managed = live.managed();
            if (managed != null && address != null && address.startsWith("[fd6d:66")) {
                pathType = managed.kind().label();
                address = hostPort(managed.address()) + (managed.throughOwnRelay() ? " via our relay" : "");
            }
        }
        List<String> folders = config.folders().stream().filter(f -> f.devices().contains(p.id()))
                .map(FolderConfig::id).toList();
        boolean connected = peer.isPresent();
        Optional<ConnectionStats> stats = Optional.ofNullable(connected ? live.stats() : null);
        Optional<TrafficRates.Rate> rate = Optional.ofNullable(connected ? live.rate() : null);
        Optional<Dialer.Retry> retry = Optional.ofNullable(connected ? null : live.retry());
        ConnectionQuality quality = !connected ? ConnectionQuality.DISCONNECTED
                : stats.map(ConnectionStats::quality).orElse(ConnectionQuality.GOOD);
        return new NodeStatus.Device(p.id().toString(), p.name(), connected, pathType, address,
                connected ? text(live.since()) : null, text(live.lastSeen()),
                p.addresses().stream().map(StatusViews::hostPort).toList(), folders,
                stats.map(ConnectionStats::smoothedRtt).map(StatusViews::millis).orElse(null),
                rate.map(TrafficRates.Rate::inPerSecond).orElse(null),
                rate.map(TrafficRates.Rate::outPerSecond).orElse(null),
                stats.map(ConnectionStats::bytesIn).orElse(null), stats.map(ConnectionStats::bytesOut).orElse(null),
                transport, quality.label(),
                live.now() == null ? null : stats.map(s -> text(live.now().minus(s.sinceReceived()))).orElse(null),
                retry.map(Dialer.Retry::attempts).orElse(null),
                live.now() == null ? null : retry.map(r -> text(live.now().plus(r.untilNext()))).orElse(null),
                connected && live.downtime() != null ? live.downtime().toMillis() : null);
    }

    /** Milliseconds with three decimals (microseconds): loopback and LAN round trips are well under one. */
    static double millis(Duration d) {
        return Math.round(d.toNanos() / 1_000.0) / 1_000.0;
    }

    static String hostPort(InetSocketAddress a) {
        if (a.getAddress() != null && a.getAddress().isAnyLocalAddress()) {
            // A dual-stack wildcard socket reports "::"; people configure and recognize 0.0.0.0.
            return "0.0.0.0:" + a.getPort();
        }
        String host = a.getAddress() != null ? a.getAddress().getHostAddress() : a.getHostString();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + a.getPort();
    }

    private static String text(Instant t) {
        return t == null ? null : t.toString();
    }
}
