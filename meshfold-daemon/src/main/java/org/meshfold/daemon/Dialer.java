package org.meshfold.daemon;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.meshfold.config.PeerConfig;
import org.meshfold.identity.DeviceId;
import org.meshfold.protocol.PeerNetwork;
import org.meshfold.replication.Peer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps paired devices with known addresses connected: dials each one that is not connected, at
 * once when it is lost and then with the {@link Backoff} (1 s doubling up to 60 s, with jitter),
 * which starts over once a connection has lasted.
 *
 * <p>The peers are read from the running configuration at every tick, so devices paired or
 * removed while the daemon runs are dialed or left alone at once. A device's addresses are those
 * discovered on the LAN or at a rendezvous server (tried first: they are current) and then the
 * configured ones; one attempt tries them in that order until one connects. A newly discovered or
 * changed address is dialed at once, with the backoff reset, and so is a device {@link #wake}
 * names. Dialing runs on the scheduler thread; the other methods may be called from any thread.
 */
final class Dialer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Dialer.class);
    /** How often connections are checked and due attempts started. */
    static final Duration TICK = Duration.ofMillis(250);

    /** What the dialer needs of the network: {@link PeerNetwork} in a running device. */
    interface Network {
        CompletableFuture<Peer> connect(DeviceId device, InetSocketAddress address);

        Optional<Peer> connected(DeviceId device);
    }

    /**
     * A device that is not connected and is being dialed.
     *
     * @param attempts  attempts since it was last connected (or since the backoff was reset)
     * @param untilNext how long until the next attempt may start; zero if due or under way
     */
    record Retry(int attempts, Duration untilNext) {
    }

    private final Network network;
    private final Supplier<List<PeerConfig>> peers;
    private final Predicate<DeviceId> wanted;
    private final ScheduledExecutorService scheduler;
    private final LongSupplier nanoTime;
    private final Backoff<DeviceId> backoff;
    private final Map<DeviceId, Boolean> dialing = new ConcurrentHashMap<>();
    private final Map<DeviceId, List<InetSocketAddress>> discovered = new ConcurrentHashMap<>();
    private ScheduledFuture<?> task;

    Dialer(PeerNetwork network, Supplier<List<PeerConfig>> peers, Predicate<DeviceId> wanted,
           ScheduledExecutorService scheduler) {
        this(new Network() {
            @Override
            public CompletableFuture<Peer> connect(DeviceId device, InetSocketAddress address) {
                return network.connect(device, address);
            }

            @Override
            public Optional<Peer> connected(DeviceId device) {
                return network.connected(device);
            }
        }, peers, wanted, scheduler, System::nanoTime, Backoff.standard());
    }

    /** @param nanoTime the monotonic time source of {@code scheduler}'s delays and of the backoff */
    Dialer(Network network, Supplier<List<PeerConfig>> peers, Predicate<DeviceId> wanted,
           ScheduledExecutorService scheduler, LongSupplier nanoTime, Backoff<DeviceId> backoff) {
        this.network = network;
        this.peers = peers;
        this.wanted = wanted;
        this.scheduler = scheduler;
        this.nanoTime = nanoTime;
        this.backoff = backoff;
    }

    void start() {
        task = scheduler.scheduleWithFixedDelay(this::tick, 0, TICK.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Where {@code device} was found just now (LAN, rendezvous); dials it there at once unless connected. */
    void discovered(DeviceId device, List<InetSocketAddress> addresses) {
        discovered.put(device, List.copyOf(addresses));
        wake(device);
    }

    /**
     * Dials {@code device} now (unless it is connected or an attempt is under way) and starts its
     * backoff over: for when it is likely reachable again, as when it reappeared somewhere or this
     * device's network changed.
     */
    void wake(DeviceId device) {
        backoff.reset(device);
        try {
            scheduler.execute(this::tick);
        } catch (RejectedExecutionException e) {
            // Shutting down: nothing more to dial.
        }
    }

    /** Where the dialing of {@code device} stands, while it is not connected and attempts have been made. */
    Optional<Retry> retry(DeviceId device) {
        if (network.connected(device).isPresent()) {
            return Optional.empty();
        }
        long now = nanoTime.getAsLong();
        return backoff.state(device).map(s -> new Retry(s.attempts(), Duration.ofNanos(Math.max(0, s.next() - now))));
    }

    /** The addresses to try for {@code peer}, in order: discovered, then configured. */
    List<InetSocketAddress> addresses(PeerConfig peer) {
        LinkedHashSet<InetSocketAddress> all = new LinkedHashSet<>(discovered.getOrDefault(peer.id(), List.of()));
        all.addAll(peer.addresses());
        return List.copyOf(all);
    }

    private void tick() {
        long now = nanoTime.getAsLong();
        for (PeerConfig peer : peers.get()) {
            DeviceId id = peer.id();
            if (network.connected(id).isPresent()) {
                backoff.succeeded(id, now);
                continue;
            }
            List<InetSocketAddress> addresses = addresses(peer);
            if (addresses.isEmpty() || !wanted.test(id) || dialing.containsKey(id) || !backoff.due(id, now)) {
                continue;
            }
            dial(id, addresses, backoff.attempting(id, now));
        }
    }

    /** Forgets the backoff of {@code device}, so it is dialed at the next tick. */
    void reset(DeviceId device) {
        backoff.reset(device);
    }

    private void dial(DeviceId id, List<InetSocketAddress> addresses, int attempt) {
        dialing.put(id, true);
        tryInOrder(id, addresses, 0).whenComplete((peer, error) -> {
            dialing.remove(id);
            if (error != null) {
                log.debug("dialing {} at {} failed (attempt {}): {}", id.shortText(), addresses, attempt,
                        error.getMessage());
            }
        });
    }

    private CompletableFuture<Peer> tryInOrder(DeviceId id, List<InetSocketAddress> addresses, int i) {
        InetSocketAddress address = addresses.get(i);
        CompletableFuture<Peer> attempt = network.connect(id, address).thenApply(peer -> {
            log.info("connected to {} at {}", id.shortText(), address);
            return peer;
        });
        if (i + 1 == addresses.size()) {
            return attempt;
        }
        return attempt.exceptionallyCompose(error -> {
            log.debug("dialing {} at {} failed, trying {}: {}", id.shortText(), address, addresses.get(i + 1),
                    error.getMessage());
            return tryInOrder(id, addresses, i + 1);
        });
    }

    @Override
    public void close() {
        if (task != null) {
            task.cancel(false);
        }
    }
}
