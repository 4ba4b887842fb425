package org.meshfold.daemon;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.meshfold.discovery.rendezvous.PunchOffer;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import org.meshfold.discovery.rendezvous.AddressRecord;
import org.meshfold.discovery.rendezvous.LookupResult;
import org.meshfold.discovery.rendezvous.RendezvousClient;
import org.meshfold.discovery.rendezvous.RendezvousListener;
import org.meshfold.discovery.rendezvous.RendezvousUrl;
import org.meshfold.identity.DeviceId;
import org.meshfold.identity.DeviceIdentity;
import org.meshfold.transport.TcpTlsTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this device known to every configured rendezvous server and finds paired devices there.
 *
 * <p>Per server: one session, reopened after a loss with a delay doubling from 1 s to 60 s; this
 * device's addresses published with a {@link #TTL} and republished at half of it (or at once when
 * they change); and, every {@link #LOOKUP_INTERVAL} (by default) and as soon as a session opens, a lookup of
 * each paired device that is not connected. Verified addresses go to {@code found}, only when
 * they differ from the last ones handed over for that device (the dialer retries them itself).
 *
 * <p>Published addresses are the listen addresses plus, for each listen port, the address the
 * server observed for this device's session with that port: the reflexive address a device
 * behind a port-preserving NAT (or with a public address) is reached at. The observed port
 * itself belongs to the session's outgoing connection and accepts nothing.
 *
 * <p>Threading: all state changes run on {@code scheduler} (one thread); {@link #states} may be
 * read from any thread.
 */
final class RendezvousSessions implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RendezvousSessions.class);
    static final Duration TTL = Duration.ofMinutes(10);
    static final Duration LOOKUP_INTERVAL = Duration.ofSeconds(10);
    private static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    private static final Duration MAX_RETRY = Duration.ofSeconds(60);
    private static final Duration TICK = Duration.ofMillis(500);

    /** One server's session, as {@code status} reports it. */
    record State(RendezvousUrl url, boolean connected, InetSocketAddress observed) {
    }

    private final DeviceIdentity identity;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;
    private final Supplier<List<InetSocketAddress>> addresses;
    private final Supplier<Collection<DeviceId>> sought;
    private final BiConsumer<DeviceId, List<InetSocketAddress>> found;
    private final Duration lookupInterval;
    private final TcpTlsTransport transport;
    private final List<Server> servers;
    private volatile Consumer<PunchOffer> offers = offer -> { };
    private final Map<DeviceId, List<InetSocketAddress>> handedOver = new ConcurrentHashMap<>();
    private volatile boolean closed;
    private ScheduledFuture<?> task;

    /**
     * @param addresses where this device listens now (called on every tick)
     * @param sought    the devices to look up now: paired, wanted and not connected
     * @param found     receives verified addresses of a sought device (on the scheduler thread)
     */
    RendezvousSessions(DeviceIdentity identity, List<RendezvousUrl> urls, Supplier<List<InetSocketAddress>> addresses,
            Supplier<Collection<DeviceId>> sought, BiConsumer<DeviceId, List<InetSocketAddress>> found, Clock clock,
            ScheduledExecutorService scheduler) {
        this(identity, urls, addresses, sought, found, LOOKUP_INTERVAL, clock, scheduler);
    }

    RendezvousSessions(DeviceIdentity identity, List<RendezvousUrl> urls, Supplier<List<InetSocketAddress>> addresses,
            Supplier<Collection<DeviceId>> sought, BiConsumer<DeviceId, List<InetSocketAddress>> found,
            Duration lookupInterval, Clock clock, ScheduledExecutorService scheduler) {
        this.lookupInterval = lookupInterval;
        this.identity = identity;
        this.clock = clock;
        this.scheduler = scheduler;
        this.addresses = addresses;
        this.sought = sought;
        this.found = found;
        // No server, no transport: its event loops are not worth starting.
        this.transport = urls.isEmpty() ? null : TcpTlsTransport.create(identity, device -> false);
        this.servers = urls.stream().map(Server::new).toList();
    }

    /** Receives the punch offers every server pushes (on a session's event loop: return quickly). */
    void onPunchOffer(Consumer<PunchOffer> handler) {
        this.offers = handler;
    }

    /** The servers' addresses, which also answer STUN over UDP. */
    List<InetSocketAddress> stunServers() {
        return servers.stream().map(s -> s.url.address()).filter(a -> !a.isUnresolved()).toList();
    }

    /** Open sessions, in configuration order. */
    private List<RendezvousClient> connected() {
        return servers.stream().map(s -> s.client).filter(c -> c != null && c.isConnected()).toList();
    }

    /** Whether any server is configured. */
    boolean configured() {
        return !servers.isEmpty();
    }

    /** Whether a session to some server is open. */
    boolean anyConnected() {
        return !connected().isEmpty();
    }

    /**
     * Looks {@code device} up at every open session and asks the first server that knows it to
     * coordinate a punch; completes with the device's candidates and the agreed start time, or
     * empty if no server knows the device.
     */
    CompletableFuture<Optional<Punch>> punch(DeviceId device, List<InetSocketAddress> mine) {
        return punchAt(connected(), 0, device, mine);
    }

    /** A punch agreed with a device: its candidates, and when both sides start probing. */
    record Punch(List<InetSocketAddress> candidates, Instant startAt) {
    }

    private CompletableFuture<Optional<Punch>> punchAt(List<RendezvousClient> clients, int i, DeviceId device,
            List<InetSocketAddress> mine) {
        if (i >= clients.size()) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        RendezvousClient c = clients.get(i);
        return c.lookup(device).thenCompose(found -> {
            if (found.isEmpty()) {
                return punchAt(clients, i + 1, device, mine);
            }
            List<InetSocketAddress> theirs = candidates(found.get());
            return c.requestPunch(device, mine).thenApply(scheduled -> {
                List<InetSocketAddress> all = new ArrayList<>(theirs);
                scheduled.targetObserved().ifPresent(all::add);
                return Optional.of(new Punch(List.copyOf(new LinkedHashSet<>(all)), scheduled.startAt()));
            });
        }).exceptionallyCompose(e -> punchAt(clients, i + 1, device, mine));
    }

    /** Time-limited TURN credentials from the first server that hands them out; empty if none does. */
    CompletableFuture<Optional<org.meshfold.discovery.rendezvous.TurnCredentials>> turnCredentials() {
        return turnAt(connected(), 0);
    }

    private CompletableFuture<Optional<org.meshfold.discovery.rendezvous.TurnCredentials>> turnAt(
            List<RendezvousClient> clients, int i) {
        if (i >= clients.size()) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        return clients.get(i).turnCredentials().thenApply(Optional::of)
                .exceptionallyCompose(e -> turnAt(clients, i + 1));
    }

    void start() {
        if (!servers.isEmpty()) {
            task = scheduler.scheduleWithFixedDelay(this::tick, 0, TICK.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /**
     * This device's network changed: a session may run from an address that is gone (and would be
     * found dead only much later), and the servers must learn the new one. Every session is opened
     * again now, with its retry delay reset.
     */
    void networkChanged() {
        onScheduler(() -> {
            handedOver.clear();
            servers.forEach(Server::reopen);
        });
    }

    List<State> states() {
        return servers.stream().map(s -> {
            RendezvousClient c = s.client;
            boolean up = c != null && c.isConnected();
            return new State(s.url, up, up ? c.observedAddress() : null);
        }).toList();
    }

    private void tick() {
        long now = System.nanoTime();
        for (Server s : servers) {
            try {
                s.tick(now);
            } catch (RuntimeException e) {
                // One server's trouble must not end the periodic work for the others.
                log.warn("rendezvous server {}: {}", s.url, e.toString());
            }
        }
    }

    private void onScheduler(Runnable r) {
        try {
            scheduler.execute(r);
        } catch (RejectedExecutionException e) {
            // shutting down: nothing left to do
        }
    }

    /** State of one server; touched only on the scheduler thread, except the volatile client. */
    private final class Server {
        final RendezvousUrl url;
        volatile RendezvousClient client;
        boolean connecting;
        long nextAttempt;
        long retryNanos = FIRST_RETRY.toNanos();
        boolean warned;
        long reregisterAt;
        long nextLookup;
        List<InetSocketAddress> registered = List.of();

        Server(RendezvousUrl url) {
            this.url = url;
        }

        void tick(long now) {
            RendezvousClient c = client;
            if (c == null) {
                if (!connecting && now - nextAttempt >= 0) {
                    connect();
                }
                return;
            }
            List<InetSocketAddress> mine = published(c);
            if (now - reregisterAt >= 0 || !mine.equals(registered)) {
                register(c, mine, now);
            }
            if (now - nextLookup >= 0) {
                nextLookup = now + lookupInterval.toNanos();
                sought.get().forEach(device -> lookup(c, device));
            }
        }

        void connect() {
            connecting = true;
            RendezvousListener listener = new RendezvousListener() {
                @Override
                public void punchOffer(PunchOffer offer) {
                    offers.accept(offer);
                }

                @Override
                public void disconnected(Throwable cause) {
                    onScheduler(() -> lost(cause));
                }
            };
            RendezvousClient.connect(transport, identity, url, clock, listener).whenComplete((opened, error) ->
                    onScheduler(() -> {
                        connecting = false;
                        if (closed && opened != null) {
                            opened.close();
                        } else if (error != null) {
                            failed(error);
                        } else {
                            opened(opened);
                        }
                    }));
        }

        void opened(RendezvousClient c) {
            client = c;
            retryNanos = FIRST_RETRY.toNanos();
            warned = false;
            registered = List.of();
            nextLookup = System.nanoTime();
            log.info("rendezvous server {} connected; it sees this device at {}", url,
                    StatusViews.hostPort(c.observedAddress()));
            tick(System.nanoTime());
        }

        void failed(Throwable error) {
            Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                    ? error.getCause() : error;
            if (!warned) {
                log.warn("rendezvous server {} is not available, retrying in the background (paired devices are "
                        + "still dialed at known addresses): {}", url, cause.getMessage());
                warned = true;
            } else {
                log.debug("rendezvous server {} still not available: {}", url, cause.getMessage());
            }
            nextAttempt = System.nanoTime() + retryNanos;
            retryNanos = Math.min(retryNanos * 2, MAX_RETRY.toNanos());
        }

        void lost(Throwable cause) {
            RendezvousClient c = client;
            if (c == null || c.isConnected()) {
                return;
            }
            client = null;
            c.close();
            if (!closed) {
                failed(cause);
            }
        }

        void reopen() {
            RendezvousClient c = client;
            client = null;
            if (c != null) {
                c.close();
            }
            retryNanos = FIRST_RETRY.toNanos();
            nextAttempt = System.nanoTime();
            if (!closed && !connecting) {
                connect();
            }
        }

        void register(RendezvousClient c, List<InetSocketAddress> mine, long now) {
            registered = mine;
            reregisterAt = now + TTL.dividedBy(2).toNanos();
            c.register(mine, TTL).whenComplete((expires, error) -> {
                if (error != null) {
                    log.warn("rendezvous server {} did not take this device's addresses {}: {}", url, mine,
                            error.getMessage());
                    onScheduler(() -> reregisterAt = System.nanoTime() + retryNanos);
                } else {
                    log.debug("registered {} at {} until {}", mine, url, expires);
                }
            });
        }

        void lookup(RendezvousClient c, DeviceId device) {
            c.lookup(device).whenComplete((result, error) -> {
                if (error != null) {
                    log.debug("looking up {} at {} failed: {}", device.shortText(), url, error.getMessage());
                } else if (result.isPresent()) {
                    onScheduler(() -> handOver(device, candidates(result.get())));
                }
            });
        }

        private List<InetSocketAddress> published(RendezvousClient c) {
            return withReflexive(addresses.get(), c.observedAddress());
        }
    }

    private void handOver(DeviceId device, List<InetSocketAddress> candidates) {
        if (candidates.isEmpty() || closed || candidates.equals(handedOver.put(device, candidates))) {
            return;
        }
        log.info("paired device {} found through rendezvous at {}", device.shortText(),
                String.join(", ", candidates.stream().map(StatusViews::hostPort).toList()));
        found.accept(device, candidates);
    }

    /** The record's addresses, then its ports at the address the server observed for the device. */
    static List<InetSocketAddress> candidates(LookupResult result) {
        List<InetSocketAddress> recorded = result.record().addresses();
        return result.observed().map(o -> withReflexive(recorded, o)).orElse(recorded);
    }

    /** {@code listen}, then each of its ports at {@code observed}'s address; at most one record's worth. */
    static List<InetSocketAddress> withReflexive(List<InetSocketAddress> listen, InetSocketAddress observed) {
        LinkedHashSet<InetSocketAddress> all = new LinkedHashSet<>(listen);
        if (observed != null && !observed.isUnresolved()) {
            listen.stream().map(a -> new InetSocketAddress(observed.getAddress(), a.getPort())).forEach(all::add);
        }
        return new ArrayList<>(all).stream().limit(AddressRecord.MAX_ADDRESSES).toList();
    }

    @Override
    public void close() {
        closed = true;
        if (task != null) {
            task.cancel(false);
        }
        servers.forEach(s -> {
            RendezvousClient c = s.client;
            if (c != null) {
                c.close();
            }
        });
        if (transport != null) {
            transport.close();
        }
    }
}
