package org.meshfold.daemon;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.meshfold.clock.HlcClock;
import org.meshfold.config.DiscoveryConfig;
import org.meshfold.config.FolderConfig;
import org.meshfold.config.NodeConfig;
import org.meshfold.config.PeerConfig;
import org.meshfold.discovery.LanDiscovery;
import org.meshfold.identity.DeviceId;
import org.meshfold.identity.DeviceIdentity;
import org.meshfold.index.IndexStore;
import org.meshfold.protocol.NetworkOptions;
import org.meshfold.protocol.PeerNetwork;
import org.meshfold.replication.FolderStatus;
import org.meshfold.replication.FolderSync;
import org.meshfold.replication.FolderSyncOptions;
import org.meshfold.replication.SyncService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root of a running device: identity, index, one {@link FolderSync} and scanner
 * per folder, the peer network, and the dialer that keeps paired devices connected. Everything
 * is built here from the {@link NodeConfig}; lower layers get only small option records.
 */
public final class DeviceNode implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DeviceNode.class);

    private final DeviceIdentity identity;
    private final IndexStore store;
    private final ExecutorService io;
    private final ExecutorService hashers;
    private final ScheduledExecutorService scheduler;
    private final Map<String, FolderSync> folders = new LinkedHashMap<>();
    private final Map<String, FolderRuntime> runtimes = new LinkedHashMap<>();
    private final PeerNetwork network;
    private final Dialer dialer;
    private final LanDiscovery discovery; // null when LAN discovery is off or could not start
    private final Set<DeviceId> paused = ConcurrentHashMap.newKeySet();
    private final NodeConfig config;
    private final Clock clock;
    private final Instant startedAt;
    private final PeerActivity activity;
    private final Map<String, CountedTotals> totals = new ConcurrentHashMap<>();

    /** Local totals of a folder as of an index sequence, so status polls do not re-read an unchanged index. */
    private record CountedTotals(long sequence, Instant at, LocalTotals totals) {
    }

    /** Recounting a changing folder at most this often keeps frequent status polls cheap during a sync. */
    private static final Duration RECOUNT_INTERVAL = Duration.ofSeconds(2);

    private DeviceNode(Path home, NodeConfig config, Clock clock) throws IOException {
        this.config = config;
        this.clock = clock;
        this.startedAt = clock.instant();
        identity = DeviceIdentity.loadOrCreate(home);
        store = IndexStore.open(home.resolve("index.db"));
        HlcClock hlc = new HlcClock(clock);
        io = Executors.newFixedThreadPool(Math.max(4, 2 * Runtime.getRuntime().availableProcessors()),
                Threads.daemon("meshfold-io"));
        hashers = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors(), Threads.daemon("meshfold-hash"));
        scheduler = Executors.newScheduledThreadPool(1, Threads.daemon("meshfold-timer"));
        SyncService service = new SyncService();
        DeviceId self = identity.deviceId();
        for (FolderConfig f : config.folders()) {
            FolderRuntime runtime = new FolderRuntime(f, store.folder(f.id()), hlc, hashers, self.shortId());
            FolderSync sync = new FolderSync(FolderSyncOptions.of(f.id(), f.label(), f.path(), self),
                    store.folder(f.id()), hlc, clock, io, runtime::requestScan);
            folders.put(f.id(), sync);
            runtimes.put(f.id(), runtime);
            service.addFolder(sync, f.devices());
        }
        activity = new PeerActivity(service, clock);
        network = listen(config);
        for (FolderConfig f : config.folders()) {
            folders.get(f.id()).start();
            runtimes.get(f.id()).start(folders.get(f.id()), scheduler, config.watchDelay(), config.fullRescanInterval());
        }
        dialer = new Dialer(network, config.peers(), id -> !paused.contains(id), scheduler);
        dialer.start();
        discovery = startDiscovery(config.discovery());
        log.info("device {} listening on {}, {} folder(s), {} paired device(s)", self, network.listenAddress(),
                folders.size(), config.peers().size());
    }

    /**
     * Listens on the configured address; if that port is taken (another device home on this
     * machine), on a free port of the same host instead, so several daemons need no port flags.
     */
    private PeerNetwork listen(NodeConfig config) {
        try {
            return PeerNetwork.start(options(config.listen()));
        } catch (UncheckedIOException e) {
            if (config.listen().getPort() == 0) {
                throw e;
            }
            InetSocketAddress any = new InetSocketAddress(config.listen().getAddress(), 0);
            PeerNetwork fallback = PeerNetwork.start(options(any));
            log.warn("{}; listening on {} instead (set 'listen' in the configuration to choose a port)",
                    e.getMessage(), fallback.listenAddress());
            return fallback;
        }
    }

    /**
     * Announces the address actually listened on (after any port fallback) and hands paired
     * devices found on the LAN to the dialer. A discovery port that cannot be bound costs LAN
     * discovery, not the daemon: configured addresses still work.
     */
    private LanDiscovery startDiscovery(DiscoveryConfig settings) {
        if (!settings.lan()) {
            log.info("LAN discovery is off (discovery.lan=false)");
            return null;
        }
        try {
            return LanDiscovery.start(identity, List.of(network.listenAddress()), id -> config.peer(id).isPresent(),
                    (device, addresses) -> {
                        log.info("paired device {} discovered on the LAN at {}", device.shortText(),
                                String.join(", ", addresses.stream().map(StatusViews::hostPort).toList()));
                        dialer.discovered(device, addresses);
                    }, settings.options(), clock, scheduler);
        } catch (IOException | RuntimeException e) {
            log.warn("LAN discovery is not running, paired devices are dialed at configured addresses only: {}",
                    e.getMessage());
            return null;
        }
    }

    /** The UDP address LAN discovery listens on, if it runs. */
    public Optional<InetSocketAddress> discoveryAddress() {
        return Optional.ofNullable(discovery).map(LanDiscovery::localAddress);
    }

    private NetworkOptions options(InetSocketAddress listen) {
        return new NetworkOptions(identity, listen, id -> config.peer(id).isPresent() && !paused.contains(id), activity);
    }

    /** Starts a device from its home and configuration. */
    public static DeviceNode start(Path home, NodeConfig config, Clock clock) throws IOException {
        return new DeviceNode(home, config, clock);
    }

    public DeviceId deviceId() {
        return identity.deviceId();
    }

    public InetSocketAddress listenAddress() {
        return network.listenAddress();
    }

    public Optional<FolderStatus> status(String folderId) {
        return Optional.ofNullable(folders.get(folderId)).map(FolderSync::status);
    }

    /**
     * Everything status output reports about this device now: each folder's state, progress and
     * counters, and each paired device's connection. Thread-safe; cheap enough to call a few
     * times per second (a folder's files are recounted only after its index changed).
     */
    public NodeStatus snapshot() {
        Instant now = clock.instant();
        List<NodeStatus.Folder> folderViews = new ArrayList<>();
        for (FolderConfig f : config.folders()) {
            FolderSync sync = folders.get(f.id());
            folderViews.add(StatusViews.running(f, sync.status(), runtimes.get(f.id()).scanning(),
                    totals(f.id(), now), sync.peerProgress()));
        }
        List<NodeStatus.Device> deviceViews = new ArrayList<>();
        for (PeerConfig p : config.peers()) {
            var peer = network.connected(p.id());
            var lastSeen = peer.isPresent() ? Optional.of(now) : activity.lastClosed(p.id());
            deviceViews.add(StatusViews.device(config, p, peer, activity.connectedSince(p.id()), lastSeen));
        }
        return new NodeStatus(deviceId().toString(), config.deviceName(), true,
                StatusViews.hostPort(listenAddress()), null, startedAt.toString(),
                Duration.between(startedAt, now).toSeconds(), folderViews, deviceViews);
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

    public boolean connectedTo(DeviceId device) {
        return network.connected(device).isPresent();
    }

    /** Stops talking to {@code device} (closes its connection, refuses and does not dial it) until resumed. */
    public void pause(DeviceId device) {
        paused.add(device);
        network.connected(device).ifPresent(peer -> peer.close("paused by the user"));
    }

    public void resume(DeviceId device) {
        paused.remove(device);
        dialer.reset(device);
    }

    /** Scans every folder now; completes when the changes found are committed to the index. */
    public CompletableFuture<Void> scanNow() {
        return CompletableFuture.allOf(runtimes.values().stream().map(FolderRuntime::requestFullScan)
                .toArray(CompletableFuture[]::new));
    }

    @Override
    public void close() {
        if (discovery != null) {
            discovery.close();
        }
        dialer.close();
        runtimes.values().forEach(FolderRuntime::close);
        network.close();
        folders.values().forEach(FolderSync::close);
        scheduler.shutdownNow();
        hashers.shutdownNow();
        io.shutdown();
        try {
            io.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        store.close();
        log.info("device {} stopped", identity.deviceId());
    }
}
