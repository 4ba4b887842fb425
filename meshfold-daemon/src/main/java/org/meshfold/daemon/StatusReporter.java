package org.meshfold.daemon;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.meshfold.config.ConfigStore;
import org.meshfold.config.FolderConfig;
import org.meshfold.config.NodeConfig;
import org.meshfold.config.PeerConfig;
import org.meshfold.identity.DeviceId;
import org.meshfold.index.IndexStore;
import org.meshfold.protocol.PeerNetwork;
import org.meshfold.replication.FolderSync;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Assembles the {@link NodeStatus} of a running device from its configuration, folders, network,
 * rendezvous sessions, dialer and connection history, and owns the figures kept only for status: each
 * connection's traffic rates and each folder's cached local totals.
 *
 * <p>Threading: {@link #snapshot} runs on any thread (API and CLI requests), without locking; the
 * totals cache is a concurrent map (two polls racing may both recount; the later one's count is kept).
 * {@link #sampleTraffic} runs on the device's scheduler thread only, which owns the traffic history
 * inside {@link TrafficRates}.
 */
final class StatusReporter {
    private static final Logger log = LoggerFactory.getLogger(StatusReporter.class);

    /** How often {@link #sampleTraffic} should run. */
    static final Duration TRAFFIC_SAMPLE_INTERVAL = Duration.ofSeconds(1);

    /** Recounting a changing folder at most this often keeps frequent status polls cheap during a sync. */
    private static final Duration RECOUNT_INTERVAL = Duration.ofSeconds(2);

    /** Local totals of a folder as of an index sequence, so status polls do not re-read an unchanged index. */
    private record CountedTotals(long sequence, Instant at, LocalTotals totals) {
    }

    private final DeviceId self;
    private final ConfigStore configs;
    private final FolderSet folders;
    private final IndexStore store;
    private final PeerNetwork network;
    private final PeerActivity activity;
    private final RendezvousSessions rendezvous;
    private final Dialer dialer;
    private final Clock clock;
    private final Instant startedAt;
    private final Map<String, CountedTotals> totals = new ConcurrentHashMap<>();
    private final TrafficRates traffic = new TrafficRates(System::nanoTime);

    private volatile java.util.function.Function<DeviceId, Optional<org.meshfold.connect.PathSwitch.Active>> managedPaths =
            d -> Optional.empty();

    /** Where the active path of connections over the shared UDP socket comes from. */
    void managedPaths(java.util.function.Function<DeviceId, Optional<org.meshfold.connect.PathSwitch.Active>> source) {
        this.managedPaths = source;
    }

    StatusReporter(DeviceId self, ConfigStore configs, FolderSet folders, IndexStore store, PeerNetwork network,
                   PeerActivity activity, RendezvousSessions rendezvous, Dialer dialer, Clock clock,
                   Instant startedAt) {
        this.self = self;
        this.configs = configs;
        this.folders = folders;
        this.store = store;
        this.network = network;
        this.activity = activity;
        this.rendezvous = rendezvous;
        this.dialer = dialer;
        this.clock = clock;
        this.startedAt = startedAt;
    }

    /** See {@link DeviceNode#snapshot}. */
    NodeStatus snapshot() {
        Instant now = clock.instant();
        NodeConfig config = configs.current();
        List<NodeStatus.Folder> folderViews = new ArrayList<>();
        for (FolderConfig f : config.folders()) {
            FolderSync sync = folders.sync(f.id());
            if (sync == null) {
                continue; // being added by a join right now
            }
            folderViews.add(StatusViews.running(f, sync.status(), folders.scanning(f.id()),
                    totals(f.id(), now), sync.peerProgress()));
        }
        List<NodeStatus.Device> deviceViews = new ArrayList<>();
        for (PeerConfig p : config.peers()) {
            var peer = network.connected(p.id());
            var lastSeen = peer.isPresent() ? Optional.of(now) : activity.lastClosed(p.id());
            deviceViews.add(StatusViews.device(config, p, peer, new StatusViews.Live(now,
                    activity.connectedSince(p.id()).orElse(null), lastSeen.orElse(null),
                    peer.flatMap(network::stats).orElse(null), traffic.rate(p.id()).orElse(null),
                    activity.downtime(p.id()).orElse(null), dialer.retry(p.id()).orElse(null),
                    managedPaths.apply(p.id()).orElse(null))));
        }
        return new NodeStatus(self.toString(), config.deviceName(), true,
                StatusViews.hostPort(network.listenAddress()), null, startedAt.toString(),
                Duration.between(startedAt, now).toSeconds(), folderViews, deviceViews,
                rendezvous.states().stream().map(r -> new NodeStatus.Rendezvous(r.url().toString(), r.connected(),
                        r.observed() == null ? null : StatusViews.hostPort(r.observed()))).toList());
    }

    /** On the scheduler thread: feeds each connection's byte totals to the traffic rates. */
    void sampleTraffic() {
        try {
            Map<DeviceId, TrafficRates.Totals> connected = new HashMap<>();
            for (PeerConfig p : configs.current().peers()) {
                network.connected(p.id()).ifPresent(peer -> network.stats(peer).ifPresent(s ->
                        connected.put(p.id(), new TrafficRates.Totals(peer, s.bytesIn(), s.bytesOut()))));
            }
            traffic.sample(connected);
        } catch (RuntimeException e) {
            // A failure here must not end the periodic sampling.
            log.warn("cannot sample connection traffic: {}", e.toString());
        }
    }

    private LocalTotals totals(String folderId, Instant now) {
        var index = store.folder(folderId);
        long sequence = index.maxSequence();
        CountedTotals counted = totals.get(folderId);
        if (counted == null || (counted.sequence() != sequence && !now.isBefore(counted.at().plus(RECOUNT_INTERVAL)))) {
            counted = new CountedTotals(sequence, now, LocalTotals.of(index));
            totals.put(folderId, counted);
        }
        return counted.totals();
    }
}
