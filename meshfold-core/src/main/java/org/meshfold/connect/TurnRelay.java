package org.meshfold.connect;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.meshfold.nat.DatagramPort;
import org.meshfold.nat.TurnAllocation;
import org.meshfold.nat.TurnClient;
import org.meshfold.nat.TurnCredentials;
import org.meshfold.nat.TurnListener;
import org.meshfold.nat.TurnOptions;
import org.meshfold.nat.TurnTcpConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A TURN allocation used as a {@link Relay}: over the shared UDP socket, or over TCP for a
 * network that blocks UDP (then every datagram of the device travels through it). Peer data goes
 * to {@link PathSwitch#fromRelay}.
 */
public final class TurnRelay implements Relay, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TurnRelay.class);
    private static final Duration TCP_CONNECT_TIMEOUT = Duration.ofSeconds(5);

    private final TurnClient client;
    private final TurnTcpConnection tcp; // null over UDP
    private final PathSwitch paths;
    private final java.util.function.BiPredicate<ByteBuffer, InetSocketAddress> sink;
    private volatile InetSocketAddress relayed;

    private TurnRelay(TurnClient client, TurnTcpConnection tcp, PathSwitch paths) {
        this.paths = paths;
        this.client = client;
        this.sink = client::onDatagram;
        this.tcp = tcp;
    }

    /** Allocates on {@code server} through the shared socket's raw port. */
    public static CompletableFuture<TurnRelay> overUdp(PathSwitch paths, InetSocketAddress server,
            TurnCredentials credentials, ScheduledExecutorService scheduler) {
        return allocate(paths.socketPort(), null, server, credentials, TurnOptions.udp(), scheduler, paths,
                client -> { });
    }

    /** Allocates on {@code server} over a TCP connection of its own (UDP blocked). */
    public static CompletableFuture<TurnRelay> overTcp(PathSwitch paths, InetSocketAddress server,
            TurnCredentials credentials, ScheduledExecutorService scheduler, ThreadFactory threads) {
        AtomicReference<TurnClient> made = new AtomicReference<>();
        TurnTcpConnection connection;
        try {
            connection = TurnTcpConnection.connect(server, TCP_CONNECT_TIMEOUT, threads, (datagram, sender) -> {
                TurnClient c = made.get();
                if (c != null) {
                    c.onDatagram(datagram, sender);
                }
            });
        } catch (IOException e) {
            return CompletableFuture.failedFuture(e);
        }
        return allocate(connection, connection, server, credentials, TurnOptions.tcp(), scheduler, paths, made::set)
                .whenComplete((r, e) -> {
            if (e != null) {
                connection.close();
            }
        });
    }

    private static CompletableFuture<TurnRelay> allocate(DatagramPort port, TurnTcpConnection tcp,
            InetSocketAddress server, TurnCredentials credentials, TurnOptions options,
            ScheduledExecutorService scheduler, PathSwitch paths, Consumer<TurnClient> made) {
        Consumer<Throwable> failure = e -> log.warn("TURN allocation on {} needs attention: {}", server, e.getMessage());
        TurnClient client = new TurnClient(port, server, credentials, options, scheduler, new SecureRandom(),
                new TurnListener() {
                    @Override
                    public void onPeerData(InetSocketAddress peer, ByteBuffer data) {
                        paths.fromRelay(peer, data);
                    }

                    @Override
                    public void onRefreshFailed(Throwable cause) {
                        failure.accept(cause);
                    }
                });
        TurnRelay relay = new TurnRelay(client, tcp, paths);
        made.accept(client);
        if (tcp == null) {
            paths.addSink(relay.sink);
        }
        return client.allocate().thenApply(TurnAllocation::relayed).thenApply(address -> {
            relay.relayed = address;
            log.info("TURN relay {} allocated on {} over {}", address, server, tcp == null ? "UDP" : "TCP");
            return relay;
        }).whenComplete((r, e) -> {
            if (e != null) {
                client.close();
                paths.removeSink(relay.sink);
            }
        });
    }

    /** A TURN-over-TCP relay's connection ended (the relay is gone); never completes over UDP. */
    public CompletableFuture<Void> lost() {
        return tcp == null ? new CompletableFuture<>() : tcp.closed();
    }

    @Override
    public InetSocketAddress relayedAddress() {
        return relayed;
    }

    @Override
    public void send(InetSocketAddress peer, ByteBuffer data) throws IOException {
        client.send(peer, data);
    }

    @Override
    public void permit(InetAddress peer) {
        client.createPermission(peer).whenComplete((v, e) -> {
            if (e != null) {
                log.debug("TURN permission for {} failed: {}", peer, e.getMessage());
            }
        });
    }

    @Override
    public void bind(InetSocketAddress peer) {
        client.bindChannel(peer).whenComplete((v, e) -> {
            if (e != null) {
                log.debug("TURN channel to {} failed: {}", peer, e.getMessage());
            }
        });
    }

    /** Deletes the allocation (best effort) and closes. */
    @Override
    public void close() {
        client.release().orTimeout(2, java.util.concurrent.TimeUnit.SECONDS).whenComplete((v, e) -> {
            paths.removeSink(sink);
            if (tcp != null) {
                tcp.close();
            }
        });
    }
}
