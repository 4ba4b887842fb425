package org.meshfold.daemon;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.meshfold.config.PeerConfig;
import org.meshfold.identity.DeviceId;
import org.meshfold.protocol.PeerNetwork;
import org.meshfold.replication.Peer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps paired devices with known addresses connected: dials each one that is not connected,
 * retrying with a delay that doubles from 1 s up to 30 s and returns to 1 s once connected.
 *
 * <p>The peers are read from the running configuration at every tick, so devices paired or
 * removed while the daemon runs are dialed or left alone at once. A device's addresses are those
 * discovered on the LAN (tried first: they are current) and then the configured ones; one attempt
 * tries them in that order until one connects. A newly discovered or changed address is dialed at
 * once, with the backoff reset. Dialing runs on the scheduler thread; {@link #discovered} may be
 * called from any thread.
 */
final class Dialer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Dialer.class);
    private static final Duration FIRST_DELAY = Duration.ofSeconds(1);
    private static final Duration MAX_DELAY = Duration.ofSeconds(30);

    private final PeerNetwork network;
    private final Supplier<List<PeerConfig>> peers;
    private final Predicate<DeviceId> wanted;
    private final ScheduledExecutorService scheduler;
    private final Map<DeviceId, Long> nextDelayMillis = new ConcurrentHashMap<>();
    private final Map<DeviceId, Long> notBefore = new ConcurrentHashMap<>();
    private final Map<DeviceId, Boolean> dialing = new ConcurrentHashMap<>();
    private final Map<DeviceId, List<InetSocketAddress>> discovered = new ConcurrentHashMap<>();
    private ScheduledFuture<?> task;

    Dialer(PeerNetwork network, Supplier<List<PeerConfig>> peers, Predicate<DeviceId> wanted, ScheduledExecutorService scheduler) {
        this.network = network;
        this.peers = peers;
        this.wanted = wanted;
        this.scheduler = scheduler;
    }

    void start() {
        task = scheduler.scheduleWithFixedDelay(this::tick, 0, 250, TimeUnit.MILLISECONDS);
    }

    /** Where {@code device} was found on the LAN just now; dials it there at once unless connected. */
    void discovered(DeviceId device, List<InetSocketAddress> addresses) {
        discovered.put(device, List.copyOf(addresses));
        reset(device);
        if (!scheduler.isShutdown()) {
            scheduler.execute(this::tick);
        }
    }

    /** The addresses to try for {@code peer}, in order: discovered, then configured. */
    List<InetSocketAddress> addresses(PeerConfig peer) {
        LinkedHashSet<InetSocketAddress> all = new LinkedHashSet<>(discovered.getOrDefault(peer.id(), List.of()));
        all.addAll(peer.addresses());
        return List.copyOf(all);
    }

    private void tick() {
        long now = System.nanoTime() / 1_000_000;
        for (PeerConfig peer : peers.get()) {
            DeviceId id = peer.id();
            List<InetSocketAddress> addresses = addresses(peer);
            if (addresses.isEmpty() || !wanted.test(id) || network.connected(id).isPresent()) {
                if (network.connected(id).isPresent()) {
                    nextDelayMillis.remove(id);
                }
                continue;
            }
            if (dialing.containsKey(id) || now < notBefore.getOrDefault(id, 0L)) {
                continue;
            }
            long delay = nextDelayMillis.getOrDefault(id, FIRST_DELAY.toMillis());
            nextDelayMillis.put(id, Math.min(delay * 2, MAX_DELAY.toMillis()));
            notBefore.put(id, now + delay);
            dial(id, addresses);
        }
    }

    /** Forgets the backoff of {@code device}, so it is dialed at the next tick. */
    void reset(DeviceId device) {
        nextDelayMillis.remove(device);
        notBefore.remove(device);
    }

    private void dial(DeviceId id, List<InetSocketAddress> addresses) {
        dialing.put(id, true);
        tryInOrder(id, addresses, 0).whenComplete((peer, error) -> {
            dialing.remove(id);
            if (error != null) {
                log.debug("dialing {} at {} failed: {}", id.shortText(), addresses, error.getMessage());
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
