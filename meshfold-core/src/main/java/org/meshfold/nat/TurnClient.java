package org.meshfold.nat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;

/**
 * A TURN client (RFC 8656) for one allocation on one server, over a {@link DatagramPort}: the
 * shared UDP socket, or a {@link TurnTcpConnection} for networks that block UDP.
 *
 * <p>Requests use the long-term credential mechanism (RFC 8489 §9.2): the first request goes
 * without credentials, the server's 401 supplies REALM and NONCE, and the request is repeated
 * with USERNAME, REALM, NONCE and MESSAGE-INTEGRITY; a 438 (stale nonce) is answered by retrying
 * with the new nonce. The allocation is refreshed {@link TurnOptions#refreshMargin} before it
 * expires, permissions and channels every {@link TurnOptions#permissionRefresh}.
 *
 * <p>Thread-safe. State changes happen on the socket's reader thread (responses) or the
 * scheduler (timers); maps are concurrent and futures complete on those threads.
 */
public final class TurnClient implements AutoCloseable {
    private static final int AUTH_RETRIES = 2;

    private record Auth(String realm, String nonce, byte[] key) {
    }

    private final DatagramPort port;
    private final InetSocketAddress server;
    private final TurnCredentials credentials;
    private final TurnOptions options;
    private final ScheduledExecutorService scheduler;
    private final TurnListener listener;
    private final RandomGenerator random;
    private final StunTransactions transactions;
    private final Set<InetAddress> permissions = ConcurrentHashMap.newKeySet();
    private final Map<InetSocketAddress, Integer> channelsByPeer = new ConcurrentHashMap<>();
    private final Map<Integer, InetSocketAddress> peersByChannel = new ConcurrentHashMap<>();
    private final AtomicInteger nextChannel = new AtomicInteger(ChannelData.MIN_CHANNEL);
    private volatile Auth auth;
    private volatile boolean closed;
    private ScheduledFuture<?> refreshTimer;
    private ScheduledFuture<?> permissionTimer;

    public TurnClient(DatagramPort port, InetSocketAddress server, TurnCredentials credentials, TurnOptions options,
            ScheduledExecutorService scheduler, RandomGenerator random, TurnListener listener) {
        this.port = port;
        this.server = server;
        this.credentials = credentials;
        this.options = options;
        this.scheduler = scheduler;
        this.random = random;
        this.listener = listener;
        this.transactions = new StunTransactions(port, scheduler, options.retransmission());
    }

    public InetSocketAddress server() {
        return server;
    }

    /**
     * Allocates a UDP relay. Fails with {@link TurnAuthenticationException} for wrong
     * credentials, {@link StunErrorResponseException} for other refusals (486 quota, 508
     * capacity), {@link StunTimeoutException} when the server does not answer.
     */
    public CompletableFuture<TurnAllocation> allocate() {
        List<StunAttribute> attributes = List.of(
                new NumberAttribute(StunAttributeType.REQUESTED_TRANSPORT, NumberAttribute.UDP),
                new NumberAttribute(StunAttributeType.LIFETIME, options.lifetime().toSeconds()));
        return request(StunMethod.ALLOCATE, attributes, AUTH_RETRIES).thenCompose(m -> {
            Optional<InetSocketAddress> relayed = m.address(StunAttributeType.XOR_RELAYED_ADDRESS);
            if (relayed.isEmpty()) {
                return CompletableFuture.failedFuture(new StunFormatException.BadAttribute(
                        "Allocate response from " + server + " has no XOR-RELAYED-ADDRESS"));
            }
            Duration lifetime = Duration.ofSeconds(m.number(StunAttributeType.LIFETIME).orElse(600));
            scheduleRefresh(lifetime);
            schedulePermissionRefresh();
            return CompletableFuture.completedFuture(new TurnAllocation(relayed.get(),
                    m.address(StunAttributeType.XOR_MAPPED_ADDRESS).orElse(null), lifetime));
        });
    }

    /** Refreshes the allocation, asking for {@code lifetime}; zero deletes it. Gives the granted lifetime. */
    public CompletableFuture<Duration> refresh(Duration lifetime) {
        return request(StunMethod.REFRESH, List.of(new NumberAttribute(StunAttributeType.LIFETIME, lifetime.toSeconds())),
                AUTH_RETRIES).thenApply(m -> {
                    Duration granted = Duration.ofSeconds(m.number(StunAttributeType.LIFETIME).orElse(0));
                    if (!granted.isZero()) {
                        scheduleRefresh(granted);
                        listener.onRefreshed(granted);
                    }
                    return granted;
                });
    }

    /** Lets {@code peer} (any port) send to our relayed address; also needed before we send to it. */
    public CompletableFuture<Void> createPermission(InetAddress peer) {
        return request(StunMethod.CREATE_PERMISSION, List.of(
                new AddressAttribute(StunAttributeType.XOR_PEER_ADDRESS, new InetSocketAddress(peer, 0))), AUTH_RETRIES)
                .thenAccept(m -> permissions.add(peer));
    }

    /**
     * Binds a channel to {@code peer} (installing its permission too), so data flows as 4-byte
     * ChannelData headers instead of 36-byte indications. Gives the channel number.
     */
    public CompletableFuture<Integer> bindChannel(InetSocketAddress peer) {
        Integer existing = channelsByPeer.get(peer);
        if (existing != null) {
            return CompletableFuture.completedFuture(existing);
        }
        int channel = nextChannel.getAndIncrement();
        if (!ChannelData.isChannel(channel)) {
            return CompletableFuture.failedFuture(new IOException("all 4096 TURN channels on " + server + " are used"));
        }
        peersByChannel.put(channel, peer); // the server may relay ChannelData before its response arrives
        return channelBind(channel, peer).whenComplete((m, e) -> {
            if (e != null) {
                peersByChannel.remove(channel, peer);
            } else {
                channelsByPeer.put(peer, channel);
                permissions.add(peer.getAddress());
            }
        }).thenApply(m -> channel);
    }

    /**
     * Sends {@code data} to {@code peer} through the relay: as ChannelData if a channel is bound,
     * otherwise as a Send indication (which needs a permission for the peer).
     */
    public void send(InetSocketAddress peer, ByteBuffer data) throws IOException {
        Integer channel = channelsByPeer.get(peer);
        byte[] bytes = new byte[data.remaining()];
        data.duplicate().get(bytes);
        if (channel != null) {
            port.send(ByteBuffer.wrap(new ChannelData(channel, bytes).encode(options.stream())), server);
            return;
        }
        StunMessage indication = new StunMessage(StunClass.INDICATION, StunMethod.SEND, TransactionId.random(random),
                List.of(new AddressAttribute(StunAttributeType.XOR_PEER_ADDRESS, peer),
                        new BytesAttribute(StunAttributeType.DATA, bytes)));
        port.send(ByteBuffer.wrap(StunCodec.encode(indication, null, true)), server);
    }

    /**
     * Offers a received datagram. Returns true if it came from our server and was TURN traffic
     * (a response, a Data indication, ChannelData), which this client consumed; peer data goes
     * to the listener. Malformed datagrams from the server are dropped.
     */
    public boolean onDatagram(ByteBuffer datagram, InetSocketAddress sender) {
        if (!server.equals(sender)) {
            return false;
        }
        try {
            if (ChannelData.looksLikeChannelData(datagram)) {
                ChannelData c = ChannelData.decode(datagram);
                InetSocketAddress peer = peersByChannel.get(c.channel());
                if (peer != null) {
                    listener.onPeerData(peer, ByteBuffer.wrap(c.data()));
                }
                return true;
            }
            if (!StunCodec.looksLikeStun(datagram)) {
                return false;
            }
            byte[] raw = new byte[datagram.remaining()];
            datagram.duplicate().get(raw);
            StunMessage m = StunCodec.decode(raw);
            if (m.messageClass() == StunClass.INDICATION && m.method() == StunMethod.DATA) {
                Optional<InetSocketAddress> peer = m.address(StunAttributeType.XOR_PEER_ADDRESS);
                Optional<byte[]> data = m.bytes(StunAttributeType.DATA);
                if (peer.isPresent() && data.isPresent()) {
                    listener.onPeerData(peer.get(), ByteBuffer.wrap(data.get()));
                }
                return true;
            }
            transactions.onResponse(m, raw, sender);
            return true;
        } catch (StunFormatException e) {
            return true; // from our server but malformed: nobody else wants it
        }
    }

    /** Deletes the allocation on the server (Refresh with lifetime 0), then closes. */
    public CompletableFuture<Void> release() {
        return refresh(Duration.ZERO).handle((d, e) -> {
            close();
            return null;
        });
    }

    /** Stops refreshing and fails outstanding requests; the allocation then expires on the server. */
    @Override
    public void close() {
        closed = true;
        synchronized (this) {
            cancel(refreshTimer);
            cancel(permissionTimer);
        }
        transactions.cancelAll(new IOException("TURN client for " + server + " closed"));
    }

    private CompletableFuture<StunMessage> channelBind(int channel, InetSocketAddress peer) {
        return request(StunMethod.CHANNEL_BIND, List.of(new NumberAttribute(StunAttributeType.CHANNEL_NUMBER, channel),
                new AddressAttribute(StunAttributeType.XOR_PEER_ADDRESS, peer)), AUTH_RETRIES);
    }

    private CompletableFuture<StunMessage> request(int method, List<StunAttribute> attributes, int retriesLeft) {
        if (closed) {
            return CompletableFuture.failedFuture(new IOException("TURN client for " + server + " is closed"));
        }
        Auth a = auth;
        List<StunAttribute> all = new ArrayList<>(attributes);
        if (a != null) {
            all.add(new TextAttribute(StunAttributeType.USERNAME, credentials.username()));
            all.add(new TextAttribute(StunAttributeType.REALM, a.realm()));
            all.add(new TextAttribute(StunAttributeType.NONCE, a.nonce()));
        }
        StunMessage request = new StunMessage(StunClass.REQUEST, method, TransactionId.random(random), all);
        byte[] encoded = StunCodec.encode(request, a == null ? null : a.key(), true);
        return transactions.start(request, encoded, server)
                .thenCompose(r -> onResponse(method, attributes, a, r, retriesLeft));
    }

    private CompletableFuture<StunMessage> onResponse(int method, List<StunAttribute> attributes, Auth used,
            StunTransactions.Response response, int retriesLeft) {
        StunMessage m = response.message();
        if (m.messageClass() == StunClass.SUCCESS) {
            if (used != null) {
                try {
                    StunCodec.verifyIntegrity(response.raw(), used.key());
                } catch (StunFormatException e) {
                    return CompletableFuture.failedFuture(e);
                }
            }
            return CompletableFuture.completedFuture(m);
        }
        int code = m.error().map(ErrorCodeAttribute::code).orElse(0);
        Optional<String> nonce = m.text(StunAttributeType.NONCE);
        Optional<String> realm = m.text(StunAttributeType.REALM).or(() -> Optional.ofNullable(used).map(Auth::realm));
        boolean challenge = code == ErrorCodeAttribute.UNAUTHENTICATED && (used == null || used != auth);
        boolean stale = code == ErrorCodeAttribute.STALE_NONCE;
        if ((challenge || stale) && nonce.isPresent() && realm.isPresent() && retriesLeft > 0) {
            auth = new Auth(realm.get(), nonce.get(), credentials.key(realm.get()));
            return request(method, attributes, retriesLeft - 1);
        }
        if (code == ErrorCodeAttribute.UNAUTHENTICATED || code == ErrorCodeAttribute.WRONG_CREDENTIALS) {
            return CompletableFuture.failedFuture(new TurnAuthenticationException(server, m));
        }
        return CompletableFuture.failedFuture(new StunErrorResponseException(server, m, ""));
    }

    private synchronized void scheduleRefresh(Duration lifetime) {
        if (closed) {
            return;
        }
        cancel(refreshTimer);
        long delay = Math.max(1, lifetime.minus(options.refreshMargin()).toMillis());
        refreshTimer = scheduler.schedule(() -> refresh(options.lifetime()).whenComplete((d, e) -> {
            if (e != null && !closed) {
                listener.onRefreshFailed(e);
            }
        }), delay, TimeUnit.MILLISECONDS);
    }

    private synchronized void schedulePermissionRefresh() {
        if (closed || permissionTimer != null) {
            return;
        }
        long period = options.permissionRefresh().toMillis();
        permissionTimer = scheduler.scheduleAtFixedRate(this::refreshPermissions, period, period, TimeUnit.MILLISECONDS);
    }

    private void refreshPermissions() {
        Set<InetAddress> coveredByChannels = ConcurrentHashMap.newKeySet();
        channelsByPeer.forEach((peer, channel) -> {
            coveredByChannels.add(peer.getAddress());
            channelBind(channel, peer).whenComplete(this::reportFailure);
        });
        permissions.stream().filter(p -> !coveredByChannels.contains(p))
                .forEach(p -> createPermission(p).whenComplete(this::reportFailure));
    }

    private void reportFailure(Object ignored, Throwable e) {
        if (e != null && !closed) {
            listener.onRefreshFailed(e);
        }
    }

    private static void cancel(ScheduledFuture<?> timer) {
        if (timer != null) {
            timer.cancel(false);
        }
    }
}
