package org.meshfold.daemon;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.meshfold.config.ConfigFile;
import org.meshfold.config.FolderConfig;
import org.meshfold.config.NodeConfig;
import org.meshfold.config.RendezvousConfig;
import org.meshfold.connect.PathSwitch;
import org.meshfold.discovery.rendezvous.RendezvousUrl;
import org.meshfold.identity.DeviceId;
import org.meshfold.identity.DeviceIdentity;
import org.meshfold.pairing.Invite;
import org.meshfold.pairing.PairingResponder;
import org.meshfold.pairing.PendingInvites;
import org.meshfold.protocol.NetworkOptions;
import org.meshfold.protocol.PeerNetwork;
import org.meshfold.transport.RacingTransport;
import org.meshfold.transport.TcpTlsTransport;
import org.meshfold.transport.Transport;
import org.meshfold.transport.quic.QuicTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pairing while no daemon runs on the home: a short-lived network that only answers joiners
 * (inviter) or only dials an inviter (joiner). An accepted joiner is written to the configuration,
 * so the next {@code meshfold run} syncs with it.
 */
public final class PairingSession implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PairingSession.class);
    /** How long a joiner tries to punch or relay to its inviter. */
    static final Duration JOIN_PUNCH_TIMEOUT = Duration.ofSeconds(15);

    private final Path home;
    private final PendingInvites invites;
    private final PeerNetwork network;
    private final CompletableFuture<Paired> paired = new CompletableFuture<>();
    private final List<String> rendezvousUrls;
    private final ScheduledExecutorService scheduler;
    private final RendezvousSessions rendezvous;
    private final ConnectionManager connections;
    private final PathSwitch paths;

    /** A device that redeemed an invite. */
    public record Paired(DeviceId device, String name, String folderId) {
    }

    private PairingSession(Path home, DeviceIdentity identity, InetSocketAddress listen, RendezvousConfig servers,
            Clock clock) {
        this.home = home;
        this.invites = new PendingInvites(identity.deviceId(), clock, new SecureRandom());
        PairingResponder responder = PairingResponder.of(invites, this::record);
        this.paths = new PathSwitch(identity.deviceId());
        Transport.Factory transports = RacingTransport.factory(Duration.ofMillis(150),
                List.of(TcpTlsTransport::create, QuicTransport.withFront(paths, false)));
        this.network = ListenFallback.start(listen, address -> PeerNetwork.start(new NetworkOptions(identity, address,
                device -> false, new RefusingListener()).withPairing(responder), transports));
        this.rendezvousUrls = inviteUrls(servers);
        this.scheduler = Executors.newSingleThreadScheduledExecutor(Threads.daemon("meshfold-pairing-timer"));
        // Published so that a joiner whose code's addresses do not answer finds this device there.
        this.rendezvous = new RendezvousSessions(identity, servers.servers(), this::published, List::of,
                (device, addresses) -> { }, clock, scheduler);
        // Punches through NATs: the inviter answers joiners' offers, the joiner reaches its inviter.
        this.connections = new ConnectionManager(identity.deviceId(), paths, rendezvous, servers.turn(), List::of,
                device -> responder.acceptingJoiners(), () -> remoteAddresses(network.listenAddress()), clock,
                scheduler);
        connections.start(network);
        rendezvous.start();
    }

    private List<InetSocketAddress> published() {
        return ConnectionManager.published(remoteAddresses(network.listenAddress()), connections);
    }

    /**
     * Punches to {@code device} through the session's rendezvous servers; completes once a path
     * is proven (for {@link InviteJoiner#pair}).
     */
    public CompletableFuture<Void> reach(DeviceId device) {
        return connections.reach(device, JOIN_PUNCH_TIMEOUT);
    }

    /** The path to {@code device} over the shared UDP socket, if one is proven. */
    public Optional<PathSwitch.Active> path(DeviceId device) {
        return paths.active(device);
    }

    /**
     * Starts listening for joiners on the configured address, or on a free port if it is taken,
     * and publishes that address at the configured rendezvous servers.
     */
    public static PairingSession inviter(Path home, DeviceIdentity identity, NodeConfig config, Clock clock) {
        return new PairingSession(home, identity, config.listen(), config.rendezvous(), clock);
    }

    /** A session that only dials out (its listener accepts nobody). */
    public static PairingSession joiner(Path home, DeviceIdentity identity, Clock clock) {
        return new PairingSession(home, identity, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                RendezvousConfig.NONE, clock);
    }

    /**
     * A joiner that can also punch to its inviter through {@code servers} (the invite's rendezvous
     * servers): it listens on every interface (its UDP socket must reach the internet) but accepts
     * nobody.
     */
    public static PairingSession joiner(Path home, DeviceIdentity identity, Clock clock, List<RendezvousUrl> servers) {
        if (servers.isEmpty()) {
            return joiner(home, identity, clock);
        }
        return new PairingSession(home, identity, new InetSocketAddress(0),
                new RendezvousConfig(servers, Optional.empty()), clock);
    }

    /** The rendezvous URLs an invite carries: the configured servers, as many as a code holds. */
    static List<String> inviteUrls(RendezvousConfig config) {
        return config.servers().stream().map(Object::toString).limit(Invite.MAX_URLS).toList();
    }

    public PeerNetwork network() {
        return network;
    }

    /** A single-use invite to {@code folder}, naming the addresses this session listens on. */
    public Invite invite(FolderConfig folder, Duration ttl) {
        return invites.create(folder.id(), folder.label(), reachableAddresses(network.listenAddress()), rendezvousUrls,
                ttl);
    }

    /** Completes when a joiner has been accepted and written to the configuration. */
    public CompletableFuture<Paired> paired() {
        return paired;
    }

    private void record(DeviceId joiner, String name, Invite invite) {
        synchronized (this) {
            NodeConfig config = ConfigFile.load(home);
            ConfigFile.save(home, config.withMember(invite.folderId(), joiner, name.isBlank() ? joiner.shortText() : name,
                    List.of()));
        }
        log.info("paired with {} ({}) for folder {}", joiner, name, invite.folderId());
        paired.complete(new Paired(joiner, name, invite.folderId()));
    }

    /**
     * The addresses a joiner can try: the listen address itself if it names one, otherwise every
     * address of every interface that is up (loopback last, for devices on this machine).
     */
    /**
     * What other devices are told through rendezvous servers and punch requests: the reachable
     * addresses without loopback ones (which would lead a device elsewhere to itself), unless
     * loopback is all there is (devices on one machine).
     */
    static List<InetSocketAddress> remoteAddresses(InetSocketAddress listen) {
        List<InetSocketAddress> all = reachableAddresses(listen);
        List<InetSocketAddress> remote = all.stream().filter(a -> !a.getAddress().isLoopbackAddress()).toList();
        return remote.isEmpty() ? all : remote;
    }

    static List<InetSocketAddress> reachableAddresses(InetSocketAddress listen) {
        if (!listen.getAddress().isAnyLocalAddress()) {
            return List.of(listen);
        }
        List<InetSocketAddress> out = new ArrayList<>();
        List<InetSocketAddress> loopback = new ArrayList<>();
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!nic.isUp()) {
                    continue;
                }
                for (InetAddress a : Collections.list(nic.getInetAddresses())) {
                    boolean wrongFamily = a instanceof Inet6Address != listen.getAddress() instanceof Inet6Address;
                    if (a.isLinkLocalAddress() || wrongFamily) {
                        continue;
                    }
                    (a.isLoopbackAddress() ? loopback : out).add(new InetSocketAddress(a, listen.getPort()));
                }
            }
        } catch (SocketException e) {
            log.warn("cannot list network interfaces: {}", e.getMessage());
        }
        out.addAll(loopback);
        return out.stream().limit(Invite.MAX_ADDRESSES).toList();
    }

    @Override
    public void close() {
        connections.close();
        rendezvous.close();
        scheduler.shutdownNow();
        network.close();
    }
}
