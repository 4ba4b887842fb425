package org.meshfold.daemon;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
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
import org.meshfold.config.ConfigStore;
import org.meshfold.config.DiscoveryConfig;
import org.meshfold.config.FolderConfig;
import org.meshfold.config.NodeConfig;
import org.meshfold.config.PeerConfig;
import org.meshfold.discovery.LanDiscovery;
import org.meshfold.identity.DeviceId;
import org.meshfold.identity.DeviceIdentity;
import org.meshfold.index.IndexStore;
import org.meshfold.pairing.Invite;
import org.meshfold.pairing.PairingFailedException;
import org.meshfold.pairing.PairingOutcome;
import org.meshfold.pairing.PairingResponder;
import org.meshfold.pairing.PendingInvites;
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
 *
 * <p>The configuration can change while the device runs: {@link #invite} opens invites that the
 * network answers, {@link #join} pairs with another device and adds its folder, and
 * {@link #removeDevice} revokes a device. Each change is saved to the home's configuration and
 * applied at once (trust, dialing, folder membership). Changes are serialized by one lock;
 * status and the network read the current configuration without locking.
 */
public final class DeviceNode implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DeviceNode.class);

    private final DeviceIdentity identity;
    private final IndexStore store;
    private final ExecutorService io;
    private final ExecutorService hashers;
    private final ScheduledExecutorService scheduler;
    private final Map<String, FolderSync> folders = new ConcurrentHashMap<>();
    private final Map<String, FolderRuntime> runtimes = new ConcurrentHashMap<>();
    private final HlcClock hlc;
    private final SyncService service = new SyncService();
    private final PendingInvites invites;
    /** Guards changes of the configuration together with what they change at run time. */
    private final Object changes = new Object();
    private boolean closed;
    private final PeerNetwork network;
    private final Dialer dialer;
    private final LanDiscovery discovery; // null when LAN discovery is off or could not start
    private final RendezvousSessions rendezvous;
    private final Set<DeviceId> paused = ConcurrentHashMap.newKeySet();
    private final ConfigStore configs;
    private final Clock clock;
    private final Instant startedAt;
    private final PeerActivity activity;
    private final Map<String, CountedTotals> totals = new ConcurrentHashMap<>();
    /** Sampled by the scheduler thread every {@link #TRAFFIC_SAMPLE_INTERVAL}. */
    private final TrafficRates traffic = new TrafficRates(System::nanoTime);

    /** Local totals of a folder as of an index sequence, so status polls do not re-read an unchanged index. */
    private record CountedTotals(long sequence, Instant at, LocalTotals totals) {
    }

    private static final Duration TRAFFIC_SAMPLE_INTERVAL = Duration.ofSeconds(1);

    /** Recounting a changing folder at most this often keeps frequent status polls cheap during a sync. */
    private static final Duration RECOUNT_INTERVAL = Duration.ofSeconds(2);

    private DeviceNode(Path home, NodeConfig config, Clock clock) throws IOException {
        this.configs = new ConfigStore(home, config);
        this.clock = clock;
        this.startedAt = clock.instant();
        identity = DeviceIdentity.loadOrCreate(home);
        store = IndexStore.open(home.resolve("index.db"));
        hlc = new HlcClock(clock);
        io = Executors.newFixedThreadPool(Math.max(4, 2 * Runtime.getRuntime().availableProcessors()),
                Threads.daemon("meshfold-io"));
        hashers = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors(), Threads.daemon("meshfold-hash"));
        scheduler = Executors.newScheduledThreadPool(1, Threads.daemon("meshfold-timer"));
        DeviceId self = identity.deviceId();
        invites = new PendingInvites(self, clock, new SecureRandom());
        for (FolderConfig f : config.folders()) {
            addFolder(f);
        }
        activity = new PeerActivity(service, clock);
        network = listen(config);
        for (FolderConfig f : config.folders()) {
            startFolder(f.id());
        }
        dialer = new Dialer(network, () -> configs.current().peers(), id -> !paused.contains(id), scheduler);
        dialer.start();
        scheduler.scheduleAtFixedRate(this::sampleTraffic, TRAFFIC_SAMPLE_INTERVAL.toMillis(),
                TRAFFIC_SAMPLE_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        discovery = startDiscovery(config.discovery());
        rendezvous = new RendezvousSessions(identity, config.rendezvous().servers(),
                () -> PairingSession.reachableAddresses(network.listenAddress()), this::sought,
                dialer::discovered, clock, scheduler);
        rendezvous.start();
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
            return LanDiscovery.start(identity, List.of(network.listenAddress()), id -> configs.current().peer(id).isPresent(),
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

    /** Paired devices to look up at rendezvous servers: wanted and not connected. */
    private List<DeviceId> sought() {
        return configs.current().peers().stream().map(PeerConfig::id)
                .filter(id -> !paused.contains(id) && network.connected(id).isEmpty()).toList();
    }

    /** The UDP address LAN discovery listens on, if it runs. */
    public Optional<InetSocketAddress> discoveryAddress() {
        return Optional.ofNullable(discovery).map(LanDiscovery::localAddress);
    }

    private NetworkOptions options(InetSocketAddress listen) {
        return new NetworkOptions(identity, listen, id -> configs.current().peer(id).isPresent() && !paused.contains(id),
                activity).withPairing(PairingResponder.of(invites, this::paired));
    }

    /** Creates a folder's sync and scanner and registers it with its members; {@link #startFolder} starts them. */
    private void addFolder(FolderConfig f) {
        DeviceId self = identity.deviceId();
        FolderRuntime runtime = new FolderRuntime(f, store.folder(f.id()), hlc, hashers, self.shortId());
        FolderSync sync = new FolderSync(FolderSyncOptions.of(f.id(), f.label(), f.path(), self),
                store.folder(f.id()), hlc, clock, io, runtime::requestScan);
        folders.put(f.id(), sync);
        runtimes.put(f.id(), runtime);
        service.addFolder(sync, f.devices());
    }

    private void startFolder(String folderId) throws IOException {
        NodeConfig config = configs.current();
        folders.get(folderId).start();
        runtimes.get(folderId).start(folders.get(folderId), scheduler, config.watchDelay(), config.fullRescanInterval());
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
        NodeConfig config = configs.current();
        List<NodeStatus.Folder> folderViews = new ArrayList<>();
        for (FolderConfig f : config.folders()) {
            FolderSync sync = folders.get(f.id());
            if (sync == null) {
                continue; // being added by a join right now
            }
            folderViews.add(StatusViews.running(f, sync.status(), runtimes.get(f.id()).scanning(),
                    totals(f.id(), now), sync.peerProgress()));
        }
        List<NodeStatus.Device> deviceViews = new ArrayList<>();
        for (PeerConfig p : config.peers()) {
            var peer = network.connected(p.id());
            var lastSeen = peer.isPresent() ? Optional.of(now) : activity.lastClosed(p.id());
            deviceViews.add(StatusViews.device(config, p, peer, activity.connectedSince(p.id()), lastSeen,
                    peer.flatMap(network::stats), traffic.rate(p.id())));
        }
        return new NodeStatus(deviceId().toString(), config.deviceName(), true,
                StatusViews.hostPort(listenAddress()), null, startedAt.toString(),
                Duration.between(startedAt, now).toSeconds(), folderViews, deviceViews,
                rendezvous.states().stream().map(r -> new NodeStatus.Rendezvous(r.url().toString(), r.connected(),
                        r.observed() == null ? null : StatusViews.hostPort(r.observed()))).toList());
    }

    /** On the scheduler thread: feeds each connection's byte totals to the traffic rates. */
    private void sampleTraffic() {
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

    /**
     * Opens a single-use invite to a folder (by id, or by its absolute path), valid for {@code ttl},
     * naming the addresses this device can be reached at. The device that redeems it is paired
     * and starts syncing the folder at once.
     *
     * @throws UnknownFolderException if there is no such folder
     * @throws IllegalArgumentException if {@code ttl} is not in (0, 24 h]
     * @throws IllegalStateException if too many invites are open
     */
    public Invite invite(String folderIdOrPath, Duration ttl) {
        FolderConfig folder = findFolder(folderIdOrPath);
        return invites.create(folder.id(), folder.label(), PairingSession.reachableAddresses(network.listenAddress()),
                PairingSession.inviteUrls(configs.current().rendezvous()), ttl);
    }

    /** A joiner proved its invite (on a network thread): it becomes a member of the folder now. */
    private void paired(DeviceId joiner, String name, Invite invite) {
        String shown = name.isBlank() ? joiner.shortText() : name;
        synchronized (changes) {
            NodeConfig after = configs.update(c -> c.withMember(invite.folderId(), joiner, shown, List.of()));
            service.setMembers(invite.folderId(), after.folder(invite.folderId()).orElseThrow().devices());
        }
        log.info("paired with {} ({}) for folder {}", joiner, shown, invite.folderId());
    }

    /**
     * Joins another device's folder with its invite: pairs (pinning the inviter's key from the
     * invite and proving its secret), records the inviter and the folder in the configuration,
     * starts syncing the folder into {@code folderPath} (created if missing) and dials the inviter.
     * Blocks while pairing (seconds at most).
     *
     * @throws IllegalArgumentException if {@code folderPath} is not absolute, exists and is not a
     *     directory, or the folder is already synced into another directory here
     * @throws PairingFailedException if the inviter refused the code or could not be reached
     */
    public PairingOutcome join(Invite invite, Path folderPath) throws PairingFailedException, IOException {
        Path dir = JoinTarget.check(folderPath, configs.current(), invite.folderId());
        PairingOutcome outcome;
        try {
            outcome = InviteJoiner.pair(network, identity, invite, configs.current().deviceName(), clock);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PairingFailedException(PairingFailedException.Reason.BROKEN, "interrupted while pairing", e);
        }
        Files.createDirectories(dir);
        DeviceId inviter = outcome.inviter();
        synchronized (changes) {
            if (closed) {
                throw new IllegalStateException("this device is shutting down; the pairing with " + inviter
                        + " is not recorded");
            }
            boolean known = folders.containsKey(outcome.folderId());
            String name = configs.current().peer(inviter).map(p -> p.name()).orElse(inviter.shortText());
            NodeConfig after = configs.update(c -> (c.folder(outcome.folderId()).isPresent() ? c
                    : c.withFolder(new FolderConfig(outcome.folderId(), outcome.folderLabel(), dir, Set.of())))
                    .withMember(outcome.folderId(), inviter, name, List.of(outcome.address())));
            FolderConfig folder = after.folder(outcome.folderId()).orElseThrow();
            if (known) {
                service.setMembers(folder.id(), folder.devices());
            } else {
                addFolder(folder);
                startFolder(folder.id());
            }
        }
        dialer.reset(inviter);
        log.info("joined folder {} ({}) of {} at {}, syncing into {}", outcome.folderId(), outcome.folderLabel(),
                inviter, outcome.address(), dir);
        return outcome;
    }

    /**
     * Adds a folder of this device's own (shared with {@code folder.devices()}, usually none yet):
     * creates its directory if missing, saves it to the configuration, and starts syncing and
     * scanning it at once. If a folder with that directory is configured already, it is returned
     * unchanged.
     *
     * @throws IllegalArgumentException if the path is not absolute or not a directory, or the id
     *     is malformed or names a folder in another directory
     * @throws IOException if the directory cannot be created or is not writable
     */
    public AddedFolder addLocalFolder(FolderConfig folder) throws IOException {
        Path dir = LocalFolder.prepare(folder.path());
        LocalFolder.checkId(folder.id());
        FolderConfig added = new FolderConfig(folder.id(), folder.label(), dir, folder.devices());
        synchronized (changes) {
            if (closed) {
                throw new IllegalStateException("this device is shutting down; folder " + dir + " is not added");
            }
            NodeConfig config = configs.current();
            Optional<FolderConfig> same = config.folders().stream().filter(f -> f.path().equals(dir)).findFirst();
            if (same.isPresent()) {
                return new AddedFolder(same.get(), false);
            }
            config.folder(added.id()).ifPresent(other -> {
                throw new IllegalArgumentException("folder id " + other.id() + " is already used for " + other.path()
                        + " on this device: choose another id, or none for a new one");
            });
            configs.update(c -> c.withFolder(added));
            addFolder(added);
            startFolder(added.id());
        }
        log.info("added folder {} ({}) at {}", added.id(), added.label(), dir);
        return new AddedFolder(added, true);
    }

    /**
     * Revokes {@code device}: removes it from the configuration and from every folder, closes its
     * connection, and refuses it from now on (its TLS handshake fails).
     *
     * @return false if the device is not known here (nothing changed)
     */
    public boolean removeDevice(DeviceId device) {
        synchronized (changes) {
            if (!configs.current().knows(device)) {
                return false;
            }
            NodeConfig after = configs.update(c -> c.withoutDevice(device));
            for (FolderConfig f : after.folders()) {
                if (folders.containsKey(f.id())) {
                    service.setMembers(f.id(), f.devices());
                }
            }
        }
        network.connected(device).ifPresent(peer -> peer.close("this device was removed by its owner"));
        dialer.reset(device);
        log.info("removed device {}: it can no longer connect", device);
        return true;
    }

    private FolderConfig findFolder(String idOrPath) {
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

    @Override
    public void close() {
        synchronized (changes) {
            closed = true;
        }
        if (discovery != null) {
            discovery.close();
        }
        rendezvous.close();
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
