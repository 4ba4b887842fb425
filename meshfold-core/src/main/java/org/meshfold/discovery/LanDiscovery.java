package org.meshfold.discovery;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.MembershipKey;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.meshfold.discovery.AnnouncementTargets.Target;
import org.meshfold.identity.DeviceId;
import org.meshfold.identity.DeviceIdentity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds devices on the local network by signed UDP announcements, and announces this one.
 *
 * <h2>Design note</h2>
 * Each device sends an {@link Announcement} (its id, sync addresses, a per-start instance id and
 * the time, signed with its Ed25519 key) to the multicast group {@code 239.255.77.77} and to each
 * interface's broadcast address, port 21025 ({@link DiscoveryOptions#lan()}). It announces at
 * start, once more after {@code startupRepeat} (200 ms) for a peer that was still binding its
 * socket, whenever {@link #setAddresses} changes them, and then every {@code interval} (30 s).
 * The same socket receives: it is bound with {@code SO_REUSEADDR} and {@code SO_REUSEPORT}, so
 * two daemons on one machine both listen on the port (broadcast and multicast datagrams reach
 * every such socket; unicast would reach only one).
 *
 * <p>A new peer is found within a second without waiting a whole interval: the newcomer's first
 * announcement reaches everyone already running, and whoever sees a device for the first time
 * (or sees it restarted) answers with an announcement of its own at once, as Syncthing does. Only
 * devices accepted by the filter trigger an answer, so strangers cannot make us send.
 *
 * <p>Every datagram is hostile until proven otherwise: {@link AnnouncementCodec} rejects anything
 * oversized, malformed, stale or in the future (replay window {@code maxClockSkew}), whose key
 * does not hash to the claimed id, or whose signature fails. Then our own announcements and
 * devices outside the filter are dropped, and {@link DiscoveryCache} drops copies and replays
 * (issue time not newer than the last one) and reports only news: a new device, changed
 * addresses, or a restart. Entries expire after three intervals without an announcement.
 *
 * <p>Threads: a receive thread owned by this object decodes, verifies and calls the listener; the
 * injected scheduler sends. Sends are serialized by a lock; the cache has its own.
 */
public final class LanDiscovery implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LanDiscovery.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final DeviceIdentity identity;
    private final Predicate<DeviceId> accept;
    private final DiscoveryListener listener;
    private final DiscoveryOptions options;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;
    private final AnnouncementCodec codec;
    private final DiscoveryCache cache;
    private final DatagramChannel channel;
    private final long instanceId = RANDOM.nextLong();
    private final List<ScheduledFuture<?>> schedules = new CopyOnWriteArrayList<>();
    private final AtomicBoolean answerPending = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Object sendLock = new Object();
    private final Set<String> joined = new HashSet<>(); // guarded by sendLock
    private final Counters counters = new Counters();
    private final Thread receiver;
    private volatile List<InetSocketAddress> addresses;
    private long lastIssuedMillis; // guarded by sendLock

    private LanDiscovery(DeviceIdentity identity, List<InetSocketAddress> addresses, Predicate<DeviceId> accept,
            DiscoveryListener listener, DiscoveryOptions options, Clock clock, ScheduledExecutorService scheduler,
            DatagramChannel channel) {
        this.identity = identity;
        this.addresses = addresses;
        this.accept = accept;
        this.listener = listener;
        this.options = options;
        this.clock = clock;
        this.scheduler = scheduler;
        this.channel = channel;
        this.codec = new AnnouncementCodec(clock, options.maxClockSkew());
        this.cache = new DiscoveryCache(options.expiry());
        this.receiver = Thread.ofPlatform().daemon().name("meshfold-lan-discovery-" + identity.deviceId().shortText())
                .unstarted(this::receiveLoop);
    }

    /**
     * Binds the discovery port, starts listening and announcing.
     *
     * @param addresses where this device accepts sync connections (see {@link Announcement})
     * @param accept    which devices to report, typically the paired ones; consulted on the
     *                  receive thread for every verified announcement, so it should be cheap
     * @param scheduler sends announcements; not shut down by {@link #close()}
     * @throws IOException if the port cannot be bound (another program uses it without
     *                     {@code SO_REUSEPORT})
     */
    public static LanDiscovery start(DeviceIdentity identity, List<InetSocketAddress> addresses,
            Predicate<DeviceId> accept, DiscoveryListener listener, DiscoveryOptions options, Clock clock,
            ScheduledExecutorService scheduler) throws IOException {
        checkAddresses(identity, addresses);
        DatagramChannel channel = open(options.listen());
        LanDiscovery d = new LanDiscovery(identity, List.copyOf(addresses), Objects.requireNonNull(accept, "accept"),
                Objects.requireNonNull(listener, "listener"), options, Objects.requireNonNull(clock, "clock"),
                Objects.requireNonNull(scheduler, "scheduler"), channel);
        d.receiver.start();
        d.schedules.add(scheduler.schedule(d::announce, 0, TimeUnit.MILLISECONDS));
        d.schedules.add(scheduler.schedule(d::announce, options.startupRepeat().toNanos(), TimeUnit.NANOSECONDS));
        long every = options.interval().toNanos();
        d.schedules.add(scheduler.scheduleWithFixedDelay(d::periodic, every, every, TimeUnit.NANOSECONDS));
        return d;
    }

    private static DatagramChannel open(InetSocketAddress listen) throws IOException {
        DatagramChannel channel = DatagramChannel.open(StandardProtocolFamily.INET);
        try {
            channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            if (channel.supportedOptions().contains(StandardSocketOptions.SO_REUSEPORT)) {
                channel.setOption(StandardSocketOptions.SO_REUSEPORT, true);
            }
            channel.setOption(StandardSocketOptions.SO_BROADCAST, true);
            channel.setOption(StandardSocketOptions.IP_MULTICAST_TTL, 1);
            // Another daemon on this machine listens on the same port and should hear us.
            channel.setOption(StandardSocketOptions.IP_MULTICAST_LOOP, true);
            channel.bind(listen);
            return channel;
        } catch (IOException e) {
            channel.close();
            throw new IOException("cannot listen for LAN discovery on UDP " + listen
                    + " (is another program using the port?): " + e.getMessage(), e);
        }
    }

    /** Announces {@code newAddresses} at once if they differ from the current ones. */
    public void setAddresses(List<InetSocketAddress> newAddresses) {
        checkAddresses(identity, newAddresses);
        List<InetSocketAddress> copy = List.copyOf(newAddresses);
        synchronized (sendLock) {
            if (copy.equals(addresses)) {
                return;
            }
            addresses = copy;
        }
        sendSoon();
    }

    /** The devices heard from recently (within three intervals), with their addresses. */
    public Map<DeviceId, List<InetSocketAddress>> devices() {
        return cache.live(clock.instant());
    }

    /** The bound address; its port is the discovery port. */
    public InetSocketAddress localAddress() {
        try {
            return (InetSocketAddress) channel.getLocalAddress();
        } catch (IOException e) {
            throw new IllegalStateException("LAN discovery is closed", e);
        }
    }

    /** Stops announcing and listening; waits briefly for the receive thread to end. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        schedules.forEach(f -> f.cancel(false));
        try {
            channel.close();
        } catch (IOException e) {
            log.debug("closing the LAN discovery socket failed", e);
        }
        try {
            receiver.join(Duration.ofSeconds(2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    Counters counters() {
        return counters;
    }

    private void sendSoon() {
        if (!closed.get() && answerPending.compareAndSet(false, true)) {
            scheduler.execute(this::announce);
        }
    }

    private void periodic() {
        announce();
        cache.live(clock.instant());
    }

    /** Sends one announcement to every current target. Never throws: it runs on the scheduler. */
    private void announce() {
        answerPending.set(false);
        if (closed.get()) {
            return;
        }
        try {
            synchronized (sendLock) {
                lastIssuedMillis = Math.max(clock.millis(), lastIssuedMillis + 1);
                byte[] packet = codec.encode(new Announcement(identity.deviceId(), addresses, instanceId,
                        Instant.ofEpochMilli(lastIssuedMillis)), identity);
                for (Target target : options.targets().current()) {
                    send(packet, target);
                }
            }
        } catch (IOException | RuntimeException e) {
            if (!closed.get()) {
                log.warn("LAN discovery could not announce device {}: {}", identity.deviceId().shortText(), e.toString());
            }
        }
    }

    private void send(byte[] packet, Target target) {
        try {
            if (target.multicastInterface().isPresent()) {
                NetworkInterface nif = target.multicastInterface().get();
                join(target.address().getAddress(), nif);
                channel.setOption(StandardSocketOptions.IP_MULTICAST_IF, nif);
            }
            channel.send(ByteBuffer.wrap(packet), target.address());
            counters.sent.incrementAndGet();
        } catch (IOException e) {
            // One interface going down must not stop the announcements on the others.
            log.debug("LAN announcement to {} failed: {}", target.address(), e.toString());
        }
    }

    /** Joins the group on an interface the first time it is used, so its announcements reach us. */
    private void join(InetAddress group, NetworkInterface nif) throws IOException {
        if (joined.add(group.getHostAddress() + "%" + nif.getName())) {
            MembershipKey key = channel.join(group, nif);
            log.debug("LAN discovery joined {} on {}", key.group(), nif.getName());
        }
    }

    private void receiveLoop() {
        ByteBuffer buffer = ByteBuffer.allocate(AnnouncementCodec.MAX_PACKET_BYTES + 1);
        while (!closed.get()) {
            buffer.clear();
            SocketAddress source;
            try {
                source = channel.receive(buffer);
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                if (!closed.get()) {
                    log.warn("LAN discovery receive failed, continuing: {}", e.toString());
                }
                continue;
            }
            buffer.flip();
            try {
                handle(buffer, (InetSocketAddress) source);
            } catch (RuntimeException e) {
                log.warn("LAN discovery failed to handle an announcement from {}", source, e);
            }
        }
    }

    private void handle(ByteBuffer packet, InetSocketAddress source) {
        Announcement a;
        try {
            a = codec.decode(packet);
        } catch (InvalidAnnouncementException e) {
            counters.rejected.incrementAndGet();
            log.debug("dropped a LAN discovery packet from {} ({}): {}", source, e.reason(), e.getMessage());
            return;
        }
        if (a.device().equals(identity.deviceId())) {
            counters.own.incrementAndGet();
            return;
        }
        if (!accept.test(a.device())) {
            counters.filtered.incrementAndGet();
            return;
        }
        counters.accepted.incrementAndGet();
        var news = cache.record(a, source.getAddress(), clock.instant());
        if (news.isEmpty()) {
            return;
        }
        if (news.get().newInstance()) {
            sendSoon();
        }
        log.debug("LAN discovery found device {} at {}", a.device().shortText(), news.get().addresses());
        listener.found(a.device(), news.get().addresses());
    }

    /** Fails now, not on every later send, for addresses an announcement cannot carry. */
    private static void checkAddresses(DeviceIdentity identity, List<InetSocketAddress> addresses) {
        new Announcement(identity.deviceId(), addresses, 0, Instant.EPOCH);
    }

    /** What happened to datagrams, for tests and status. */
    static final class Counters {
        final AtomicLong sent = new AtomicLong();
        final AtomicLong rejected = new AtomicLong();
        final AtomicLong own = new AtomicLong();
        final AtomicLong filtered = new AtomicLong();
        final AtomicLong accepted = new AtomicLong();
    }
}
