package org.meshfold.daemon;

import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.meshfold.config.TurnServer;
import org.meshfold.connect.PathKind;
import org.meshfold.connect.PathSwitch;
import org.meshfold.connect.TurnRelay;
import org.meshfold.discovery.rendezvous.AddressRecord;
import org.meshfold.discovery.rendezvous.PunchOffer;
import org.meshfold.identity.DeviceId;
import org.meshfold.nat.StunClient;
import org.meshfold.nat.StunRetransmission;
import org.meshfold.nat.TurnCredentials;
import org.meshfold.protocol.PeerNetwork;
import org.meshfold.transport.VirtualAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reaches paired devices across NATs over the shared UDP socket (DESIGN §8): gathers this
 * device's candidates (server-reflexive from STUN, relayed from TURN), has the rendezvous servers
 * coordinate hole punching with each paired device that is not connected, and dials a device's
 * {@link VirtualAddress} once the {@link PathSwitch} has proven a path to it. The switch then
 * keeps the connection on the best path (relayed first if that is all there is, direct as soon
 * as a punch succeeds).
 *
 * <p>UDP is taken to be blocked when no STUN server answers over UDP while a rendezvous server
 * answers over TCP; then the TURN relay is allocated over TCP and carries every datagram.
 *
 * <p>Threading: all work runs on {@code scheduler} (one thread); the switch's callbacks hop there.
 */
final class ConnectionManager implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ConnectionManager.class);
    private static final Duration TICK = Duration.ofMillis(500);
    private static final Duration STUN_INTERVAL = Duration.ofSeconds(60);
    private static final Duration STUN_UNDECIDED_RETRY = Duration.ofSeconds(3);
    private static final Duration TURN_RETRY = Duration.ofSeconds(30);
    private static final Duration FIRST_PUNCH_RETRY = Duration.ofSeconds(5);
    private static final Duration MAX_PUNCH_RETRY = Duration.ofSeconds(60);
    private static final Duration BURST = Duration.ofSeconds(5);
    private static final Duration URGENT_PUNCH_RETRY = Duration.ofSeconds(2);
    /** The larger device leaves the dial to the smaller one (see ConnectionRegistry) for this long. */
    private static final Duration LARGER_DIALS_AFTER = Duration.ofSeconds(3);
    private static final StunRetransmission STUN_RETRY = new StunRetransmission(Duration.ofMillis(250), 4, 4);

    private final DeviceId self;
    private final PathSwitch paths;
    private final RendezvousSessions rendezvous;
    private final Optional<TurnServer> turn;
    private final Supplier<Collection<DeviceId>> sought;
    private final Predicate<DeviceId> welcome;
    private final Supplier<List<InetSocketAddress>> hostAddresses;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;
    private final StunClient stun;
    private final Map<DeviceId, Long> nextPunch = new ConcurrentHashMap<>();
    private final Map<DeviceId, Long> punchDelay = new ConcurrentHashMap<>();
    private final Map<DeviceId, Long> pathSince = new ConcurrentHashMap<>();
    private final Map<DeviceId, Long> nextUrgentPunch = new ConcurrentHashMap<>();
    private final Set<DeviceId> dialing = ConcurrentHashMap.newKeySet();
    /** Devices to punch to as soon as a rendezvous session is open, after this device's network changed. */
    private final Set<DeviceId> repunch = new java.util.HashSet<>();
    private final Map<DeviceId, CompletableFuture<Void>> waiters = new ConcurrentHashMap<>();
    private PeerNetwork network;
    private volatile List<InetSocketAddress> reflexive = List.of();
    private volatile TurnRelay relay;
    private volatile boolean udpBlocked;
    private boolean udpTurnFailed;
    private boolean stunRunning;
    private boolean stunDone;
    private long nextStun;
    private boolean allocating;
    private long nextTurn;
    private volatile boolean closed;
    private ScheduledFuture<?> task;

    /**
     * @param sought        paired devices to reach now: wanted and not connected
     * @param welcome       devices whose punch offers are answered (paired, or any while an invite is open)
     * @param hostAddresses this device's own addresses with the listen port
     */
    ConnectionManager(DeviceId self, PathSwitch paths, RendezvousSessions rendezvous, Optional<TurnServer> turn,
            Supplier<Collection<DeviceId>> sought, Predicate<DeviceId> welcome,
            Supplier<List<InetSocketAddress>> hostAddresses, Clock clock, ScheduledExecutorService scheduler) {
        this.self = self;
        this.paths = paths;
        this.rendezvous = rendezvous;
        this.turn = turn;
        this.sought = sought;
        this.welcome = welcome;
        this.hostAddresses = hostAddresses;
        this.clock = clock;
        this.scheduler = scheduler;
        this.stun = new StunClient(paths.socketPort(), scheduler, STUN_RETRY, new SecureRandom());
    }

    void start(PeerNetwork peers) {
        this.network = peers;
        if (paths.localAddress().isEmpty()) {
            log.warn("no UDP socket: devices behind NATs are reached only if they can be dialed over TCP");
            return;
        }
        paths.addSink(stun::onDatagram);
        paths.listener((device, kind) -> onScheduler(() -> pathChanged(device, kind)));
        rendezvous.onPunchOffer(offer -> onScheduler(() -> offered(offer)));
        task = scheduler.scheduleWithFixedDelay(this::tick, 0, TICK.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * What a rendezvous record lists: {@code local} addresses, then the reflexive and relayed
     * candidates of {@code manager} (null while it is not built yet).
     */
    static List<InetSocketAddress> published(List<InetSocketAddress> local, ConnectionManager manager) {
        List<InetSocketAddress> all = new ArrayList<>(local);
        if (manager != null) {
            manager.candidates().stream().filter(a -> !all.contains(a)).forEach(all::add);
        }
        return all;
    }

    /** This device's reflexive and relayed addresses, for its rendezvous record and punch requests. */
    List<InetSocketAddress> candidates() {
        List<InetSocketAddress> out = new ArrayList<>(reflexive);
        TurnRelay r = relay;
        if (r != null) {
            out.add(r.relayedAddress());
        }
        return out;
    }

    /** The kind of path to {@code device} if its connection runs over the managed paths. */
    Optional<PathKind> path(DeviceId device) {
        return paths.activePath(device);
    }

    /**
     * Punches to {@code device} now (a joiner reaching its inviter); completes once a path is
     * proven, exceptionally after {@code timeout}.
     */
    public CompletableFuture<Void> reach(DeviceId device, Duration timeout) {
        CompletableFuture<Void> proven = new CompletableFuture<>();
        if (paths.activePath(device).isPresent()) {
            proven.complete(null);
            return proven;
        }
        if (task == null || !rendezvous.configured()) {
            proven.completeExceptionally(new IllegalStateException(task == null ? "no UDP socket to punch from"
                    : "no rendezvous server is configured to coordinate a punch"));
            return proven;
        }
        waiters.put(device, proven);
        onScheduler(this::tick);
        return proven.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((v, e) -> {
                    waiters.remove(device, proven);
                    nextUrgentPunch.remove(device);
                });
    }

    /**
     * This device's network changed: its reflexive address, and so every path to it, may have too.
     * Asks STUN again, and punches to each of {@code devices} (connected or not) as soon as a
     * rendezvous session is open, so that peers learn the new address and connections move to a
     * path from it instead of dying with the old one.
     */
    void networkChanged(Collection<DeviceId> devices) {
        List<DeviceId> copy = List.copyOf(devices);
        onScheduler(() -> {
            if (task == null) {
                return; // no UDP socket: nothing punched
            }
            nextStun = System.nanoTime();
            punchDelay.clear();
            nextPunch.clear();
            repunch.addAll(copy);
            tick();
        });
    }

    private void tick() {
        if (closed) {
            return;
        }
        try {
            long now = System.nanoTime();
            refreshStun(now);
            refreshRelay(now);
            if (!repunch.isEmpty() && rendezvous.anyConnected()) {
                repunch.forEach(this::punch);
                repunch.clear();
            }
            for (DeviceId device : sought.get()) {
                if (now - nextPunch.getOrDefault(device, now) >= 0 && rendezvous.anyConnected()) {
                    long delay = punchDelay.getOrDefault(device, FIRST_PUNCH_RETRY.toNanos());
                    punchDelay.put(device, Math.min(delay * 2, MAX_PUNCH_RETRY.toNanos()));
                    nextPunch.put(device, now + delay);
                    punch(device);
                }
                dialIfReady(device, now);
            }
            // Someone waits for these (a joiner and its inviter): punch again soon, as the relay may be new.
            for (DeviceId device : waiters.keySet()) {
                if (now - nextUrgentPunch.getOrDefault(device, now) >= 0 && rendezvous.anyConnected()) {
                    nextUrgentPunch.put(device, now + URGENT_PUNCH_RETRY.toNanos());
                    punch(device);
                }
            }
        } catch (RuntimeException e) {
            log.warn("connection manager: {}", e.toString());
        }
    }

    private void refreshStun(long now) {
        List<InetSocketAddress> servers = stunServers();
        if (stunRunning || servers.isEmpty() || now - nextStun < 0) {
            return;
        }
        stunRunning = true;
        nextStun = now + STUN_INTERVAL.toNanos();
        List<CompletableFuture<Optional<InetSocketAddress>>> asks = servers.stream()
                .map(s -> stun.bind(s).thenApply(Optional::of).exceptionally(e -> Optional.empty())).toList();
        CompletableFuture.allOf(asks.toArray(CompletableFuture[]::new)).whenComplete((v, e) -> onScheduler(() -> {
            LinkedHashSet<InetSocketAddress> found = new LinkedHashSet<>();
            asks.forEach(a -> a.join().ifPresent(found::add));
            boolean blocked = found.isEmpty() && rendezvous.anyConnected();
            if (blocked != udpBlocked || !List.copyOf(found).equals(reflexive)) {
                log.info("UDP {}; reflexive address(es): {}", blocked ? "seems blocked (no STUN answer)" : "works",
                        found.isEmpty() ? "none" : found);
            }
            reflexive = List.copyOf(found);
            udpBlocked = blocked;
            stunRunning = false;
            // No answer and no rendezvous session to tell "UDP blocked" from "servers down": ask again soon.
            stunDone = !found.isEmpty() || blocked;
            if (!stunDone) {
                nextStun = System.nanoTime() + STUN_UNDECIDED_RETRY.toNanos();
            }
        }));
    }

    private List<InetSocketAddress> stunServers() {
        List<InetSocketAddress> servers = new ArrayList<>(rendezvous.stunServers());
        turn.map(t -> new InetSocketAddress(t.host(), t.port())).filter(a -> !a.isUnresolved()).ifPresent(servers::add);
        return servers;
    }

    private void refreshRelay(long now) {
        if (!stunDone || relay != null || allocating || now - nextTurn < 0) {
            return;
        }
        boolean configured = turn.isPresent() && turn.get().hasCredentials();
        if (!configured && !rendezvous.anyConnected()) {
            return; // credentials come from a rendezvous server: wait for a session
        }
        allocating = true;
        nextTurn = now + TURN_RETRY.toNanos();
        turnServer().thenCompose(server -> {
            if (server.isEmpty()) {
                return CompletableFuture.completedFuture((TurnRelay) null);
            }
            TurnServer t = server.get();
            InetSocketAddress address = new InetSocketAddress(t.host(), t.port());
            TurnCredentials credentials = new TurnCredentials(t.user(), t.password());
            boolean tcp = udpBlocked || udpTurnFailed || t.transport().filter("tcp"::equals).isPresent();
            return tcp ? TurnRelay.overTcp(paths, address, credentials, scheduler, Threads.daemon("meshfold-turn-tcp"))
                    : TurnRelay.overUdp(paths, address, credentials, scheduler);
        }).whenComplete((made, error) -> onScheduler(() -> {
            allocating = false;
            if (error != null) {
                // A TURN server silent over UDP may still answer over TCP: try that next.
                udpTurnFailed = true;
                log.warn("no TURN relay (retrying in {} s): {}", TURN_RETRY.toSeconds(), rootMessage(error));
                return;
            }
            if (made == null) {
                return;
            }
            if (closed) {
                made.close();
                return;
            }
            relay = made;
            paths.relay(made, udpBlocked);
            made.lost().whenComplete((v, e) -> onScheduler(() -> relayLost(made)));
        }));
    }

    private void relayLost(TurnRelay lost) {
        if (relay == lost) {
            log.warn("TURN relay {} lost; allocating again", lost.relayedAddress());
            relay = null;
            paths.relay(null, udpBlocked);
            nextTurn = System.nanoTime();
        }
    }

    /** The configured TURN server, or one with credentials from a rendezvous server. */
    private CompletableFuture<Optional<TurnServer>> turnServer() {
        if (turn.isPresent() && turn.get().hasCredentials()) {
            return CompletableFuture.completedFuture(turn);
        }
        return rendezvous.turnCredentials().thenApply(c -> c.map(
                credentials -> TurnServer.parse(credentials.url(), credentials.username(), credentials.password())));
    }

    private void punch(DeviceId device) {
        List<InetSocketAddress> mine = ownCandidates();
        rendezvous.punch(device, mine).whenComplete((agreed, error) -> onScheduler(() -> {
            if (error != null || agreed.isEmpty()) {
                log.debug("no punch with {}: {}", device.shortText(), error == null ? "no server knows it"
                        : rootMessage(error));
                return;
            }
            log.debug("punching to {} at {}", device.shortText(), agreed.get().startAt());
            paths.punch(device, agreed.get().candidates(), startNanos(agreed.get().startAt()), BURST);
        }));
    }

    private void offered(PunchOffer offer) {
        if (!welcome.test(offer.from())) {
            log.debug("ignoring a punch offer from unknown device {}", offer.from().shortText());
            return;
        }
        List<InetSocketAddress> theirs = new ArrayList<>(offer.candidates());
        offer.fromObserved().ifPresent(theirs::add);
        log.debug("punch offer from {} for {}", offer.from().shortText(), offer.startAt());
        paths.punch(offer.from(), theirs, startNanos(offer.startAt()), BURST);
    }

    private List<InetSocketAddress> ownCandidates() {
        LinkedHashSet<InetSocketAddress> all = new LinkedHashSet<>(hostAddresses.get());
        all.addAll(candidates());
        return all.stream().limit(AddressRecord.MAX_ADDRESSES).toList();
    }

    private long startNanos(Instant startAt) {
        return System.nanoTime() + Duration.between(clock.instant(), startAt).toNanos();
    }

    private void pathChanged(DeviceId device, Optional<PathKind> kind) {
        if (kind.isEmpty()) {
            pathSince.remove(device);
            return;
        }
        pathSince.putIfAbsent(device, System.nanoTime());
        CompletableFuture<Void> waiter = waiters.remove(device);
        if (waiter != null) {
            waiter.complete(null);
        }
        dialIfReady(device, System.nanoTime());
    }

    private void dialIfReady(DeviceId device, long now) {
        Long since = pathSince.get(device);
        if (since == null || network == null || dialing.contains(device) || network.connected(device).isPresent()
                || !sought.get().contains(device)) {
            return;
        }
        if (self.compareTo(device) > 0 && now - since < LARGER_DIALS_AFTER.toNanos()) {
            return;
        }
        dialing.add(device);
        network.connect(device, VirtualAddress.of(device)).whenComplete((peer, error) -> {
            dialing.remove(device);
            if (error != null) {
                log.debug("dialing {} over its punched/relayed path failed: {}", device.shortText(), rootMessage(error));
            } else {
                log.info("connected to {} over a {} path", device.shortText(),
                        paths.activePath(device).map(PathKind::label).orElse("managed"));
                punchDelay.remove(device);
                nextPunch.remove(device);
            }
        });
    }

    private void onScheduler(Runnable r) {
        try {
            scheduler.execute(r);
        } catch (RejectedExecutionException e) {
            // shutting down
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && (t instanceof java.util.concurrent.CompletionException
                || t instanceof java.util.concurrent.ExecutionException)) {
            t = t.getCause();
        }
        return String.valueOf(t.getMessage());
    }

    @Override
    public void close() {
        closed = true;
        if (task != null) {
            task.cancel(false);
        }
        TurnRelay r = relay;
        if (r != null) {
            r.close();
        }
    }
}
