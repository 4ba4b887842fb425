package org.meshfold.daemon;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
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
import org.meshfold.connect.PathSwitch;
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
import org.meshfold.transport.RacingTransport;
import org.meshfold.transport.TcpTlsTransport;
import org.meshfold.transport.Transport;
import org.meshfold.transport.quic.QuicTransport;
import org.meshfold.replication.FolderStatus;
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
 *
 * <p>The parts: {@link FolderSet} runs the folders, {@link Membership} applies those changes, and
 * {@link StatusReporter} assembles {@link #snapshot}; this class builds and wires them.
 */
public final class DeviceNode implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DeviceNode.class);
    /** How long TCP + TLS may take to reach a device before QUIC joins the race for the connection. */
    static final Duration QUIC_HEAD_START = Duration.ofMillis(150);

    private final DeviceIdentity identity;
    private final IndexStore store;
    private final ExecutorService io;
    private final ExecutorService hashers;
    private final ScheduledExecutorService scheduler;
    private final FolderSet folders;
    private final PeerNetwork network;
    private final Dialer dialer;
    private final Membership membership;
    private final LanDiscovery discovery; // null when LAN discovery is off or could not start
    private final RendezvousSessions rendezvous;
    private final PathSwitch paths;
    private final ConnectionManager connections;
    private final NetworkWatch networkWatch;
    private final StatusReporter status;
    private final Set<DeviceId> paused = ConcurrentHashMap.newKeySet();
    private final ConfigStore configs;
    private final Clock clock;

    private DeviceNode(Path home, NodeConfig config, Clock clock, Transport.Factory tcp) throws IOException {
        this.configs = new ConfigStore(home, config);
        this.clock = clock;
        Instant startedAt = clock.instant();
        identity = DeviceIdentity.loadOrCreate(home);
        store = IndexStore.open(home.resolve("index.db"));
        HlcClock hlc = new HlcClock(clock);
        io = Executors.newFixedThreadPool(Math.max(4, 2 * Runtime.getRuntime().availableProcessors()),
                Threads.daemon("meshfold-io"));
        hashers = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors(), Threads.daemon("meshfold-hash"));
        scheduler = Executors.newScheduledThreadPool(1, Threads.daemon("meshfold-timer"));
        DeviceId self = identity.deviceId();
        PendingInvites invites = new PendingInvites(self, clock, new SecureRandom());
        SyncService service = new SyncService();
        folders = new FolderSet(self, store, hlc, clock, io, hashers, scheduler, service, configs);
        for (FolderConfig f : config.folders()) {
            folders.add(f);
        }
        PeerActivity activity = new PeerActivity(service, clock);
        paths = new PathSwitch(self);
        PairingResponder pairing = PairingResponder.of(invites, this::paired);
        network = listen(config, activity, pairing, transports(config, tcp, paths));
        for (FolderConfig f : config.folders()) {
            folders.start(f.id());
        }
        dialer = new Dialer(network, () -> configs.current().peers(), id -> !paused.contains(id), scheduler);
        dialer.start();
        membership = new Membership(identity, configs, invites, service, folders, network, dialer, clock,
                this::reachInviter, paths::active);
        discovery = startDiscovery(config.discovery());
        rendezvous = new RendezvousSessions(identity, config.rendezvous().servers(), this::publishedAddresses,
                this::sought, dialer::discovered, clock, scheduler);
        connections = new ConnectionManager(self, paths, rendezvous, config.rendezvous().turn(), this::sought,
                id -> (configs.current().peer(id).isPresent() && !paused.contains(id)) || pairing.acceptingJoiners(),
                () -> PairingSession.remoteAddresses(network.listenAddress()), clock, scheduler);
        connections.start(network);
        rendezvous.start();
        networkWatch = NetworkWatch.ofInterfaces(scheduler, this::networkChanged);
        networkWatch.start();
        status = new StatusReporter(self, configs, folders, store, network, activity, rendezvous, dialer, clock,
                startedAt);
        status.managedPaths(paths::active);
        long sampleMillis = StatusReporter.TRAFFIC_SAMPLE_INTERVAL.toMillis();
        scheduler.scheduleAtFixedRate(status::sampleTraffic, sampleMillis, sampleMillis, TimeUnit.MILLISECONDS);
        log.info("device {} listening on {}, {} folder(s), {} paired device(s)", self, network.listenAddress(),
                folders.size(), config.peers().size());
    }

    /**
     * Listens on the configured address; if that port is taken (another device home on this
     * machine), on a free port of the same host instead, so several daemons need no port flags.
     */
    private PeerNetwork listen(NodeConfig config, PeerActivity activity, PairingResponder pairing,
            Transport.Factory transports) {
        return ListenFallback.start(config.listen(),
                address -> PeerNetwork.start(options(address, activity, pairing), transports));
    }

    /**
     * TCP + TLS, and QUIC on the UDP port of the same number behind the {@link PathSwitch}: QUIC
     * carries the connections over punched and relayed paths (virtual addresses). With {@code
     * transport.quic} it also races TCP for real addresses: TCP is dialed first (the faster
     * transport where both get through), QUIC when TCP failed or has not reached the device
     * within {@link #QUIC_HEAD_START}, so a device whose TCP is blocked is still reached.
     */
    private static Transport.Factory transports(NodeConfig config, Transport.Factory tcp, PathSwitch paths) {
        return RacingTransport.factory(QUIC_HEAD_START, List.of(tcp, QuicTransport.withFront(paths, config.quic())));
    }

    /** A joiner's punch to its inviter (membership exists before the connection manager). */
    private CompletableFuture<Void> reachInviter(DeviceId inviter) {
        return connections.reach(inviter, PairingSession.JOIN_PUNCH_TIMEOUT);
    }

    /** What the rendezvous record lists: the listen addresses, then reflexive and relayed candidates. */
    private List<InetSocketAddress> publishedAddresses() {
        return ConnectionManager.published(PairingSession.remoteAddresses(network.listenAddress()), connections);
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

    /**
     * This machine's addresses changed: sessions, reflexive addresses and paths may be stale.
     * Reopens the rendezvous sessions, punches to every wanted device (so a connection follows
     * this device to its new address) and dials at once those not connected.
     */
    private void networkChanged() {
        List<DeviceId> wanted = configs.current().peers().stream().map(PeerConfig::id)
                .filter(id -> !paused.contains(id)).toList();
        rendezvous.networkChanged();
        connections.networkChanged(wanted);
        wanted.forEach(dialer::wake);
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

    private NetworkOptions options(InetSocketAddress listen, PeerActivity activity, PairingResponder pairing) {
        return new NetworkOptions(identity, listen, id -> configs.current().peer(id).isPresent() && !paused.contains(id),
                activity).withPairing(pairing);
    }

    /**
     * A joiner proved its invite (on a network thread). Invites are opened only through a started
     * node, so no pairing completes before {@link #membership} is set.
     */
    private void paired(DeviceId joiner, String name, Invite invite) {
        membership.paired(joiner, name, invite);
    }

    /** Starts a device from its home and configuration. */
    public static DeviceNode start(Path home, NodeConfig config, Clock clock) throws IOException {
        return new DeviceNode(home, config, clock, TcpTlsTransport::create);
    }

    /** A device whose TCP + TLS connections come from {@code tcp} (a network that blocks TCP, in tests). */
    static DeviceNode start(Path home, NodeConfig config, Clock clock, Transport.Factory tcp) throws IOException {
        return new DeviceNode(home, config, clock, tcp);
    }

    public DeviceId deviceId() {
        return identity.deviceId();
    }

    public InetSocketAddress listenAddress() {
        return network.listenAddress();
    }

    public Optional<FolderStatus> status(String folderId) {
        return folders.status(folderId);
    }

    /**
     * Everything status output reports about this device now: each folder's state, progress and
     * counters, and each paired device's connection. Thread-safe; cheap enough to call a few
     * times per second (a folder's files are recounted only after its index changed).
     */
    public NodeStatus snapshot() {
        return status.snapshot();
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
        return folders.scanNow();
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
        return membership.invite(folderIdOrPath, ttl);
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
        return membership.join(invite, folderPath);
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
        return membership.addLocalFolder(folder);
    }

    /**
     * Revokes {@code device}: removes it from the configuration and from every folder, closes its
     * connection, and refuses it from now on (its TLS handshake fails).
     *
     * @return false if the device is not known here (nothing changed)
     */
    public boolean removeDevice(DeviceId device) {
        return membership.removeDevice(device);
    }

    @Override
    public void close() {
        membership.close();
        networkWatch.close();
        if (discovery != null) {
            discovery.close();
        }
        connections.close();
        rendezvous.close();
        dialer.close();
        folders.stopScanning();
        network.close();
        folders.closeSyncs();
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
