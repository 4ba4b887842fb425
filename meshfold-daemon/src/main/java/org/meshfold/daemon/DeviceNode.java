package org.meshfold.daemon;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
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
import org.meshfold.config.FolderConfig;
import org.meshfold.config.NodeConfig;
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
    private final Set<DeviceId> paused = ConcurrentHashMap.newKeySet();

    private DeviceNode(Path home, NodeConfig config, Clock clock) throws IOException {
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
        network = PeerNetwork.start(new NetworkOptions(identity, config.listen(),
                id -> config.peer(id).isPresent() && !paused.contains(id), service));
        for (FolderConfig f : config.folders()) {
            folders.get(f.id()).start();
            runtimes.get(f.id()).start(folders.get(f.id()), scheduler, config.watchDelay(), config.fullRescanInterval());
        }
        dialer = new Dialer(network, config.peers(), id -> !paused.contains(id), scheduler);
        dialer.start();
        log.info("device {} listening on {}, {} folder(s), {} paired device(s)", self, network.listenAddress(),
                folders.size(), config.peers().size());
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
