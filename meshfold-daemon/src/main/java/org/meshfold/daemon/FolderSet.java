package org.meshfold.daemon;

import java.io.IOException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import org.meshfold.clock.HlcClock;
import org.meshfold.config.ConfigStore;
import org.meshfold.config.FolderConfig;
import org.meshfold.config.NodeConfig;
import org.meshfold.identity.DeviceId;
import org.meshfold.index.IndexStore;
import org.meshfold.replication.FolderStatus;
import org.meshfold.replication.FolderSync;
import org.meshfold.replication.FolderSyncOptions;
import org.meshfold.replication.SyncService;

/**
 * The folders this device runs: each folder's {@link FolderSync} and its scanning
 * {@link FolderRuntime}, registered with the {@link SyncService}.
 *
 * <p>Threading: folders are added and started by the constructing thread and, later, only under
 * {@link Membership}'s lock, so additions never race; the maps are concurrent so status, the
 * network and {@link #scanNow} read them from any thread without locking. A folder is visible
 * here once added, before it is started.
 */
final class FolderSet {
    private final DeviceId self;
    private final IndexStore store;
    private final HlcClock hlc;
    private final Clock clock;
    private final ExecutorService io;
    private final ExecutorService hashers;
    private final ScheduledExecutorService scheduler;
    private final SyncService service;
    private final ConfigStore configs;
    private final Map<String, FolderSync> folders = new ConcurrentHashMap<>();
    private final Map<String, FolderRuntime> runtimes = new ConcurrentHashMap<>();

    FolderSet(DeviceId self, IndexStore store, HlcClock hlc, Clock clock, ExecutorService io, ExecutorService hashers,
              ScheduledExecutorService scheduler, SyncService service, ConfigStore configs) {
        this.self = self;
        this.store = store;
        this.hlc = hlc;
        this.clock = clock;
        this.io = io;
        this.hashers = hashers;
        this.scheduler = scheduler;
        this.service = service;
        this.configs = configs;
    }

    /** Creates a folder's sync and scanner and registers it with its members; {@link #start} starts them. */
    void add(FolderConfig f) {
        FolderRuntime runtime = new FolderRuntime(f, store.folder(f.id()), hlc, hashers, self.shortId());
        FolderSync sync = new FolderSync(FolderSyncOptions.of(f.id(), f.label(), f.path(), self),
                store.folder(f.id()), hlc, clock, io, runtime::requestScan);
        folders.put(f.id(), sync);
        runtimes.put(f.id(), runtime);
        service.addFolder(sync, f.devices());
    }

    void start(String folderId) throws IOException {
        NodeConfig config = configs.current();
        folders.get(folderId).start();
        runtimes.get(folderId).start(folders.get(folderId), scheduler, config.watchDelay(), config.fullRescanInterval());
    }

    /** True once the folder is added here (it may still be starting). */
    boolean contains(String folderId) {
        return folders.containsKey(folderId);
    }

    int size() {
        return folders.size();
    }

    /** The folder's sync, or null while it is not (yet) added. */
    FolderSync sync(String folderId) {
        return folders.get(folderId);
    }

    /** Whether a scan of the folder runs now; the folder must be added. */
    boolean scanning(String folderId) {
        return runtimes.get(folderId).scanning();
    }

    Optional<FolderStatus> status(String folderId) {
        return Optional.ofNullable(folders.get(folderId)).map(FolderSync::status);
    }

    /** Scans every folder now; completes when the changes found are committed to the index. */
    CompletableFuture<Void> scanNow() {
        return CompletableFuture.allOf(runtimes.values().stream().map(FolderRuntime::requestFullScan)
                .toArray(CompletableFuture[]::new));
    }

    /**
     * The configured folder with this id, or else with this absolute path.
     *
     * @throws UnknownFolderException if there is none
     */
    FolderConfig find(String idOrPath) {
        NodeConfig config = configs.current();
        Optional<FolderConfig> byId = config.folder(idOrPath);
        if (byId.isPresent()) {
            return byId.get();
        }
        try {
            Path path = Path.of(idOrPath);
            if (path.isAbsolute()) {
                Path normal = path.normalize();
                Optional<FolderConfig> byPath = config.folders().stream().filter(f -> f.path().equals(normal)).findFirst();
                if (byPath.isPresent()) {
                    return byPath.get();
                }
            }
        } catch (InvalidPathException e) {
            // not a path either: unknown
        }
        throw new UnknownFolderException("no folder with id or path '" + idOrPath + "' on this device (see "
                + "'meshfold folders')");
    }

    /** Stops watching and scanning every folder; first step of shutdown, before the network closes. */
    void stopScanning() {
        runtimes.values().forEach(FolderRuntime::close);
    }

    /** Closes every folder's sync; after the network closed, so no peer feeds them any more. */
    void closeSyncs() {
        folders.values().forEach(FolderSync::close);
    }
}
