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
                s.needBytes());
    }

    static NodeStatus.Folder stopped(FolderConfig f, Optional<LocalTotals> totals) {
        return new NodeStatus.Folder(f.id(), f.label(), f.path().toString(), "stopped", null,
                totals.map(LocalTotals::files).orElse(null), totals.map(LocalTotals::bytes).orElse(null),
                null, null, null, null, null, null, null, null);
    }

    /** A device not connected, or without a daemon. */
    static NodeStatus.Device device(NodeConfig config, PeerConfig p, Optional<Instant> lastSeen) {
        return device(config, p, Optional.empty(), Optional.empty(), lastSeen, Optional.empty(), Optional.empty());
    }

    /**
     * A device; {@code peer} is its live connection, if any, with that connection's {@code stats}
     * and {@code rate} (traffic figures are reported only while connected).
     */
    static NodeStatus.Device device(NodeConfig config, PeerConfig p, Optional<Peer> peer, Optional<Instant> since,
                                    Optional<Instant> lastSeen, Optional<ConnectionStats> stats,
                                    Optional<TrafficRates.Rate> rate) {
        return device(config, p, peer, since, lastSeen, stats, rate, Optional.empty());
    }

    /** As above; {@code managed} is the active path when the connection runs over the shared UDP socket's paths. */
    static NodeStatus.Device device(NodeConfig config, PeerConfig p, Optional<Peer> peer, Optional<Instant> since,
                                    Optional<Instant> lastSeen, Optional<ConnectionStats> stats,
                                    Optional<TrafficRates.Rate> rate, Optional<PathSwitch.Active> managed) {
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
            if (managed.isPresent() && address != null && address.startsWith("[fd6d:66")) {
                pathType = managed.get().kind().label();
                address = hostPort(managed.get().address()) + (managed.get().throughOwnRelay() ? " via our relay" : "");
            }
        }
        List<String> folders = config.folders().stream().filter(f -> f.devices().contains(p.id()))
                .map(FolderConfig::id).toList();
        boolean connected = peer.isPresent();
        Optional<ConnectionStats> live = connected ? stats : Optional.empty();
        Optional<TrafficRates.Rate> liveRate = connected ? rate : Optional.empty();
        return new NodeStatus.Device(p.id().toString(), p.name(), connected, pathType, address,
                connected ? since.map(Instant::toString).orElse(null) : null,
                lastSeen.map(Instant::toString).orElse(null),
                p.addresses().stream().map(StatusViews::hostPort).toList(), folders,
                live.map(ConnectionStats::smoothedRtt).map(StatusViews::millis).orElse(null),
                liveRate.map(TrafficRates.Rate::inPerSecond).orElse(null),
                liveRate.map(TrafficRates.Rate::outPerSecond).orElse(null),
                live.map(ConnectionStats::bytesIn).orElse(null), live.map(ConnectionStats::bytesOut).orElse(null),
                transport);
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
